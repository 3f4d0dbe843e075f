/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests of proto/: framing, the schema-driven msgpack codec, hostile
 * msgpack, JSON output and the writer. Run under ASan/valgrind for leaks. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../../proto/proto.h"
#include "../all_schema.h"

#define OK(x) assert_int_equal((x), 0)
#define WHY_LEN 256
/* A msgpack literal: bytes and their count, NULs included. */
#define MP(s) (const uint8_t *)(s), sizeof(s) - 1

/* ---- helpers ---- */

struct mp {
	struct proto_buf b;
	struct proto_writer *w;
};

static void mp_init(struct mp *m)
{
	memset(m, 0, sizeof(*m));
	m->w = proto_writer_new(&m->b);
	assert_non_null(m->w);
}

static void mp_done(struct mp *m)
{
	proto_writer_free(m->w);
	proto_buf_free(&m->b);
}

/* Raw bytes between writer calls: the packer writes straight into b. */
static void mp_raw(struct mp *m, const void *p, size_t n)
{
	OK(proto_buf_add(&m->b, p, n));
}

static void mp_kv(struct mp *m, const char *k, const char *v)
{
	OK(proto_w_str(m->w, k));
	OK(proto_w_str(m->w, v));
}

static int decode_record(const struct mp *m, struct tn_record *r, char *why)
{
	return proto_decode(&proto_record_schema, m->b.data, m->b.len, r, why, WHY_LEN);
}

static const char *const kinds[] = { "manufactured", "imported", "sold", "exported" };

static void fill_record(struct tn_record *r, uint32_t n_events)
{
	memset(r, 0, sizeof(*r));
	r->id = UINT64_MAX - 1;
	strcpy(r->make, "Česká zbrojovka");
	strcpy(r->model, "CZ 75 B");
	strcpy(r->caliber, "9×19mm");
	strcpy(r->type, "pistol");
	strcpy(r->serial, "A123-456/Ü");
	strcpy(r->country, "CZE");
	strcpy(r->importer, "Armería Ñandú S.A.");
	r->n_events = n_events;
	r->events = n_events ? calloc(n_events, sizeof(*r->events)) : NULL;
	for (uint32_t i = 0; i < n_events; i++) {
		struct tn_event *e = &r->events[i];

		strcpy(e->kind, kinds[i % 4]);
		snprintf(e->date, sizeof(e->date), "2019-03-%02u", i % 28 + 1);
		snprintf(e->party, sizeof(e->party), "dealer %u €", i);
		strcpy(e->place, "Ciudad de Guatemala");
		strcpy(e->country, "GTM");
		snprintf(e->ref, sizeof(e->ref), "LIC-%u", i * 7);
	}
}

static void assert_event_equal(const struct tn_event *a, const struct tn_event *b)
{
	assert_string_equal(a->kind, b->kind);
	assert_string_equal(a->date, b->date);
	assert_string_equal(a->party, b->party);
	assert_string_equal(a->place, b->place);
	assert_string_equal(a->country, b->country);
	assert_string_equal(a->ref, b->ref);
}

static void assert_record_equal(const struct tn_record *a, const struct tn_record *b)
{
	assert_true(a->id == b->id);
	assert_string_equal(a->make, b->make);
	assert_string_equal(a->model, b->model);
	assert_string_equal(a->caliber, b->caliber);
	assert_string_equal(a->type, b->type);
	assert_string_equal(a->serial, b->serial);
	assert_string_equal(a->country, b->country);
	assert_string_equal(a->importer, b->importer);
	assert_int_equal(a->n_events, b->n_events);
	for (uint32_t i = 0; i < a->n_events; i++)
		assert_event_equal(&a->events[i], &b->events[i]);
}

/* Decode {key: <raw value bytes>} with the all-types schema. */
static int decode_one(const char *key, const uint8_t *val, size_t n, char *why)
{
	struct t_all t;
	struct mp m;
	int rc;

	mp_init(&m);
	OK(proto_w_map(m.w, 1));
	OK(proto_w_str(m.w, key));
	mp_raw(&m, val, n);
	rc = proto_decode(&all_schema, m.b.data, m.b.len, &t, why, WHY_LEN);
	if (rc == 0)
		proto_release(&all_schema, &t);
	mp_done(&m);
	return rc;
}

/* ---- framer ---- */

/* Frames drained so far, copied out because bodies die at the next feed. */
struct got {
	uint8_t data[4096];
	size_t len[8];
	size_t total;
	int n;
};

static void drain(struct proto_framer *f, struct got *g)
{
	const uint8_t *body;
	size_t len;
	int rc;

	while ((rc = proto_framer_next(f, &body, &len)) == 1) {
		assert_true(g->n < 8 && g->total + len <= sizeof(g->data));
		memcpy(g->data + g->total, body, len);
		g->total += len;
		g->len[g->n++] = len;
	}
	assert_int_equal(rc, 0);
}

static void make_frames(struct proto_buf *out, uint8_t *b1, size_t n1, uint8_t *b2, size_t n2)
{
	for (size_t i = 0; i < n1; i++)
		b1[i] = (uint8_t)('a' + i % 26);
	for (size_t i = 0; i < n2; i++)
		b2[i] = (uint8_t)(i * 31 + 7);
	OK(proto_frame_write(out, b1, n1));
	OK(proto_frame_write(out, b2, n2));
}

static void test_framer_returns_frame_fed_byte_by_byte(void **state)
{
	struct proto_buf out = { 0 };
	struct proto_framer f;
	const uint8_t *body;
	size_t len;

	(void)state;
	OK(proto_frame_write(&out, "hello, peer", 11));
	proto_framer_init(&f, PROTO_FRAME_MAX_DEFAULT);
	for (size_t i = 0; i < out.len; i++) {
		OK(proto_framer_feed(&f, out.data + i, 1));
		assert_int_equal(proto_framer_next(&f, &body, &len), i + 1 == out.len);
	}
	assert_int_equal(len, 11);
	assert_memory_equal(body, "hello, peer", 11);
	assert_int_equal(proto_framer_next(&f, &body, &len), 0);
	proto_framer_free(&f);
	proto_buf_free(&out);
}

static void test_framer_returns_many_frames_from_one_feed(void **state)
{
	struct proto_buf out = { 0 };
	struct proto_framer f;
	const uint8_t *bodies[50];
	size_t len;

	(void)state;
	for (int i = 0; i < 50; i++) {
		uint8_t body[64];

		memset(body, i, sizeof(body));
		OK(proto_frame_write(&out, body, (size_t)i + 1));
	}
	proto_framer_init(&f, 64);
	OK(proto_framer_feed(&f, out.data, out.len));
	for (int i = 0; i < 50; i++) {
		assert_int_equal(proto_framer_next(&f, &bodies[i], &len), 1);
		assert_int_equal(len, i + 1);
	}
	assert_int_equal(proto_framer_next(&f, &bodies[0], &len), 0);
	/* Every body stays valid until the next feed. */
	for (int i = 0; i < 50; i++)
		for (int k = 0; k <= i; k++)
			assert_int_equal(bodies[i][k], i);
	proto_framer_free(&f);
	proto_buf_free(&out);
}

