/* SPDX-License-Identifier: Apache-2.0 */
/* record.import requests read record by record (import.h): the request's
 * map is walked down to args.records; each record is read in the
 * encoder's form, or else decoded and encoded again, then checked; what
 * follows the records is walked last, so that a request is refused whole
 * when any of it is malformed. Depths: the request 0, args 1, records 2,
 * a record 3. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "proto_int.h"

#define NOT_MAP "request is not a msgpack map"


/* A map (fix 0x80, 0xde, 0xdf) or array (0x90, 0xdc, 0xdd) header of any
 * width: 0, or 1 when the value is something else (not consumed). */
static int header(struct proto_import *im, uint8_t fix, uint8_t b16, uint32_t *n)
{
	const uint8_t *p = im->p + im->off;
	size_t left = im->len - im->off;

	if (!left)
		return TN_ERR_DECODE;
	if ((p[0] & 0xf0) == fix) {
		*n = p[0] & 0x0f;
		im->off++;
		return 0;
	}
	if (p[0] != b16 && p[0] != b16 + 1)
		return 1;
	if (left < (p[0] == b16 ? 3u : 5u))
		return TN_ERR_DECODE;
	*n = p[0] == b16 ? (uint32_t)p[1] << 8 | p[2] :
			   (uint32_t)p[1] << 24 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 8 | p[4];
	im->off += p[0] == b16 ? 3 : 5;
	return 0;
}

/* Bytes of a string header (any width), 0 for another type. */
static size_t str_hdr(uint8_t t)
{
	if ((t & 0xe0) == 0xa0)
		return 1;
	return t == 0xd9 ? 2 : t == 0xda ? 3 : t == 0xdb ? 5 : 0;
}

/* Consume a key: 1 when it is the string name, 0 for any other key. */
static int key_is(struct proto_import *im, const char *name, int depth)
{
	size_t n = strlen(name), start = im->off, h;
	int rc = proto__skip(im->p, im->len, &im->off, depth);

	if (rc)
		return rc;
	h = str_hdr(im->p[start]);
	return h && im->off - start == h + n && !memcmp(im->p + start + h, name, n);
}

static int skip(struct proto_import *im, int depth)
{
	return proto__skip(im->p, im->len, &im->off, depth);
}

static int is_nil(const struct proto_import *im)
{
	return im->off < im->len && im->p[im->off] == 0xc0;
}

/* Walk the n entries of a map up to key name: 1 there (its value next,
 * *rest entries after it), 0 when the map has none (nil values count as
 * none, as the decoder has it). */
static int find_key(struct proto_import *im, uint32_t n, const char *name, int depth,
		    uint32_t *rest)
{
	int rc;

	for (uint32_t k = 0; k < n; k++) {
		if ((rc = key_is(im, name, depth)) < 0)
			return rc;
		if (rc && !is_nil(im)) {
			*rest = n - k - 1;
			return 1;
		}
		if ((rc = skip(im, depth)))
			return rc;
	}
	*rest = 0;
	return 0;
}

static int open_records(struct proto_import *im, char *why, size_t why_len)
{
	uint32_t n;
	int rc;

	if (header(im, 0x80, 0xde, &n))
		return proto__why(why, why_len, TN_ERR_FIELD, "field 'args': not a map");
	if ((rc = find_key(im, n, "records", 2, &im->rest_args)) <= 0)
		return rc ? proto__why(why, why_len, rc, NOT_MAP) : 0;
	if ((rc = header(im, 0x90, 0xdc, &im->n)) < 0)
		return proto__why(why, why_len, rc, NOT_MAP);
	if (rc)
		return proto__why(why, why_len, TN_ERR_FIELD, "field 'records': not an array");
	if (im->n > TN_IMPORT_MAX)
		return proto__why(why, why_len, TN_ERR_FIELD, "field 'records': too many items");
	return 0;
}

int proto_import_open(struct proto_import *im, const void *req, size_t len, char *why,
		      size_t why_len)
{
	uint32_t n;
	int rc;

	memset(im, 0, sizeof(*im));
	im->p = req;
	im->len = len;
	if (header(im, 0x80, 0xde, &n))
		return proto__why(why, why_len, TN_ERR_DECODE, NOT_MAP);
	if ((rc = find_key(im, n, "args", 1, &im->rest_top)) <= 0)
		return rc ? proto__why(why, why_len, rc, NOT_MAP) :
			    proto__why(why, why_len, TN_ERR_FIELD, "field 'args': missing");
	if ((rc = open_records(im, why, why_len)))
		return rc;
	if (im->n && !(im->events = malloc(TN_EVENTS_MAX * sizeof(*im->events))))
		return proto__why(why, why_len, TN_ERR_NOMEM, "out of memory");
	return 0;
}

