/* SPDX-License-Identifier: Apache-2.0 */
/* The redo journal under LMDB: one flush per group commit instead of two.
 * LMDB commits without flushing (MDB_NOSYNC); the writes of each commit
 * are recorded as redo ops in a journal written in place in a file filled
 * beforehand, and one fdatasync of that makes the commit durable. A
 * checkpoint (journal_ckpt.c) flushes LMDB whole and keeps a copy of its
 * two meta pages in the journal's header, and a read transaction held on
 * the checkpoint's snapshot keeps LMDB from reusing any of its pages until
 * the next checkpoint is durable. After a crash the start writes the meta
 * pages back, which returns LMDB to the checkpoint whatever else reached
 * the disk, and replays the journal (journal_open.c). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "store_int.h"

/* A checksum against torn and stale blocks (not an adversary: whoever
 * can write the journal can write the store). */
uint64_t store__sum(const void *data, size_t n, uint64_t seed)
{
	const uint8_t *p = data;
	uint64_t h = seed ^ (n * 0x9e3779b97f4a7c15ull), w;

	for (; n >= 8; n -= 8, p += 8) {
		memcpy(&w, p, 8);
		h = (h ^ w * 0xbf58476d1ce4e5b9ull) * 0x94d049bb133111ebull;
		h ^= h >> 29;
	}
	for (w = 0; n; n--)
		w = w << 8 | p[n - 1];
	h = (h ^ w * 0xbf58476d1ce4e5b9ull) * 0x94d049bb133111ebull;
	h ^= h >> 31;
	h *= 0xd6e8feb86659fd93ull;
	return h ^ h >> 32;
}

