/* SPDX-License-Identifier: Apache-2.0 */
/* tn_peer: the envelope scenarios, one sealed ping bent as the scenario's
 * env_spec says, and the pong envelopes the node must (not) send. */
#include <stdio.h>
#include <string.h>

#include "tp.h"

/* Seal a {seq} ping (or a stolen_result for query seq) as the node's
 * receiver expects, give or take what sp changes. */
int tp_seal(struct tp *t, const struct env_spec *sp, uint64_t seq, struct tn_envelope *e)
{
	const struct cx_id *signer = sp->sign_other ? t->other_id : t->id;
	struct tn_ping p = { .seq = seq };
	struct proto_buf m = { 0 };
	int rc;

	memset(e, 0, sizeof(*e));
	e->v = TN_PROTO_VERSION;
	e->suite = TN_SUITE_BOX_ED25519;
	e->ttl = 1;
	snprintf(e->type, sizeof(e->type), "%s", sp->type ? sp->type : "ping");
	snprintf(e->from, sizeof(e->from), "%s", sp->from_other ? t->other : t->name);
	snprintf(e->to, sizeof(e->to), "%s",
		 !sp->to_other ? t->peer_name : t->other ? t->other : "ZZZ");
	e->ts = (uint64_t)((int64_t)tp_wall_ms() + sp->skew_ms);
	if (sp->type && !strcmp(sp->type, "stolen_result"))
		rc = proto_encode(&proto_stolen_result_schema,
				  &(struct tn_stolen_result){ .qid = seq, .status = "ok" }, &m);
	else
		rc = proto_encode(&proto_ping_schema, &p, &m);
	if (!rc)
		rc = cx_env_seal(e, signer, t->key, t->peer_pk, m.data, m.len,
				 sp->sign || sp->sign_other);
	if (!rc && sp->flip)
		e->body[e->n_body / 2] ^= 0x01;
	proto_buf_free(&m);
	return rc;
}

/* Send the scenario's envelope (copies times), then a link ping: expect
 * exactly `want` pong envelopes before its pong, and a live link. */
int sc_env(struct tp *t)
{
	const struct env_spec *sp = &t->sc->env;
	uint64_t seq = ++t->seq;
	struct tn_envelope e;
	struct seen s = { 0 };
	int rc;

	if ((sp->from_other && !t->other) || (sp->sign_other && !t->other_id))
		return tp_say(t, 1, "needs --other NAME (pinned by the node) / --other-id DIR");
	if ((rc = tp_seal(t, sp, seq, &e)))
		return tp_say(t, 1, "cannot seal: %s", tn_strerror(rc));
	for (unsigned i = 0; i <= sp->replays && !rc; i++)
		rc = tp_send_link(t, "env", &proto_envelope_schema, &e);
	proto_release(&proto_envelope_schema, &e);
	if (rc || (rc = tp_barrier(t, &s)))
		return tp_say(t, 1, "link %s after the envelope", tp_ended(rc));
	if (s.env_bad)
		return tp_say(t, 1, "%u reply envelope(s) did not open", s.env_bad);
	if (s.env != sp->want || (s.env && s.seq != seq))
		return tp_say(t, 1, "%u pong envelope(s), want %u", s.env, sp->want);
	if (!sp->want)
		return tp_say(t, 0, "envelope dropped silently, link still answers pings");
	return tp_say(t, 0, "%u sent, %u pong envelope opened (seq %llu), link up",
		      sp->replays + 1, s.env, (unsigned long long)s.seq);
}

/* Expect exactly want pong envelopes (for seq) before the barrier's pong. */
static int expect_pongs(struct tp *t, unsigned want, uint64_t seq, const char *what)
{
	struct seen s = { 0 };
	int rc = tp_barrier(t, &s);

	if (rc)
		return tp_say(t, 1, "link %s after the %s", tp_ended(rc), what);
	if (s.env != want || (s.env && s.seq != seq))
		return tp_say(t, 1, "%s: %u pong envelope(s), want %u", what, s.env, want);
	return tp_say(t, 0, "%s: %u pong envelope(s), as expected", what, s.env);
}

/* env-save FILE: a ping envelope the node answers, kept in FILE (msgpack)
 * for env-resend to play again later. */
