/* SPDX-License-Identifier: Apache-2.0 */
/* End-to-end envelopes on a link: every check a receiver makes before a
 * message reaches its handler (header, box, the registry's schema and
 * signing rule, replay), each refusal counted by reason; and sealing for
 * sending with the peer's cached shared key. */
#include <stdlib.h>
#include <string.h>

#include "net.h"

/* Count and log a refused envelope; returns rc. */
static int refuse(struct peer *p, enum drop why, const char *detail, int rc)
{
	peer_drop(p->node, p, why, detail);
	return rc;
}

/* Header checks that need no cryptography; *type gets the message type. */
static int check_header(struct peer *p, const struct tn_envelope *e, int *type)
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
	if ((int64_t)e->ts < p->not_before)
		return refuse(p, DROP_replay, "sealed before this node started or pinned it",
			      TN_ERR_REPLAY);
	if (e->v != TN_PROTO_VERSION || e->suite != TN_SUITE_BOX_ED25519)
		return refuse(p, DROP_unsupported, "version or suite", TN_ERR_UNSUPPORTED);
	if ((*type = wire_type_of(e->type)) < 0 || !n->hooks.on_msg[*type])
		return refuse(p, DROP_unknown_type, e->type, TN_ERR_UNSUPPORTED);
	return 0;
}

static int open_box(struct peer *p, const struct tn_envelope *e, struct tn_sealed *s)
{
	int rc = cx_env_open(e, p->key, p->rec.pk, cx_id_pk(p->node->id), s);

	if (rc == TN_ERR_BAD_SIG)
		return refuse(p, DROP_bad_sig, e->type, rc);
	if (rc == TN_ERR_DECODE || rc == TN_ERR_FIELD)
		return refuse(p, DROP_malformed, "sealed body", rc);
	if (rc)
		return refuse(p, DROP_bad_box, e->type, rc);
	return 0;
}

/* Decode the message by its schema, then apply its signing rule and the
 * replay window; m->msg is allocated only when this returns 0. */
static int check_message(struct peer *p, struct env_msg *m)
{
	const struct proto_schema *sch = wire_types[m->type].schema;
	char why[160], detail[200];
	int rc;

	if (!(m->msg = calloc(1, sch->size)))
		return TN_ERR_NOMEM;
	if (proto_decode(sch, m->s->m, m->s->n_m, m->msg, why, sizeof(why))) {
		snprintf(detail, sizeof(detail), "%s: %s", m->e->type, why);
		rc = refuse(p, DROP_malformed, detail, TN_ERR_FIELD);
	} else if (wire_must_sign(m->type, m->msg) && !m->s->n_s)
		rc = refuse(p, DROP_bad_sig, "signature required", TN_ERR_BAD_SIG);
	else if ((rc = cx_replay_check(&p->replay, m->e->id, m->e->ts, node_now_ms())))
		rc = refuse(p, rc == TN_ERR_REPLAY ? DROP_replay : DROP_replay_full, m->e->type, rc);
	if (rc) {
		proto_release(sch, m->msg);
		free(m->msg);
		m->msg = NULL;
	}
	return rc;
}

void env_receive(struct peer *p, struct proto_msg *frame)
{
	struct tn_envelope e;
	struct tn_sealed s;
	struct env_msg m = { .e = &e, .s = &s };
	int type;

	if (proto_msg_decode(frame, "m", &proto_envelope_schema, &e)) {
		peer_drop(p->node, p, DROP_malformed, proto_msg_error(frame));
		return;
	}
	if (!check_header(p, &e, &type) && !open_box(p, &e, &s)) {
		m.type = (enum wire_type)type;
		if (!check_message(p, &m)) {
			p->received++;
			p->node->hooks.on_msg[type](p, &m);
			if (m.msg)
				proto_release(wire_types[type].schema, m.msg);
			free(m.msg);
		}
		proto_release(&proto_sealed_schema, &s);
	}
	proto_release(&proto_envelope_schema, &e);
}

int env_send_raw(struct peer *p, enum wire_type t, const struct proto_buf *msg, int sign)
{
	struct tn_envelope e = { .v = 1, .suite = TN_SUITE_BOX_ED25519, .ttl = 1 };
	struct proto_buf b = { 0 };
	struct proto_writer *w;
	int rc;

	if (!p->link)
		return TN_ERR_CLOSED;
	proto_strcpy(e.type, sizeof(e.type), wire_types[t].name);
	memcpy(e.from, p->node->cfg.name, sizeof(e.from));
	memcpy(e.to, p->rec.name, sizeof(e.to));
	e.ts = node_now_ms();
	if ((rc = cx_env_seal(&e, p->node->id, p->key, p->rec.pk, msg->data, msg->len, sign)))
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

int env_send(struct peer *p, enum wire_type t, const void *msg)
{
	struct proto_buf b = { 0 };
	int rc = proto_encode(wire_types[t].schema, msg, &b);

	if (!rc)
		rc = env_send_raw(p, t, &b, wire_must_sign(t, msg));
	proto_buf_free(&b);
	return rc;
}

void env_take(struct env_msg *m, void *dst)
{
	memcpy(dst, m->msg, wire_types[m->type].schema->size);
	free(m->msg);
	m->msg = NULL;
}

int env_receipt(const struct peer *p, const struct env_msg *m, uint8_t **out, uint32_t *n)
{
	struct tn_receipt r = { .hdr = *m->e, .n_m = m->s->n_m, .m = m->s->m };
	struct proto_buf b = { 0 };
	int rc;

	r.hdr.n_body = 0;
	r.hdr.body = NULL;
	memcpy(r.pk, p->rec.pk, TN_KEY_LEN);
	memcpy(r.to_pk, cx_id_pk(p->node->id), TN_KEY_LEN);
	memcpy(r.sig, m->s->s, TN_SIG_LEN);
	rc = proto_encode(&proto_receipt_schema, &r, &b);
	*out = b.data;
	*n = (uint32_t)b.len;
	return rc;
}
