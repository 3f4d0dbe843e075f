/* SPDX-License-Identifier: Apache-2.0 */
/* tracectl stats: what the exchanges add up to over a period, as compact
 * tables for a person, CSV for a spreadsheet (stats_csv.c) or JSON. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctl.h"

#define STATS_USAGE "[--since DATE] [--until DATE] [--peer NAME] [--json | --csv] " \
	"(DATE: YYYY-MM-DD UTC, both days included)"

/* The statuses of one direction and peer, added up over the months. */
struct peer_sum {
	const char *dir, *peer;
	uint32_t total, n;
	struct {
		const char *status;
		uint32_t count;
	} by[16];
};

static void sum_add(struct peer_sum *p, const struct tn_stats_traces *t)
{
	uint32_t i = 0;

	p->total += t->count;
	while (i < p->n && strcmp(p->by[i].status, t->status))
		i++;
	if (i == p->n && p->n < sizeof(p->by) / sizeof(p->by[0]))
		p->by[p->n++].status = t->status;
	if (i < p->n)
		p->by[i].count += t->count;
}

static void sum_print(const struct peer_sum *p)
{
	printf("  %-8s %-4s %6u ", p->dir, p->peer, p->total);
	for (uint32_t i = 0; i < p->n; i++)
		printf("%s %s %u", i ? "," : "", p->by[i].status, p->by[i].count);
	putchar('\n');
}

/* One line per direction and peer (the rows come sorted by them); the
 * months are in --json, --csv and the report. */
static void print_traces(const struct tn_stats *s)
{
	struct peer_sum p = { 0 };

	printf("\nTraces per peer, by status (per month: --csv, --json or report --html)\n");
	if (!s->n_traces) {
		printf("  none\n");
		return;
	}
	printf("  %-8s %-4s %6s  %s\n", "DIR", "PEER", "TOTAL", "BY STATUS");
	for (uint32_t i = 0; i < s->n_traces; i++) {
		const struct tn_stats_traces *t = &s->traces[i];

		if (p.dir && (strcmp(p.dir, t->dir) || strcmp(p.peer, t->peer))) {
			sum_print(&p);
			memset(&p, 0, sizeof(p));
		}
		p.dir = t->dir;
		p.peer = t->peer;
		sum_add(&p, t);
	}
	sum_print(&p);
}

/* "late", "overdue", both or nothing: what needs a look. */
static const char *flag(const struct tn_stats_answers *a)
{
	if (a->late && a->overdue)
		return "  LATE, OVERDUE";
	return a->late ? "  LATE" : a->overdue ? "  OVERDUE" : "";
}

/* A duration for a person: minutes, hours or days. */
static const char *span(uint32_t min, char out[16])
{
	if (min < 120)
		snprintf(out, 16, "%um", min);
	else if (min < 48 * 60)
		snprintf(out, 16, "%.1fh", min / 60.0);
	else
		snprintf(out, 16, "%.1fd", min / 1440.0);
	return out;
}

static void print_answers(const struct tn_stats *s)
{
	char m[16], p90[16], max[16], dl[16];

	printf("\nAnswer times (sent: the peer answering us; received: us answering it)\n");
	if (!s->n_answers) {
		printf("  none\n");
		return;
	}
	printf("  %-8s %-4s %-7s %8s %5s %5s %7s %7s %7s %7s %8s\n", "DIR", "PEER", "URGENT",
	       "ANSWERED", "OPEN", "LATE", "OVERDUE", "MEDIAN", "P90", "MAX", "DEADLINE");
	for (uint32_t i = 0; i < s->n_answers; i++) {
		const struct tn_stats_answers *a = &s->answers[i];

		printf("  %-8s %-4s %-7s %8u %5u %5u %7u ", ctl_str(a->dir), ctl_str(a->peer),
		       a->urgent ? "urgent" : "routine", a->answered, a->open, a->late, a->overdue);
		printf("%7s %7s %7s %8s%s\n", span(a->median_min, m), span(a->p90_min, p90),
		       span(a->max_min, max), span(a->deadline_min, dl), flag(a));
	}
}

/* The histogram by year (four buckets of 90 days make 360). */
static void print_ttc(const struct tn_stats *s)
{
	const struct tn_stats_ttc *t = &s->ttc;
	uint32_t year[11] = { 0 };

	printf("\nTime to crime: %u known, %u under 1 year, %u under 3 years (%u of them "
	       "recovered from someone other than the first buyer)\n", t->known, t->under_1y,
	       t->under_3y, t->under_3y_other_possessor);
	if (!t->known)
		return;
	for (uint32_t i = 0; i < t->n; i++)
		year[i / 4 < 10 ? i / 4 : 10] += t->histogram[i].count;
	printf("  by year since the first retail sale (of 360 days):");
	for (int y = 0; y < 11; y++)
		printf("%s %s%d: %u", y ? "," : "", y < 10 ? "" : ">=", y, year[y]);
	putchar('\n');
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
