/* SPDX-License-Identifier: Apache-2.0 */
/* The journal at the store's start (journal.c has the design): created
 * and filled with zeros the first time; otherwise LMDB's meta pages are
 * written back from the last checkpoint, before LMDB opens the data file,
 * and the records after the checkpoint are replayed once it has. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "store_int.h"

#define JR_MIN ((size_t)256 << 10)
#define JR_MAX ((size_t)4 << 20)

/* A quarter of the map, within [JR_MIN, JR_MAX], after the two slots. */
static size_t journal_size(size_t map_size)
{
	size_t n = map_size / 4;

	n = n < JR_MIN ? JR_MIN : n > JR_MAX ? JR_MAX : n;
	return 2 * STORE_JR_SLOT + n / STORE_JR_BLOCK * STORE_JR_BLOCK;
}

static int path_in(char *path, const char *dir, const char *name)
{
	int n = snprintf(path, PATH_MAX, "%s/%s", dir, name);

	return n < 0 || n >= PATH_MAX ? TN_ERR_INVALID : 0;
}

/* Zeros written, not only allocated: a record written in place then
 * flushes its data alone, with no extent to convert. */
static int journal_create(struct store_journal *j, const char *dir, size_t size)
{
	char path[PATH_MAX], tmp[PATH_MAX];
	static const uint8_t zero[STORE_JR_BLOCK * 16];
	int fd, dfd, rc = 0;

	if ((rc = path_in(path, dir, STORE_JR_FILE)) || (rc = path_in(tmp, dir, STORE_JR_FILE ".new")))
		return rc;
	if ((fd = open(tmp, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600)) < 0)
		return store__errno();
	for (size_t off = 0; off < size && !rc; off += sizeof(zero))
		rc = store__pwrite(fd, zero, size - off < sizeof(zero) ? size - off : sizeof(zero),
				   (off_t)off);
	if (!rc && (fsync(fd) || rename(tmp, path)))
		rc = store__errno();
	if (!rc && (dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) >= 0) {
		if (fsync(dfd))
			rc = TN_ERR_IO;
		close(dfd);
	}
	if (rc) {
		close(fd);
		unlink(tmp);
		return rc;
	}
	j->fd = fd;
	j->size = size;
	return 0;
}

/* The slot's generation if it holds a whole header, else 0. */
static uint64_t slot_gen(const uint8_t *slot)
{
	uint64_t psize = store__be64_get(slot + 16);

	if (memcmp(slot, STORE_JR_MAGIC, 8) || store__be64_get(slot + 8) != STORE_JR_FORMAT ||
	    psize < 512 || psize > STORE_JR_PSIZE_MAX)
		return 0;
	if (store__be64_get(slot + STORE_JR_HDR_FIXED + 2 * psize) !=
	    store__sum(slot, STORE_JR_HDR_FIXED + 2 * psize, 0))
		return 0;
	return store__be64_get(slot + 24);
}

/* Read both header slots into hdr (2 slots) and pick the newer whole
 * one; NULL when there is none (a journal never checkpointed). */
static const uint8_t *header_pick(const struct store_journal *j, uint8_t *hdr)
{
	uint64_t g0, g1;

	if (store__pread(j->fd, hdr, 2 * STORE_JR_SLOT, 0))
		return NULL;
	g0 = slot_gen(hdr);
	g1 = slot_gen(hdr + STORE_JR_SLOT);
	if (!g0 && !g1)
		return NULL;
	return g1 > g0 ? hdr + STORE_JR_SLOT : hdr;
}

/* The data file in dir must be the one the checkpoint flushed: the page
 * its main database started at is still as it was (a backup copied over
 * it is not). Then its meta pages go back to the checkpoint's. */
