/* SPDX-License-Identifier: Apache-2.0 */
/* The report's sections on where traced guns came from (countries of
 * manufacture, exporters, dealers) and the flows of followed traces: the
 * top 15 as bars, the rest summed as "other". */
#include <stdlib.h>
#include <string.h>

#include "report.h"
#include "svg.h"

#define TOP 15
#define FLOW_LABEL 32

static int by_count(const void *a, const void *b)
{
	const struct report_bar *x = a, *y = b;

	if (x->value != y->value)
		return x->value < y->value ? 1 : -1;
	return strcmp(x->label, y->label);
}

/* Sort b[0..n) by count and keep the top TOP, the rest summed into one
 * row labelled in other; the number of rows left. */
static size_t top_rows(struct report_bar *b, size_t n, char *other, size_t cap)
{
	uint32_t rest = 0;

	qsort(b, n, sizeof(*b), by_count);
	if (n <= TOP + 1)
		return n;
	for (size_t i = TOP; i < n; i++)
		rest += b[i].value;
	snprintf(other, cap, "other (%zu more)", n - TOP);
	b[TOP] = (struct report_bar){ other, rest };
	return TOP + 1;
}

static int counts_chart(FILE *f, const char *title, const struct tn_stats_count *c, size_t n,
			const char *fill)
{
	struct report_bar *b;
	char other[48];

	if (!n) {
		fprintf(f, "<figure><figcaption>%s</figcaption>", title);
		report__no_data(f);
		fputs("</figure>\n", f);
		return 0;
	}
	if (!(b = calloc(n, sizeof(*b))))
		return TN_ERR_NOMEM;
	for (size_t i = 0; i < n; i++)
		b[i] = (struct report_bar){ c[i].name, c[i].count };
	n = top_rows(b, n, other, sizeof(other));
	report__hbars(f, title, b, n, 40, fill);
	free(b);
	return 0;
}

static int flows(FILE *f, const struct tn_stats *s);

int report__sources(FILE *f, const struct tn_stats *s)
{
	int rc;

	report__section(f, "Where the traced guns came from");
	if (!s->n_origins && !s->n_exporters && !s->n_dealers)
		report__no_data(f);
	else if ((rc = counts_chart(f, "Country of manufacture", s->origins, s->n_origins,
				    svg_colour(0))) ||
		 (rc = counts_chart(f, "Last exporting country", s->exporters, s->n_exporters,
				    svg_colour(6))) ||
		 (rc = counts_chart(f, "Last known dealer (first retail seller)", s->dealers,
				    s->n_dealers, svg_colour(2))))
		return rc;
	return flows(f, s);
}

/* Flows as "MEX → GTM" bars. */
static int flows(FILE *f, const struct tn_stats *s)
{
	char (*label)[FLOW_LABEL], other[48];
	struct report_bar *b;
	size_t n = s->n_flows;

	report__section(f, "Cross-border flows of followed traces");
	if (!n) {
		report__no_data(f);
		return 0;
	}
	b = calloc(n, sizeof(*b));
	label = calloc(n, sizeof(*label));
	if (!b || !label) {
		free(b);
		free(label);
		return TN_ERR_NOMEM;
	}
	for (size_t i = 0; i < n; i++) {
		snprintf(label[i], FLOW_LABEL, "%s \xe2\x86\x92 %s", s->flows[i].from,
			 s->flows[i].to);
		b[i] = (struct report_bar){ label[i], s->flows[i].count };
	}
	n = top_rows(b, n, other, sizeof(other));
	report__hbars(f, "Guns moved from one country to the next (count of traces)", b, n,
		      FLOW_LABEL, svg_colour(3));
	free(b);
	free(label);
	return 0;
}
