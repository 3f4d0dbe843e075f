/* SPDX-License-Identifier: Apache-2.0 */
/* Encoding: schema objects, written straight into a proto_buf in the
 * shortest forms msgpack-c would choose (so that bytes never depend on the
 * path that wrote them), and hand-built maps through msgpack-c. */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "proto_int.h"

#define FIELD(base, f) ((const char *)(base) + (f)->off)

struct proto_writer {
	msgpack_packer pk;
	struct proto_buf *out;
};

int proto__buf_write(void *data, const char *buf, size_t len)
{
	return proto_buf_add(data, buf, len) ? -1 : 0;
}

static uint32_t arr_count(const struct proto_field *f, const void *obj)
{
	return *(const uint32_t *)((const char *)obj + f->cnt_off);
}

/* memcmp against itself shifted by one byte: the library's vector code. */
static bool all_zero(const char *p, size_t n)
{
	return !n || (!p[0] && !memcmp(p, p + 1, n - 1));
}

/* An optional object is there when its first required field is set (one
 * check), or else when any of its bytes is. */
static bool obj_present(const struct proto_schema *s, const char *obj)
{
	for (uint32_t i = 0; i < s->n; i++) {
		const struct proto_field *f = &s->fields[i];

		if (!(f->flags & PF_REQ))
			continue;
		if (f->type == PF_STR && obj[f->off])
			return true;
		break;
	}
	return !all_zero(obj, s->size);
}

/* Empty optional strings, arrays, blobs and all-zero objects are left out. */
static bool present(const struct proto_field *f, const void *obj)
{
	if (f->flags & PF_REQ)
		return true;
	if (f->type == PF_STR)
		return FIELD(obj, f)[0] != '\0';
	if (f->type == PF_ARR || f->type == PF_BLOB)
		return arr_count(f, obj) != 0;
	if (f->type == PF_OBJ && (f->flags & PF_PTR))
		return proto_sub(f, obj) != NULL;
	if (f->type == PF_OBJ)
		return obj_present(f->sub, FIELD(obj, f));
	return true;
}

/* ---- direct writes: msgpack-c's shortest forms, byte for byte ---- */

static uint8_t *put_be(uint8_t *o, uint64_t v, int n)
{
	for (int i = n - 1; i >= 0; i--, v >>= 8)
		o[i] = (uint8_t)v;
	return o + n;
}

/* A map or array header: fix | n below 16 items, else the 16- or 32-bit
 * form (type bytes t16, t16 + 1). */
static uint8_t *put_count(uint8_t *o, uint8_t fix, uint8_t t16, uint32_t n)
{
	if (n < 16) {
		*o++ = (uint8_t)(fix | n);
		return o;
	}
	*o++ = n < 0x10000 ? t16 : (uint8_t)(t16 + 1);
	return put_be(o, n, n < 0x10000 ? 2 : 4);
}

/* A string or binary length: 0xa0 | n for a string below 32 bytes, else
 * the 8-, 16- or 32-bit form (type bytes t8, t8 + 1, t8 + 2). */
static uint8_t *put_len(uint8_t *o, uint8_t t8, size_t n)
{
	if (t8 == 0xd9 && n < 32) {
		*o++ = (uint8_t)(0xa0 | n);
		return o;
	}
	if (n < 0x100) {
		*o++ = t8;
		return put_be(o, n, 1);
	}
	*o++ = n < 0x10000 ? (uint8_t)(t8 + 1) : (uint8_t)(t8 + 2);
	return put_be(o, n, n < 0x10000 ? 2 : 4);
}

static uint8_t *put_str(uint8_t *o, const char *s, size_t n)
{
	o = put_len(o, 0xd9, n);
	memcpy(o, s, n);
	return o + n;
}

uint8_t *proto__put_str(uint8_t *o, const char *s, size_t n)
{
	return put_str(o, s, n);
}

uint8_t *proto__put_map(uint8_t *o, uint32_t n)
{
	return put_count(o, 0x80, 0xde, n);
}

uint8_t *proto__put_array(uint8_t *o, uint32_t n)
{
	return put_count(o, 0x90, 0xdc, n);
}

static uint8_t *put_uint(uint8_t *o, uint64_t v)
{
	if (v < 0x80) {
		*o++ = (uint8_t)v;
		return o;
	}
	if (v < 0x100) {
		*o++ = 0xcc;
		return put_be(o, v, 1);
	}
	if (v < 0x10000) {
		*o++ = 0xcd;
		return put_be(o, v, 2);
	}
	*o++ = v < 0x100000000ull ? 0xce : 0xcf;
	return put_be(o, v, v < 0x100000000ull ? 4 : 8);
}

static uint8_t *put_int(uint8_t *o, int64_t v)
{
	if (v >= 0)
		return put_uint(o, (uint64_t)v);
	if (v >= -32) {
		*o++ = (uint8_t)v;
		return o;
	}
	if (v >= -128) {
		*o++ = 0xd0;
		return put_be(o, (uint64_t)v, 1);
	}
	if (v >= -32768) {
		*o++ = 0xd1;
		return put_be(o, (uint64_t)v, 2);
	}
	*o++ = v >= INT32_MIN ? 0xd2 : 0xd3;
	return put_be(o, (uint64_t)v, v >= INT32_MIN ? 4 : 8);
}

static uint8_t *put_bin(uint8_t *o, const void *p, size_t n)
{
	o = put_len(o, 0xc4, n);
	memcpy(o, p, n);
	return o + n;
}

