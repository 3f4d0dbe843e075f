/* SPDX-License-Identifier: Apache-2.0 */
/* `tracectl record import FILE.csv`: rows are parsed here and encoded
 * straight into the request of their batch (a row whose columns are
 * malformed is refused here); batches are sent two in flight, so that the
 * next is read while the node commits one, and the node checks each
 * record and commits each batch in one transaction. Bad rows are reported
 * by line and skipped. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ctl.h"

/* Rows of one request, which the node commits in one transaction; a
 * request is also sent once its bytes come near the console frame limit. */
#define IMPORT_BATCH 65536
#define IMPORT_FIRST 8192
#define IMPORT_BYTES ((size_t)PROTO_CONSOLE_FRAME_MAX - ((size_t)1 << 20))
#define IMPORT_KEEP_ERRORS 10000
#define IMPORT_INFLIGHT 2
#define IMPORT_SLICE ((size_t)64 << 10)

struct sent {
	unsigned long *lines;
	uint32_t n;
};

/* The request being filled: frame length, {cmd, args: {records: [...]}}
 * with a 32-bit record count, then the records as proto_encode writes
 * them; both sizes are filled in when it is sent. */
struct batch {
	struct proto_buf frame;
	size_t head;              /* bytes before the first record */
	uint32_t limit;           /* rows of this one (next_limit) */
	unsigned long *lines;     /* each record's line in the file */
	uint32_t n;
};

struct import {
	struct ctl *c;
	struct batch batch;
	struct sent inflight[IMPORT_INFLIGHT];
	int n_inflight;
	uint64_t rows, imported, rejected;
	uint64_t on_file;          /* rows the node holds already (a re-run) */
	size_t bytes, total;
	int tty, failed;
	struct proto_buf errors;   /* msgpack [line, text] pairs for --json */
	uint32_t n_errors;
	struct proto_writer *w;
};

static void reject(struct import *im, unsigned long line, const char *why)
{
	im->rejected++;
	if (!im->c->json) {
		fprintf(stderr, "%sline %lu: %s\n", im->tty ? "\r\033[K" : "", line, why);
		return;
	}
	if (im->n_errors < IMPORT_KEEP_ERRORS) {
		im->n_errors++;
		if (proto_w_map(im->w, 2) || proto_w_str(im->w, "line") ||
		    proto_w_i64(im->w, (int64_t)line) || proto_w_str(im->w, "error") ||
		    proto_w_str(im->w, why))
			im->failed = 1;
	}
}

static void progress(struct import *im)
{
	if (!im->tty || !im->total)
		return;
	fprintf(stderr, "\r\033[Kimporting: %3zu%%  %llu rows read, %llu committed",
		im->bytes * 100 / im->total, (unsigned long long)im->rows,
		(unsigned long long)(im->imported + im->on_file));
}

/* Read the oldest batch's answer. */
static int recv_one(struct import *im)
{
	struct tn_import_result res;
	struct sent s = im->inflight[0];
	struct proto_msg *m;
	int rc;

	memmove(im->inflight, im->inflight + 1, --im->n_inflight * sizeof(*im->inflight));
	if ((rc = ctl_recv(im->c, &m)) == 0) {
		if ((rc = proto_msg_decode(m, "data", &proto_import_result_schema, &res)))
			rc = ctl_fail("malformed import reply: %s", proto_msg_error(m));
		proto_msg_free(m);
	}
	if (rc == 0) {
		im->imported += res.imported;
		for (uint32_t i = 0; i < res.n; i++)
			if (res.errors[i].code == TN_ERR_EXISTS)
				im->on_file++;
			else if (res.errors[i].index < s.n)
				reject(im, s.lines[res.errors[i].index], res.errors[i].error);
		proto_release(&proto_import_result_schema, &res);
	}
	free(s.lines);
	progress(im);
	return rc;
}

static void put_be32(uint8_t *p, size_t v)
{
	for (int i = 3; i >= 0; i--, v >>= 8)
		p[i] = (uint8_t)v;
}

