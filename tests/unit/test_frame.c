/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests of framing (4-byte length, one msgpack value), growable
 * arrays and the error list. */
#include "mp_util.h"

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
		cmocka_unit_test(test_grow_doubles_and_keeps_items),
		cmocka_unit_test(test_strerror_names_errors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
