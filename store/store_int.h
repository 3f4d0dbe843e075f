/* SPDX-License-Identifier: Apache-2.0 */
/* Internals shared between the store/ files: the environment and
 * transaction structs, LMDB access with error translation, index keys. */
#ifndef TN_STORE_INT_H
#define TN_STORE_INT_H

#include <lmdb.h>
#include <pthread.h>
#include <stdatomic.h>
#include <sys/types.h>

#include "store.h"

/* Named databases, in the order store__db_names lists them. */
enum store__db {
	STORE_DB_FIREARMS,   /* BE id -> msgpack tn_record */
	STORE_DB_SERIAL_IDX, /* folded 0x00 make 0x00 serial -> BE record id (dupsort) */
	STORE_DB_STOLEN,     /* BE id -> msgpack tn_stolen */
	STORE_DB_STOLEN_IDX, /* as serial_idx -> BE stolen id (dupsort) */
	STORE_DB_META,       /* string -> bytes */
	STORE_DB_PEERS,
	STORE_DB_REQ_OUT,
	STORE_DB_REQ_IN,
	STORE_DB_OUTBOX,
	STORE_DB_AUDIT,
	STORE_DB_ALERTS,     /* BE id -> msgpack tn_alert */
	STORE_DB_RECEIPTS,   /* BE qid, peer name -> msgpack tn_receipt */
	STORE_DB_TREE,       /* BE order of completion -> an audit subtree's hash */
	STORE_DB_CHECKPOINTS, /* BE size -> msgpack tn_checkpoint (ours) */
	STORE_DB_WITNESS,    /* peer name -> msgpack tn_witnessed */
	STORE_DB_EVIDENCE,   /* BE id -> msgpack tn_evidence */
	STORE_DB_BLIND,      /* 0x00 tag -> refs (ours); peer tag -> 1 (a peer's set) */
	STORE_DB_COUNT
};

/* Meta keys the store keeps for itself; store_meta_put refuses them. */
#define STORE_META_PREFIX "store:"
#define STORE_META_VERSION "store:version"
#define STORE_SEQ_RECORD "store:seq:record"
#define STORE_SEQ_STOLEN "store:seq:stolen"
#define STORE_SEQ_ALERT "store:seq:alert"
#define STORE_SEQ_TRACE "store:seq:trace"
#define STORE_SEQ_TRACE_IN "store:seq:trace_in"
#define STORE_SEQ_OUTBOX "store:seq:outbox"
#define STORE_SEQ_EVIDENCE "store:seq:evidence"
#define STORE_COUNT_OPEN "store:count:stolen_open"
#define STORE_VERSION STORE_LAYOUT   /* 2: index keys carry the folded serial */

struct store_txn {
	struct store *s;
	MDB_txn *txn;
	/* Read txns keep one cursor per database across renewals, so that a
	 * lookup allocates nothing; bound and busy hold one bit per database. */
	MDB_cursor *cur[STORE_DB_COUNT];
	uint32_t bound, busy;
	unsigned rdonly : 1;
	unsigned full : 1;   /* an LMDB call returned MDB_MAP_FULL */
	/* The writer's audit head (audit.c): read once and put once per
	 * batch, not once per entry. */
	struct store__audit_head {
		uint64_t seq;               /* 0: no entry yet */
		uint8_t hash[TN_HASH_LEN];
		unsigned known : 1, dirty : 1;
	} head;
};

/* The redo journal under LMDB (journal.c). Its file: two header slots,
 * each a checkpoint's generation, LMDB meta pages and whether the store
 * was closed cleanly after it (then the data file is taken as it is,
 * whoever wrote it since), then records, in two halves: a generation's
 * records in one, the next's in the other. A record is STORE_JR_HEAD
 * bytes (generation, sequence, length, all big-endian), the redo ops,
 * their sum, padded to a block. */
#define STORE_JR_FILE "journal"
#define STORE_JR_MAGIC "tnjournl"
#define STORE_JR_FORMAT 1
#define STORE_JR_BLOCK 4096
#define STORE_JR_PSIZE_MAX 65536
#define STORE_JR_HDR_FIXED 64
#define STORE_JR_SLOT ((STORE_JR_HDR_FIXED + 2 * STORE_JR_PSIZE_MAX + 8 + STORE_JR_BLOCK - 1) / \
		       STORE_JR_BLOCK * STORE_JR_BLOCK)
#define STORE_JR_HEAD 24
#define STORE_LMDB_MAGIC 0xBEEFC0DEu

/* A redo op: kind, database, key length, value length (big-endian u32s),
 * key, value. */
enum store__jr_op { STORE_JR_PUT = 1, STORE_JR_DEL, STORE_JR_DEL_DUP };

