/* SPDX-License-Identifier: Apache-2.0 */
/* bench_commit: what one durable commit of one small record costs on this
 * disk, for each way a node could make it durable:
 *   lmdb                  LMDB as the node opens it (store/env.c): the data
 *                         pages and fdatasync, then the meta page (O_DSYNC)
 *   lmdb_nometasync       MDB_NOMETASYNC: the meta page is flushed by the
 *                         next commit's fdatasync
 *   lmdb_nosync_plus_log  MDB_NOSYNC, then the same bytes appended to a log
 *                         and the log fdatasync'd
 *   log_fdatasync         the log alone: append, fdatasync
 *   log_o_dsync           the log alone, appended through O_DSYNC
 *   log_fallocated        the log alone, written in place in a file
 *                         fallocate'd beforehand (no size change), fdatasync
 *   log_zerofilled        the same in a file zero-filled and fsync'd
 *                         beforehand (no extent to convert either)
 *   lmdb_journal          a redo journal under LMDB: MDB_NOSYNC commit,
 *                         the record written in place in a zero-filled log
 *                         and fdatasync'd; every JOURNAL_EVERY rounds a
 *                         checkpoint (mdb_env_sync, counted in that round)
 *                         and the log starts over
 * Rounds are interleaved, each round starting one way further on, so disk
 * noise hits every way alike. Prints one JSON object. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <lmdb.h>

#include "lib/timing.h"

#define WARMUP 10                 /* rounds not counted */
#define MAP_SIZE ((size_t)64 << 20)   /* a node's initial map */
#define JOURNAL_EVERY 64          /* lmdb_journal: rounds per checkpoint */

enum log_mode { LOG_NONE, LOG_APPEND, LOG_DSYNC, LOG_FALLOCATE, LOG_ZEROFILL };

struct way {
	const char *name;
	int lmdb;                 /* commit to LMDB first */
	unsigned flags;           /* LMDB flags besides the node's MDB_NOTLS */
	enum log_mode log;        /* then write the record to a log */
	int journal;              /* lmdb_journal: checkpoint every JOURNAL_EVERY */
	MDB_env *env;
	MDB_dbi dbi;
	int fd;
	off_t off;
	double *us;
};

static struct way ways[] = {
	{ "lmdb", 1, 0, LOG_NONE },
	{ "lmdb_nometasync", 1, MDB_NOMETASYNC, LOG_NONE },
	{ "lmdb_nosync_plus_log", 1, MDB_NOSYNC, LOG_APPEND },
	{ "log_fdatasync", 0, 0, LOG_APPEND },
	{ "log_o_dsync", 0, 0, LOG_DSYNC },
	{ "log_fallocated", 0, 0, LOG_FALLOCATE },
	{ "log_zerofilled", 0, 0, LOG_ZEROFILL },
	{ "lmdb_journal", 1, MDB_NOSYNC, LOG_ZEROFILL, 1 },
};

#define N_WAYS (sizeof(ways) / sizeof(ways[0]))

static int lmdb_fail(const struct way *w, const char *what, int rc)
{
	fprintf(stderr, "bench_commit: %s: %s: %s\n", w->name, what, mdb_strerror(rc));
	return -1;
}

static int sys_fail(const struct way *w, const char *what)
{
	fprintf(stderr, "bench_commit: %s: %s: %s\n", w->name, what, strerror(errno));
	return -1;
}

/* out = dir/name; -1 if it does not fit. */
static int path_join(char out[PATH_MAX], const char *dir, const char *name)
{
	int n = snprintf(out, PATH_MAX, "%s/%s", dir, name);

	if (n < 0 || n >= PATH_MAX) {
		fprintf(stderr, "bench_commit: %s: path too long\n", dir);
		return -1;
	}
	return 0;
}

