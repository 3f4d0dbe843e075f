/* SPDX-License-Identifier: Apache-2.0 */
/* Receipts of the signed answers to our lost/stolen queries (those with a
 * hit), under the query id and the answering peer, kept with the audit
 * entry of the answer. Trace receipts live in their trace. */
#include <stdlib.h>
#include <string.h>

#include "store_int.h"

#define KEY_LEN (8 + TN_NAME_LEN)

static void receipt_key(uint8_t kb[KEY_LEN], uint64_t qid, const char *peer, MDB_val *k)
{
	memset(kb, 0, KEY_LEN);
	store__be64_put(kb, qid);
	memcpy(kb + 8, peer, strnlen(peer, TN_NAME_LEN - 1));
	k->mv_data = kb;
	k->mv_size = KEY_LEN;
}

int store_receipt_put(struct store_txn *t, uint64_t qid, const char *peer, const uint8_t *r,
		      uint32_t n)
{
	uint8_t kb[KEY_LEN];
	MDB_val k, v = { n, (void *)r };

	if (!n || !r)
		return TN_ERR_INVALID;
	receipt_key(kb, qid, peer, &k);
	return store__put(t, STORE_DB_RECEIPTS, &k, &v, 0);
}

int store_receipt_get(struct store_txn *t, uint64_t qid, const char *peer, uint8_t **r,
		      uint32_t *n)
{
	uint8_t kb[KEY_LEN];
	MDB_val k, v;
	int rc;

	*r = NULL;
	*n = 0;
	receipt_key(kb, qid, peer, &k);
	if ((rc = store__get(t, STORE_DB_RECEIPTS, &k, &v)))
		return rc;
	if (!(*r = malloc(v.mv_size ? v.mv_size : 1)))
		return TN_ERR_NOMEM;
	memcpy(*r, v.mv_data, v.mv_size);
	*n = (uint32_t)v.mv_size;
	return 0;
}