struct store_journal {
	int fd;                   /* -1: none */
	int direct_fd;            /* the same file opened O_DIRECT, for records; -1: none */
	uint8_t *io;              /* a record copied to memory direct I/O takes */
	size_t io_cap;
	int data_fd;              /* LMDB's data file */
	size_t size, psize;
	uint64_t gen;             /* of the records written now */
	uint64_t seq;             /* records written in it */
	size_t off;               /* where the next record goes */
	uint64_t ckpt_last_pg;    /* LMDB's last page at the last checkpoint */
	MDB_txn *pin;             /* the durable checkpoint's snapshot, held */
	/* A checkpoint in flight: its snapshot held, its flush on a thread. */
	MDB_txn *pin_next;
	pthread_t thread;
	atomic_int flushed;
	int flush_rc;
	uint8_t *slot;            /* its header */
	size_t slot_len;
	off_t slot_off;
	uint64_t t0_us;
	unsigned since_kick;      /* records since LMDB's writeback was started */
	pthread_t kicker;         /* the thread starting it, if one ran */
	atomic_int kicked;        /* 1 once that thread is done */
	struct proto_buf rec;     /* this commit's record, its head first */
	struct proto_buf replay;  /* at the start: the ops to replay */
	uint64_t records, checkpoints, replayed;
	uint64_t checkpoint_us_sum, checkpoint_us_max;
	unsigned active : 1;      /* commits go through the journal */
	unsigned whole : 1;       /* this commit must be a checkpoint */
	unsigned broken : 1;      /* a commit could not be made durable */
	unsigned closing : 1;     /* the last checkpoint: the data file is whole */
	unsigned inflight : 1;    /* a checkpoint is in flight */
};

static inline size_t store__block_up(size_t n)
{
	return (n + STORE_JR_BLOCK - 1) / STORE_JR_BLOCK * STORE_JR_BLOCK;
}

/* Records of generation gen go in one half of the journal, the next
 * generation's in the other. */
static inline size_t store__half(const struct store_journal *j)
{
	return (j->size - 2 * STORE_JR_SLOT) / 2 / STORE_JR_BLOCK * STORE_JR_BLOCK;
}

static inline size_t store__half_start(const struct store_journal *j, uint64_t gen)
{
	return 2 * STORE_JR_SLOT + (gen & 1) * store__half(j);
}

static inline size_t store__half_end(const struct store_journal *j, uint64_t gen)
{
	return store__half_start(j, gen) + store__half(j);
}

struct store {
	MDB_env *env;
	struct store_journal j;
	MDB_dbi dbi[STORE_DB_COUNT];
	size_t map_max;
	struct store_txn w;       /* the single writer's transaction */
	struct proto_buf enc;     /* the writer's encoding scratch */
	_Atomic(struct store_txn *) spare; /* a reset read txn, for reuse */
	atomic_int readers;       /* read txns open in this process */
	/* Held while a read txn starts (and counts itself) and while the map
	 * is remapped: a reader on another thread (stats) never starts in
	 * the middle of a remap, and a remap never starts under a reader. */
	pthread_mutex_t remap_lock;
};

/* Index key: folded serial (match_fold_serial), 0x00, normalized make,
 * 0x00, normalized serial (no trailing NUL). */
struct store__key {
	size_t len;
	size_t plen;  /* of the folded serial and its 0x00 */
	int exact;    /* a make was given; otherwise the key is a prefix */
	uint8_t b[STORE_KEY_MAX];
	char serial[TN_SERIAL_LEN];  /* normalized */
	size_t slen;
};

/* The three parts of an index key, pointing into it. */
struct store__key_parts {
	const char *fold, *make, *serial;
	size_t flen, mlen, slen;
};

typedef int (*store__id_fn)(struct store_txn *t, uint64_t id, void *arg);

/* err.c */
/* An LMDB return code as a TN_ERR_* code. */
int store__err(int mdb_rc);
/* store__err, and flag t when the map is full so that store_apply grows it. */
int store__rc(struct store_txn *t, int mdb_rc);
/* errno after a failed system call, as TN_ERR_DISK_FULL or TN_ERR_IO. */
int store__errno(void);

/* env.c */
int store__env_open(struct store *s, const char *path, size_t map_size);
void store__env_close(struct store *s);
int store__begin(struct store *s, MDB_txn *parent, unsigned flags, MDB_txn **out);
int store__grow(struct store *s);

