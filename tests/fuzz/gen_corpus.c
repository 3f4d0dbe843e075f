/* SPDX-License-Identifier: Apache-2.0 */
/* Writes the seed corpora of the fuzz targets from valid messages built
 * with the real encoder: `scripts/fuzz.sh corpus` runs it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../../proto/proto.h"

static const char *root;

static void put(const char *target, const char *name, const void *p, size_t n)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", root, target);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/%s/%s", root, target, name);
	if (!(f = fopen(path, "wb")) || fwrite(p, 1, n, f) != n || fclose(f)) {
		perror(path);
		exit(1);
	}
}

static void must(int rc)
{
	if (rc) {
		fprintf(stderr, "gen_corpus: %s\n", tn_strerror(rc));
		exit(1);
	}
}

static void record(struct tn_record *r, uint32_t n_events)
{
	static const char *const kinds[] = { "manufactured", "imported", "sold", "exported" };

	memset(r, 0, sizeof(*r));
	r->id = 1234;
	strcpy(r->make, "Smith & Wesson");
	strcpy(r->model, "M&P9");
	strcpy(r->caliber, "9mm");
	strcpy(r->type, "pistol");
	strcpy(r->serial, "ABC-12345");
	strcpy(r->country, "USA");
	strcpy(r->importer, "Importadora Ñ S.A.");
	r->n_events = n_events;
	r->events = n_events ? calloc(n_events, sizeof(*r->events)) : NULL;
	for (uint32_t i = 0; i < n_events; i++) {
		strcpy(r->events[i].kind, kinds[i % 4]);
		snprintf(r->events[i].date, TN_DATE_LEN, "2018-0%u-1%u", i % 9 + 1, i % 10);
		strcpy(r->events[i].party, "FFL 1-23-456");
		strcpy(r->events[i].country, "GTM");
	}
}

/* The decode seeds: schema objects and hand-built maps. */
static void decode_seeds(struct proto_buf *all)
{
	/* msgpack types the encoder never writes: float, ext, str32, map16. */
	static const char odd[] =
		"\x84\xa1" "f\xcb\x40\x09\x21\xfb\x54\x44\x2d\x18\xa1" "e\xd6\x01" "abcd"
		"\xa1" "s\xdb\x00\x00\x00\x02" "hi\xa1" "m\xde\x00\x01\xa1" "k\xc2";
	struct proto_buf b = { 0 };
	struct tn_record r;
	struct tn_stolen s = { .id = 9 };
	struct tn_event_arg ea = { .id = 3 };
	struct tn_row_error errs[2] = { { 4, -6, "field 'serial': missing" }, { 9, -7, "bad date" } };
	struct tn_import_result ir = { .imported = 10, .n = 2, .errors = errs };
	struct proto_writer *w;

	record(&r, 3);
	must(proto_encode(&proto_record_schema, &r, &b));
	put("fuzz_decode", "record", b.data, b.len);
	must(proto_frame_write(all, b.data, b.len));
	b.len = 0;
	proto_release(&proto_record_schema, &r);

	strcpy(s.kind, "stolen");
	strcpy(s.make, "Glock");
	strcpy(s.serial, "BXK123");
	strcpy(s.date, "2023-11-02");
	strcpy(s.status, "open");
	must(proto_encode(&proto_stolen_schema, &s, &b));
	put("fuzz_decode", "stolen", b.data, b.len);
	must(proto_frame_write(all, b.data, b.len));
	b.len = 0;

	strcpy(ea.event.kind, "destroyed");
	strcpy(ea.event.date, "2021-02-28");
	must(proto_encode(&proto_event_arg_schema, &ea, &b));
	put("fuzz_decode", "event_arg", b.data, b.len);
	b.len = 0;
	must(proto_encode(&proto_import_result_schema, &ir, &b));
	put("fuzz_decode", "import_result", b.data, b.len);
	b.len = 0;

	/* The console reply shape, with every scalar type. */
	w = proto_writer_new(&b);
	must(proto_w_map(w, 6));
	must(proto_w_str(w, "ok"));
	must(proto_w_bool(w, 1));
	must(proto_w_str(w, "id"));
	must(proto_w_i64(w, -42));
	must(proto_w_str(w, "nonce"));
	must(proto_w_bin(w, "\x01\x02\x03\x04", 4));
	must(proto_w_str(w, "list"));
	must(proto_w_array(w, 3));
	must(proto_w_nil(w));
	must(proto_w_str(w, "x"));
	must(proto_w_i64(w, 1ll << 40));
	must(proto_w_str(w, "s"));
	must(proto_w_str(w, "seven"));
	must(proto_w_str(w, "data"));
	record(&r, 1);
	must(proto_w_obj(w, &proto_record_schema, &r));
	proto_release(&proto_record_schema, &r);
	proto_writer_free(w);
	put("fuzz_decode", "reply", b.data, b.len);
	must(proto_frame_write(all, b.data, b.len));
	b.len = 0;

	/* A record.import request: a record in the encoder's form, one not. */
	w = proto_writer_new(&b);
	must(proto_w_map(w, 2));
	must(proto_w_str(w, "cmd"));
	must(proto_w_str(w, "record.import"));
	must(proto_w_str(w, "args"));
	must(proto_w_map(w, 1));
	must(proto_w_str(w, "records"));
	must(proto_w_array(w, 2));
	record(&r, 2);
	must(proto_w_obj(w, &proto_record_schema, &r));
	proto_release(&proto_record_schema, &r);
	must(proto_w_map(w, 2));
	must(proto_w_str(w, "serial"));
	must(proto_w_str(w, "XK-1"));
	must(proto_w_str(w, "make"));
	must(proto_w_str(w, "Glock"));
	proto_writer_free(w);
	put("fuzz_decode", "import", b.data, b.len);
	proto_buf_free(&b);
	put("fuzz_decode", "odd_types", odd, sizeof(odd) - 1);
}

