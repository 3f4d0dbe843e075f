/* SPDX-License-Identifier: Apache-2.0 */
/* Answering a peer's trace request: store it with its signed receipt,
 * then under the peer's policy answer at once from our records, put it
 * in the operator's review inbox, or decline. Acknowledgement and result
 * go through the outbox; the request is acknowledged only once stored. */
#include <stdlib.h>
#include <string.h>

#include "svc.h"

#define REVIEW_DAYS 14
#define KEEP_DAYS 365
#define HANDLING "use in the case named in the request only; no onward sharing " \
	"without our consent; keep at most 365 days"

struct in_job {
	struct node *node;
	char peer[TN_NAME_LEN];
	struct tn_trace_in tr;
	char decision[TN_KIND_LEN];   /* auto, review, deny, over_limit */
	char reason[TN_TEXT_LEN];
	int duplicate;
};

static void in_job_free(struct in_job *j)
{
	proto_release(&proto_trace_in_schema, &j->tr);
	free(j);
}

/* Fill r->chain and the fields derived from it from record rec. */
static void fill_chain(struct tn_trace_result *r, const struct tn_record *rec,
		       const struct peer *p, const char *recovered_on)
{
	int party = policy_discloses(p, "party"), place = policy_discloses(p, "place");
	int ref = policy_discloses(p, "ref");

	r->n_chain = rec->n_events;
	if (rec->n_events)           /* no chain: r->chain stays NULL */
		memcpy(r->chain, rec->events, rec->n_events * sizeof(*r->chain));
	r->time_to_crime_days = -1;
	for (uint32_t i = 0; i < r->n_chain; i++) {
		struct tn_event *e = &r->chain[i];

		if (!party)
			e->party[0] = '\0';
		if (!place)
			e->place[0] = '\0';
		if (!ref)
			e->ref[0] = '\0';
		if (!strcmp(e->kind, "sold") && !r->first_retail.kind[0]) {
			r->first_retail = *e;
			r->time_to_crime_days = proto_date_diff(e->date, recovered_on);
		}
		if (!strcmp(e->kind, "destroyed"))
			proto_strcpy(r->status, sizeof(r->status), "destroyed_on_record");
	}
	if (r->n_chain && !strcmp(r->chain[r->n_chain - 1].kind, "exported")) {
		const struct tn_event *x = &r->chain[r->n_chain - 1];

		memcpy(r->export_to, x->country, sizeof(r->export_to));
		memcpy(r->export_date, x->date, sizeof(r->export_date));
		memcpy(r->export_ref, x->ref, sizeof(r->export_ref));
	}
	if (r->time_to_crime_days == INT32_MIN)
		r->time_to_crime_days = -1;
}

struct pick {
	const char *model;
	struct tn_record rec;
	int found;
};

static int pick_record(void *arg, const struct tn_record *rec)
{
	struct pick *pk = arg;
	int better = !pk->found || (pk->model[0] && !strcasecmp(rec->model, pk->model));

	if (!better)
		return 0;
	proto_release(&proto_record_schema, &pk->rec);
	pk->found = proto_copy(&proto_record_schema, &pk->rec, rec) == 0;
	return 0;
}

/* The fields every result to in carries, whatever its status. */
static void result_head(struct tn_trace_result *r, const struct tn_trace_in *in)
{
	memset(r, 0, sizeof(*r));
	r->ref = in->req.ref;
	memcpy(r->request_digest, in->digest, TN_HASH_LEN);
	r->time_to_crime_days = -1;
}

/* The status and reason when no record answers the request. */
static void none(struct tn_trace_result *r, const struct tn_firearm *f, const char *why)
{
	if (f->serial_obliterated || !f->serial[0]) {
		proto_strcpy(r->status, sizeof(r->status), "unmarked_or_obliterated");
		snprintf(r->reason, sizeof(r->reason), "a trace needs a legible serial number%s%s",
			 why ? ": " : "", why ? why : "");
	} else {
		proto_strcpy(r->status, sizeof(r->status), "no_record");
		if (why)
			proto_strcpy(r->reason, sizeof(r->reason), why);
	}
}

/* A serial we hold no exact record of, read partly or marked obliterated:
 * the candidates, if p's policy offers them and its daily limit has room
 * for a fuzzy lookup (the request took one unit already). */
