/* SPDX-License-Identifier: Apache-2.0 */
/* Keys that change under running links: a peer's next key taking over
 * the first time it links with it, and our own key replaced at the end
 * of a rotation (new TLS context, shared keys again, links closed). */
#include <string.h>

#include "net.h"

int peer_promote(struct peer *p)
{
	uint8_t *key = cx_secret_new(CX_KEY_LEN);
	uint8_t old_pk[CX_PK_LEN];
	char old_fp[CX_FP_LEN];
	int rc;

	if (!key)
		return TN_ERR_NOMEM;
	if ((rc = cx_shared_key(p->node->id, p->rec.next_pk, key))) {
		cx_secret_free(key);
		return rc;
	}
	cx_secret_free(p->key);
	p->key = key;
	memcpy(old_fp, p->fp, sizeof(old_fp));
	memcpy(old_pk, p->rec.pk, CX_PK_LEN);
	memcpy(p->rec.pk, p->rec.next_pk, CX_PK_LEN);
	memset(p->rec.next_pk, 0, CX_PK_LEN);
	cx_fingerprint(p->rec.pk, p->fp);
	node_log("warn", "%s: %s linked with the new key it announced: %s replaces %s",
		 p->node->cfg.name, p->rec.name, p->fp, old_fp);
	if (p->node->hooks.peer_rekeyed)
		p->node->hooks.peer_rekeyed(p, old_pk);
	return 0;
}

/* Every peer's shared key under id; on failure none is changed. */
static int shared_keys(struct node *n, const struct cx_id *id)
{
	size_t count = 0, i = 0;
	uint8_t *keys;
	int rc = 0;

	for (struct peer *p = n->peers; p; p = p->next)
		count++;
	if (!count)
		return 0;
	if (!(keys = cx_secret_new(count * CX_KEY_LEN)))
		return TN_ERR_NOMEM;
	for (struct peer *p = n->peers; p && !rc; p = p->next, i++)
		rc = cx_shared_key(id, p->rec.pk, keys + i * CX_KEY_LEN);
	i = 0;
	for (struct peer *p = n->peers; p && !rc; p = p->next, i++)
		memcpy(p->key, keys + i * CX_KEY_LEN, CX_KEY_LEN);
	cx_secret_free(keys);
	return rc;
}

int link_rekey(struct node *n, struct cx_id *id)
{
	struct cx_tls_ctx *ctx;
	int rc;

	if ((rc = cx_tls_ctx_new(&ctx, id, link_pin, n)))
		return rc;
	if ((rc = shared_keys(n, id))) {
		cx_tls_ctx_free(ctx);
		return rc;
	}
	/* Sessions hold their own reference to the old context. */
	cx_tls_ctx_free(n->tls);
	n->tls = ctx;
	cx_id_free(n->id);
	n->id = id;
	for (struct peer *p = n->peers; p; p = p->next) {
		if (p->link)
			link_close(p->link, TN_ERR_CLOSED);
		if (p->dialing)
			link_close(p->dialing, TN_ERR_CLOSED);
	}
	return 0;
}
