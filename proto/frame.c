/* SPDX-License-Identifier: Apache-2.0 */
/* Length-prefixed framing: 4-byte big-endian length, then the body.
 * Shared by peer links and the console. */
#include <string.h>

#include "proto.h"

void proto_framer_init(struct proto_framer *f, size_t max)
{
	memset(f, 0, sizeof(*f));
	f->max = max;
}

void proto_framer_free(struct proto_framer *f)
{
	proto_buf_free(&f->in);
	f->off = 0;
}

static uint32_t read_be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* Length of the frame starting at the read offset, or 0 if not known yet. */
static int peek_len(const struct proto_framer *f, uint32_t *len)
{
	if (f->in.len - f->off < 4)
		return 0;
	*len = read_be32(f->in.data + f->off);
	if (*len == 0)
		return TN_ERR_FRAME;
	if (*len > f->max)
		return TN_ERR_TOO_BIG;
	return 1;
}

int proto_framer_feed(struct proto_framer *f, const void *data, size_t n)
{
	uint32_t len;
	int rc;

	if (f->off) {
		proto_buf_consume(&f->in, f->off);
		f->off = 0;
	}
	rc = proto_buf_add(&f->in, data, n);
	if (rc)
		return rc;
	rc = peek_len(f, &len);
	return rc < 0 ? rc : 0;
}

int proto_framer_next(struct proto_framer *f, const uint8_t **body, size_t *len)
{
	uint32_t n;
	int rc = peek_len(f, &n);

	if (rc <= 0)
		return rc;
	if (f->in.len - f->off - 4 < n)
		return 0;
	*body = f->in.data + f->off + 4;
	*len = n;
	f->off += 4 + (size_t)n;
	if (f->off == f->in.len) {
		f->in.len = 0;
		f->off = 0;
	}
	return 1;
}

int proto_framer_room(struct proto_framer *f, size_t min, uint8_t **p, size_t *n)
{
	uint32_t len;
	size_t have;
	int rc;

	if (peek_len(f, &len) != 1 || (have = f->in.len - f->off - 4) >= len || len - have <= min)
		return 1;
	if (f->off) {
		proto_buf_consume(&f->in, f->off);
		f->off = 0;
	}
	if ((rc = proto_buf_reserve(&f->in, len - have)))
		return rc;
	*p = f->in.data + f->in.len;
	*n = f->in.cap - f->in.len;
	return 0;
}

void proto_framer_added(struct proto_framer *f, size_t n)
{
	f->in.len += n;
}

uint8_t *proto_framer_take(struct proto_framer *f, const uint8_t *body)
{
	uint8_t *buf = f->in.data;

	if (f->in.len || !buf || body < buf + 4 || body >= buf + f->in.cap)
		return NULL;
	memset(&f->in, 0, sizeof(f->in));
	f->off = 0;
	return buf;
}

int proto_frame_write(struct proto_buf *out, const void *body, size_t len)
{
	uint8_t hdr[4];
	int rc;

	if (len == 0 || len > UINT32_MAX)
		return TN_ERR_TOO_BIG;
	hdr[0] = (uint8_t)(len >> 24);
	hdr[1] = (uint8_t)(len >> 16);
	hdr[2] = (uint8_t)(len >> 8);
	hdr[3] = (uint8_t)len;
	rc = proto_buf_reserve(out, 4 + len);
	if (rc)
		return rc;
	proto_buf_add(out, hdr, 4);
	return proto_buf_add(out, body, len);
}
