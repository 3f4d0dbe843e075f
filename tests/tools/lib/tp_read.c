/* SPDX-License-Identifier: Apache-2.0 */
/* tn_peer: frames from the node, read in order: HELLOs noted, pings
 * answered, envelopes opened; see tp.h. */
#include <stdio.h>
#include <string.h>

#include "tp.h"

/* stolen_queries: the asks' qids and items (seq: all their items). */
static int read_queries(struct frame *f, const struct tn_sealed *s)
{
	struct tn_stolen_queries q;

	if (proto_decode(&proto_stolen_queries_schema, s->m, s->n_m, &q, NULL, 0))
		return 0;
	f->n_qids = q.n;
	for (uint32_t i = 0; i < q.n; i++) {
		f->seq += q.asks[i].n;
		if (i < TP_QIDS) {
			f->qids[i] = q.asks[i].qid;
			f->items[i] = q.asks[i].n;
		}
	}
	proto_release(&proto_stolen_queries_schema, &q);
	return 1;
}

/* stolen_result: its qid (in ref), status and hits. */
static int read_result(struct frame *f, const struct tn_sealed *s)
{
	struct tn_stolen_result r;

	if (proto_decode(&proto_stolen_result_schema, s->m, s->n_m, &r, NULL, 0))
		return 0;
	f->ref = r.qid;
	snprintf(f->status, sizeof(f->status), "%s", r.status);
	f->hits = proto_result_hits(&r);
	proto_release(&proto_stolen_result_schema, &r);
	return 1;
}

/* stolen_results: the results' qids and their hits in all. */
static int read_results(struct frame *f, const struct tn_sealed *s)
{
	struct tn_stolen_results rs;

	if (proto_decode(&proto_stolen_results_schema, s->m, s->n_m, &rs, NULL, 0))
		return 0;
	f->n_qids = rs.n;
	for (uint32_t i = 0; i < rs.n; i++) {
		if (i < TP_QIDS)
			f->qids[i] = rs.results[i].qid;
		f->hits += proto_result_hits(&rs.results[i]);
	}
	proto_release(&proto_stolen_results_schema, &rs);
	return 1;
}

/* The fields a scenario looks at in a message from the node. */
static int read_msg(struct frame *f, const struct tn_sealed *s)
{
	struct tn_trace_request r;
	struct tn_trace_result res;
	struct tn_trace_ack ta;
	struct tn_stolen_query q;
	struct tn_ping p;
	struct tn_ack a;

	f->sig = s->n_s != 0;
	if (!strcmp(f->etype, "stolen_queries"))
		return read_queries(f, s);
	if (!strcmp(f->etype, "stolen_result"))
		return read_result(f, s);
	if (!strcmp(f->etype, "stolen_results"))
		return read_results(f, s);
	if (!strcmp(f->etype, "trace_request") &&
	    !proto_decode(&proto_trace_request_schema, s->m, s->n_m, &r, NULL, 0)) {
		f->ref = r.ref;
		memcpy(f->mid, r.mid, TN_MID_LEN);
		return 1;
	}
	if (!strcmp(f->etype, "trace_result") &&
	    !proto_decode(&proto_trace_result_schema, s->m, s->n_m, &res, NULL, 0)) {
		f->ref = res.ref;
		memcpy(f->mid, res.mid, TN_MID_LEN);
		memcpy(f->status, res.status, sizeof(f->status));
		proto_release(&proto_trace_result_schema, &res);
		return 1;
	}
	if (!strcmp(f->etype, "trace_ack") &&
	    !proto_decode(&proto_trace_ack_schema, s->m, s->n_m, &ta, NULL, 0)) {
		f->ref = ta.ref;
		memcpy(f->mid, ta.mid, TN_MID_LEN);
		return 1;
	}
	if (!strcmp(f->etype, "ack") && !proto_decode(&proto_ack_schema, s->m, s->n_m, &a, NULL, 0)) {
		memcpy(f->mid, a.mid, TN_MID_LEN);
		return 1;
	}
	if (!strcmp(f->etype, "cosignature") &&
	    !proto_decode(&proto_cosignature_schema, s->m, s->n_m, &f->cosig, NULL, 0)) {
		memcpy(f->mid, f->cosig.mid, TN_MID_LEN);
		return 1;
	}
	if (!strcmp(f->etype, "stolen_query") &&
	    !proto_decode(&proto_stolen_query_schema, s->m, s->n_m, &q, NULL, 0)) {
		f->ref = q.qid;
		f->seq = q.n;
		proto_release(&proto_stolen_query_schema, &q);
		return 1;
	}
	if (!strcmp(f->etype, "checkpoint_held"))
		return !proto_decode(&proto_checkpoint_held_schema, s->m, s->n_m, &f->held, NULL, 0);
	if (!proto_decode(&proto_ping_schema, s->m, s->n_m, &p, NULL, 0)) {
		f->seq = p.seq;
		return 1;
	}
	return 0;
}

