/* SPDX-License-Identifier: Apache-2.0 */
/* The schema-driven msgpack codec: field tables describe C structs, and
 * one encoder, decoder, copier and printer serve every message. */
#ifndef TN_CODEC_H
#define TN_CODEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "buf.h"

enum proto_ftype {
	PF_STR,   /* char[size], NUL-terminated; longer input is refused */
	PF_U64,   /* uint64_t */
	PF_I64,   /* int64_t */
	PF_BOOL,  /* bool */
	PF_BIN,   /* uint8_t[size], exact length */
	PF_ARR,   /* pointer to array of sub (calloc'd), count in uint32_t at cnt_off */
	PF_OBJ,   /* embedded struct of schema sub */
	PF_U32,   /* uint32_t */
	PF_BLOB,  /* uint8_t * (malloc'd) with uint32_t length at cnt_off, at most max */
};

#define PF_REQ 1   /* field must be present */
#define PF_ID 2    /* PF_U64 identifier: a decimal string in JSON (no float rounding) */
#define PF_HEX64 4 /* PF_U64 identifier shown as 16 hex digits, in JSON a string */
#define PF_PTR 8   /* PF_OBJ held by pointer (malloc'd), absent when NULL: an
		    * optional object costs 8 bytes where it is missing */

struct proto_schema;

struct proto_field {
	const char *key;
	uint8_t type;
	uint8_t flags;
	uint8_t klen;          /* strlen(key) */
	uint32_t off;
	uint32_t size;
	uint32_t cnt_off;
	uint32_t max;
	const struct proto_schema *sub;
};

struct proto_schema {
	const char *name;
	const struct proto_field *fields;
	uint32_t n;
	uint32_t size;
};

