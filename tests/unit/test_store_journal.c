/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests of the store's redo journal, playing a power loss: the data
 * file as the disk may hold it after one (any mix of the pages flushed by
 * the last checkpoint and of those written since, its meta pages
 * anything) and the journal as flushed. Every commit acknowledged must
 * come back, exactly, and nothing else; a torn record and everything
 * after it is dropped; a journal beside another data file is refused. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../../store/store_int.h"
#include "store_fixture.h"
#include "tmpdir.h"

#define COMMITS 40

struct file {
	uint8_t *b;
	size_t len;
};

static struct file slurp(const char *dir, const char *name)
{
	char path[256];
	struct file f = { 0 };
	struct stat st;
	int fd;

	snprintf(path, sizeof(path), "%s/store/%s", dir, name);
	fd = open(path, O_RDONLY);
	assert_true(fd >= 0);
	assert_int_equal(fstat(fd, &st), 0);
	f.len = (size_t)st.st_size;
	assert_non_null(f.b = malloc(f.len ? f.len : 1));
	assert_int_equal(pread(fd, f.b, f.len, 0), (ssize_t)f.len);
	close(fd);
	return f;
}

static void spill(const char *dir, const char *name, const void *b, size_t len)
{
	char path[256];
	int fd;

	snprintf(path, sizeof(path), "%s/store", dir);
	mkdir(path, 0700);
	snprintf(path, sizeof(path), "%s/store/%s", dir, name);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, b, len), (ssize_t)len);
	close(fd);
}

/* Every item of every database, in order: what the store holds. */
static struct proto_buf dump(struct store *s)
{
	struct proto_buf b = { 0 };
	struct store_txn *t;
	MDB_cursor *c;
	MDB_val k, v;

	assert_int_equal(store_read_begin(s, &t), 0);
	for (int db = 0; db < STORE_DB_COUNT; db++) {
		assert_int_equal(mdb_cursor_open(t->txn, s->dbi[db], &c), 0);
		for (int op = MDB_FIRST; !mdb_cursor_get(c, &k, &v, op); op = MDB_NEXT) {
			uint32_t n[3] = { (uint32_t)db, (uint32_t)k.mv_size, (uint32_t)v.mv_size };

			assert_int_equal(proto_buf_add(&b, n, sizeof(n)), 0);
			assert_int_equal(proto_buf_add(&b, k.mv_data, k.mv_size), 0);
			assert_int_equal(proto_buf_add(&b, v.mv_data, v.mv_size), 0);
		}
		mdb_cursor_close(c);
	}
	store_read_end(t);
	return b;
}

static int same(const struct proto_buf *a, const struct proto_buf *b)
{
	return a->len == b->len && !memcmp(a->data, b->data, a->len);
}

static int op_meta(struct store_txn *t, void *arg)
{
	return store_meta_put(t, arg, "value", 5);
}

static int op_fail(struct store_txn *t, void *arg)
{
	int rc = store_meta_put(t, arg, "value", 5);

	return rc ? rc : TN_ERR_INVALID;
}

static int op_blind(struct store_txn *t, void *arg)
{
	const uint8_t *tag = arg;
	int rc = store_blind_own_add(t, tag);

	return rc < 0 ? rc : store_blind_own_del(t, tag + TN_BLIND_TAG);
}

static int op_stolen_recovered(struct store_txn *t, void *arg)
{
	struct tn_stolen st = theft("Taurus", arg), out;
	int rc = store_stolen_add(t, &st);

	if (!rc && !(rc = store_stolen_recover(t, st.id, "2024-01-01", &out)))
		proto_release(&proto_stolen_schema, &out);
	return rc;
}

/* Commit i of the run: a mix of appends, overwrites, duplicates and
 * deletes, each in its own group commit. */
