/* SPDX-License-Identifier: Apache-2.0 */
/* tracectl stats --csv: one CSV table per section, each row opening with
 * the section's name, tables apart by an empty line. */
#include <stdio.h>
#include <string.h>

#include "ctl.h"

/* A field, quoted when it holds a comma, a quote or a line break. */
static void field(const char *s)
{
	if (!strpbrk(s, ",\"\r\n")) {
		fputs(s, stdout);
		return;
	}
	putchar('"');
	for (; *s; s++) {
		if (*s == '"')
			putchar('"');
		putchar(*s);
	}
	putchar('"');
}

static void traces(const struct tn_stats *s)
{
	printf("section,dir,peer,month,status,count\n");
	for (uint32_t i = 0; i < s->n_traces; i++) {
		const struct tn_stats_traces *t = &s->traces[i];

		printf("traces,");
		field(t->dir);
		putchar(',');
		field(t->peer);
		printf(",%s,", t->month);
		field(t->status);
		printf(",%u\n", t->count);
	}
}

static void answers(const struct tn_stats *s)
{
	printf("\nsection,dir,peer,urgent,answered,late,overdue,open,median_min,p90_min,"
	       "max_min,deadline_min\n");
	for (uint32_t i = 0; i < s->n_answers; i++) {
		const struct tn_stats_answers *a = &s->answers[i];

		printf("answers,");
		field(a->dir);
		putchar(',');
		field(a->peer);
		printf(",%s,%u,%u,%u,%u,%u,%u,%u,%u\n", a->urgent ? "true" : "false", a->answered,
		       a->late, a->overdue, a->open, a->median_min, a->p90_min, a->max_min,
		       a->deadline_min);
	}
}

static void ttc(const struct tn_stats *s)
{
	const struct tn_stats_ttc *t = &s->ttc;

	printf("\nsection,known,under_1y,under_3y,under_3y_other_possessor\n");
	printf("ttc,%u,%u,%u,%u\n", t->known, t->under_1y, t->under_3y,
	       t->under_3y_other_possessor);
	printf("\nsection,from_days,count\n");
	for (uint32_t i = 0; i < t->n; i++)
		printf("ttc_histogram,%u,%u\n", t->histogram[i].from_days, t->histogram[i].count);
}

static void counts(const char *section, const struct tn_stats_count *c, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++) {
		printf("%s,", section);
		field(c[i].name);
		printf(",%u\n", c[i].count);
	}
}

static void flows_stolen(const struct tn_stats *s)
{
	printf("\nsection,from,to,count\n");
	for (uint32_t i = 0; i < s->n_flows; i++) {
		printf("flows,");
		field(s->flows[i].from);
		putchar(',');
		field(s->flows[i].to);
		printf(",%u\n", s->flows[i].count);
	}
	printf("\nsection,peer,asked_us,hits_for_them,we_asked,hits_for_us,alerts\n");
	for (uint32_t i = 0; i < s->n_stolen; i++) {
		const struct tn_stats_stolen *x = &s->stolen[i];

		printf("stolen,");
		field(x->peer);
		printf(",%u,%u,%u,%u,%u\n", x->asked_us, x->hits_for_them, x->we_asked,
		       x->hits_for_us, x->alerts);
	}
}

void ctl_print_stats_csv(const void *obj)
{
	const struct tn_stats *s = obj;

	traces(s);
	answers(s);
	ttc(s);
	printf("\nsection,name,count\n");
	counts("origins", s->origins, s->n_origins);
	counts("exporters", s->exporters, s->n_exporters);
	counts("dealers", s->dealers, s->n_dealers);
	flows_stolen(s);
}
