/* SPDX-License-Identifier: Apache-2.0 */
/* Checkpoints of the redo journal (journal.c has the design), made off
 * the loop. One begins after a commit: LMDB's meta pages of that commit
 * are read, its snapshot held, and later records go to the journal's
 * other half under the next generation. A thread flushes LMDB's file and
 * then writes the header that names the new snapshot; only then is the
 * old snapshot let go, and its half of the journal free again. A crash
 * before that replays both halves on the old snapshot. */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "store_int.h"

/* A commit that moves LMDB's last page this far past the checkpoint's,
 * or fills this much of its half of the journal, begins a checkpoint,
 * which lets LMDB reuse the pages freed since the one before. */
#define CKPT_PAGES 2048
#define CKPT_HALF_FILLED 2   /* 1/2 */
#define KICK_EVERY 32

static uint64_t now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000 + (uint64_t)ts.tv_nsec / 1000;
}

/* The header slot for generation gen: LMDB's meta pages as its file holds
 * them now (its last commit), and the sum of the page its main database
 * starts at. */
static int header_fill(struct store *s, uint64_t gen, uint8_t *slot)
{
	struct store_journal *j = &s->j;
	uint8_t *metas = slot + STORE_JR_HDR_FIXED;
	uint64_t root;
	int rc;

	if ((rc = store__pread(j->data_fd, metas, 2 * j->psize, 0)) ||
	    (rc = store__meta_check(s, metas)) ||
	    (rc = store__root_sum(j->data_fd, j->psize, store__meta_current(metas, j->psize),
				  slot + STORE_JR_SLOT, &root)))
		return rc;
	memset(slot, 0, STORE_JR_HDR_FIXED);
	memcpy(slot, STORE_JR_MAGIC, 8);
	store__be64_put(slot + 8, STORE_JR_FORMAT);
	store__be64_put(slot + 16, j->psize);
	store__be64_put(slot + 24, gen);
	store__be64_put(slot + 32, STORE_VERSION);
	store__be64_put(slot + 40, root);
	store__be64_put(slot + 48, (uint64_t)j->size);
	store__be64_put(slot + 56, j->closing);
	store__be64_put(metas + 2 * j->psize,
			store__sum(slot, STORE_JR_HDR_FIXED + 2 * j->psize, 0));
	return 0;
}

/* On the loop, after a commit and with no write transaction open. */
int store__checkpoint_begin(struct store *s)
{
	struct store_journal *j = &s->j;
	MDB_envinfo info;
	int rc;

	j->t0_us = now_us();
	if (!(j->slot = calloc(2, STORE_JR_SLOT)))
		return TN_ERR_NOMEM;
	if ((rc = header_fill(s, j->gen + 1, j->slot)) ||
	    (rc = store__err(mdb_txn_begin(s->env, NULL, MDB_RDONLY, &j->pin_next)))) {
		free(j->slot);
		j->slot = NULL;
		j->pin_next = NULL;
		return rc;
	}
	j->slot_len = store__block_up(STORE_JR_HDR_FIXED + 2 * j->psize + 8);
	j->slot_off = (off_t)(((j->gen + 1) & 1) * STORE_JR_SLOT);
	mdb_env_info(s->env, &info);
	j->ckpt_last_pg = info.me_last_pgno;
	j->gen++;
	j->seq = 0;
	j->off = store__half_start(j, j->gen);
	j->inflight = 1;
	atomic_store(&j->flushed, 0);
	return 0;
}

/* LMDB's file flushed, then the header written and flushed: the work of
 * the thread, which touches nothing the loop changes meanwhile. */
void store__checkpoint_flush(struct store *s)
{
	struct store_journal *j = &s->j;
	int rc = fdatasync(j->data_fd) ? TN_ERR_IO : 0;

	if (!rc)
		rc = store__pwrite(j->fd, j->slot, j->slot_len, j->slot_off);
	if (!rc && fdatasync(j->fd))
		rc = TN_ERR_IO;
	j->flush_rc = rc;
	atomic_store(&j->flushed, 1);
}

static void *flush_main(void *arg)
{
	store__checkpoint_flush(arg);
	return NULL;
}

/* On the loop once the flush is done: the new snapshot replaces the old.
 * A failed flush leaves the store unable to say what the disk holds. */