static void commit_one(struct store *s, int i, uint64_t first_id)
{
	char serial[32], key[32];
	uint8_t tags[2 * TN_BLIND_TAG];
	struct event_arg e = { first_id + (uint64_t)(i % 5), event("sold", "2021-02-03", "Shop") };

	switch (i % 5) {
	case 0:
		snprintf(serial, sizeof(serial), "J-%04d", i);
		add(s, "Glock", "17", serial);
		break;
	case 1:
		assert_int_equal(store_write(s, op_event, &e), 0);
		break;
	case 2:
		snprintf(serial, sizeof(serial), "S-%04d", i);
		assert_int_equal(store_write(s, op_stolen_recovered, serial), 0);
		break;
	case 3:
		memset(tags, i, TN_BLIND_TAG);
		memset(tags + TN_BLIND_TAG, i - 3, TN_BLIND_TAG);
		assert_true(store_write(s, op_blind, tags) >= 0);
		break;
	default:
		snprintf(key, sizeof(key), "test:%d", i);
		assert_int_equal(store_write(s, op_meta, key), 0);
	}
}

/* The store in dir, opened, must hold want; and opened once more after
 * that (a clean close), still want, with nothing to replay. */
static void check_opens_as(const char *dir, const struct proto_buf *want, uint64_t replayed)
{
	struct store_journal_stats js;
	struct proto_buf got;
	struct store *s;

	assert_int_equal(store_open(&s, dir, 0, 0), 0);
	store_journal_stats(s, &js);
	assert_int_equal(js.replayed, replayed);
	got = dump(s);
	assert_true(same(&got, want));
	proto_buf_free(&got);
	store_close(s);
	assert_int_equal(store_open(&s, dir, 0, 0), 0);
	store_journal_stats(s, &js);
	assert_int_equal(js.replayed, 0);
	got = dump(s);
	assert_true(same(&got, want));
	proto_buf_free(&got);
	store_close(s);
}

/* A data file as a power loss may leave it: each page from the
 * checkpoint's flushed file or from the file now, at random, the meta
 * pages garbage. */
static struct file mixed(const struct file *ckpt, const struct file *now, size_t psize,
			 unsigned seed)
{
	struct file m = { malloc(now->len), now->len };

	assert_non_null(m.b);
	srand(seed);
	for (size_t off = 0; off < now->len; off += psize) {
		int old = off < ckpt->len && rand() % 2;

		memcpy(m.b + off, old ? ckpt->b + off : now->b + off, psize);
	}
	for (size_t i = 0; i < 2 * psize; i++)
		m.b[i] = (uint8_t)rand();
	return m;
}

/* What happens to a checkpoint halfway through the run's commits. */
enum ckpt_mode {
	NO_CHECKPOINT,
	CHECKPOINT_BEGUN,    /* in flight at the crash: LMDB not yet flushed */
	CHECKPOINT_FLUSHED,  /* its header durable, the old snapshot still held */
};

struct run {
	enum ckpt_mode mode;
	char *dir;
	struct store *s;
	struct file ckpt, data, journal;
	struct proto_buf want[COMMITS + 1];  /* the store after i commits */
	size_t psize;
};

/* A store with history, a checkpoint (its flushed data file kept), then
 * COMMITS journaled commits; the files taken as they are (the store is
 * open: its page cache is what a crash of the process would leave). */
static void run_start(struct run *r, enum ckpt_mode mode)
{
	uint64_t first;
	MDB_stat st;

	memset(r, 0, sizeof(*r));
	r->mode = mode;
	assert_non_null(r->dir = tmpdir_new("test_journal"));
	assert_int_equal(store_open(&r->s, r->dir, 0, 0), 0);
	first = add(r->s, "Colt", "M1911", "BASE-0");
	for (int i = 1; i < 5; i++) {
		char serial[32];

		snprintf(serial, sizeof(serial), "BASE-%d", i);
		add(r->s, "Colt", "M1911", serial);
	}
	assert_int_equal(store__checkpoint(r->s), 0);
	r->ckpt = slurp(r->dir, "data.mdb");
	r->want[0] = dump(r->s);
	for (int i = 0; i < COMMITS; i++) {
		if (i == COMMITS / 2 && r->mode != NO_CHECKPOINT)
			assert_int_equal(store__checkpoint_begin(r->s), 0);
		if (i == COMMITS / 2 && r->mode == CHECKPOINT_FLUSHED) {
			store__checkpoint_flush(r->s);
			free(r->ckpt.b);
			r->ckpt = slurp(r->dir, "data.mdb");  /* the disk now */
		}
		commit_one(r->s, i, first);
		r->want[i + 1] = dump(r->s);
	}
	r->data = slurp(r->dir, "data.mdb");
	r->journal = slurp(r->dir, "journal");
	assert_int_equal(mdb_env_stat(r->s->env, &st), 0);
	r->psize = st.ms_psize;
}

