/* SPDX-License-Identifier: Apache-2.0 */
/* libFuzzer target for the msgpack path: the pre-unpack scan, proto_msg_parse,
 * schema decodes (then encode/decode round trips), JSON and text output,
 * record.import requests read from their bytes (against the decoder).
 * The peer messages come from the registry, wire_types[], with their
 * signing rules. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../proto/proto_int.h"
#include "../all_schema.h"

/* Schemas that are not peer message types; those are walked in wire_types[]. */
static const struct proto_schema *const schemas[] = {
	&proto_record_schema, &proto_stolen_schema, &proto_event_schema, &all_schema,
	&proto_event_arg_schema, &proto_import_result_schema, &proto_status_schema,
	&proto_id_arg_schema, &proto_find_arg_schema, &proto_hello_schema,
	&proto_envelope_schema, &proto_env_header_schema, &proto_sealed_schema, &proto_peer_schema,
	&proto_policy_arg_schema, &proto_card_info_schema, &proto_name_arg_schema,
	&proto_peer_list_schema, &proto_ping_result_schema, &proto_query_arg_schema,
	&proto_query_reply_schema, &proto_alert_list_schema, &proto_outmsg_schema,
	&proto_receipt_schema, &proto_trace_schema, &proto_trace_in_schema,
	&proto_trace_arg_schema, &proto_audit_schema, &proto_audit_list_schema,
	&proto_audit_verify_schema, &proto_audit_verify_arg_schema, &proto_witnessed_schema,
	&proto_evidence_schema,
};

/* Link frames carry their message under "m", console requests under "args";
 * the peer message types are tried under every key too. */
static const struct proto_schema *const keyed[] = {
	&proto_record_schema, &proto_envelope_schema, &proto_hello_schema, &proto_sealed_schema,
	&proto_query_arg_schema, &proto_trace_arg_schema,
};

#define NOT_WIRE (-1)

static const char *const keys[] = { "m", "args", "data", "record", "t", "cmd", "id" };

static void check(int ok, const char *what)
{
	if (!ok) {
		fprintf(stderr, "fuzz_decode: %s\n", what);
		abort();
	}
}

#define FIELD(base, f) ((const char *)(base) + (f)->off)

static uint32_t count_of(const struct proto_field *f, const void *obj)
{
	uint32_t n;

	memcpy(&n, (const char *)obj + f->cnt_off, sizeof(n));
	return n;
}

/* Field-by-field equality of two decoded objects of schema s. */
static bool obj_equal(const struct proto_schema *s, const void *a, const void *b)
{
	for (uint32_t i = 0; i < s->n; i++) {
		const struct proto_field *f = &s->fields[i];
		const char *pa = FIELD(a, f), *pb = FIELD(b, f);
		const char *ia, *ib;

		switch (f->type) {
		case PF_STR:
			if (strcmp(pa, pb))
				return false;
			break;
		case PF_ARR:
			if (count_of(f, a) != count_of(f, b))
				return false;
			memcpy(&ia, pa, sizeof(ia));
			memcpy(&ib, pb, sizeof(ib));
			for (uint32_t k = 0; k < count_of(f, a); k++)
				if (!obj_equal(f->sub, ia + (size_t)k * f->sub->size,
					       ib + (size_t)k * f->sub->size))
					return false;
			break;
		case PF_OBJ:
			if (!proto_sub(f, a) || !proto_sub(f, b)) {
				if (proto_sub(f, a) != proto_sub(f, b))
					return false;
			} else if (!obj_equal(f->sub, proto_sub(f, a), proto_sub(f, b))) {
				return false;
			}
			break;
		case PF_BLOB:
			if (count_of(f, a) != count_of(f, b))
				return false;
			memcpy(&ia, pa, sizeof(ia));
			memcpy(&ib, pb, sizeof(ib));
			if (count_of(f, a) && memcmp(ia, ib, count_of(f, a)))
				return false;
			break;
		case PF_BOOL:
			if (*(const bool *)pa != *(const bool *)pb)
				return false;
			break;
		default:
			if (memcmp(pa, pb, f->size))
				return false;
		}
	}
	return true;
}

/* What decode accepted must encode, decode again to an equal object, and
 * encode again to the same bytes. */
static void round_trip(const struct proto_schema *s, const void *obj)
{
	struct proto_buf b1 = { 0 }, b2 = { 0 };
	char why[256] = "";
	void *back = malloc(s->size);

	check(back != NULL, "malloc");
	check(proto_encode(s, obj, &b1) == 0, "encode failed");
	if (proto_decode(s, b1.data, b1.len, back, why, sizeof(why))) {
		fprintf(stderr, "fuzz_decode: %s: re-encoded object does not decode: %s\n",
			s->name, why);
		abort();
	}
	check(obj_equal(s, obj, back), "round trip changed the object");
	check(proto_encode(s, back, &b2) == 0, "second encode failed");
	check(b1.len == b2.len && !memcmp(b1.data, b2.data, b1.len),
	      "encoding is not stable");
	proto_release(s, back);
	free(back);
	proto_buf_free(&b1);
	proto_buf_free(&b2);
}

static FILE *devnull(void)
{
	static FILE *null;

	if (!null && !(null = fopen("/dev/null", "w")))
		abort();
	return null;
}

/* Decode with s; a peer message (type not NOT_WIRE) must also get a
 * yes or no from its signing rule. */
static void decode_with(struct proto_msg *m, const char *key, const struct proto_schema *s,
			int type)
{
	void *obj = malloc(s->size);
	int sign;

	check(obj != NULL, "malloc");
	if (proto_msg_decode(m, key, s, obj) == 0) {
		if (type != NOT_WIRE) {
			sign = wire_must_sign(type, obj);
			check(sign == 0 || sign == 1, "signing rule is not 0 or 1");
		}
		round_trip(s, obj);
		check(proto_json_write(s, obj, devnull()) == 0, "JSON of a decoded object failed");
		proto_release(s, obj);
	} else {
		check(strlen(proto_msg_error(m)) > 0, "empty error");
	}
	free(obj);
}

