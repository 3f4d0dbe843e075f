/* SPDX-License-Identifier: Apache-2.0 */
/* libFuzzer target for the framer: the stream is fed in chunks whose sizes
 * come from the first input bytes, and the frames and the first error must
 * match a plain reference parse of the whole stream. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../proto/proto.h"

/* Input: max selector, chunk size selector, 2 bytes of PRNG seed, stream. */
#define HDR 4
#define MAX_FRAMES 4096

static const size_t maxes[8] = { 1, 2, 5, 16, 100, 255, 256, 4096 };

struct ref {
	size_t off[MAX_FRAMES], len[MAX_FRAMES];
	int n;
	int err; /* 0, TN_ERR_FRAME or TN_ERR_TOO_BIG */
};

static void check(int ok, const char *what)
{
	if (!ok) {
		fprintf(stderr, "fuzz_frame: %s\n", what);
		abort();
	}
}

static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static void ref_parse(const uint8_t *s, size_t n, size_t max, struct ref *r)
{
	size_t off = 0;

	r->n = 0;
	r->err = 0;
	while (n - off >= 4 && r->n < MAX_FRAMES) {
		uint32_t len = be32(s + off);

		if (len == 0 || len > max) {
			r->err = len ? TN_ERR_TOO_BIG : TN_ERR_FRAME;
			return;
		}
		if (n - off - 4 < len)
			return;
		r->off[r->n] = off + 4;
		r->len[r->n++] = len;
		off += 4 + (size_t)len;
	}
}

static uint32_t next_rand(uint32_t *x)
{
	*x ^= *x << 13;
	*x ^= *x >> 17;
	*x ^= *x << 5;
	return *x;
}

/* Take every complete frame, comparing with the reference; the error, if any. */
static int drain(struct proto_framer *f, const uint8_t *s, const struct ref *r, int *k)
{
	const uint8_t *body;
	size_t len;
	int rc;

	while ((rc = proto_framer_next(f, &body, &len)) == 1) {
		check(*k < r->n, "framer returned a frame the reference does not see");
		check(len == r->len[*k] && !memcmp(body, s + r->off[*k], len), "frame differs");
		(*k)++;
	}
	return rc;
}

/* proto_frame_write must give back the same bytes as the input frame. */
static void check_write(const uint8_t *s, const struct ref *r)
{
	for (int i = 0; i < r->n && i < 16; i++) {
		struct proto_buf out = { 0 };

		check(proto_frame_write(&out, s + r->off[i], r->len[i]) == 0, "frame_write");
		check(out.len == r->len[i] + 4 && !memcmp(out.data, s + r->off[i] - 4, out.len),
		      "frame_write differs from input");
		proto_buf_free(&out);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct ref r;
	struct proto_framer f;
	size_t max, chunk_max, off = 0, n;
	uint32_t x;
	int k = 0, rc = 0;

	if (size < HDR)
		return 0;
	max = maxes[data[0] & 7];
	chunk_max = (size_t)1 << (data[1] & 15);
	x = (uint32_t)data[2] << 8 | data[3] | 1u << 16;
	data += HDR;
	size -= HDR;
	ref_parse(data, size, max, &r);
	if (r.n == MAX_FRAMES)
		return 0;
	proto_framer_init(&f, max);
	while (off < size) {
		n = 1 + next_rand(&x) % chunk_max;
		if (n > size - off)
			n = size - off;
		rc = proto_framer_feed(&f, data + off, n);
		off += n;
		if (rc < 0 || (rc = drain(&f, data, &r, &k)) < 0)
			break;
	}
	check(rc == 0 || rc == TN_ERR_FRAME || rc == TN_ERR_TOO_BIG, "unexpected code");
	check(k == r.n, "framer missed frames");
	check(rc == r.err, "framer and reference disagree on the error");
	/* The error is reported as soon as the bad header is complete. */
	if (rc < 0) {
		size_t hdr_at = k ? r.off[k - 1] + r.len[k - 1] : 0;

		check(off < hdr_at + 4 + chunk_max, "error reported late");
	}
	proto_framer_free(&f);
	check_write(data, &r);
	return 0;
}
