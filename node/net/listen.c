/* SPDX-License-Identifier: Apache-2.0 */
/* The TCP listener for peers, and the TLS context that pins their keys. */
#include <stdlib.h>
#include <string.h>

#include "net.h"

/* TLS verify: accept only keys of pinned peers; log the others once. */
int link_pin(void *arg, const uint8_t pk[CX_PK_LEN])
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

	if ((rc = cx_tls_ctx_new(&n->tls, n->id, link_pin, n)))
		return rc;
	if (!(n->slots = calloc(1, sizeof(*n->slots))))
		return TN_ERR_NOMEM;
	if (node_addr_parse(n->cfg.listen, &sa)) {
		node_log("error", "%s: bad listen address '%s'", n->cfg.name, n->cfg.listen);
		return TN_ERR_CONFIG;
	}
	rc = uv_tcp_bind(&n->listener, (struct sockaddr *)&sa, 0);
	if (!rc)
		rc = accept_start(&n->accepting[1], n, (uv_stream_t *)&n->listener, 128, link_accept,
				  "peer", NULL) ? UV_EIO : 0;
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
