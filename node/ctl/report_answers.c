/* SPDX-License-Identifier: Apache-2.0 */
/* The report's answer times: per peer a bar to the median, a whisker to
 * the 90th percentile, a dot at the longest and a tick at the median
 * deadline; urgent and routine apart, in both directions. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"
#include "svg.h"

#define X0 44.0
#define X1 (SVG_W - 14.0)
#define TOP 6.0
#define MEDIAN "#88b0c9"
#define MAXDOT "#a5514f"

static int by_peer(const void *a, const void *b)
{
	const struct tn_stats_answers *const *x = a, *const *y = b;

	return strcmp((*x)->peer, (*y)->peer);
}

/* The scale of a chart: up to the longest p90 or deadline, in hours or
 * days; the longest answers beyond it show as an arrow. */
struct scale {
	double max_min, unit_min, step;
	const char *unit;
};

static struct scale scale_of(const struct tn_stats_answers **r, size_t n)
{
	struct scale sc = { 60, 60, 1, "hours" };

	for (size_t i = 0; i < n; i++) {
		if (r[i]->p90_min > sc.max_min)
			sc.max_min = r[i]->p90_min;
		if (r[i]->deadline_min > sc.max_min)
			sc.max_min = r[i]->deadline_min;
	}
	if (sc.max_min > 48 * 60) {
		sc.unit_min = 1440;
		sc.unit = "days";
	}
	sc.step = svg_step(sc.max_min * 1.05 / sc.unit_min, 6);
	sc.max_min = ceil(sc.max_min * 1.05 / sc.unit_min / sc.step) * sc.step * sc.unit_min;
	return sc;
}

static double xpos(const struct scale *sc, double min)
{
	return X0 + (X1 - X0) * (min < sc->max_min ? min : sc->max_min) / sc->max_min;
}

static void axis(FILE *f, const struct scale *sc, double y)
{
	for (double v = 0; v * sc->unit_min <= sc->max_min + 1; v += sc->step) {
		double x = xpos(sc, v * sc->unit_min);

		svg_line(f, x, TOP, x, y, v ? "grid" : "axis");
		svg_textf(f, x, y + 12, "middle", "%g", v);
	}
	svg_textf(f, X1, y + 26, "end", "%s after the request", sc->unit);
}

/* One peer's row: median bar, whisker, max dot, deadline tick. */
static void row(FILE *f, const struct scale *sc, const struct tn_stats_answers *a, double y,
		double h)
{
	double mid = y + h / 2, bar = h * 0.6;

	svg_text(f, X0 - 6, mid + 3.5, "end", a->peer, 0);
	if (a->answered) {
		svg_rect(f, X0, mid - bar / 2, xpos(sc, a->median_min) - X0, bar, MEDIAN);
		svg_line(f, xpos(sc, a->median_min), mid, xpos(sc, a->p90_min), mid, "whisker");
		svg_line(f, xpos(sc, a->p90_min), mid - bar / 2, xpos(sc, a->p90_min),
			 mid + bar / 2, "whisker");
		if (a->max_min <= sc->max_min)
			fprintf(f, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"2.6\" fill=\"%s\"/>\n",
				xpos(sc, a->max_min), mid, MAXDOT);
		else
			fprintf(f, "<path d=\"M%.1f %.1fl6 3.5l-6 3.5z\" fill=\"%s\"/>\n", X1 + 2,
				mid - 3.5, MAXDOT);
	}
	if (a->deadline_min)
		svg_line(f, xpos(sc, a->deadline_min), y + 1, xpos(sc, a->deadline_min),
			 y + h - 1, "deadline");
}

static void chart(FILE *f, const struct tn_stats_answers **r, size_t n, const char *title)
{
	struct scale sc = scale_of(r, n);
	double h = n <= 20 ? 18 : 12, bottom = TOP + n * h;

	svg_open(f, (int)(bottom + 32), title);
	axis(f, &sc, bottom);
	for (size_t i = 0; i < n; i++)
		row(f, &sc, r[i], TOP + i * h, h);
	svg_close(f);
}

static void cell_min(FILE *f, uint32_t min, int known)
{
	char buf[32];

	fprintf(f, "<td>%s</td>", known ? report__minutes(min, buf, sizeof(buf)) :
		"\xe2\x80\x93");
}

static void table(FILE *f, const struct tn_stats_answers **r, size_t n)
{
	fputs("<table><thead><tr><th>peer</th><th>answered</th><th>median</th><th>p90</th>"
	      "<th>longest</th><th>deadline</th><th>late</th><th>overdue</th><th>open</th>"
	      "</tr></thead><tbody>\n", f);
	for (size_t i = 0; i < n; i++) {
		const struct tn_stats_answers *a = r[i];

		fputs("<tr><td>", f);
		svg_esc(f, a->peer);
		fprintf(f, "</td><td>%u</td>", a->answered);
		cell_min(f, a->median_min, a->answered > 0);
		cell_min(f, a->p90_min, a->answered > 0);
		cell_min(f, a->max_min, a->answered > 0);
		cell_min(f, a->deadline_min, a->deadline_min > 0);
		fprintf(f, "<td>%u</td><td>%u</td><td>%u</td></tr>\n", a->late, a->overdue,
			a->open);
	}
	fputs("</tbody></table>\n", f);
}

static void legend(FILE *f)
{
	static const char *const names[] = { "median answer", "to the 90th percentile",
					     "longest", "median deadline" };
	static const char *const colours[] = { MEDIAN, "#3b6e8f", MAXDOT, "#222" };

	report__legend(f, names, colours, 4);
}

/* The rows of one direction and urgency, by peer, into r; their number. */
static size_t pick(const struct tn_stats *s, bool sent, bool urgent,
		   const struct tn_stats_answers **r)
{
	size_t n = 0;

	for (uint32_t i = 0; i < s->n_answers; i++)
		if (report__sent(s->answers[i].dir) == sent && s->answers[i].urgent == urgent)
			r[n++] = &s->answers[i];
	qsort(r, n, sizeof(*r), by_peer);
	return n;
}

static void part(FILE *f, const struct tn_stats *s, bool sent, bool urgent,
		 const struct tn_stats_answers **r)
{
	static const char *const what[2][2] = {
		{ "Routine traces: how fast peers answered ours",
		  "Routine traces: how fast we answered peers" },
		{ "Urgent traces: how fast peers answered ours",
		  "Urgent traces: how fast we answered peers" },
	};
	const char *title = what[urgent][!sent];
	size_t n = pick(s, sent, urgent, r);

	if (!n) {
		fputs("<h3>", f);
		svg_esc(f, title);
		fputs("</h3>\n", f);
		report__no_data(f);
		return;
	}
	chart(f, r, n, title);
	legend(f);
	table(f, r, n);
}

int report__answers(FILE *f, const struct tn_stats *s)
{
	const struct tn_stats_answers **r;

	report__section(f, "Answer times against the deadline");
	if (!s->n_answers) {
		report__no_data(f);
		return 0;
	}
	if (!(r = calloc(s->n_answers, sizeof(*r))))
		return TN_ERR_NOMEM;
	part(f, s, true, true, r);
	part(f, s, true, false, r);
	part(f, s, false, true, r);
	part(f, s, false, false, r);
	free(r);
	return 0;
}
