/* SPDX-License-Identifier: Apache-2.0 */
/* Console commands on the audit log: `audit` lists entries (newest last),
 * `audit.verify` recomputes the hash chain. */
#include <stdlib.h>
#include <string.h>

#include "cmd.h"

#define AUDIT_LIMIT_DEFAULT 1000

/* The newest cap matching entries, in a ring; with from_seq the first cap
 * from there on instead. */
struct collect {
	struct tn_audit *ring;
	uint32_t cap;
	uint64_t seen;          /* entries kept, ever */
	uint64_t since_ms;
	int forward;
};

static int collect(void *arg, const struct tn_audit *a)
{
	struct collect *c = arg;

	if (a->ts < c->since_ms)
		return 0;
	if (c->forward && c->seen == c->cap)
		return 1;
	c->ring[c->seen++ % c->cap] = *a;
	return 0;
}

/* Unroll the ring, oldest first, into l. */
static int to_list(struct collect *c, struct tn_audit_list *l)
{
	uint32_t n = c->seen < c->cap ? (uint32_t)c->seen : c->cap;
	uint32_t start = c->seen <= c->cap ? 0 : (uint32_t)(c->seen % c->cap);

	l->n = n;
	if (!n)
		return 0;
	if (!(l->entries = malloc(n * sizeof(*l->entries))))
		return TN_ERR_NOMEM;
	memcpy(l->entries, c->ring + start, (n - start) * sizeof(*l->entries));
	memcpy(l->entries + (n - start), c->ring, start * sizeof(*l->entries));
	return 0;
}

static int audit_list(struct console_req *r, void *args)
{
	const struct tn_audit_arg *a = args;
	struct tn_audit_list l = { 0 };
	struct collect c = { 0 };
	struct store_txn *t;
	int rc;

	c.cap = a->limit ? (a->limit < TN_BATCH_MAX ? a->limit : TN_BATCH_MAX)
			 : AUDIT_LIMIT_DEFAULT;
	c.since_ms = a->since_ms;
	c.forward = a->from_seq != 0;
	if (!(c.ring = calloc(c.cap, sizeof(*c.ring))))
		return TN_ERR_NOMEM;
	if ((rc = store_read_begin(console_node(r)->store, &t)) == 0) {
		rc = store_audit_each(t, a->from_seq, collect, &c);
		store_read_end(t);
	}
	if (rc == TN_ERR_STORE)
		console_fail(r, rc, "an audit entry does not decode: run audit --verify");
	else if (rc >= 0 && !(rc = to_list(&c, &l)))
		console_ok(r, &proto_audit_list_schema, &l);
	free(l.entries);
	free(c.ring);
	return rc < 0 && rc != TN_ERR_STORE ? rc : 0;
}

static int audit_verify(struct console_req *r, void *args)
{
	struct tn_audit_verify v;
	struct store_txn *t;
	int rc;

	(void)args;
	if ((rc = store_read_begin(console_node(r)->store, &t)))
		return rc;
	rc = audit_chain_verify(console_node(r), t, &v);
	store_read_end(t);
	if (rc)
		return rc;
	console_ok(r, &proto_audit_verify_schema, &v);
	return 0;
}

const struct cmd_handler cmd_audit_table[] = {
	{ CMD_AUDIT, audit_list },
	{ CMD_AUDIT_VERIFY, audit_verify },
	{ CMD_COUNT, NULL },
};
