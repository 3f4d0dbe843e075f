/* SPDX-License-Identifier: Apache-2.0 */
/* Growable byte buffers used for frames, encoders and socket queues, and
 * growable arrays. */
#include <stdlib.h>
#include <string.h>

#include "proto.h"

int proto_buf_reserve(struct proto_buf *b, size_t n)
{
	size_t cap;
	uint8_t *p;

	if (n <= b->cap - b->len)
		return 0;
	if (n > SIZE_MAX / 2 - b->len)
		return TN_ERR_NOMEM;
	cap = b->cap ? b->cap : 256;
	while (cap - b->len < n)
		cap *= 2;
	p = realloc(b->data, cap);
	if (!p)
		return TN_ERR_NOMEM;
	b->data = p;
	b->cap = cap;
	return 0;
}

int proto_buf_add(struct proto_buf *b, const void *p, size_t n)
{
	int rc = proto_buf_reserve(b, n);

	if (rc)
		return rc;
	if (n)
		memcpy(b->data + b->len, p, n);
	b->len += n;
	return 0;
}

void proto_buf_consume(struct proto_buf *b, size_t n)
{
	if (n >= b->len) {
		b->len = 0;
		return;
	}
	memmove(b->data, b->data + n, b->len - n);
	b->len -= n;
}

void proto_buf_free(struct proto_buf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
}

int proto_grow(void **items, uint32_t n, uint32_t *cap, size_t size)
{
	uint32_t want;
	void *p;

	if (n < *cap)
		return 0;
	if (*cap > UINT32_MAX / 2)
		return TN_ERR_NOMEM;
	want = *cap ? 2 * *cap : 16;
	if (!(p = realloc(*items, (size_t)want * size)))
		return TN_ERR_NOMEM;
	*items = p;
	*cap = want;
	return 0;
}

void proto_blob_free(uint8_t **data, uint32_t *n)
{
	free(*data);
	*data = NULL;
	*n = 0;
}
