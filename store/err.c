/* SPDX-License-Identifier: Apache-2.0 */
/* The one place where LMDB errors become TN_ERR_* codes; the bottom of
 * store/, calling no other file of it. */
#include <errno.h>

#include "store_int.h"

int store__err(int mdb_rc)
{
	switch (mdb_rc) {
	case MDB_SUCCESS:
		return 0;
	case MDB_NOTFOUND:
		return TN_ERR_NOT_FOUND;
	case MDB_KEYEXIST:
		return TN_ERR_EXISTS;
	case MDB_MAP_FULL:
		return TN_ERR_MAP_FULL;
	case ENOSPC:
		return TN_ERR_DISK_FULL;
	case ENOMEM:
		return TN_ERR_NOMEM;
	case EIO:
		return TN_ERR_IO;
	default:
		return TN_ERR_STORE;
	}
}

/* A failed system call's errno as a TN_ERR_* code: a full disk, or
 * another I/O error. */
int store__errno(void)
{
	return errno == ENOSPC ? TN_ERR_DISK_FULL : TN_ERR_IO;
}

/* Translate, remembering a full map so that store_apply grows it even if
 * an op swallowed the error. */
int store__rc(struct store_txn *t, int mdb_rc)
{
	if (mdb_rc == MDB_MAP_FULL)
		t->full = 1;
	return store__err(mdb_rc);
}
