/* SPDX-License-Identifier: Apache-2.0 */
/* Stolen checks in the stats: the audit log's stolen_query and
 * stolen_result entries, and the alerts peers' queries raised on our
 * reports (a witness's checkpoint alarm is not one). A check is one gun
 * asked about, so that both sides count alike however the asker grouped
 * its queries into messages. */
#include <stdlib.h>
#include <string.h>

#include "stats_int.h"

static struct tn_stats_stolen *row_of(struct tn_stats_acc *s, const char *peer)
{
	struct tn_stats_stolen k = { 0 };

	proto_strcpy(k.peer, sizeof(k.peer), peer);
	return stats__tab_get(&s->stolen, &k);
}

static int taken(const struct tn_stats_acc *s, const char *peer, uint64_t ts)
{
	return peer[0] && (!s->arg.peer[0] || !strcmp(s->arg.peer, peer)) &&
	       ts >= s->from_ms && ts < s->to_ms;
}

/* The hits an outcome names: "N hit(s)", "hit" (1), anything else 0. */
static uint32_t hits(const char *outcome)
{
	char *end;
	unsigned long n;

	if (!strcmp(outcome, "hit"))
		return 1;
	n = strtoul(outcome, &end, 10);
	return end != outcome && !strcmp(end, " hit(s)") && n <= UINT32_MAX ? (uint32_t)n : 0;
}

/* The guns a stolen_query entry's detail names ("N item(s), ..."); 1 for
 * an entry that names none (written before the answerer named them). */
static uint32_t items(const char *detail)
{
	char *end;
	unsigned long n = strtoul(detail, &end, 10);

	return end != detail && !strncmp(end, " item(s)", 8) && n <= UINT32_MAX ? (uint32_t)n : 1;
}

int proto_stats_alert(struct tn_stats_acc *s, const struct tn_alert *a)
{
	struct tn_stats_stolen *row;

	if (!strcmp(a->kind, "checkpoint") || !taken(s, a->peer, a->ts))
		return 0;
	if (!(row = row_of(s, a->peer)))
		return TN_ERR_NOMEM;
	row->alerts++;
	return 0;
}

int proto_stats_audit(struct tn_stats_acc *s, const struct tn_audit *a)
{
	int query = !strcmp(a->type, "stolen_query"), in = !strcmp(a->dir, "in");
	struct tn_stats_stolen *row;

	if (!query && strcmp(a->type, "stolen_result"))
		return 0;
	if ((!query && !in) || (!in && strcmp(a->dir, "out")) || !taken(s, a->peer, a->ts))
		return 0;
	if (!(row = row_of(s, a->peer)))
		return TN_ERR_NOMEM;
	if (query && in) {
		row->asked_us += items(a->detail);
		row->hits_for_them += hits(a->outcome);
	} else if (query) {
		row->we_asked += items(a->detail);
	} else {
		row->hits_for_us += hits(a->outcome);
	}
	return 0;
}