int sc_env_save(struct tp *t)
{
	struct proto_buf b = { 0 };
	struct tn_envelope e;
	uint64_t seq = ++t->seq;
	FILE *f;
	int rc;

	if (t->argc < 1)
		return tp_say(t, 1, "env-save needs a FILE");
	if ((rc = tp_seal(t, &t->sc->env, seq, &e)))
		return tp_say(t, 1, "cannot seal: %s", tn_strerror(rc));
	rc = proto_encode(&proto_envelope_schema, &e, &b);
	if (!rc && (!(f = fopen(t->argv[0], "wb")) || fwrite(b.data, 1, b.len, f) != b.len ||
		    fclose(f)))
		rc = TN_ERR_IO;
	if (!rc)
		rc = tp_send_link(t, "env", &proto_envelope_schema, &e);
	proto_buf_free(&b);
	proto_release(&proto_envelope_schema, &e);
	if (rc)
		return tp_say(t, 1, "cannot save or send: %s", tn_strerror(rc));
	return expect_pongs(t, 1, seq, "saved envelope");
}

/* env-resend FILE: send the envelope env-save kept, byte for byte: the
 * node must not answer it again (replay), whatever happened in between. */
int sc_env_resend(struct tp *t)
{
	static uint8_t buf[1 << 16];
	struct tn_envelope e;
	size_t n = 0;
	FILE *f;
	int rc;

	if (t->argc < 1 || !(f = fopen(t->argv[0], "rb")))
		return tp_say(t, 1, "env-resend needs the FILE env-save wrote");
	n = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	if ((rc = proto_decode(&proto_envelope_schema, buf, n, &e, NULL, 0)))
		return tp_say(t, 1, "%s: not an envelope", t->argv[0]);
	rc = tp_send_link(t, "env", &proto_envelope_schema, &e);
	proto_release(&proto_envelope_schema, &e);
	if (rc)
		return tp_say(t, 1, "cannot send: %s", tn_strerror(rc));
	return expect_pongs(t, 0, 0, "replayed envelope");
}

int tp_send_msg(struct tp *t, const char *type, const struct proto_schema *s, const void *msg,
		int sign)
{
	struct tn_envelope e = { .v = TN_PROTO_VERSION, .suite = TN_SUITE_BOX_ED25519, .ttl = 1 };
	struct proto_buf m = { 0 };
	int rc;

	snprintf(e.type, sizeof(e.type), "%s", type);
	snprintf(e.from, sizeof(e.from), "%s", t->name);
	snprintf(e.to, sizeof(e.to), "%s", t->peer_name);
	e.ts = tp_wall_ms();
	rc = proto_encode(s, msg, &m);
	if (!rc)
		rc = cx_env_seal(&e, t->id, t->key, t->peer_pk, m.data, m.len, sign);
	if (!rc)
		rc = tp_send_link(t, "env", &proto_envelope_schema, &e);
	proto_buf_free(&m);
	proto_release(&proto_envelope_schema, &e);
	return rc;
}

/* bad-digest: take the node's trace request (acknowledging it), answer
 * with a signed trace_result whose request_digest is not the request's,
 * and expect the node to acknowledge that result all the same (kept as
 * rejected), so that an answering node never sends it for ever. */
/* Acknowledge an outbox message of the node's (so that it is not sent to
 * the scenarios after this one). */
static void ack_it(struct tp *t, const struct frame *f)
{
	struct tn_ack a;

	memcpy(a.mid, f->mid, TN_MID_LEN);
	if (tp_send_msg(t, "ack", &proto_ack_schema, &a, 0))
		tp_say(t, 1, "cannot acknowledge the node's %s", f->etype);
}

/* Send request rq (signed) and wait for the node's ack of it, acknowledging
 * the node's own messages meanwhile. */
static int request_acked(struct tp *t, const struct tn_trace_request *rq)
{
	struct frame f;
	int rc = tp_send_msg(t, "trace_request", &proto_trace_request_schema, rq, 1);

	if (rc)
		return tp_say(t, 1, "cannot send a trace request: %s", tn_strerror(rc));
	while ((rc = tp_read_frame(t, t->deadline, &f)) > 0) {
		if (!strcmp(f.etype, "trace_ack"))
			ack_it(t, &f);
		if (!strcmp(f.etype, "ack") && !memcmp(f.mid, rq->mid, TN_MID_LEN))
			return 0;
	}
	return tp_say(t, 1, "no ack of our trace request (%s)", tp_ended(rc));
}