/* A record not in the encoder's form: decoded, then encoded again with id 0
 * (whose value is then the byte after the map header and the key "id"). */
static int decode_record(struct proto_import *im, struct proto_import_rec *out, char *why,
			 size_t why_len)
{
	struct tn_record tmp;
	char inner[160];
	size_t start = im->off;
	int rc;

	if (im->off < im->len && (im->p[im->off] & 0xf0) != 0x80 && im->p[im->off] != 0xde &&
	    im->p[im->off] != 0xdf)
		return proto__why(why, why_len, TN_ERR_FIELD, "records[%u]: not a map", im->next);
	if ((rc = skip(im, 3)))
		return proto__why(why, why_len, rc, NOT_MAP);
	rc = proto_decode(&proto_record_schema, im->p + start, im->off - start, &tmp, inner,
			  sizeof(inner));
	if (rc)
		return proto__why(why, why_len, rc, "records[%u]: %s", im->next, inner);
	out->r = tmp;
	out->r.id = 0;
	out->r.events = im->events;
	if (tmp.n_events)
		memcpy(im->events, tmp.events, tmp.n_events * sizeof(*tmp.events));
	free(tmp.events);
	im->enc.len = 0;
	if ((rc = proto_encode(&proto_record_schema, &out->r, &im->enc)))
		return proto__why(why, why_len, rc, "out of memory");
	out->enc = im->enc.data;
	out->len = im->enc.len;
	out->id_off = 4;
	out->id_len = 1;
	out->copied = true;
	return 0;
}

/* Bytes of the shortest unsigned integer whose type byte is t. */
static uint32_t uint_size(uint8_t t)
{
	return t <= 0x7f ? 1 : 1 + (1u << (t - 0xcc));
}

int proto_import_next(struct proto_import *im, struct proto_import_rec *out, char *why,
		      size_t why_len)
{
	size_t start = im->off;
	int rc;

	if (im->next >= im->n)
		return proto__why(why, why_len, TN_ERR_INVALID, "no more records");
	if (proto_record_canon(im->p, im->len, &im->off, &out->r, im->events) == 0) {
		out->enc = im->p + start;
		out->len = im->off - start;
		out->id_off = 4; /* a fixmap, then the key "id" */
		out->id_len = uint_size(out->enc[4]);
		out->copied = false;
	} else if ((rc = decode_record(im, out, why, why_len))) {
		return rc;
	}
	im->next++;
	return proto_record_check(&out->r, why, why_len);
}

/* Entries after "records" in args, then after "args" in the request. */
int proto_import_end(struct proto_import *im, char *why, size_t why_len)
{
	int rc;

	for (uint32_t k = 0; k < im->rest_args; k++) {
		if ((rc = key_is(im, "records", 2)) < 0)
			return proto__why(why, why_len, rc, NOT_MAP);
		if (rc && !is_nil(im))
			return proto__why(why, why_len, TN_ERR_FIELD, "field 'records': repeated");
		if ((rc = skip(im, 2)))
			return proto__why(why, why_len, rc, NOT_MAP);
	}
	for (uint32_t k = 0; k < 2 * im->rest_top; k++)
		if ((rc = skip(im, 1)))
			return proto__why(why, why_len, rc, NOT_MAP);
	im->rest_args = im->rest_top = 0;
	return im->off == im->len ? 0 : proto__why(why, why_len, TN_ERR_DECODE, NOT_MAP);
}

/* The first "cmd" key decides, as proto__get finds it. */
int proto_request_cmd(const void *req, size_t len, char *cmd, size_t cap)
{
	struct proto_import im = { .p = req, .len = len };
	size_t h, start, n;
	uint32_t keys;
	int rc;

	if (header(&im, 0x80, 0xde, &keys))
		return TN_ERR_FIELD;
	for (uint32_t k = 0; k < keys; k++) {
		if ((rc = key_is(&im, "cmd", 1)) < 0)
			return TN_ERR_FIELD;
		start = im.off;
		if (skip(&im, 1))
			return TN_ERR_FIELD;
		if (!rc)
			continue;
		h = str_hdr(im.p[start]);
		n = im.off - start - h;
		if (!h || n >= cap || memchr(im.p + start + h, 0, n))
			return TN_ERR_FIELD;
		memcpy(cmd, im.p + start + h, n);
		cmd[n] = '\0';
		return 0;
	}
	return TN_ERR_FIELD;
}

void proto_import_close(struct proto_import *im)
{
	free(im->events);
	proto_buf_free(&im->enc);
	memset(im, 0, sizeof(*im));
}
