/* SPDX-License-Identifier: Apache-2.0 */
/* The persistent outbox: messages with legal weight are committed to the
 * store before anyone is told they were sent, sealed afresh (new id and
 * timestamp) each time they go out, and removed only when the peer
 * acknowledges their message id. A link coming up sends the backlog. */
#include <stdlib.h>
#include <string.h>

#include "svc.h"

void outbox_new_mid(uint8_t mid[TN_MID_LEN])
{
	cx_random(mid, TN_MID_LEN);
	mid[0] = 0;                   /* not one of our trace requests */
}

int outbox_queue(struct store_txn *t, const char *peer, enum wire_type type,
		 const uint8_t mid[TN_MID_LEN], const void *msg)
{
	struct tn_outmsg o = { .sign = wire_must_sign(type, msg), .created_ms = node_now_ms() };
	struct proto_buf b = { 0 };
	int rc = proto_encode(wire_types[type].schema, msg, &b);

	proto_strcpy(o.peer, sizeof(o.peer), peer);
	proto_strcpy(o.type, sizeof(o.type), wire_types[type].name);
	memcpy(o.mid, mid, TN_MID_LEN);
	o.m = b.data;
	o.n_m = (uint32_t)b.len;
	if (!rc)
		rc = store_outbox_add(t, &o);
	proto_buf_free(&b);
	return rc;
}

/* The ids a link carried are a set (open addressing on the random tail
 * of our own ids; all zero is a free slot), so a flush of a backlog of n
 * messages costs O(n), not O(n^2). */
static uint32_t slot_of(const uint8_t mid[TN_MID_LEN], uint32_t cap)
{
	uint64_t h;

	memcpy(&h, mid + 8, sizeof(h));
	return (uint32_t)(h & (cap - 1));
}

static int is_free(const uint8_t *slot)
{
	static const uint8_t zero[TN_MID_LEN];

	return !memcmp(slot, zero, TN_MID_LEN);
}

static int sent_before(const struct peer *p, const uint8_t mid[TN_MID_LEN])
{
	for (uint32_t i = p->cap_carried ? slot_of(mid, p->cap_carried) : 0;
	     p->cap_carried && !is_free(p->carried[i]); i = (i + 1) & (p->cap_carried - 1))
		if (!memcmp(p->carried[i], mid, TN_MID_LEN))
			return 1;
	return 0;
}

static void put(uint8_t (*set)[TN_MID_LEN], uint32_t cap, const uint8_t mid[TN_MID_LEN])
{
	uint32_t i = slot_of(mid, cap);

	while (!is_free(set[i]))
		i = (i + 1) & (cap - 1);
	memcpy(set[i], mid, TN_MID_LEN);
}

static int remember(struct peer *p, const uint8_t mid[TN_MID_LEN])
{
	uint32_t cap = p->cap_carried ? 2 * p->cap_carried : 64;
	uint8_t (*set)[TN_MID_LEN];

	if (2 * (p->n_carried + 1) > p->cap_carried) {
		if (!(set = calloc(cap, sizeof(*set))))
			return TN_ERR_NOMEM;
		for (uint32_t i = 0; i < p->cap_carried; i++)
			if (!is_free(p->carried[i]))
				put(set, cap, p->carried[i]);
		free(p->carried);
		p->carried = set;
		p->cap_carried = cap;
	}
	put(p->carried, p->cap_carried, mid);
	p->n_carried++;
	return 0;
}

static int send_one(void *arg, const struct tn_outmsg *o)
{
	struct peer *p = arg;
	struct proto_buf b = { o->m, o->n_m, o->n_m };
	int type = wire_type_of(o->type), rc;

	if (sent_before(p, o->mid))
		return 0;
	if (type < 0)
		return type;
	if ((rc = env_send_raw(p, (enum wire_type)type, &b, o->sign)))
		return rc;
	return remember(p, o->mid);
}

void outbox_send_now(struct peer *p, enum wire_type type, const uint8_t mid[TN_MID_LEN],
		     const void *msg)
{
	struct proto_buf b = { 0 };

	if (!p || !p->link || proto_encode(wire_types[type].schema, msg, &b))
		goto out;
	if (!env_send_raw(p, type, &b, wire_must_sign(type, msg)))
		(void)!remember(p, mid);
out:
	proto_buf_free(&b);
}

void outbox_flush(struct peer *p)
{
	struct store_txn *t;
	int rc;

	if (!p || !p->link)
		return;
	if ((rc = store_read_begin(p->node->store, &t)))
		return;
	rc = store_outbox_each(t, p->rec.name, send_one, p);
	store_read_end(t);
	if (rc)
		node_log("warn", "%s: outbox to %s: %s", p->node->cfg.name, p->rec.name,
			 tn_strerror(rc));
}

void outbox_link_up(struct peer *p)
{
	if (p->carried)
		memset(p->carried, 0, (size_t)p->cap_carried * sizeof(*p->carried));
	p->n_carried = 0;
	outbox_flush(p);
}

/* What is still unacknowledged a minute after it went out is sent again
 * on the same link (the peer may have failed to commit it), not only on
 * the next one. The peer knows a repeat by its mid. */
static void on_resend(uv_timer_t *t)
{
	struct node *n = t->data;

	for (struct peer *p = n->peers; p; p = p->next)
		if (p->link && p->n_carried)
			outbox_link_up(p);
}

void outbox_start(struct node *n)
{
	uv_timer_init(&n->loop, &n->resend);
	n->resend.data = n;
	uv_timer_start(&n->resend, on_resend, OUTBOX_RESEND_MS, OUTBOX_RESEND_MS);
}

/* ---- acknowledgements ---- */

int outbox_ack(struct peer *p, const uint8_t mid[TN_MID_LEN])
{
	struct tn_ack a;

	memcpy(a.mid, mid, TN_MID_LEN);
	return env_send(p, WIRE_ACK, &a);
}

struct ack_job {
	struct node *node;
	char peer[TN_NAME_LEN];
	struct tn_ack ack;
};

static int ack_op(struct store_txn *t, void *arg)
{
	struct ack_job *j = arg;
	int rc = store_outbox_del(t, j->peer, j->ack.mid);

	if (rc == TN_ERR_NOT_FOUND)
		return 0;   /* acknowledged twice */
	return rc ? rc : j->node->hooks.delivered(t, j->peer, j->ack.mid);
}

static void acked(void *arg, int rc)
{
	struct ack_job *j = arg;

	if (rc)
		node_log("warn", "%s: cannot retire an acknowledged message to %s: %s",
			 j->node->cfg.name, j->peer, tn_strerror(rc));
	free(j);
}

static void on_ack(struct peer *p, struct env_msg *m)
{
	struct ack_job *j = calloc(1, sizeof(*j));

	if (!j)
		return;
	j->ack = *(const struct tn_ack *)m->msg;
	j->node = p->node;
	memcpy(j->peer, p->rec.name, sizeof(j->peer));
	batch_add_later(p->node, ack_op, acked, j);
}

const struct svc_handler outbox_handlers[] = {
	{ WIRE_ACK, on_ack },
	{ WIRE_COUNT, NULL },
};
