/* SPDX-License-Identifier: Apache-2.0 */
/* Schema objects read straight from msgpack bytes that proto__scan
 * passed: one walk, no tree of objects, nothing allocated but the
 * object's own arrays, blobs and held sub-objects. It takes every form
 * msgpack-c's unpacker takes and gives each the same type, so a message
 * is accepted or refused (with the same reason) as before. */
#include <stdbool.h>
#include <stdlib.h>

#include "proto_int.h"

#define FIELD(base, f) ((char *)(base) + (f)->off)

enum kind { K_NIL, K_BOOL, K_POS, K_NEG, K_FLOAT, K_STR, K_BIN, K_EXT, K_ARR, K_MAP };

/* One value's head: scalars, strings and binaries are whole; after an
 * array or a map the reader sits on its first element. */
struct val {
	enum kind k;
	uint64_t u;              /* integer bits, boolean, size, or element count */
	const uint8_t *ptr;      /* a string's or binary's bytes */
};

static int need(const struct proto_rd *r, size_t n)
{
	return n <= r->len - r->off ? 0 : TN_ERR_DECODE;
}

static int take(struct proto_rd *r, int n, uint64_t *v)
{
	if (need(r, (size_t)n))
		return TN_ERR_DECODE;
	*v = proto__be(r->p + r->off, n);
	r->off += (size_t)n;
	return 0;
}

static int body(struct proto_rd *r, struct val *v, enum kind k, int n)
{
	if (take(r, n, &v->u) || need(r, v->u))
		return TN_ERR_DECODE;
	v->k = k;
	v->ptr = r->p + r->off;
	r->off += v->u;
	return 0;
}

/* int8..int64: negative values only are msgpack-c's NEGATIVE_INTEGER. */
static int signed_int(struct proto_rd *r, struct val *v, int n)
{
	uint64_t u;
	int64_t i;

	if (take(r, n, &u))
		return TN_ERR_DECODE;
	i = n == 8 ? (int64_t)u : (int64_t)(u << (64 - 8 * n)) >> (64 - 8 * n);
	v->k = i < 0 ? K_NEG : K_POS;
	v->u = (uint64_t)i;
	return 0;
}

static int count(struct proto_rd *r, struct val *v, enum kind k, int n)
{
	v->k = k;
	return take(r, n, &v->u);
}

static int ext(struct proto_rd *r, struct val *v, int n)
{
	if (need(r, (size_t)n + 1))
		return TN_ERR_DECODE;
	r->off += (size_t)n + 1;
	v->k = K_EXT;
	return 0;
}

static int head_c0(struct proto_rd *r, struct val *v, uint8_t t)
{
	switch (t) {
	case 0xc0: v->k = K_NIL; return 0;
	case 0xc2: case 0xc3: v->k = K_BOOL; v->u = t == 0xc3; return 0;
	case 0xc4: return body(r, v, K_BIN, 1);
	case 0xc5: return body(r, v, K_BIN, 2);
	case 0xc6: return body(r, v, K_BIN, 4);
	case 0xc7: case 0xc8: case 0xc9:
		if (body(r, v, K_EXT, t == 0xc7 ? 1 : t == 0xc8 ? 2 : 4) || need(r, 1))
			return TN_ERR_DECODE;
		r->off++;       /* the ext type byte */
		return 0;
	case 0xca: v->k = K_FLOAT; return take(r, 4, &v->u);
	case 0xcb: v->k = K_FLOAT; return take(r, 8, &v->u);
	case 0xcc: v->k = K_POS; return take(r, 1, &v->u);
	case 0xcd: v->k = K_POS; return take(r, 2, &v->u);
	case 0xce: v->k = K_POS; return take(r, 4, &v->u);
	case 0xcf: v->k = K_POS; return take(r, 8, &v->u);
	case 0xd0: return signed_int(r, v, 1);
	case 0xd1: return signed_int(r, v, 2);
	case 0xd2: return signed_int(r, v, 4);
	case 0xd3: return signed_int(r, v, 8);
	case 0xd4: return ext(r, v, 1);
	case 0xd5: return ext(r, v, 2);
	case 0xd6: return ext(r, v, 4);
	case 0xd7: return ext(r, v, 8);
	case 0xd8: return ext(r, v, 16);
	case 0xd9: return body(r, v, K_STR, 1);
	case 0xda: return body(r, v, K_STR, 2);
	case 0xdb: return body(r, v, K_STR, 4);
	case 0xdc: return count(r, v, K_ARR, 2);
	case 0xdd: return count(r, v, K_ARR, 4);
	case 0xde: return count(r, v, K_MAP, 2);
	case 0xdf: return count(r, v, K_MAP, 4);
	}
	return TN_ERR_DECODE;
}