static void test_framer_joins_frames_split_at_every_position(void **state)
{
	uint8_t b1[5], b2[300];
	struct proto_buf out = { 0 };

	(void)state;
	make_frames(&out, b1, sizeof(b1), b2, sizeof(b2));
	for (size_t i = 0; i <= out.len; i++) {
		for (size_t j = i; j <= out.len; j++) {
			struct proto_framer f;
			struct got g = { .n = 0 };

			proto_framer_init(&f, 300);
			OK(proto_framer_feed(&f, out.data, i));
			drain(&f, &g);
			OK(proto_framer_feed(&f, out.data + i, j - i));
			drain(&f, &g);
			OK(proto_framer_feed(&f, out.data + j, out.len - j));
			drain(&f, &g);
			assert_int_equal(g.n, 2);
			assert_int_equal(g.len[0], sizeof(b1));
			assert_memory_equal(g.data, b1, sizeof(b1));
			assert_memory_equal(g.data + sizeof(b1), b2, sizeof(b2));
			proto_framer_free(&f);
		}
	}
	proto_buf_free(&out);
}

static void test_framer_refuses_oversize_header_before_body(void **state)
{
	static const uint8_t hdr[4] = { 0, 0, 0x03, 0xe9 }; /* 1001 */
	struct proto_framer f;
	const uint8_t *body;
	size_t len;

	(void)state;
	proto_framer_init(&f, 1000);
	OK(proto_framer_feed(&f, hdr, 2));
	assert_int_equal(proto_framer_feed(&f, hdr + 2, 2), TN_ERR_TOO_BIG);
	assert_int_equal(proto_framer_next(&f, &body, &len), TN_ERR_TOO_BIG);
	proto_framer_free(&f);

	proto_framer_init(&f, 1000);
	assert_int_equal(proto_framer_feed(&f, "\xff\xff\xff\xff", 4), TN_ERR_TOO_BIG);
	proto_framer_free(&f);
}

static void test_framer_refuses_oversize_header_after_a_good_frame(void **state)
{
	struct proto_buf out = { 0 };
	struct proto_framer f;
	const uint8_t *body;
	size_t len;

	(void)state;
	OK(proto_frame_write(&out, "ok", 2));
	OK(proto_buf_add(&out, "\x00\x00\x10\x00", 4));
	proto_framer_init(&f, 100);
	OK(proto_framer_feed(&f, out.data, out.len));
	assert_int_equal(proto_framer_next(&f, &body, &len), 1);
	assert_memory_equal(body, "ok", 2);
	assert_int_equal(proto_framer_next(&f, &body, &len), TN_ERR_TOO_BIG);
	proto_framer_free(&f);
	proto_buf_free(&out);
}

static void test_framer_accepts_frame_of_exactly_max(void **state)
{
	struct proto_buf out = { 0 };
	struct proto_framer f;
	const uint8_t *body = NULL;
	size_t len = 0, step = 65536;
	uint8_t *big = malloc(PROTO_FRAME_MAX_DEFAULT);
	int rc = 0;

	(void)state;
	assert_non_null(big);
	for (size_t i = 0; i < PROTO_FRAME_MAX_DEFAULT; i++)
		big[i] = (uint8_t)(i >> 8);
	OK(proto_frame_write(&out, big, PROTO_FRAME_MAX_DEFAULT));
	proto_framer_init(&f, PROTO_FRAME_MAX_DEFAULT);
	for (size_t off = 0; off < out.len; off += step) {
		assert_int_equal(rc, 0);
		OK(proto_framer_feed(&f, out.data + off, off + step > out.len ? out.len - off : step));
		rc = proto_framer_next(&f, &body, &len);
	}
	assert_int_equal(rc, 1);
	assert_int_equal(len, PROTO_FRAME_MAX_DEFAULT);
	assert_memory_equal(body, big, len);
	proto_framer_free(&f);
	proto_buf_free(&out);
	free(big);
}

static void test_framer_refuses_zero_length_frame(void **state)
{
	struct proto_buf out = { 0 };
	struct proto_framer f;
	const uint8_t *body;
	size_t len;

	(void)state;
	proto_framer_init(&f, 100);
	assert_int_equal(proto_framer_feed(&f, "\0\0\0\0", 4), TN_ERR_FRAME);
	assert_int_equal(proto_framer_next(&f, &body, &len), TN_ERR_FRAME);
	proto_framer_free(&f);

	/* Behind a good frame, the empty one is caught by next. */
	OK(proto_frame_write(&out, "x", 1));
	OK(proto_buf_add(&out, "\0\0\0\0", 4));
	proto_framer_init(&f, 100);
	OK(proto_framer_feed(&f, out.data, out.len));
	assert_int_equal(proto_framer_next(&f, &body, &len), 1);
	assert_int_equal(proto_framer_next(&f, &body, &len), TN_ERR_FRAME);
	proto_framer_free(&f);
	proto_buf_free(&out);
}

static void test_frame_write_round_trips_through_framer(void **state)
{
	static const uint8_t expect[] = { 0, 0, 0x01, 0x2c };
	uint8_t b1[5], b2[300];
	struct proto_buf out = { 0 };
	struct proto_framer f;
	struct got g = { .n = 0 };

	(void)state;
	make_frames(&out, b1, sizeof(b1), b2, sizeof(b2));
	assert_int_equal(out.len, 4 + 5 + 4 + 300);
	assert_memory_equal(out.data, "\0\0\0\x05", 4);
	assert_memory_equal(out.data + 9, expect, 4);
	proto_framer_init(&f, 300);
	OK(proto_framer_feed(&f, out.data, out.len));
	drain(&f, &g);
	assert_int_equal(g.n, 2);
	assert_memory_equal(g.data + 5, b2, sizeof(b2));
	proto_framer_free(&f);
	proto_buf_free(&out);
}

static void test_frame_write_refuses_empty_body(void **state)
{
	struct proto_buf out = { 0 };

	(void)state;
	assert_true(proto_frame_write(&out, "", 0) < 0);
	assert_int_equal(out.len, 0);
	proto_buf_free(&out);
}

/* ---- codec ---- */

static void test_record_round_trips_field_by_field(void **state)
{
	struct tn_record r, back;
	struct proto_buf out = { 0 };
	char why[WHY_LEN] = "";

	(void)state;
	fill_record(&r, 5);
	OK(proto_encode(&proto_record_schema, &r, &out));
	OK(proto_decode(&proto_record_schema, out.data, out.len, &back, why, sizeof(why)));
	assert_record_equal(&r, &back);
	proto_release(&proto_record_schema, &back);
	assert_null(back.events);
	assert_int_equal(back.n_events, 0);
	proto_release(&proto_record_schema, &r);
	proto_buf_free(&out);
}

static void test_stolen_round_trips_field_by_field(void **state)
{
	struct tn_stolen s, back;
	struct proto_buf out = { 0 };

	(void)state;
	memset(&s, 0, sizeof(s));
	s.id = 7;
	strcpy(s.kind, "stolen");
	strcpy(s.make, "Glock");
	strcpy(s.serial, "BXK123");
	strcpy(s.date, "2023-11-02");
	strcpy(s.place, "Zona 1");
	strcpy(s.case_ref, "MP-2023-991");
	strcpy(s.status, "open");
	OK(proto_encode(&proto_stolen_schema, &s, &out));
	OK(proto_decode(&proto_stolen_schema, out.data, out.len, &back, NULL, 0));
	assert_memory_equal(&s, &back, sizeof(s));
	proto_buf_free(&out);
}