/* Field table entries; the member name is the wire key. */
#define PROTO_MEMBER_SIZE(t, m) ((uint32_t)sizeof(((t *)0)->m))
#define PF_STR_OF(t, m, fl) { #m, PF_STR, fl, sizeof(#m) - 1, offsetof(t, m), PROTO_MEMBER_SIZE(t, m), 0, 0, NULL }
#define PF_U64_OF(t, m, fl) { #m, PF_U64, fl, sizeof(#m) - 1, offsetof(t, m), 8, 0, 0, NULL }
#define PF_U32_OF(t, m, fl) { #m, PF_U32, fl, sizeof(#m) - 1, offsetof(t, m), 4, 0, 0, NULL }
#define PF_I64_OF(t, m, fl) { #m, PF_I64, fl, sizeof(#m) - 1, offsetof(t, m), 8, 0, 0, NULL }
#define PF_BOOL_OF(t, m, fl) { #m, PF_BOOL, fl, sizeof(#m) - 1, offsetof(t, m), 1, 0, 0, NULL }
#define PF_BIN_OF(t, m, fl) { #m, PF_BIN, fl, sizeof(#m) - 1, offsetof(t, m), PROTO_MEMBER_SIZE(t, m), 0, 0, NULL }
#define PF_OBJ_OF(t, m, fl, sch) { #m, PF_OBJ, fl, sizeof(#m) - 1, offsetof(t, m), PROTO_MEMBER_SIZE(t, m), 0, 0, &(sch) }
#define PF_PTR_OF(t, m, fl, sch) \
	{ #m, PF_OBJ, (fl) | PF_PTR, sizeof(#m) - 1, offsetof(t, m), sizeof(void *), 0, 0, &(sch) }
#define PF_BLOB_OF(t, m, cnt, maxn, fl) \
	{ #m, PF_BLOB, fl, sizeof(#m) - 1, offsetof(t, m), sizeof(void *), offsetof(t, cnt), maxn, NULL }
#define PF_ARR_OF(t, m, cnt, maxn, fl, sch) \
	{ #m, PF_ARR, fl, sizeof(#m) - 1, offsetof(t, m), sizeof(void *), offsetof(t, cnt), maxn, &(sch) }
#define PROTO_SCHEMA(t, fields) \
	{ #t, fields, sizeof(fields) / sizeof((fields)[0]), sizeof(t) }

/* The object a PF_OBJ field of obj holds: embedded, or behind its pointer
 * (NULL when absent). */
static inline const void *proto_sub(const struct proto_field *f, const void *obj)
{
	const char *at = (const char *)obj + f->off;
	const void *held;

	if (!(f->flags & PF_PTR))
		return at;
	memcpy(&held, at, sizeof(held));
	return held;
}

/* A parsed msgpack value (opaque), from which structs are decoded. */
struct proto_msg;

/* Parse one msgpack map; the result owns a copy of nothing but references
 * buf, which must outlive it. */
int proto_msg_parse(struct proto_msg **out, const void *buf, size_t len) TN_WUR;
/* Free a parsed message. */
void proto_msg_free(struct proto_msg *m);
/* Copy the string under key into out (cap bytes); TN_ERR_FIELD if absent. */
int proto_msg_str(const struct proto_msg *m, const char *key, char *out, size_t cap) TN_WUR;
/* Read an integer under key. */
int proto_msg_i64(const struct proto_msg *m, const char *key, int64_t *out) TN_WUR;
/* Read a bool under key. */
int proto_msg_bool(const struct proto_msg *m, const char *key, int *out) TN_WUR;
/* Decode the whole message (key NULL) or the map under key into obj. */
int proto_msg_decode(struct proto_msg *m, const char *key,
		     const struct proto_schema *s, void *obj) TN_WUR;
/* Explain the last decode failure ("field 'serial': too long"). */
const char *proto_msg_error(const struct proto_msg *m);
/* Write the value under key (or the whole message) as JSON to f; with f
 * NULL only say whether key is there (TN_ERR_FIELD if not). Without a
 * schema: integers above INT64_MAX become decimal strings. */
int proto_msg_json(const struct proto_msg *m, const char *key, FILE *f);
/* Write obj as JSON to f from its schema, so that the shape never depends
 * on the content: every field is there, empty ones as "", 0, false, [] or
 * an object of empty fields; PF_ID fields as decimal strings, PF_HEX64 as
 * 16 hex digits, binary values as lower-case hex. s NULL writes {}. */
int proto_json_write(const struct proto_schema *s, const void *obj, FILE *f);
/* {k1: o1, k2: o2} as JSON, each object from its schema as above. */
int proto_json_write_pair(const char *k1, const struct proto_schema *s1, const void *o1,
			  const char *k2, const struct proto_schema *s2, const void *o2, FILE *f);

/* Decode a buffer directly; on failure *why (if not NULL) names the field. */
int proto_decode(const struct proto_schema *s, const void *buf, size_t len,
		 void *obj, char *why, size_t why_len) TN_WUR;
/* Append obj as a msgpack map. */
int proto_encode(const struct proto_schema *s, const void *obj, struct proto_buf *out);
/* 0 if every string field of obj (nested ones too) is valid UTF-8 without
 * NUL bytes, as the decoder demands; else why names the field. */
int proto_check_strings(const struct proto_schema *s, const void *obj, char *why,
			size_t why_len) TN_WUR;
/* Deep copy of src into dst through the codec (release dst after). */
int proto_copy(const struct proto_schema *s, void *dst, const void *src) TN_WUR;
/* Free what decode allocated inside obj (arrays), leaving obj zeroed. */
void proto_release(const struct proto_schema *s, void *obj);

/* Writers for composite messages: a map of n pairs built key by key. */
struct proto_writer;
/* Start a writer appending to out. */
struct proto_writer *proto_writer_new(struct proto_buf *out);
/* Free a writer (the buffer stays). */
void proto_writer_free(struct proto_writer *w);
/* Open a map of n entries. */
int proto_w_map(struct proto_writer *w, uint32_t n);
/* Open an array of n entries. */
int proto_w_array(struct proto_writer *w, uint32_t n);
/* Write a string. */
int proto_w_str(struct proto_writer *w, const char *s);
/* Write an integer. */
int proto_w_i64(struct proto_writer *w, int64_t v);
/* Write a bool. */
int proto_w_bool(struct proto_writer *w, int v);
/* Write binary data. */
int proto_w_bin(struct proto_writer *w, const void *p, size_t n);
/* Write a schema object as a map. */
int proto_w_obj(struct proto_writer *w, const struct proto_schema *s, const void *obj);
/* Write nil. */
int proto_w_nil(struct proto_writer *w);


/* Set the field named key (dashes read as underscores) from text: strings
 * are length-checked, numbers parsed, bools from "1/0/yes/no/true/false".
 * TN_ERR_NOT_FOUND for an unknown key. */
int proto_field_set(const struct proto_schema *s, void *obj, const char *key,
		    const char *val) TN_WUR;
/* Print the value under key (or the whole message) for a person, one
 * "key: value" per line, nested values indented. */
int proto_msg_print(const struct proto_msg *m, const char *key, FILE *f);

#endif
