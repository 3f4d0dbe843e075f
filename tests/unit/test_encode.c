/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests of the direct encoder (proto/encode.c): byte for byte what
 * msgpack-c's packer writes, at every width boundary of integers, strings,
 * arrays and binaries. */
#include <msgpack.h>

#include "mp_util.h"

static int ref_write(void *data, const char *buf, size_t len)
{
	return proto_buf_add(data, buf, len) ? -1 : 0;
}

static void ref_str(msgpack_packer *pk, const char *s)
{
	msgpack_pack_str_with_body(pk, s, strlen(s));
}

static void ref_kv(msgpack_packer *pk, const char *k, const char *v)
{
	ref_str(pk, k);
	ref_str(pk, v);
}

static void ref_inner(msgpack_packer *pk, const struct t_inner *in)
{
	msgpack_pack_map(pk, 2);
	ref_kv(pk, "name", in->name);
	ref_str(pk, "v");
	msgpack_pack_int64(pk, in->v);
}

/* t_all as msgpack-c packs it: empty optional string, object, array and
 * blob left out, as the encoder does. */
static void ref_all(const struct t_all *t, struct proto_buf *out)
{
	msgpack_packer pk;
	uint32_t n = 5 + !!t->s[0] + !!t->obj.name[0] + !!t->n + !!t->n_blob;

	msgpack_packer_init(&pk, out, ref_write);
	msgpack_pack_map(&pk, n);
	ref_str(&pk, "u");
	msgpack_pack_uint64(&pk, t->u);
	ref_str(&pk, "i");
	msgpack_pack_int64(&pk, t->i);
	ref_str(&pk, "w");
	msgpack_pack_uint32(&pk, t->w);
	ref_str(&pk, "b");
	if (t->b)
		msgpack_pack_true(&pk);
	else
		msgpack_pack_false(&pk);
	ref_str(&pk, "key");
	msgpack_pack_bin_with_body(&pk, t->key, sizeof(t->key));
	if (t->s[0]) {
		ref_kv(&pk, "s", t->s);
	}
	if (t->obj.name[0]) {
		ref_str(&pk, "obj");
		ref_inner(&pk, &t->obj);
	}
	if (t->n) {
		ref_str(&pk, "arr");
		msgpack_pack_array(&pk, t->n);
		for (uint32_t k = 0; k < t->n; k++)
			ref_inner(&pk, &t->arr[k]);
	}
	if (t->n_blob) {
		ref_str(&pk, "blob");
		msgpack_pack_bin_with_body(&pk, t->blob, t->n_blob);
	}
}

static void assert_same_bytes(const struct t_all *t)
{
	struct proto_buf got = { 0 }, want = { 0 };

	OK(proto_encode(&all_schema, t, &got));
	ref_all(t, &want);
	assert_int_equal(got.len, want.len);
	assert_memory_equal(got.data, want.data, got.len);
	proto_buf_free(&got);
	proto_buf_free(&want);
}

static void test_integers_at_every_width_boundary(void **state)
{
	static const uint64_t us[] = { 0, 1, 127, 128, 255, 256, 65535, 65536, 0xffffffffull,
				       0x100000000ull, UINT64_MAX };
	static const int64_t is[] = { 0, -1, -31, -32, -33, -127, -128, -129, -32767, -32768,
				      -32769, INT32_MIN, (int64_t)INT32_MIN - 1, INT64_MIN,
				      127, 128, 255, 256, 65535, 65536, INT32_MAX,
				      (int64_t)UINT32_MAX + 1, INT64_MAX };
	struct t_all t = { .s = "x" };

	(void)state;
	for (size_t k = 0; k < sizeof(us) / sizeof(us[0]); k++) {
		t.u = us[k];
		t.w = (uint32_t)us[k];
		assert_same_bytes(&t);
	}
	for (size_t k = 0; k < sizeof(is) / sizeof(is[0]); k++) {
		t.i = is[k];
		t.obj.v = is[k];
		strcpy(t.obj.name, "o");
		assert_same_bytes(&t);
	}
}