static void test_all_field_types_round_trip(void **state)
{
	struct t_all t = { .u = UINT64_MAX, .i = INT64_MIN, .w = UINT32_MAX, .b = true,
			   .key = { 0, 0xff, 0x10, 0x80 }, .s = "seven" };
	struct t_inner items[2] = { { "a", -1 }, { "b", INT64_MAX } };
	struct proto_buf out = { 0 };
	struct t_all back;

	(void)state;
	strcpy(t.obj.name, "inner");
	t.obj.v = 42;
	t.n = 2;
	t.arr = items;
	t.n_blob = 3;
	t.blob = (uint8_t *)"\x00\xff\x7f";
	OK(proto_encode(&all_schema, &t, &out));
	OK(proto_decode(&all_schema, out.data, out.len, &back, NULL, 0));
	assert_true(back.u == t.u && back.i == t.i && back.w == t.w && back.b);
	assert_memory_equal(back.key, t.key, 4);
	assert_string_equal(back.s, "seven");
	assert_string_equal(back.obj.name, "inner");
	assert_int_equal(back.obj.v, 42);
	assert_int_equal(back.n, 2);
	assert_string_equal(back.arr[1].name, "b");
	assert_true(back.arr[0].v == -1 && back.arr[1].v == INT64_MAX);
	assert_int_equal(back.n_blob, 3);
	assert_memory_equal(back.blob, "\x00\xff\x7f", 3);
	proto_release(&all_schema, &back);
	assert_null(back.blob);
	proto_buf_free(&out);
}

static void test_decode_rejects_missing_required_field_and_names_it(void **state)
{
	struct tn_record r;
	struct proto_msg *msg;
	char why[WHY_LEN] = "";
	struct mp m;

	(void)state;
	mp_init(&m);
	OK(proto_w_map(m.w, 2));
	mp_kv(&m, "make", "Glock");
	mp_kv(&m, "model", "19");
	assert_int_equal(decode_record(&m, &r, why), TN_ERR_FIELD);
	assert_string_equal(why, "field 'serial': missing");

	OK(proto_msg_parse(&msg, m.b.data, m.b.len));
	assert_int_equal(proto_msg_decode(msg, NULL, &proto_record_schema, &r), TN_ERR_FIELD);
	assert_string_equal(proto_msg_error(msg), "field 'serial': missing");
	assert_int_equal(proto_msg_decode(msg, "record", &proto_record_schema, &r), TN_ERR_FIELD);
	assert_string_equal(proto_msg_error(msg), "field 'record': missing");
	proto_msg_free(msg);
	mp_done(&m);
}

struct bad_value {
	const char *key;
	const uint8_t *val;
	size_t len;
	const char *why;
};

static void test_decode_rejects_wrong_types(void **state)
{
	static const struct bad_value bad[] = {
		{ "u", MP("\xa1" "x"), "field 'u': not an integer" },
		{ "u", MP("\xff"), "field 'u': negative" },
		{ "u", MP("\xcb\x3f\xf0\0\0\0\0\0\0"), "field 'u': not an integer" },
		{ "u", MP("\xc3"), "field 'u': not an integer" },
		{ "i", MP("\xcf\x80\0\0\0\0\0\0\0"), "field 'i': out of range" },
		{ "i", MP("\x90"), "field 'i': not an integer" },
		{ "w", MP("\xcf\0\0\0\x01\0\0\0\0"), "field 'w': out of range" },
		{ "w", MP("\xff"), "field 'w': out of range" },
		{ "b", MP("\x01"), "field 'b': not a boolean" },
		{ "b", MP("\xa4" "true"), "field 'b': not a boolean" },
		{ "key", MP("\xa4" "abcd"), "field 'key': wrong binary length" },
		{ "key", MP("\xc4\x03" "abc"), "field 'key': wrong binary length" },
		{ "key", MP("\xc4\x05" "abcde"), "field 'key': wrong binary length" },
		{ "s", MP("\xc3"), "field 's': not a string" },
		{ "s", MP("\xc4\x01" "a"), "field 's': not a string" },
		{ "s", MP("\x2a"), "field 's': not a string" },
		{ "arr", MP("\x80"), "field 'arr': not an array" },
		{ "arr", MP("\xa3" "abc"), "field 'arr': not an array" },
		{ "arr", MP("\x94\x80\x80\x80\x80"), "field 'arr': too many items" },
		{ "obj", MP("\x90"), "field 'obj': not a map" },
		{ "obj", MP("\x81\xa1v\x01"), "obj: field 'name': missing" },
		{ "obj", MP("\x81\xa4" "name\x01"), "obj: field 'name': not a string" },
		{ "blob", MP("\xa3" "abc"), "field 'blob': not binary" },
		{ "blob", MP("\xc4\x09" "123456789"), "field 'blob': too long" },
		{ "blob", MP("\x91\x01"), "field 'blob': not binary" },
	};
	char why[WHY_LEN];

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		why[0] = '\0';
		assert_int_equal(decode_one(bad[i].key, bad[i].val, bad[i].len, why), TN_ERR_FIELD);
		assert_string_equal(why, bad[i].why);
	}
	/* Boundaries that must pass. */
	OK(decode_one("w", MP("\xce\xff\xff\xff\xff"), why));
	OK(decode_one("i", MP("\xd3\x80\0\0\0\0\0\0\0"), why));
	OK(decode_one("u", MP("\xcf\xff\xff\xff\xff\xff\xff\xff\xff"), why));
	OK(decode_one("blob", MP("\xc4\x08" "12345678"), why));
	OK(decode_one("blob", MP("\xc4\x00"), why));
}

/* An item of an array that is not a map: the error names the index. */
static void test_decode_rejects_non_map_array_item(void **state)
{
	char why[WHY_LEN] = "";

	(void)state;
	assert_int_equal(decode_one("arr", MP("\x92\x81\xa4" "name\xa1" "x\x07"), why), TN_ERR_FIELD);
	assert_non_null(strstr(why, "arr[1]"));
}

/* Allocations made before a later field fails are freed: blob and array
 * first, then a bad field or a repeated one (leaks show under ASan). */
static void test_decode_frees_blob_and_array_when_a_later_field_fails(void **state)
{
	static const uint8_t tails[][8] = {
		{ 0xa1, 's', 0x05 },              /* s: 5 */
		{ 0xa4, 'b', 'l', 'o', 'b', 0xc4, 0x00 }, /* blob again */
	};
	char why[WHY_LEN];
	struct t_all t;
	struct mp m;

	(void)state;
	for (size_t i = 0; i < 2; i++) {
		mp_init(&m);
		OK(proto_w_map(m.w, 3));
		OK(proto_w_str(m.w, "blob"));
		OK(proto_w_bin(m.w, "abc", 3));
		OK(proto_w_str(m.w, "arr"));
		OK(proto_w_array(m.w, 1));
		OK(proto_w_map(m.w, 1));
		mp_kv(&m, "name", "x");
		mp_raw(&m, tails[i], i ? 7 : 3);
		assert_int_equal(proto_decode(&all_schema, m.b.data, m.b.len, &t, why, WHY_LEN),
				 TN_ERR_FIELD);
		assert_null(t.blob);
		assert_null(t.arr);
		mp_done(&m);
	}
}

