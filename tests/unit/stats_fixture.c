/* SPDX-License-Identifier: Apache-2.0 */
/* Synthetic statistics for the report's tests (stats_fixture.h): fixed
 * pseudo-random counts, so that every run draws the same report. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "stats_fixture.h"

static const char peers[] =
	"MEX USA HND SLV BLZ CRI PAN COL ECU PER BOL CHL ARG URY PRY BRA VEN GUY SUR DOM "
	"HTI JAM CUB TTO BRB BHS NIC CAN ESP PRT FRA ITA DEU NLD BEL AUT CHE POL CZE SVK "
	"HUN ROU BGR GRC TUR SRB HRV SVN BIH MNE ALB MKD UKR MDA LTU LVA EST FIN SWE NOR ";

static const char *const statuses[STATS_FIXTURE_STATUSES] = {
	"completed", "partial", "no_record", "destroyed_on_record", "unmarked_or_obliterated",
	"declined", "in_review", "acknowledged", "sent", "queued",
};

static const char *const dealers[] = {
	"<script>alert(1)</script>", "Armería Los Álamos S.A. de C.V., sucursal Monterrey Norte",
	"Gun & Tackle \"Outfitters\"", "Sporting Arms Co.", "Frontier Firearms LLC",
	"Caza y Pesca del Sur", "Big Bend Pawn", "Lone Star Shooting Supply",
};

static uint32_t next(uint32_t *seed)
{
	*seed = *seed * 1103515245u + 12345u;
	return (*seed >> 16) & 0x7fff;
}

static const char *peer(int i)
{
	static char name[STATS_FIXTURE_PEERS_MAX][TN_NAME_LEN];

	memcpy(name[i], peers + 4 * i, 3);
	return name[i];
}

static void traces(struct tn_stats *s, int np, int nm, uint32_t *seed)
{
	for (int d = 0; d < 2; d++)
		for (int p = 0; p < np; p++)
			for (int m = 0; m < nm; m++)
				for (int k = 0; k < STATS_FIXTURE_STATUSES; k++) {
					struct tn_stats_traces *t = &s->traces[s->n_traces];

					if (!(t->count = next(seed) % (k < 3 ? 9 : 3)))
						continue;
					snprintf(t->dir, sizeof(t->dir), d ? "received" : "sent");
					memcpy(t->peer, peer(p), TN_NAME_LEN);
					snprintf(t->month, sizeof(t->month), "%04u-%02u",
						 (2025u + (unsigned)(m + 11) / 12) % 10000u,
						 (unsigned)(m + 11) % 12u + 1u);
					snprintf(t->status, sizeof(t->status), "%s", statuses[k]);
					s->n_traces++;
				}
}

static void answers(struct tn_stats *s, int np, uint32_t *seed)
{
	for (int i = 0; i < 4 * np; i++) {
		struct tn_stats_answers *a = &s->answers[s->n_answers++];
		uint32_t base = i % 2 ? 1440 * (3 + next(seed) % 12) : 60 * (4 + next(seed) % 30);

		snprintf(a->dir, sizeof(a->dir), i / (2 * np) ? "received" : "sent");
		memcpy(a->peer, peer(i / 2 % np), TN_NAME_LEN);
		a->urgent = i % 2 == 0;
		a->answered = 1 + next(seed) % 40;
		a->late = next(seed) % 4;
		a->overdue = next(seed) % 3;
		a->open = a->overdue + next(seed) % 3;
		a->median_min = base;
		a->p90_min = base * (15 + next(seed) % 20) / 10;
		a->max_min = a->p90_min * (i % 7 ? 12 : 40) / 10;
		a->deadline_min = i % 2 ? 30 * 1440 : 48 * 60;
	}
}

static void ttc(struct tn_stats *s, uint32_t *seed)
{
	struct tn_stats_ttc *t = &s->ttc;

	for (uint32_t i = 0; i < TN_STATS_TTC_BUCKETS; i++) {
		uint32_t c = (i < 4 ? 30 + 10 * i : 1200 / (i + 6)) + next(seed) % 9;

		t->histogram[i] = (struct tn_stats_bucket){ i * TN_STATS_TTC_BUCKET_DAYS, c };
		t->known += c;
		t->under_1y += i < 4 ? c : 0;
		t->under_3y += i < 12 ? c : 0;
	}
	t->n = TN_STATS_TTC_BUCKETS;
	t->under_3y_other_possessor = t->under_3y / 3;
}

static void counts(struct tn_stats *s, int np, uint32_t *seed)
{
	for (int i = 0; i < np; i++) {
		s->origins[s->n_origins++] = (struct tn_stats_count){ "", 400 / (i + 1) };
		snprintf(s->origins[i].name, TN_PARTY_LEN, "%s", peer(np - 1 - i));
		if (i < 12) {
			s->exporters[s->n_exporters] = (struct tn_stats_count){ "", 300 >> i };
			snprintf(s->exporters[s->n_exporters++].name, TN_PARTY_LEN, "%s", peer(i));
		}
		s->dealers[s->n_dealers].count = 1 + next(seed) % 60;
		snprintf(s->dealers[s->n_dealers++].name, TN_PARTY_LEN, "%s %d",
			 dealers[i % 8], i / 8);
		s->flows[s->n_flows++] = (struct tn_stats_flow){ "", "", 1 + next(seed) % 25 };
		memcpy(s->flows[i].from, peer((i + 1) % np), TN_NAME_LEN);
		memcpy(s->flows[i].to, np > 1 ? peer(0) : "GTM", TN_NAME_LEN);
	}
}

static void stolen(struct tn_stats *s, int np, uint32_t *seed)
{
	for (int i = 0; i < np; i++) {
		struct tn_stats_stolen *st = &s->stolen[s->n_stolen++];

		memcpy(st->peer, peer(i), TN_NAME_LEN);
		st->asked_us = next(seed) % 500;
		st->hits_for_them = st->asked_us / 40;
		st->we_asked = next(seed) % 300;
		st->hits_for_us = st->we_asked / 50;
		st->alerts = st->hits_for_them;
	}
}

int stats_fixture(struct tn_stats *s, int np, int nm)
{
	size_t n = (size_t)np ? (size_t)np : 1;
	uint32_t seed = 7;
	char until[32];

	if (np < 0 || nm < 1 || np > STATS_FIXTURE_PEERS_MAX || nm > 120)
		return TN_ERR_INVALID;
	snprintf(s->node, sizeof(s->node), "GTM");
	snprintf(s->since, sizeof(s->since), "2025-12-01");
	snprintf(until, sizeof(until), "%04d-%02d-28", 2025 + (nm + 10) / 12, (nm + 10) % 12 + 1);
	memcpy(s->until, until, sizeof(s->until) - 1);
	s->made_ms = 1764547200000ull;
	s->traces = calloc(2 * n * (nm ? nm : 1) * STATS_FIXTURE_STATUSES, sizeof(*s->traces));
	s->answers = calloc(4 * n, sizeof(*s->answers));
	s->ttc.histogram = calloc(TN_STATS_TTC_BUCKETS, sizeof(*s->ttc.histogram));
	s->origins = calloc(n, sizeof(*s->origins));
	s->exporters = calloc(n, sizeof(*s->exporters));
	s->dealers = calloc(n, sizeof(*s->dealers));
	s->flows = calloc(n, sizeof(*s->flows));
	s->stolen = calloc(n, sizeof(*s->stolen));
	if (!s->traces || !s->answers || !s->ttc.histogram || !s->origins || !s->exporters ||
	    !s->dealers || !s->flows || !s->stolen)
		return TN_ERR_NOMEM;
	if (!np)
		return 0;
	traces(s, np, nm, &seed);
	answers(s, np, &seed);
	ttc(s, &seed);
	counts(s, np, &seed);
	stolen(s, np, &seed);
	return 0;
}
