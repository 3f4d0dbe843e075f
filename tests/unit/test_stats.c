/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests of the stats computation (proto/stats_*.c) on fixed rows
 * with hand-computed answers: counts by status, nearest-rank median and
 * 90th percentile, late and overdue against a fixed now, time-to-crime
 * buckets, the possessor comparison, flows, stolen checks and filters. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "../../proto/proto.h"

#define MIN 60000ull
#define HOUR (60 * MIN)
#define DAY (24 * HOUR)
#define T0 1704067200000ull /* 2024-01-01T00:00:00Z */
#define NOW (T0 + 10 * DAY)

static struct tn_trace sent(const char *peer, uint64_t created, const char *status,
			    uint64_t answered, const char *deadline)
{
	struct tn_trace t = { .created_ms = created, .updated_ms = created,
			      .answered_ms = answered };

	snprintf(t.peer, sizeof(t.peer), "%s", peer);
	snprintf(t.status, sizeof(t.status), "%s", status);
	snprintf(t.deadline, sizeof(t.deadline), "%s", deadline);
	t.result.time_to_crime_days = -1;
	return t;
}

static void answered(struct tn_trace *t, int64_t ttc, const char *possessor, const char *buyer)
{
	snprintf(t->result.status, sizeof(t->result.status), "completed");
	t->result.time_to_crime_days = ttc;
	snprintf(t->req.possessor, sizeof(t->req.possessor), "%s", possessor);
	snprintf(t->result.first_retail.party, sizeof(t->result.first_retail.party), "%s", buyer);
}

static struct tn_trace_in received(uint64_t at, const char *status, uint64_t answered_ms)
{
	struct tn_trace_in t = { .received_ms = at, .answered_ms = answered_ms };

	snprintf(t.peer, sizeof(t.peer), "USA");
	snprintf(t.status, sizeof(t.status), "%s", status);
	snprintf(t.deadline, sizeof(t.deadline), "2024-01-01");
	if (answered_ms)
		snprintf(t.result_status, sizeof(t.result_status), "completed");
	return t;
}

static void add_traces(struct tn_stats_acc *s)
{
	struct tn_trace t[6];

	t[0] = sent("MEX", T0, "answered", T0 + 10 * MIN, "2024-01-01");
	answered(&t[0], 100, "John  Smith ", "john smith");
	snprintf(t[0].req.firearm.country_of_origin, TN_NAME_LEN, "USA");
	t[1] = sent("MEX", T0 + HOUR, "answered", T0 + HOUR + 30 * MIN, "2024-01-01");
	answered(&t[1], 400, "Ann", "Bob");
	snprintf(t[1].result.export_to, TN_NAME_LEN, "USA");
	snprintf(t[1].req.firearm.country_of_origin, TN_NAME_LEN, "USA");
	t[2] = sent("MEX", T0 + 2 * HOUR, "answered", 0, "2024-01-02");
	t[2].updated_ms = T0 + 2 * HOUR + 3 * DAY;   /* no answered_ms: an older row */
	answered(&t[2], 4000, "", "Bob");
	snprintf(t[2].req.firearm.country_of_origin, TN_NAME_LEN, "BRA");
	t[3] = sent("MEX", T0, "in_review", 0, "2024-01-03");
	t[4] = sent("MEX", T0, "sent", 0, "");
	t[4].req.urgent = true;
	t[5] = sent("USA", T0 + 5 * DAY, "queued", 0, "");
	t[5].req.follows = 2;
	for (int i = 0; i < 6; i++)
		assert_int_equal(proto_stats_trace(s, &t[i], i == 5 ? "MEX" : ""), 0);
}