/* Link frames: an envelope with its blob body survives a round trip. */
static void test_envelope_round_trips_with_body(void **state)
{
	struct tn_envelope e, back;
	struct proto_buf out = { 0 };
	uint8_t body[300];
	char why[WHY_LEN] = "";

	(void)state;
	memset(&e, 0, sizeof(e));
	e.v = TN_PROTO_VERSION;
	e.suite = TN_SUITE_BOX_ED25519;
	strcpy(e.type, "STOLEN_QUERY");
	strcpy(e.from, "GTM");
	strcpy(e.to, "MEX");
	memset(e.id, 0xab, sizeof(e.id));
	e.ts = 1700000000123ull;
	e.ttl = 3;
	memset(e.nonce, 0x5a, sizeof(e.nonce));
	for (size_t i = 0; i < sizeof(body); i++)
		body[i] = (uint8_t)i;
	e.n_body = sizeof(body);
	e.body = body;
	OK(proto_encode(&proto_envelope_schema, &e, &out));
	OK(proto_decode(&proto_envelope_schema, out.data, out.len, &back, why, sizeof(why)));
	assert_string_equal(back.type, "STOLEN_QUERY");
	assert_true(back.ts == e.ts && back.ttl == 3 && back.n_body == sizeof(body));
	assert_memory_equal(back.id, e.id, sizeof(e.id));
	assert_memory_equal(back.body, body, sizeof(body));
	proto_release(&proto_envelope_schema, &back);
	proto_buf_free(&out);
}

static void record_with_serial(struct mp *m, const void *serial, size_t n)
{
	mp_init(m);
	OK(proto_w_map(m->w, 2));
	mp_kv(m, "make", "Glock");
	OK(proto_w_str(m->w, "serial"));
	if (n < 32) {
		uint8_t t = (uint8_t)(0xa0 | n);

		mp_raw(m, &t, 1);
	} else {
		uint8_t t[2] = { 0xd9, (uint8_t)n };

		mp_raw(m, t, 2);
	}
	mp_raw(m, serial, n);
}

static void test_decode_accepts_string_of_cap_minus_one_and_refuses_cap(void **state)
{
	char serial[TN_SERIAL_LEN + 1], why[WHY_LEN] = "";
	struct tn_record r;
	struct mp m;

	(void)state;
	memset(serial, 'S', sizeof(serial));
	record_with_serial(&m, serial, TN_SERIAL_LEN - 1);
	OK(decode_record(&m, &r, why));
	assert_int_equal(strlen(r.serial), TN_SERIAL_LEN - 1);
	proto_release(&proto_record_schema, &r);
	mp_done(&m);

	record_with_serial(&m, serial, TN_SERIAL_LEN);
	assert_int_equal(decode_record(&m, &r, why), TN_ERR_FIELD);
	assert_string_equal(why, "field 'serial': too long");
	mp_done(&m);
}

static void test_decode_rejects_invalid_utf8(void **state)
{
	static const char *const bad[] = {
		"\xff", "\x80", "ab\xc3", "\xc0\x80", "\xc1\xbf", "\xe0\x80\xaf",
		"\xed\xa0\x80", "\xed\xbf\xbf", "\xf4\x90\x80\x80", "\xf5\x80\x80\x80",
		"\xe2\x82", "\xf0\x9f\x98", "\xc3\x28", "\xf8\x88\x80\x80\x80",
	};
	static const char *const good[] = {
		"\xc3\xa9", "\xe2\x82\xac", "\xf0\x9d\x84\x9e", "\xf4\x8f\xbf\xbf",
		"\xee\x80\x80", "\x7f", "\xc2\x80",
	};
	char why[WHY_LEN];
	struct tn_record r;
	struct mp m;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		record_with_serial(&m, bad[i], strlen(bad[i]));
		assert_int_equal(decode_record(&m, &r, why), TN_ERR_FIELD);
		assert_string_equal(why, "field 'serial': not valid UTF-8");
		mp_done(&m);
	}
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		record_with_serial(&m, good[i], strlen(good[i]));
		OK(decode_record(&m, &r, why));
		assert_string_equal(r.serial, good[i]);
		proto_release(&proto_record_schema, &r);
		mp_done(&m);
	}
}

static void test_decode_rejects_embedded_nul(void **state)
{
	struct proto_msg *msg;
	char why[WHY_LEN], out[16];
	struct tn_record r;
	struct mp m;

	(void)state;
	record_with_serial(&m, "AB\0CD", 5);
	assert_int_equal(decode_record(&m, &r, why), TN_ERR_FIELD);
	assert_non_null(strstr(why, "serial"));
	OK(proto_msg_parse(&msg, m.b.data, m.b.len));
	assert_int_equal(proto_msg_str(msg, "serial", out, sizeof(out)), TN_ERR_FIELD);
	proto_msg_free(msg);
	mp_done(&m);
}

static void test_decode_rejects_repeated_key(void **state)
{
	char why[WHY_LEN] = "";
	struct tn_record r;
	struct mp m;

	(void)state;
	mp_init(&m);
	OK(proto_w_map(m.w, 3));
	mp_kv(&m, "make", "Glock");
	mp_kv(&m, "serial", "A1");
	mp_kv(&m, "make", "Colt");
	assert_int_equal(decode_record(&m, &r, why), TN_ERR_FIELD);
	assert_string_equal(why, "field 'make': repeated");
	mp_done(&m);

	/* A repeated array is refused too, and its first copy freed. */
	mp_init(&m);
	OK(proto_w_map(m.w, 4));
	mp_kv(&m, "make", "Glock");
	mp_kv(&m, "serial", "A1");
	OK(proto_w_str(m.w, "events"));
	OK(proto_w_array(m.w, 1));
	OK(proto_w_map(m.w, 2));
	mp_kv(&m, "kind", "sold");
	mp_kv(&m, "date", "2020-01-01");
	OK(proto_w_str(m.w, "events"));
	OK(proto_w_array(m.w, 0));
	assert_int_equal(decode_record(&m, &r, why), TN_ERR_FIELD);
	assert_string_equal(why, "field 'events': repeated");
	assert_null(r.events);
	mp_done(&m);
}

