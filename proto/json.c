/* SPDX-License-Identifier: Apache-2.0 */
/* JSON output for `tracectl --json`: of schema objects, with every field
 * and identifiers as strings, and of parsed messages without a schema.
 * Binary values become lower-case hex strings. */
#include <inttypes.h>
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

/* A JSON integer cannot hold every uint64_t (and a double rounds it):
 * identifiers, and anything above INT64_MAX, are strings. */
static json_t *u64_json(uint64_t v, unsigned flags)
{
	char text[24];

	if (flags & PF_HEX64)
		snprintf(text, sizeof(text), "%016" PRIx64, v);
	else if ((flags & PF_ID) || v > INT64_MAX)
		snprintf(text, sizeof(text), "%" PRIu64, v);
	else
		return json_integer((json_int_t)v);
	return json_string(text);
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
		return u64_json(o->via.u64, 0);
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

static int dump(json_t *j, FILE *f)
{
	int rc;

	if (!j)
		return TN_ERR_NOMEM;
	rc = json_dumpf(j, f, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_ENCODE_ANY);
	fputc('\n', f);
	json_decref(j);
	return rc ? TN_ERR_IO : 0;
}

/* ---- from a schema ---- */

static json_t *obj_json(const struct proto_schema *s, const char *obj);
static json_t *sub_json(const struct proto_field *f, const char *obj);

/* Decoded strings are valid UTF-8; a struct filled some other way may not
 * be, and loses its other bytes rather than its key. */
static json_t *str_json(const char *p, size_t n)
{
	json_t *j = json_stringn(p, n);
	char *ascii;

	if (j || !(ascii = malloc(n + 1)))
		return j;
	for (size_t i = 0; i < n; i++)
		ascii[i] = (unsigned char)p[i] < 0x80 ? p[i] : '?';
	j = json_stringn(ascii, n);
	free(ascii);
	return j;
}

static uint32_t count_of(const struct proto_field *f, const char *obj)
{
	uint32_t n;

	memcpy(&n, obj + f->cnt_off, sizeof(n));
	return n;
}

static json_t *arr_json(const struct proto_field *f, const char *obj)
{
	json_t *arr = json_array();
	uint32_t n = count_of(f, obj);
	const char *items;

	memcpy(&items, obj + f->off, sizeof(items));
	for (uint32_t i = 0; arr && items && i < n; i++)
		if (json_array_append_new(arr, obj_json(f->sub, items + (size_t)i * f->sub->size))) {
			json_decref(arr);
			return NULL;
		}
	return arr;
}

static json_t *field_json(const struct proto_field *f, const char *obj)
{
	const char *p = obj + f->off;
	const uint8_t *blob;
	uint64_t u;
	int64_t i;
	uint32_t n;

	switch (f->type) {
	case PF_STR:
		return str_json(p, strnlen(p, f->size));
	case PF_U64:
		memcpy(&u, p, sizeof(u));
		return u64_json(u, f->flags);
	case PF_U32:
		memcpy(&n, p, sizeof(n));
		return json_integer(n);
	case PF_I64:
		memcpy(&i, p, sizeof(i));
		return json_integer(i);
	case PF_BOOL:
		return json_boolean(*(const bool *)p);
	case PF_BIN:
		return hex_json((const uint8_t *)p, f->size);
	case PF_BLOB:
		memcpy(&blob, p, sizeof(blob));
		return hex_json(blob, blob ? count_of(f, obj) : 0);
	case PF_ARR:
		return arr_json(f, obj);
	case PF_OBJ:
		return sub_json(f, obj);
	}
	return NULL;
}

/* An absent object keeps its shape: the same keys, empty. */
static json_t *sub_json(const struct proto_field *f, const char *obj)
{
	const char *sub = proto_sub(f, obj);
	char *empty;
	json_t *j;

	if (sub)
		return obj_json(f->sub, sub);
	if (!(empty = calloc(1, f->sub->size)))
		return NULL;
	j = obj_json(f->sub, empty);
	free(empty);
	return j;
}

static json_t *obj_json(const struct proto_schema *s, const char *obj)
{
	json_t *j = json_object();

	for (uint32_t i = 0; j && i < s->n; i++)
		if (json_object_set_new(j, s->fields[i].key, field_json(&s->fields[i], obj))) {
			json_decref(j);
			return NULL;
		}
	return j;
}

int proto_json_write(const struct proto_schema *s, const void *obj, FILE *f)
{
	return dump(s ? obj_json(s, obj) : json_object(), f);
}

int proto_json_write_pair(const char *k1, const struct proto_schema *s1, const void *o1,
			  const char *k2, const struct proto_schema *s2, const void *o2, FILE *f)
{
	json_t *j = json_object();

	/* json_object_set_new takes the value, even when it fails. */
	if (!j || json_object_set_new(j, k1, obj_json(s1, o1)) ||
	    json_object_set_new(j, k2, obj_json(s2, o2))) {
		json_decref(j);
		return TN_ERR_NOMEM;
	}
	return dump(j, f);
}

/* ---- without a schema ---- */

int proto_msg_json(const struct proto_msg *m, const char *key, FILE *f)
{
	const msgpack_object *o;
	msgpack_unpacked u;
	int rc = proto__msg_unpack(m, &u);

	if (rc)
		return rc;
	if (!(o = key ? proto__get(&u.data, key) : &u.data))
		rc = TN_ERR_FIELD;
	else if (f)
		rc = dump(to_json(o), f);
	msgpack_unpacked_destroy(&u);
	return rc;
}