static void run_end(struct run *r)
{
	store_close(r->s);
	tmpdir_rm(r->dir);
	for (int i = 0; i <= COMMITS; i++)
		proto_buf_free(&r->want[i]);
	free(r->ckpt.b);
	free(r->data.b);
	free(r->journal.b);
}

/* Offset of record i of the run in the journal (block-aligned, in the
 * half of the generation they were written in). */
static size_t record_at(const struct run *r, const struct file *j, int i)
{
	size_t off = store__half_start(&r->s->j, r->s->j.gen);

	while (i--) {
		uint64_t len = store__be64_get(j->b + off + 16);

		off += (STORE_JR_HEAD + len + 8 + STORE_JR_BLOCK - 1) / STORE_JR_BLOCK * STORE_JR_BLOCK;
	}
	return off;
}

static void power_losses(enum ckpt_mode mode)
{
	struct run r;

	run_start(&r, mode);
	for (unsigned seed = 1; seed <= 12; seed++) {
		char *dir = tmpdir_new("test_journal_crash");
		struct file m = seed == 1 ? (struct file){ malloc(r.ckpt.len), r.ckpt.len } :
			seed == 2 ? (struct file){ malloc(r.data.len), r.data.len } :
			mixed(&r.ckpt, &r.data, r.psize, seed);

		/* 1: nothing written since the checkpoint reached the disk;
		 * 2: everything did; then random mixes. */
		if (seed == 1)
			memcpy(m.b, r.ckpt.b, m.len);
		if (seed == 2)
			memcpy(m.b, r.data.b, m.len);
		spill(dir, "data.mdb", m.b, m.len);
		spill(dir, "journal", r.journal.b, r.journal.len);
		check_opens_as(dir, &r.want[COMMITS],
			       mode == CHECKPOINT_FLUSHED ? COMMITS / 2 : COMMITS);
		free(m.b);
		tmpdir_rm(dir);
	}
	run_end(&r);
}

static void test_power_loss_keeps_every_acknowledged_commit(void **state)
{
	(void)state;
	power_losses(NO_CHECKPOINT);
}

/* Records after the snapshot of a checkpoint in flight go to the other
 * half of the journal: they continue the first half's. */
static void test_power_loss_with_a_checkpoint_in_flight(void **state)
{
	(void)state;
	power_losses(CHECKPOINT_BEGUN);
}

/* Its header written, the checkpoint's snapshot is where a start begins. */
static void test_power_loss_after_a_checkpoint_flushed(void **state)
{
	(void)state;
	power_losses(CHECKPOINT_FLUSHED);
}

static void test_torn_record_drops_it_and_all_after(void **state)
{
	struct run r;

	(void)state;
	run_start(&r, NO_CHECKPOINT);
	for (int cut = 0; cut < COMMITS; cut += 13) {
		char *dir = tmpdir_new("test_journal_torn");
		struct file m = mixed(&r.ckpt, &r.data, r.psize, (unsigned)cut + 100);
		struct file j = { malloc(r.journal.len), r.journal.len };

		memcpy(j.b, r.journal.b, j.len);
		j.b[record_at(&r, &j, cut) + STORE_JR_HEAD + 3] ^= 0x40;
		spill(dir, "data.mdb", m.b, m.len);
		spill(dir, "journal", j.b, j.len);
		check_opens_as(dir, &r.want[cut], (uint64_t)cut);
		free(m.b);
		free(j.b);
		tmpdir_rm(dir);
	}
	run_end(&r);
}

static void test_journal_beside_another_data_file_is_refused(void **state)
{
	char *dir = tmpdir_new("test_journal_other"), path[256];
	struct file before, after;
	struct store *s;
	struct run r;

	(void)state;
	run_start(&r, NO_CHECKPOINT);
	/* A backup of the same store, put where its data file was. */
	snprintf(path, sizeof(path), "%s/store", dir);
	assert_int_equal(mkdir(path, 0700), 0);
	assert_int_equal(store_backup(r.s, path), 0);
	before = slurp(dir, "data.mdb");
	spill(dir, "journal", r.journal.b, r.journal.len);
	assert_int_equal(store_open(&s, dir, 0, 0), TN_ERR_JOURNAL);
	after = slurp(dir, "data.mdb");
	assert_int_equal(after.len, before.len);
	assert_memory_equal(after.b, before.b, before.len);
	/* Without the journal it opens as the backup was. */
	assert_int_equal(unlink(strcat(path, "/journal")), 0);
	assert_int_equal(store_open(&s, dir, 0, 0), 0);
	store_close(s);
	free(before.b);
	free(after.b);
	tmpdir_rm(dir);
	run_end(&r);
}