static int lmdb_open(struct way *w, const char *dir)
{
	MDB_txn *txn;
	int rc;

	if ((rc = mdb_env_create(&w->env)))
		return lmdb_fail(w, "mdb_env_create", rc);
	if ((rc = mdb_env_set_mapsize(w->env, MAP_SIZE)) ||
	    (rc = mdb_env_open(w->env, dir, MDB_NOTLS | w->flags, 0600)))
		return lmdb_fail(w, "mdb_env_open", rc);
	if ((rc = mdb_txn_begin(w->env, NULL, 0, &txn)))
		return lmdb_fail(w, "mdb_txn_begin", rc);
	if ((rc = mdb_dbi_open(txn, NULL, 0, &w->dbi))) {
		mdb_txn_abort(txn);
		return lmdb_fail(w, "mdb_dbi_open", rc);
	}
	return (rc = mdb_txn_commit(txn)) ? lmdb_fail(w, "mdb_txn_commit", rc) : 0;
}

/* size bytes of zeros (log_open flushes them). */
static int zero_fill(struct way *w, size_t size)
{
	static const char zeros[1 << 16];

	for (size_t done = 0; done < size; done += sizeof(zeros))
		if (write(w->fd, zeros, sizeof(zeros)) != (ssize_t)sizeof(zeros))
			return sys_fail(w, "write");
	return 0;
}

/* The log in dir, size bytes ahead for the preallocated ones. */
static int log_open(struct way *w, const char *dir, size_t size)
{
	char path[PATH_MAX];
	int flags = O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC;

	if (w->log == LOG_APPEND || w->log == LOG_DSYNC)
		flags |= O_APPEND;
	if (w->log == LOG_DSYNC)
		flags |= O_DSYNC;
	if (path_join(path, dir, "log"))
		return -1;
	if ((w->fd = open(path, flags, 0600)) < 0)
		return sys_fail(w, path);
	if (w->log == LOG_FALLOCATE && (errno = posix_fallocate(w->fd, 0, (off_t)size)))
		return sys_fail(w, "posix_fallocate");
	if (w->log == LOG_ZEROFILL && zero_fill(w, size))
		return -1;
	return fsync(w->fd) ? sys_fail(w, "fsync") : 0;
}

/* DIR/NAME with the way's environment and log in it. */
static int way_open(struct way *w, const char *dir, uint32_t rounds, size_t log_size)
{
	char path[PATH_MAX];

	if (!(w->us = calloc(rounds, sizeof(*w->us))))
		return sys_fail(w, "calloc");
	if (path_join(path, dir, w->name))
		return -1;
	if (mkdir(path, 0700) && errno != EEXIST)
		return sys_fail(w, path);
	if (w->lmdb && lmdb_open(w, path))
		return -1;
	return w->log != LOG_NONE ? log_open(w, path, log_size) : 0;
}

static void way_close(struct way *w)
{
	if (w->env)
		mdb_env_close(w->env);
	if (w->fd >= 0)
		close(w->fd);
	free(w->us);
}

/* One record under key round (big-endian, so they append), committed. */
static int lmdb_put(struct way *w, uint64_t round, const void *rec, size_t len)
{
	uint8_t k[8];
	MDB_val key = { sizeof(k), k }, val = { len, (void *)rec };
	MDB_txn *txn;
	int rc;

	for (int i = 0; i < 8; i++)
		k[i] = (uint8_t)(round >> (56 - 8 * i));
	if ((rc = mdb_txn_begin(w->env, NULL, 0, &txn)))
		return lmdb_fail(w, "mdb_txn_begin", rc);
	if ((rc = mdb_put(txn, w->dbi, &key, &val, 0))) {
		mdb_txn_abort(txn);
		return lmdb_fail(w, "mdb_put", rc);
	}
	return (rc = mdb_txn_commit(txn)) ? lmdb_fail(w, "mdb_txn_commit", rc) : 0;
}

