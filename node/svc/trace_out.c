/* SPDX-License-Identifier: Apache-2.0 */
/* Our trace requests: created from the console (or as the follow-up of a
 * trace that ended in an export), sent at once and committed with their
 * signed message in the outbox, then moved along by the peer's
 * acknowledgements and its signed result, which is kept as a receipt. */
#include <stdlib.h>
#include <string.h>

#include "svc.h"

#define MID_TRACE 1   /* first byte of the ids of our trace requests */

struct out_job {
	struct node *node;
	trace_done_fn done;
	void *arg;
	struct tn_trace tr;
	uint64_t follow;
	char purpose[TN_PURPOSE_LEN]; /* the requester's, for its audit only */
};

static void out_job_free(struct out_job *j)
{
	proto_release(&proto_trace_schema, &j->tr);
	free(j);
}

/* A trace request's id carries the trace id, so its ack finds the trace. */
static uint64_t mid_trace(const uint8_t mid[TN_MID_LEN])
{
	uint64_t id = 0;

	if (mid[0] != MID_TRACE)
		return 0;
	for (int i = 1; i <= 8; i++)
		id = id << 8 | mid[i];
	return id;
}

/* Trace id under random upper bits (TN_REF_ID). */
static uint64_t new_ref(uint64_t id)
{
	uint32_t hi;

	do
		cx_random(&hi, sizeof(hi));
	while (!hi);
	return (uint64_t)hi << 32 | id;
}

static void set_mid(uint8_t mid[TN_MID_LEN], uint64_t id)
{
	cx_random(mid, TN_MID_LEN);
	mid[0] = MID_TRACE;
	for (int i = 8; i >= 1; i--, id >>= 8)
		mid[i] = (uint8_t)id;
}

/* Fill the request from the trace it follows: same gun, same case. */
static int follow_up(struct store_txn *t, struct out_job *j, char *why, size_t len)
{
	struct tn_trace old;
	int rc = store_trace_get(t, j->follow, &old);

	if (rc == TN_ERR_NOT_FOUND)
		snprintf(why, len, "trace %llu does not exist", (unsigned long long)j->follow);
	if (rc)
		return rc == TN_ERR_NOT_FOUND ? TN_ERR_INVALID : rc;
	if (!old.result.export_to[0]) {
		snprintf(why, len, "trace %llu did not end in an export",
			 (unsigned long long)j->follow);
		proto_release(&proto_trace_schema, &old);
		return TN_ERR_INVALID;
	}
	memcpy(j->tr.peer, old.result.export_to, sizeof(j->tr.peer));
	j->tr.req = old.req;
	j->tr.req.follows = old.req.ref;
	proto_release(&proto_trace_schema, &old);
	if (!peer_by_name(j->node, j->tr.peer)) {
		snprintf(why, len, "%s (the export country) is not a pinned peer", j->tr.peer);
		return TN_ERR_INVALID;
	}
	return 0;
}

/* A new trace's id, handed out ahead of its commit so that its request
 * can leave at once; the store's sequence catches up in the commit. */
static int new_trace_id(struct node *n, uint64_t *id)
{
	struct store_txn *t;
	int rc;

	if (!n->trace_last) {
		if ((rc = store_read_begin(n->store, &t)))
			return rc;
		rc = store_trace_last(t, &n->trace_last);
		store_read_end(t);
		if (rc)
			return rc;
	}
	if (TN_REF_ID(n->trace_last + 1) != n->trace_last + 1)
		return TN_ERR_LIMIT;       /* 2^32 traces: the ref has no room for more */
	*id = ++n->trace_last;
	return 0;
}

static int request_op(struct store_txn *t, void *arg)
{
	struct out_job *j = arg;
	char detail[TN_TEXT_LEN];
	int rc;

	if ((rc = store_trace_add(t, &j->tr)))
		return rc;
	rc = outbox_queue(t, j->tr.peer, WIRE_TRACE_REQUEST, j->tr.req.mid, &j->tr.req);
	snprintf(detail, sizeof(detail), "crime %s%s%s", j->tr.req.crime,
		 j->purpose[0] ? "; purpose: " : "", j->purpose);
	if (!rc)
		rc = node_audit(t, j->tr.peer, "out", "trace_request", j->tr.req.case_ref, "queued",
				detail);
	return rc;
}

static void requested(void *arg, int rc)
{
	struct out_job *j = arg;

	j->done(j->arg, rc, &j->tr, NULL);
	if (!rc)
		j->node->counts.traces_sent++;
	if (!rc)
		outbox_flush(peer_by_name(j->node, j->tr.peer));
	out_job_free(j);
}

static int check_request(struct node *n, const struct tn_trace_arg *a, char *why, size_t len)
{
	const struct tn_trace_request *r = &a->req;

	if (a->follow)
		return 0;
	if (!peer_by_name(n, a->to))
		snprintf(why, len, a->to[0] ? "%s is not a pinned peer" : "--to NAME is required", a->to);
	else if (!r->firearm.make[0])
		proto_strcpy(why, len, "--make is required");
	else if (!r->firearm.serial[0] && !r->firearm.serial_obliterated)
		proto_strcpy(why, len, "--serial is required (or --serial-obliterated yes)");
	else if (!r->case_ref[0] || !r->crime[0])
		proto_strcpy(why, len, "--case and --crime are required");
	else if (proto_date_check(r->recovered_on))
		proto_strcpy(why, len, "--recovered-on YYYY-MM-DD is required");
	else
		return 0;
	return TN_ERR_INVALID;
}

