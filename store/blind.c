/* SPDX-License-Identifier: Apache-2.0 */
/* Blind checks: our set of tags (each counted once per open report that
 * gives it) and the copies we hold of peers' sets, in the "blind"
 * database; the state of each (key, version, size) beside them. Keys:
 * 0x00 tag for ours, a peer's name then tag for its copy. */
#include <string.h>

#include "store_int.h"

#define OWN 0x00
#define KEY_MAX (3 + TN_BLIND_TAG)

/* The key of tag in our set (peer NULL) or in peer's copy. */
static int tag_key(const char *peer, const uint8_t *tag, uint8_t b[KEY_MAX], MDB_val *k)
{
	size_t n = 1;

	if (!peer) {
		b[0] = OWN;
	} else if (proto_country_check(peer)) {
		return TN_ERR_INVALID;
	} else {
		memcpy(b, peer, 3);
		n = 3;
	}
	if (tag)
		memcpy(b + n, tag, TN_BLIND_TAG);
	k->mv_size = n + (tag ? TN_BLIND_TAG : 0);
	k->mv_data = b;
	return 0;
}

static uint32_t refs_of(const MDB_val *v)
{
	uint32_t r = 0;

	if (v->mv_size == sizeof(r))
		memcpy(&r, v->mv_data, sizeof(r));
	return r;
}

/* Our set: tag counted delta more times; 1 when it entered or left it. */
static int own_count(struct store_txn *t, const uint8_t *tag, int delta)
{
	uint8_t b[KEY_MAX];
	MDB_val k, v;
	uint32_t refs = 0;
	int rc;

	(void)tag_key(NULL, tag, b, &k);
	if (!(rc = store__get(t, STORE_DB_BLIND, &k, &v)))
		refs = refs_of(&v);
	else if (rc != TN_ERR_NOT_FOUND)
		return rc;
	if (delta < 0 && !refs)
		return 0;       /* not in the set: nothing to take away */
	refs = (uint32_t)((int64_t)refs + delta);
	if (!refs)
		return (rc = store__del(t, STORE_DB_BLIND, &k, NULL)) ? rc : 1;
	v.mv_size = sizeof(refs);
	v.mv_data = &refs;
	rc = store__put(t, STORE_DB_BLIND, &k, &v, 0);
	return rc ? rc : refs == 1 && delta > 0;
}

int store_blind_own_add(struct store_txn *t, const uint8_t tag[TN_BLIND_TAG])
{
	return own_count(t, tag, 1);
}

int store_blind_own_del(struct store_txn *t, const uint8_t tag[TN_BLIND_TAG])
{
	return own_count(t, tag, -1);
}

/* Delete every key with prefix k (ours, or a peer's copy). */
static int clear(struct store_txn *t, const MDB_val *k)
{
	MDB_cursor *c;
	MDB_val key = *k, v;
	int ret, rc;

	if ((ret = store__cursor(t, STORE_DB_BLIND, &c)))
		return ret;
	while (!(rc = mdb_cursor_get(c, &key, &v, MDB_SET_RANGE)) && key.mv_size >= k->mv_size &&
	       !memcmp(key.mv_data, k->mv_data, k->mv_size)) {
		if ((ret = store__cursor_del(t, STORE_DB_BLIND, c)))
			break;
		key = *k;
	}
	if (!ret)
		ret = rc == MDB_NOTFOUND || rc == MDB_SUCCESS ? 0 : store__rc(t, rc);
	store__cursor_done(t, STORE_DB_BLIND, c);
	return ret;
}

int store_blind_clear(struct store_txn *t, const char *peer)
{
	uint8_t b[KEY_MAX];
	MDB_val k;
	int rc = tag_key(peer, NULL, b, &k);

	return rc ? rc : clear(t, &k);
}

int store_blind_peer_put(struct store_txn *t, const char *peer, const uint8_t tag[TN_BLIND_TAG])
{
	uint8_t b[KEY_MAX], one = 1;
	MDB_val k, v = { 1, &one };
	int rc = tag_key(peer, tag, b, &k);

	if (rc)
		return rc;
	rc = store__put(t, STORE_DB_BLIND, &k, &v, MDB_NOOVERWRITE);
	return rc == TN_ERR_EXISTS ? 0 : rc ? rc : 1;
}

int store_blind_peer_del(struct store_txn *t, const char *peer, const uint8_t tag[TN_BLIND_TAG])
{
	uint8_t b[KEY_MAX];
	MDB_val k;
	int rc = tag_key(peer, tag, b, &k);

	if (rc)
		return rc;
	rc = store__del(t, STORE_DB_BLIND, &k, NULL);
	return rc == TN_ERR_NOT_FOUND ? 0 : rc ? rc : 1;
}

int store_blind_has(struct store_txn *t, const char *peer, const uint8_t tag[TN_BLIND_TAG])
{
	uint8_t b[KEY_MAX];
	MDB_val k, v;
	int rc = tag_key(peer, tag, b, &k);

	if (rc)
		return rc;
	rc = store__get(t, STORE_DB_BLIND, &k, &v);
	return rc == TN_ERR_NOT_FOUND ? 0 : rc ? rc : 1;
}

int store_blind_each(struct store_txn *t, const char *peer, store_tag_fn fn, void *arg)
{
	uint8_t b[KEY_MAX];
	MDB_cursor *c;
	MDB_val pre, key, v;
	int ret, rc;

	if ((ret = tag_key(peer, NULL, b, &pre)) || (ret = store__cursor(t, STORE_DB_BLIND, &c)))
		return ret;
	key = pre;
	for (rc = mdb_cursor_get(c, &key, &v, MDB_SET_RANGE); !rc;
	     rc = mdb_cursor_get(c, &key, &v, MDB_NEXT)) {
		if (key.mv_size != pre.mv_size + TN_BLIND_TAG ||
		    memcmp(key.mv_data, pre.mv_data, pre.mv_size))
			break;
		if ((ret = fn(arg, (const uint8_t *)key.mv_data + pre.mv_size)))
			goto out;
	}
	ret = rc == MDB_NOTFOUND || !rc ? 0 : store__err(rc);
out:
	store__cursor_done(t, STORE_DB_BLIND, c);
	return ret;
}

/* The meta key of the state of our set (peer NULL) or of peer's. */
static int state_key(const char *peer, char buf[32], MDB_val *k)
{
	if (peer && proto_country_check(peer))
		return TN_ERR_INVALID;
	k->mv_size = proto_cat(buf, 32, proto_cat(buf, 32, 0, "blind:state:"), peer ? peer : "");
	k->mv_data = buf;
	return 0;
}

int store_blind_state_get(struct store_txn *t, const char *peer, struct tn_blind_state *st)
{
	char buf[32];
	MDB_val k, v;
	int rc;

	if ((rc = state_key(peer, buf, &k)) || (rc = store__get(t, STORE_DB_META, &k, &v)))
		return rc;
	return store__obj_decode(&proto_blind_state_schema, &v, st);
}

int store_blind_state_put(struct store_txn *t, const char *peer, const struct tn_blind_state *st)
{
	char buf[32];
	MDB_val k;
	int rc = state_key(peer, buf, &k);

	return rc ? rc : store__val_put(t, STORE_DB_META, &k, &proto_blind_state_schema, st, 0);
}

int store_blind_state_del(struct store_txn *t, const char *peer)
{
	char buf[32];
	MDB_val k;
	int rc = state_key(peer, buf, &k);

	if (rc)
		return rc;
	rc = store__del(t, STORE_DB_META, &k, NULL);
	return rc == TN_ERR_NOT_FOUND ? 0 : rc;
}
