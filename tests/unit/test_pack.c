/* SPDX-License-Identifier: Apache-2.0 */
/* The schema packer (proto/pack.c) gives, byte for byte, what msgpack-c's
 * packer gives, at every boundary between the forms of integers, strings,
 * binaries, maps and arrays. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <msgpack.h>
#include <stdlib.h>
#include <string.h>

#include "../../proto/proto.h"

struct item {
	uint64_t u;
};

struct sample {
	uint64_t u;
	int64_t i;
	uint32_t w;
	bool b;
	char s[70000];
	uint8_t *blob;
	uint32_t n_blob;
	uint32_t n;
	struct item *items;
};

static const struct proto_field item_fields[] = { PF_U64_OF(struct item, u, PF_REQ) };
static const struct proto_schema item_schema = PROTO_SCHEMA(struct item, item_fields);
static const struct proto_field sample_fields[] = {
	PF_U64_OF(struct sample, u, PF_REQ),
	PF_I64_OF(struct sample, i, PF_REQ),
	PF_U32_OF(struct sample, w, PF_REQ),
	PF_BOOL_OF(struct sample, b, PF_REQ),
	PF_STR_OF(struct sample, s, PF_REQ),
	PF_BLOB_OF(struct sample, blob, n_blob, 1u << 20, PF_REQ),
	PF_ARR_OF(struct sample, items, n, 1u << 20, PF_REQ, item_schema),
};
static const struct proto_schema sample_schema = PROTO_SCHEMA(struct sample, sample_fields);

static int write_cb(void *data, const char *buf, size_t len)
{
	return proto_buf_add(data, buf, len) ? -1 : 0;
}

/* What msgpack-c makes of x. */
static void reference(const struct sample *x, struct proto_buf *out)
{
	msgpack_packer pk;

	msgpack_packer_init(&pk, out, write_cb);
	msgpack_pack_map(&pk, 7);
	msgpack_pack_str_with_body(&pk, "u", 1);
	msgpack_pack_uint64(&pk, x->u);
	msgpack_pack_str_with_body(&pk, "i", 1);
	msgpack_pack_int64(&pk, x->i);
	msgpack_pack_str_with_body(&pk, "w", 1);
	msgpack_pack_uint32(&pk, x->w);
	msgpack_pack_str_with_body(&pk, "b", 1);
	x->b ? msgpack_pack_true(&pk) : msgpack_pack_false(&pk);
	msgpack_pack_str_with_body(&pk, "s", 1);
	msgpack_pack_str_with_body(&pk, x->s, strlen(x->s));
	msgpack_pack_str_with_body(&pk, "blob", 4);
	msgpack_pack_bin_with_body(&pk, x->blob, x->n_blob);
	msgpack_pack_str_with_body(&pk, "items", 5);
	msgpack_pack_array(&pk, x->n);
	for (uint32_t k = 0; k < x->n; k++) {
		msgpack_pack_map(&pk, 1);
		msgpack_pack_str_with_body(&pk, "u", 1);
		msgpack_pack_uint64(&pk, x->items[k].u);
	}
}

static void same_bytes(struct sample *x)
{
	struct proto_buf ours = { 0 }, theirs = { 0 };

	assert_int_equal(proto_encode(&sample_schema, x, &ours), 0);
	reference(x, &theirs);
	assert_int_equal(ours.len, theirs.len);
	assert_memory_equal(ours.data, theirs.data, ours.len);
	proto_buf_free(&ours);
	proto_buf_free(&theirs);
}

static void test_integers_at_every_boundary(void **state)
{
	static const uint64_t u[] = { 0, 1, 127, 128, 255, 256, 65535, 65536, 4294967295ull,
				      4294967296ull, UINT64_MAX };
	static const int64_t i[] = { 0, -1, -32, -33, -128, -129, -32768, -32769,
				     -2147483648ll, -2147483649ll, INT64_MIN, 127, 128, 65536,
				     INT64_MAX };
	static struct sample x;

	(void)state;
	for (size_t k = 0; k < sizeof(u) / sizeof(u[0]); k++) {
		x.u = u[k];
		x.w = (uint32_t)u[k];
		x.i = i[k % (sizeof(i) / sizeof(i[0]))];
		x.b = k % 2;
		same_bytes(&x);
	}
	for (size_t k = 0; k < sizeof(i) / sizeof(i[0]); k++) {
		x.i = i[k];
		same_bytes(&x);
	}
}

static void test_lengths_at_every_boundary(void **state)
{
	static const uint32_t len[] = { 0, 1, 15, 16, 31, 32, 255, 256, 65535, 65536, 69999 };
	static struct sample x;
	static struct item items[65536];
	static uint8_t blob[69999];

	(void)state;
	memset(blob, 0xab, sizeof(blob));
	x.blob = blob;
	x.items = items;
	for (size_t k = 0; k < sizeof(len) / sizeof(len[0]); k++) {
		memset(x.s, 'a', len[k]);
		x.s[len[k]] = '\0';
		x.n_blob = len[k];
		x.n = len[k] <= 65536 ? len[k] : 65536;
		same_bytes(&x);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_integers_at_every_boundary),
		cmocka_unit_test(test_lengths_at_every_boundary),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