/* Peer link frames {t, m}: a HELLO and an envelope with a sealed body. */
static void link_seeds(struct proto_buf *all)
{
	struct tn_hello h = { .name = "GTM", .version = TN_PROTO_VERSION, .suites = "1" };
	struct tn_sealed sealed = { .n_m = 5, .m = (uint8_t *)"\x81\xa1" "a\x01\x02" };
	struct tn_envelope e = { .v = 1, .suite = 1, .type = "STOLEN_QUERY", .from = "GTM",
				 .to = "MEX", .ts = 1700000000123ull, .ttl = 1 };
	struct proto_buf b = { 0 }, body = { 0 };
	struct proto_writer *w = proto_writer_new(&b);

	strcpy(h.features, "batch,broadcast");
	must(proto_w_map(w, 2));
	must(proto_w_str(w, "t"));
	must(proto_w_str(w, "hello"));
	must(proto_w_str(w, "m"));
	must(proto_w_obj(w, &proto_hello_schema, &h));
	put("fuzz_decode", "link_hello", b.data, b.len);
	must(proto_frame_write(all, b.data, b.len));
	b.len = 0;

	must(proto_encode(&proto_sealed_schema, &sealed, &body));
	put("fuzz_decode", "sealed", body.data, body.len);
	memset(e.id, 0x11, sizeof(e.id));
	memset(e.nonce, 0x22, sizeof(e.nonce));
	e.n_body = (uint32_t)body.len;
	e.body = body.data;
	/* fuzz_envelope reseals the body itself: a plaintext sealed map. */
	must(proto_encode(&proto_envelope_schema, &e, &b));
	put("fuzz_envelope", "envelope", b.data, b.len);
	b.len = 0;
	must(proto_w_map(w, 2));
	must(proto_w_str(w, "t"));
	must(proto_w_str(w, "env"));
	must(proto_w_str(w, "m"));
	must(proto_w_obj(w, &proto_envelope_schema, &e));
	put("fuzz_decode", "link_env", b.data, b.len);
	must(proto_frame_write(all, b.data, b.len));
	proto_writer_free(w);
	proto_buf_free(&b);
	proto_buf_free(&body);
}

