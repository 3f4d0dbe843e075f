/* SPDX-License-Identifier: Apache-2.0 */
/* The report's stolen checks: per peer its queries to us and ours to it,
 * as paired bars and as a table with the hits and alerts. */
#include <stdlib.h>
#include <string.h>

#include "report.h"
#include "svg.h"

#define X0 44.0
#define THEIRS "#88b0c9"
#define OURS "#3b6e8f"

static int by_peer(const void *a, const void *b)
{
	const struct tn_stats_stolen *const *x = a, *const *y = b;

	return strcmp((*x)->peer, (*y)->peer);
}

static void bar(FILE *f, double y, double h, uint32_t v, uint32_t top, const char *fill)
{
	double w = (SVG_W - X0 - 50) * v / top;

	svg_rect(f, X0, y, v && w < 1 ? 1 : w, h, fill);
	svg_textf(f, X0 + w + 4, y + h - 1, "start", "%u", v);
}

static void chart(FILE *f, const struct tn_stats_stolen **r, size_t n)
{
	double row = n <= 20 ? 24 : 18, h = (row - 4) / 2;
	uint32_t top = 1;

	for (size_t i = 0; i < n; i++) {
		if (r[i]->asked_us > top)
			top = r[i]->asked_us;
		if (r[i]->we_asked > top)
			top = r[i]->we_asked;
	}
	svg_open(f, (int)(n * row + 8), "Stolen checks per peer");
	for (size_t i = 0; i < n; i++) {
		double y = 4 + i * row;

		svg_text(f, X0 - 6, y + h + 3, "end", r[i]->peer, 0);
		bar(f, y, h, r[i]->asked_us, top, THEIRS);
		bar(f, y + h, h, r[i]->we_asked, top, OURS);
	}
	svg_line(f, X0, 2, X0, n * row + 6, "axis");
	svg_close(f);
}

static void table(FILE *f, const struct tn_stats_stolen **r, size_t n)
{
	fputs("<table><thead><tr><th>peer</th><th>their checks</th><th>hits on our reports"
	      "</th><th>alerts raised</th><th>our checks</th><th>hits on theirs</th></tr>"
	      "</thead><tbody>\n", f);
	for (size_t i = 0; i < n; i++) {
		fputs("<tr><td>", f);
		svg_esc(f, r[i]->peer);
		fprintf(f, "</td><td>%u</td><td>%u</td><td>%u</td><td>%u</td><td>%u</td></tr>\n",
			r[i]->asked_us, r[i]->hits_for_them, r[i]->alerts, r[i]->we_asked,
			r[i]->hits_for_us);
	}
	fputs("</tbody></table>\n", f);
}

int report__stolen(FILE *f, const struct tn_stats *s)
{
	static const char *const names[] = { "their checks against our reports",
					     "our checks against theirs" };
	static const char *const colours[] = { THEIRS, OURS };
	const struct tn_stats_stolen **r;

	report__section(f, "Stolen checks");
	if (!s->n_stolen) {
		report__no_data(f);
		return 0;
	}
	if (!(r = calloc(s->n_stolen, sizeof(*r))))
		return TN_ERR_NOMEM;
	for (uint32_t i = 0; i < s->n_stolen; i++)
		r[i] = &s->stolen[i];
	qsort(r, s->n_stolen, sizeof(*r), by_peer);
	chart(f, r, s->n_stolen);
	report__legend(f, names, colours, 2);
	table(f, r, s->n_stolen);
	free(r);
	return 0;
}
