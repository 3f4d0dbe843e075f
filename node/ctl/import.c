/* SPDX-License-Identifier: Apache-2.0 */
/* `tracectl record import FILE.csv`: rows are parsed and checked here,
 * sent in large batches (two in flight) and committed by the node one
 * transaction per batch. Bad rows are reported by line and skipped. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ctl.h"

#define IMPORT_BATCH 16384
#define IMPORT_KEEP_ERRORS 10000

struct sent {
	unsigned long *lines;
	uint32_t n;
};

struct import {
	struct ctl *c;
	struct tn_record_list batch;
	unsigned long *lines;
	struct sent inflight[2];
	int n_inflight;
	uint64_t rows, imported, rejected;
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
	fprintf(stderr, "\r\033[Kimporting: %3zu%%  %llu rows", im->bytes * 100 / im->total,
		(unsigned long long)im->rows);
}

/* Read the oldest batch's answer. */
static int recv_one(struct import *im)
{
	struct tn_import_result res;
	struct sent s = im->inflight[0];
	struct proto_msg *m;
	int rc;

	im->inflight[0] = im->inflight[1];
	im->n_inflight--;
	if ((rc = ctl_recv(im->c, &m)) == 0) {
		if ((rc = proto_msg_decode(m, "data", &proto_import_result_schema, &res)))
			rc = ctl_fail("malformed import reply: %s", proto_msg_error(m));
		proto_msg_free(m);
	}
	if (rc == 0) {
		im->imported += res.imported;
		for (uint32_t i = 0; i < res.n; i++)
			if (res.errors[i].index < s.n)
				reject(im, s.lines[res.errors[i].index], res.errors[i].error);
		proto_release(&proto_import_result_schema, &res);
	}
	free(s.lines);
	progress(im);
	return rc;
}

static int send_batch(struct import *im)
{
	int rc;

	if (!im->batch.n)
		return 0;
	rc = ctl_send(im->c, CMD_RECORD_IMPORT, &im->batch);
	for (uint32_t i = 0; i < im->batch.n; i++)
		proto_release(&proto_record_schema, &im->batch.records[i]);
	im->inflight[im->n_inflight++] = (struct sent){ im->lines, im->batch.n };
	im->batch.n = 0;
	im->lines = malloc(IMPORT_BATCH * sizeof(*im->lines));
	if (rc || !im->lines)
		return 1;
	return im->n_inflight == 2 ? recv_one(im) : 0;
}

static int on_row(void *arg, char **fields, int n, unsigned long line)
{
	struct import *im = arg;
	struct tn_record *r = &im->batch.records[im->batch.n];
	char why[TN_TEXT_LEN];

	if (line == 1 && n > 0 && !strcasecmp(fields[0], "make"))
		return 0;
	im->rows++;
	if (proto_record_from_csv(r, fields, n, why, sizeof(why)) ||
	    proto_check_strings(&proto_record_schema, r, why, sizeof(why)) ||
	    proto_record_check(r, why, sizeof(why))) {
		proto_release(&proto_record_schema, r);
		reject(im, line, why);
		return 0;
	}
	im->lines[im->batch.n++] = line;
	if (im->batch.n == IMPORT_BATCH && send_batch(im))
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

static int feed_file(struct import *im, FILE *f)
{
	struct proto_csv *csv = proto_csv_new(on_row, on_bad, im);
	static char buf[1 << 20];
	size_t n;
	int rc = 0;

	if (!csv)
		return ctl_fail("out of memory");
	while (!rc && (n = fread(buf, 1, sizeof(buf), f)) > 0) {
		rc = proto_csv_feed(csv, buf, n) || im->failed;
		im->bytes += n;
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

/* {rows, imported, rejected, errors: [{line, error}]} as JSON. */
static int print_json(struct import *im)
{
	struct proto_buf b = { 0 };
	struct proto_writer *w = proto_writer_new(&b);
	struct proto_msg *m = NULL;
	int rc;

	rc = !w || proto_w_map(w, 4) || proto_w_str(w, "rows") ||
	     proto_w_i64(w, (int64_t)im->rows) || proto_w_str(w, "imported") ||
	     proto_w_i64(w, (int64_t)im->imported) || proto_w_str(w, "rejected") ||
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
		printf("imported %llu of %llu rows\n", (unsigned long long)im->imported,
		       (unsigned long long)im->rows);
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
	if (!fstat(fileno(f), &st) && S_ISREG(st.st_mode))
		im.total = (size_t)st.st_size;
	im.batch.records = calloc(IMPORT_BATCH, sizeof(*im.batch.records));
	im.lines = malloc(IMPORT_BATCH * sizeof(*im.lines));
	im.w = proto_writer_new(&im.errors);
	if (!im.batch.records || !im.lines || !im.w)
		rc = ctl_fail("out of memory");
	else if (!(rc = feed_file(&im, f)))
		rc = summary(&im);
	for (int i = 0; i < im.n_inflight; i++)
		free(im.inflight[i].lines);
	for (uint32_t i = 0; i < im.batch.n; i++)
		proto_release(&proto_record_schema, &im.batch.records[i]);
	free(im.batch.records);
	free(im.lines);
	proto_writer_free(im.w);
	proto_buf_free(&im.errors);
	if (f != stdin)
		fclose(f);
	return rc;
}
