/* SPDX-License-Identifier: Apache-2.0 */
/* Records read in the encoder's own form: proto_encode writes the fields
 * present in schema order, each with msgpack's shortest header, leaving
 * out empty optional strings and arrays. Bytes of exactly that shape are
 * read here without unpacking, and so are byte for byte what encoding the
 * struct again would give; anything else is left to the schema decoder. */
#include <string.h>

#include "proto_int.h"

#define NOT_CANON 1

struct rd {
	const uint8_t *p;
	size_t len, off;
};

/* A length of n bytes after the type byte, at least min to be shortest. */
static int rd_len(struct rd *d, int n, uint32_t min, uint32_t *len)
{
	if (d->len - d->off < (size_t)n + 1)
		return NOT_CANON;
	*len = (uint32_t)proto__be(d->p + d->off + 1, n);
	if (*len < min)
		return NOT_CANON;
	d->off += (size_t)n + 1;
	return 0;
}

/* A map (fix 0x80, 16-bit 0xde) or array (0x90, 0xdc) header. */
static int rd_count(struct rd *d, uint8_t fix, uint8_t b16, uint32_t *n)
{
	uint8_t t;

	if (d->off >= d->len)
		return NOT_CANON;
	t = d->p[d->off];
	if ((t & 0xf0) == fix) {
		*n = t & 0x0f;
		d->off++;
		return 0;
	}
	return t == b16 ? rd_len(d, 2, 16, n) : NOT_CANON;
}

static int rd_str(struct rd *d, const uint8_t **s, uint32_t *n)
{
	uint8_t t;

	if (d->off >= d->len)
		return NOT_CANON;
	t = d->p[d->off];
	if ((t & 0xe0) == 0xa0) {
		*n = t & 0x1f;
		d->off++;
	} else if (t != 0xd9 && t != 0xda) {
		return NOT_CANON; /* no record string reaches 64 KiB */
	} else if (rd_len(d, t == 0xd9 ? 1 : 2, t == 0xd9 ? 32 : 256, n)) {
		return NOT_CANON;
	}
	if (*n > d->len - d->off)
		return NOT_CANON;
	*s = d->p + d->off;
	d->off += *n;
	return 0;
}

static int rd_uint(struct rd *d, uint64_t *v)
{
	static const uint64_t min[4] = { 0x80, 0x100, 0x10000, 0x100000000ull };
	uint8_t t;
	int n;

	if (d->off >= d->len)
		return NOT_CANON;
	t = d->p[d->off];
	if (t <= 0x7f) {
		*v = t;
		d->off++;
		return 0;
	}
	if (t < 0xcc || t > 0xcf)
		return NOT_CANON;
	n = 1 << (t - 0xcc);
	if (d->len - d->off < (size_t)n + 1)
		return NOT_CANON;
	*v = 0;
	for (int i = 1; i <= n; i++)
		*v = *v << 8 | d->p[d->off + i];
	if (*v < min[t - 0xcc])
		return NOT_CANON;
	d->off += (size_t)n + 1;
	return 0;
}

/* The next key is key (a fixstr, as every schema key is): consume it.
 * Compared as it is read, without measuring key first. */
static int rd_key(struct rd *d, const char *key)
{
	const uint8_t *p = d->p + d->off + 1;
	size_t left = d->len - d->off, n;

	for (n = 0; key[n]; n++)
		if (n + 1 >= left || p[n] != (uint8_t)key[n])
			return 0;
	if (n > 31 || !left || d->p[d->off] != (0xa0 | n))
		return 0;
	d->off += n + 1;
	return 1;
}

static int canon_obj(struct rd *d, const struct proto_schema *s, void *obj, void *scratch);

static int canon_str(struct rd *d, const struct proto_field *f, char *dst)
{
	const uint8_t *s;
	uint32_t n;

	if (rd_str(d, &s, &n) || n >= f->size || (!n && !(f->flags & PF_REQ)) ||
	    !proto__utf8_ok(s, n))
		return NOT_CANON;
	memcpy(dst, s, n);
	dst[n] = '\0';
	return 0;
}

/* An array of objects, read into scratch (room for f->max of them). */
static int canon_arr(struct rd *d, const struct proto_field *f, void *obj, void *scratch)
{
	char *items = scratch;
	uint32_t n;

	if (!scratch || rd_count(d, 0x90, 0xdc, &n) || !n || n > f->max)
		return NOT_CANON;
	for (uint32_t i = 0; i < n; i++) {
		memset(items + (size_t)i * f->sub->size, 0, f->sub->size);
		if (canon_obj(d, f->sub, items + (size_t)i * f->sub->size, NULL))
			return NOT_CANON;
	}
	memcpy((char *)obj + f->off, &items, sizeof(items));
	memcpy((char *)obj + f->cnt_off, &n, sizeof(n));
	return 0;
}

static int canon_field(struct rd *d, const struct proto_field *f, void *obj, void *scratch)
{
	uint64_t v;

	switch (f->type) {
	case PF_STR:
		return canon_str(d, f, (char *)obj + f->off);
	case PF_U64:
		if (rd_uint(d, &v))
			return NOT_CANON;
		memcpy((char *)obj + f->off, &v, sizeof(v));
		return 0;
	case PF_ARR:
		return canon_arr(d, f, obj, scratch);
	}
	return NOT_CANON; /* not in records */
}

/* Fields the encoder always writes: required ones, and numbers. */
static int always_present(const struct proto_field *f)
{
	return (f->flags & PF_REQ) || f->type == PF_U64;
}

/* obj must be zeroed: absent fields stay empty. */
static int canon_obj(struct rd *d, const struct proto_schema *s, void *obj, void *scratch)
{
	uint32_t n, k = 0;

	if (rd_count(d, 0x80, 0xde, &n))
		return NOT_CANON;
	for (uint32_t i = 0; i < s->n; i++) {
		const struct proto_field *f = &s->fields[i];

		if (k < n && rd_key(d, f->key)) {
			if (canon_field(d, f, obj, scratch))
				return NOT_CANON;
			k++;
		} else if (always_present(f)) {
			return NOT_CANON;
		}
	}
	return k == n ? 0 : NOT_CANON;
}

int proto_record_canon(const uint8_t *p, size_t len, size_t *off, struct tn_record *r,
		       struct tn_event *scratch)
{
	struct rd d = { p, len, *off };

	memset(r, 0, sizeof(*r));
	if (canon_obj(&d, &proto_record_schema, r, scratch)) {
		memset(r, 0, sizeof(*r));
		return NOT_CANON;
	}
	*off = d.off;
	return 0;
}

size_t proto_uint_put(uint8_t *out, uint64_t v)
{
	size_t n;

	if (v < 0x80) {
		out[0] = (uint8_t)v;
		return 1;
	}
	n = v < 0x100 ? 1 : v < 0x10000 ? 2 : v < 0x100000000ull ? 4 : 8;
	out[0] = (uint8_t)(n == 1 ? 0xcc : n == 2 ? 0xcd : n == 4 ? 0xce : 0xcf);
	for (size_t i = n; i > 0; i--, v >>= 8)
		out[i] = (uint8_t)v;
	return n + 1;
}
