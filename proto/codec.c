/* SPDX-License-Identifier: Apache-2.0 */
/* Schema-driven msgpack codec: each message struct is described by a
 * field table, and one encoder and one decoder serve every message. */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "proto_int.h"

#define FIELD(base, f) ((char *)(base) + (f)->off)

/* 8 bytes of ASCII without NUL: no high bit, no zero byte. */
static int ascii8(const unsigned char *s)
{
	uint64_t v;

	memcpy(&v, s, sizeof(v));
	return !((v | ((v - 0x0101010101010101ull) & ~v)) & 0x8080808080808080ull);
}

/* Strict UTF-8 check (no overlongs, no surrogates, no NUL); ASCII runs are
 * taken 8 bytes at a time. */
int proto__utf8_ok(const unsigned char *s, size_t n)
{
	size_t i = 0;

	while (i < n) {
		unsigned c = s[i], len, cp;

		if (n - i >= 8 && ascii8(s + i)) {
			i += 8;
			continue;
		}
		if (c == 0)
			return 0;
		if (c < 0x80) {
			i++;
			continue;
		}
		len = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 0;
		if (!len || c > 0xf4 || n - i < len)
			return 0;
		cp = c & (0x3f >> (len - 1));
		for (unsigned k = 1; k < len; k++) {
			if ((s[i + k] & 0xc0) != 0x80)
				return 0;
			cp = cp << 6 | (s[i + k] & 0x3f);
		}
		if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) ||
		    (len == 4 && cp < 0x10000) || cp > 0x10ffff ||
		    (cp >= 0xd800 && cp <= 0xdfff))
			return 0;
		i += len;
	}
	return 1;
}

static int fail(char *why, size_t why_len, const char *key, const char *what)
{
	if (why && why_len)
		snprintf(why, why_len, "field '%s': %s", key, what);
	return TN_ERR_FIELD;
}

/* Say where a nested failure happened: "events[2]: field 'date': ...". */
static void prefix_why(char *why, size_t why_len, const char *key, long index)
{
	char inner[160];

	if (!why || !why_len)
		return;
	snprintf(inner, sizeof(inner), "%s", why);
	if (index >= 0)
		snprintf(why, why_len, "%s[%ld]: %s", key, index, inner);
	else
		snprintf(why, why_len, "%s: %s", key, inner);
}

static int decode_str(const msgpack_object *v, const struct proto_field *f,
		      void *obj, char *why, size_t why_len)
{
	char *dst = FIELD(obj, f);

	if (v->type != MSGPACK_OBJECT_STR)
		return fail(why, why_len, f->key, "not a string");
	if (v->via.str.size >= f->size)
		return fail(why, why_len, f->key, "too long");
	if (!proto__utf8_ok((const unsigned char *)v->via.str.ptr, v->via.str.size))
		return fail(why, why_len, f->key, "not valid UTF-8");
	proto__copy(dst, v->via.str.ptr, v->via.str.size);
	dst[v->via.str.size] = '\0';
	return 0;
}

static int decode_int(const msgpack_object *v, const struct proto_field *f,
		      void *obj, char *why, size_t why_len)
{
	bool pos = v->type == MSGPACK_OBJECT_POSITIVE_INTEGER;

	if (!pos && v->type != MSGPACK_OBJECT_NEGATIVE_INTEGER)
		return fail(why, why_len, f->key, "not an integer");
	switch (f->type) {
	case PF_U64:
		if (!pos)
			return fail(why, why_len, f->key, "negative");
		memcpy(FIELD(obj, f), &v->via.u64, 8);
		return 0;
	case PF_U32:
		if (!pos || v->via.u64 > UINT32_MAX)
			return fail(why, why_len, f->key, "out of range");
		*(uint32_t *)FIELD(obj, f) = (uint32_t)v->via.u64;
		return 0;
	default:
		if (pos && v->via.u64 > INT64_MAX)
			return fail(why, why_len, f->key, "out of range");
		memcpy(FIELD(obj, f), &v->via.i64, 8);
		return 0;
	}
}

