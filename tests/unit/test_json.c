/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests of JSON output (from schemas and of decoded messages), the
 * map writer and integer reads. */
#include "mp_util.h"

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

/* Run proto_json_write into memory and parse the text back. */
static json_t *schema_json(const struct proto_schema *s, const void *obj)
{
	json_error_t err;
	char *text = NULL;
	size_t n = 0;
	json_t *j;
	FILE *f = open_memstream(&text, &n);

	assert_non_null(f);
	OK(proto_json_write(s, obj, f));
	fclose(f);
	j = json_loads(text, JSON_DECODE_ANY, &err);
	if (!j)
		print_error("bad JSON (%s): %s\n", err.text, text);
	assert_non_null(j);
	free(text);
	return j;
}

static const char *str_at(json_t *j, const char *key)
{
	json_t *v = json_object_get(j, key);

	if (!json_is_string(v))
		print_error("'%s' is not a string\n", key);
	assert_true(json_is_string(v));
	return json_string_value(v);
}

/* A qid at or above 2^63 once came out as 1.7077877013854298e+19. */
static void test_json_write_gives_ids_as_strings_and_qid_as_hex(void **state)
{
	struct tn_stolen report = { .id = UINT64_MAX };
	struct tn_stolen_answer hit = { .hit = true, .report = &report };
	struct tn_peer_answer peer = { .peer = "MEX", .status = "answered", .n = 1,
				       .results = &hit };
	struct tn_query_reply q = { .qid = 0xed00000000000abcull, .hits = 1, .n = 1,
				    .peers = &peer };
	struct tn_trace tr = { .id = (1ull << 63) + 5, .peer = "MEX", .status = "answered",
			       .created_ms = 1700000000123ull };
	json_t *j, *rep;

	(void)state;
	j = schema_json(&proto_query_reply_schema, &q);
	assert_string_equal(str_at(j, "qid"), "ed00000000000abc");
	assert_int_equal(json_integer_value(json_object_get(j, "hits")), 1);
	rep = json_object_get(json_array_get(json_object_get(json_array_get(
		json_object_get(j, "peers"), 0), "results"), 0), "report");
	assert_string_equal(str_at(rep, "id"), "18446744073709551615");
	json_decref(j);

	q.qid = 42;
	j = schema_json(&proto_query_reply_schema, &q);
	assert_string_equal(str_at(j, "qid"), "000000000000002a");
	json_decref(j);

	tr.req.ref = 7;
	tr.req.follows = 1ull << 63;
	j = schema_json(&proto_trace_schema, &tr);
	assert_string_equal(str_at(j, "id"), "9223372036854775813");
	assert_string_equal(str_at(json_object_get(j, "req"), "ref"), "7");
	assert_string_equal(str_at(json_object_get(j, "req"), "follows"), "9223372036854775808");
	/* Times and counters stay numbers. */
	assert_true(json_is_integer(json_object_get(j, "created_ms")));
	assert_true(json_integer_value(json_object_get(j, "created_ms")) == 1700000000123ll);
	json_decref(j);
}

/* Every field is there, empty or not: an empty list is [], not {}. */
static void test_json_write_keeps_one_shape_when_empty(void **state)
{
	struct tn_record_list none = { 0 };
	struct tn_record rec = { .id = 3, .make = "Glock", .serial = "A1" };
	struct tn_trace tr = { 0 };
	json_t *j, *res;

	(void)state;
	j = schema_json(&proto_record_list_schema, &none);
	assert_true(json_is_array(json_object_get(j, "records")));
	assert_int_equal(json_array_size(json_object_get(j, "records")), 0);
	json_decref(j);

	j = schema_json(&proto_record_schema, &rec);
	assert_int_equal(json_object_size(j), proto_record_schema.n);
	assert_string_equal(str_at(j, "model"), "");
	assert_string_equal(str_at(j, "importer"), "");
	assert_true(json_is_array(json_object_get(j, "events")));
	json_decref(j);

	j = schema_json(&proto_trace_schema, &tr);
	res = json_object_get(j, "result");
	assert_true(json_is_object(res));
	assert_int_equal(json_object_size(res), proto_trace_result_schema.n);
	assert_true(json_is_array(json_object_get(res, "chain")));
	assert_int_equal(strspn(str_at(res, "request_digest"), "0"), 2 * TN_HASH_LEN);
	assert_string_equal(str_at(j, "receipt"), "");
	json_decref(j);

	j = schema_json(NULL, NULL);
	assert_true(json_is_object(j));
	assert_int_equal(json_object_size(j), 0);
	json_decref(j);
}

/* Without a schema a uint64_t above INT64_MAX is a decimal string, not a
 * rounded double. */
static void test_msg_json_writes_big_unsigned_as_string(void **state)
{
	struct proto_buf b = { 0 };
	json_t *j;

	(void)state;
	OK(proto_buf_add(&b, "\x82\xa1" "n\xcf\xed\0\0\0\0\0\x0a\xbc\xa1m\x05", 15));
	j = json_of(&b, NULL);
	assert_string_equal(str_at(j, "n"), "17077649786988923580");
	assert_int_equal(json_integer_value(json_object_get(j, "m")), 5);
	json_decref(j);
	proto_buf_free(&b);
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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_msg_json_writes_record_as_valid_json),
		cmocka_unit_test(test_msg_json_writes_binary_as_hex),
		cmocka_unit_test(test_msg_json_stays_valid_on_hostile_values),
		cmocka_unit_test(test_msg_json_keeps_empty_strings_msgpack_gives_as_null),
		cmocka_unit_test(test_json_write_gives_ids_as_strings_and_qid_as_hex),
		cmocka_unit_test(test_json_write_keeps_one_shape_when_empty),
		cmocka_unit_test(test_msg_json_writes_big_unsigned_as_string),
		cmocka_unit_test(test_writer_round_trips_through_msg_parse),
		cmocka_unit_test(test_msg_i64_refuses_uint64_above_int64_max),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
