/* SPDX-License-Identifier: Apache-2.0 */
/* The report's time-to-crime: a histogram of 90-day buckets with marks at
 * one and three years, the shares under them, and the table of counts. */
#include <string.h>

#include "report.h"
#include "svg.h"

#define X0 44.0
#define X1 (SVG_W - 10.0)
#define TOP 18.0
#define PLOT_H 170.0
#define YEAR 365.25

static double span_days(const struct tn_stats_ttc *t)
{
	return t->histogram[t->n - 1].from_days + TN_STATS_TTC_BUCKET_DAYS;
}

static double xday(const struct tn_stats_ttc *t, double d)
{
	return X0 + (X1 - X0) * d / span_days(t);
}

/* Dashed mark at d days with its label at the top. */
static void mark(FILE *f, const struct tn_stats_ttc *t, double d, const char *label)
{
	svg_line(f, xday(t, d), TOP - 4, xday(t, d), TOP + PLOT_H, "mark");
	svg_text(f, xday(t, d) + 3, TOP - 6, "start", label, 0);
}

static void x_axis(FILE *f, const struct tn_stats_ttc *t)
{
	double y = TOP + PLOT_H;

	svg_line(f, X0, y, X1, y, "axis");
	for (int yr = 0; yr * YEAR < span_days(t); yr++)
		svg_textf(f, xday(t, yr * YEAR), y + 13, "middle", "%d", yr);
	svg_text(f, X1, y + 28, "end", "years from the first retail sale to the recovery", 0);
}

static void chart(FILE *f, const struct tn_stats_ttc *t)
{
	uint32_t top = 1;
	double step, vmax;

	for (uint32_t i = 0; i < t->n; i++)
		if (t->histogram[i].count > top)
			top = t->histogram[i].count;
	step = svg_step(top, 4);
	vmax = ((uint32_t)(top / step) + 1) * step;
	svg_open(f, (int)(TOP + PLOT_H + 34), "Time-to-crime, traces per 90 days");
	for (double v = step; v <= vmax; v += step) {
		double y = TOP + PLOT_H - PLOT_H * v / vmax;

		svg_line(f, X0, y, X1, y, "grid");
		svg_textf(f, X0 - 5, y + 3.5, "end", "%.0f", v);
	}
	for (uint32_t i = 0; i < t->n; i++) {
		const struct tn_stats_bucket *b = &t->histogram[i];
		double to = i + 1 < t->n ? t->histogram[i + 1].from_days : span_days(t);
		double h = PLOT_H * b->count / vmax, x = xday(t, b->from_days);

		svg_rect(f, x + 0.5, TOP + PLOT_H - h, xday(t, to) - x - 1, h,
			 i + 1 < t->n ? svg_colour(0) : svg_colour(1));
	}
	mark(f, t, YEAR, "1 year");
	mark(f, t, 3 * YEAR, "3 years");
	x_axis(f, t);
	svg_close(f);
}

static void summary(FILE *f, const struct tn_stats_ttc *t)
{
	char a[24], b[24], c[24];

	fprintf(f, "<p>%u traces came back with a time-to-crime. <b>%u (%s)</b> were recovered "
		"less than a year after their first retail sale, <b>%u (%s)</b> less than three "
		"years after it. Of those under three years, %u (%s) were found with a possessor "
		"who was not the first buyer.</p>\n", t->known, t->under_1y,
		report__share(t->under_1y, t->known, a, sizeof(a)), t->under_3y,
		report__share(t->under_3y, t->known, b, sizeof(b)), t->under_3y_other_possessor,
		report__share(t->under_3y_other_possessor, t->under_3y, c, sizeof(c)));
}

/* The counts, four buckets (about a year) a row. */
static void table(FILE *f, const struct tn_stats_ttc *t)
{
	fputs("<table><thead><tr><th>days from</th><th>+0</th><th>+90</th><th>+180</th>"
	      "<th>+270</th></tr></thead><tbody>\n", f);
	for (uint32_t i = 0; i < t->n; i += 4) {
		fprintf(f, "<tr><td>%u%s</td>", t->histogram[i].from_days,
			i + 1 == t->n ? " and more" : "");
		for (uint32_t k = i; k < i + 4; k++)
			if (k < t->n)
				fprintf(f, "<td>%u</td>", t->histogram[k].count);
			else
				fputs("<td></td>", f);
		fputs("</tr>\n", f);
	}
	fputs("</tbody></table>\n", f);
}

int report__ttc(FILE *f, const struct tn_stats *s)
{
	const struct tn_stats_ttc *t = &s->ttc;

	report__section(f, "Time-to-crime");
	if (!t->known || !t->n) {
		report__no_data(f);
		return 0;
	}
	summary(f, t);
	chart(f, t);
	table(f, t);
	return 0;
}
