/* SPDX-License-Identifier: Apache-2.0 */
/* Peer addresses as text ("host:port", "[v6]:port"): parsing, printing,
 * and the address this node puts in its card. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "node.h"

int node_addr_split(const char *text, char host[static CX_ADDR_LEN], int *port)
{
	const char *colon = strrchr(text, ':');
	size_t hl;
	char *end;
	long v;

	if (!colon)
		return TN_ERR_INVALID;
	v = strtol(colon + 1, &end, 10);
	if (*end || end == colon + 1 || v < 0 || v > 65535)
		return TN_ERR_INVALID;
	hl = (size_t)(colon - text);
	if (text[0] == '[' && hl >= 2 && text[hl - 1] == ']') {
		text++;
		hl -= 2;
	}
	if (hl == 0 || hl >= CX_ADDR_LEN)
		return TN_ERR_INVALID;
	memcpy(host, text, hl);
	host[hl] = '\0';
	*port = (int)v;
	return 0;
}

int node_addr_parse(const char *text, struct sockaddr_storage *sa)
{
	char host[CX_ADDR_LEN];
	int port;

	if (node_addr_split(text, host, &port))
		return TN_ERR_INVALID;
	memset(sa, 0, sizeof(*sa));
	if (!uv_ip4_addr(host, port, (struct sockaddr_in *)sa) ||
	    !uv_ip6_addr(host, port, (struct sockaddr_in6 *)sa))
		return 0;
	return TN_ERR_INVALID;
}

int node_addr_wildcard(const char *text)
{
	char host[CX_ADDR_LEN];
	int port;

	return !node_addr_split(text, host, &port) && (!strcmp(host, "0.0.0.0") || !strcmp(host, "::"));
}

int node_advertise(const char *adv, int port, char out[static CX_ADDR_LEN])
{
	const char *bracket = adv[0] == '[' ? strchr(adv, ']') : NULL;
	int has_port = adv[0] == '[' ? bracket && bracket[1] == ':' : strchr(adv, ':') != NULL;
	int len = has_port ? snprintf(out, CX_ADDR_LEN, "%s", adv) :
			     snprintf(out, CX_ADDR_LEN, "%s:%d", adv, port);

	if (len <= 0 || len >= CX_ADDR_LEN || !cx_card_addr_ok(out) || node_addr_wildcard(out))
		return TN_ERR_CONFIG;
	return 0;
}

int node_card_addr(const struct node *n, char out[static CX_ADDR_LEN])
{
	char host[CX_ADDR_LEN];
	int port;

	if (node_addr_split(n->listen_addr, host, &port))
		return TN_ERR_CONFIG;
	if (n->cfg.advertise[0])
		return node_advertise(n->cfg.advertise, port, out);
	if (node_addr_wildcard(n->listen_addr))
		return TN_ERR_CONFIG;
	proto_strcpy(out, CX_ADDR_LEN, n->listen_addr);
	return 0;
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