static void add_others(struct tn_stats_acc *s)
{
	struct tn_trace_in in[2] = { received(T0, "answered", T0 + 5 * MIN),
				     received(T0, "in_review", 0) };
	struct tn_alert al[2] = { { .ts = T0, .peer = "USA", .kind = "stolen_query" },
				  { .ts = T0, .peer = "USA", .kind = "checkpoint" } };
	struct tn_audit au[5] = {
		{ .ts = T0, .peer = "USA", .dir = "in", .type = "stolen_query", .outcome = "2 hit(s)" },
		{ .ts = T0, .peer = "USA", .dir = "in", .type = "stolen_query", .outcome = "no_hit" },
		{ .ts = T0, .peer = "MEX", .dir = "out", .type = "stolen_query", .outcome = "sent" },
		{ .ts = T0, .peer = "MEX", .dir = "in", .type = "stolen_result", .outcome = "1 hit(s)" },
		{ .ts = T0, .peer = "MEX", .dir = "in", .type = "stolen_result", .outcome = "no_hit" },
	};

	for (int i = 0; i < 2; i++) {
		assert_int_equal(proto_stats_trace_in(s, &in[i]), 0);
		assert_int_equal(proto_stats_alert(s, &al[i]), 0);
	}
	for (int i = 0; i < 5; i++)
		assert_int_equal(proto_stats_audit(s, &au[i]), 0);
}

static void compute(const char *since, const char *until, const char *peer, struct tn_stats *out)
{
	struct tn_stats_arg a = { 0 };
	struct tn_stats_acc *s;

	snprintf(a.since, sizeof(a.since), "%s", since);
	snprintf(a.until, sizeof(a.until), "%s", until);
	snprintf(a.peer, sizeof(a.peer), "%s", peer);
	assert_int_equal(proto_stats_begin(&s, &a, NOW), 0);
	add_traces(s);
	add_others(s);
	assert_int_equal(proto_stats_end(s, "GTM", out), 0);
}

static void expect_trace(const struct tn_stats_traces *t, const char *dir, const char *peer,
			 const char *status, uint32_t count)
{
	assert_string_equal(t->dir, dir);
	assert_string_equal(t->peer, peer);
	assert_string_equal(t->month, "2024-01");
	assert_string_equal(t->status, status);
	assert_int_equal(t->count, count);
}

static void test_traces_are_counted_by_direction_peer_month_and_status(void **state)
{
	struct tn_stats s;

	(void)state;
	compute("", "", "", &s);
	assert_string_equal(s.until, "2024-01-11");
	assert_int_equal(s.n_traces, 6);
	expect_trace(&s.traces[0], "received", "USA", "completed", 1);
	expect_trace(&s.traces[1], "received", "USA", "in_review", 1);
	expect_trace(&s.traces[2], "sent", "MEX", "completed", 3);
	expect_trace(&s.traces[3], "sent", "MEX", "in_review", 1);
	expect_trace(&s.traces[4], "sent", "MEX", "sent", 1);
	expect_trace(&s.traces[5], "sent", "USA", "queued", 1);
	proto_release(&proto_stats_schema, &s);
}

static void test_answer_times_take_nearest_rank_percentiles_and_flag_late_and_overdue(void **st)
{
	struct tn_stats s;
	const struct tn_stats_answers *a;

	(void)st;
	compute("", "", "", &s);
	assert_int_equal(s.n_answers, 4);
	a = &s.answers[0];   /* received USA routine */
	assert_string_equal(a->dir, "received");
	assert_int_equal(a->answered, 1);
	assert_int_equal(a->median_min, 5);
	assert_int_equal(a->open, 1);
	assert_int_equal(a->overdue, 1);
	assert_int_equal(a->deadline_min, 1440);
	a = &s.answers[1];   /* sent MEX routine: 10, 30 and 4320 minutes */
	assert_string_equal(a->peer, "MEX");
	assert_false(a->urgent);
	assert_int_equal(a->answered, 3);
	assert_int_equal(a->median_min, 30);
	assert_int_equal(a->p90_min, 4320);
	assert_int_equal(a->max_min, 4320);
	assert_int_equal(a->late, 1);
	assert_int_equal(a->open, 1);
	assert_int_equal(a->overdue, 1);
	assert_int_equal(a->deadline_min, 1440);   /* of 1380, 1440, 2760, 4320 */
	a = &s.answers[2];   /* sent MEX urgent: open, no deadline */
	assert_true(a->urgent);
	assert_int_equal(a->open, 1);
	assert_int_equal(a->overdue, 0);
	assert_int_equal(a->answered, 0);
	assert_string_equal(s.answers[3].peer, "USA");
	proto_release(&proto_stats_schema, &s);
}

