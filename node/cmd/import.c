/* SPDX-License-Identifier: Apache-2.0 */
/* record.import: a batch of records read straight from the request's
 * bytes (proto_import_next), each checked; those that pass are added in
 * one op of the group commit, kept as the bytes they came in. The reply
 * lists the rows refused, by their index in the batch: bad rows first,
 * then duplicates. */
#include <stdlib.h>
#include <string.h>

#include "cmd.h"

#define DUPLICATE "same make, serial and model as a record on file"

struct import_job {
	struct cmd_write w;
	struct store_rec_enc *rows;  /* the records that passed their checks */
	uint32_t *index;             /* each one's index in the batch */
	uint32_t n;
	uint32_t n_invalid;          /* errors before the commit */
	uint32_t cap_errors;
};

static int row_error(struct import_job *j, uint32_t index, int code, const char *why)
{
	struct tn_import_result *res = j->w.reply;
	struct tn_row_error *e;

	if (proto_grow((void **)&res->errors, res->n, &j->cap_errors, sizeof(*e)))
		return TN_ERR_NOMEM;
	e = &res->errors[res->n++];
	memset(e, 0, sizeof(*e));
	e->index = index;
	e->code = code;
	proto_strcpy(e->error, sizeof(e->error), why ? why : tn_strerror(code));
	return 0;
}

/* Run again from the start if the map grows: the results are reset. */
static int import_op(struct store_txn *t, void *arg)
{
	struct import_job *j = arg;
	struct tn_import_result *res = j->w.reply;
	int rc;

	res->imported = 0;
	res->n = j->n_invalid;
	if ((rc = store_record_add_encoded(t, j->rows, j->n)) < 0)
		return rc;
	res->imported = (uint32_t)rc;
	for (uint32_t i = 0; i < j->n; i++)
		if (!j->rows[i].id && (rc = row_error(j, j->index[i], TN_ERR_EXISTS, DUPLICATE)))
			return rc;
	return node_audit_local(t, "record.import", 0, "%u imported", res->imported);
}

/* Keep a checked record: its bytes (copied if the reader's), key, model. */
static int keep(struct console_req *r, struct import_job *j, const struct proto_import_rec *rec,
		uint32_t index)
{
	struct store_rec_enc *e = &j->rows[j->n];
	uint8_t *copy;

	if (store_rec_enc_key(e, &rec->r))
		return row_error(j, index, TN_ERR_INVALID, NULL);
	e->enc = rec->enc;
	if (rec->copied) {
		if (!(copy = console_alloc(r, NULL, rec->len)))
			return TN_ERR_NOMEM;
		memcpy(copy, rec->enc, rec->len);
		e->enc = copy;
	}
	e->len = (uint32_t)rec->len;
	e->id_off = rec->id_off;
	e->id_len = rec->id_len;
	j->index[j->n++] = index;
	return 0;
}

/* Read and check every record; a malformed request is refused whole. */
static int read_batch(struct console_req *r, struct import_job *j, struct proto_import *im,
		      char *why, size_t why_len)
{
	struct proto_import_rec rec;
	int rc;

	if (im->n && (!(j->rows = console_alloc(r, NULL, im->n * sizeof(*j->rows))) ||
		      !(j->index = console_alloc(r, NULL, im->n * sizeof(*j->index)))))
		return TN_ERR_NOMEM;
	while (im->next < im->n) {
		uint32_t index = im->next;

		rc = proto_import_next(im, &rec, why, why_len);
		if (rc == TN_ERR_INVALID)
			rc = row_error(j, index, rc, why);
		else if (!rc)
			rc = keep(r, j, &rec, index);
		if (rc)
			return rc;
	}
	return proto_import_end(im, why, why_len);
}

static int record_import(struct console_req *r, void *args)
{
	struct cmd_raw *raw = args;
	struct import_job *j = cmd_job(r, NULL, sizeof(*j));
	struct proto_import im;
	char why[TN_TEXT_LEN] = "";
	int rc;

	if (!j)
		return TN_ERR_NOMEM;
	rc = proto_import_open(&im, raw->body, raw->len, why, sizeof(why));
	if (!rc)
		rc = read_batch(r, j, &im, why, sizeof(why));
	proto_import_close(&im);
	if (rc)
		return cmd_fail(r, rc, why[0] ? why : NULL);
	j->n_invalid = ((struct tn_import_result *)j->w.reply)->n;
	return cmd_write(&j->w, import_op, NULL);
}

const struct cmd_handler cmd_import_table[] = {
	{ CMD_RECORD_IMPORT, record_import },
	{ CMD_COUNT, NULL },
};
