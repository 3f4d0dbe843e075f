/* SPDX-License-Identifier: Apache-2.0 */
/* Alerts: id -> msgpack tn_alert, raised when a peer's query hits one of
 * our open lost/stolen reports. */
#include "store_int.h"

int store_alert_add(struct store_txn *t, struct tn_alert *a)
{
	int rc = store__next_id(t, STORE_SEQ_ALERT, &a->id);

	return rc ? rc : store__obj_put(t, STORE_DB_ALERTS, a->id, &proto_alert_schema, a, 0);
}

int store_alert_each(struct store_txn *t, uint32_t limit, store_alert_fn fn, void *arg)
{
	struct tn_alert a;
	MDB_cursor *c;
	MDB_val k, v;
	uint32_t n = 0;
	int rc, op = MDB_LAST;

	if ((rc = store__cursor(t, STORE_DB_ALERTS, &c)))
		return rc;
	while (n < limit && (rc = store__err(mdb_cursor_get(c, &k, &v, op))) == 0) {
		op = MDB_PREV;
		n++;
		if ((rc = store__obj_decode(&proto_alert_schema, &v, &a)) || (rc = fn(arg, &a)))
			break;
	}
	store__cursor_done(t, STORE_DB_ALERTS, c);
	return rc == TN_ERR_NOT_FOUND || rc == 0 ? (int)n : rc;
}