/* The fixture's store files copied as a crash of the process would leave
 * them (the store stays open) open as the store holds now, replaying
 * that many commits. */
static void crash_copy_opens_as_now(struct fix *f, uint64_t replayed)
{
	struct proto_buf want = dump(f->s);
	struct file d = slurp(f->dir, "data.mdb"), j = slurp(f->dir, "journal");
	char *dir = tmpdir_new("test_journal_copy");

	spill(dir, "data.mdb", d.b, d.len);
	spill(dir, "journal", j.b, j.len);
	check_opens_as(dir, &want, replayed);
	proto_buf_free(&want);
	free(d.b);
	free(j.b);
	tmpdir_rm(dir);
}

static void test_failed_op_leaves_nothing_in_the_journal(void **state)
{
	struct fix *f = *state;
	struct store_op ops[2] = { { op_meta, "test:kept", 0 }, { op_fail, "test:undone", 0 } };

	assert_int_equal(store_apply(f->s, ops, 2), 0);
	assert_int_equal(ops[0].rc, 0);
	assert_int_equal(ops[1].rc, TN_ERR_INVALID);
	crash_copy_opens_as_now(f, 1);
}

/* An import reserves its values in LMDB and fills them after: that
 * commit is a checkpoint, and a crash right after it loses nothing. */
static void test_reserved_values_commit_as_a_checkpoint(void **state)
{
	struct fix *f = *state;
	struct store_journal_stats before, after;
	struct fix_batch *b = calloc(1, sizeof(*b));

	assert_non_null(b);
	store_journal_stats(f->s, &before);
	fix_push(b, "Glock", "17", "IMP-1");
	fix_push(b, "Glock", "19", "IMP-2");
	assert_int_equal(store_write(f->s, fix_op_bulk, b), 0);
	assert_int_equal(b->added, 2);
	store_journal_stats(f->s, &after);
	assert_int_equal(after.checkpoints, before.checkpoints + 1);
	assert_int_equal(after.records, before.records);
	crash_copy_opens_as_now(f, 0);
	fix_batch_done(b);
	free(b);
}

static const char *self_path = "/proc/self/exe";

/* The other process of the next test (a fresh exec, so that it shares
 * nothing of ours): 0 if the store in dir is refused as busy. */
static int busy_child(const char *dir)
{
	struct store *s;
	int rc = store_open(&s, dir, 0, 0);

	if (!rc)
		store_close(s);
	return rc == TN_ERR_BUSY ? 0 : 1;
}

static void test_second_process_is_refused(void **state)
{
	struct fix *f = *state;
	int status;
	pid_t pid = fork();

	assert_true(pid >= 0);
	if (pid == 0) {
		execl(self_path, self_path, "busy", f->dir, (char *)NULL);
		_exit(127);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_power_loss_keeps_every_acknowledged_commit),
		cmocka_unit_test(test_power_loss_with_a_checkpoint_in_flight),
		cmocka_unit_test(test_power_loss_after_a_checkpoint_flushed),
		cmocka_unit_test(test_torn_record_drops_it_and_all_after),
		cmocka_unit_test(test_journal_beside_another_data_file_is_refused),
#define T(fn) cmocka_unit_test_setup_teardown(fn, fix_setup, fix_teardown)
		T(test_failed_op_leaves_nothing_in_the_journal),
		T(test_reserved_values_commit_as_a_checkpoint),
		T(test_second_process_is_refused),
#undef T
	};

	if (argc == 3 && !strcmp(argv[1], "busy"))
		return busy_child(argv[2]);
	if (strchr(argv[0], '/'))
		self_path = argv[0];
	if (getenv("TEST_FILTER"))
		cmocka_set_test_filter(getenv("TEST_FILTER"));
	return cmocka_run_group_tests(tests, NULL, NULL);
}