/* ---- schema objects ---- */

static size_t obj_bound(const struct proto_schema *s, const void *obj);

/* The most bytes field f of obj can take, key included. */
static size_t field_bound(const struct proto_field *f, const void *obj)
{
	size_t n = 5 + f->klen, k;
	const char *items;

	switch (f->type) {
	case PF_STR:
	case PF_BIN:
		return n + 5 + f->size;
	case PF_BLOB:
		return n + 5 + arr_count(f, obj);
	case PF_OBJ:
		return n + (proto_sub(f, obj) ? obj_bound(f->sub, proto_sub(f, obj)) : 1);
	case PF_ARR:
		memcpy(&items, FIELD(obj, f), sizeof(items));
		n += 5;
		for (k = 0; k < arr_count(f, obj); k++)
			n += obj_bound(f->sub, items + k * f->sub->size);
		return n;
	}
	return n + 9;
}

static size_t obj_bound(const struct proto_schema *s, const void *obj)
{
	size_t n = 5;

	for (uint32_t i = 0; i < s->n; i++)
		n += field_bound(&s->fields[i], obj);
	return n;
}

static uint8_t *put_obj(uint8_t *o, const struct proto_schema *s, const void *obj);

static uint8_t *put_arr(uint8_t *o, const struct proto_field *f, const void *obj)
{
	uint32_t n = arr_count(f, obj);
	const char *items;

	memcpy(&items, FIELD(obj, f), sizeof(items));
	o = put_count(o, 0x90, 0xdc, n);
	for (uint32_t i = 0; i < n; i++)
		o = put_obj(o, f->sub, items + (size_t)i * f->sub->size);
	return o;
}

static uint8_t *put_field(uint8_t *o, const struct proto_field *f, const void *obj)
{
	const char *p = FIELD(obj, f);
	const void *blob;
	uint64_t u;
	int64_t i;

	switch (f->type) {
	case PF_STR:
		return put_str(o, p, strnlen(p, f->size));
	case PF_U64:
		memcpy(&u, p, 8);
		return put_uint(o, u);
	case PF_U32:
		return put_uint(o, *(const uint32_t *)p);
	case PF_I64:
		memcpy(&i, p, 8);
		return put_int(o, i);
	case PF_BOOL:
		*o++ = *(const bool *)p ? 0xc3 : 0xc2;
		return o;
	case PF_BIN:
		return put_bin(o, p, f->size);
	case PF_ARR:
		return put_arr(o, f, obj);
	case PF_BLOB:
		memcpy(&blob, p, sizeof(blob));
		return put_bin(o, blob, arr_count(f, obj));
	case PF_OBJ:
		if (!proto_sub(f, obj)) {
			*o++ = 0x80;     /* an absent required object: an empty map */
			return o;
		}
		return put_obj(o, f->sub, proto_sub(f, obj));
	}
	return o;
}

static uint8_t *put_obj(uint8_t *o, const struct proto_schema *s, const void *obj)
{
	uint32_t n = 0;

	for (uint32_t i = 0; i < s->n; i++)
		n += present(&s->fields[i], obj);
	o = put_count(o, 0x80, 0xde, n);
	for (uint32_t i = 0; i < s->n; i++) {
		const struct proto_field *f = &s->fields[i];

		if (!present(f, obj))
			continue;
		o = put_str(o, f->key, f->klen);
		o = put_field(o, f, obj);
	}
	return o;
}

/* Room for the most obj can take, then one pass writing into it. */
int proto__write_obj(struct proto_buf *out, const struct proto_schema *s, const void *obj)
{
	int rc = proto_buf_reserve(out, obj_bound(s, obj));

	if (rc)
		return rc;
	out->len = (size_t)(put_obj(out->data + out->len, s, obj) - out->data);
	return 0;
}

int proto_encode(const struct proto_schema *s, const void *obj, struct proto_buf *out)
{
	return proto__write_obj(out, s, obj);
}

struct proto_writer *proto_writer_new(struct proto_buf *out)
{
	struct proto_writer *w = malloc(sizeof(*w));

	if (w) {
		msgpack_packer_init(&w->pk, out, proto__buf_write);
		w->out = out;
	}
	return w;
}

void proto_writer_free(struct proto_writer *w)
{
	free(w);
}

#define W(expr) ((expr) ? TN_ERR_NOMEM : 0)

int proto_w_map(struct proto_writer *w, uint32_t n) { return W(msgpack_pack_map(&w->pk, n)); }
int proto_w_array(struct proto_writer *w, uint32_t n) { return W(msgpack_pack_array(&w->pk, n)); }
int proto_w_i64(struct proto_writer *w, int64_t v) { return W(msgpack_pack_int64(&w->pk, v)); }
int proto_w_nil(struct proto_writer *w) { return W(msgpack_pack_nil(&w->pk)); }

int proto_w_str(struct proto_writer *w, const char *s)
{
	return W(msgpack_pack_str_with_body(&w->pk, s, strlen(s)));
}

int proto_w_bool(struct proto_writer *w, int v)
{
	return W(v ? msgpack_pack_true(&w->pk) : msgpack_pack_false(&w->pk));
}

int proto_w_bin(struct proto_writer *w, const void *p, size_t n)
{
	return W(msgpack_pack_bin_with_body(&w->pk, p, n));
}

int proto_w_obj(struct proto_writer *w, const struct proto_schema *s, const void *obj)
{
	return proto__write_obj(w->out, s, obj);
}