/* Two different trace requests under one ref (as from a requester restored
 * from a backup): both acknowledged, the second answered "conflict". */
int sc_reused_ref(struct tp *t)
{
	struct tn_trace_request rq = {
		.ref = 0x5eed000000000001ull, .case_ref = "TP-1", .crime = "0900",
		.recovered_on = "2024-01-02", .firearm = { .make = "Glock", .serial = "TP1" },
	};
	struct seen seen = { 0 };
	struct frame f;
	int rc;

	cx_random(rq.mid, TN_MID_LEN);
	if (request_acked(t, &rq))
		return 1;
	cx_random(rq.mid, TN_MID_LEN);
	snprintf(rq.crime, sizeof(rq.crime), "1201");     /* another request */
	if (request_acked(t, &rq))
		return 1;
	while ((rc = tp_read_frame(t, t->deadline, &f)) > 0) {
		if (!strcmp(f.etype, "trace_ack"))
			ack_it(t, &f);
		if (strcmp(f.etype, "trace_result") || f.ref != rq.ref)
			continue;
		ack_it(t, &f);
		(void)tp_barrier(t, &seen);   /* the node has read our acks */
		return tp_say(t, strcmp(f.status, "conflict") != 0,
			      "the second request under ref %llx answered %s",
			      (unsigned long long)rq.ref, f.status);
	}
	return tp_say(t, 1, "no trace_result for the reused ref (%s)", tp_ended(rc));
}

int sc_bad_digest(struct tp *t)
{
	struct tn_trace_result res = { .status = "completed", .time_to_crime_days = -1 };
	struct tn_ack ack;
	struct frame f;
	int rc;

	while ((rc = tp_read_frame(t, t->deadline, &f)) > 0 && strcmp(f.etype, "trace_request"))
		;
	if (rc <= 0)
		return tp_say(t, 1, "no trace_request from the node (%s)", tp_ended(rc));
	memcpy(ack.mid, f.mid, TN_MID_LEN);
	res.ref = f.ref;
	cx_random(res.mid, TN_MID_LEN);
	memset(res.request_digest, 0xee, TN_HASH_LEN);
	if ((rc = tp_send_msg(t, "ack", &proto_ack_schema, &ack, 0)) ||
	    (rc = tp_send_msg(t, "trace_result", &proto_trace_result_schema, &res, 1)))
		return tp_say(t, 1, "cannot answer: %s", tn_strerror(rc));
	while ((rc = tp_read_frame(t, t->deadline, &f)) > 0)
		if (!strcmp(f.etype, "ack") && !memcmp(f.mid, res.mid, TN_MID_LEN))
			return tp_say(t, 0, "the result with a wrong digest was acknowledged");
	return tp_say(t, 1, "no ack of the result (%s)", tp_ended(rc));
}

/* Answer the node's next stolen query with one result fewer than it asked
 * items (none a hit), then send the same answer again: the node must show
 * the query whose item went unanswered as an error, not as a no-hit, and
 * drop the second answer as unsolicited. */
int sc_short_answer(struct tp *t)
{
	struct tn_stolen_result res = { .status = "ok" };
	struct tn_stolen_answer none[TN_QUERY_ITEMS_MAX] = { 0 };
	struct frame f;
	int rc;

	while ((rc = tp_read_frame(t, t->deadline, &f)) > 0 && strcmp(f.etype, "stolen_query"))
		;
	if (rc <= 0)
		return tp_say(t, 1, "no stolen_query from the node (%s)", tp_ended(rc));
	if (!f.seq)
		return tp_say(t, 1, "a stolen_query without items");
	res.qid = f.ref;
	res.n = (uint32_t)f.seq - 1;
	res.results = none;
	if ((rc = tp_send_msg(t, "stolen_result", &proto_stolen_result_schema, &res, 0)) ||
	    (rc = tp_send_msg(t, "stolen_result", &proto_stolen_result_schema, &res, 0)))
		return tp_say(t, 1, "cannot answer: %s", tn_strerror(rc));
	/* Stay linked a while, so that the node reads both before the close. */
	for (int64_t until = tp_mono_ms() + 3000; (rc = tp_read_frame(t, until, &f)) > 0;)
		;
	if (rc < 0)
		return tp_say(t, 1, "the node closed the link after the answers (%s)", tp_ended(rc));
	return tp_say(t, 0, "answered %llu items with %u results, twice",
		      (unsigned long long)f.seq, res.n);
}
