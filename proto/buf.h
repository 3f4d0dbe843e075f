/* SPDX-License-Identifier: Apache-2.0 */
/* Growable byte buffers and arrays, and the text the hot paths write
 * without printf (which costs them more than the rest of an audit entry). */
#ifndef TN_BUF_H
#define TN_BUF_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "err.h"

struct proto_buf {
	uint8_t *data;
	size_t len, cap;
};

/* Append n bytes; TN_ERR_NOMEM on failure. */
int proto_buf_add(struct proto_buf *b, const void *p, size_t n);
/* Make room for n more bytes. */
int proto_buf_reserve(struct proto_buf *b, size_t n);
/* Drop the first n bytes. */
void proto_buf_consume(struct proto_buf *b, size_t n);
/* Room for one more item of size bytes in the array *items, which holds n
 * of *cap; the capacity doubles from 16. TN_ERR_NOMEM leaves it as it was. */
int proto_grow(void **items, uint32_t n, uint32_t *cap, size_t size) TN_WUR;
/* Free a blob (a PF_BLOB field and its length), leaving it empty. */
void proto_blob_free(uint8_t **data, uint32_t *n);
/* src into dst of cap bytes, cut at cap - 1 and always terminated (what
 * snprintf "%s" does, without formatting). */
static inline void proto_strcpy(char *dst, size_t cap, const char *src)
{
	size_t n = strnlen(src, cap - 1);

	memmove(dst, src, n);
	dst[n] = '\0';
}
/* Append src to the text of length at in dst of cap bytes, cut at cap - 1;
 * the new length. */
static inline size_t proto_cat(char *dst, size_t cap, size_t at, const char *src)
{
	size_t n;

	if (at >= cap)
		return at;
	n = strnlen(src, cap - 1 - at);
	memmove(dst + at, src, n);
	dst[at + n] = '\0';
	return at + n;
}
/* v in decimal, terminated: up to 21 bytes. */
static inline char *proto_utoa(char out[static 21], uint64_t v)
{
	char *p = out + 20;

	*p = '\0';
	do
		*--p = (char)('0' + v % 10);
	while (v /= 10);
	return memmove(out, p, (size_t)(out + 21 - p));
}
/* v as 16 lower-case hex digits, terminated (what "%016llx" writes). */
static inline void proto_hex64(char out[static 17], uint64_t v)
{
	for (int i = 15; i >= 0; i--, v >>= 4)
		out[i] = "0123456789abcdef"[v & 15];
	out[16] = '\0';
}
/* Free the buffer's memory (wiping nothing). */
void proto_buf_free(struct proto_buf *b);

#endif