static int decode_arr(const msgpack_object *v, const struct proto_field *f,
		      void *obj, char *why, size_t why_len)
{
	const struct proto_schema *sub = f->sub;
	uint32_t n;
	char *items;
	int rc;

	if (v->type != MSGPACK_OBJECT_ARRAY)
		return fail(why, why_len, f->key, "not an array");
	n = v->via.array.size;
	if (n > f->max)
		return fail(why, why_len, f->key, "too many items");
	items = n ? calloc(n, sub->size) : NULL;
	if (n && !items)
		return TN_ERR_NOMEM;
	memcpy(FIELD(obj, f), &items, sizeof(items));
	for (uint32_t i = 0; i < n; i++) {
		*(uint32_t *)((char *)obj + f->cnt_off) = i + 1;
		rc = proto__decode_obj(&v->via.array.ptr[i], sub, items + (size_t)i * sub->size,
				       why, why_len);
		if (rc) {
			prefix_why(why, why_len, f->key, (long)i);
			return rc;
		}
	}
	return 0;
}

static int decode_blob(const msgpack_object *v, const struct proto_field *f,
		       void *obj, char *why, size_t why_len)
{
	uint8_t *p;

	if (v->type != MSGPACK_OBJECT_BIN)
		return fail(why, why_len, f->key, "not binary");
	if (v->via.bin.size > f->max)
		return fail(why, why_len, f->key, "too long");
	if (!(p = malloc(v->via.bin.size ? v->via.bin.size : 1)))
		return TN_ERR_NOMEM;
	proto__copy(p, v->via.bin.ptr, v->via.bin.size);
	memcpy(FIELD(obj, f), &p, sizeof(p));
	*(uint32_t *)((char *)obj + f->cnt_off) = v->via.bin.size;
	return 0;
}

static int decode_sub(const msgpack_object *v, const struct proto_field *f,
		      void *obj, char *why, size_t why_len)
{
	int rc;

	void *sub = FIELD(obj, f);

	if (v->type != MSGPACK_OBJECT_MAP)
		return fail(why, why_len, f->key, "not a map");
	if ((f->flags & PF_PTR) && !(sub = calloc(1, f->sub->size)))
		return fail(why, why_len, f->key, "out of memory");
	if (f->flags & PF_PTR)
		memcpy(FIELD(obj, f), &sub, sizeof(sub));  /* released with obj */
	rc = proto__decode_obj(v, f->sub, sub, why, why_len);
	if (rc)
		prefix_why(why, why_len, f->key, -1);
	return rc;
}

static int decode_field(const msgpack_object *v, const struct proto_field *f,
			void *obj, char *why, size_t why_len)
{
	switch (f->type) {
	case PF_STR:
		return decode_str(v, f, obj, why, why_len);
	case PF_U64:
	case PF_U32:
	case PF_I64:
		return decode_int(v, f, obj, why, why_len);
	case PF_BOOL:
		if (v->type != MSGPACK_OBJECT_BOOLEAN)
			return fail(why, why_len, f->key, "not a boolean");
		*(bool *)FIELD(obj, f) = v->via.boolean;
		return 0;
	case PF_BIN:
		if (v->type != MSGPACK_OBJECT_BIN || v->via.bin.size != f->size)
			return fail(why, why_len, f->key, "wrong binary length");
		memcpy(FIELD(obj, f), v->via.bin.ptr, f->size);
		return 0;
	case PF_ARR:
		return decode_arr(v, f, obj, why, why_len);
	case PF_BLOB:
		return decode_blob(v, f, obj, why, why_len);
	case PF_OBJ:
		return decode_sub(v, f, obj, why, why_len);
	}
	return fail(why, why_len, f->key, "bad schema");
}

static int find_field(const struct proto_schema *s, const msgpack_object *k)
{
	if (k->type != MSGPACK_OBJECT_STR)
		return -1;
	for (uint32_t i = 0; i < s->n; i++) {
		const char *key = s->fields[i].key;

		if (strlen(key) == k->via.str.size && !memcmp(key, k->via.str.ptr, k->via.str.size))
			return (int)i;
	}
	return -1;
}

