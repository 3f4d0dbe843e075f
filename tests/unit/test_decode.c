/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests of the decoder's edges: string sizes, UTF-8 and NUL bytes,
 * repeated, unknown and nil keys, array limits, partial decodes. */
#include "mp_util.h"

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

/* Every form msgpack-c's unpacker takes reads as the same type: signed
 * encodings of non-negative numbers are integers like any other, long
 * string and binary forms, 16- and 32-bit maps and arrays. */
static void test_decode_takes_every_msgpack_form(void **state)
{
	static const struct { const char *key; const uint8_t *val; size_t len; } good[] = {
		{ "u", MP("\xd0\x05") },
		{ "u", MP("\xd1\x00\x05") },
		{ "u", MP("\xd2\x00\x00\x00\x05") },
		{ "u", MP("\xd3\0\0\0\0\0\0\0\x05") },
		{ "w", MP("\xcd\x00\x05") },
		{ "i", MP("\xd0\xfb") },
		{ "s", MP("\xd9\x01" "5") },
		{ "s", MP("\xda\x00\x01" "5") },
		{ "s", MP("\xdb\x00\x00\x00\x01" "5") },
		{ "blob", MP("\xc5\x00\x01" "5") },
		{ "blob", MP("\xc6\x00\x00\x00\x01" "5") },
		{ "arr", MP("\xdc\x00\x01\xde\x00\x01\xa4" "name\xa1" "5") },
		{ "arr", MP("\xdd\x00\x00\x00\x01\xdf\x00\x00\x00\x01\xa4" "name\xa1" "5") },
	};
	static const struct bad_value bad[] = {
		{ "u", MP("\xd0\xfb"), "field 'u': negative" },
		{ "s", MP("\xd4\x01\x35"), "field 's': not a string" },
		{ "s", MP("\xc7\x01\x01\x35"), "field 's': not a string" },
		{ "u", MP("\xca\x40\xa0\0\0"), "field 'u': not an integer" },
		{ "blob", MP("\xd9\x01" "5"), "field 'blob': not binary" },
	};
	char why[WHY_LEN];

	(void)state;
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		if (decode_one(good[i].key, good[i].val, good[i].len, why))
			fail_msg("form %zu of '%s' refused: %s", i, good[i].key, why);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		why[0] = '\0';
		assert_int_equal(decode_one(bad[i].key, bad[i].val, bad[i].len, why), TN_ERR_FIELD);
		assert_string_equal(why, bad[i].why);
	}
}

/* Keys in any order, keys that are maps or arrays (skipped as unknown),
 * and the values read: the decoder does not rely on the schema's order. */
static void test_decode_takes_keys_out_of_order_and_odd_keys(void **state)
{
	static const uint8_t msg[] = "\x86"
		"\xa1s\xa2hi"
		"\x91\x01\xc3"                  /* [1]: true, an array as a key */
		"\xa1w\x07"
		"\x81\xa1x\x01\x90"            /* {x: 1}: [], a map as a key */
		"\xa1u\xd3\0\0\0\0\0\0\x01\0"
		"\xa1i\xff";
	struct t_all t;
	char why[WHY_LEN] = "";

	(void)state;
	OK(proto_decode(&all_schema, msg, sizeof(msg) - 1, &t, why, WHY_LEN));
	assert_string_equal(t.s, "hi");
	assert_int_equal(t.w, 7);
	assert_true(t.u == 256 && t.i == -1);
	proto_release(&all_schema, &t);
	/* One byte short, or one too many: malformed, nothing decoded. */
	assert_int_equal(proto_decode(&all_schema, msg, sizeof(msg) - 2, &t, why, WHY_LEN),
			 TN_ERR_DECODE);
	assert_int_equal(proto_decode(&all_schema, "\x80\xc0", 2, &t, why, WHY_LEN),
			 TN_ERR_DECODE);
	assert_int_equal(proto_decode(&all_schema, "\x90", 1, &t, why, WHY_LEN), TN_ERR_DECODE);
}

/* A parsed message reads its top-level fields in place: the first of a
 * repeated key, strings, integers and booleans of their own types only. */
static void test_msg_reads_fields_in_place(void **state)
{
	static const uint8_t msg[] = "\x86\xa1t\xa2ok\xa1t\xa2no\xa1n\xd0\xfe"
		"\xa1" "b\xc3\xa1z\xa3" "a\0b" "\xa1m\x81\xa1s\xa1x";
	struct proto_msg *m;
	struct t_all t;
	char s[8];
	int64_t n;
	int b;

	(void)state;
	OK(proto_msg_parse(&m, msg, sizeof(msg) - 1));
	OK(proto_msg_str(m, "t", s, sizeof(s)));
	assert_string_equal(s, "ok");
	assert_int_equal(proto_msg_str(m, "t", s, 2), TN_ERR_FIELD);
	OK(proto_msg_i64(m, "n", &n));
	assert_int_equal(n, -2);
	OK(proto_msg_bool(m, "b", &b));
	assert_int_equal(b, 1);
	assert_int_equal(proto_msg_str(m, "z", s, sizeof(s)), TN_ERR_FIELD);   /* a NUL */
	assert_int_equal(proto_msg_i64(m, "t", &n), TN_ERR_FIELD);
	assert_int_equal(proto_msg_bool(m, "n", &b), TN_ERR_FIELD);
	assert_int_equal(proto_msg_str(m, "nope", s, sizeof(s)), TN_ERR_FIELD);
	OK(proto_msg_decode(m, "m", &all_schema, &t));
	assert_string_equal(t.s, "x");
	proto_release(&all_schema, &t);
	assert_int_equal(proto_msg_decode(m, "nope", &all_schema, &t), TN_ERR_FIELD);
	assert_string_equal(proto_msg_error(m), "field 'nope': missing");
	assert_int_equal(proto_msg_decode(m, "t", &all_schema, &t), TN_ERR_FIELD);
	proto_msg_free(m);
	assert_int_equal(proto_msg_parse(&m, "\x91\x01", 2), TN_ERR_DECODE);
	assert_null(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
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
		cmocka_unit_test(test_decode_takes_every_msgpack_form),
		cmocka_unit_test(test_decode_takes_keys_out_of_order_and_odd_keys),
		cmocka_unit_test(test_msg_reads_fields_in_place),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
