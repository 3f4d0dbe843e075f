/* SPDX-License-Identifier: Apache-2.0 */
/* Schema-driven msgpack codec: each message struct is described by a
 * field table, and one encoder (encode.c) and one decoder (decode.c)
 * serve every message; here the checks and the lifetime of objects. */
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

int proto__field_fail(char *why, size_t why_len, const char *key, const char *what)
{
	if (why && why_len)
		snprintf(why, why_len, "field '%s': %s", key, what);
	return TN_ERR_FIELD;
}

/* What obj holds outside itself; the items of an array are not wiped one
 * by one, their memory is freed whole. */
static void release_held(const struct proto_schema *s, void *obj)
{
	for (uint32_t i = 0; i < s->n; i++) {
		const struct proto_field *f = &s->fields[i];
		char *items;
		uint32_t n;

		if (f->type == PF_OBJ && proto_sub(f, obj))
			release_held(f->sub, (void *)proto_sub(f, obj));
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
			release_held(f->sub, items + (size_t)k * f->sub->size);
		free(items);
	}
}

void proto_release(const struct proto_schema *s, void *obj)
{
	release_held(s, obj);
	memset(obj, 0, s->size);
}

int proto__is_map(const void *buf, size_t len)
{
	uint8_t t = len ? *(const uint8_t *)buf : 0;

	return (t >= 0x80 && t <= 0x8f) || t == 0xde || t == 0xdf;
}

/* The walk checks every byte it reads or steps over (proto__skip), so
 * no scan runs first; bytes left after the map are refused. Malformed
 * bytes are named as such even where a field failed before them. */
int proto_decode(const struct proto_schema *s, const void *buf, size_t len,
		 void *obj, char *why, size_t why_len)
{
	struct proto_rd r = { buf, len, 0 };
	int rc;

	memset(obj, 0, s->size);
	rc = proto__is_map(buf, len) ? proto__read_obj(&r, s, obj, why, why_len) : TN_ERR_DECODE;
	if ((!rc && r.off != len) || (rc == TN_ERR_FIELD && proto__scan(buf, len)))
		rc = TN_ERR_DECODE;
	if (rc == TN_ERR_DECODE && why && why_len)
		snprintf(why, why_len, "%s", tn_strerror(rc));
	if (rc)
		proto_release(s, obj);
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
			return proto__field_fail(why, why_len, f->key, "not valid UTF-8");
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
