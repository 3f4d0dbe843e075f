/* SPDX-License-Identifier: Apache-2.0 */
/* The services take their place above the transport: each message type
 * gets the handler of the service that answers it, and the transport's
 * news (links up and down, envelope frames, deliveries) its receiver. */
#include "svc.h"

static const struct svc_handler *const tables[] = {
	ping_handlers,
	answer_handlers,
	query_handlers,
	outbox_handlers,
	trace_in_handlers,
	trace_out_handlers,
	witness_handlers,
	witnessed_handlers,
	blind_eval_handlers,
	blind_copy_handlers,
	query_blind_handlers,
	rotate_peer_handlers,
};

/* An acknowledged outbox message may end a trace's wait or a rotation. */
static int delivered(struct store_txn *t, const char *peer, const uint8_t mid[TN_MID_LEN])
{
	int rc = trace_delivered(t, peer, mid);

	return rc ? rc : rotate_delivered(t, peer, mid);
}

int svc_start(struct node *n)
{
	int rc;

	for (size_t t = 0; t < sizeof(tables) / sizeof(tables[0]); t++)
		for (const struct svc_handler *h = tables[t]; h->fn; h++)
			n->hooks.on_msg[h->type] = h->fn;
	n->hooks.link_up = outbox_link_up;
	n->hooks.link_down = peer_retry;
	n->hooks.link_env = env_receive;
	n->hooks.delivered = delivered;
	n->hooks.peer_rekeyed = rotate_peer_rekeyed;
	n->hooks.metrics = metrics_text;
	retention_start(n);
	outbox_start(n);
	checkpoint_start(n);
	if ((rc = blind_start(n)))
		return rc;
	if ((rc = rotate_start(n)))
		return rc;
	return restored_note(n);
}

void svc_stop(struct node *n)
{
	rides_flush(n);
	pending_stop(n);
	blind_stop(n);
	rotate_stop(n);
}
