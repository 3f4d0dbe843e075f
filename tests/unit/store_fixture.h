/* SPDX-License-Identifier: Apache-2.0 */
/* The fixture of the store/ unit tests: a store in a fresh directory per
 * test, and short ways to build, add, find and count what it holds. */
#ifndef TN_TESTS_STORE_FIXTURE_H
#define TN_TESTS_STORE_FIXTURE_H

#include <stddef.h>
#include <stdint.h>

#include "../../store/store.h"

#define KIB ((size_t)1 << 10)
#define MIB ((size_t)1 << 20)
#define GIB ((size_t)1 << 30)

struct fix {
	char *dir;
	struct store *s;
};

/* What a find callback saw. */
struct seen {
	int n;
	uint64_t ids[16];
	char models[16][TN_MODEL_LEN];
	char makes[16][TN_MAKE_LEN];
};

/* Test setup: *state becomes a struct fix with a new store open. */
int fix_setup(void **state);

/* Test teardown: close the store and remove its directory. */
int fix_teardown(void **state);

/* Close the store and open it again with the given map sizes. */
void reopen(struct fix *f, size_t map, size_t max);

/* Start again on an empty store opened with the given map sizes (reopen
 * would keep the bigger map the first open made). */
void fresh(struct fix *f, size_t map, size_t max);

/* A valid record, stolen report and event with the given fields. */
struct tn_record rec(const char *make, const char *model, const char *serial);
struct tn_stolen theft(const char *make, const char *serial);
struct tn_event event(const char *kind, const char *date, const char *party);

/* store_write ops: arg is a struct tn_record, a struct tn_stolen. */
int op_record(struct store_txn *t, void *arg);
int op_stolen(struct store_txn *t, void *arg);

struct event_arg {
	uint64_t id;
	struct tn_event e;
};

/* store_write op: add a->e to record a->id. */
int op_event(struct store_txn *t, void *arg);

struct recover_arg {
	uint64_t id;
	const char *date;
	struct tn_stolen out;
};

/* store_write op: mark report a->id recovered on a->date. */
int op_recover(struct store_txn *t, void *arg);

/* Add a record or a stolen report in a batch of its own; its new id. */
uint64_t add(struct store *s, const char *make, const char *model, const char *serial);
uint64_t add_stolen(struct store *s, const char *make, const char *serial);

/* Find callbacks that note what they saw in a struct seen. */
int note_record(void *arg, const struct tn_record *r);
int note_stolen(void *arg, const struct tn_stolen *st);

/* Matches of find for make/serial, recorded in z; returns find's result. */
int find(struct store *s, const char *make, const char *serial, struct seen *z);
int find_stolen(struct store *s, const char *make, const char *serial, struct seen *z);

/* A bulk add (store_record_add_encoded) of a few rows. */
#define FIX_ROWS_MAX 8

struct fix_batch {
	struct store_rec_enc rows[FIX_ROWS_MAX];
	struct proto_buf enc[FIX_ROWS_MAX];
	uint32_t n;
	int added;                /* what store_record_add_encoded returned */
};

/* Append a row as the import path makes it (encoded, its key set). */
void fix_push(struct fix_batch *b, const char *make, const char *model, const char *serial);
/* store_write op: add the rows of a struct fix_batch. */
int fix_op_bulk(struct store_txn *t, void *arg);
/* Free the rows' encodings. */
void fix_batch_done(struct fix_batch *b);

/* The store's counters, read in a snapshot of their own. */
struct store_stats stats(struct store *s);

/* Add n records with serials prefix-<first..first+n-1> in one batch, per_op
 * records to an op (LMDB allocates ~3 MiB per nested txn, which sanitizers
 * make slow). No asserts: a forked child runs it too. Returns store_apply's
 * result, or -100 when the ops' results do not agree with it. */
int apply_records(struct store *s, const char *prefix, int first, int n, int per_op);

#endif
