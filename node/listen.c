/* SPDX-License-Identifier: Apache-2.0 */
/* Peer addresses ("host:port", "[v6]:port"), the TCP listener, and the
 * TLS context that pins peer keys. */
#include <stdlib.h>
#include <string.h>

#include "node.h"

int node_addr_parse(const char *text, struct sockaddr_storage *sa)
{
	char host[CX_ADDR_LEN];
	const char *colon = strrchr(text, ':');
	size_t hl;
	char *end;
	long port;

	if (!colon)
		return TN_ERR_INVALID;
	port = strtol(colon + 1, &end, 10);
	if (*end || end == colon + 1 || port < 0 || port > 65535)
		return TN_ERR_INVALID;
	hl = (size_t)(colon - text);
	if (text[0] == '[' && hl >= 2 && text[hl - 1] == ']') {
		text++;
		hl -= 2;
	}
	if (hl >= sizeof(host))
		return TN_ERR_INVALID;
	memcpy(host, text, hl);
	host[hl] = '\0';
	memset(sa, 0, sizeof(*sa));
	if (!uv_ip4_addr(host, (int)port, (struct sockaddr_in *)sa) ||
	    !uv_ip6_addr(host, (int)port, (struct sockaddr_in6 *)sa))
		return 0;
	return TN_ERR_INVALID;
}

void node_addr_format(const struct sockaddr_storage *sa, char *out, size_t cap)
{
	char host[64] = "?";
	int port;

	if (sa->ss_family == AF_INET6) {
		uv_ip6_name((const struct sockaddr_in6 *)sa, host, sizeof(host));
		port = ntohs(((const struct sockaddr_in6 *)sa)->sin6_port);
		snprintf(out, cap, "[%s]:%d", host, port);
	} else {
		uv_ip4_name((const struct sockaddr_in *)sa, host, sizeof(host));
		port = ntohs(((const struct sockaddr_in *)sa)->sin_port);
		snprintf(out, cap, "%s:%d", host, port);
	}
}

/* TLS verify: accept only keys of pinned peers; log the others once. */
static int pin(void *arg, const uint8_t pk[CX_PK_LEN])
{
	struct node *n = arg;
	char fp[CX_FP_LEN];

	if (peer_by_pk(n, pk))
		return 0;
	cx_fingerprint(pk, fp);
	peer_drop(n, NULL, DROP_unknown_peer, fp);
	return -1;
}

int link_listen(struct node *n)
{
	struct sockaddr_storage sa;
	int len = sizeof(sa), rc;

	if ((rc = cx_tls_ctx_new(&n->tls, n->id, pin, n)))
		return rc;
	if (node_addr_parse(n->cfg.listen, &sa)) {
		node_log("error", "%s: bad listen address '%s'", n->cfg.name, n->cfg.listen);
		return TN_ERR_CONFIG;
	}
	rc = uv_tcp_bind(&n->listener, (struct sockaddr *)&sa, 0);
	if (!rc)
		rc = uv_listen((uv_stream_t *)&n->listener, 128, link_accept);
	if (!rc)
		rc = uv_tcp_getsockname(&n->listener, (struct sockaddr *)&sa, &len);
	if (rc) {
		node_log("error", "%s: cannot listen on %s: %s", n->cfg.name, n->cfg.listen,
			 uv_strerror(rc));
		return TN_ERR_IO;
	}
	node_addr_format(&sa, n->listen_addr, sizeof(n->listen_addr));
	return 0;
}
