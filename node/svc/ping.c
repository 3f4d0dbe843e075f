/* SPDX-License-Identifier: Apache-2.0 */
/* End-to-end ping: `peer ping` sends a ping envelope and waits for the
 * pong with the same sequence number; any peer's ping is answered. */
#include <stdlib.h>
#include <string.h>

#include "svc.h"

#define PING_TIMEOUT_MS 5000

struct ping {
	struct pending wait;       /* first: the pending is the ping */
	char peer[TN_NAME_LEN];
	uint64_t start_ns;
	ping_done_fn done;
	void *arg;
};

static void ping_release(struct pending *w)
{
	free(w);
}

static void ping_ended(struct pending *w, int rc)
{
	struct ping *pg = (struct ping *)w;

	pg->done(pg->arg, rc, rc ? 0 : (uv_hrtime() - pg->start_ns) / 1000);
	pending_free(w);
}

int ping_start(struct peer *p, ping_done_fn done, void *arg)
{
	struct node *n = p->node;
	struct ping *pg = calloc(1, sizeof(*pg));
	struct tn_ping msg = { .seq = ++n->ping_seq };
	int rc;

	if (!pg)
		return TN_ERR_NOMEM;
	if ((rc = env_send(p, WIRE_PING, &msg))) {
		free(pg);
		return rc;
	}
	memcpy(pg->peer, p->rec.name, sizeof(pg->peer));
	pg->start_ns = uv_hrtime();
	pg->done = done;
	pg->arg = arg;
	pg->wait.done = ping_ended;
	pg->wait.release = ping_release;
	pending_start(n, &pg->wait, PENDING_PING, msg.seq, PING_TIMEOUT_MS);
	return 0;
}

static void on_ping(struct peer *p, struct env_msg *m)
{
	const struct tn_ping *msg = m->msg;

	if (env_send(p, WIRE_PONG, msg))
		node_log("warn", "%s: cannot answer a ping from %s", p->node->cfg.name, p->rec.name);
}

static void on_pong(struct peer *p, struct env_msg *m)
{
	const struct tn_ping *msg = m->msg;
	struct pending *w = pending_find(p->node, PENDING_PING, msg->seq);

	if (w && !strcmp(((struct ping *)w)->peer, p->rec.name))
		pending_end(w, 0);
}

const struct svc_handler ping_handlers[] = {
	{ WIRE_PING, on_ping },
	{ WIRE_PONG, on_pong },
	{ WIRE_COUNT, NULL },
};
