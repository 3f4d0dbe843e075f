/* SPDX-License-Identifier: Apache-2.0 */
/* The answering country's handling rules, enforced here: a trace result
 * is purged (content and receipt) once its keep_days have passed, checked
 * at start and every hour (`trace show` audits every view of one); the
 * audit log's old entries go at the same times (audit_cut.c). */
#include <stdlib.h>
#include <string.h>

#include "svc.h"

#define PURGE_EVERY_MS (3600 * 1000)

static int expired(const struct tn_trace *tr, uint64_t now)
{
	return trace_has_result(tr) && tr->result.keep_days &&
	       tr->updated_ms + (uint64_t)tr->result.keep_days * 86400000 < now;
}

struct purge {
	uint64_t now;
	uint64_t *ids;
	uint32_t n, cap;
};

static int note(void *arg, const struct tn_trace *tr)
{
	struct purge *pu = arg;

	if (!expired(tr, pu->now))
		return 0;
	if (proto_grow((void **)&pu->ids, pu->n, &pu->cap, sizeof(*pu->ids)))
		return TN_ERR_NOMEM;
	pu->ids[pu->n++] = tr->id;
	return 0;
}

static int purge_one(struct store_txn *t, uint64_t id, uint64_t now)
{
	struct tn_trace tr;
	char days[32];
	int rc = store_trace_get(t, id, &tr);

	if (rc)
		return rc;
	snprintf(days, sizeof(days), "after %u days", tr.result.keep_days);
	proto_release(&proto_trace_result_schema, &tr.result);
	proto_blob_free(&tr.receipt, &tr.n_receipt);
	proto_strcpy(tr.status, sizeof(tr.status), "purged");
	tr.updated_ms = now;
	rc = store_trace_put(t, &tr);
	if (!rc)
		rc = node_audit(t, tr.peer, "local", "trace.purge", tr.req.case_ref, "purged", days);
	proto_release(&proto_trace_schema, &tr);
	return rc;
}

static int purge_op(struct store_txn *t, void *arg)
{
	struct purge *pu = arg;
	int rc;

	pu->n = 0;
	if ((rc = store_trace_each(t, note, pu)))
		return rc;
	for (uint32_t i = 0; i < pu->n && !rc; i++)
		rc = purge_one(t, pu->ids[i], pu->now);
	return rc;
}

static void purged(void *arg, int rc)
{
	struct purge *pu = arg;

	if (rc)
		node_log("error", "purge of expired trace results failed: %s", tn_strerror(rc));
	else if (pu->n)
		node_log("info", "purged %u trace result(s) past their retention", pu->n);
	free(pu->ids);
	free(pu);
}

static void on_purge(uv_timer_t *t)
{
	struct node *n = t->data;
	struct purge *pu = calloc(1, sizeof(*pu));

	audit_cut_start(n, retention_soon);
	if (!pu)
		return;
	pu->now = node_now_ms();
	batch_add(n, purge_op, purged, pu);
}

void retention_soon(struct node *n)
{
	if (!n->stopping)
		uv_timer_start(&n->purge, on_purge, 0, PURGE_EVERY_MS);
}

void retention_start(struct node *n)
{
	uv_timer_start(&n->purge, on_purge, 0, PURGE_EVERY_MS);
}