static void test_decode_ignores_unknown_keys(void **state)
{
	char why[WHY_LEN] = "";
	struct tn_record r;
	struct mp m;

	(void)state;
	mp_init(&m);
	OK(proto_w_map(m.w, 7));
	mp_kv(&m, "colour", "black");
	mp_kv(&m, "make", "Glock");
	OK(proto_w_i64(m.w, 7)); /* a non-string key */
	OK(proto_w_str(m.w, "seven"));
	mp_kv(&m, "serial", "A1");
	OK(proto_w_str(m.w, "makes"));
	OK(proto_w_array(m.w, 2));
	OK(proto_w_nil(m.w));
	OK(proto_w_bool(m.w, 1));
	mp_kv(&m, "", "empty key");
	OK(proto_w_str(m.w, "events"));
	OK(proto_w_array(m.w, 1));
	OK(proto_w_map(m.w, 3));
	mp_kv(&m, "kind", "sold");
	mp_kv(&m, "witness", "none");
	mp_kv(&m, "date", "2020-01-01");
	OK(decode_record(&m, &r, why));
	assert_string_equal(r.make, "Glock");
	assert_string_equal(r.serial, "A1");
	assert_int_equal(r.n_events, 1);
	assert_string_equal(r.events[0].date, "2020-01-01");
	proto_release(&proto_record_schema, &r);
	mp_done(&m);
}

static void test_decode_treats_nil_as_absent(void **state)
{
	char why[WHY_LEN] = "";
	struct tn_record r;
	struct mp m;

	(void)state;
	mp_init(&m);
	OK(proto_w_map(m.w, 5));
	mp_kv(&m, "make", "Glock");
	mp_kv(&m, "serial", "A1");
	OK(proto_w_str(m.w, "model"));
	OK(proto_w_nil(m.w));
	OK(proto_w_str(m.w, "id"));
	OK(proto_w_nil(m.w));
	OK(proto_w_str(m.w, "events"));
	OK(proto_w_nil(m.w));
	OK(decode_record(&m, &r, why));
	assert_string_equal(r.model, "");
	assert_true(r.id == 0);
	assert_int_equal(r.n_events, 0);
	assert_null(r.events);
	mp_done(&m);

	mp_init(&m);
	OK(proto_w_map(m.w, 2));
	OK(proto_w_str(m.w, "make"));
	OK(proto_w_nil(m.w));
	mp_kv(&m, "serial", "A1");
	assert_int_equal(decode_record(&m, &r, why), TN_ERR_FIELD);
	assert_string_equal(why, "field 'make': missing");
	mp_done(&m);
}

/* A record whose events array holds n events; event bad (if < n) lacks a date. */
static void record_with_events(struct mp *m, uint32_t n, uint32_t bad)
{
	mp_init(m);
	OK(proto_w_map(m->w, 3));
	mp_kv(m, "make", "Glock");
	mp_kv(m, "serial", "A1");
	OK(proto_w_str(m->w, "events"));
	OK(proto_w_array(m->w, n));
	for (uint32_t i = 0; i < n; i++) {
		OK(proto_w_map(m->w, i == bad ? 1 : 2));
		mp_kv(m, "kind", "sold");
		if (i != bad)
			mp_kv(m, "date", "2020-01-01");
	}
}

static void test_decode_rejects_array_above_max(void **state)
{
	char why[WHY_LEN] = "";
	struct tn_record r;
	struct mp m;

	(void)state;
	record_with_events(&m, TN_EVENTS_MAX, UINT32_MAX);
	OK(decode_record(&m, &r, why));
	assert_int_equal(r.n_events, TN_EVENTS_MAX);
	proto_release(&proto_record_schema, &r);
	mp_done(&m);

	record_with_events(&m, TN_EVENTS_MAX + 1, UINT32_MAX);
	assert_int_equal(decode_record(&m, &r, why), TN_ERR_FIELD);
	assert_string_equal(why, "field 'events': too many items");
	mp_done(&m);
}

static void test_decode_error_names_array_index(void **state)
{
	char why[WHY_LEN] = "";
	struct tn_record r;
	struct mp m;

	(void)state;
	record_with_events(&m, 4, 2);
	assert_int_equal(decode_record(&m, &r, why), TN_ERR_FIELD);
	assert_string_equal(why, "events[2]: field 'date': missing");
	mp_done(&m);
}

/* Leaks show up under ASan (LeakSanitizer) or valgrind at exit. */
static void test_release_frees_partially_decoded_array(void **state)
{
	struct proto_msg *msg;
	char why[WHY_LEN];
	struct tn_record r;
	struct mp m;

	(void)state;
	for (uint32_t bad = 0; bad < 5; bad++) {
		record_with_events(&m, 5, bad);
		memset(&r, 0xa5, sizeof(r));
		assert_int_equal(decode_record(&m, &r, why), TN_ERR_FIELD);
		assert_null(r.events);
		assert_int_equal(r.n_events, 0);

		OK(proto_msg_parse(&msg, m.b.data, m.b.len));
		assert_int_equal(proto_msg_decode(msg, NULL, &proto_record_schema, &r), TN_ERR_FIELD);
		assert_null(r.events);
		assert_non_null(strstr(proto_msg_error(msg), "field 'date': missing"));
		proto_msg_free(msg);
		mp_done(&m);
	}
}

/* Whatever decode accepts, encode must write back in a form decode
 * accepts again, or a stored or forwarded object becomes unreadable. */
static void test_reencoded_record_decodes_again(void **state)
{
	struct tn_record r, back;
	struct proto_buf out = { 0 };
	char why[WHY_LEN] = "";
	struct mp m;
	int rc;

	(void)state;
	mp_init(&m);
	OK(proto_w_map(m.w, 2));
	mp_kv(&m, "make", "");
	mp_kv(&m, "serial", "A1");
	OK(decode_record(&m, &r, why));
	OK(proto_encode(&proto_record_schema, &r, &out));
	why[0] = '\0';
	rc = proto_decode(&proto_record_schema, out.data, out.len, &back, why, sizeof(why));
	if (rc)
		print_error("decode of re-encoded record: %s\n", why);
	proto_release(&proto_record_schema, &back);
	proto_release(&proto_record_schema, &r);
	proto_buf_free(&out);
	mp_done(&m);
	assert_int_equal(rc, 0);
}

/* ---- hostile msgpack ---- */

struct hostile {
	const char *name;
	const uint8_t *p;
	size_t len;
};

/* Largest single allocation seen while armed, when ASan offers hooks. */
int __sanitizer_install_malloc_and_free_hooks(void (*m)(const volatile void *, size_t),
					      void (*f)(const volatile void *))
	__attribute__((weak));
static volatile int hook_armed;
static volatile size_t hook_max;

static void on_malloc(const volatile void *p, size_t n)
{
	(void)p;
	if (hook_armed && n > hook_max)
		hook_max = n;
}

static void on_free(const volatile void *p)
{
	(void)p;
}

static int setup_hooks(void **state)
{
	(void)state;
	if (__sanitizer_install_malloc_and_free_hooks)
		__sanitizer_install_malloc_and_free_hooks(on_malloc, on_free);
	return 0;
}

static void assert_refused(const struct hostile *h)
{
	struct proto_msg *msg = (struct proto_msg *)1;
	char why[WHY_LEN] = "";
	struct tn_record r;
	int rc;

	rc = proto_msg_parse(&msg, h->p, h->len);
	if (rc != TN_ERR_DECODE)
		print_error("%s: parse gave %d\n", h->name, rc);
	assert_int_equal(rc, TN_ERR_DECODE);
	assert_null(msg);
	assert_int_equal(decode_record(&(struct mp){ .b = { (uint8_t *)h->p, h->len, h->len } },
				       &r, why), TN_ERR_DECODE);
	assert_null(r.events);
}

