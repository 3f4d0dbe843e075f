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
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