static int meta_restore(const char *dir, const uint8_t *slot, size_t psize)
{
	const uint8_t *metas = slot + STORE_JR_HDR_FIXED;
	uint8_t *now = malloc(2 * psize);
	char path[PATH_MAX];
	uint64_t root;
	int fd = -1, rc;

	if (!now)
		return TN_ERR_NOMEM;
	if ((rc = path_in(path, dir, "data.mdb")))
		goto out;
	if ((fd = open(path, O_RDWR | O_CLOEXEC | O_NOFOLLOW)) < 0) {
		rc = errno == ENOENT ? TN_ERR_JOURNAL : TN_ERR_IO;
		goto out;
	}
	if ((rc = store__root_sum(fd, psize, store__meta_current(metas, psize), now, &root)))
		rc = rc == TN_ERR_IO ? TN_ERR_JOURNAL : rc;
	else if (root != store__be64_get(slot + 40))
		rc = TN_ERR_JOURNAL;
	else if (!(rc = store__pread(fd, now, 2 * psize, 0)) && memcmp(now, metas, 2 * psize) &&
		 !(rc = store__pwrite(fd, metas, 2 * psize, 0)) && fdatasync(fd))
		rc = TN_ERR_IO;
out:
	if (fd >= 0)
		close(fd);
	free(now);
	return rc;
}

/* Collect the payloads of generation gen's records, in its half of the
 * journal, up to the first that is not whole (its commit was never
 * acknowledged). How many there were, or a negative error. */
static int records_load(struct store_journal *j, uint64_t gen)
{
	uint8_t head[STORE_JR_HEAD];
	struct proto_buf rec = { 0 };
	size_t off = store__half_start(j, gen), end = store__half_end(j, gen), len, total;
	int n = 0, rc = 0;

	for (uint64_t seq = 0;; seq++) {
		if (off + STORE_JR_HEAD + 8 > end || store__pread(j->fd, head, sizeof(head), (off_t)off))
			break;
		len = store__be64_get(head + 16);
		if (store__be64_get(head) != gen || store__be64_get(head + 8) != seq ||
		    len > end - off - STORE_JR_HEAD - 8)
			break;
		total = STORE_JR_HEAD + len + 8;
		rec.len = 0;
		if ((rc = proto_buf_reserve(&rec, total)))
			break;
		if (store__pread(j->fd, rec.data, total, (off_t)off) ||
		    store__be64_get(rec.data + total - 8) != store__sum(rec.data, total - 8, gen))
			break;
		if ((rc = proto_buf_add(&j->replay, rec.data + STORE_JR_HEAD, len)))
			break;
		n++;
		off += store__block_up(total);
	}
	proto_buf_free(&rec);
	return rc ? rc : n;
}

/* The records after the checkpoint: its generation's, then the next's
 * (a checkpoint was in flight), which continue them. */
static int records_after(struct store_journal *j)
{
	int n = records_load(j, j->gen), m;

	if (n < 0 || (m = records_load(j, j->gen + 1)) < 0)
		return n < 0 ? n : m;
	if (m)
		j->gen++;     /* the next checkpoint's generation goes past both */
	j->replayed = (uint64_t)n + (uint64_t)m;
	return 0;
}

/* Before LMDB opens dir: the journal found (and the data file returned to
 * its checkpoint, its records loaded) or made. Its lock keeps a second
 * process from opening the store, which would write behind its back. */
int store__journal_open(struct store *s, const char *dir, size_t map_size)
{
	struct store_journal *j = &s->j;
	char path[PATH_MAX];
	const uint8_t *slot;
	uint8_t *hdr = NULL;
	struct stat st;
	int rc;

	j->fd = j->direct_fd = -1;
	if ((rc = path_in(path, dir, STORE_JR_FILE)))
		return rc;
	if ((j->fd = open(path, O_RDWR | O_CLOEXEC | O_NOFOLLOW)) < 0 && errno == ENOENT &&
	    (rc = journal_create(j, dir, journal_size(map_size))))
		return rc;
	if (j->fd < 0)
		return store__errno();
	if (flock(j->fd, LOCK_EX | LOCK_NB))
		return errno == EWOULDBLOCK ? TN_ERR_BUSY : TN_ERR_IO;
	if (fstat(j->fd, &st))
		return TN_ERR_IO;
	j->direct_fd = open(path, O_WRONLY | O_DIRECT | O_CLOEXEC | O_NOFOLLOW);
	j->size = (size_t)st.st_size;
	if (j->size < 2 * STORE_JR_SLOT + 2 * STORE_JR_BLOCK)
		return TN_ERR_JOURNAL;
	if (!(hdr = malloc(2 * STORE_JR_SLOT)))
		return TN_ERR_NOMEM;
	if ((slot = header_pick(j, hdr)))
		j->gen = store__be64_get(slot + 24);
	if (slot && !store__be64_get(slot + 56)) {
		rc = meta_restore(dir, slot, store__be64_get(slot + 16));
		if (!rc)
			rc = records_after(j);
		if (!rc && j->replayed && store__be64_get(slot + 32) != STORE_VERSION)
			rc = TN_ERR_UNSUPPORTED;
	}
	free(hdr);
	return rc;
}