int store__checkpoint_finish(struct store *s)
{
	struct store_journal *j = &s->j;
	uint64_t us;

	if (!j->inflight)
		return 0;
	if (j->thread) {
		pthread_join(j->thread, NULL);
		j->thread = 0;
	} else if (!atomic_load(&j->flushed)) {
		store__checkpoint_flush(s);
	}
	j->inflight = 0;
	free(j->slot);
	j->slot = NULL;
	if (j->flush_rc) {
		j->broken = 1;
		return j->flush_rc;
	}
	if (j->pin)
		mdb_txn_abort(j->pin);
	j->pin = j->pin_next;
	j->pin_next = NULL;
	j->checkpoints++;
	us = now_us() - j->t0_us;
	j->checkpoint_us_sum += us;
	if (us > j->checkpoint_us_max)
		j->checkpoint_us_max = us;
	return 0;
}

/* A checkpoint made now, waited for (one in flight is finished first). */
int store__checkpoint(struct store *s)
{
	int rc;

	if (s->j.fd < 0)
		return 0;
	if ((rc = store__checkpoint_finish(s)) || (rc = store__checkpoint_begin(s)))
		return rc;
	store__checkpoint_flush(s);
	return store__checkpoint_finish(s);
}

/* Finish the checkpoint in flight if its flush is done. */
void store__checkpoint_poll(struct store *s)
{
	if (s->j.inflight && atomic_load(&s->j.flushed))
		(void)store__checkpoint_finish(s);
}

static void *kick_main(void *arg)
{
	struct store_journal *j = arg;

	(void)sync_file_range(j->data_fd, 0, 0, SYNC_FILE_RANGE_WRITE);
	atomic_store(&j->kicked, 1);
	return NULL;
}

void store__kick_join(struct store_journal *j)
{
	if (j->kicker) {
		pthread_join(j->kicker, NULL);
		j->kicker = 0;
	}
}

/* Start writing LMDB's dirty pages out every KICK_EVERY records, without
 * waiting for them, so that a checkpoint's flush finds few left and does
 * not hold the disk from the records' own flushes for long. A thread does
 * it: starting writeback can sleep for milliseconds in the block layer's
 * throttling, which on the loop stalled every link and console (measured:
 * the automatic trace's slowest, one in 32, went from 3.7-8 to 2-3 ms). */
static void writeback_start(struct store_journal *j)
{
	if (++j->since_kick < KICK_EVERY || (j->kicker && !atomic_load(&j->kicked)))
		return;   /* not yet, or the last one still runs: try at the next */
	store__kick_join(j);
	j->since_kick = 0;
	atomic_store(&j->kicked, 0);
	if (pthread_create(&j->kicker, NULL, kick_main, j)) {
		j->kicker = 0;
		(void)sync_file_range(j->data_fd, 0, 0, SYNC_FILE_RANGE_WRITE);
	}
}

/* After a commit made durable by its record: begin a checkpoint off the
 * loop if LMDB's file or this half of the journal has grown enough. */
int store__checkpoint_maybe(struct store *s)
{
	struct store_journal *j = &s->j;
	size_t start = store__half_start(j, j->gen);
	MDB_envinfo info;
	int rc;

	writeback_start(j);
	if (j->inflight)
		return 0;
	mdb_env_info(s->env, &info);
	if (info.me_last_pgno < j->ckpt_last_pg + CKPT_PAGES &&
	    j->off - start < (store__half_end(j, j->gen) - start) / CKPT_HALF_FILLED)
		return 0;
	if ((rc = store__checkpoint_begin(s)))
		return rc;
	if (pthread_create(&j->thread, NULL, flush_main, s)) {
		j->thread = 0;
		store__checkpoint_flush(s);
		return store__checkpoint_finish(s);
	}
	return 0;
}

/* The map or the disk is full: finishing the checkpoint in flight, or
 * making one, lets LMDB reuse the pages the old snapshot held. 1 if it
 * did, 0 if it could not help. */
int store__journal_make_room(struct store *s)
{
	struct store_journal *j = &s->j;
	MDB_envinfo info;
	int rc;

	if (!j->active)
		return 0;
	if (j->inflight)
		return (rc = store__checkpoint_finish(s)) ? rc : 1;
	mdb_env_info(s->env, &info);
	if (info.me_last_pgno == j->ckpt_last_pg)
		return 0;
	if ((rc = store__checkpoint(s))) {
		j->broken = 1;
		return rc;
	}
	return 1;
}
