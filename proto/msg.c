/* SPDX-License-Identifier: Apache-2.0 */
/* Parsed messages: one check of the bytes, then typed reads and schema
 * decodes of their parts, in place. */
#include <stdlib.h>
#include <string.h>

#include "proto_int.h"

/* Scans before allocating, then keeps a copy of the bytes: fields are
 * read from them in place. */
int proto_msg_parse(struct proto_msg **out, const void *buf, size_t len)
{
	struct proto_msg *m;
	int rc;

	*out = NULL;
	if ((rc = proto__scan(buf, len)))
		return rc;
	if (!proto__is_map(buf, len))
		return TN_ERR_DECODE;
	if (!(m = calloc(1, sizeof(*m))) || !(m->buf = malloc(len))) {
		free(m);
		return TN_ERR_NOMEM;
	}
	memcpy(m->buf, buf, len);
	m->len = len;
	*out = m;
	return 0;
}

void proto_msg_free(struct proto_msg *m)
{
	if (!m)
		return;
	free(m->buf);
	free(m);
}

int proto__msg_unpack(const struct proto_msg *m, msgpack_unpacked *u)
{
	return proto__unpack(u, m->buf, m->len);
}

const msgpack_object *proto__get(const msgpack_object *o, const char *key)
{
	size_t klen = strlen(key);

	if (o->type != MSGPACK_OBJECT_MAP)
		return NULL;
	for (uint32_t i = 0; i < o->via.map.size; i++) {
		const msgpack_object *k = &o->via.map.ptr[i].key;

		if (k->type == MSGPACK_OBJECT_STR && k->via.str.size == klen &&
		    !memcmp(k->via.str.ptr, key, klen))
			return &o->via.map.ptr[i].val;
	}
	return NULL;
}

/* The scalar under key at the top of m. */
static int scalar(const struct proto_msg *m, const char *key, int *kind, uint64_t *u,
		  const uint8_t **ptr)
{
	struct proto_rd all = { m->buf, m->len, 0 }, at;

	if (proto__find(&all, key, &at) || proto__read_scalar(&at, kind, u, ptr))
		return TN_ERR_FIELD;
	return 0;
}

int proto_msg_str(const struct proto_msg *m, const char *key, char *out, size_t cap)
{
	const uint8_t *p = NULL;
	uint64_t n;
	int kind;

	if (scalar(m, key, &kind, &n, &p) || kind != PROTO_RD_STR || n >= cap ||
	    (n && memchr(p, 0, n)))
		return TN_ERR_FIELD;
	proto__copy(out, p, n);
	out[n] = '\0';
	return 0;
}

int proto_msg_i64(const struct proto_msg *m, const char *key, int64_t *out)
{
	const uint8_t *p;
	uint64_t u;
	int kind;

	if (scalar(m, key, &kind, &u, &p) ||
	    !(kind == PROTO_RD_NEG || (kind == PROTO_RD_POS && u <= INT64_MAX)))
		return TN_ERR_FIELD;
	*out = (int64_t)u;
	return 0;
}

int proto_msg_bool(const struct proto_msg *m, const char *key, int *out)
{
	const uint8_t *p;
	uint64_t u;
	int kind;

	if (scalar(m, key, &kind, &u, &p) || kind != PROTO_RD_BOOL)
		return TN_ERR_FIELD;
	*out = (int)u;
	return 0;
}

int proto_msg_decode(struct proto_msg *m, const char *key,
		     const struct proto_schema *s, void *obj)
{
	struct proto_rd all = { m->buf, m->len, 0 }, at = all;
	int rc;

	memset(obj, 0, s->size);
	m->err[0] = '\0';
	if (key && proto__find(&all, key, &at)) {
		snprintf(m->err, sizeof(m->err), "field '%s': missing", key);
		return TN_ERR_FIELD;
	}
	rc = proto__read_obj(&at, s, obj, m->err, sizeof(m->err));
	if (rc)
		proto_release(s, obj);
	return rc;
}

const char *proto_msg_error(const struct proto_msg *m)
{
	return m->err[0] ? m->err : "malformed message";
}