/* The request as it will be stored: from the trace it follows or from a,
 * under a new id, ref and mid. */
static int fill_request(struct out_job *j, const struct tn_trace_arg *a, char *why, size_t len)
{
	struct store_txn *t;
	int rc;

	if (j->follow) {
		if ((rc = store_read_begin(j->node->store, &t)))
			return rc;
		rc = follow_up(t, j, why, len);
		store_read_end(t);
		if (rc)
			return rc;
	} else {
		j->tr.req = a->req;
		memcpy(j->tr.peer, a->to, sizeof(j->tr.peer));
	}
	if ((rc = new_trace_id(j->node, &j->tr.id)))
		return rc;
	j->tr.req.ref = new_ref(j->tr.id);
	set_mid(j->tr.req.mid, j->tr.id);
	proto_strcpy(j->tr.status, sizeof(j->tr.status), "queued");
	j->tr.created_ms = j->tr.updated_ms = node_now_ms();
	return 0;
}

/* The request leaves at once when the link is up, while its commit runs
 * (the outbox sends it again if it is not acknowledged); the operator
 * hears of it only once it is durable. So an automatic trace costs two
 * commits in series, as a query does: the answerer's and ours. */
int trace_request(struct node *n, const struct tn_trace_arg *a, trace_done_fn done, void *arg,
		  char *why, size_t len)
{
	struct out_job *j;
	int rc;

	if (check_request(n, a, why, len))
		return TN_ERR_INVALID;
	if (!(j = calloc(1, sizeof(*j))))
		return TN_ERR_NOMEM;
	j->node = n;
	j->done = done;
	j->arg = arg;
	j->follow = a->follow;
	memcpy(j->purpose, a->purpose, sizeof(j->purpose));
	if ((rc = fill_request(j, a, why, len))) {
		out_job_free(j);
		return rc;
	}
	outbox_send_now(peer_by_name(n, j->tr.peer), WIRE_TRACE_REQUEST, j->tr.req.mid,
			&j->tr.req);
	batch_add(n, request_op, requested, j);
	return 0;
}

/* ---- what the answering peer sends back ---- */

int trace_delivered(struct store_txn *t, const char *peer, const uint8_t mid[TN_MID_LEN])
{
	uint64_t id = mid_trace(mid);
	struct tn_trace tr;
	int rc;

	if (!id || store_trace_get(t, id, &tr))
		return 0;
	rc = 0;
	if (!strcmp(tr.peer, peer) && !strcmp(tr.status, "queued")) {
		proto_strcpy(tr.status, sizeof(tr.status), "sent");
		tr.updated_ms = node_now_ms();
		rc = store_trace_put(t, &tr);
	}
	proto_release(&proto_trace_schema, &tr);
	return rc;
}

struct reply_job {
	struct node *node;
	char peer[TN_NAME_LEN];
	struct tn_trace_ack ack;
	struct tn_trace_result res;
	uint8_t *receipt;
	uint32_t n_receipt;
	uint8_t mid[TN_MID_LEN];
	int rejected;             /* the result does not answer our request */
	uint64_t trace;           /* our trace it answered */
};

static void reply_job_free(struct reply_job *j)
{
	proto_release(&proto_trace_result_schema, &j->res);
	free(j->receipt);
	free(j);
}

int trace_overdue(const struct tn_trace *tr, const char *today)
{
	return !trace_has_result(tr) && strcmp(tr->status, "purged") && tr->deadline[0] &&
	       strcmp(tr->deadline, today) < 0;
}

int trace_has_result(const struct tn_trace *tr)
{
	return !strcmp(tr->status, "answered") || !strcmp(tr->status, "rejected");
}

/* The result must answer the request we signed: same digest. */
static int digest_matches(const struct tn_trace *tr, const uint8_t digest[TN_HASH_LEN])
{
	struct proto_buf b = { 0 };
	uint8_t h[TN_HASH_LEN];
	int ok = 0;

	if (!proto_encode(&proto_trace_request_schema, &tr->req, &b)) {
		cx_hash_for(CX_REQUEST, b.data, b.len, h);
		ok = !cx_memcmp(h, digest, TN_HASH_LEN);
	}
	proto_buf_free(&b);
	return ok;
}

/* Keep the result and its receipt. One that does not answer the request
 * we signed (another request_digest) is kept too, as "rejected": its
 * receipt proves what the peer sent, and it is acknowledged, so the peer
 * does not send it for ever. Both are copied, not moved: a batch may run
 * its ops twice (see store_apply). */