static void test_optional_fields_arrays_and_blobs(void **state)
{
	struct t_inner items[3] = { { "a", -1 }, { "", 5 }, { "ccccccc", INT64_MIN } };
	uint8_t blob[8] = { 0, 1, 2, 0xff, 0x80, 0x7f, 0, 9 };
	struct t_all t = { .b = true, .key = { 1, 2, 3, 4 } };

	(void)state;
	assert_same_bytes(&t);
	t.n = 3;
	t.arr = items;
	t.n_blob = 8;
	t.blob = blob;
	strcpy(t.s, "seven77");
	assert_same_bytes(&t);
	t.n_blob = 0;
	t.n = 1;
	assert_same_bytes(&t);
}

/* Records: strings of 31, 32 and 95 bytes (fixstr, then str8), 20 events
 * (a 16-bit array header), against the packer through the old path. */
static void test_record_strings_and_many_events(void **state)
{
	struct proto_buf got = { 0 }, want = { 0 };
	struct tn_record r;
	msgpack_packer pk;

	(void)state;
	fill_record(&r, 20);
	memset(r.importer, 'I', 95);
	r.importer[95] = '\0';
	memset(r.model, 'M', 32);
	r.model[32] = '\0';
	memset(r.caliber, 'C', 31);
	r.caliber[31] = '\0';
	OK(proto_encode(&proto_record_schema, &r, &got));
	msgpack_packer_init(&pk, &want, ref_write);
	msgpack_pack_map(&pk, 9);
	ref_str(&pk, "id");
	msgpack_pack_uint64(&pk, r.id);
	ref_kv(&pk, "make", r.make);
	ref_kv(&pk, "model", r.model);
	ref_kv(&pk, "caliber", r.caliber);
	ref_kv(&pk, "type", r.type);
	ref_kv(&pk, "serial", r.serial);
	ref_kv(&pk, "country", r.country);
	ref_kv(&pk, "importer", r.importer);
	ref_str(&pk, "events");
	msgpack_pack_array(&pk, 20);
	for (int i = 0; i < 20; i++) {
		const struct tn_event *e = &r.events[i];

		msgpack_pack_map(&pk, 6);
		ref_kv(&pk, "kind", e->kind);
		ref_kv(&pk, "date", e->date);
		ref_kv(&pk, "party", e->party);
		ref_kv(&pk, "place", e->place);
		ref_kv(&pk, "country", e->country);
		ref_kv(&pk, "ref", e->ref);
	}
	assert_int_equal(got.len, want.len);
	assert_memory_equal(got.data, want.data, got.len);
	proto_release(&proto_record_schema, &r);
	proto_buf_free(&got);
	proto_buf_free(&want);
}

/* Objects written by the writer between hand-built parts land in order. */
static void test_writer_mixes_objects_and_parts(void **state)
{
	struct t_all t = { .u = 300, .s = "x" };
	struct proto_buf want = { 0 };
	struct mp m;

	(void)state;
	mp_init(&m);
	OK(proto_w_array(m.w, 2));
	OK(proto_w_obj(m.w, &all_schema, &t));
	OK(proto_w_str(m.w, "end"));
	OK(proto_buf_add(&want, "\x92", 1));
	ref_all(&t, &want);
	OK(proto_buf_add(&want, "\xa3" "end", 4));
	assert_int_equal(m.b.len, want.len);
	assert_memory_equal(m.b.data, want.data, want.len);
	proto_buf_free(&want);
	mp_done(&m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_integers_at_every_width_boundary),
		cmocka_unit_test(test_optional_fields_arrays_and_blobs),
		cmocka_unit_test(test_record_strings_and_many_events),
		cmocka_unit_test(test_writer_mixes_objects_and_parts),
	};

	if (getenv("TEST_FILTER"))
		cmocka_set_test_filter(getenv("TEST_FILTER"));
	return cmocka_run_group_tests(tests, NULL, NULL);
}