/* Rows of the next batch: IMPORT_FIRST, then half as many again each time
 * up to IMPORT_BATCH, so that the node starts early and commits large
 * batches, and reading the next batch takes about as long as the node
 * takes over the one before (twice as many rows would keep it waiting). */
static uint32_t next_limit(uint32_t limit)
{
	if (!limit)
		return IMPORT_FIRST;
	return limit + limit / 2 < IMPORT_BATCH ? limit + limit / 2 : IMPORT_BATCH;
}

/* Start an empty request in b. */
static int batch_start(struct batch *b)
{
	struct proto_writer *w;
	int rc;

	b->frame.len = 0;
	b->n = 0;
	b->limit = next_limit(b->limit);
	if (!b->lines && !(b->lines = malloc(IMPORT_BATCH * sizeof(*b->lines))))
		return TN_ERR_NOMEM;
	if (!(w = proto_writer_new(&b->frame)))
		return TN_ERR_NOMEM;
	rc = proto_buf_add(&b->frame, "\0\0\0\0", 4) || proto_w_map(w, 2) ||
	     proto_w_str(w, "cmd") || proto_w_str(w, tn_cmds[CMD_RECORD_IMPORT].name) ||
	     proto_w_str(w, "args") || proto_w_map(w, 1) || proto_w_str(w, "records") ||
	     proto_buf_add(&b->frame, "\xdd\0\0\0\0", 5);
	proto_writer_free(w);
	b->head = b->frame.len;
	return rc ? TN_ERR_NOMEM : 0;
}

static int send_batch(struct import *im)
{
	struct batch *b = &im->batch;
	int rc;

	if (!b->n)
		return 0;
	put_be32(b->frame.data, b->frame.len - 4);
	put_be32(b->frame.data + b->head - 4, b->n);
	rc = ctl_send_frame(im->c, b->frame.data, b->frame.len);
	im->inflight[im->n_inflight++] = (struct sent){ b->lines, b->n };
	b->lines = NULL;
	if (rc || batch_start(b))
		return 1;
	return im->n_inflight == IMPORT_INFLIGHT ? recv_one(im) : 0;
}

/* A batch goes once it holds its rows, or its bytes come near the frame
 * limit, or, near the end of a file, once it holds as many rows as seem
 * left after it: the last batches halve, so that little is left for the
 * node to commit after the last row is read. */
static int batch_full(const struct import *im)
{
	const struct batch *b = &im->batch;
	uint64_t per_row;

	if (b->n >= b->limit || b->frame.len >= IMPORT_BYTES)
		return 1;
	if (!im->total || b->n < IMPORT_FIRST || !im->rows || im->bytes > im->total)
		return 0;
	per_row = im->bytes / im->rows;
	return per_row && (im->total - im->bytes) / per_row <= b->n;
}

/* A row goes into the request as it is read; the node checks what it
 * means (proto_record_check) and names the rows it refuses. */
static int on_row(void *arg, char **fields, int n, unsigned long line)
{
	struct import *im = arg;
	struct batch *b = &im->batch;
	char why[TN_TEXT_LEN];
	int rc;

	if (line == 1 && n > 0 && !strcasecmp(fields[0], "make"))
		return 0;
	im->rows++;
	rc = proto_record_csv_encode(fields, n, &b->frame, why, sizeof(why));
	if (rc == TN_ERR_NOMEM)
		return im->failed = ctl_fail("out of memory");
	if (rc) {
		reject(im, line, why);
		return 0;
	}
	b->lines[b->n++] = line;
	if (batch_full(im) && send_batch(im))
		return im->failed = 1;
	return 0;
}

static int on_bad(void *arg, unsigned long line, const char *why)
{
	struct import *im = arg;

	im->rows++;
	reject(im, line, why);
	return 0;
}

/* The file read 1 MiB at a time and parsed 64 KiB at a time, so that
 * im->bytes says how far the rows go within a slice. */
