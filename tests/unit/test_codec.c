/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests of the schema-driven msgpack codec: round trips of every
 * field type, refused missing fields and wrong types, cleanup on failure. */
#include "mp_util.h"

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


/* The text a person reads shows a qid as the console and the audit name
 * it (16 hex digits); other integers stay decimal. */
static void test_text_shows_a_qid_in_hex(void **state)
{
	struct proto_msg *msg;
	char *text = NULL;
	size_t n = 0;
	struct mp m;
	FILE *f;

	(void)state;
	mp_init(&m);
	OK(proto_w_map(m.w, 2));
	OK(proto_w_str(m.w, "qid"));
	OK(proto_w_i64(m.w, 0x5a2c000000000001));
	OK(proto_w_str(m.w, "n"));
	OK(proto_w_i64(m.w, 7));
	OK(proto_msg_parse(&msg, m.b.data, m.b.len));
	assert_non_null(f = open_memstream(&text, &n));
	OK(proto_msg_print(msg, NULL, f));
	assert_int_equal(fclose(f), 0);
	assert_string_equal(text, "qid: 5a2c000000000001\nn: 7\n");
	free(text);
	proto_msg_free(msg);
	mp_done(&m);
}

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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_record_round_trips_field_by_field),
		cmocka_unit_test(test_stolen_round_trips_field_by_field),
		cmocka_unit_test(test_all_field_types_round_trip),
		cmocka_unit_test(test_decode_rejects_missing_required_field_and_names_it),
		cmocka_unit_test(test_text_shows_a_qid_in_hex),
		cmocka_unit_test(test_decode_rejects_wrong_types),
		cmocka_unit_test(test_decode_rejects_non_map_array_item),
		cmocka_unit_test(test_decode_frees_blob_and_array_when_a_later_field_fails),
		cmocka_unit_test(test_envelope_round_trips_with_body),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
