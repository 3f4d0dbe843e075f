/* SPDX-License-Identifier: Apache-2.0 */
/* Text at the console's edge: fields set from command-line options, and
 * replies printed for a person. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "proto_int.h"

static const struct proto_field *field_named(const struct proto_schema *s, const char *key)
{
	char name[64];
	size_t i;

	for (i = 0; key[i] && i + 1 < sizeof(name); i++)
		name[i] = key[i] == '-' ? '_' : key[i];
	name[i] = '\0';
	for (uint32_t k = 0; k < s->n; k++)
		if (!strcmp(s->fields[k].key, name))
			return &s->fields[k];
	return NULL;
}

static int parse_bool(const char *v, bool *out)
{
	if (!strcmp(v, "1") || !strcasecmp(v, "yes") || !strcasecmp(v, "true"))
		*out = true;
	else if (!strcmp(v, "0") || !strcasecmp(v, "no") || !strcasecmp(v, "false"))
		*out = false;
	else
		return TN_ERR_INVALID;
	return 0;
}

static int parse_int(const char *v, int is_signed, void *out, uint64_t max)
{
	char *end;
	uint64_t u;
	int64_t i;

	errno = 0;
	if (is_signed) {
		i = strtoll(v, &end, 10);
		memcpy(out, &i, 8);
	} else {
		if (*v == '-')
			return TN_ERR_INVALID;
		u = strtoull(v, &end, 10);
		if (u > max)
			return TN_ERR_INVALID;
		if (max == UINT32_MAX)
			*(uint32_t *)out = (uint32_t)u;
		else
			memcpy(out, &u, 8);
	}
	return errno || end == v || *end ? TN_ERR_INVALID : 0;
}

int proto_field_set(const struct proto_schema *s, void *obj, const char *key, const char *val)
{
	const struct proto_field *f = field_named(s, key);
	char *p;

	if (!f)
		return TN_ERR_NOT_FOUND;
	p = (char *)obj + f->off;
	switch (f->type) {
	case PF_STR:
		if (strlen(val) >= f->size)
			return TN_ERR_TOO_BIG;
		memcpy(p, val, strlen(val) + 1);
		return 0;
	case PF_U64:
		return parse_int(val, 0, p, UINT64_MAX);
	case PF_U32:
		return parse_int(val, 0, p, UINT32_MAX);
	case PF_I64:
		return parse_int(val, 1, p, 0);
	case PF_BOOL:
		return parse_bool(val, (bool *)p);
	}
	return TN_ERR_INVALID;
}

static void print_value(const msgpack_object *o, int indent, FILE *f);

/* Control characters from a peer must not reach the operator's terminal. */
static void print_safe(const char *s, size_t n, FILE *f)
{
	for (size_t i = 0; i < n; i++)
		fputc((unsigned char)s[i] < 0x20 || s[i] == 0x7f ? '?' : s[i], f);
}

static void print_scalar(const msgpack_object *o, FILE *f)
{
	switch (o->type) {
	case MSGPACK_OBJECT_BOOLEAN:
		fputs(o->via.boolean ? "yes" : "no", f);
		break;
	case MSGPACK_OBJECT_POSITIVE_INTEGER:
		fprintf(f, "%llu", (unsigned long long)o->via.u64);
		break;
	case MSGPACK_OBJECT_NEGATIVE_INTEGER:
		fprintf(f, "%lld", (long long)o->via.i64);
		break;
	case MSGPACK_OBJECT_FLOAT32:
	case MSGPACK_OBJECT_FLOAT64:
		fprintf(f, "%g", o->via.f64);
		break;
	case MSGPACK_OBJECT_STR:
		print_safe(o->via.str.ptr, o->via.str.size, f);
		break;
	case MSGPACK_OBJECT_BIN:
		for (uint32_t i = 0; i < o->via.bin.size; i++)
			fprintf(f, "%02x", (uint8_t)o->via.bin.ptr[i]);
		break;
	default:
		fputs("-", f);
	}
}

static int is_container(const msgpack_object *o)
{
	return (o->type == MSGPACK_OBJECT_MAP && o->via.map.size) ||
	       (o->type == MSGPACK_OBJECT_ARRAY && o->via.array.size);
}

/* A query id, shown as the console and the audit show it: 16 hex digits. */
static int is_qid(const msgpack_object_kv *kv)
{
	return kv->key.type == MSGPACK_OBJECT_STR && kv->key.via.str.size == 3 &&
	       !memcmp(kv->key.via.str.ptr, "qid", 3) &&
	       kv->val.type == MSGPACK_OBJECT_POSITIVE_INTEGER;
}

static void print_map(const msgpack_object *o, int indent, int first_inline, FILE *f)
{
	for (uint32_t i = 0; i < o->via.map.size; i++) {
		const msgpack_object_kv *kv = &o->via.map.ptr[i];

		if (i || !first_inline)
			fprintf(f, "%*s", indent, "");
		print_scalar(&kv->key, f);
		fputc(':', f);
		if (is_qid(kv)) {
			fprintf(f, " %016llx\n", (unsigned long long)kv->val.via.u64);
		} else if (is_container(&kv->val)) {
			fputc('\n', f);
			print_value(&kv->val, indent + 2, f);
		} else {
			fputc(' ', f);
			print_scalar(&kv->val, f);
			fputc('\n', f);
		}
	}
}

static void print_value(const msgpack_object *o, int indent, FILE *f)
{
	if (o->type == MSGPACK_OBJECT_MAP) {
		print_map(o, indent, 0, f);
		return;
	}
	if (o->type != MSGPACK_OBJECT_ARRAY) {
		fprintf(f, "%*s", indent, "");
		print_scalar(o, f);
		fputc('\n', f);
		return;
	}
	for (uint32_t i = 0; i < o->via.array.size; i++) {
		const msgpack_object *v = &o->via.array.ptr[i];

		fprintf(f, "%*s- ", indent, "");
		if (v->type == MSGPACK_OBJECT_MAP && v->via.map.size) {
			print_map(v, indent + 2, 1, f);
		} else {
			print_scalar(v, f);
			fputc('\n', f);
		}
	}
}

int proto_msg_print(const struct proto_msg *m, const char *key, FILE *f)
{
	const msgpack_object *o;
	msgpack_unpacked u;
	int rc = proto__msg_unpack(m, &u);

	if (rc)
		return rc;
	if ((o = key ? proto__get(&u.data, key) : &u.data))
		print_value(o, 0, f);
	msgpack_unpacked_destroy(&u);
	return o ? 0 : TN_ERR_FIELD;
}
