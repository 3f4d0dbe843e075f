/* SPDX-License-Identifier: Apache-2.0 */
/* The LMDB environment: opening and closing it, growing the map, read
 * snapshots. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "store_int.h"

#define STORE_MAXDBS 24

static const char *const db_names[STORE_DB_COUNT] = {
	[STORE_DB_FIREARMS] = "firearms",
	[STORE_DB_SERIAL_IDX] = "serial_idx",
	[STORE_DB_STOLEN] = "stolen",
	[STORE_DB_STOLEN_IDX] = "stolen_idx",
	[STORE_DB_META] = "meta",
	[STORE_DB_PEERS] = "peers",
	[STORE_DB_REQ_OUT] = "req_out",
	[STORE_DB_REQ_IN] = "req_in",
	[STORE_DB_OUTBOX] = "outbox",
	[STORE_DB_AUDIT] = "audit",
	[STORE_DB_ALERTS] = "alerts",
	[STORE_DB_RECEIPTS] = "receipts",
	[STORE_DB_TREE] = "tree",
	[STORE_DB_CHECKPOINTS] = "checkpoints",
	[STORE_DB_WITNESS] = "witness",
	[STORE_DB_EVIDENCE] = "evidence",
	[STORE_DB_BLIND] = "blind",
};

/* Remap at size bytes (0: the size recorded in the file, which another
 * process may have grown). LMDB unmaps the old view, so no transaction of
 * this process may be open; TN_ERR_AGAIN if one is. The caller holds
 * remap_lock. */
static int remap_locked(struct store *s, size_t size)
{
	if (atomic_load(&s->readers) > 0 || s->w.txn)
		return TN_ERR_AGAIN;
	return store__err(mdb_env_set_mapsize(s->env, size));
}

/* A reader on another thread ends soon (a stats walk takes seconds at
 * most): the writer waits for it rather than failing the batch. */
#define REMAP_WAIT_MS 10000

static int remap(struct store *s, size_t size)
{
	int rc;

	for (int waited = 0;; waited++) {
		pthread_mutex_lock(&s->remap_lock);
		rc = remap_locked(s, size);
		pthread_mutex_unlock(&s->remap_lock);
		if (rc != TN_ERR_AGAIN || s->w.txn || waited == REMAP_WAIT_MS)
			return rc;
		usleep(1000);
	}
}

/* Double the map, up to map_max; TN_ERR_MAP_FULL once there. */
int store__grow(struct store *s)
{
	MDB_envinfo info;
	size_t next;

	mdb_env_info(s->env, &info);
	if (info.me_mapsize >= s->map_max)
		return TN_ERR_MAP_FULL;
	next = info.me_mapsize > s->map_max / 2 ? s->map_max : info.me_mapsize * 2;
	return remap(s, next);
}

/* mdb_txn_begin, adopting the bigger map another process may have made. */
int store__begin(struct store *s, MDB_txn *parent, unsigned flags, MDB_txn **out)
{
	int rc = mdb_txn_begin(s->env, parent, flags, out);

	if (rc == MDB_MAP_RESIZED) {
		if ((rc = remap(s, 0)))
			return rc;
		rc = mdb_txn_begin(s->env, parent, flags, out);
	}
	return store__err(rc);
}

/* Create the named databases and check the layout version, in one
 * write transaction. */
static int dbs_try(struct store *s)
{
	struct store_txn t = { .s = s };
	uint64_t version = STORE_VERSION;
	unsigned flags;
	int rc;

	if ((rc = store__begin(s, NULL, 0, &t.txn)))
		return rc;
	for (int i = 0; i < STORE_DB_COUNT && !rc; i++) {
		flags = MDB_CREATE;
		if (i == STORE_DB_SERIAL_IDX || i == STORE_DB_STOLEN_IDX)
			flags |= MDB_DUPSORT | MDB_DUPFIXED;
		rc = store__rc(&t, mdb_dbi_open(t.txn, db_names[i], flags, &s->dbi[i]));
	}
	if (!rc && (rc = store__u64_get(&t, STORE_META_VERSION, &version)) == TN_ERR_NOT_FOUND)
		rc = store__u64_put(&t, STORE_META_VERSION, version);
	if (!rc && version < STORE_VERSION)
		rc = store__migrate(&t, &version);
	if (!rc && version != STORE_VERSION)
		rc = TN_ERR_UNSUPPORTED;
	if (rc) {
		mdb_txn_abort(t.txn);
		return rc;
	}
	return store__err(mdb_txn_commit(t.txn));
}

