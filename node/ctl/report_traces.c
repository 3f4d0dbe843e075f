/* SPDX-License-Identifier: Apache-2.0 */
/* The report's traces section: per month, stacked by status, for the
 * traces we sent and those we received, with the month table and the
 * totals per peer. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"
#include "svg.h"

#define STATUS_LEN sizeof(((struct tn_stats_traces *)0)->status)
#define X0 48.0
#define TOP 10.0
#define PLOT_H 190.0

/* The months and statuses of one direction, and the counts of each pair. */
struct grid {
	size_t nm, ns;
	char (*month)[TN_MONTH_LEN];
	char (*status)[STATUS_LEN];
	uint32_t *count;                 /* [month * ns + status] */
};

/* Results first, then the stages of an open trace: one colour each. */
static const char *const known[] = {
	"completed", "partial", "no_record", "destroyed_on_record", "unmarked_or_obliterated",
	"declined", "in_review", "acknowledged", "sent", "queued",
};
#define N_KNOWN (sizeof(known) / sizeof(known[0]))

static size_t rank(const char *status)
{
	for (size_t i = 0; i < N_KNOWN; i++)
		if (!strcmp(status, known[i]))
			return i;
	return N_KNOWN;
}

static int by_status(const void *a, const void *b)
{
	size_t x = rank(a), y = rank(b);

	return x != y ? (x < y ? -1 : 1) : strcmp(a, b);
}

static int by_month(const void *a, const void *b)
{
	return strcmp(a, b);
}

/* The colour of a status: its own, or one after the known ones. */
static const char *status_colour(const struct grid *g, size_t k)
{
	size_t r = rank(g->status[k]);

	return svg_colour(r < N_KNOWN ? r : k);
}

/* Index of s in the n names of len bytes at names; add it when new. */
static size_t find_add(void *names, size_t len, size_t *n, const char *s)
{
	char *p = names;

	for (size_t i = 0; i < *n; i++)
		if (!strcmp(p + i * len, s))
			return i;
	proto_strcpy(p + *n * len, len, s);
	return (*n)++;
}

static size_t find(void *names, size_t len, size_t n, const char *s)
{
	return find_add(names, len, &n, s);
}

static void grid_free(struct grid *g)
{
	free(g->month);
	free(g->status);
	free(g->count);
}

static int grid_fill(struct grid *g, const struct tn_stats *s, bool sent)
{
	size_t n = s->n_traces + 1;

	memset(g, 0, sizeof(*g));
	g->month = calloc(n, sizeof(*g->month));
	g->status = calloc(n, sizeof(*g->status));
	if (!g->month || !g->status)
		return TN_ERR_NOMEM;
	for (uint32_t i = 0; i < s->n_traces; i++)
		if (report__sent(s->traces[i].dir) == sent) {
			find_add(g->month, TN_MONTH_LEN, &g->nm, s->traces[i].month);
			find_add(g->status, STATUS_LEN, &g->ns, s->traces[i].status);
		}
	qsort(g->month, g->nm, sizeof(*g->month), by_month);
	qsort(g->status, g->ns, sizeof(*g->status), by_status);
	if (!(g->count = calloc(g->nm * g->ns + 1, sizeof(*g->count))))
		return TN_ERR_NOMEM;
	for (uint32_t i = 0; i < s->n_traces; i++) {
		const struct tn_stats_traces *t = &s->traces[i];

		if (report__sent(t->dir) == sent)
			g->count[find(g->month, TN_MONTH_LEN, g->nm, t->month) * g->ns +
				 find(g->status, STATUS_LEN, g->ns, t->status)] += t->count;
	}
	return 0;
}

static uint32_t month_total(const struct grid *g, size_t m)
{
	uint32_t sum = 0;

	for (size_t k = 0; k < g->ns; k++)
		sum += g->count[m * g->ns + k];
	return sum;
}

/* The y axis from 0 to top with gridlines every step. */
static void y_axis(FILE *f, double top, double step)
{
	for (double v = 0; v <= top + step / 2; v += step) {
		double y = TOP + PLOT_H - PLOT_H * v / top;

		svg_line(f, X0, y, SVG_W - 6, y, v ? "grid" : "axis");
		svg_textf(f, X0 - 5, y + 3.5, "end", "%.0f", v);
	}
}

