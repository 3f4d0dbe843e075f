/* SPDX-License-Identifier: Apache-2.0 */
/* A bounds check run over msgpack bytes before msgpack-c unpacks them:
 * nesting depth is capped and no container may announce more elements
 * than bytes remain, so a short hostile frame cannot make the unpacker
 * allocate gigabytes. Then the one checked unpack that every decode uses. */
#include "proto_int.h"

#define SCAN_MAX_DEPTH 16

struct scan {
	const uint8_t *p;
	size_t len, off;
};

/* Read an n-byte big-endian length that follows the type byte. */
static int take_len(struct scan *s, int n, uint64_t *v)
{
	if (s->len - s->off < (size_t)n)
		return TN_ERR_DECODE;
	*v = proto__be(s->p + s->off, n);
	s->off += n;
	return 0;
}

static int skip_bytes(struct scan *s, uint64_t n)
{
	if (n > s->len - s->off)
		return TN_ERR_DECODE;
	s->off += n;
	return 0;
}

static int scan_value(struct scan *s, int depth);

static int scan_items(struct scan *s, uint64_t n, int depth)
{
	int rc;

	if (depth >= SCAN_MAX_DEPTH)
		return TN_ERR_DECODE;
	if (n > s->len - s->off)
		return TN_ERR_DECODE;
	for (uint64_t i = 0; i < n; i++)
		if ((rc = scan_value(s, depth + 1)))
			return rc;
	return 0;
}

/* Sizes of fixed-width types 0xc0..0xdf; -1 marks variable or invalid. */
static int fixed_size(uint8_t t)
{
	switch (t) {
	case 0xc0: case 0xc2: case 0xc3: return 0;
	case 0xcc: case 0xd0: return 1;
	case 0xcd: case 0xd1: return 2;
	case 0xca: case 0xce: case 0xd2: return 4;
	case 0xcb: case 0xcf: case 0xd3: return 8;
	case 0xd4: return 2;
	case 0xd5: return 3;
	case 0xd6: return 5;
	case 0xd7: return 9;
	case 0xd8: return 17;
	}
	return -1;
}

static int scan_var(struct scan *s, uint8_t t, int depth)
{
	uint64_t n;
	int rc;

	switch (t) {
	case 0xc4: case 0xd9: rc = take_len(s, 1, &n); break;
	case 0xc5: case 0xda: rc = take_len(s, 2, &n); break;
	case 0xc6: case 0xdb: rc = take_len(s, 4, &n); break;
	case 0xc7: rc = take_len(s, 1, &n); n++; break;
	case 0xc8: rc = take_len(s, 2, &n); n++; break;
	case 0xc9: rc = take_len(s, 4, &n); n++; break;
	case 0xdc: rc = take_len(s, 2, &n); return rc ? rc : scan_items(s, n, depth);
	case 0xdd: rc = take_len(s, 4, &n); return rc ? rc : scan_items(s, n, depth);
	case 0xde: rc = take_len(s, 2, &n); return rc ? rc : scan_items(s, 2 * n, depth);
	case 0xdf: rc = take_len(s, 4, &n); return rc ? rc : scan_items(s, 2 * n, depth);
	default: return TN_ERR_DECODE;
	}
	return rc ? rc : skip_bytes(s, n);
}

static int scan_value(struct scan *s, int depth)
{
	uint8_t t;
	int n;

	if (s->off >= s->len)
		return TN_ERR_DECODE;
	t = s->p[s->off++];
	if (t <= 0x7f || t >= 0xe0)
		return 0;
	if (t <= 0x8f)
		return scan_items(s, 2u * (t & 0x0f), depth);
	if (t <= 0x9f)
		return scan_items(s, t & 0x0f, depth);
	if (t <= 0xbf)
		return skip_bytes(s, t & 0x1f);
	n = fixed_size(t);
	if (n >= 0)
		return skip_bytes(s, (uint64_t)n);
	return scan_var(s, t, depth);
}

int proto__scan(const void *buf, size_t len)
{
	struct scan s = { .p = buf, .len = len };
	int rc = scan_value(&s, 0);

	if (rc)
		return rc;
	return s.off == len ? 0 : TN_ERR_DECODE;
}

int proto__skip(const void *buf, size_t len, size_t *off, int depth)
{
	struct scan s = { .p = buf, .len = len, .off = *off };
	int rc = depth < SCAN_MAX_DEPTH ? scan_value(&s, depth) : TN_ERR_DECODE;

	if (!rc)
		*off = s.off;
	return rc;
}

int proto__unpack(msgpack_unpacked *u, const void *buf, size_t len)
{
	size_t off = 0;
	int rc;

	msgpack_unpacked_init(u);
	if ((rc = proto__scan(buf, len)))
		return rc;
	rc = msgpack_unpack_next(u, buf, len, &off);
	if (rc != MSGPACK_UNPACK_SUCCESS || off != len || u->data.type != MSGPACK_OBJECT_MAP) {
		msgpack_unpacked_destroy(u);
		return rc == MSGPACK_UNPACK_NOMEM_ERROR ? TN_ERR_NOMEM : TN_ERR_DECODE;
	}
	return 0;
}
