/* SPDX-License-Identifier: Apache-2.0 */
/* Signed audit documents: the hash of an audit entry, the node's signature
 * of an audit export, its checkpoints and retention anchors, a witness's
 * cosignature, and the checks anyone holding an export can make offline
 * (signatures, every entry's hash, order and links). */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "cx_int.h"
#include "../proto/proto.h"

static int is_zero(const void *p, size_t n)
{
	const uint8_t *b = p;

	for (size_t i = 0; i < n; i++)
		if (b[i])
			return 0;
	return 1;
}

int cx_audit_hash(const struct tn_audit *a, uint8_t out[static 32])
{
	struct proto_buf b = { 0 };
	int rc;

	if (!(rc = proto_buf_add(&b, a->prev, TN_HASH_LEN)) &&
	    !(rc = proto_encode(&proto_audit_body_schema, a, &b)))
		cx_hash(b.data, b.len, out);
	proto_buf_free(&b);
	return rc;
}

/* Sign (id not NULL) or verify (by pk) the msgpack of obj's body. */
static int body_sig(const struct proto_schema *body, const void *obj, enum cx_purpose p,
		    const struct cx_id *id, const uint8_t pk[static CX_PK_LEN],
		    uint8_t sig[static CX_SIG_LEN])
{
	struct proto_buf b = { 0 };
	struct cx_part part;
	int rc;

	if (!(rc = proto_encode(body, obj, &b))) {
		part = (struct cx_part){ b.data, b.len };
		rc = id ? cx_sign_for(id, p, &part, 1, sig) : cx_verify_for(pk, p, &part, 1, sig);
	}
	proto_buf_free(&b);
	return rc;
}

int cx_export_sign(const struct cx_id *id, struct tn_audit_export *x)
{
	return body_sig(&proto_audit_export_body_schema, x, CX_EXPORT, id, x->key, x->sig);
}

int cx_checkpoint_sign(const struct cx_id *id, struct tn_checkpoint *cp)
{
	return body_sig(&proto_checkpoint_body_schema, cp, CX_CHECKPOINT, id, cx_id_pk(id),
			cp->sig);
}

int cx_checkpoint_verify(const uint8_t pk[static CX_PK_LEN], const struct tn_checkpoint *cp)
{
	uint8_t sig[CX_SIG_LEN];

	memcpy(sig, cp->sig, sizeof(sig));
	return body_sig(&proto_checkpoint_body_schema, cp, CX_CHECKPOINT, NULL, pk, sig);
}

int cx_cosign(const struct cx_id *id, const struct tn_checkpoint *cp,
	      uint8_t sig[static CX_SIG_LEN])
{
	return body_sig(&proto_checkpoint_body_schema, cp, CX_COSIGN, id, cx_id_pk(id), sig);
}

int cx_cosign_verify(const uint8_t pk[static CX_PK_LEN], const struct tn_checkpoint *cp,
		     const uint8_t sig[static CX_SIG_LEN])
{
	uint8_t copy[CX_SIG_LEN];

	memcpy(copy, sig, sizeof(copy));
	return body_sig(&proto_checkpoint_body_schema, cp, CX_COSIGN, NULL, pk, copy);
}

int cx_anchor_sign(const struct cx_id *id, struct tn_audit_anchor *a)
{
	return body_sig(&proto_audit_anchor_body_schema, a, CX_ANCHOR, id, cx_id_pk(id), a->sig);
}

int cx_anchor_verify(const uint8_t pk[static CX_PK_LEN], const struct tn_audit_anchor *a)
{
	uint8_t sig[CX_SIG_LEN];

	memcpy(sig, a->sig, sizeof(sig));
	return body_sig(&proto_audit_anchor_body_schema, a, CX_ANCHOR, NULL, pk, sig);
}

/* A walk over an export's entries, counting the problems it reports. */
struct check {
	const struct tn_audit_export *x;
	cx_export_problem_fn fn;
	void *arg;
	int problems;
	int anchored;               /* the export has an anchor */
};

