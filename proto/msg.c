/* SPDX-License-Identifier: Apache-2.0 */
/* Parsed messages: one checked unpack, then typed reads and schema
 * decodes of its parts. */
#include <stdlib.h>
#include <string.h>

#include "proto_int.h"

/* Scans and unpacks before allocating; the unpacked value owns its zone
 * through a pointer, so it may be moved into the message. */
int proto_msg_parse(struct proto_msg **out, const void *buf, size_t len)
{
	msgpack_unpacked u;
	struct proto_msg *m;
	int rc;

	*out = NULL;
	if ((rc = proto__unpack(&u, buf, len)))
		return rc;
	if (!(m = calloc(1, sizeof(*m)))) {
		msgpack_unpacked_destroy(&u);
		return TN_ERR_NOMEM;
	}
	m->u = u;
	*out = m;
	return 0;
}

void proto_msg_free(struct proto_msg *m)
{
	if (!m)
		return;
	msgpack_unpacked_destroy(&m->u);
	free(m);
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

int proto_msg_str(const struct proto_msg *m, const char *key, char *out, size_t cap)
{
	const msgpack_object *v = proto__get(&m->u.data, key);

	if (!v || v->type != MSGPACK_OBJECT_STR || v->via.str.size >= cap ||
	    (v->via.str.size && memchr(v->via.str.ptr, 0, v->via.str.size)))
		return TN_ERR_FIELD;
	proto__copy(out, v->via.str.ptr, v->via.str.size);
	out[v->via.str.size] = '\0';
	return 0;
}

int proto_msg_i64(const struct proto_msg *m, const char *key, int64_t *out)
{
	const msgpack_object *v = proto__get(&m->u.data, key);

	if (!v)
		return TN_ERR_FIELD;
	if (v->type == MSGPACK_OBJECT_NEGATIVE_INTEGER ||
	    (v->type == MSGPACK_OBJECT_POSITIVE_INTEGER && v->via.u64 <= INT64_MAX)) {
		*out = v->via.i64;
		return 0;
	}
	return TN_ERR_FIELD;
}

int proto_msg_bool(const struct proto_msg *m, const char *key, int *out)
{
	const msgpack_object *v = proto__get(&m->u.data, key);

	if (!v || v->type != MSGPACK_OBJECT_BOOLEAN)
		return TN_ERR_FIELD;
	*out = v->via.boolean;
	return 0;
}

int proto_msg_decode(struct proto_msg *m, const char *key,
		     const struct proto_schema *s, void *obj)
{
	const msgpack_object *o = key ? proto__get(&m->u.data, key) : &m->u.data;
	int rc;

	memset(obj, 0, s->size);
	m->err[0] = '\0';
	if (!o) {
		snprintf(m->err, sizeof(m->err), "field '%s': missing", key);
		return TN_ERR_FIELD;
	}
	rc = proto__decode_obj(o, s, obj, m->err, sizeof(m->err));
	if (rc)
		proto_release(s, obj);
	return rc;
}

const char *proto_msg_error(const struct proto_msg *m)
{
	return m->err[0] ? m->err : "malformed message";
}
