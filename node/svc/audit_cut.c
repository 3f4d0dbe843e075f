/* SPDX-License-Identifier: Apache-2.0 */
/* Retention of the audit log: entries older than the configured period
 * are deleted from the front, a signed anchor is left where the log now
 * starts so that the rest still verifies, and the deletion is audited. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "svc.h"


/* "2024-11-30T10:00:00Z" */
static void utc_text(char *out, size_t cap, uint64_t ms)
{
	time_t s = (time_t)(ms / 1000);
	struct tm tm;

	if (!gmtime_r(&s, &tm) || !strftime(out, cap, "%Y-%m-%dT%H:%M:%SZ", &tm))
		snprintf(out, cap, "%llu ms", (unsigned long long)ms);
}

void audit_cut_init(struct audit_cut *c, struct node *n)
{
	uint64_t keep = n->cfg.audit_keep_ms;

	memset(c, 0, sizeof(*c));
	c->node = n;
	c->now = node_now_ms();
	/* On a whole second, so that the audited "older than" is exact. */
	if (keep && keep != UINT64_MAX && keep < c->now)
		c->before_ms = (c->now - keep) / 1000 * 1000;
	utc_text(c->before_text, sizeof(c->before_text), c->before_ms);
}

/* Runs again from scratch when its batch does: c->res is set anew, and
 * nothing outside the transaction changes. */
int audit_cut_op(struct store_txn *t, void *arg)
{
	struct audit_cut *c = arg;
	struct store_audit_cut *r = &c->res;
	struct tn_audit_anchor a = { .cut_ms = c->before_ms, .made_ms = c->now };
	uint8_t last[TN_HASH_LEN];
	uint64_t size, head;
	int rc;

	/* The tree keeps what the cut deletes: proofs to witnesses still
	 * reach back to entry 1. */
	rc = store_audit_head(t, &head, last);
	if (!rc)
		rc = store_tree_extend(t, node_audit_hash, head, 0, &size);
	if (!rc)
		rc = store_audit_cut(t, node_audit_hash, c->before_ms, AUDIT_CUT_MAX, r);
	if (rc || !r->deleted)
		return rc;
	a.seq = r->first_kept;
	memcpy(a.prev, r->prev, TN_HASH_LEN);
	if ((rc = cx_anchor_sign(c->node->id, &a)) || (rc = store_audit_anchor_put(t, &a)))
		return rc;
	return node_audit_local(t, "audit.retain", 0, "deleted entries %llu-%llu older than %s",
				(unsigned long long)(r->first_kept - r->deleted),
				(unsigned long long)(r->first_kept - 1), c->before_text);
}

int audit_cut_done(const struct audit_cut *c, int rc)
{
	const struct store_audit_cut *r = &c->res;

	if (rc) {
		node_log("error", "audit retention failed: %s", tn_strerror(rc));
		return 0;
	}
	if (r->check.first_bad)
		node_log("warn", "audit retention stopped at entry %llu: %s (run audit --verify)",
			 (unsigned long long)r->check.first_bad, r->check.error);
	if (r->deleted)
		node_log("info", "audit retention: deleted %llu entries older than %s; "
			 "the log now starts at entry %llu", (unsigned long long)r->deleted,
			 c->before_text, (unsigned long long)r->first_kept);
	return r->deleted == AUDIT_CUT_MAX && !r->check.first_bad;
}

static void cut_done(void *arg, int rc)
{
	struct audit_cut *c = arg;

	if (audit_cut_done(c, rc) && c->more)
		c->more(c->node);
	free(c);
}

void audit_cut_start(struct node *n, void (*more)(struct node *n))
{
	struct audit_cut *c = malloc(sizeof(*c));

	if (!c) {
		node_log("error", "audit retention: %s", tn_strerror(TN_ERR_NOMEM));
		return;
	}
	audit_cut_init(c, n);
	c->more = more;
	batch_add(n, audit_cut_op, cut_done, c);
}
