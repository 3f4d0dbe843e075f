/* SPDX-License-Identifier: Apache-2.0 */
/* JSON output of parsed messages, for `tracectl --json`. Binary values
 * become lower-case hex strings. */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "proto_int.h"

static json_t *to_json(const msgpack_object *o);

static json_t *hex_json(const uint8_t *p, size_t n)
{
	static const char digits[] = "0123456789abcdef";
	char *s = malloc(2 * n + 1);
	json_t *j;

	if (!s)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		s[2 * i] = digits[p[i] >> 4];
		s[2 * i + 1] = digits[p[i] & 15];
	}
	s[2 * n] = '\0';
	j = json_string(s);
	free(s);
	return j;
}

static json_t *map_json(const msgpack_object *o)
{
	json_t *obj = json_object();

	for (uint32_t i = 0; obj && i < o->via.map.size; i++) {
		const msgpack_object *k = &o->via.map.ptr[i].key;
		char key[128];

		if (k->type != MSGPACK_OBJECT_STR || k->via.str.size >= sizeof(key))
			continue;
		proto__copy(key, k->via.str.ptr, k->via.str.size);
		key[k->via.str.size] = '\0';
		json_object_set_new(obj, key, to_json(&o->via.map.ptr[i].val));
	}
	return obj;
}

static json_t *array_json(const msgpack_object *o)
{
	json_t *arr = json_array();

	for (uint32_t i = 0; arr && i < o->via.array.size; i++)
		json_array_append_new(arr, to_json(&o->via.array.ptr[i]));
	return arr;
}

static json_t *to_json(const msgpack_object *o)
{
	switch (o->type) {
	case MSGPACK_OBJECT_BOOLEAN:
		return json_boolean(o->via.boolean);
	case MSGPACK_OBJECT_POSITIVE_INTEGER:
		if (o->via.u64 > INT64_MAX)
			return json_real((double)o->via.u64);
		return json_integer((json_int_t)o->via.u64);
	case MSGPACK_OBJECT_NEGATIVE_INTEGER:
		return json_integer(o->via.i64);
	case MSGPACK_OBJECT_FLOAT32:
	case MSGPACK_OBJECT_FLOAT64:
		return json_real(o->via.f64);
	case MSGPACK_OBJECT_STR:
		/* msgpack-c may give an empty string a NULL pointer. */
		return json_stringn(o->via.str.size ? o->via.str.ptr : "", o->via.str.size);
	case MSGPACK_OBJECT_BIN:
		return hex_json((const uint8_t *)o->via.bin.ptr, o->via.bin.size);
	case MSGPACK_OBJECT_ARRAY:
		return array_json(o);
	case MSGPACK_OBJECT_MAP:
		return map_json(o);
	default:
		return json_null();
	}
}

int proto_msg_json(const struct proto_msg *m, const char *key, FILE *f)
{
	const msgpack_object *o = key ? proto__get(&m->u.data, key) : &m->u.data;
	json_t *j;
	int rc;

	if (!o)
		return TN_ERR_FIELD;
	if (!f)
		return 0;
	if (!(j = to_json(o)))
		return TN_ERR_NOMEM;
	rc = json_dumpf(j, f, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_ENCODE_ANY);
	fputc('\n', f);
	json_decref(j);
	return rc ? TN_ERR_IO : 0;
}