/* The record appended (or written in place after the last), then flushed. */
static int log_put(struct way *w, const void *rec, size_t len)
{
	ssize_t n = w->log == LOG_APPEND || w->log == LOG_DSYNC ? write(w->fd, rec, len) :
			pwrite(w->fd, rec, len, w->off);

	if (n != (ssize_t)len)
		return sys_fail(w, "write");
	w->off += (off_t)len;
	if (w->log != LOG_DSYNC && fdatasync(w->fd))
		return sys_fail(w, "fdatasync");
	return 0;
}

/* lmdb_journal, every JOURNAL_EVERY rounds: LMDB flushed whole (a
 * checkpoint), and the journal starts over. */
static int journal_checkpoint(struct way *w, uint64_t round)
{
	int rc;

	if ((round + 1) % JOURNAL_EVERY)
		return 0;
	if ((rc = mdb_env_sync(w->env, 1)))
		return lmdb_fail(w, "mdb_env_sync", rc);
	w->off = 0;
	return 0;
}

static int commit(struct way *w, uint64_t round, const void *rec, size_t len)
{
	if (w->lmdb && lmdb_put(w, round, rec, len))
		return -1;
	if (w->log != LOG_NONE && log_put(w, rec, len))
		return -1;
	return w->journal ? journal_checkpoint(w, round) : 0;
}

/* WARMUP + rounds rounds, one commit of every way each, the order rotated. */
static int run(uint32_t rounds, const void *rec, size_t len)
{
	for (uint32_t r = 0; r < WARMUP + rounds; r++) {
		for (size_t k = 0; k < N_WAYS; k++) {
			struct way *w = &ways[(r + k) % N_WAYS];
			double t0 = tm_now_s();

			if (commit(w, r, rec, len))
				return -1;
			if (r >= WARMUP)
				w->us[r - WARMUP] = (tm_now_s() - t0) * 1e6;
		}
	}
	return 0;
}

static void report(uint32_t rounds, size_t len)
{
	printf("{\n  \"rounds\": %u,\n  \"record_bytes\": %zu", rounds, len);
	for (size_t k = 0; k < N_WAYS; k++) {
		tm_sort(ways[k].us, rounds);
		printf(",\n  \"%s\": {\"p50_us\": %.0f, \"p99_us\": %.0f}", ways[k].name,
		       tm_pct(ways[k].us, rounds, 0.5), tm_pct(ways[k].us, rounds, 0.99));
	}
	printf("\n}\n");
}

static int usage(void)
{
	fputs("usage: bench_commit DIR [ROUNDS [BYTES]]\n"
	      "  DIR on the disk to measure (created; one directory per way in it),\n"
	      "  ROUNDS timed commits of each way (default 500), BYTES a record (200)\n",
	      stderr);
	return 2;
}

int main(int argc, char **argv)
{
	uint32_t rounds = argc > 2 ? (uint32_t)strtoul(argv[2], NULL, 10) : 500;
	size_t len = argc > 3 ? (size_t)strtoul(argv[3], NULL, 10) : 200, log_size;
	uint8_t *rec;
	int rc = 0;

	if (argc < 2 || argc > 4 || !rounds || !len || len > (1 << 20))
		return usage();
	if (mkdir(argv[1], 0700) && errno != EEXIST) {
		fprintf(stderr, "bench_commit: %s: %s\n", argv[1], strerror(errno));
		return 1;
	}
	if (!(rec = malloc(len)))
		return 1;
	for (size_t i = 0; i < len; i++)
		rec[i] = (uint8_t)(i * 131 + 7);
	for (size_t k = 0; k < N_WAYS; k++)
		ways[k].fd = -1;
	log_size = ((WARMUP + rounds) * len + (1 << 20)) & ~(size_t)((1 << 20) - 1);
	for (size_t k = 0; k < N_WAYS && !rc; k++)
		rc = way_open(&ways[k], argv[1], rounds, log_size);
	if (!rc && !(rc = run(rounds, rec, len)))
		report(rounds, len);
	for (size_t k = 0; k < N_WAYS; k++)
		way_close(&ways[k]);
	free(rec);
	return rc ? 1 : 0;
}