/* journal.c */
uint64_t store__sum(const void *data, size_t n, uint64_t seed);
int store__pwrite(int fd, const void *p, size_t n, off_t off);
int store__pread(int fd, void *p, size_t n, off_t off);
const uint8_t *store__meta_current(const uint8_t *metas, size_t psize);
int store__root_sum(int fd, size_t psize, const uint8_t *meta, uint8_t *scratch, uint64_t *out);
void store__journal_op(struct store_txn *t, enum store__jr_op op, enum store__db db,
		       const MDB_val *k, const MDB_val *v);
void store__journal_unrecorded(struct store *s);
size_t store__journal_mark(struct store *s);
void store__journal_rewind(struct store *s, size_t mark);
void store__journal_reset(struct store *s);
int store__journal_commit(struct store *s);
int store__meta_check(struct store *s, const uint8_t *metas);

/* journal_ckpt.c */
int store__checkpoint(struct store *s);
int store__checkpoint_begin(struct store *s);
void store__checkpoint_flush(struct store *s);
int store__checkpoint_finish(struct store *s);
int store__checkpoint_maybe(struct store *s);
void store__checkpoint_poll(struct store *s);
/* Wait for the thread that starts LMDB's writeback, if one runs. */
void store__kick_join(struct store_journal *j);
int store__journal_make_room(struct store *s);

/* journal_open.c */
int store__journal_open(struct store *s, const char *dir, size_t map_size);
int store__journal_start(struct store *s);
void store__journal_close(struct store *s);

/* kv.c */
int store__get(struct store_txn *t, enum store__db db, MDB_val *k, MDB_val *v);
int store__put(struct store_txn *t, enum store__db db, MDB_val *k, MDB_val *v, unsigned flags);
/* mdb_del, recorded in the journal; v only for a duplicate's value. */
int store__del(struct store_txn *t, enum store__db db, MDB_val *k, MDB_val *v);
/* Delete the item c is on, recorded in the journal. */
int store__cursor_del(struct store_txn *t, enum store__db db, MDB_cursor *c);
int store__cursor_put(struct store_txn *t, enum store__db db, MDB_cursor *c, MDB_val *k,
		      MDB_val *v, unsigned flags);
int store__cursor(struct store_txn *t, enum store__db db, MDB_cursor **out);
void store__cursor_done(struct store_txn *t, enum store__db db, MDB_cursor *c);
int store__obj_get(struct store_txn *t, enum store__db db, uint64_t id,
		   const struct proto_schema *sch, void *obj);
int store__obj_decode(const struct proto_schema *sch, const MDB_val *v, void *obj);
int store__obj_put(struct store_txn *t, enum store__db db, uint64_t id,
		   const struct proto_schema *sch, const void *obj, unsigned flags);
/* k names the peer called name (an ISO alpha-3 code; TN_ERR_INVALID if not). */
int store__name_key(const char *name, MDB_val *k);
/* obj encoded with sch (in the writer's scratch), put under key k. */
int store__val_put(struct store_txn *t, enum store__db db, MDB_val *k,
		   const struct proto_schema *sch, const void *obj, unsigned flags);
void store__cursors_close(struct store_txn *t);

/* index.c */
int store__key_make(struct store__key *k, const char *make, const char *serial);
/* Split an index key; TN_ERR_STORE when it is not one. */
int store__key_split(const MDB_val *key, struct store__key_parts *out);
int store__key_put(struct store_txn *t, enum store__db db, const struct store__key *k, uint64_t id);
int store__key_walk(struct store_txn *t, enum store__db db, const struct store__key *k,
		    store__id_fn fn, void *arg);

/* migrate.c */
/* Bring a store of layout *version up to STORE_VERSION (updating it);
 * a version this code does not know is left for the caller to refuse. */
int store__migrate(struct store_txn *t, uint64_t *version);
/* Put the audit head the batch moved, before its commit. */
int store__audit_head_flush(struct store_txn *t);

/* record.c */
/* Models compare case-insensitively on letters and digits only. */
int store__same_model(const char *a, const char *b);
/* TN_ERR_EXISTS when record id (from serial_idx) has the model arg. */
int store__refuse_same_model(struct store_txn *t, uint64_t id, void *arg);

/* meta.c */
int store__u64_get(struct store_txn *t, const char *key, uint64_t *v);
int store__u64_put(struct store_txn *t, const char *key, uint64_t v);
int store__next_id(struct store_txn *t, const char *seq, uint64_t *id);
int store__count_add(struct store_txn *t, const char *key, int delta);

static inline void store__be64_put(uint8_t *p, uint64_t v)
{
	for (int i = 7; i >= 0; i--, v >>= 8)
		p[i] = (uint8_t)v;
}

static inline uint64_t store__be64_get(const uint8_t *p)
{
	uint64_t v = 0;

	for (int i = 0; i < 8; i++)
		v = v << 8 | p[i];
	return v;
}

#endif
