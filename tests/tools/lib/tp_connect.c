/* SPDX-License-Identifier: Apache-2.0 */
/* tn_peer: getting a link up with the node, as far as a scenario needs:
 * TCP, the pinned TLS handshake, HELLO both ways; see tp.h. */
#include <netdb.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "tp.h"

#define RX_MAX (128u << 20)    /* our own framer: larger than any node frame */

int tp_pin(void *arg, const uint8_t pk[CX_PK_LEN])
{
	struct tp *t = arg;

	return t->have_pin && memcmp(pk, t->pin_pk, CX_PK_LEN);
}

int tp_tcp_connect(struct tp *t, const char *addr)
{
	struct addrinfo hints = { .ai_socktype = SOCK_STREAM,
				  .ai_flags = AI_NUMERICHOST | AI_NUMERICSERV };
	char host[CX_ADDR_LEN];
	struct addrinfo *ai;
	const char *colon = strrchr(addr, ':');
	size_t hl = colon ? (size_t)(colon - addr) : 0;

	if (!colon || hl >= sizeof(host))
		return TN_ERR_INVALID;
	if (addr[0] == '[' && hl >= 2 && addr[hl - 1] == ']') {
		addr++;
		hl -= 2;
	}
	memcpy(host, addr, hl);
	host[hl] = '\0';
	if (getaddrinfo(host, colon + 1, &hints, &ai))
		return TN_ERR_INVALID;
	t->fd = socket(ai->ai_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (t->fd < 0 || connect(t->fd, ai->ai_addr, ai->ai_addrlen)) {
		freeaddrinfo(ai);
		return TN_ERR_IO;
	}
	freeaddrinfo(ai);
	return 0;
}

/* Client handshake; the node's key then gives the shared box key. */
int tp_tls_connect(struct tp *t)
{
	int rc;

	if (!t->tls && cx_tls_new(&t->tls, t->ctx, 0))
		return TN_ERR_NOMEM;
	while ((rc = cx_tls_handshake(t->tls)) == 0) {
		if ((rc = tp_flush(t)) || (rc = tp_fill(t, t->deadline)) <= 0)
			return rc ? rc : TN_ERR_TIMEOUT;
	}
	if (rc < 0)
		return rc;
	if ((rc = tp_flush(t)) || (rc = cx_tls_peer_pk(t->tls, t->peer_pk)))
		return rc;
	return cx_shared_key(t->id, t->peer_pk, t->key);
}

int tp_send_hello(struct tp *t, const char *name, uint32_t version)
{
	struct tn_hello h = { .version = version, .suites = "1", .ts = tp_wall_ms() };

	snprintf(h.name, sizeof(h.name), "%s", name);
	snprintf(h.features, sizeof(h.features), "%s",
		 t->sc && t->sc->features ? t->sc->features : "ping");
	return tp_send_link(t, "hello", &proto_hello_schema, &h);
}

/* Get as far as stage on a new connection: TCP, TLS, or HELLO both ways. */
int tp_reach(struct tp *t, enum stage stage)
{
	int rc;

	proto_framer_init(&t->in, RX_MAX);
	if ((rc = tp_tcp_connect(t, t->addr)))
		return rc;
	if (stage >= ST_TLS && (rc = tp_tls_connect(t)))
		return rc;
	if (stage >= ST_UP && !(rc = tp_send_hello(t, t->name, TN_PROTO_VERSION)))
		rc = tp_wait_hello(t);
	return rc;
}
