/* SPDX-License-Identifier: Apache-2.0 */
/* Encoding: schema objects and hand-built maps, packed into proto_bufs. */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "proto_int.h"

#define FIELD(base, f) ((const char *)(base) + (f)->off)

struct proto_writer {
	msgpack_packer pk;
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

static int pack_arr(msgpack_packer *pk, const struct proto_field *f, const void *obj)
{
	uint32_t n = arr_count(f, obj);
	const char *items;
	int rc;

	memcpy(&items, FIELD(obj, f), sizeof(items));
	if ((rc = msgpack_pack_array(pk, n)))
		return rc;
	for (uint32_t i = 0; i < n; i++)
		if ((rc = proto__pack_obj(pk, f->sub, items + (size_t)i * f->sub->size)))
			return rc;
	return 0;
}

static int pack_field(msgpack_packer *pk, const struct proto_field *f, const void *obj)
{
	const char *p = FIELD(obj, f);
	const void *blob;
	uint64_t u;
	int64_t i;

	switch (f->type) {
	case PF_STR:
		return msgpack_pack_str_with_body(pk, p, strlen(p));
	case PF_U64:
		memcpy(&u, p, 8);
		return msgpack_pack_uint64(pk, u);
	case PF_U32:
		return msgpack_pack_uint32(pk, *(const uint32_t *)p);
	case PF_I64:
		memcpy(&i, p, 8);
		return msgpack_pack_int64(pk, i);
	case PF_BOOL:
		return *(const bool *)p ? msgpack_pack_true(pk) : msgpack_pack_false(pk);
	case PF_BIN:
		return msgpack_pack_bin_with_body(pk, p, f->size);
	case PF_ARR:
		return pack_arr(pk, f, obj);
	case PF_BLOB:
		memcpy(&blob, p, sizeof(blob));
		return msgpack_pack_bin_with_body(pk, blob, arr_count(f, obj));
	case PF_OBJ:
		if (!proto_sub(f, obj))
			return msgpack_pack_map(pk, 0);
		return proto__pack_obj(pk, f->sub, proto_sub(f, obj));
	}
	return -1;
}

int proto__pack_obj(msgpack_packer *pk, const struct proto_schema *s, const void *obj)
{
	uint32_t n = 0;
	int rc;

	for (uint32_t i = 0; i < s->n; i++)
		n += present(&s->fields[i], obj);
	if ((rc = msgpack_pack_map(pk, n)))
		return rc;
	for (uint32_t i = 0; i < s->n; i++) {
		const struct proto_field *f = &s->fields[i];

		if (!present(f, obj))
			continue;
		if ((rc = msgpack_pack_str_with_body(pk, f->key, strlen(f->key))) ||
		    (rc = pack_field(pk, f, obj)))
			return rc;
	}
	return 0;
}

int proto_encode(const struct proto_schema *s, const void *obj, struct proto_buf *out)
{
	msgpack_packer pk;

	msgpack_packer_init(&pk, out, proto__buf_write);
	return proto__pack_obj(&pk, s, obj) ? TN_ERR_NOMEM : 0;
}

struct proto_writer *proto_writer_new(struct proto_buf *out)
{
	struct proto_writer *w = malloc(sizeof(*w));

	if (w)
		msgpack_packer_init(&w->pk, out, proto__buf_write);
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
	return W(proto__pack_obj(&w->pk, s, obj));
}
