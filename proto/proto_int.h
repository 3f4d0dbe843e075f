/* SPDX-License-Identifier: Apache-2.0 */
/* Internals shared between proto/ files. */
#ifndef TN_PROTO_INT_H
#define TN_PROTO_INT_H

#include <msgpack.h>
#include <string.h>

#include "proto.h"

/* A parsed message owns a copy of its bytes, checked by proto__scan. */
struct proto_msg {
	uint8_t *buf;
	size_t len;
	char err[160];
};

/* A place in msgpack bytes. */
struct proto_rd {
	const uint8_t *p;
	size_t len, off;
};

/* memcpy that accepts the NULL pointer msgpack-c gives empty values. */
static inline void proto__copy(void *dst, const void *src, size_t n)
{
	if (n)
		memcpy(dst, src, n);
}

/* The n-byte big-endian number at p (n at most 8). */
static inline uint64_t proto__be(const uint8_t *p, int n)
{
	uint64_t v = 0;

	for (int i = 0; i < n; i++)
		v = v << 8 | p[i];
	return v;
}

/* Write the reason fmt to why (when there is room for one); returns rc. */
int proto__why(char *why, size_t why_len, int rc, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* Check msgpack bytes for depth and announced sizes before unpacking. */
int proto__scan(const void *buf, size_t len) TN_WUR;
/* Step *off over the one value there, checked as proto__scan checks, the
 * value sitting depth levels down in its message. */
int proto__skip(const void *buf, size_t len, size_t *off, int depth) TN_WUR;
/* Scan, then unpack exactly one map from buf into u (free it with
 * msgpack_unpacked_destroy); on failure u holds nothing to free. */
int proto__unpack(msgpack_unpacked *u, const void *buf, size_t len) TN_WUR;
/* The value under key in map o, or NULL. */
const msgpack_object *proto__get(const msgpack_object *o, const char *key);
/* m's bytes unpacked by msgpack-c, for printing (free u with
 * msgpack_unpacked_destroy). */
int proto__msg_unpack(const struct proto_msg *m, msgpack_unpacked *u) TN_WUR;
/* decode.c: read the map at r into obj (bytes proto__scan passed); on
 * failure write a reason to why. */
int proto__read_obj(struct proto_rd *r, const struct proto_schema *s, void *obj,
		    char *why, size_t why_len) TN_WUR;
/* out: the value under key in the map at map (the first such key). */
int proto__find(const struct proto_rd *map, const char *key, struct proto_rd *out) TN_WUR;
enum { PROTO_RD_STR, PROTO_RD_BOOL, PROTO_RD_POS, PROTO_RD_NEG, PROTO_RD_OTHER };
/* The scalar at r: its PROTO_RD_* kind, its integer bits (a string's
 * length, a boolean's value) and a string's bytes. */
int proto__read_scalar(struct proto_rd *r, int *kind, uint64_t *u, const uint8_t **ptr) TN_WUR;
/* 1 when buf starts with a map. */
int proto__is_map(const void *buf, size_t len);
/* "field 'key': what" into why; returns TN_ERR_FIELD. */
int proto__field_fail(char *why, size_t why_len, const char *key, const char *what);
/* Direct writes at o in msgpack-c's shortest forms (room is the caller's);
 * each returns where it ended. */
uint8_t *proto__put_str(uint8_t *o, const char *s, size_t n);
uint8_t *proto__put_map(uint8_t *o, uint32_t n);
uint8_t *proto__put_array(uint8_t *o, uint32_t n);
/* Append obj as a map. */
int proto__write_obj(struct proto_buf *out, const struct proto_schema *s, const void *obj);
/* 1 if s[0..n) is strict UTF-8 (no overlong forms, no surrogates, no NUL). */
int proto__utf8_ok(const unsigned char *s, size_t n);
/* msgpack write callback appending to a struct proto_buf. */
int proto__buf_write(void *data, const char *buf, size_t len);

/* match.c: upper-case ASCII alphanumerics of in into out (truncated to
 * cap); their number. */
size_t proto__squash(const char *in, char *out, size_t cap);

#endif
