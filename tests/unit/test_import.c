/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests of record.import requests read from their bytes
 * (proto/canon.c, proto/import.c): records in the encoder's own form kept
 * as they are, anything else decoded and encoded again, checks per record,
 * malformed requests refused whole; and CSV rows encoded straight to the
 * same bytes (proto/record_csv.c). */
#include "mp_util.h"

static struct tn_record plain(const char *serial, uint32_t n_events)
{
	struct tn_record r;

	fill_record(&r, n_events);
	r.id = 0;
	snprintf(r.serial, sizeof(r.serial), "%s", serial);
	return r;
}

/* {cmd: "record.import", args: {records: [<n raw records>]}} */
static void request(struct mp *m, const struct proto_buf *recs, uint32_t n)
{
	mp_init(m);
	OK(proto_w_map(m->w, 2));
	mp_kv(m, "cmd", "record.import");
	OK(proto_w_str(m->w, "args"));
	OK(proto_w_map(m->w, 1));
	OK(proto_w_str(m->w, "records"));
	OK(proto_w_array(m->w, n));
	mp_raw(m, recs->data, recs->len);
}

static void test_canon_reads_what_the_encoder_writes(void **state)
{
	static const uint64_t ids[] = { 0, 127, 128, 300, 70000, 0x100000001ull };
	struct tn_event scratch[TN_EVENTS_MAX];
	struct proto_buf b = { 0 }, again = { 0 };
	struct tn_record r = plain("CANON-1", 3), got;
	size_t off;

	(void)state;
	r.caliber[0] = '\0'; /* an optional field left out */
	for (size_t k = 0; k < sizeof(ids) / sizeof(ids[0]); k++) {
		r.id = ids[k];
		b.len = again.len = 0;
		OK(proto_encode(&proto_record_schema, &r, &b));
		off = 0;
		OK(proto_record_canon(b.data, b.len, &off, &got, scratch));
		assert_int_equal(off, b.len);
		assert_record_equal(&r, &got);
		OK(proto_encode(&proto_record_schema, &got, &again));
		assert_memory_equal(b.data, again.data, b.len);
	}
	proto_release(&proto_record_schema, &r);
	proto_buf_free(&b);
	proto_buf_free(&again);
}

/* Bytes the decoder takes but the encoder never writes. */
static void test_canon_refuses_every_other_form(void **state)
{
	static const struct { const char *what; const char *bytes; size_t n; } cases[] = {
#define C(what, lit) { what, lit, sizeof(lit) - 1 }
		C("no id", "\x82\xa4make\xa1G\xa6serial\xa1S"),
		C("keys out of order", "\x83\xa2id\x00\xa6serial\xa1S\xa4make\xa1G"),
		C("unknown key", "\x84\xa2id\x00\xa4make\xa1G\xa6serial\xa1S\xa1x\x01"),
		C("nil value", "\x84\xa2id\x00\xa4make\xa1G\xa5model\xc0\xa6serial\xa1S"),
		C("empty optional string", "\x84\xa2id\x00\xa4make\xa1G\xa5model\xa0\xa6serial\xa1S"),
		C("long header of a short string", "\x83\xa2id\x00\xa4make\xd9\x01G\xa6serial\xa1S"),
		C("long form of a small id", "\x83\xa2id\xcc\x05\xa4make\xa1G\xa6serial\xa1S"),
		C("16-bit header of a small map", "\xde\x00\x03\xa2id\x00\xa4make\xa1G\xa6serial\xa1S"),
		C("empty events", "\x84\xa2id\x00\xa4make\xa1G\xa6serial\xa1S\xa6" "events\x90"),
		C("cut short", "\x83\xa2id\x00\xa4make\xa1G\xa6serial\xa5S"),
		C("not UTF-8", "\x83\xa2id\x00\xa4make\xa2G\xff\xa6serial\xa1S"),
#undef C
	};
	struct tn_event scratch[TN_EVENTS_MAX];
	struct tn_record got;
	size_t off;

	(void)state;
	for (size_t k = 0; k < sizeof(cases) / sizeof(cases[0]); k++) {
		off = 0;
		if (proto_record_canon((const uint8_t *)cases[k].bytes, cases[k].n, &off, &got,
				       scratch) != 1)
			fail_msg("canon took: %s", cases[k].what);
		assert_int_equal(off, 0);
	}
	off = 0;
	OK(proto_record_canon(MP("\x83\xa2id\x00\xa4make\xa1G\xa6serial\xa1S"), &off, &got,
			      scratch));
	assert_string_equal(got.make, "G");
}

/* Three records: tracectl's form, another form of a good record (encoded
 * again), one that fails its check; the rest of the request after them. */
