/* SPDX-License-Identifier: Apache-2.0 */
/* Verifying the audit log: the hash chain from its anchor (whose signature
 * must be ours), and the Merkle root recomputed from the entries at each
 * of our signed checkpoints and at each checkpoint a witness holds. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "svc.h"

/* Every root the walk must meet: our checkpoints, then the witnesses'. */
struct roots {
	struct store_root_check *c;
	uint32_t n, cap;
	const uint8_t *pk;
	uint64_t forged;            /* our first checkpoint not signed by us */
	uint32_t ours;              /* the first ours entries are our checkpoints */
};

static int add(struct roots *r, const struct tn_checkpoint *cp)
{
	if (proto_grow((void **)&r->c, r->n, &r->cap, sizeof(*r->c)))
		return TN_ERR_NOMEM;
	r->c[r->n].size = cp->size;
	memcpy(r->c[r->n].root, cp->root, TN_HASH_LEN);
	r->c[r->n++].result = 0;
	return 0;
}

/* One of our checkpoints: signed by us, or the log is not what we said. */
static int add_ours(void *arg, const struct tn_checkpoint *cp)
{
	struct roots *r = arg;

	if (!r->forged && cx_checkpoint_verify(r->pk, cp))
		r->forged = cp->size;
	return add(r, cp);
}

static int by_size(const void *a, const void *b)
{
	const struct store_root_check *x = *(struct store_root_check *const *)a;
	const struct store_root_check *y = *(struct store_root_check *const *)b;

	return (x->size > y->size) - (x->size < y->size);
}

/* The walk takes the checks sorted by size; ours keep their order. */
static int walk(struct store_txn *t, struct roots *r, struct tn_audit_verify *v)
{
	struct store_root_check **order = malloc((r->n ? r->n : 1) * sizeof(*order));
	struct store_root_check *sorted = malloc((r->n ? r->n : 1) * sizeof(*sorted));
	int rc = TN_ERR_NOMEM;

	if (order && sorted) {
		for (uint32_t i = 0; i < r->n; i++)
			order[i] = &r->c[i];
		qsort(order, r->n, sizeof(*order), by_size);
		for (uint32_t i = 0; i < r->n; i++)
			sorted[i] = *order[i];
		rc = store_audit_verify_roots(t, node_audit_hash, v, sorted, r->n);
		for (uint32_t i = 0; i < r->n; i++)
			order[i]->result = sorted[i].result;
	}
	free(order);
	free(sorted);
	return rc;
}

/* Our own checkpoint that the entries no longer give. */
static void ours_broken(struct tn_audit_verify *v, const struct store_root_check *c)
{
	unsigned long long size = c->size;

	if (v->first_bad)
		return;
	v->first_bad = size;
	if (c->result == TN_ERR_NOT_FOUND)
		snprintf(v->error, sizeof(v->error), "the log ends before our checkpoint %llu "
			 "(entries removed from the end, or an older copy restored)", size);
	else
		snprintf(v->error, sizeof(v->error), "our checkpoint %llu is not in the log "
			 "(entries rewritten after it was signed)", size);
}

/* An anchor whose signature is not ours makes the whole log unproven:
 * that is what verify reports, whatever the walk found after it. */
static int check_anchor(const struct node *n, struct store_txn *t, struct tn_audit_verify *v)
{
	struct tn_audit_anchor a;
	int rc;

	if (store_audit_anchor_get(t, &a) || !(rc = cx_anchor_verify(cx_id_pk(n->id), &a)))
		return 0;
	if (rc != TN_ERR_BAD_SIG)
		return rc;
	v->entries = 0;
	v->from_seq = v->first_bad = a.seq ? a.seq : 1;
	proto_strcpy(v->error, sizeof(v->error), "anchor: signature does not verify (forged or damaged)");
	return 0;
}

int audit_chain_verify_at(const struct node *n, struct store_txn *t, struct tn_audit_verify *v,
			  struct audit_check *checks, size_t count)
{
	struct roots r = { .pk = cx_id_pk(n->id) };
	int rc;

	if ((rc = store_checkpoint_each(t, add_ours, &r)))
		goto out;
	r.ours = r.n;
	for (size_t i = 0; i < count && !rc; i++)
		rc = add(&r, &checks[i].cp);
	if (rc || (rc = walk(t, &r, v)) || (rc = check_anchor(n, t, v)))
		goto out;
	if (r.forged && !v->first_bad) {
		v->first_bad = r.forged;
		snprintf(v->error, sizeof(v->error), "checkpoint %llu: signature does not verify "
			 "(forged or damaged)", (unsigned long long)r.forged);
	}
	for (uint32_t i = 0; i < r.ours; i++)
		if (r.c[i].result)
			ours_broken(v, &r.c[i]);
	for (size_t i = 0; i < count; i++)
		checks[i].result = r.c[r.ours + i].result;
out:
	free(r.c);
	return rc;
}
