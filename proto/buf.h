/* SPDX-License-Identifier: Apache-2.0 */
/* Growable byte buffers and arrays. */
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
/* Free the buffer's memory (wiping nothing). */
void proto_buf_free(struct proto_buf *b);

#endif
