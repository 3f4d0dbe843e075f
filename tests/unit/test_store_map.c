/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests of store/ map size and files: growth from a tiny map, its
 * limit, reopening, damaged values. (A second process cannot open a
 * store that is open: test_store_journal.) */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <pthread.h>
#include <unistd.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "store_fixture.h"

static void test_map_grows_from_a_tiny_map_to_hold_50k_records(void **state)
{
	struct fix *f = *state;
	struct store_stats st;
	struct store_txn *t;
	struct tn_record r;
	char serial[TN_SERIAL_LEN];
	struct seen z;

	fresh(f, 256 * KIB, 4 * GIB);
	assert_int_equal(stats(f->s).map_size, 256 * KIB);
	for (int i = 0; i < 50000; i += 5000)
		assert_int_equal(apply_records(f->s, "G", i, 5000, 100), 0);
	st = stats(f->s);
	assert_int_equal(st.records, 50000);
	assert_true(st.map_size > 256 * KIB);
	assert_true(st.map_used <= st.map_size);

	assert_int_equal(store_read_begin(f->s, &t), 0);
	for (uint64_t id = 1; id <= 50000; id++) {
		assert_int_equal(store_record_get(t, id, &r), 0);
		snprintf(serial, sizeof(serial), "G-%07d", (int)id - 1);
		assert_string_equal(r.serial, serial);
		proto_release(&proto_record_schema, &r);
	}
	store_read_end(t);
	assert_int_equal(find(f->s, "Beretta", "g0049999", &z), 1);
	assert_int_equal(z.ids[0], 50000);

	/* reopening with the tiny size keeps the grown map */
	reopen(f, 256 * KIB, 4 * GIB);
	assert_int_equal(stats(f->s).map_size, st.map_size);
}

static void test_map_max_gives_map_full_and_keeps_committed_data(void **state)
{
	struct fix *f = *state;
	struct store_txn *t;
	struct tn_record r;
	struct seen z;
	int committed = 0, rc = 0;

	fresh(f, 256 * KIB, 1 * MIB);
	while (committed < 100000 && (rc = apply_records(f->s, "M", committed, 500, 10)) == 0)
		committed += 500;
	assert_int_equal(rc, TN_ERR_MAP_FULL);
	assert_true(committed > 0);
	assert_int_equal(stats(f->s).map_size, 1 * MIB);
	assert_int_equal(stats(f->s).records, (uint64_t)committed);

	assert_int_equal(store_read_begin(f->s, &t), 0);
	assert_int_equal(store_record_get(t, 1, &r), 0);
	assert_string_equal(r.serial, "M-0000000");
	proto_release(&proto_record_schema, &r);
	assert_int_equal(store_record_get(t, (uint64_t)committed + 1, &r), TN_ERR_NOT_FOUND);
	store_read_end(t);
	assert_int_equal(find(f->s, "Beretta", "M-0000000", &z), 1);

	/* a bigger limit lets writing go on, ids continuing */
	reopen(f, 256 * KIB, 8 * MIB);
	assert_int_equal(apply_records(f->s, "M", committed, 500, 10), 0);
	assert_int_equal(find(f->s, NULL, "M0000000", &z), 1);
	assert_int_equal(add(f->s, "Glock", "17", "AFTER"), (uint64_t)committed + 501);
}

/* A read snapshot on another thread (as the stats walk holds one). */
struct reader {
	struct store *s;
	pthread_mutex_t m;
	pthread_cond_t c;
	int open, ended;
};

static void *read_a_while(void *arg)
{
	struct reader *r = arg;
	struct store_txn *t;

	if (store_read_begin(r->s, &t))
		return NULL;
	pthread_mutex_lock(&r->m);
	r->open = 1;
	pthread_cond_signal(&r->c);
	pthread_mutex_unlock(&r->m);
	usleep(200 * 1000);
	pthread_mutex_lock(&r->m);
	r->ended = 1;
	pthread_mutex_unlock(&r->m);
	store_read_end(t);
	return NULL;
}

/* The map cannot grow under a snapshot: the writer waits for it to end,
 * then grows and commits, rather than failing the batch. */