/* Unknown keys are ignored so that newer peers can add fields; a known
 * key may appear once. */
int proto__decode_obj(const msgpack_object *o, const struct proto_schema *s,
		      void *obj, char *why, size_t why_len)
{
	uint64_t seen = 0;
	int rc, i;

	if (o->type != MSGPACK_OBJECT_MAP)
		return fail(why, why_len, s->name, "not a map");
	for (uint32_t k = 0; k < o->via.map.size; k++) {
		const msgpack_object_kv *kv = &o->via.map.ptr[k];

		if ((i = find_field(s, &kv->key)) < 0 || kv->val.type == MSGPACK_OBJECT_NIL)
			continue;
		if (seen & (1ull << i))
			return fail(why, why_len, s->fields[i].key, "repeated");
		seen |= 1ull << i;
		if ((rc = decode_field(&kv->val, &s->fields[i], obj, why, why_len)))
			return rc;
	}
	for (uint32_t k = 0; k < s->n; k++)
		if ((s->fields[k].flags & PF_REQ) && !(seen & (1ull << k)))
			return fail(why, why_len, s->fields[k].key, "missing");
	return 0;
}

void proto_release(const struct proto_schema *s, void *obj)
{
	for (uint32_t i = 0; i < s->n; i++) {
		const struct proto_field *f = &s->fields[i];
		char *items;
		uint32_t n;

		if (f->type == PF_OBJ && proto_sub(f, obj))
			proto_release(f->sub, (void *)proto_sub(f, obj));
		if (f->type == PF_OBJ && (f->flags & PF_PTR))
			free((void *)proto_sub(f, obj));
		if (f->type == PF_BLOB) {
			memcpy(&items, FIELD(obj, f), sizeof(items));
			free(items);
		}
		if (f->type != PF_ARR)
			continue;
		memcpy(&items, FIELD(obj, f), sizeof(items));
		n = *(uint32_t *)((char *)obj + f->cnt_off);
		for (uint32_t k = 0; items && k < n; k++)
			proto_release(f->sub, items + (size_t)k * f->sub->size);
		free(items);
	}
	memset(obj, 0, s->size);
}

int proto_decode(const struct proto_schema *s, const void *buf, size_t len,
		 void *obj, char *why, size_t why_len)
{
	msgpack_unpacked u;
	int rc;

	memset(obj, 0, s->size);
	if ((rc = proto__unpack(&u, buf, len))) {
		if (why && why_len)
			snprintf(why, why_len, "%s", tn_strerror(rc));
		return rc;
	}
	rc = proto__decode_obj(&u.data, s, obj, why, why_len);
	if (rc)
		proto_release(s, obj);
	msgpack_unpacked_destroy(&u);
	return rc;
}

int proto_copy(const struct proto_schema *s, void *dst, const void *src)
{
	struct proto_buf b = { 0 };
	int rc = proto_encode(s, src, &b);

	if (rc)
		memset(dst, 0, s->size);
	else
		rc = proto_decode(s, b.data, b.len, dst, NULL, 0);
	proto_buf_free(&b);
	return rc;
}

int proto_check_strings(const struct proto_schema *s, const void *obj, char *why, size_t why_len)
{
	for (uint32_t i = 0; i < s->n; i++) {
		const struct proto_field *f = &s->fields[i];
		const char *p = (const char *)obj + f->off;
		const char *items;
		uint32_t n;

		if (f->type == PF_STR && !proto__utf8_ok((const unsigned char *)p, strlen(p)))
			return fail(why, why_len, f->key, "not valid UTF-8");
		if (f->type == PF_OBJ && proto_sub(f, obj) &&
		    proto_check_strings(f->sub, proto_sub(f, obj), why, why_len))
			return TN_ERR_FIELD;
		if (f->type != PF_ARR)
			continue;
		memcpy(&items, p, sizeof(items));
		n = *(const uint32_t *)((const char *)obj + f->cnt_off);
		for (uint32_t k = 0; k < n; k++)
			if (proto_check_strings(f->sub, items + (size_t)k * f->sub->size, why, why_len))
				return TN_ERR_FIELD;
	}
	return 0;
}