static void assert_all_refused(const struct hostile *h, size_t n)
{
	for (size_t i = 0; i < n; i++)
		assert_refused(&h[i]);
}

static void test_parse_rejects_deep_nesting(void **state)
{
	uint8_t buf[3 + 100 + 1];
	struct proto_msg *msg;

	(void)state;
	memcpy(buf, "\x81\xa1" "a", 3);
	memset(buf + 3, 0x91, 100);
	buf[103] = 0xc0;
	assert_refused(&(struct hostile){ "depth 100", buf, sizeof(buf) });
	/* Arrays of maps, 40 deep: beyond msgpack-c's own stack of 32. */
	for (int i = 0; i < 40; i++)
		buf[3 + i] = (uint8_t)(i % 2 ? 0x81 : 0x91);
	assert_refused(&(struct hostile){ "depth 40", buf, 3 + 40 });
	/* Eight levels are fine. */
	memset(buf + 3, 0x91, 8);
	buf[11] = 0xc0;
	OK(proto_msg_parse(&msg, buf, 12));
	proto_msg_free(msg);
}

static void test_parse_rejects_huge_counts_quickly_without_large_allocation(void **state)
{
	static const struct hostile h[] = {
		{ "array32 top", MP("\xdd\xff\xff\xff\xff\x00\x00\x00\x00\x00") },
		{ "array32 value", MP("\x81\xa1" "a" "\xdd\xff\xff\xff\xff\xc0\xc0") },
		{ "map32 top", MP("\xdf\xff\xff\xff\xff\xa1" "a\xc0\xc0\xc0") },
		{ "map32 half", MP("\xdf\x80\x00\x00\x00\xa1" "a\xc0\xc0\xc0") },
		{ "map32 value", MP("\x81\xa1" "a" "\xdf\xff\xff\xff\xff\xc0\xc0") },
		{ "array16", MP("\x81\xa1" "a" "\xdc\xff\xff\xc0\xc0") },
		{ "map16", MP("\xde\xff\xff\xa1" "a\xc0") },
		{ "map16 value", MP("\x81\xa1" "a" "\xde\xff\xff\xc0\xc0") },
		{ "map one short", MP("\x82\xa1" "a\xc0\xa1" "b") },
		{ "array32 per byte", MP("\x81\xa1" "a" "\xdd\x00\x00\x00\x03\xc0\xc0") },
	};
	struct timespec t0, t1;

	(void)state;
	hook_max = 0;
	hook_armed = 1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (int k = 0; k < 1000; k++)
		for (size_t i = 0; i < sizeof(h) / sizeof(h[0]); i++) {
			struct proto_msg *msg;

			assert_int_equal(proto_msg_parse(&msg, h[i].p, h[i].len), TN_ERR_DECODE);
		}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	hook_armed = 0;
	assert_true(hook_max < 65536);
	assert_true((t1.tv_sec - t0.tv_sec) * 1000000000L + (t1.tv_nsec - t0.tv_nsec) < 1000000000L);
	assert_all_refused(h, sizeof(h) / sizeof(h[0]));
}

static void test_parse_rejects_truncated_values(void **state)
{
	static const struct hostile h[] = {
		{ "fixstr", MP("\x81\xa1" "a\xa5" "ab") },
		{ "str8", MP("\x81\xa1" "a\xd9\x0a" "abc") },
		{ "str16", MP("\x81\xa1" "a\xda\x00\x0a" "abc") },
		{ "str32", MP("\x81\xa1" "a\xdb\x00\x00\x00\x0a" "abc") },
		{ "str32 huge", MP("\x81\xa1" "a\xdb\xff\xff\xff\xff" "abc") },
		{ "bin8", MP("\x81\xa1" "a\xc4\x0a" "abc") },
		{ "bin16", MP("\x81\xa1" "a\xc5\x00\x0a" "abc") },
		{ "bin32", MP("\x81\xa1" "a\xc6\xff\xff\xff\xff" "abc") },
		{ "str8 no length", MP("\x81\xa1" "a\xd9") },
		{ "str32 half length", MP("\x81\xa1" "a\xdb\x00\x00") },
		{ "bin16 half length", MP("\x81\xa1" "a\xc5\x00") },
		{ "ext8", MP("\x81\xa1" "a\xc7\x05\x01" "ab") },
		{ "ext32", MP("\x81\xa1" "a\xc9\xff\xff\xff\xff\x01") },
		{ "fixext16", MP("\x81\xa1" "a\xd8\x01" "ab") },
		{ "uint64", MP("\x81\xa1" "a\xcf\x00\x01") },
		{ "float64", MP("\x81\xa1" "a\xcb\x00") },
		{ "key", MP("\x81\xa5" "ab") },
		{ "value missing", MP("\x81\xa1" "a") },
		{ "empty", MP("") },
	};

	(void)state;
	assert_all_refused(h, sizeof(h) / sizeof(h[0]));
}

static void test_parse_rejects_trailing_bytes(void **state)
{
	static const struct hostile h[] = {
		{ "nil after map", MP("\x81\xa1" "a\x01\xc0") },
		{ "second map", MP("\x80\x80") },
		{ "one byte", MP("\x81\xa4" "make\xa1" "G\x00") },
	};
	struct proto_msg *msg;

	(void)state;
	assert_all_refused(h, sizeof(h) / sizeof(h[0]));
	OK(proto_msg_parse(&msg, "\x81\xa1" "a\x01", 4));
	proto_msg_free(msg);
}

static void test_parse_rejects_non_map_top_level(void **state)
{
	static const struct hostile h[] = {
		{ "array", MP("\x91\x80") },
		{ "empty array", MP("\x90") },
		{ "int", MP("\x01") },
		{ "negative", MP("\xff") },
		{ "str", MP("\xa1" "a") },
		{ "nil", MP("\xc0") },
		{ "true", MP("\xc3") },
		{ "bin", MP("\xc4\x01" "a") },
		{ "float", MP("\xca\0\0\0\0") },
		{ "ext", MP("\xd4\x01\x02") },
	};

	(void)state;
	assert_all_refused(h, sizeof(h) / sizeof(h[0]));
}

static void test_parse_rejects_reserved_type_byte(void **state)
{
	static const struct hostile h[] = {
		{ "top", MP("\xc1") },
		{ "value", MP("\x81\xa1" "a\xc1") },
		{ "key", MP("\x81\xc1\x01") },
		{ "in array", MP("\x81\xa1" "a\x92\x01\xc1") },
	};

	(void)state;
	assert_all_refused(h, sizeof(h) / sizeof(h[0]));
}

static void test_parse_rejects_every_truncation_of_a_record(void **state)
{
	struct proto_buf out = { 0 };
	struct tn_record r;

	(void)state;
	fill_record(&r, 3);
	OK(proto_encode(&proto_record_schema, &r, &out));
	for (size_t n = 0; n < out.len; n++)
		assert_refused(&(struct hostile){ "prefix", out.data, n });
	proto_release(&proto_record_schema, &r);
	proto_buf_free(&out);
}

/* Every byte replaced by a few telling values: no crash, no leak, and a
 * successful decode always releases cleanly. */
