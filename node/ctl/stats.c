/* SPDX-License-Identifier: Apache-2.0 */
/* tracectl stats: what the exchanges add up to over a period, as compact
 * tables for a person, CSV for a spreadsheet (stats_csv.c) or JSON. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctl.h"

#define STATS_USAGE "[--since DATE] [--until DATE] [--peer NAME] [--json | --csv] " \
	"(DATE: YYYY-MM-DD UTC, both days included)"

static void print_traces(const struct tn_stats *s)
{
	printf("\nTraces by peer, month and status\n");
	if (!s->n_traces) {
		printf("  none\n");
		return;
	}
	printf("  %-8s %-4s %-7s %-24s %6s\n", "DIR", "PEER", "MONTH", "STATUS", "COUNT");
	for (uint32_t i = 0; i < s->n_traces; i++) {
		const struct tn_stats_traces *t = &s->traces[i];

		printf("  %-8s %-4s %-7s ", ctl_str(t->dir), ctl_str(t->peer), ctl_str(t->month));
		printf("%-24s %6u\n", ctl_str(t->status), t->count);
	}
}

/* "late", "overdue", both or nothing: what needs a look. */
static const char *flag(const struct tn_stats_answers *a)
{
	if (a->late && a->overdue)
		return "  LATE, OVERDUE";
	return a->late ? "  LATE" : a->overdue ? "  OVERDUE" : "";
}

static void print_answers(const struct tn_stats *s)
{
	printf("\nAnswer times in minutes (sent: the peer answering us; received: us answering)\n");
	if (!s->n_answers) {
		printf("  none\n");
		return;
	}
	printf("  %-8s %-4s %-7s %8s %5s %5s %7s %8s %8s %8s %8s\n", "DIR", "PEER", "URGENT",
	       "ANSWERED", "OPEN", "LATE", "OVERDUE", "MEDIAN", "P90", "MAX", "DEADLINE");
	for (uint32_t i = 0; i < s->n_answers; i++) {
		const struct tn_stats_answers *a = &s->answers[i];

		printf("  %-8s %-4s %-7s %8u %5u %5u %7u ", ctl_str(a->dir), ctl_str(a->peer),
		       a->urgent ? "urgent" : "routine", a->answered, a->open, a->late, a->overdue);
		printf("%8u %8u %8u %8u%s\n", a->median_min, a->p90_min, a->max_min,
		       a->deadline_min, flag(a));
	}
}

static void print_ttc(const struct tn_stats *s)
{
	const struct tn_stats_ttc *t = &s->ttc;

	printf("\nTime to crime: %u known, %u under 1 year, %u under 3 years (%u of them "
	       "recovered from someone other than the first buyer)\n", t->known, t->under_1y,
	       t->under_3y, t->under_3y_other_possessor);
	for (uint32_t i = 0; i < t->n; i++) {
		const struct tn_stats_bucket *b = &t->histogram[i];

		if (!b->count)
			continue;
		if (i + 1 < t->n)
			printf("  %5u-%-5u days %6u\n", b->from_days,
			       b->from_days + TN_STATS_TTC_BUCKET_DAYS - 1, b->count);
		else
			printf("  %5u+      days %6u\n", b->from_days, b->count);
	}
}

static void print_counts(const char *title, const struct tn_stats_count *c, uint32_t n)
{
	printf("\n%s:%s", title, n ? "\n" : " none\n");
	for (uint32_t i = 0; i < n; i++)
		printf("  %6u  %s\n", c[i].count, ctl_str(c[i].name));
}

static void print_flows_stolen(const struct tn_stats *s)
{
	printf("\nFollowed traces (from the exporting country to the next):%s",
	       s->n_flows ? "\n" : " none\n");
	for (uint32_t i = 0; i < s->n_flows; i++)
		printf("  %-4s -> %-4s %6u\n", ctl_str(s->flows[i].from), ctl_str(s->flows[i].to),
		       s->flows[i].count);
	printf("\nStolen checks%s", s->n_stolen ? "\n" : ": none\n");
	if (s->n_stolen)
		printf("  %-4s %9s %13s %8s %11s %6s\n", "PEER", "ASKED_US", "HITS_FOR_THEM",
		       "WE_ASKED", "HITS_FOR_US", "ALERTS");
	for (uint32_t i = 0; i < s->n_stolen; i++) {
		const struct tn_stats_stolen *x = &s->stolen[i];

		printf("  %-4s %9u %13u %8u %11u %6u\n", ctl_str(x->peer), x->asked_us,
		       x->hits_for_them, x->we_asked, x->hits_for_us, x->alerts);
	}
}

static void print_stats(const void *obj)
{
	const struct tn_stats *s = obj;

	printf("Statistics of %s from %s to %s\n", ctl_str(s->node),
	       s->since[0] ? ctl_str(s->since) : "the beginning", ctl_str(s->until));
	print_traces(s);
	print_answers(s);
	print_ttc(s);
	print_counts("Countries of manufacture", s->origins, s->n_origins);
	print_counts("Exporting countries (peers whose record ended in an export)", s->exporters,
		     s->n_exporters);
	print_counts("Dealers of first retail sale", s->dealers, s->n_dealers);
	print_flows_stolen(s);
}

static int stats(struct ctl *c, int argc, char **argv)
{
	struct tn_stats_arg a = { 0 };
	int csv = 0, n = 0, rc;
	char **rest = calloc((size_t)argc + 1, sizeof(*rest));

	if (!rest)
		return ctl_fail("out of memory");
	for (int i = 0; i < argc; i++)
		if (!strcmp(argv[i], "--csv"))
			csv = 1;
		else
			rest[n++] = argv[i];
	if (csv && c->json) {
		free(rest);
		return ctl_fail("--csv and --json: choose one");
	}
	rc = n % 2 ? ctl_fail("usage: stats " STATS_USAGE) :
		     ctl_opts(&proto_stats_arg_schema, &a, n, rest);
	free(rest);
	if (rc)
		return 1;
	return ctl_run(c, CMD_STATS, &a, csv ? ctl_print_stats_csv : print_stats);
}

const struct ctl_cmd ctl_stats_cmds[] = {
	{ "stats", stats, STATS_USAGE },
	{ NULL },
};
