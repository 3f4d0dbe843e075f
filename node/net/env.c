/* SPDX-License-Identifier: Apache-2.0 */
/* End-to-end envelopes on a link: every check a receiver makes before a
 * message reaches its handler, each refusal counted by reason; and
 * sealing for sending with the peer's cached shared key. */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../node.h"

static const struct env_handler *const tables[] = {
	env_ping_table,
	env_answer_table,
	env_query_table,
	env_outbox_table,
	env_trace_table,
};

uint64_t node_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static const struct env_handler *find_handler(const char *type)
{
	for (size_t t = 0; t < sizeof(tables) / sizeof(tables[0]); t++)
		for (const struct env_handler *h = tables[t]; h->type; h++)
			if (!strcmp(h->type, type))
				return h;
	return NULL;
}

/* Count and log a refused envelope; returns rc. */
static int refuse(struct peer *p, enum drop why, const char *detail, int rc)
{
	peer_drop(p->node, p, why, detail);
	return rc;
}

/* Header checks that need no cryptography. */
static int check_header(struct peer *p, const struct tn_envelope *e, const struct env_handler **h)
{
	struct node *n = p->node;
	uint64_t now = node_now_ms();
	char why[64];

	if (strcmp(e->to, n->cfg.name))
		return refuse(p, DROP_not_for_me, e->to, TN_ERR_NOT_FOR_ME);
	if (strcmp(e->from, p->rec.name)) {
		snprintf(why, sizeof(why), "claims to come from %.3s", e->from);
		return refuse(p, peer_by_name(n, e->from) ? DROP_forged_from : DROP_unknown_peer, why,
			      TN_ERR_UNKNOWN_PEER);
	}
	if (e->ts + ENV_SKEW_MS < now || e->ts > now + ENV_SKEW_MS) {
		snprintf(why, sizeof(why), "ts off by %lld s",
			 (long long)((int64_t)(e->ts - now) / 1000));
		return refuse(p, DROP_stale, why, TN_ERR_STALE);
	}
	if (e->v != 1 || e->suite != TN_SUITE_BOX_ED25519)
		return refuse(p, DROP_unsupported, "version or suite", TN_ERR_UNSUPPORTED);
	if (!(*h = find_handler(e->type)))
		return refuse(p, DROP_unknown_type, e->type, TN_ERR_UNSUPPORTED);
	return 0;
}

static int open_checked(struct peer *p, const struct tn_envelope *e,
			const struct env_handler *h, struct tn_sealed *s)
{
	int rc = cx_env_open(e, p->key, p->rec.pk, s);

	if (rc == TN_ERR_BAD_SIG)
		return refuse(p, DROP_bad_sig, e->type, rc);
	if (rc == TN_ERR_DECODE || rc == TN_ERR_FIELD)
		return refuse(p, DROP_malformed, "sealed body", rc);
	if (rc)
		return refuse(p, DROP_bad_box, e->type, rc);
	if (h->signed_only && !s->n_s) {
		proto_release(&proto_sealed_schema, s);
		return refuse(p, DROP_bad_sig, "signature required", TN_ERR_BAD_SIG);
	}
	rc = replay_check(&p->replay, e->id, e->ts, node_now_ms());
	if (!rc)
		return 0;
	proto_release(&proto_sealed_schema, s);
	return refuse(p, rc == TN_ERR_REPLAY ? DROP_replay : DROP_replay_full, e->type, rc);
}

void env_receive(struct peer *p, struct proto_msg *m)
{
	const struct env_handler *h = NULL;
	struct tn_envelope e;
	struct tn_sealed s;

	if (proto_msg_decode(m, "m", &proto_envelope_schema, &e)) {
		peer_drop(p->node, p, DROP_malformed, proto_msg_error(m));
		return;
	}
	if (!check_header(p, &e, &h) && !open_checked(p, &e, h, &s)) {
		p->received++;
		h->fn(p, &e, &s);
		proto_release(&proto_sealed_schema, &s);
	}
	proto_release(&proto_envelope_schema, &e);
}

int env_send(struct peer *p, const char *type, const struct proto_buf *msg, int sign)
{
	struct tn_envelope e = { .v = 1, .suite = TN_SUITE_BOX_ED25519, .ttl = 1 };
	struct proto_buf b = { 0 };
	struct proto_writer *w;
	int rc;

	if (!p->link)
		return TN_ERR_CLOSED;
	snprintf(e.type, sizeof(e.type), "%s", type);
	memcpy(e.from, p->node->cfg.name, sizeof(e.from));
	memcpy(e.to, p->rec.name, sizeof(e.to));
	e.ts = node_now_ms();
	if ((rc = cx_env_seal(&e, p->node->id, p->key, msg->data, msg->len, sign)))
		return rc;
	if (!(w = proto_writer_new(&b)))
		rc = TN_ERR_NOMEM;
	else if (proto_w_map(w, 2) || proto_w_str(w, "t") || proto_w_str(w, "env") ||
		 proto_w_str(w, "m") || proto_w_obj(w, &proto_envelope_schema, &e))
		rc = TN_ERR_NOMEM;
	if (!rc && !(rc = link_send(p->link, &b)))
		p->sent++;
	proto_writer_free(w);
	proto_buf_free(&b);
	proto_release(&proto_envelope_schema, &e);
	return rc;
}