static void test_growth_waits_until_read_snapshots_end(void **state)
{
	struct fix *f = *state;
	struct reader r = { .m = PTHREAD_MUTEX_INITIALIZER, .c = PTHREAD_COND_INITIALIZER };
	pthread_t th;
	int ended;

	fresh(f, 256 * KIB, 64 * MIB);
	r.s = f->s;
	assert_int_equal(pthread_create(&th, NULL, read_a_while, &r), 0);
	pthread_mutex_lock(&r.m);
	while (!r.open)
		pthread_cond_wait(&r.c, &r.m);
	pthread_mutex_unlock(&r.m);
	assert_int_equal(apply_records(f->s, "W", 0, 3000, 50), 0);
	pthread_mutex_lock(&r.m);
	ended = r.ended;
	pthread_mutex_unlock(&r.m);
	assert_true(ended);                 /* it grew only once the reader was gone */
	pthread_join(th, NULL);
	assert_int_equal(stats(f->s).records, 3000);
}

static void test_reopen_keeps_data_and_sequences(void **state)
{
	struct fix *f = *state;
	struct seen z;

	assert_int_equal(add(f->s, "Glock", "17", "RO1"), 1);
	assert_int_equal(add(f->s, "Glock", "17", "RO2"), 2);
	assert_int_equal(add_stolen(f->s, "Glock", "RO1"), 1);
	reopen(f, 0, 0);
	assert_int_equal(find(f->s, "Glock", "RO2", &z), 1);
	assert_int_equal(find_stolen(f->s, "Glock", "RO1", &z), 1);
	assert_int_equal(add(f->s, "Glock", "17", "RO3"), 3);
	assert_int_equal(add_stolen(f->s, "Glock", "RO3"), 2);
	assert_int_equal(stats(f->s).stolen_open, 2);
}

/* Overwrite, in the data file, the msgpack header of each copy of the
 * string "CORRUPTME1" (fixstr of 10: 0xaa) with 0xc1, a byte msgpack never
 * uses. LMDB has no checksums, so the damage reads back as it is. */
static int damage(const char *dir)
{
	char path[128];
	struct stat st;
	uint8_t *p;
	int fd, hits = 0;

	snprintf(path, sizeof(path), "%s/store/data.mdb", dir);
	if ((fd = open(path, O_RDWR)) < 0 || fstat(fd, &st))
		return -1;
	p = mmap(NULL, (size_t)st.st_size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	close(fd);
	if (p == MAP_FAILED)
		return -1;
	for (off_t i = 1; i + 10 <= st.st_size; i++) {
		if (p[i - 1] == 0xaa && !memcmp(p + i, "CORRUPTME1", 10)) {
			p[i - 1] = 0xc1;
			hits++;
		}
	}
	munmap(p, (size_t)st.st_size);
	return hits;
}

static void test_damaged_value_reads_as_store_error(void **state)
{
	struct fix *f = *state;
	struct event_arg a = { 0, event("sold", "2020-01-01", "") };
	struct store_txn *t;
	struct tn_record r;
	struct seen z = { 0 };

	a.id = add(f->s, "Glock", "CORRUPTME1", "DMG1");
	add(f->s, "Glock", "17", "DMG2");
	store_close(f->s);
	f->s = NULL;
	assert_true(damage(f->dir) >= 1);
	reopen(f, 0, 0);

	assert_int_equal(store_read_begin(f->s, &t), 0);
	assert_int_equal(store_record_get(t, a.id, &r), TN_ERR_STORE);
	assert_int_equal(store_record_find(t, "Glock", "DMG1", note_record, &z), TN_ERR_STORE);
	assert_int_equal(store_record_get(t, a.id + 1, &r), 0);
	proto_release(&proto_record_schema, &r);
	store_read_end(t);
	assert_int_equal(store_write(f->s, op_event, &a), TN_ERR_STORE);
	assert_int_equal(find(f->s, "Glock", "DMG2", &z), 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(fn) cmocka_unit_test_setup_teardown(fn, fix_setup, fix_teardown)
		T(test_map_grows_from_a_tiny_map_to_hold_50k_records),
		T(test_map_max_gives_map_full_and_keeps_committed_data),
		T(test_growth_waits_until_read_snapshots_end),
		T(test_reopen_keeps_data_and_sequences),
		T(test_damaged_value_reads_as_store_error),
#undef T
	};

	if (getenv("TEST_FILTER"))
		cmocka_set_test_filter(getenv("TEST_FILTER"));
	return cmocka_run_group_tests(tests, NULL, NULL);
}