static int feed_file(struct import *im, FILE *f)
{
	struct proto_csv *csv = proto_csv_new(on_row, on_bad, im);
	static char buf[1 << 20];
	size_t n, k;
	int rc = 0;

	if (!csv)
		return ctl_fail("out of memory");
	while (!rc && (n = fread(buf, 1, sizeof(buf), f)) > 0) {
		for (size_t off = 0; !rc && off < n; off += k) {
			k = n - off < IMPORT_SLICE ? n - off : IMPORT_SLICE;
			im->bytes += k;
			rc = proto_csv_feed(csv, buf + off, k) || im->failed;
		}
		progress(im);
	}
	if (!rc && ferror(f))
		rc = ctl_fail("read error");
	if (!rc)
		rc = proto_csv_finish(csv) || im->failed || send_batch(im);
	while (!rc && im->n_inflight)
		rc = recv_one(im);
	proto_csv_free(csv);
	return rc;
}

/* {rows, imported, on_file, rejected, errors: [{line, error}]} as JSON. */
static int print_json(struct import *im)
{
	struct proto_buf b = { 0 };
	struct proto_writer *w = proto_writer_new(&b);
	struct proto_msg *m = NULL;
	int rc;

	rc = !w || proto_w_map(w, 5) || proto_w_str(w, "rows") ||
	     proto_w_i64(w, (int64_t)im->rows) || proto_w_str(w, "imported") ||
	     proto_w_i64(w, (int64_t)im->imported) || proto_w_str(w, "on_file") ||
	     proto_w_i64(w, (int64_t)im->on_file) || proto_w_str(w, "rejected") ||
	     proto_w_i64(w, (int64_t)im->rejected) || proto_w_str(w, "errors") ||
	     proto_w_array(w, im->n_errors) ||
	     proto_buf_add(&b, im->errors.data, im->errors.len) ||
	     proto_msg_parse(&m, b.data, b.len) || proto_msg_json(m, NULL, stdout);
	proto_msg_free(m);
	proto_writer_free(w);
	proto_buf_free(&b);
	return rc ? ctl_fail("cannot write the summary") : 0;
}

static int summary(struct import *im)
{
	if (im->tty)
		fputs("\r\033[K", stderr);
	if (im->c->json) {
		if (print_json(im))
			return 1;
	} else {
		printf("imported %llu of %llu rows", (unsigned long long)im->imported,
		       (unsigned long long)im->rows);
		if (im->on_file)
			printf("; %llu already on file, skipped", (unsigned long long)im->on_file);
		putchar('\n');
	}
	if (im->rejected)
		return ctl_fail("%llu of %llu rows rejected", (unsigned long long)im->rejected,
				(unsigned long long)im->rows);
	return 0;
}

int ctl_import(struct ctl *c, const char *path)
{
	struct import im = { .c = c };
	FILE *f = strcmp(path, "-") ? fopen(path, "r") : stdin;
	struct stat st;
	int rc;

	if (!f)
		return ctl_fail("cannot open %s", path);
	im.tty = isatty(2) && !c->json;
	c->quiet_io = 1;
	if (!fstat(fileno(f), &st) && S_ISREG(st.st_mode))
		im.total = (size_t)st.st_size;
	im.w = proto_writer_new(&im.errors);
	if (!im.w || batch_start(&im.batch))
		rc = ctl_fail("out of memory");
	else if (!(rc = feed_file(&im, f)))
		rc = summary(&im);
	else if (c->lost[0])
		ctl_fail("%s: the import stopped with %llu rows committed (of %llu read); run the "
			 "same import again once the node is back: the rows it holds are skipped, "
			 "counted apart", c->lost, (unsigned long long)(im.imported + im.on_file),
			 (unsigned long long)im.rows);
	for (int i = 0; i < im.n_inflight; i++)
		free(im.inflight[i].lines);
	free(im.batch.lines);
	proto_buf_free(&im.batch.frame);
	proto_writer_free(im.w);
	proto_buf_free(&im.errors);
	if (f != stdin)
		fclose(f);
	return rc;
}