static void test_time_to_crime_fills_buckets_and_compares_folded_names(void **state)
{
	struct tn_stats s;

	(void)state;
	compute("", "", "", &s);
	assert_int_equal(s.ttc.known, 3);
	assert_int_equal(s.ttc.under_1y, 1);
	assert_int_equal(s.ttc.under_3y, 2);
	assert_int_equal(s.ttc.under_3y_other_possessor, 1);   /* Ann, not Bob */
	assert_int_equal(s.ttc.n, TN_STATS_TTC_BUCKETS);
	assert_int_equal(s.ttc.histogram[1].from_days, 90);
	assert_int_equal(s.ttc.histogram[1].count, 1);
	assert_int_equal(s.ttc.histogram[4].count, 1);
	assert_int_equal(s.ttc.histogram[40].from_days, 3600);
	assert_int_equal(s.ttc.histogram[40].count, 1);   /* 4000 days: the open bucket */
	assert_int_equal(s.ttc.histogram[0].count, 0);
	proto_release(&proto_stats_schema, &s);
}

static void test_names_are_sorted_by_count_then_name(void **state)
{
	struct tn_stats s;

	(void)state;
	compute("", "", "", &s);
	assert_int_equal(s.n_origins, 2);
	assert_string_equal(s.origins[0].name, "USA");
	assert_int_equal(s.origins[0].count, 2);
	assert_string_equal(s.origins[1].name, "BRA");
	assert_int_equal(s.n_dealers, 2);
	assert_string_equal(s.dealers[0].name, "Bob");
	assert_int_equal(s.dealers[0].count, 2);
	assert_string_equal(s.dealers[1].name, "john smith");
	assert_int_equal(s.n_exporters, 1);
	assert_string_equal(s.exporters[0].name, "MEX");
	assert_int_equal(s.n_flows, 1);
	assert_string_equal(s.flows[0].from, "MEX");
	assert_string_equal(s.flows[0].to, "USA");
	assert_int_equal(s.flows[0].count, 1);
	proto_release(&proto_stats_schema, &s);
}

static void test_stolen_checks_count_hits_and_skip_checkpoint_alarms(void **state)
{
	struct tn_stats s;

	(void)state;
	compute("", "", "", &s);
	assert_int_equal(s.n_stolen, 2);
	assert_string_equal(s.stolen[0].peer, "MEX");
	assert_int_equal(s.stolen[0].we_asked, 1);
	assert_int_equal(s.stolen[0].hits_for_us, 1);
	assert_int_equal(s.stolen[0].asked_us, 0);
	assert_string_equal(s.stolen[1].peer, "USA");
	assert_int_equal(s.stolen[1].asked_us, 2);
	assert_int_equal(s.stolen[1].hits_for_them, 2);
	assert_int_equal(s.stolen[1].alerts, 1);
	proto_release(&proto_stats_schema, &s);
}

/* A check is a gun asked about: an entry that names its items counts
 * them, whether the asker sent them in one query or shared an envelope. */
