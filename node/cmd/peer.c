/* SPDX-License-Identifier: Apache-2.0 */
/* Console commands on peers: card, peer add/list/remove/ping/policy. */
#include <stdlib.h>
#include <string.h>

#include "cmd.h"

static int card(struct console_req *r, void *args)
{
	struct node *n = console_node(r);
	struct tn_card_info ci = { 0 };
	struct cx_card c = { 0 };
	int rc;

	(void)args;
	memcpy(c.name, n->cfg.name, sizeof(c.name));
	memcpy(c.pk, cx_id_pk(n->id), CX_PK_LEN);
	if ((rc = node_card_addr(n, c.addr)))
		return cmd_fail(r, rc, "this node listens on a wildcard address, which peers "
				       "cannot dial: set [node] advertise in tracenet.conf");
	if ((rc = cx_card_format(&c, ci.card, sizeof(ci.card))))
		return rc;
	memcpy(ci.name, c.name, sizeof(ci.name));
	cx_fingerprint(c.pk, ci.fingerprint);
	proto_strcpy(ci.addr, sizeof(ci.addr), c.addr);
	console_ok(r, &proto_card_info_schema, &ci);
	return 0;
}

/* What we hold of p's blind set: none, complete or partial (and its size). */
static void blind_copy(const struct peer *p, struct tn_peer_status *st)
{
	struct tn_blind_state b;
	struct store_txn *t;

	proto_strcpy(st->blind, sizeof(st->blind), "none");
	if (store_read_begin(p->node->store, &t))
		return;
	if (!store_blind_state_get(t, p->rec.name, &b)) {
		proto_strcpy(st->blind, sizeof(st->blind), b.complete ? "complete" : "partial");
		st->blind_tags = b.count;
	}
	store_read_end(t);
}

static void peer_status(const struct peer *p, struct tn_peer_status *st)
{
	memset(st, 0, sizeof(*st));
	memcpy(st->name, p->rec.name, sizeof(st->name));
	proto_strcpy(st->traces, sizeof(st->traces), policy_traces(p));
	snprintf(st->stolen, sizeof(st->stolen), "%s", !policy_stolen_allowed(p) ? "deny" :
		 policy_stolen_blind(p) ? "blind" : "clear");
	st->blind_limit = p->rec.blind_limit ? p->rec.blind_limit : TN_BLIND_LIMIT;
	blind_copy(p, st);
	st->daily_limit = policy_daily_limit(p);
	proto_strcpy(st->disclose, sizeof(st->disclose), p->rec.disclose[0] ? p->rec.disclose :
		     "party,place,ref");
	snprintf(st->candidates, sizeof(st->candidates), "%s",
		 policy_candidates(p) ? "allow" : "deny");
	memcpy(st->fingerprint, p->fp, sizeof(st->fingerprint));
	cx_key_format(p->rec.pk, st->key);
	if (peer_has_next(p))
		cx_fingerprint(p->rec.next_pk, st->next_fingerprint);
	proto_strcpy(st->addr, sizeof(st->addr), p->rec.addr);
	proto_strcpy(st->state, sizeof(st->state), link_state(p));
	st->last_seen_ms = p->last_seen_ms;
	st->sent = p->sent;
	st->received = p->received;
	for (int i = 0; i < DROP_COUNT; i++)
		st->dropped += p->drops[i];
}

/* A peer record to store; its request's reply is the peer's status. */
struct peer_job {
	struct cmd_write w;
	struct tn_peer rec;
};

struct ping_job {
	struct console_req *req;
	char peer[TN_NAME_LEN];
};

static int put_op(struct store_txn *t, void *arg)
{
	const struct tn_peer *p = &((struct peer_job *)arg)->rec;
	char detail[96];
	int rc = store_peer_put(t, p);

	snprintf(detail, sizeof(detail), "pinned, at %s", p->addr);
	return rc ? rc : node_audit(t, p->name, "local", "peer.add", NULL, "ok", detail);
}

static int added(struct cmd_write *w, int rc)
{
	struct peer_job *j = (struct peer_job *)w;

	if (!rc && peer_by_name(w->node, j->rec.name))
		rc = TN_ERR_EXISTS;
	if (!rc)
		rc = peer_add(w->node, &j->rec);
	if (!rc) {
		node_log("info", "%s: pinned %s", w->node->cfg.name, j->rec.name);
		peer_status(peer_by_name(w->node, j->rec.name), w->reply);
	}
	return rc;
}

