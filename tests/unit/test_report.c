/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests of the HTML report drawn from synthetic statistics: balanced
 * markup, escaped names, the number of charts and legend entries, an
 * empty period, and nothing fetched from elsewhere. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "../../node/ctl/report.h"
#include "stats_fixture.h"

/* The report of synthetic statistics with peers peers and months months. */
static char *render(int peers, int months)
{
	struct tn_stats s = { 0 };
	char *text = NULL;
	size_t n = 0;
	FILE *f;

	assert_int_equal(stats_fixture(&s, peers, months), 0);
	assert_non_null(f = open_memstream(&text, &n));
	assert_int_equal(ctl_report_html(f, &s), 0);
	assert_int_equal(fclose(f), 0);
	proto_release(&proto_stats_schema, &s);
	return text;
}

static size_t count(const char *text, const char *what)
{
	size_t n = 0;

	for (const char *p = text; (p = strstr(p, what)); p += strlen(what))
		n++;
	return n;
}

/* Every opened element of these kinds is closed. */
static void assert_balanced(const char *html)
{
	static const char *const tags[][2] = {
		{ "<svg", "</svg>" }, { "<text", "</text>" }, { "<figure", "</figure>" },
		{ "<section", "</section>" }, { "<table", "</table>" }, { "<tr", "</tr>" },
	};

	for (size_t i = 0; i < sizeof(tags) / sizeof(tags[0]); i++)
		if (count(html, tags[i][0]) != count(html, tags[i][1]))
			fail_msg("%zu %s but %zu %s", count(html, tags[i][0]), tags[i][0],
				 count(html, tags[i][1]), tags[i][1]);
	assert_int_equal(count(html, "<p>") + count(html, "<p "), count(html, "</p>"));
}

/* No script, no remote resource: the only address is SVG's namespace. */
static void assert_self_contained(const char *html)
{
	assert_null(strcasestr(html, "<script"));
	assert_null(strstr(html, "url("));
	assert_null(strstr(html, "@import"));
	assert_null(strstr(html, "<img"));
	assert_null(strstr(html, "<link"));
	assert_int_equal(count(html, "http"), count(html, "http://www.w3.org/2000/svg"));
}

static void test_an_empty_period_says_no_data_and_draws_nothing(void **state)
{
	char *html = render(0, 1);

	(void)state;
	assert_balanced(html);
	assert_self_contained(html);
	assert_int_equal(count(html, "<svg"), 0);
	assert_int_equal(count(html, "no data in this period"), 6);
	assert_non_null(strstr(html, "Firearm tracing report of GTM"));
	free(html);
}

static void test_one_peer_draws_every_chart(void **state)
{
	char *html = render(1, 3);

	(void)state;
	assert_balanced(html);
	assert_self_contained(html);
	/* traces 2, answer times 4, time-to-crime 1, sources 3, flows 1, stolen 1 */
	assert_int_equal(count(html, "<svg"), 12);
	assert_int_equal(count(html, "<title>"), 12 + 1);
	assert_null(strstr(html, "no data in this period"));
	assert_non_null(strstr(html, "MEX \xe2\x86\x92 GTM"));
	free(html);
}

static void test_sixty_peers_and_twelve_months_keep_every_legend(void **state)
{
	char *html = render(60, 12);

	(void)state;
	assert_balanced(html);
	assert_self_contained(html);
	assert_int_equal(count(html, "<svg"), 12);
	/* 10 statuses twice, 4 keys of 4 answer charts, 2 of stolen checks */
	assert_int_equal(count(html, "class=\"key\""), 2 * STATS_FIXTURE_STATUSES + 16 + 2);
	assert_int_equal(count(html, "<tr><td>2026-11</td>"), 2);
	/* twelve month labels fit level */
	assert_int_equal(count(html, "rotate(-50)"), 0);
	free(html);
}

static void test_hostile_names_are_escaped_and_long_ones_cut(void **state)
{
	char *html = render(60, 12);

	(void)state;
	assert_non_null(strstr(html, "&lt;script&gt;alert(1)&lt;/script&gt;"));
	assert_non_null(strstr(html, "Gun &amp; Tackle &quot;Outfitters&quot;"));
	assert_null(strstr(html, "Monterrey Norte"));
	assert_non_null(strstr(html, "Armería Los Álamos S.A. de C.V., sucurs\xe2\x80\xa6"));
	free(html);
}

static void test_many_months_turn_and_thin_their_labels(void **state)
{
	char *html = render(2, 24);

	(void)state;
	assert_balanced(html);
	assert_int_equal(count(html, "rotate(-50)"), 2 * 24);
	free(html);
	/* five years: every other month named, in both charts */
	html = render(2, 60);
	assert_balanced(html);
	assert_int_equal(count(html, "rotate(-50)"), 2 * 30);
	free(html);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_an_empty_period_says_no_data_and_draws_nothing),
		cmocka_unit_test(test_one_peer_draws_every_chart),
		cmocka_unit_test(test_sixty_peers_and_twelve_months_keep_every_legend),
		cmocka_unit_test(test_hostile_names_are_escaped_and_long_ones_cut),
		cmocka_unit_test(test_many_months_turn_and_thin_their_labels),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