/* Month labels under the bars: level when they fit, else turned and
 * thinned so that none overlaps the next. */
static void month_labels(FILE *f, const struct grid *g, double slot)
{
	double y = TOP + PLOT_H + 14;
	size_t every = slot >= 46 ? 1 : (size_t)ceil(13.0 / slot);

	for (size_t m = 0; m < g->nm; m += every) {
		double x = X0 + slot * (m + 0.5);

		if (slot >= 46) {
			svg_text(f, x, y, "middle", g->month[m], 0);
			continue;
		}
		fprintf(f, "<text transform=\"translate(%.1f %.1f) rotate(-50)\" "
			"text-anchor=\"end\">", x + 3, y - 4);
		svg_esc(f, g->month[m]);
		fputs("</text>\n", f);
	}
}

static void chart(FILE *f, const struct grid *g, const char *title)
{
	double slot = (SVG_W - 6 - X0) / g->nm, top = 1, step;
	double bar = slot * 0.7 < 44 ? slot * 0.7 : 44;

	for (size_t m = 0; m < g->nm; m++)
		if (month_total(g, m) > top)
			top = month_total(g, m);
	step = svg_step(top, 5);
	top = ceil(top / step) * step;
	svg_open(f, (int)(TOP + PLOT_H + (slot >= 46 ? 22 : 52)), title);
	y_axis(f, top, step);
	for (size_t m = 0; m < g->nm; m++) {
		double y = TOP + PLOT_H;

		for (size_t k = 0; k < g->ns; k++) {
			double h = PLOT_H * g->count[m * g->ns + k] / top;

			svg_rect(f, X0 + slot * (m + 0.5) - bar / 2, y - h, bar, h,
				 status_colour(g, k));
			y -= h;
		}
	}
	month_labels(f, g, slot);
	svg_close(f);
}

static void legend(FILE *f, const struct grid *g)
{
	const char *names[N_KNOWN + 64], *colours[N_KNOWN + 64];
	size_t n = g->ns < N_KNOWN + 64 ? g->ns : N_KNOWN + 64;

	for (size_t k = 0; k < n; k++) {
		names[k] = g->status[k];
		colours[k] = status_colour(g, k);
	}
	report__legend(f, names, colours, n);
}

static void table(FILE *f, const struct grid *g)
{
	fputs("<table class=\"wide\"><thead><tr><th>month</th>", f);
	for (size_t k = 0; k < g->ns; k++) {
		fputs("<th>", f);
		report__words(f, g->status[k]);
		fputs("</th>", f);
	}
	fputs("<th>total</th></tr></thead><tbody>\n", f);
	for (size_t m = 0; m < g->nm; m++) {
		fputs("<tr><td>", f);
		svg_esc(f, g->month[m]);
		fputs("</td>", f);
		for (size_t k = 0; k < g->ns; k++)
			fprintf(f, "<td>%u</td>", g->count[m * g->ns + k]);
		fprintf(f, "<td>%u</td></tr>\n", month_total(g, m));
	}
	fputs("</tbody></table>\n", f);
}

static int direction(FILE *f, const struct tn_stats *s, bool sent, const char *title)
{
	struct grid g;
	int rc;

	fputs("<h3>", f);
	svg_esc(f, title);
	fputs("</h3>\n", f);
	if (!(rc = grid_fill(&g, s, sent))) {
		if (!g.nm) {
			report__no_data(f);
		} else {
			chart(f, &g, "Per month, stacked by status");
			legend(f, &g);
			table(f, &g);
		}
	}
	grid_free(&g);
	return rc;
}

int report__traces(FILE *f, const struct tn_stats *s)
{
	int rc;

	report__section(f, "Traces per month by status");
	if (!s->n_traces) {
		report__no_data(f);
		return 0;
	}
	if ((rc = direction(f, s, true, "Traces we sent to peers")))
		return rc;
	return direction(f, s, false, "Traces peers sent to us");
}
