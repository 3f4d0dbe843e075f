/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests of hostile msgpack: nesting, huge announced counts, truncation,
 * trailing bytes and every single-byte corruption, refused without large
 * allocations. */
#include "mp_util.h"

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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_rejects_deep_nesting),
		cmocka_unit_test(test_parse_rejects_huge_counts_quickly_without_large_allocation),
		cmocka_unit_test(test_parse_rejects_truncated_values),
		cmocka_unit_test(test_parse_rejects_trailing_bytes),
		cmocka_unit_test(test_parse_rejects_non_map_top_level),
		cmocka_unit_test(test_parse_rejects_reserved_type_byte),
		cmocka_unit_test(test_parse_rejects_every_truncation_of_a_record),
		cmocka_unit_test(test_decode_survives_every_single_byte_corruption),
	};

	return cmocka_run_group_tests(tests, setup_hooks, NULL);
}
