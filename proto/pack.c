/* SPDX-License-Identifier: Apache-2.0 */
/* Schema objects packed as msgpack straight into a proto_buf: the bytes
 * msgpack-c's packer gives (smallest form of each integer, str8 for short
 * strings), without a callback and a buffer check per token. */
#include <stdbool.h>
#include <string.h>

#include "proto_int.h"

#define FIELD(base, f) ((const char *)(base) + (f)->off)

/* Room for n more bytes at the end of b, or NULL. */
static uint8_t *room(struct proto_buf *b, size_t n)
{
	if (b->cap - b->len < n && proto_buf_reserve(b, n))
		return NULL;
	return b->data + b->len;
}

static void be(uint8_t *p, uint64_t v, int n)
{
	for (int i = n - 1; i >= 0; i--, v >>= 8)
		p[i] = (uint8_t)v;
}

/* One tag byte and an n-byte big-endian value. */
static int tagged(struct proto_buf *b, uint8_t tag, uint64_t v, int n)
{
	uint8_t *p = room(b, 1 + (size_t)n);

	if (!p)
		return TN_ERR_NOMEM;
	p[0] = tag;
	be(p + 1, v, n);
	b->len += 1 + (size_t)n;
	return 0;
}

static int pack_uint(struct proto_buf *b, uint64_t v)
{
	if (v < 128)
		return tagged(b, (uint8_t)v, 0, 0);
	if (v < 1ull << 8)
		return tagged(b, 0xcc, v, 1);
	if (v < 1ull << 16)
		return tagged(b, 0xcd, v, 2);
	if (v < 1ull << 32)
		return tagged(b, 0xce, v, 4);
	return tagged(b, 0xcf, v, 8);
}

static int pack_int(struct proto_buf *b, int64_t v)
{
	if (v >= -32)
		return v < 128 ? tagged(b, (uint8_t)v, 0, 0) : pack_uint(b, (uint64_t)v);
	if (v >= -(1ll << 7))
		return tagged(b, 0xd0, (uint64_t)v, 1);
	if (v >= -(1ll << 15))
		return tagged(b, 0xd1, (uint64_t)v, 2);
	if (v >= -(1ll << 31))
		return tagged(b, 0xd2, (uint64_t)v, 4);
	return tagged(b, 0xd3, (uint64_t)v, 8);
}

/* A header with a fix form below fix_max, then 8- (if tag8), 16- and
 * 32-bit lengths. */
static int head(struct proto_buf *b, uint32_t n, uint8_t fix, uint32_t fix_max, uint8_t tag8,
		uint8_t tag16)
{
	if (n < fix_max)
		return tagged(b, (uint8_t)(fix | n), 0, 0);
	if (tag8 && n < 256)
		return tagged(b, tag8, n, 1);
	if (n < 65536)
		return tagged(b, tag16, n, 2);
	return tagged(b, (uint8_t)(tag16 + 1), n, 4);
}

static int pack_body(struct proto_buf *b, const void *p, size_t n)
{
	uint8_t *d = room(b, n);

	if (!d)
		return TN_ERR_NOMEM;
	if (n)
		memcpy(d, p, n);
	b->len += n;
	return 0;
}

static int pack_str(struct proto_buf *b, const char *s, size_t n)
{
	return head(b, (uint32_t)n, 0xa0, 32, 0xd9, 0xda) || pack_body(b, s, n) ? TN_ERR_NOMEM : 0;
}

static int pack_bin(struct proto_buf *b, const void *p, size_t n)
{
	return head(b, (uint32_t)n, 0, 0, 0xc4, 0xc5) || pack_body(b, p, n) ? TN_ERR_NOMEM : 0;
}

static uint32_t count_of(const struct proto_field *f, const void *obj)
{
	return *(const uint32_t *)((const char *)obj + f->cnt_off);
}

static int pack_arr(struct proto_buf *b, const struct proto_field *f, const void *obj)
{
	uint32_t n = count_of(f, obj);
	const char *items;
	int rc;

	memcpy(&items, FIELD(obj, f), sizeof(items));
	if ((rc = head(b, n, 0x90, 16, 0, 0xdc)))
		return rc;
	for (uint32_t i = 0; i < n; i++)
		if ((rc = proto__pack(b, f->sub, items + (size_t)i * f->sub->size)))
			return rc;
	return 0;
}

static int pack_field(struct proto_buf *b, const struct proto_field *f, const void *obj)
{
	const char *p = FIELD(obj, f);
	const void *blob;
	uint64_t u;
	int64_t i;

	switch (f->type) {
	case PF_STR:
		return pack_str(b, p, strlen(p));
	case PF_U64:
		memcpy(&u, p, 8);
		return pack_uint(b, u);
	case PF_U32:
		return pack_uint(b, *(const uint32_t *)p);
	case PF_I64:
		memcpy(&i, p, 8);
		return pack_int(b, i);
	case PF_BOOL:
		return tagged(b, *(const bool *)p ? 0xc3 : 0xc2, 0, 0);
	case PF_BIN:
		return pack_bin(b, p, f->size);
	case PF_ARR:
		return pack_arr(b, f, obj);
	case PF_BLOB:
		memcpy(&blob, p, sizeof(blob));
		return pack_bin(b, blob, count_of(f, obj));
	case PF_OBJ:
		return proto_sub(f, obj) ? proto__pack(b, f->sub, proto_sub(f, obj)) :
		       head(b, 0, 0x80, 16, 0, 0xde);
	}
	return TN_ERR_INVALID;
}

int proto__pack(struct proto_buf *b, const struct proto_schema *s, const void *obj)
{
	uint32_t n = 0;
	int rc;

	for (uint32_t i = 0; i < s->n; i++)
		n += proto__present(&s->fields[i], obj);
	if ((rc = head(b, n, 0x80, 16, 0, 0xde)))
		return rc;
	for (uint32_t i = 0; i < s->n; i++) {
		const struct proto_field *f = &s->fields[i];

		if (!proto__present(f, obj))
			continue;
		if ((rc = pack_str(b, f->key, strlen(f->key))) || (rc = pack_field(b, f, obj)))
			return rc;
	}
	return 0;
}