static void test_import_reads_each_record_and_checks_it(void **state)
{
	static const char other[] = "\x83\xa6serial\xa5IMP-2\xa4make\xa5Glock\xa2id\x05";
	struct tn_record a = plain("IMP-1", 2), c = plain("IMP-3", 1), want;
	struct proto_buf recs = { 0 }, again = { 0 };
	struct proto_import im;
	struct proto_import_rec rec;
	char why[WHY_LEN];
	struct mp m;

	(void)state;
	OK(proto_encode(&proto_record_schema, &a, &recs));
	OK(proto_buf_add(&recs, other, sizeof(other) - 1));
	strcpy(c.events[0].date, "2019-02-30");
	OK(proto_encode(&proto_record_schema, &c, &recs));
	request(&m, &recs, 3);
	OK(proto_import_open(&im, m.b.data, m.b.len, why, sizeof(why)));
	assert_int_equal(im.n, 3);

	OK(proto_import_next(&im, &rec, why, sizeof(why)));
	assert_false(rec.copied);
	assert_record_equal(&a, &rec.r);
	assert_memory_equal(rec.enc, recs.data, rec.len);
	assert_int_equal(rec.id_off, 4);
	assert_int_equal(rec.id_len, 1);

	OK(proto_import_next(&im, &rec, why, sizeof(why)));
	assert_true(rec.copied);
	memset(&want, 0, sizeof(want));
	strcpy(want.make, "Glock");
	strcpy(want.serial, "IMP-2");
	assert_record_equal(&want, &rec.r);
	OK(proto_encode(&proto_record_schema, &want, &again));
	assert_int_equal(rec.len, again.len);
	assert_memory_equal(rec.enc, again.data, again.len);

	assert_int_equal(proto_import_next(&im, &rec, why, sizeof(why)), TN_ERR_INVALID);
	assert_string_equal(why, "event 1: bad date '2019-02-30'");
	OK(proto_import_end(&im, why, sizeof(why)));
	proto_import_close(&im);
	proto_release(&proto_record_schema, &a);
	proto_release(&proto_record_schema, &c);
	proto_buf_free(&recs);
	proto_buf_free(&again);
	mp_done(&m);
}

/* Each malformed request, refused with the reason a person would need. */
static void expect_refused(const uint8_t *req, size_t n, int code, const char *reason)
{
	struct proto_import im;
	struct proto_import_rec rec;
	char why[WHY_LEN] = "";
	int rc = proto_import_open(&im, req, n, why, sizeof(why));

	while (!rc && im.next < im.n)
		if ((rc = proto_import_next(&im, &rec, why, sizeof(why))) == TN_ERR_INVALID)
			rc = 0;
	if (!rc)
		rc = proto_import_end(&im, why, sizeof(why));
	proto_import_close(&im);
	assert_int_equal(rc, code);
	assert_string_equal(why, reason);
}

static void test_import_refuses_malformed_requests(void **state)
{
	(void)state;
	expect_refused(MP("\x81\xa3" "cmd\xa1x"), TN_ERR_FIELD, "field 'args': missing");
	expect_refused(MP("\x82\xa3" "cmd\xa1x\xa4" "args\x91\x01"), TN_ERR_FIELD,
		       "field 'args': not a map");
	expect_refused(MP("\x81\xa4" "args\x81\xa7records\x81\xa1" "a\x01"), TN_ERR_FIELD,
		       "field 'records': not an array");
	expect_refused(MP("\x81\xa4" "args\x81\xa7records\xdd\x00\x01\x00\x01\xc0"), TN_ERR_FIELD,
		       "field 'records': too many items");
	expect_refused(MP("\x81\xa4" "args\x81\xa7records\x91\xc0"), TN_ERR_FIELD,
		       "records[0]: not a map");
	expect_refused(MP("\x81\xa4" "args\x81\xa7records\x91\x82\xa4make\x01\xa6serial\xa1S"),
		       TN_ERR_FIELD, "records[0]: field 'make': not a string");
	expect_refused(MP("\x81\xa4" "args\x82\xa7records\x90\xa7records\x90"), TN_ERR_FIELD,
		       "field 'records': repeated");
	expect_refused(MP("\x81\xa4" "args\x81\xa7records\x90\x00"), TN_ERR_DECODE,
		       "request is not a msgpack map");
	expect_refused(MP("\x81\xa4" "args\x81\xa7records\x92\x80"), TN_ERR_FIELD,
		       "records[0]: field 'make': missing");
	expect_refused(MP("\x82\xa4" "args\x80\xa1x\xdc\xff"), TN_ERR_DECODE,
		       "request is not a msgpack map");
}

/* What the decoder ignores, the reader ignores too. */
static void test_import_skips_other_keys_and_nil(void **state)
{
	struct proto_import im;
	char why[WHY_LEN];

	(void)state;
	OK(proto_import_open(&im, MP("\x83\xa1z\x91\x01\xa4" "args\x83\xa1y\x01\xa7records\xc0"
				     "\xa1q\x90\xa3" "cmd\xa1x"), why, sizeof(why)));
	assert_int_equal(im.n, 0);
	OK(proto_import_end(&im, why, sizeof(why)));
	proto_import_close(&im);
}