__attribute__((format(printf, 3, 4)))
static void problem(struct check *c, uint64_t seq, const char *fmt, ...)
{
	char what[TN_TEXT_LEN];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	c->problems++;
	c->fn(c->arg, seq, what);
}

/* The signatures of the export and of its anchor, both by x->key. */
static int check_sigs(struct check *c)
{
	const struct tn_audit_export *x = c->x;
	uint8_t sig[CX_SIG_LEN];
	int rc;

	memcpy(sig, x->sig, sizeof(sig));
	rc = body_sig(&proto_audit_export_body_schema, x, CX_EXPORT, NULL, x->key, sig);
	if (rc == TN_ERR_BAD_SIG)
		problem(c, 0, "export signature does not verify");
	else if (rc)
		return rc;
	if (!c->anchored)
		return 0;
	if ((rc = cx_anchor_verify(x->key, &x->anchor)) == TN_ERR_BAD_SIG)
		problem(c, 0, "anchor signature does not verify");
	return rc == TN_ERR_BAD_SIG ? 0 : rc;
}

/* Where entry a sits: after the one before it, after the anchor, before
 * the head. */
static void check_place(struct check *c, const struct tn_audit *a, const struct tn_audit *before)
{
	const struct tn_audit_export *x = c->x;
	unsigned long long s = a->seq;

	if (!s)
		problem(c, s, "entry 0: no such entry (the log starts at entry 1)");
	if (before && s <= before->seq)
		problem(c, s, "entry %llu: out of order (after entry %llu)", s,
			(unsigned long long)before->seq);
	if (c->anchored && s < x->anchor.seq)
		problem(c, s, "entry %llu: before the anchor (the log starts at entry %llu)", s,
			(unsigned long long)x->anchor.seq);
	if (s > x->head_seq)
		problem(c, s, "entry %llu: after the head (entry %llu)", s,
			(unsigned long long)x->head_seq);
}

/* The hash a links to, when the export shows what it must be. */
static void check_link(struct check *c, const struct tn_audit *a, const struct tn_audit *before)
{
	static const uint8_t start[TN_HASH_LEN];
	const struct tn_audit_export *x = c->x;
	unsigned long long s = a->seq;

	if (before && s == before->seq + 1) {
		if (memcmp(a->prev, before->hash, TN_HASH_LEN))
			problem(c, s, "entry %llu: link to the previous entry broken", s);
	} else if (c->anchored && s == x->anchor.seq) {
		if (memcmp(a->prev, x->anchor.prev, TN_HASH_LEN))
			problem(c, s, "entry %llu: does not link to the anchor", s);
	} else if (s == 1 && memcmp(a->prev, start, TN_HASH_LEN)) {
		problem(c, s, "entry 1: does not start the chain (its link is not zero)");
	}
}

static int check_entry(struct check *c, const struct tn_audit *a, const struct tn_audit *before)
{
	const struct tn_audit_export *x = c->x;
	unsigned long long s = a->seq;
	uint8_t h[TN_HASH_LEN];
	int rc;

	check_place(c, a, before);
	if ((rc = cx_audit_hash(a, h)))
		return rc;
	if (memcmp(h, a->hash, TN_HASH_LEN))
		problem(c, s, "entry %llu: hash mismatch (edited)", s);
	check_link(c, a, before);
	if (s == x->head_seq && memcmp(a->hash, x->head_hash, TN_HASH_LEN))
		problem(c, s, "entry %llu: does not match the head (rewritten)", s);
	return 0;
}

int cx_export_check(const struct tn_audit_export *x, cx_export_problem_fn fn, void *arg)
{
	struct check c = { .x = x, .fn = fn, .arg = arg };
	int rc;

	c.anchored = !is_zero(&x->anchor, sizeof(x->anchor));
	if ((rc = check_sigs(&c)))
		return rc;
	for (uint32_t i = 0; i < x->n; i++)
		if ((rc = check_entry(&c, &x->entries[i], i ? &x->entries[i - 1] : NULL)))
			return rc;
	return c.problems;
}