static void frame_seeds(const struct proto_buf *all)
{
	struct proto_buf b = { 0 };

	/* Selector bytes: max 4096, chunks up to 8, seed. */
	must(proto_buf_add(&b, "\x07\x03\x12\x34", 4));
	must(proto_buf_add(&b, all->data, all->len));
	put("fuzz_frame", "messages", b.data, b.len);
	b.len = 0;
	must(proto_buf_add(&b, "\x04\x00\x00\x01", 4)); /* max 100, byte by byte */
	must(proto_frame_write(&b, "hello", 5));
	must(proto_buf_add(&b, "\x00\x00\x00\x65", 4)); /* 101: too big */
	put("fuzz_frame", "too_big", b.data, b.len);
	b.len = 0;
	must(proto_buf_add(&b, "\x06\x05\xab\xcd", 4));
	must(proto_frame_write(&b, "x", 1));
	must(proto_buf_add(&b, "\x00\x00\x00\x00", 4));
	put("fuzz_frame", "empty_frame", b.data, b.len);
	proto_buf_free(&b);
}

static void csv_seeds(void)
{
	static const char plain[] =
		"\x04\x00\x00\x07"
		"make,model,caliber,type,serial,country,importer,events\n"
		"Glock,19,9mm,pistol,BXK123,AUT,,manufactured:2015-03-02\n"
		"S&W,M&P9,9mm,pistol,ABC-12345,USA,\"Importadora, S.A.\",sold:2019-01-02\r\n";
	static const char quoted[] =
		"\x0c\x83\x56\x78"
		"\"multi\nline\",\"quote \"\"x\"\"\",,\r\n"
		"\"unterminated,a,b\n"
		"a,b,c\n\n"
		"x,\"bad\"quote\n"
		"last,row,no,newline";

	put("fuzz_csv", "records", plain, sizeof(plain) - 1);
	put("fuzz_csv", "quoting", quoted, sizeof(quoted) - 1);
}

static void norm_seeds(void)
{
	static const char *const seeds[] = {
		"\x30Smith & Wesson\n2019-02-28",
		"\x10S&W\n2020-02-29",
		"\x05glock 17-ab/12.3\n1900-02-29",
		"\x40" "FN\n2000-02-29",
		"\x20\xc4\x8c" "esk\xc3\xa1 zbrojovka\n2200-12-31",
		"\x03GTM\n1800-01-01",
		"\x50heckler and koch\n2023-13-01",
	};

	for (size_t i = 0; i < sizeof(seeds) / sizeof(seeds[0]); i++) {
		char name[16];

		snprintf(name, sizeof(name), "seed%zu", i);
		put("fuzz_norm", name, seeds[i], strlen(seeds[i]));
	}
}

static void match_seeds(void)
{
	static const char *const seeds[] = {
		"\x01glock\nBKR4O52\nGlock 19\nBKR4052\nG19",
		"\x01S&W\nAB?12?\n\nABC123\nM&P9",
		"\x02Glock\nabc-123\n19\nABC123\nG19",
		"\x01" "Century Arms\n561234567\nType 54\n56-1234567\nType 54",
		"\x01\nBKR45\n\nBKR4052\n",
		"\x01\n\xd0\xbb\xd1\x84" "1234\n\n\xd0\xbb\xd1\x83" "1234\n",
	};

	for (size_t i = 0; i < sizeof(seeds) / sizeof(seeds[0]); i++) {
		char name[16];

		snprintf(name, sizeof(name), "seed%zu", i);
		put("fuzz_match", name, seeds[i], strlen(seeds[i]));
	}
}

int main(int argc, char **argv)
{
	struct proto_buf all = { 0 };

	if (argc != 2) {
		fprintf(stderr, "usage: gen_corpus DIR\n");
		return 2;
	}
	root = argv[1];
	mkdir(root, 0755);
	decode_seeds(&all);
	link_seeds(&all);
	frame_seeds(&all);
	csv_seeds();
	norm_seeds();
	match_seeds();
	proto_buf_free(&all);
	return 0;
}
