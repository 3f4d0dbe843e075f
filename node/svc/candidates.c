/* SPDX-License-Identifier: Apache-2.0 */
/* Candidates for a serial read off a gun, as the operator and a peer see
 * them: the store's ranked matches, each with what identifies its record
 * (make, model, caliber, type, serial) and nothing of its chain. */
#include <stdlib.h>
#include <string.h>

#include "svc.h"

static int fill(struct store_txn *t, const struct match_cand *m, struct tn_candidate *c)
{
	struct tn_record r;
	int rc = store_record_get(t, m->id, &r);

	if (rc)
		return rc;
	c->id = m->id;
	c->exact = m->exact;
	c->score = (uint32_t)m->score;
	memcpy(c->reason, m->reason, sizeof(c->reason));
	memcpy(c->make, r.make, sizeof(c->make));
	memcpy(c->model, r.model, sizeof(c->model));
	memcpy(c->caliber, r.caliber, sizeof(c->caliber));
	memcpy(c->type, r.type, sizeof(c->type));
	memcpy(c->serial, r.serial, sizeof(c->serial));
	proto_release(&proto_record_schema, &r);
	return 0;
}

/* Candidates past the first k that rank as high as the k-th. */
static uint32_t tied(const struct match_cand *m, int found, uint32_t k)
{
	uint32_t n = 0;

	for (int i = (int)k; i < found; i++)
		n += m[i].exact == m[k - 1].exact && m[i].score == m[k - 1].score;
	return n;
}

int candidates_find(struct store_txn *t, const struct match_query *q, uint32_t k,
		    struct tn_cand_list *out)
{
	struct match_cand m[MATCH_K_MAX];
	int rc, found;

	memset(out, 0, sizeof(*out));
	if (!k || (found = store_record_match(t, q, m, MATCH_K_MAX)) <= 0)
		return k ? found : 0;
	if ((uint32_t)found > k) {
		out->more = tied(m, found, k);
		found = (int)k;
	}
	if (!(out->candidates = calloc((size_t)found, sizeof(*out->candidates))))
		return TN_ERR_NOMEM;
	for (int i = 0; i < found; i++)
		if ((rc = fill(t, &m[i], &out->candidates[i]))) {
			free(out->candidates);
			memset(out, 0, sizeof(*out));
			return rc;
		}
	out->n = (uint32_t)found;
	return 0;
}