static void test_decode_survives_every_single_byte_corruption(void **state)
{
	static const uint8_t vals[] = { 0x00, 0x7f, 0x80, 0x9f, 0xc0, 0xc1, 0xc4, 0xd9,
					0xdc, 0xdd, 0xde, 0xdf, 0xff };
	struct proto_buf out = { 0 };
	struct tn_record r, back;
	char why[WHY_LEN];

	(void)state;
	fill_record(&r, 2);
	OK(proto_encode(&proto_record_schema, &r, &out));
	for (size_t i = 0; i < out.len; i++) {
		uint8_t keep = out.data[i];

		for (size_t k = 0; k < sizeof(vals); k++) {
			out.data[i] = vals[k];
			if (proto_decode(&proto_record_schema, out.data, out.len, &back, why,
					 sizeof(why)) == 0)
				proto_release(&proto_record_schema, &back);
			else
				assert_null(back.events);
		}
		out.data[i] = keep;
	}
	proto_release(&proto_record_schema, &r);
	proto_buf_free(&out);
}

/* ---- JSON ---- */

/* Run proto_msg_json into memory and parse the text back. */
static json_t *json_of(const struct proto_buf *b, const char *key)
{
	struct proto_msg *msg;
	json_error_t err;
	char *text = NULL;
	size_t n = 0;
	json_t *j;
	FILE *f;

	OK(proto_msg_parse(&msg, b->data, b->len));
	f = open_memstream(&text, &n);
	assert_non_null(f);
	OK(proto_msg_json(msg, key, f));
	fclose(f);
	j = json_loads(text, JSON_DECODE_ANY | JSON_ALLOW_NUL, &err);
	if (!j)
		print_error("bad JSON (%s): %s\n", err.text, text);
	assert_non_null(j);
	free(text);
	proto_msg_free(msg);
	return j;
}

static void test_msg_json_writes_record_as_valid_json(void **state)
{
	struct proto_buf out = { 0 };
	struct tn_record r;
	json_t *j, *ev;

	(void)state;
	fill_record(&r, 3);
	r.id = 42;
	OK(proto_encode(&proto_record_schema, &r, &out));
	j = json_of(&out, NULL);
	assert_string_equal(json_string_value(json_object_get(j, "make")), r.make);
	assert_string_equal(json_string_value(json_object_get(j, "serial")), r.serial);
	assert_string_equal(json_string_value(json_object_get(j, "importer")), r.importer);
	assert_int_equal(json_integer_value(json_object_get(j, "id")), 42);
	ev = json_object_get(j, "events");
	assert_int_equal(json_array_size(ev), 3);
	assert_string_equal(json_string_value(json_object_get(json_array_get(ev, 1), "kind")),
			    r.events[1].kind);
	assert_string_equal(json_string_value(json_object_get(json_array_get(ev, 2), "party")),
			    r.events[2].party);
	json_decref(j);
	j = json_of(&out, "events");
	assert_true(json_is_array(j));
	json_decref(j);
	proto_release(&proto_record_schema, &r);
	proto_buf_free(&out);
}

static void test_msg_json_writes_binary_as_hex(void **state)
{
	static const uint8_t nonce[] = { 0x00, 0x01, 0xab, 0xff, 0x10 };
	struct mp m;
	json_t *j;

	(void)state;
	mp_init(&m);
	OK(proto_w_map(m.w, 3));
	OK(proto_w_str(m.w, "nonce"));
	OK(proto_w_bin(m.w, nonce, sizeof(nonce)));
	OK(proto_w_str(m.w, "none"));
	OK(proto_w_bin(m.w, "", 0));
	OK(proto_w_str(m.w, "nul"));
	mp_raw(&m, "\xa3" "a\0b", 4);
	j = json_of(&m.b, NULL);
	assert_string_equal(json_string_value(json_object_get(j, "nonce")), "0001abff10");
	assert_string_equal(json_string_value(json_object_get(j, "none")), "");
	assert_int_equal(json_string_length(json_object_get(j, "nul")), 3);
	json_decref(j);
	mp_done(&m);
}

/* Hostile text still gives valid JSON: bad UTF-8, NaN, odd keys. */
static void test_msg_json_stays_valid_on_hostile_values(void **state)
{
	struct proto_msg *msg;
	struct mp m;
	json_t *j;

	(void)state;
	mp_init(&m);
	OK(proto_w_map(m.w, 6));
	mp_kv(&m, "bad", "\xff\xfe");
	mp_kv(&m, "\xc0\x80", "bad key");
	OK(proto_w_str(m.w, "nan"));
	mp_raw(&m, "\xcb\x7f\xf8\0\0\0\0\0\0", 9);
	OK(proto_w_i64(m.w, 5));
	OK(proto_w_str(m.w, "int key"));
	mp_kv(&m, "quote\"\\\n", "ctl\x01\x1f");
	OK(proto_w_str(m.w, "ext"));
	mp_raw(&m, "\xd4\x01\x02", 3);
	j = json_of(&m.b, NULL);
	assert_string_equal(json_string_value(json_object_get(j, "quote\"\\\n")), "ctl\x01\x1f");
	json_decref(j);
	OK(proto_msg_parse(&msg, m.b.data, m.b.len));
	assert_int_equal(proto_msg_json(msg, "absent", stdout), TN_ERR_FIELD);
	proto_msg_free(msg);
	mp_done(&m);
}

/* msgpack-c gives a size-0 string a NULL pointer when no earlier string
 * in the buffer was non-empty: it must neither reach memcpy (undefined
 * behaviour, fatal under -fno-sanitize-recover) nor vanish from the JSON
 * (jansson's json_stringn(NULL, 0) fails). */
static void test_msg_json_keeps_empty_strings_msgpack_gives_as_null(void **state)
{
	struct proto_buf b = { 0 };
	json_t *j, *v;
	int ok;

	(void)state;
	OK(proto_buf_add(&b, "\x82\xa0\xa0\xa1" "a\xa0", 6));
	j = json_of(&b, NULL);
	v = json_object_get(j, "");
	ok = v && json_is_string(v) && json_string_length(v) == 0;
	if (!ok)
		print_error("the pair \"\": \"\" is missing from the JSON\n");
	ok = ok && json_is_string(json_object_get(j, "a"));
	json_decref(j);
	proto_buf_free(&b);
	assert_true(ok);
}

/* ---- writer ---- */