static void test_stolen_checks_count_the_guns_an_entry_names(void **state)
{
	struct tn_stats_arg a = { 0 };
	struct tn_stats_acc *acc;
	struct tn_stats s;
	struct tn_audit au[3] = {
		{ .ts = T0, .peer = "USA", .dir = "in", .type = "stolen_query",
		  .outcome = "1 hit(s)", .detail = "13 item(s), purpose: screening" },
		{ .ts = T0, .peer = "MEX", .dir = "out", .type = "stolen_query", .outcome = "sent",
		  .detail = "100 item(s), purpose: investigation" },
		{ .ts = T0, .peer = "MEX", .dir = "out", .type = "stolen_query", .outcome = "sent",
		  .detail = "purpose: a detail without its items" },
	};

	(void)state;
	assert_int_equal(proto_stats_begin(&acc, &a, NOW), 0);
	for (int i = 0; i < 3; i++)
		assert_int_equal(proto_stats_audit(acc, &au[i]), 0);
	assert_int_equal(proto_stats_end(acc, "GTM", &s), 0);
	assert_int_equal(s.n_stolen, 2);
	assert_string_equal(s.stolen[0].peer, "MEX");
	assert_int_equal(s.stolen[0].we_asked, 101);
	assert_string_equal(s.stolen[1].peer, "USA");
	assert_int_equal(s.stolen[1].asked_us, 13);
	assert_int_equal(s.stolen[1].hits_for_them, 1);
	proto_release(&proto_stats_schema, &s);
}

static void test_filters_keep_the_period_and_the_peer(void **state)
{
	struct tn_stats s;

	(void)state;
	compute("2024-01-02", "", "", &s);   /* only the follow-up of day 6 */
	assert_int_equal(s.n_traces, 1);
	expect_trace(&s.traces[0], "sent", "USA", "queued", 1);
	assert_int_equal(s.n_stolen, 0);
	assert_int_equal(s.ttc.known, 0);
	proto_release(&proto_stats_schema, &s);
	compute("", "2024-01-01", "", &s);   /* the last day is included */
	assert_int_equal(s.n_traces, 5);
	assert_int_equal(s.n_flows, 0);
	proto_release(&proto_stats_schema, &s);
	compute("", "", "USA", &s);
	assert_int_equal(s.n_traces, 3);
	assert_int_equal(s.n_stolen, 1);
	assert_string_equal(s.stolen[0].peer, "USA");
	assert_int_equal(s.n_origins, 0);
	proto_release(&proto_stats_schema, &s);
}

static void test_nothing_to_count_keeps_the_shape(void **state)
{
	struct tn_stats_arg a = { .since = "2024-01-01" };
	struct tn_stats_acc *acc;
	struct proto_buf b = { 0 };
	struct tn_stats s;

	(void)state;
	assert_int_equal(proto_stats_begin(&acc, &a, NOW), 0);
	assert_int_equal(proto_stats_end(acc, "GTM", &s), 0);
	assert_int_equal(s.n_traces + s.n_answers + s.n_origins + s.n_flows + s.n_stolen, 0);
	assert_int_equal(s.ttc.n, TN_STATS_TTC_BUCKETS);
	assert_int_equal(s.ttc.histogram[40].from_days, 3600);
	assert_string_equal(s.since, "2024-01-01");
	assert_int_equal(proto_encode(&proto_stats_schema, &s, &b), 0);
	proto_buf_free(&b);
	proto_release(&proto_stats_schema, &s);
	snprintf(a.until, sizeof(a.until), "2024-13-01");
	assert_int_equal(proto_stats_begin(&acc, &a, NOW), TN_ERR_INVALID);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_traces_are_counted_by_direction_peer_month_and_status),
		cmocka_unit_test(test_answer_times_take_nearest_rank_percentiles_and_flag_late_and_overdue),
		cmocka_unit_test(test_time_to_crime_fills_buckets_and_compares_folded_names),
		cmocka_unit_test(test_names_are_sorted_by_count_then_name),
		cmocka_unit_test(test_stolen_checks_count_hits_and_skip_checkpoint_alarms),
		cmocka_unit_test(test_stolen_checks_count_the_guns_an_entry_names),
		cmocka_unit_test(test_filters_keep_the_period_and_the_peer),
		cmocka_unit_test(test_nothing_to_count_keeps_the_shape),
	};

	return cmocka_run_group_tests_name("stats", tests, NULL, NULL);
}