static int head(struct proto_rd *r, struct val *v)
{
	uint8_t t;

	if (need(r, 1))
		return TN_ERR_DECODE;
	t = r->p[r->off++];
	if (t <= 0x7f || t >= 0xe0) {
		v->k = t <= 0x7f ? K_POS : K_NEG;
		v->u = (uint64_t)(int64_t)(int8_t)t;
		return 0;
	}
	if (t <= 0x8f) {
		v->k = K_MAP;
		v->u = t & 0x0f;
		return 0;
	}
	if (t <= 0x9f) {
		v->k = K_ARR;
		v->u = t & 0x0f;
		return 0;
	}
	if (t <= 0xbf) {
		v->k = K_STR;
		v->u = t & 0x1f;
		if (need(r, v->u))
			return TN_ERR_DECODE;
		v->ptr = r->p + r->off;
		r->off += v->u;
		return 0;
	}
	return head_c0(r, v, t);
}

/* Step over the value at r (its head not read yet). */
static int skip(struct proto_rd *r, int depth)
{
	return proto__skip(r->p, r->len, &r->off, depth);
}

static void prefix_why(char *why, size_t why_len, const char *key, long index)
{
	char inner[160];

	if (!why || !why_len)
		return;
	proto_strcpy(inner, sizeof(inner), why);
	if (index >= 0)
		snprintf(why, why_len, "%s[%ld]: %s", key, index, inner);
	else
		snprintf(why, why_len, "%s: %s", key, inner);
}

struct dec {
	struct proto_rd *r;
	char *why;
	size_t why_len;
	int depth;
};

static int fail(struct dec *d, const char *key, const char *what)
{
	return proto__field_fail(d->why, d->why_len, key, what);
}

static int read_obj(struct dec *d, const struct proto_schema *s, void *obj);

static int read_str(struct dec *d, const struct val *v, const struct proto_field *f, void *obj)
{
	char *dst = FIELD(obj, f);

	if (v->k != K_STR)
		return fail(d, f->key, "not a string");
	if (v->u >= f->size)
		return fail(d, f->key, "too long");
	if (!proto__utf8_ok(v->ptr, v->u))
		return fail(d, f->key, "not valid UTF-8");
	proto__copy(dst, v->ptr, v->u);
	dst[v->u] = '\0';
	return 0;
}

static int read_int(struct dec *d, const struct val *v, const struct proto_field *f, void *obj)
{
	bool pos = v->k == K_POS;

	if (!pos && v->k != K_NEG)
		return fail(d, f->key, "not an integer");
	switch (f->type) {
	case PF_U64:
		if (!pos)
			return fail(d, f->key, "negative");
		memcpy(FIELD(obj, f), &v->u, 8);
		return 0;
	case PF_U32:
		if (!pos || v->u > UINT32_MAX)
			return fail(d, f->key, "out of range");
		*(uint32_t *)FIELD(obj, f) = (uint32_t)v->u;
		return 0;
	default:
		if (pos && v->u > INT64_MAX)
			return fail(d, f->key, "out of range");
		memcpy(FIELD(obj, f), &v->u, 8);
		return 0;
	}
}

static int read_arr(struct dec *d, const struct val *v, const struct proto_field *f, void *obj)
{
	const struct proto_schema *sub = f->sub;
	char *items;
	int rc;

	if (v->k != K_ARR)
		return fail(d, f->key, "not an array");
	if (v->u > f->max)
		return fail(d, f->key, "too many items");
	items = v->u ? calloc(v->u, sub->size) : NULL;
	if (v->u && !items)
		return TN_ERR_NOMEM;
	memcpy(FIELD(obj, f), &items, sizeof(items));
	d->depth++;
	for (uint32_t i = 0; i < v->u; i++) {
		*(uint32_t *)((char *)obj + f->cnt_off) = i + 1;
		if ((rc = read_obj(d, sub, items + (size_t)i * sub->size))) {
			prefix_why(d->why, d->why_len, f->key, (long)i);
			return rc;
		}
	}
	d->depth--;
	return 0;
}

static int read_blob(struct dec *d, const struct val *v, const struct proto_field *f, void *obj)
{
	uint8_t *p;

	if (v->k != K_BIN)
		return fail(d, f->key, "not binary");
	if (v->u > f->max)
		return fail(d, f->key, "too long");
	if (!(p = malloc(v->u ? v->u : 1)))
		return TN_ERR_NOMEM;
	proto__copy(p, v->ptr, v->u);
	memcpy(FIELD(obj, f), &p, sizeof(p));
	*(uint32_t *)((char *)obj + f->cnt_off) = (uint32_t)v->u;
	return 0;
}

/* The map whose head v was read at start. */
static int read_sub(struct dec *d, const struct val *v, size_t start,
		    const struct proto_field *f, void *obj)
{
	void *sub = FIELD(obj, f);
	int rc;

	if (v->k != K_MAP)
		return fail(d, f->key, "not a map");
	if ((f->flags & PF_PTR) && !(sub = calloc(1, f->sub->size)))
		return fail(d, f->key, "out of memory");
	if (f->flags & PF_PTR)
		memcpy(FIELD(obj, f), &sub, sizeof(sub));  /* released with obj */
	d->r->off = start;
	d->depth++;
	rc = read_obj(d, f->sub, sub);
	d->depth--;
	if (rc)
		prefix_why(d->why, d->why_len, f->key, -1);
	return rc;
}