static void test_writer_round_trips_through_msg_parse(void **state)
{
	static const uint8_t bin[] = { 1, 2, 3, 0xfe };
	struct tn_record r, back;
	struct proto_msg *msg;
	char s[32];
	int64_t v;
	int b;
	struct mp m;

	(void)state;
	fill_record(&r, 2);
	mp_init(&m);
	OK(proto_w_map(m.w, 9));
	mp_kv(&m, "cmd", "record.add");
	OK(proto_w_str(m.w, "min"));
	OK(proto_w_i64(m.w, INT64_MIN));
	OK(proto_w_str(m.w, "max"));
	OK(proto_w_i64(m.w, INT64_MAX));
	OK(proto_w_str(m.w, "yes"));
	OK(proto_w_bool(m.w, 1));
	OK(proto_w_str(m.w, "no"));
	OK(proto_w_bool(m.w, 0));
	OK(proto_w_str(m.w, "bin"));
	OK(proto_w_bin(m.w, bin, sizeof(bin)));
	OK(proto_w_str(m.w, "list"));
	OK(proto_w_array(m.w, 3));
	OK(proto_w_i64(m.w, -1));
	OK(proto_w_str(m.w, "x"));
	OK(proto_w_nil(m.w));
	OK(proto_w_str(m.w, "record"));
	OK(proto_w_obj(m.w, &proto_record_schema, &r));
	OK(proto_w_str(m.w, "nil"));
	OK(proto_w_nil(m.w));

	OK(proto_msg_parse(&msg, m.b.data, m.b.len));
	OK(proto_msg_str(msg, "cmd", s, sizeof(s)));
	assert_string_equal(s, "record.add");
	assert_int_equal(proto_msg_str(msg, "cmd", s, strlen("record.add")), TN_ERR_FIELD);
	OK(proto_msg_str(msg, "cmd", s, strlen("record.add") + 1));
	assert_int_equal(proto_msg_str(msg, "min", s, sizeof(s)), TN_ERR_FIELD);
	OK(proto_msg_i64(msg, "min", &v));
	assert_true(v == INT64_MIN);
	OK(proto_msg_i64(msg, "max", &v));
	assert_true(v == INT64_MAX);
	assert_int_equal(proto_msg_i64(msg, "cmd", &v), TN_ERR_FIELD);
	assert_int_equal(proto_msg_i64(msg, "nil", &v), TN_ERR_FIELD);
	OK(proto_msg_bool(msg, "yes", &b));
	assert_int_equal(b, 1);
	OK(proto_msg_bool(msg, "no", &b));
	assert_int_equal(b, 0);
	assert_int_equal(proto_msg_bool(msg, "max", &b), TN_ERR_FIELD);
	assert_int_equal(proto_msg_bool(msg, "absent", &b), TN_ERR_FIELD);
	OK(proto_msg_decode(msg, "record", &proto_record_schema, &back));
	assert_record_equal(&r, &back);
	proto_release(&proto_record_schema, &back);
	assert_int_equal(proto_msg_decode(msg, "list", &proto_record_schema, &back), TN_ERR_FIELD);
	proto_msg_free(msg);
	proto_release(&proto_record_schema, &r);
	mp_done(&m);
}

static void test_msg_i64_refuses_uint64_above_int64_max(void **state)
{
	struct proto_msg *msg;
	int64_t v;

	(void)state;
	OK(proto_msg_parse(&msg, "\x81\xa1" "n\xcf\x80\0\0\0\0\0\0\0", 12));
	assert_int_equal(proto_msg_i64(msg, "n", &v), TN_ERR_FIELD);
	proto_msg_free(msg);
}

static void test_grow_doubles_and_keeps_items(void **state)
{
	uint64_t *items = NULL;
	uint32_t n = 0, cap = 0;

	(void)state;
	for (uint64_t i = 0; i < 100; i++) {
		OK(proto_grow((void **)&items, n, &cap, sizeof(*items)));
		assert_true(cap > n);
		items[n++] = i * 7;
	}
	assert_int_equal(cap, 128);   /* 16, 32, 64, 128 */
	for (uint32_t i = 0; i < n; i++)
		assert_int_equal(items[i], (uint64_t)i * 7);
	OK(proto_grow((void **)&items, 5, &cap, sizeof(*items)));  /* room already */
	assert_int_equal(cap, 128);
	free(items);
}

static void test_strerror_names_errors(void **state)
{
	(void)state;
	assert_string_equal(tn_strerror(0), "success");
	assert_string_equal(tn_strerror(TN_ERR_TOO_BIG), "frame or value too big");
	assert_string_equal(tn_strerror(TN_ERR_DISK_FULL), "disk full");
	assert_string_equal(tn_strerror(-999), "unknown error");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_framer_returns_frame_fed_byte_by_byte),
		cmocka_unit_test(test_framer_returns_many_frames_from_one_feed),
		cmocka_unit_test(test_framer_joins_frames_split_at_every_position),
		cmocka_unit_test(test_framer_refuses_oversize_header_before_body),
		cmocka_unit_test(test_framer_refuses_oversize_header_after_a_good_frame),
		cmocka_unit_test(test_framer_accepts_frame_of_exactly_max),
		cmocka_unit_test(test_framer_refuses_zero_length_frame),
		cmocka_unit_test(test_frame_write_round_trips_through_framer),
		cmocka_unit_test(test_frame_write_refuses_empty_body),
		cmocka_unit_test(test_record_round_trips_field_by_field),
		cmocka_unit_test(test_stolen_round_trips_field_by_field),
		cmocka_unit_test(test_all_field_types_round_trip),
		cmocka_unit_test(test_decode_rejects_missing_required_field_and_names_it),
		cmocka_unit_test(test_decode_rejects_wrong_types),
		cmocka_unit_test(test_decode_rejects_non_map_array_item),
		cmocka_unit_test(test_decode_frees_blob_and_array_when_a_later_field_fails),
		cmocka_unit_test(test_envelope_round_trips_with_body),
		cmocka_unit_test(test_decode_accepts_string_of_cap_minus_one_and_refuses_cap),
		cmocka_unit_test(test_decode_rejects_invalid_utf8),
		cmocka_unit_test(test_decode_rejects_embedded_nul),
		cmocka_unit_test(test_decode_rejects_repeated_key),
		cmocka_unit_test(test_decode_ignores_unknown_keys),
		cmocka_unit_test(test_decode_treats_nil_as_absent),
		cmocka_unit_test(test_decode_rejects_array_above_max),
		cmocka_unit_test(test_decode_error_names_array_index),
		cmocka_unit_test(test_release_frees_partially_decoded_array),
		cmocka_unit_test(test_reencoded_record_decodes_again),
		cmocka_unit_test(test_parse_rejects_deep_nesting),
		cmocka_unit_test(test_parse_rejects_huge_counts_quickly_without_large_allocation),
		cmocka_unit_test(test_parse_rejects_truncated_values),
		cmocka_unit_test(test_parse_rejects_trailing_bytes),
		cmocka_unit_test(test_parse_rejects_non_map_top_level),
		cmocka_unit_test(test_parse_rejects_reserved_type_byte),
		cmocka_unit_test(test_parse_rejects_every_truncation_of_a_record),
		cmocka_unit_test(test_decode_survives_every_single_byte_corruption),
		cmocka_unit_test(test_msg_json_writes_record_as_valid_json),
		cmocka_unit_test(test_msg_json_writes_binary_as_hex),
		cmocka_unit_test(test_msg_json_stays_valid_on_hostile_values),
		cmocka_unit_test(test_msg_json_keeps_empty_strings_msgpack_gives_as_null),
		cmocka_unit_test(test_writer_round_trips_through_msg_parse),
		cmocka_unit_test(test_msg_i64_refuses_uint64_above_int64_max),
		cmocka_unit_test(test_grow_doubles_and_keeps_items),
		cmocka_unit_test(test_strerror_names_errors),
	};

	return cmocka_run_group_tests(tests, setup_hooks, NULL);
}