/* Apply the loaded records in one transaction (store_apply grows the
 * map and runs it again if it must). */
static int replay_op(struct store_txn *t, void *arg)
{
	const struct proto_buf *b = arg;
	const uint8_t *p = b->data, *end = b->data + b->len;
	MDB_val k, v;
	int rc = 0;

	while (!rc && p < end) {
		if (end - p < 10 || p[1] >= STORE_DB_COUNT)
			return TN_ERR_JOURNAL;
		k.mv_size = (uint32_t)p[2] << 24 | (uint32_t)p[3] << 16 | p[4] << 8 | p[5];
		v.mv_size = (uint32_t)p[6] << 24 | (uint32_t)p[7] << 16 | p[8] << 8 | p[9];
		if ((size_t)(end - p - 10) < k.mv_size + v.mv_size)
			return TN_ERR_JOURNAL;
		k.mv_data = (void *)(p + 10);
		v.mv_data = (void *)(p + 10 + k.mv_size);
		if (p[0] == STORE_JR_PUT)
			rc = mdb_put(t->txn, t->s->dbi[p[1]], &k, &v, 0);
		else if (p[0] == STORE_JR_DEL)
			rc = mdb_del(t->txn, t->s->dbi[p[1]], &k, NULL);
		else if (p[0] == STORE_JR_DEL_DUP)
			rc = mdb_del(t->txn, t->s->dbi[p[1]], &k, &v);
		else
			return TN_ERR_JOURNAL;
		if (rc == MDB_MAP_FULL)
			return store__rc(t, rc);
		if (rc)
			return TN_ERR_JOURNAL;
		p += 10 + k.mv_size + v.mv_size;
	}
	return 0;
}

/* Once LMDB is open: replay, then a first checkpoint, then commits go
 * through the journal. */
int store__journal_start(struct store *s)
{
	struct store_journal *j = &s->j;
	MDB_stat st;
	int rc;

	if ((rc = store__err(mdb_env_stat(s->env, &st))))
		return rc;
	if (st.ms_psize > STORE_JR_PSIZE_MAX)
		return TN_ERR_UNSUPPORTED;
	j->psize = st.ms_psize;
	if ((rc = store__err(mdb_env_get_fd(s->env, &j->data_fd))))
		return rc;
	if (j->replay.len && (rc = store_write(s, replay_op, &j->replay)))
		return rc;
	proto_buf_free(&j->replay);
	if ((rc = proto_buf_reserve(&j->rec, STORE_JR_HEAD)) || (rc = store__checkpoint(s)) ||
	    (rc = store__err(mdb_env_set_flags(s->env, MDB_NOSYNC, 1))))
		return rc;
	store__journal_reset(s);
	j->active = 1;
	return 0;
}

/* A clean stop: the last commits flushed by a checkpoint, so that the
 * next start has nothing to replay. */
void store__journal_close(struct store *s)
{
	struct store_journal *j = &s->j;

	j->closing = 1;
	store__kick_join(j);
	(void)store__checkpoint_finish(s);
	if (j->active && !j->broken)
		(void)store__checkpoint(s);
	if (j->pin)
		mdb_txn_abort(j->pin);
	if (j->pin_next)
		mdb_txn_abort(j->pin_next);
	if (j->fd >= 0)
		close(j->fd);
	if (j->direct_fd >= 0)
		close(j->direct_fd);
	free(j->io);
	proto_buf_free(&j->rec);
	proto_buf_free(&j->replay);
	memset(j, 0, sizeof(*j));
	j->fd = j->direct_fd = -1;
}