/* Refuse a card that names us, or a name or key already pinned. */
static int check_card(struct node *n, const struct cx_card *c, char *why, size_t len)
{
	if (!strcmp(c->name, n->cfg.name) || !memcmp(c->pk, cx_id_pk(n->id), CX_PK_LEN))
		proto_strcpy(why, len, "this card is this node's own");
	else if (peer_by_name(n, c->name))
		snprintf(why, len, "%s is already pinned (remove it first to change its key)", c->name);
	else if (peer_by_pk(n, c->pk))
		proto_strcpy(why, len, "this key is already pinned under another name");
	else if (node_addr_wildcard(c->addr))
		snprintf(why, len, "the card's address %s is a wildcard (its node must set "
			 "advertise)", c->addr);
	else
		return 0;
	return TN_ERR_INVALID;
}

static int peer_add_cmd(struct console_req *r, void *args)
{
	struct node *n = console_node(r);
	struct tn_name_arg *a = args;
	struct peer_job *j;
	struct cx_card c;
	char why[256];

	if (cx_card_parse(&c, a->card))
		return cmd_fail(r, TN_ERR_INVALID,
				"not a valid node card (tncard1 NAME KEY ADDR CHECK)");
	if (check_card(n, &c, why, sizeof(why)))
		return cmd_fail(r, TN_ERR_INVALID, why);
	if (!(j = cmd_job(r, args, sizeof(*j))))
		return TN_ERR_NOMEM;
	memcpy(j->rec.name, c.name, sizeof(j->rec.name));
	memcpy(j->rec.pk, c.pk, CX_PK_LEN);
	proto_strcpy(j->rec.addr, sizeof(j->rec.addr), c.addr);
	j->rec.added_ms = node_now_ms();
	return cmd_write(&j->w, put_op, added);
}

static int peer_list(struct console_req *r, void *args)
{
	struct node *n = console_node(r);
	struct tn_peer_list l = { 0 };
	uint32_t count = 0;

	(void)args;
	for (struct peer *p = n->peers; p; p = p->next)
		count++;
	if (count && !(l.peers = calloc(count, sizeof(*l.peers))))
		return TN_ERR_NOMEM;
	for (struct peer *p = n->peers; p; p = p->next)
		peer_status(p, &l.peers[l.n++]);
	console_ok(r, &proto_peer_list_schema, &l);
	free(l.peers);
	return 0;
}

/* A removal with --force names what was in flight in its audit entry. */
struct del_job {
	struct cmd_write w;
	char flight[TN_TEXT_LEN];
};

static int del_op(struct store_txn *t, void *arg)
{
	struct del_job *j = arg;
	struct tn_name_arg *a = j->w.args;
	char detail[TN_TEXT_LEN + 16];
	int rc = store_peer_del(t, a->name);

	if (!rc && !(rc = store_blind_clear(t, a->name)))
		rc = store_blind_state_del(t, a->name);    /* our copy of its blind set */
	snprintf(detail, sizeof(detail), "unpinned%s%s", j->flight[0] ? "; " : "", j->flight);
	return rc ? rc : node_audit(t, a->name, "local", "peer.remove", NULL, "ok", detail);
}

static int removed(struct cmd_write *w, int rc)
{
	struct tn_name_arg *a = w->args;
	struct peer *p = peer_by_name(w->node, a->name);

	if (!rc && p) {
		peer_remove(p);
		node_log("info", "%s: unpinned %s", w->node->cfg.name, a->name);
	}
	return rc;
}

/* Unpinning a peer with messages or traces in flight needs --force: they
 * stay stored under its name (the outbox sends them to whatever key is
 * pinned as that name next) and no answer comes while it is unpinned. */
static int peer_remove_cmd(struct console_req *r, void *args)
{
	struct tn_name_arg *a = args;
	char why[TN_TEXT_LEN], msg[TN_TEXT_LEN + 64];
	struct del_job *j;
	int rc;

	if (!peer_by_name(console_node(r), a->name))
		return cmd_not_pinned(r, a->name);
	if ((rc = cmd_peer_in_flight(console_node(r), a->name, why, sizeof(why))) < 0)
		return rc;
	if (rc && !a->force) {
		snprintf(msg, sizeof(msg), "%s; remove it anyway with --force", why);
		return cmd_fail(r, TN_ERR_EXISTS, msg);
	}
	if (!(j = cmd_job(r, args, sizeof(*j))))
		return TN_ERR_NOMEM;
	if (rc)
		proto_strcpy(j->flight, sizeof(j->flight), why);
	return cmd_write(&j->w, del_op, removed);
}

