/* SPDX-License-Identifier: Apache-2.0 */
/* Framing: a 4-byte big-endian length, then one msgpack value. */
#ifndef TN_FRAME_H
#define TN_FRAME_H

#include "buf.h"

#define PROTO_FRAME_MAX_DEFAULT (1u << 20)
#define PROTO_CONSOLE_FRAME_MAX (64u << 20)

struct proto_framer {
	struct proto_buf in;
	size_t off;      /* start of unread data in in.data */
	size_t max;      /* largest accepted frame body */
};

/* Set up a decoder that refuses frames larger than max. */
void proto_framer_init(struct proto_framer *f, size_t max);
/* Release the decoder's buffer. */
void proto_framer_free(struct proto_framer *f);
/* Append received bytes; fails with TN_ERR_TOO_BIG as soon as a header
 * announces a frame above the maximum. */
int proto_framer_feed(struct proto_framer *f, const void *data, size_t n) TN_WUR;
/* Take the next complete frame: 1 with body and len set (valid until the next
 * feed), 0 when more bytes are needed, negative on a bad frame. */
int proto_framer_next(struct proto_framer *f, const uint8_t **body, size_t *len) TN_WUR;
/* Room to read the rest of a frame straight into the input, when more
 * than min bytes of it are still to come: 0 with *p and *n (at least that
 * rest), 1 otherwise (feed those bytes instead), negative when out of
 * memory. Bodies returned before are void afterwards. */
int proto_framer_room(struct proto_framer *f, size_t min, uint8_t **p, size_t *n) TN_WUR;
/* n bytes were read into that room. */
void proto_framer_added(struct proto_framer *f, size_t n);
/* The input buffer, for the caller to keep and free, when body is the
 * frame proto_framer_next just returned and nothing follows it (the
 * framer starts a new buffer); NULL otherwise (copy the body then). */
uint8_t *proto_framer_take(struct proto_framer *f, const uint8_t *body);
/* Append a frame header and body to out. */
int proto_frame_write(struct proto_buf *out, const void *body, size_t len);

#endif
