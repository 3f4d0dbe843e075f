/* SPDX-License-Identifier: Apache-2.0 */
/* The records of a record.import request, read from the request's msgpack
 * bytes one at a time: the batch is never unpacked whole and a record
 * costs no allocation. A record in the encoder's own form (proto_encode's
 * bytes, which tracectl sends) is read straight into a scratch struct and
 * keeps its bytes, for the store to keep as they are; any other
 * well-formed record goes through the schema decoder and is encoded
 * again. Either way it is checked with proto_record_check. */
#ifndef TN_IMPORT_H
#define TN_IMPORT_H

#include "console.h"

struct proto_import {
	const uint8_t *p;          /* the whole request */
	size_t len, off;           /* off: where the next record starts */
	uint32_t n, next;          /* records in the request, index of the next */
	uint32_t rest_args;        /* entries of args after "records" */
	uint32_t rest_top;         /* entries of the request after "args" */
	struct tn_event *events;   /* the current record's events (TN_EVENTS_MAX) */
	struct proto_buf enc;      /* the current record, encoded again */
};

/* A checked record of the request. */
struct proto_import_rec {
	struct tn_record r;        /* its fields; events in the reader's scratch */
	const uint8_t *enc;        /* proto_encode's bytes of r, with some id */
	size_t len;
	uint32_t id_off, id_len;   /* where that id's value sits in enc */
	bool copied;               /* enc is the reader's, valid until the next call */
};

/* Start reading req, a whole request {cmd, args: {records: [...]}}. A
 * negative code, with why, when it is not one. */
int proto_import_open(struct proto_import *im, const void *req, size_t len, char *why,
		      size_t why_len) TN_WUR;
/* Read the next record (while im->next < im->n): 0 when it passed its
 * checks; TN_ERR_INVALID when it decoded but failed them (why says how;
 * the next call reads the record after it); another negative code when
 * the request is malformed there (why names the record and the field). */
int proto_import_next(struct proto_import *im, struct proto_import_rec *out, char *why,
		      size_t why_len) TN_WUR;
/* After the last record: the rest of the request must be well-formed and
 * nothing may follow it. */
int proto_import_end(struct proto_import *im, char *why, size_t why_len) TN_WUR;
/* Free the reader's memory. */
void proto_import_close(struct proto_import *im);

/* The string under "cmd" in request req, read without unpacking the rest
 * (cap bytes with its NUL); TN_ERR_FIELD when there is none to read so. */
int proto_request_cmd(const void *req, size_t len, char *cmd, size_t cap) TN_WUR;
/* Read the record at *off of p[0..len) if it is exactly what proto_encode
 * writes for it: 0 with r filled (events in scratch, TN_EVENTS_MAX of
 * them) and *off past it; 1, *off unchanged, for anything else. */
int proto_record_canon(const uint8_t *p, size_t len, size_t *off, struct tn_record *r,
		       struct tn_event *scratch);
/* v as msgpack's shortest unsigned integer into out (9 bytes); its length. */
size_t proto_uint_put(uint8_t *out, uint64_t v);

#endif