static int dbs_open(struct store *s)
{
	int rc;

	while ((rc = dbs_try(s)) == TN_ERR_MAP_FULL)
		if ((rc = store__grow(s)))
			break;
	return rc;
}

/* Open the environment at path. A map already recorded bigger than
 * map_size is kept; stale reader slots of dead processes are cleared. */
static int env_open(struct store *s, const char *path, size_t map_size)
{
	MDB_envinfo info;
	int rc, dead;

	if ((rc = mdb_env_create(&s->env))) {
		s->env = NULL;
		return store__err(rc);
	}
	rc = mdb_env_set_maxdbs(s->env, STORE_MAXDBS);
	if (!rc)
		rc = mdb_env_set_mapsize(s->env, map_size);
	if (!rc)
		rc = mdb_env_open(s->env, path, MDB_NOTLS, 0600);
	if (!rc)
		rc = mdb_env_set_mapsize(s->env, 0);
	if (!rc)
		rc = mdb_env_info(s->env, &info);
	if (!rc && info.me_mapsize < map_size)
		rc = mdb_env_set_mapsize(s->env, map_size);
	if (!rc)
		rc = mdb_reader_check(s->env, &dead);
	return store__err(rc);
}

/* The environment at path, its databases opened (and created, and
 * upgraded) in it. */
int store__env_open(struct store *s, const char *path, size_t map_size)
{
	int rc = env_open(s, path, map_size);

	return rc ? rc : dbs_open(s);
}

/* Abort a read txn and free it with its cursors. */
static void read_free(struct store_txn *t)
{
	store__cursors_close(t);
	mdb_txn_abort(t->txn);
	free(t);
}

/* The spare read txn freed and the environment closed. */
void store__env_close(struct store *s)
{
	struct store_txn *t;

	if ((t = atomic_exchange(&s->spare, NULL)))
		read_free(t);
	if (s->env)
		mdb_env_close(s->env);
	s->env = NULL;
}

/* A new read txn; the caller holds remap_lock. */
static int read_new(struct store *s, struct store_txn **out)
{
	struct store_txn *t = calloc(1, sizeof(*t));
	int rc;

	if (!t)
		return TN_ERR_NOMEM;
	t->s = s;
	t->rdonly = 1;
	rc = mdb_txn_begin(s->env, NULL, MDB_RDONLY, &t->txn);
	if (rc == MDB_MAP_RESIZED && !(rc = remap_locked(s, 0)))
		rc = mdb_txn_begin(s->env, NULL, MDB_RDONLY, &t->txn);
	if (rc) {
		free(t);
		return store__err(rc);
	}
	*out = t;
	return 0;
}

/* Reuses the spare snapshot when there is one: mdb_txn_renew keeps its
 * reader slot and its cursors, so a read costs no allocation. */
int store_read_begin(struct store *s, struct store_txn **out)
{
	struct store_txn *t = atomic_exchange(&s->spare, NULL);
	int rc;

	*out = NULL;
	pthread_mutex_lock(&s->remap_lock);
	if (t && mdb_txn_renew(t->txn)) {
		read_free(t);
		t = NULL;
	}
	if (!t && (rc = read_new(s, &t))) {
		pthread_mutex_unlock(&s->remap_lock);
		return rc;
	}
	atomic_fetch_add(&s->readers, 1);
	pthread_mutex_unlock(&s->remap_lock);
	t->bound = t->busy = 0;
	*out = t;
	return 0;
}

void store_read_end(struct store_txn *t)
{
	struct store_txn *none = NULL;
	struct store *s;

	if (!t)
		return;
	s = t->s;
	mdb_txn_reset(t->txn);
	atomic_fetch_sub(&s->readers, 1);
	if (!atomic_compare_exchange_strong(&s->spare, &none, t))
		read_free(t);
}