static int apply_result(struct reply_job *j, struct tn_trace *tr)
{
	int rc;

	j->rejected = !digest_matches(tr, j->res.request_digest);
	proto_release(&proto_trace_result_schema, &tr->result);
	if ((rc = proto_copy(&proto_trace_result_schema, &tr->result, &j->res)))
		return rc;
	proto_blob_free(&tr->receipt, &tr->n_receipt);
	if (j->n_receipt && !(tr->receipt = malloc(j->n_receipt)))
		return TN_ERR_NOMEM;
	if (j->n_receipt)
		memcpy(tr->receipt, j->receipt, j->n_receipt);
	tr->n_receipt = j->n_receipt;
	tr->answered_ms = node_now_ms();
	proto_strcpy(tr->status, sizeof(tr->status), j->rejected ? "rejected" : "answered");
	return 0;
}

/* Our trace id, sent to j's peer, changed by update and stored again;
 * update returns 1 when there is nothing to change. */
static int update_trace(struct store_txn *t, struct reply_job *j, uint64_t ref,
			int (*update)(struct store_txn *t, struct reply_job *j, struct tn_trace *tr))
{
	struct tn_trace tr;
	int rc = store_trace_get(t, TN_REF_ID(ref), &tr);

	if (rc)
		return TN_ERR_NOT_FOUND;
	if (strcmp(tr.peer, j->peer) || tr.req.ref != ref) {
		rc = TN_ERR_NOT_FOUND;
	} else if ((rc = update(t, j, &tr)) == 0) {
		tr.updated_ms = node_now_ms();
		rc = store_trace_put(t, &tr);
	}
	proto_release(&proto_trace_schema, &tr);
	return rc > 0 ? 0 : rc;
}

static int take_ack(struct store_txn *t, struct reply_job *j, struct tn_trace *tr)
{
	(void)t;
	if (!trace_has_result(tr))
		proto_strcpy(tr->status, sizeof(tr->status), strcmp(j->ack.status, "in_review") ?
			     "acknowledged" : "in_review");
	memcpy(tr->deadline, j->ack.deadline, sizeof(tr->deadline));
	return 0;
}

static int take_result(struct store_txn *t, struct reply_job *j, struct tn_trace *tr)
{
	int rc;

	/* Delivered again (at least once): acknowledge, change nothing. */
	if (!strcmp(tr->status, "answered") || !strcmp(tr->status, "purged"))
		return 1;
	j->trace = tr->id;
	if ((rc = apply_result(j, tr)))
		return rc;
	if (j->rejected)
		rc = node_audit(t, j->peer, "in", "trace_result", tr->req.case_ref, "rejected",
				"its request_digest is not that of our request");
	else
		rc = node_audit(t, j->peer, "in", "trace_result", tr->req.case_ref,
				tr->result.status, tr->result.export_to[0] ? tr->result.export_to : "");
	return rc ? rc : trace_wait_view(t, j->node, tr);
}

static int ack_op(struct store_txn *t, void *arg)
{
	struct reply_job *j = arg;

	return update_trace(t, j, j->ack.ref, take_ack);
}

static int result_op(struct store_txn *t, void *arg)
{
	struct reply_job *j = arg;

	return update_trace(t, j, j->res.ref, take_result);
}

static void reply_done(void *arg, int rc)
{
	struct reply_job *j = arg;
	struct peer *p = peer_by_name(j->node, j->peer);

	if (rc == TN_ERR_NOT_FOUND)
		peer_drop(j->node, p, DROP_unsolicited, "reply to an unknown trace");
	else if (!rc && j->rejected)
		node_log("warn", "%s: %s's trace_result for trace %llu does not answer our request "
			 "(request_digest differs): kept as rejected", j->node->cfg.name, j->peer,
			 (unsigned long long)j->trace);
	if ((!rc || rc == TN_ERR_NOT_FOUND) && p)
		(void)!outbox_ack(p, j->mid);
	if (!rc && j->trace)
		trace_wait_end(j->node, j->trace);
	reply_job_free(j);
}

static struct reply_job *reply_job_new(struct peer *p)
{
	struct reply_job *j = calloc(1, sizeof(*j));

	if (j) {
		j->node = p->node;
		memcpy(j->peer, p->rec.name, sizeof(j->peer));
	}
	return j;
}

static void on_ack(struct peer *p, struct env_msg *m)
{
	struct reply_job *j = reply_job_new(p);

	if (!j)
		return;
	env_take(m, &j->ack);
	memcpy(j->mid, j->ack.mid, TN_MID_LEN);
	batch_add_later(p->node, ack_op, reply_done, j);
}

static void on_result(struct peer *p, struct env_msg *m)
{
	struct reply_job *j = reply_job_new(p);

	if (!j)
		return;
	env_take(m, &j->res);
	memcpy(j->mid, j->res.mid, TN_MID_LEN);
	if (env_receipt(p, m, &j->receipt, &j->n_receipt)) {
		reply_job_free(j);
		return;
	}
	batch_add(p->node, result_op, reply_done, j);
}

const struct svc_handler trace_out_handlers[] = {
	{ WIRE_TRACE_ACK, on_ack },
	{ WIRE_TRACE_RESULT, on_result },
	{ WIRE_COUNT, NULL },
};