static int possible_matches(struct store_txn *t, const struct peer *p,
			    const struct tn_firearm *f, struct tn_trace_result *r)
{
	struct tn_cand_list l;
	struct match_query q;
	int rc;

	if (!f->serial[0] || !policy_candidates(p))
		return 0;
	if (match_query_init(&q, f->make, f->serial, f->model, f->caliber, f->type, true))
		return 0;
	if ((rc = policy_take(t, p, TN_FUZZY_UNITS - 1)) == TN_ERR_LIMIT) {
		none(r, f, "no exact record; the daily limit leaves no room for a search of "
		     "candidates");
		return 0;
	}
	if (!rc && !(rc = candidates_find(t, &q, TN_CANDIDATES_SENT, &l))) {
		r->candidates = l.candidates;
		r->n_cand = l.n;
		r->more_candidates = l.more;
	}
	if (rc == TN_ERR_LIMIT) {
		none(r, f, "too many unreadable characters to search for candidates");
		return 0;
	}
	if (rc || !r->n_cand)
		return rc;   /* (a candidate's id and exact flag are not in the wire schema) */
	proto_strcpy(r->status, sizeof(r->status), "possible_matches");
	snprintf(r->reason, sizeof(r->reason), "no exact record: confirm one candidate and trace "
		 "its serial");
	return 0;
}

/* Our answer to request req from peer p, from the records in t. */
int trace_answer(struct store_txn *t, const struct peer *p, const struct tn_trace_in *in,
		 struct tn_trace_result *r)
{
	const struct tn_firearm *f = &in->req.firearm;
	struct pick pk = { .model = f->model };
	int rc = 0;

	result_head(r, in);
	proto_strcpy(r->handling, sizeof(r->handling), HANDLING);
	r->keep_days = KEEP_DAYS;
	if (!f->serial_obliterated && !strchr(f->serial, MATCH_UNREAD_CHAR))
		rc = store_record_find(t, f->make, f->serial, pick_record, &pk);
	if (rc < 0 && rc != TN_ERR_INVALID)
		return rc;
	if (!pk.found) {
		none(r, f, NULL);
		proto_release(&proto_record_schema, &pk.rec);
		return possible_matches(t, p, f, r);
	}
	proto_strcpy(r->status, sizeof(r->status), "completed");
	if (pk.rec.n_events && !(r->chain = calloc(pk.rec.n_events, sizeof(*r->chain)))) {
		proto_release(&proto_record_schema, &pk.rec);
		return TN_ERR_NOMEM;
	}
	fill_chain(r, &pk.rec, p, in->req.recovered_on);
	if (strcmp(r->status, "destroyed_on_record") == 0)
		snprintf(r->reason, sizeof(r->reason), "the record says this firearm was destroyed: "
			 "possible diversion");
	else if (!policy_discloses(p, "party") || !policy_discloses(p, "place") ||
		 !policy_discloses(p, "ref"))
		proto_strcpy(r->status, sizeof(r->status), "partial");
	proto_release(&proto_record_schema, &pk.rec);
	return 0;
}

/* Queue a message of ours about a peer's trace (ack or result), under a
 * fresh id written into its mid. */
static int queue(struct store_txn *t, const char *peer, enum wire_type type, void *msg,
		 uint8_t mid[TN_MID_LEN])
{
	outbox_new_mid(mid);
	return outbox_queue(t, peer, type, mid, msg);
}

/* Inside a batch op: answer trace in (auto, approve) or decline it. */
int trace_respond(struct store_txn *t, struct peer *p, struct tn_trace_in *in,
		  const char *declined_why)
{
	struct tn_trace_result r;
	int rc;

	if (declined_why) {
		result_head(&r, in);
		proto_strcpy(r.status, sizeof(r.status), "declined");
		proto_strcpy(r.reason, sizeof(r.reason), declined_why);
	} else if ((rc = trace_answer(t, p, in, &r))) {
		return rc;
	}
	rc = queue(t, in->peer, WIRE_TRACE_RESULT, &r, r.mid);
	p->node->counts.traces_answered += rc == 0;
	snprintf(in->status, sizeof(in->status), declined_why ? "declined" : "answered");
	memcpy(in->result_status, r.status, sizeof(in->result_status));
	in->answered_ms = node_now_ms();
	if (!rc)
		rc = store_trace_in_put(t, in);
	if (!rc)
		rc = node_audit(t, in->peer, "out", "trace_result", "", r.status,
				declined_why ? declined_why : in->req.case_ref);
	proto_release(&proto_trace_result_schema, &r);
	return rc;
}

/* Under p's policy: answer (auto), review, or decline with a reason. */
static int decide(struct store_txn *t, struct in_job *j, const struct peer *p)
{
	const char *how = policy_traces(p);
	int rc;

	if (!strcmp(how, "deny")) {
		proto_strcpy(j->decision, sizeof(j->decision), "deny");
		snprintf(j->reason, sizeof(j->reason), "this node does not answer trace requests "
			 "from %s", p->rec.name);
	} else if ((rc = policy_take(t, p, 1)) == TN_ERR_LIMIT) {
		proto_strcpy(j->decision, sizeof(j->decision), "over_limit");
		proto_strcpy(j->reason, sizeof(j->reason), "daily limit of trace requests reached");
	} else if (rc) {
		return rc;
	} else {
		proto_strcpy(j->decision, sizeof(j->decision), how);
	}
	return 0;
}