/* Every row of the message registry, under key (NULL: the whole message). */
static void decode_wire(struct proto_msg *m, const char *key)
{
	for (int t = 0; t < WIRE_COUNT; t++)
		decode_with(m, key, wire_types[t].schema, t);
}

/* The scan must never pass what msgpack-c then refuses or half reads. */
static void check_scan(const uint8_t *data, size_t size)
{
	msgpack_unpacked u;
	size_t off = 0;
	int rc;

	if (proto__scan(data, size))
		return;
	msgpack_unpacked_init(&u);
	rc = msgpack_unpack_next(&u, (const char *)data, size, &off);
	check(rc == MSGPACK_UNPACK_SUCCESS && off == size, "scan passed what msgpack refuses");
	msgpack_unpacked_destroy(&u);
}

/* The direct decode must agree with the parsed-message decode. */
static void check_direct(const uint8_t *data, size_t size, int msg_rc)
{
	struct tn_record r;
	char why[160];
	int rc = proto_decode(&proto_record_schema, data, size, &r, why, sizeof(why));

	check((rc == 0) == (msg_rc == 0), "proto_decode and proto_msg_decode disagree");
	if (rc == 0)
		proto_release(&proto_record_schema, &r);
	else
		check(r.events == NULL && r.n_events == 0, "failed decode left an array");
}

/* A record the canonical reader takes is one the decoder takes too, to an
 * equal struct, that encodes to the very bytes read. */
static void check_canon(const uint8_t *data, size_t size)
{
	static struct tn_event scratch[TN_EVENTS_MAX];
	struct proto_buf b = { 0 };
	struct tn_record r, d;
	size_t off = 0;

	if (proto_record_canon(data, size, &off, &r, scratch))
		return;
	check(off <= size, "canon read past the end");
	check(proto_decode(&proto_record_schema, data, off, &d, NULL, 0) == 0,
	      "canon took what the decoder refuses");
	check(obj_equal(&proto_record_schema, &r, &d), "canon and the decoder disagree");
	check(proto_encode(&proto_record_schema, &r, &b) == 0, "encode of a canon record");
	check(b.len == off && !memcmp(b.data, data, off), "canon took another form");
	proto_release(&proto_record_schema, &d);
	proto_buf_free(&b);
}

/* The data as a whole record.import request: every record read is checked,
 * and its bytes decode to it; the cmd peek agrees with the parsed message. */
static void check_import(const uint8_t *data, size_t size, struct proto_msg *m)
{
	struct proto_import im;
	struct proto_import_rec rec;
	char why[256], cmd[TN_CMD_LEN], want[TN_CMD_LEN];
	struct tn_record d;
	int rc = proto_import_open(&im, data, size, why, sizeof(why));

	while (!rc && im.next < im.n) {
		rc = proto_import_next(&im, &rec, why, sizeof(why));
		if (rc == TN_ERR_INVALID) {
			rc = 0;
			continue;
		}
		if (rc)
			break;
		check(proto_decode(&proto_record_schema, rec.enc, rec.len, &d, NULL, 0) == 0,
		      "an imported record's bytes do not decode");
		d.id = rec.r.id;
		check(obj_equal(&proto_record_schema, &rec.r, &d), "imported bytes differ");
		proto_release(&proto_record_schema, &d);
	}
	if (!rc)
		(void)proto_import_end(&im, why, sizeof(why));
	proto_import_close(&im);
	if (proto_request_cmd(data, size, cmd, sizeof(cmd)) == 0 && m)
		check(proto_msg_str(m, "cmd", want, sizeof(want)) == 0 && !strcmp(cmd, want),
		      "cmd peek and the parsed message disagree");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	FILE *null = devnull();
	struct proto_msg *m;
	struct tn_record r;
	char s[64];
	int64_t v;
	int b, rc;

	check_scan(data, size);
	check_canon(data, size);
	if (proto_msg_parse(&m, data, size)) {
		check(m == NULL, "failed parse left a message");
		check_direct(data, size, -1);
		check_import(data, size, NULL);
		return 0;
	}
	check_import(data, size, m);
	(void)proto_msg_json(m, NULL, null);
	(void)proto_msg_print(m, NULL, null);
	for (size_t i = 0; i < sizeof(schemas) / sizeof(schemas[0]); i++)
		decode_with(m, NULL, schemas[i], NOT_WIRE);
	decode_wire(m, NULL);
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		(void)proto_msg_json(m, keys[i], null);
		(void)proto_msg_print(m, keys[i], null);
		for (size_t k = 0; k < sizeof(keyed) / sizeof(keyed[0]); k++)
			decode_with(m, keys[i], keyed[k], NOT_WIRE);
		decode_wire(m, keys[i]);
		if (proto_msg_str(m, keys[i], s, sizeof(s)) == 0)
			check(strlen(s) < sizeof(s), "string not terminated");
		(void)proto_msg_i64(m, keys[i], &v);
		(void)proto_msg_bool(m, keys[i], &b);
	}
	if (proto_frame_type(m, s, sizeof(s)) == 0)
		check(strlen(s) < sizeof(s), "frame type not terminated");
	check(proto_msg_json(m, NULL, NULL) == 0, "json presence check of the whole message");
	rc = proto_msg_decode(m, NULL, &proto_record_schema, &r);
	if (rc == 0)
		proto_release(&proto_record_schema, &r);
	proto_msg_free(m);
	check_direct(data, size, rc);
	return 0;
}
