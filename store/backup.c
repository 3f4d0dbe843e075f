/* SPDX-License-Identifier: Apache-2.0 */
/* A consistent hot copy of the store, compacted, into a directory: LMDB's
 * own copy under one read snapshot, while the node goes on writing. */
#include "store_int.h"

int store_backup(struct store *s, const char *dir)
{
	int rc;

	/* Counted as a reader, so that the map is not remapped under it. */
	pthread_mutex_lock(&s->remap_lock);
	atomic_fetch_add(&s->readers, 1);
	pthread_mutex_unlock(&s->remap_lock);
	rc = mdb_env_copy2(s->env, dir, MDB_CP_COMPACT);
	atomic_fetch_sub(&s->readers, 1);
	return store__err(rc);
}
