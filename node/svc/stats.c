/* SPDX-License-Identifier: Apache-2.0 */
/* The store walk behind `stats`: our traces, peers' traces, alerts and the
 * audit log, read in one transaction and added up by proto_stats_*. Uses
 * no loop state, so it may run on a worker thread. */
#include <string.h>

#include "svc.h"

struct walk {
	struct store_txn *t;
	struct tn_stats_acc *acc;
};

static int on_trace(void *arg, const struct tn_trace *tr)
{
	struct walk *w = arg;
	struct tn_trace old;
	char from[TN_NAME_LEN] = "";
	int rc;

	if (tr->req.follows && store_trace_get(w->t, TN_REF_ID(tr->req.follows), &old) == 0) {
		memcpy(from, old.peer, sizeof(from));
		proto_release(&proto_trace_schema, &old);
	}
	rc = proto_stats_trace(w->acc, tr, from);
	return rc < 0 ? rc : 0;
}

static int on_trace_in(void *arg, const struct tn_trace_in *tr)
{
	struct walk *w = arg;

	return proto_stats_trace_in(w->acc, tr);
}

static int on_alert(void *arg, const struct tn_alert *a)
{
	struct walk *w = arg;

	return proto_stats_alert(w->acc, a);
}

static int on_audit(void *arg, const struct tn_audit *a)
{
	struct walk *w = arg;

	return proto_stats_audit(w->acc, a);
}

static int walk_all(struct walk *w)
{
	int rc;

	if ((rc = store_trace_each(w->t, on_trace, w)) < 0 ||
	    (rc = store_trace_in_each(w->t, on_trace_in, w)) < 0 ||
	    (rc = store_alert_each(w->t, UINT32_MAX, on_alert, w)) < 0 ||
	    (rc = store_audit_each(w->t, 0, on_audit, w)) < 0)
		return rc;
	return 0;
}

int stats_collect(struct store *s, const char *node, const struct tn_stats_arg *a,
		  uint64_t now_ms, struct tn_stats *out)
{
	struct walk w = { 0 };
	int rc;

	memset(out, 0, sizeof(*out));
	if ((rc = proto_stats_begin(&w.acc, a, now_ms)))
		return rc;
	if ((rc = store_read_begin(s, &w.t)) == 0) {
		rc = walk_all(&w);
		store_read_end(w.t);
	}
	if (rc) {
		proto_stats_free(w.acc);
		return rc;
	}
	return proto_stats_end(w.acc, node, out);
}