static void test_request_cmd_is_read_without_the_rest(void **state)
{
	char cmd[TN_CMD_LEN];

	(void)state;
	OK(proto_request_cmd(MP("\x82\xa3" "cmd\xadrecord.import\xa4" "args\xc1"), cmd,
			     sizeof(cmd)));
	assert_string_equal(cmd, "record.import");
	OK(proto_request_cmd(MP("\x82\xa4" "args\x80\xa3" "cmd\xa6status"), cmd, sizeof(cmd)));
	assert_string_equal(cmd, "status");
	assert_int_equal(proto_request_cmd(MP("\x81\xa3" "cmd\x07"), cmd, sizeof(cmd)),
			 TN_ERR_FIELD);
	assert_int_equal(proto_request_cmd(MP("\x81\xa3" "cmd\xa3" "a\x00" "b"), cmd, sizeof(cmd)),
			 TN_ERR_FIELD);
	assert_int_equal(proto_request_cmd(MP("\x81\xa3" "cmd\xa6status"), cmd, 6), TN_ERR_FIELD);
	assert_int_equal(proto_request_cmd(MP("\x91\xa3" "cmd"), cmd, sizeof(cmd)), TN_ERR_FIELD);
}

/* A CSV row encoded straight is the record proto_record_from_csv reads,
 * as proto_encode writes it; bad rows get the same reasons. */
static void check_row(char **f, int n)
{
	struct proto_buf direct = { 0 }, via = { 0 };
	char why1[WHY_LEN] = "", why2[WHY_LEN] = "";
	struct tn_record r;
	int rc1 = proto_record_csv_encode(f, n, &direct, why1, sizeof(why1));
	int rc2 = proto_record_from_csv(&r, f, n, why2, sizeof(why2));

	if (!rc2)
		rc2 = proto_check_strings(&proto_record_schema, &r, why2, sizeof(why2));
	if (!rc2)
		OK(proto_encode(&proto_record_schema, &r, &via));
	proto_release(&proto_record_schema, &r);
	assert_int_equal(rc1, rc2);
	assert_string_equal(why1, why2);
	assert_int_equal(direct.len, via.len);
	if (via.len)
		assert_memory_equal(direct.data, via.data, via.len);
	proto_buf_free(&direct);
	proto_buf_free(&via);
}

static void test_csv_rows_encode_as_the_record_they_describe(void **state)
{
	char *full[] = { "Glock", "G19", "9mm", "pistol", "ABC123", "AUT", "Importadora Ñ",
			 "manufactured", "2019-03-04", "Glock GmbH", "Deutsch-Wagram", "", "",
			 "", "", "", "", "", "",
			 "imported", "2019-06-01", "Importadora X", "Puerto Quetzal", "AUT", "P-1",
			 "", "", "" };
	char *bare[] = { "", "", "", "", "", "", "" };
	char *few[] = { "Glock", "G19" };
	char *cut[] = { "Glock", "G19", "9mm", "pistol", "X1", "AUT", "", "sold", "2020-01-01" };
	char *bad[] = { "Glock", "G19", "9mm", "pistol", "X1", "AUT", "Armer\xed" "a",
			"sold", "2020-01-01", "D\xff", "", "", "" };
	char *bad_ev[] = { "Glock", "G19", "9mm", "pistol", "X1", "AUT", "",
			   "sold", "2020-01-01", "D\xff", "", "", "" };
	char long_serial[60];

	(void)state;
	check_row(full, 28);
	check_row(full, 19);
	check_row(bare, 7);
	check_row(few, 2);
	check_row(cut, 9);
	check_row(bad, 13);
	check_row(bad_ev, 13);
	memset(long_serial, 'S', sizeof(long_serial) - 1);
	long_serial[sizeof(long_serial) - 1] = '\0';
	full[4] = long_serial;
	check_row(full, 13);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_canon_reads_what_the_encoder_writes),
		cmocka_unit_test(test_canon_refuses_every_other_form),
		cmocka_unit_test(test_import_reads_each_record_and_checks_it),
		cmocka_unit_test(test_import_refuses_malformed_requests),
		cmocka_unit_test(test_import_skips_other_keys_and_nil),
		cmocka_unit_test(test_request_cmd_is_read_without_the_rest),
		cmocka_unit_test(test_csv_rows_encode_as_the_record_they_describe),
	};

	if (getenv("TEST_FILTER"))
		cmocka_set_test_filter(getenv("TEST_FILTER"));
	return cmocka_run_group_tests(tests, NULL, NULL);
}