/* Open an envelope from the node and read what scenarios need of it. */
static void open_env(struct tp *t, struct proto_msg *m, struct frame *f)
{
	struct tn_envelope e;
	struct tn_sealed s;

	if (proto_msg_decode(m, "m", &proto_envelope_schema, &e))
		return;
	snprintf(f->etype, sizeof(f->etype), "%s", e.type);
	if (!strcmp(e.to, t->name) && !strcmp(e.from, t->peer_name) &&
	    !cx_env_open(&e, t->key, t->peer_pk, cx_id_pk(t->id), &s)) {
		f->env_ok = read_msg(f, &s);
		proto_release(&proto_sealed_schema, &s);
	}
	proto_release(&proto_envelope_schema, &e);
}

/* 1 for a frame to hand out, 0 for one handled here (a ping answered). */
static int classify(struct tp *t, const uint8_t *body, size_t len, struct frame *f)
{
	struct proto_msg *m = NULL;
	struct tn_hello h;
	struct tn_ping p;
	int rc = 1;

	memset(f, 0, sizeof(*f));
	t->copy.len = 0;
	if (proto_buf_add(&t->copy, body, len) || proto_msg_parse(&m, t->copy.data, len) ||
	    proto_frame_type(m, f->t, sizeof(f->t))) {
		proto_msg_free(m);
		snprintf(f->t, sizeof(f->t), "?");
		return 1;
	}
	if (!strcmp(f->t, "hello") && !proto_msg_decode(m, "m", &proto_hello_schema, &h))
		memcpy(t->peer_name, h.name, sizeof(t->peer_name));
	else if (!strcmp(f->t, "env"))
		open_env(t, m, f);
	else if (!proto_msg_decode(m, "m", &proto_ping_schema, &p))
		f->seq = p.seq;
	if (!strcmp(f->t, "ping") && t->answer_pings)
		rc = tp_send_ping(t, "pong", f->seq); /* 0: handled here */
	proto_msg_free(m);
	return rc;
}

/* Next frame from the node: 1 with f filled, 0 at the deadline, or how the
 * session ended (TN_ERR_CLOSED, TN_ERR_TLS). */
int tp_read_frame(struct tp *t, int64_t deadline, struct frame *f)
{
	const uint8_t *body;
	size_t len;
	int rc;

	for (;;) {
		rc = proto_framer_next(&t->in, &body, &len);
		if (rc < 0)
			return rc;
		if (rc > 0) {
			if ((rc = classify(t, body, len, f)) != 0)
				return rc;
			continue;
		}
		if (t->eof)
			return t->eof;
		if ((rc = tp_fill(t, deadline)) <= 0) {
			t->eof = rc;
			return rc;
		}
		t->eof = tp_pump(t);
	}
}

/* Read and discard until the node ends the session: 1 if it did. */
int tp_wait_close(struct tp *t, int *how)
{
	struct frame f;
	int rc;

	while ((rc = tp_read_frame(t, t->deadline, &f)) > 0)
		;
	*how = rc ? rc : TN_ERR_TIMEOUT;
	return rc < 0;
}

/* Wait for the node's HELLO. */
int tp_wait_hello(struct tp *t)
{
	struct frame f;
	int rc;

	while ((rc = tp_read_frame(t, t->deadline, &f)) > 0)
		if (!strcmp(f.t, "hello") && t->peer_name[0])
			return 0;
	return rc ? rc : TN_ERR_TIMEOUT;
}

/* Send a link ping and read until its pong; the envelopes that came first
 * are counted in s. Frames are handled in order, so whatever the node did
 * with what we sent before is visible by then. */
int tp_barrier(struct tp *t, struct seen *s)
{
	uint64_t seq = ++t->seq;
	struct frame f;
	int rc;

	if ((rc = tp_send_ping(t, "ping", seq)))
		return rc;
	while ((rc = tp_read_frame(t, t->deadline, &f)) > 0) {
		if (!strcmp(f.t, "pong") && f.seq == seq)
			return 0;
		if (!strcmp(f.t, "env")) {
			s->env++;
			s->env_bad += !f.env_ok;
			s->cosignatures += !strcmp(f.etype, "cosignature");
			s->seq = f.seq;
		}
	}
	return rc ? rc : TN_ERR_TIMEOUT;
}

/* Count the pongs already there (wait 0) or in the next frame (wait 1). */
int tp_count_pongs(struct tp *t, int wait, unsigned long *got)
{
	struct frame f;
	int rc;

	do {
		rc = tp_read_frame(t, wait ? t->deadline : 0, &f);
		if (rc > 0)
			*got += !strcmp(f.t, "pong");
	} while (rc > 0 && !wait);
	if (rc == 0 && wait)
		return TN_ERR_TIMEOUT;
	return rc < 0 ? rc : 0;
}