static int read_field(struct dec *d, const struct val *v, size_t start,
		      const struct proto_field *f, void *obj)
{
	switch (f->type) {
	case PF_STR:
		return read_str(d, v, f, obj);
	case PF_U64:
	case PF_U32:
	case PF_I64:
		return read_int(d, v, f, obj);
	case PF_BOOL:
		if (v->k != K_BOOL)
			return fail(d, f->key, "not a boolean");
		*(bool *)FIELD(obj, f) = v->u;
		return 0;
	case PF_BIN:
		if (v->k != K_BIN || v->u != f->size)
			return fail(d, f->key, "wrong binary length");
		memcpy(FIELD(obj, f), v->ptr, f->size);
		return 0;
	case PF_ARR:
		return read_arr(d, v, f, obj);
	case PF_BLOB:
		return read_blob(d, v, f, obj);
	case PF_OBJ:
		return read_sub(d, v, start, f, obj);
	}
	return fail(d, f->key, "bad schema");
}

/* Fields usually come in schema order: look from after the last one. */
static int find_field(const struct proto_schema *s, const struct val *k, uint32_t *hint)
{
	if (k->k != K_STR)
		return -1;
	for (uint32_t j = 0, i = *hint; j < s->n; j++, i = i + 1 == s->n ? 0 : i + 1) {
		const struct proto_field *f = &s->fields[i];

		if (f->klen == k->u && !memcmp(f->key, k->ptr, k->u)) {
			*hint = i + 1 == s->n ? 0 : i + 1;
			return (int)i;
		}
	}
	return -1;
}

/* Unknown keys are ignored so that newer peers can add fields; a known
 * key may appear once. */
static int read_obj(struct dec *d, const struct proto_schema *s, void *obj)
{
	struct proto_rd *r = d->r;
	uint64_t seen = 0;
	uint32_t hint = 0;
	struct val m, k, v;
	size_t at;
	int rc, i;

	if ((rc = head(r, &m)))
		return rc;
	if (m.k != K_MAP)
		return fail(d, s->name, "not a map");
	for (uint64_t n = 0; n < m.u; n++) {
		at = r->off;
		if ((rc = head(r, &k)))
			return rc;
		if ((k.k == K_ARR || k.k == K_MAP) && ((r->off = at), (rc = skip(r, d->depth + 1))))
			return rc;
		at = r->off;
		if ((rc = head(r, &v)))
			return rc;
		if ((i = find_field(s, &k, &hint)) < 0 || v.k == K_NIL) {
			r->off = at;
			if ((rc = skip(r, d->depth + 1)))
				return rc;
			continue;
		}
		if (seen & (1ull << i))
			return fail(d, s->fields[i].key, "repeated");
		seen |= 1ull << i;
		if ((rc = read_field(d, &v, at, &s->fields[i], obj)))
			return rc;
	}
	for (uint32_t f = 0; f < s->n; f++)
		if ((s->fields[f].flags & PF_REQ) && !(seen & (1ull << f)))
			return fail(d, s->fields[f].key, "missing");
	return 0;
}

int proto__read_obj(struct proto_rd *r, const struct proto_schema *s, void *obj,
		    char *why, size_t why_len)
{
	struct dec d = { r, why, why_len, 0 };

	return read_obj(&d, s, obj);
}

int proto__find(const struct proto_rd *map, const char *key, struct proto_rd *out)
{
	struct proto_rd r = *map;
	size_t klen = strlen(key), at;
	struct val m, k;

	if (head(&r, &m) || m.k != K_MAP)
		return TN_ERR_DECODE;
	for (uint64_t n = 0; n < m.u; n++) {
		at = r.off;
		if (head(&r, &k))
			return TN_ERR_DECODE;
		if ((k.k == K_ARR || k.k == K_MAP) && ((r.off = at), skip(&r, 1)))
			return TN_ERR_DECODE;
		if (k.k == K_STR && k.u == klen && !memcmp(k.ptr, key, klen)) {
			*out = r;
			return 0;
		}
		if (skip(&r, 1))
			return TN_ERR_DECODE;
	}
	return TN_ERR_NOT_FOUND;
}

int proto__read_scalar(struct proto_rd *r, int *kind, uint64_t *u, const uint8_t **ptr)
{
	struct val v;
	int rc = head(r, &v);

	if (rc)
		return rc;
	*kind = v.k == K_STR ? PROTO_RD_STR : v.k == K_BOOL ? PROTO_RD_BOOL :
		v.k == K_POS ? PROTO_RD_POS : v.k == K_NEG ? PROTO_RD_NEG : PROTO_RD_OTHER;
	*u = v.u;
	*ptr = v.ptr;
	return 0;
}
