/* SPDX-License-Identifier: Apache-2.0 */
/* Slots for inbound connections still in their handshake. One source (an
 * IPv4 address, an IPv6 /64) holds at most LINK_HANDSHAKES_PER_SOURCE of
 * the LINK_HANDSHAKES_MAX slots, and when all are taken a newcomer takes
 * the oldest slot of the source holding the most, if that source holds
 * more than the newcomer's: idle connections from a few hosts cannot shut
 * pinned peers out. */
#include <string.h>

#include "net.h"

/* The part of an address that names its source. */
static void source_of(const struct sockaddr_storage *sa, uint8_t out[SLOT_SRC_LEN])
{
	memset(out, 0, SLOT_SRC_LEN);
	if (sa->ss_family == AF_INET)
		memcpy(out, &((const struct sockaddr_in *)sa)->sin_addr, 4);
	else if (sa->ss_family == AF_INET6)
		memcpy(out + 4, &((const struct sockaddr_in6 *)sa)->sin6_addr, 8);
}

static unsigned held_by(const struct slots *s, const uint8_t src[SLOT_SRC_LEN])
{
	unsigned n = 0;

	for (unsigned i = 0; i < LINK_HANDSHAKES_MAX; i++)
		n += s->owner[i] && !memcmp(s->src[i], src, SLOT_SRC_LEN);
	return n;
}

/* The oldest slot of the source holding the most, if it holds more than
 * mine; else -1. Called with every slot taken. */
static int victim(const struct slots *s, unsigned mine)
{
	unsigned most = 0;
	int v = -1;

	for (unsigned i = 0; i < LINK_HANDSHAKES_MAX; i++) {
		unsigned n = held_by(s, s->src[i]);

		if (n > most || (n == most && v >= 0 && s->since[i] < s->since[v])) {
			most = n;
			v = (int)i;
		}
	}
	return most > mine ? v : -1;
}

int slots_take(struct slots *s, void *owner, const struct sockaddr_storage *sa, uint64_t now,
	       void **evict)
{
	uint8_t src[SLOT_SRC_LEN];
	unsigned mine;
	int i;

	*evict = NULL;
	source_of(sa, src);
	if ((mine = held_by(s, src)) >= LINK_HANDSHAKES_PER_SOURCE)
		return TN_ERR_LIMIT;
	for (i = 0; i < LINK_HANDSHAKES_MAX && s->owner[i]; i++)
		;
	if (i == LINK_HANDSHAKES_MAX) {
		if ((i = victim(s, mine)) < 0)
			return TN_ERR_LIMIT;
		*evict = s->owner[i];
	}
	s->owner[i] = owner;
	memcpy(s->src[i], src, SLOT_SRC_LEN);
	s->since[i] = now;
	return 0;
}

void slots_give(struct slots *s, void *owner)
{
	for (unsigned i = 0; i < LINK_HANDSHAKES_MAX; i++)
		if (s->owner[i] == owner)
			s->owner[i] = NULL;
}