static void be32_put(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

/* Record one op of the writer's transaction. An op that cannot be
 * recorded (no memory, or a value LMDB reserved and the caller fills
 * later) makes this commit a checkpoint instead, so it never fails. */
void store__journal_op(struct store_txn *t, enum store__jr_op op, enum store__db db,
		       const MDB_val *k, const MDB_val *v)
{
	struct store_journal *j = &t->s->j;
	size_t vlen = v ? v->mv_size : 0;
	uint8_t *p;

	if (!j->active || j->whole)
		return;
	if ((op == STORE_JR_PUT && !v) || k->mv_size > UINT32_MAX || vlen > UINT32_MAX ||
	    proto_buf_reserve(&j->rec, 10 + k->mv_size + vlen)) {
		j->whole = 1;
		return;
	}
	p = j->rec.data + j->rec.len;
	p[0] = (uint8_t)op;
	p[1] = (uint8_t)db;
	be32_put(p + 2, (uint32_t)k->mv_size);
	be32_put(p + 6, (uint32_t)vlen);
	memcpy(p + 10, k->mv_data, k->mv_size);
	if (vlen)
		memcpy(p + 10 + k->mv_size, v->mv_data, vlen);
	j->rec.len += 10 + k->mv_size + vlen;
}

/* A write this file cannot record: the commit becomes a checkpoint. */
void store__journal_unrecorded(struct store *s)
{
	s->j.whole = 1;
}

size_t store__journal_mark(struct store *s)
{
	return s->j.rec.len;
}

/* Forget the ops recorded since mark: their nested transaction was
 * aborted. */
void store__journal_rewind(struct store *s, size_t mark)
{
	if (mark <= s->j.rec.len)
		s->j.rec.len = mark;
}

/* Forget every op recorded: the transaction was committed or aborted. */
void store__journal_reset(struct store *s)
{
	s->j.rec.len = STORE_JR_HEAD;
	s->j.whole = 0;
}

/* pwrite all of n bytes at off. */
int store__pwrite(int fd, const void *p, size_t n, off_t off)
{
	ssize_t w;

	for (; n; n -= (size_t)w, p = (const uint8_t *)p + w, off += w)
		if ((w = pwrite(fd, p, n, off)) <= 0 && errno != EINTR)
			return w < 0 ? store__errno() : TN_ERR_IO;
		else if (w < 0)
			w = 0;
	return 0;
}

int store__pread(int fd, void *p, size_t n, off_t off)
{
	ssize_t r;

	for (; n; n -= (size_t)r, p = (uint8_t *)p + r, off += r)
		if ((r = pread(fd, p, n, off)) <= 0 && errno != EINTR)
			return TN_ERR_IO;
		else if (r < 0)
			r = 0;
	return 0;
}

/* Fields of an LMDB (0.9, 64-bit) meta page this file relies on. */
struct store__meta_view {
	uint32_t magic, version;
	uint64_t main_root, last_pg, txnid;
};

static void meta_view(const uint8_t *page, struct store__meta_view *m)
{
	memcpy(&m->magic, page + 16, 4);
	memcpy(&m->version, page + 20, 4);
	memcpy(&m->main_root, page + 128, 8);
	memcpy(&m->last_pg, page + 136, 8);
	memcpy(&m->txnid, page + 144, 8);
}

/* The newer of the two meta pages in metas. */
const uint8_t *store__meta_current(const uint8_t *metas, size_t psize)
{
	struct store__meta_view a, b;

	meta_view(metas, &a);
	meta_view(metas + psize, &b);
	return b.txnid > a.txnid ? metas + psize : metas;
}

/* Whether metas (LMDB's two meta pages, as read from its file) are laid
 * out as this file reads them and hold the environment's last commit. */
int store__meta_check(struct store *s, const uint8_t *metas)
{
	struct store__meta_view m;
	MDB_envinfo info;

	mdb_env_info(s->env, &info);
	meta_view(store__meta_current(metas, s->j.psize), &m);
	return m.magic == STORE_LMDB_MAGIC && m.version == 1 && m.txnid == info.me_last_txnid &&
	       m.last_pg == info.me_last_pgno ? 0 : TN_ERR_UNSUPPORTED;
}

/* The sum of the page the checkpoint's main database starts at: the same
 * data file holds it unchanged until the next checkpoint. */
int store__root_sum(int fd, size_t psize, const uint8_t *meta, uint8_t *scratch, uint64_t *out)
{
	struct store__meta_view m;
	int rc;

	meta_view(meta, &m);
	if ((rc = store__pread(fd, scratch, psize, (off_t)(m.main_root * psize))))
		return rc;
	*out = store__sum(scratch, psize, m.txnid);
	return 0;
}

/* Write a whole record at the next place. Through the page cache, a
 * record is copied, its pages are dirtied and then written back by the
 * flush; written direct, the flush has only the device's cache to empty,
 * which costs a node markedly less CPU per commit. A file system that
 * refuses direct I/O gets the record through the page cache. */
static int record_put(struct store_journal *j, const uint8_t *p, size_t total)
{
	int rc;

	if (j->direct_fd >= 0 && total > j->io_cap) {
		free(j->io);
		j->io_cap = 0;
		if (posix_memalign((void **)&j->io, STORE_JR_BLOCK, total))
			j->io = NULL;
		else
			j->io_cap = total;
	}
	if (j->direct_fd >= 0 && j->io) {
		memcpy(j->io, p, total);
		if (!(rc = store__pwrite(j->direct_fd, j->io, total, (off_t)j->off)))
			return fdatasync(j->direct_fd) ? TN_ERR_IO : 0;
		if (errno != EINVAL)
			return rc;
		close(j->direct_fd);
		j->direct_fd = -1;
	}
	if ((rc = store__pwrite(j->fd, p, total, (off_t)j->off)))
		return rc;
	return fdatasync(j->fd) ? TN_ERR_IO : 0;
}

/* The recorded ops as one record, written after the last and flushed. */
static int record_write(struct store_journal *j)
{
	size_t len = j->rec.len - STORE_JR_HEAD, total = store__block_up(j->rec.len + 8);
	uint8_t *p;
	int rc;

	if ((rc = proto_buf_reserve(&j->rec, total - j->rec.len)))
		return rc;
	p = j->rec.data;
	store__be64_put(p, j->gen);
	store__be64_put(p + 8, j->seq);
	store__be64_put(p + 16, len);
	store__be64_put(p + j->rec.len, store__sum(p, j->rec.len, j->gen));
	memset(p + j->rec.len + 8, 0, total - j->rec.len - 8);
	if ((rc = record_put(j, p, total)))
		return rc;
	j->off += total;
	j->seq++;
	return 0;
}

/* Whether this commit must be a checkpoint rather than a record: a
 * write it could not record, or no room left in this generation's half
 * of the journal. */
static int record_refused(const struct store_journal *j)
{
	return j->whole || j->off + store__block_up(j->rec.len + 8) > store__half_end(j, j->gen);
}

/* Make the commit LMDB just made (without flushing) durable. A failure
 * leaves LMDB ahead of what the disk holds, so the store takes no more
 * writes: the next start returns it to the last durable commit. */
int store__journal_commit(struct store *s)
{
	struct store_journal *j = &s->j;
	int rc = 0;

	if (!j->active)
		return 0;
	store__checkpoint_poll(s);
	if (j->rec.len > STORE_JR_HEAD || j->whole) {
		if (record_refused(j) || record_write(j))
			rc = store__checkpoint(s);
		else {
			j->records++;
			rc = store__checkpoint_maybe(s);
		}
	}
	store__journal_reset(s);
	if (rc)
		j->broken = 1;
	return rc;
}

void store_journal_stats(const struct store *s, struct store_journal_stats *out)
{
	out->records = s->j.records;
	out->checkpoints = s->j.checkpoints;
	out->checkpoint_us_sum = s->j.checkpoint_us_sum;
	out->checkpoint_us_max = s->j.checkpoint_us_max;
	out->replayed = s->j.replayed;
	out->broken = s->j.broken;
}