/* A request under a reference the peer used before: the same request sent
 * again (acknowledged again, nothing else), or another one (its store was
 * restored from an older copy, or it is confused): answered "conflict",
 * the first one kept. */
static int same_or_conflict(struct store_txn *t, struct in_job *j)
{
	struct tn_trace_in old;
	struct tn_trace_result r;
	int rc;

	if ((rc = store_trace_in_get(t, j->tr.id, &old)))
		return rc;
	j->duplicate = !memcmp(old.digest, j->tr.digest, TN_HASH_LEN);
	proto_release(&proto_trace_in_schema, &old);
	if (j->duplicate)
		return 0;
	result_head(&r, &j->tr);
	proto_strcpy(r.status, sizeof(r.status), "conflict");
	snprintf(r.reason, sizeof(r.reason), "reference %llu came with another request before: "
		 "was your node restored from a backup? Send the request again",
		 (unsigned long long)j->tr.req.ref);
	rc = queue(t, j->peer, WIRE_TRACE_RESULT, &r, r.mid);
	if (!rc)
		rc = node_audit(t, j->peer, "in", "trace_request", j->tr.req.case_ref, "conflict",
				"a reference used before by another request");
	return rc;
}

static int in_op(struct store_txn *t, void *arg)
{
	struct in_job *j = arg;
	struct peer *p = peer_by_name(j->node, j->peer);
	struct tn_trace_ack ack = { .ref = j->tr.req.ref };
	int rc;

	j->tr.id = 0;
	j->duplicate = 0;
	proto_strcpy(j->tr.status, sizeof(j->tr.status), "in_review");
	if ((rc = store_trace_in_put(t, &j->tr)) == TN_ERR_EXISTS)
		return same_or_conflict(t, j);
	if (rc || !p)
		return rc ? rc : TN_ERR_UNKNOWN_PEER;
	if ((rc = decide(t, j, p)))
		return rc;
	rc = node_audit(t, j->peer, "in", "trace_request", j->tr.req.case_ref, j->decision,
			j->tr.req.crime);
	if (rc || !strcmp(j->decision, "review")) {
		proto_strcpy(ack.status, sizeof(ack.status), "in_review");
		node_date_in(ack.deadline, j->tr.req.urgent ? 2 : REVIEW_DAYS);
		memcpy(j->tr.deadline, ack.deadline, sizeof(j->tr.deadline));
		if (!rc)
			rc = store_trace_in_put(t, &j->tr);
		return rc ? rc : queue(t, j->peer, WIRE_TRACE_ACK, &ack, ack.mid);
	}
	proto_strcpy(ack.status, sizeof(ack.status), "received");
	node_date_in(ack.deadline, 0);
	memcpy(j->tr.deadline, ack.deadline, sizeof(j->tr.deadline));
	rc = queue(t, j->peer, WIRE_TRACE_ACK, &ack, ack.mid);
	if (!rc)
		rc = trace_respond(t, p, &j->tr, strcmp(j->decision, "auto") ? j->reason : NULL);
	return rc;
}

static void in_done(void *arg, int rc)
{
	struct in_job *j = arg;
	struct peer *p = peer_by_name(j->node, j->peer);

	if (rc)
		node_log("error", "%s: cannot store %s's trace request: %s", j->node->cfg.name,
			 j->peer, tn_strerror(rc));
	else if (!j->duplicate)
		j->node->counts.traces_received++;
	if (!rc && p && !outbox_ack(p, j->tr.req.mid))
		outbox_flush(p);
	in_job_free(j);
}

static void on_request(struct peer *p, struct env_msg *m)
{
	struct in_job *j = calloc(1, sizeof(*j));

	if (!j)
		return;
	j->node = p->node;
	memcpy(j->peer, p->rec.name, sizeof(j->peer));
	memcpy(j->tr.peer, p->rec.name, sizeof(j->tr.peer));
	env_take(m, &j->tr.req);
	j->tr.received_ms = node_now_ms();
	cx_hash_for(CX_REQUEST, m->s->m, m->s->n_m, j->tr.digest);
	if (env_receipt(p, m, &j->tr.receipt, &j->tr.n_receipt)) {
		in_job_free(j);
		return;
	}
	batch_add(p->node, in_op, in_done, j);
}

const struct svc_handler trace_in_handlers[] = {
	{ WIRE_TRACE_REQUEST, on_request },
	{ WIRE_COUNT, NULL },
};