static void ponged(void *arg, int rc, uint64_t rtt_us)
{
	struct ping_job *j = arg;
	struct tn_ping_result res = { .rtt_us = rtt_us };

	if (rc) {
		console_fail(j->req, rc, rc == TN_ERR_TIMEOUT ? "no pong within 5 s" : NULL);
	} else {
		memcpy(res.peer, j->peer, sizeof(res.peer));
		console_ok(j->req, &proto_ping_result_schema, &res);
	}
}

static int peer_ping(struct console_req *r, void *args)
{
	struct node *n = console_node(r);
	struct tn_name_arg *a = args;
	struct ping_job *j;
	struct peer *p;
	char why[64];
	int rc;

	if (!(p = peer_by_name(n, a->name)))
		return cmd_not_pinned(r, a->name);
	if (!p->link) {
		snprintf(why, sizeof(why), "%s is not linked (%s)", p->rec.name, link_state(p));
		return cmd_fail(r, TN_ERR_CLOSED, why);
	}
	if (!(j = console_alloc(r, NULL, sizeof(*j))))
		return TN_ERR_NOMEM;
	j->req = r;
	memcpy(j->peer, p->rec.name, sizeof(j->peer));
	if ((rc = ping_start(p, ponged, j)))
		return rc;
	console_defer(r);
	return 0;
}

/* A peer that starts asking blind gets our whole set; one that stops is
 * told to drop its copy. */
static int blind_switch(struct store_txn *t, struct peer_job *j)
{
	struct peer *p = peer_by_name(j->w.node, j->rec.name);
	int was = p && policy_stolen_blind(p), is = !strcmp(j->rec.stolen, "blind");

	if (is && !was)
		return blind_publish(t, j->w.node, j->rec.name);
	if (was && !is)
		return blind_withdraw(t, j->rec.name);
	return 0;
}

static int policy_op(struct store_txn *t, void *arg)
{
	struct peer_job *j = arg;
	int rc = store_peer_put(t, &j->rec);

	if (!rc)
		rc = blind_switch(t, j);
	return rc ? rc : node_audit_local(t, "peer.policy", 0,
		"%s traces=%s stolen=%s limit=%u disclose=%s candidates=%s", j->rec.name,
		j->rec.traces, j->rec.stolen, j->rec.daily_limit, j->rec.disclose,
		j->rec.candidates[0] ? j->rec.candidates : "deny");
}

static int policy_applied(struct cmd_write *w, int rc)
{
	struct peer_job *j = (struct peer_job *)w;
	struct peer *p = peer_by_name(w->node, j->rec.name);

	if (!rc && !p) {
		snprintf(w->why, sizeof(w->why), "peer %s is no longer pinned", j->rec.name);
		rc = TN_ERR_NOT_FOUND;
	}
	if (!rc) {
		p->rec = j->rec;
		peer_status(p, w->reply);
		outbox_flush(p);
	}
	return rc;
}

static int peer_policy(struct console_req *r, void *args)
{
	struct tn_policy_arg *a = args;
	struct peer_job *j;
	struct peer *p;
	char why[128];

	if (!(p = peer_by_name(console_node(r), a->name)))
		return cmd_not_pinned(r, a->name);
	if (policy_check(a, why, sizeof(why)))
		return cmd_fail(r, TN_ERR_INVALID, why);
	if (!(j = cmd_job(r, args, sizeof(*j))))
		return TN_ERR_NOMEM;
	j->rec = p->rec;
	policy_apply(&j->rec, a);
	return cmd_write(&j->w, policy_op, policy_applied);
}

const struct cmd_handler cmd_peer_table[] = {
	{ CMD_CARD, card },
	{ CMD_PEER_ADD, peer_add_cmd },
	{ CMD_PEER_LIST, peer_list },
	{ CMD_PEER_REMOVE, peer_remove_cmd },
	{ CMD_PEER_PING, peer_ping },
	{ CMD_PEER_POLICY, peer_policy },
	{ CMD_COUNT, NULL },
};
