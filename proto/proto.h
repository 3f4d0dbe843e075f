/* SPDX-License-Identifier: Apache-2.0 */
/* proto: the project's error list, byte buffers, framing, the schema-driven
 * msgpack codec, message structs, serial normalization and CSV parsing.
 * Pure: no sockets, no files, no clock. Only this module includes msgpack. */
#ifndef TN_PROTO_H
#define TN_PROTO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define TN_WUR __attribute__((warn_unused_result))

/* ---- errors: 0 ok, negative error, positive count ---- */

#define TN_ERRORS(X)                                                        \
	X(NOMEM, -1, "out of memory")                                       \
	X(IO, -2, "input/output error")                                     \
	X(FRAME, -3, "malformed frame")                                     \
	X(TOO_BIG, -4, "frame or value too big")                            \
	X(DECODE, -5, "malformed msgpack")                                  \
	X(FIELD, -6, "missing or ill-typed field")                          \
	X(INVALID, -7, "invalid value")                                     \
	X(NOT_FOUND, -8, "not found")                                       \
	X(EXISTS, -9, "already exists")                                     \
	X(MAP_FULL, -10, "store is full")                                   \
	X(STORE, -11, "store error")                                        \
	X(CRYPTO, -12, "cryptographic failure")                             \
	X(BAD_SIG, -13, "bad signature")                                    \
	X(UNKNOWN_PEER, -14, "unknown peer")                                \
	X(REPLAY, -15, "replayed message")                                  \
	X(STALE, -16, "timestamp outside the accepted window")              \
	X(AGAIN, -17, "try again")                                          \
	X(PERM, -18, "unsafe file permissions")                             \
	X(TLS, -19, "TLS failure")                                          \
	X(CLOSED, -20, "connection closed")                                 \
	X(UNKNOWN_CMD, -21, "unknown command")                              \
	X(BAD_BOX, -22, "envelope does not open")                           \
	X(LIMIT, -23, "limit reached")                                      \
	X(CONFIG, -24, "bad configuration")                                 \
	X(UNSUPPORTED, -25, "unsupported type or version")                  \
	X(NOT_FOR_ME, -26, "message addressed to another node")             \
	X(TIMEOUT, -27, "timed out")                                        \
	X(DISK_FULL, -28, "disk full")

enum tn_err {
	TN_OK = 0,
#define TN_ERR_ENUM(name, val, msg) TN_ERR_##name = (val),
	TN_ERRORS(TN_ERR_ENUM)
#undef TN_ERR_ENUM
};

/* Human text for a TN_ERR_* code. */
const char *tn_strerror(int err);

/* ---- growable byte buffer ---- */

struct proto_buf {
	uint8_t *data;
	size_t len, cap;
};

/* Append n bytes; TN_ERR_NOMEM on failure. */
int proto_buf_add(struct proto_buf *b, const void *p, size_t n);
/* Make room for n more bytes. */
int proto_buf_reserve(struct proto_buf *b, size_t n);
/* Drop the first n bytes. */
void proto_buf_consume(struct proto_buf *b, size_t n);
/* Room for one more item of size bytes in the array *items, which holds n
 * of *cap; the capacity doubles from 16. TN_ERR_NOMEM leaves it as it was. */
int proto_grow(void **items, uint32_t n, uint32_t *cap, size_t size) TN_WUR;
/* Free the buffer's memory (wiping nothing). */
void proto_buf_free(struct proto_buf *b);

/* ---- framing: 4-byte big-endian length, then one msgpack value ---- */

#define PROTO_FRAME_MAX_DEFAULT (1u << 20)
#define PROTO_CONSOLE_FRAME_MAX (16u << 20)

struct proto_framer {
	struct proto_buf in;
	size_t off;      /* start of unread data in in.data */
	size_t max;      /* largest accepted frame body */
};

/* Set up a decoder that refuses frames larger than max. */
void proto_framer_init(struct proto_framer *f, size_t max);
/* Release the decoder's buffer. */
void proto_framer_free(struct proto_framer *f);
/* Append received bytes; fails with TN_ERR_TOO_BIG as soon as a header
 * announces a frame above the maximum. */
int proto_framer_feed(struct proto_framer *f, const void *data, size_t n) TN_WUR;
/* Take the next complete frame: 1 with body and len set (valid until the next
 * feed), 0 when more bytes are needed, negative on a bad frame. */
int proto_framer_next(struct proto_framer *f, const uint8_t **body, size_t *len) TN_WUR;
/* Append a frame header and body to out. */
int proto_frame_write(struct proto_buf *out, const void *body, size_t len);

/* ---- schema-driven msgpack codec ---- */

enum proto_ftype {
	PF_STR,   /* char[size], NUL-terminated; longer input is refused */
	PF_U64,   /* uint64_t */
	PF_I64,   /* int64_t */
	PF_BOOL,  /* bool */
	PF_BIN,   /* uint8_t[size], exact length */
	PF_ARR,   /* pointer to array of sub (calloc'd), count in uint32_t at cnt_off */
	PF_OBJ,   /* embedded struct of schema sub */
	PF_U32,   /* uint32_t */
	PF_BLOB,  /* uint8_t * (malloc'd) with uint32_t length at cnt_off, at most max */
};

#define PF_REQ 1 /* field must be present */

struct proto_schema;

struct proto_field {
	const char *key;
	uint8_t type;
	uint8_t flags;
	uint32_t off;
	uint32_t size;
	uint32_t cnt_off;
	uint32_t max;
	const struct proto_schema *sub;
};

struct proto_schema {
	const char *name;
	const struct proto_field *fields;
	uint32_t n;
	uint32_t size;
};

/* Field table entries; the member name is the wire key. */
#define PROTO_MEMBER_SIZE(t, m) ((uint32_t)sizeof(((t *)0)->m))
#define PF_STR_OF(t, m, fl) { #m, PF_STR, fl, offsetof(t, m), PROTO_MEMBER_SIZE(t, m), 0, 0, NULL }
#define PF_U64_OF(t, m, fl) { #m, PF_U64, fl, offsetof(t, m), 8, 0, 0, NULL }
#define PF_U32_OF(t, m, fl) { #m, PF_U32, fl, offsetof(t, m), 4, 0, 0, NULL }
#define PF_I64_OF(t, m, fl) { #m, PF_I64, fl, offsetof(t, m), 8, 0, 0, NULL }
#define PF_BOOL_OF(t, m, fl) { #m, PF_BOOL, fl, offsetof(t, m), 1, 0, 0, NULL }
#define PF_BIN_OF(t, m, fl) { #m, PF_BIN, fl, offsetof(t, m), PROTO_MEMBER_SIZE(t, m), 0, 0, NULL }
#define PF_OBJ_OF(t, m, fl, sch) { #m, PF_OBJ, fl, offsetof(t, m), PROTO_MEMBER_SIZE(t, m), 0, 0, &(sch) }
#define PF_BLOB_OF(t, m, cnt, maxn, fl) \
	{ #m, PF_BLOB, fl, offsetof(t, m), sizeof(void *), offsetof(t, cnt), maxn, NULL }
#define PF_ARR_OF(t, m, cnt, maxn, fl, sch) \
	{ #m, PF_ARR, fl, offsetof(t, m), sizeof(void *), offsetof(t, cnt), maxn, &(sch) }
#define PROTO_SCHEMA(t, fields) \
	{ #t, fields, sizeof(fields) / sizeof((fields)[0]), sizeof(t) }

/* A parsed msgpack value (opaque), from which structs are decoded. */
struct proto_msg;

/* Parse one msgpack map; the result owns a copy of nothing but references
 * buf, which must outlive it. */
int proto_msg_parse(struct proto_msg **out, const void *buf, size_t len) TN_WUR;
/* Free a parsed message. */
void proto_msg_free(struct proto_msg *m);
/* Copy the string under key into out (cap bytes); TN_ERR_FIELD if absent. */
int proto_msg_str(const struct proto_msg *m, const char *key, char *out, size_t cap) TN_WUR;
/* Read an integer under key. */
int proto_msg_i64(const struct proto_msg *m, const char *key, int64_t *out) TN_WUR;
/* Read a bool under key. */
int proto_msg_bool(const struct proto_msg *m, const char *key, int *out) TN_WUR;
/* Decode the whole message (key NULL) or the map under key into obj. */
int proto_msg_decode(struct proto_msg *m, const char *key,
		     const struct proto_schema *s, void *obj) TN_WUR;
/* Explain the last decode failure ("field 'serial': too long"). */
const char *proto_msg_error(const struct proto_msg *m);
/* Write the value under key (or the whole message) as JSON to f; with f
 * NULL only say whether key is there (TN_ERR_FIELD if not). */
int proto_msg_json(const struct proto_msg *m, const char *key, FILE *f);

/* Decode a buffer directly; on failure *why (if not NULL) names the field. */
int proto_decode(const struct proto_schema *s, const void *buf, size_t len,
		 void *obj, char *why, size_t why_len) TN_WUR;
/* Append obj as a msgpack map. */
int proto_encode(const struct proto_schema *s, const void *obj, struct proto_buf *out);
/* 0 if every string field of obj (nested ones too) is valid UTF-8 without
 * NUL bytes, as the decoder demands; else why names the field. */
int proto_check_strings(const struct proto_schema *s, const void *obj, char *why,
			size_t why_len) TN_WUR;
/* Deep copy of src into dst through the codec (release dst after). */
int proto_copy(const struct proto_schema *s, void *dst, const void *src) TN_WUR;
/* Free what decode allocated inside obj (arrays), leaving obj zeroed. */
void proto_release(const struct proto_schema *s, void *obj);

/* Writers for composite messages: a map of n pairs built key by key. */
struct proto_writer;
/* Start a writer appending to out. */
struct proto_writer *proto_writer_new(struct proto_buf *out);
/* Free a writer (the buffer stays). */
void proto_writer_free(struct proto_writer *w);
/* Open a map of n entries. */
int proto_w_map(struct proto_writer *w, uint32_t n);
/* Open an array of n entries. */
int proto_w_array(struct proto_writer *w, uint32_t n);
/* Write a string. */
int proto_w_str(struct proto_writer *w, const char *s);
/* Write an integer. */
int proto_w_i64(struct proto_writer *w, int64_t v);
/* Write a bool. */
int proto_w_bool(struct proto_writer *w, int v);
/* Write binary data. */
int proto_w_bin(struct proto_writer *w, const void *p, size_t n);
/* Write a schema object as a map. */
int proto_w_obj(struct proto_writer *w, const struct proto_schema *s, const void *obj);
/* Write nil. */
int proto_w_nil(struct proto_writer *w);

/* ---- firearm records and lost/stolen reports ---- */

#define TN_NAME_LEN 4 /* ISO 3166-1 alpha-3 + NUL */
#define TN_DATE_LEN 11 /* YYYY-MM-DD + NUL */
#define TN_MAKE_LEN 64
#define TN_MODEL_LEN 64
#define TN_CALIBER_LEN 32
#define TN_TYPE_LEN 24
#define TN_SERIAL_LEN 48
#define TN_PARTY_LEN 96
#define TN_PLACE_LEN 96
#define TN_REF_LEN 64
#define TN_KIND_LEN 16
#define TN_TEXT_LEN 256
#define TN_EVENTS_MAX 1024
#define TN_BATCH_MAX 20000

enum tn_event_kind {
	TN_EV_MANUFACTURED,
	TN_EV_IMPORTED,
	TN_EV_SOLD,
	TN_EV_TRANSFERRED,
	TN_EV_EXPORTED,
	TN_EV_DESTROYED,
	TN_EV_STOLEN,
	TN_EV_LOST,
	TN_EV_RECOVERED,
	TN_EV_COUNT
};

struct tn_event {
	char kind[TN_KIND_LEN];     /* one of proto_event_kinds */
	char date[TN_DATE_LEN];
	char party[TN_PARTY_LEN];   /* licensed dealer, importer or owner reference */
	char place[TN_PLACE_LEN];
	char country[TN_NAME_LEN];  /* exported: destination; imported: origin */
	char ref[TN_REF_LEN];       /* licence, permit or document reference */
};

struct tn_record {
	uint64_t id;
	char make[TN_MAKE_LEN];
	char model[TN_MODEL_LEN];
	char caliber[TN_CALIBER_LEN];
	char type[TN_TYPE_LEN];
	char serial[TN_SERIAL_LEN];
	char country[TN_NAME_LEN];  /* country of manufacture */
	char importer[TN_PARTY_LEN];
	uint32_t n_events;
	struct tn_event *events;
};

struct tn_stolen {
	uint64_t id;
	char kind[TN_KIND_LEN];     /* stolen | lost */
	char make[TN_MAKE_LEN];
	char model[TN_MODEL_LEN];
	char caliber[TN_CALIBER_LEN];
	char serial[TN_SERIAL_LEN];
	char date[TN_DATE_LEN];
	char place[TN_PLACE_LEN];
	char agency[TN_PARTY_LEN];
	char case_ref[TN_REF_LEN];
	char status[TN_KIND_LEN];   /* open | recovered */
	char recovered_on[TN_DATE_LEN];
};

extern const struct proto_schema proto_event_schema;
extern const struct proto_schema proto_record_schema;
extern const struct proto_schema proto_stolen_schema;

/* Name of an event kind, or NULL. */
const char *proto_event_name(int kind);
/* Event kind of a name, or TN_ERR_INVALID. */
int proto_event_kind(const char *name);
/* Check a record's fields and events; on failure write a reason to why. */
int proto_record_check(const struct tn_record *r, char *why, size_t why_len) TN_WUR;
/* Check an event. */
int proto_event_check(const struct tn_event *e, char *why, size_t why_len) TN_WUR;
/* Check a stolen/lost report. */
int proto_stolen_check(const struct tn_stolen *s, char *why, size_t why_len) TN_WUR;
/* 0 if s is a real calendar date written YYYY-MM-DD. */
int proto_date_check(const char *s) TN_WUR;
/* 0 if s is three upper-case letters. */
int proto_country_check(const char *s) TN_WUR;
/* Days from a to b (YYYY-MM-DD), or INT32_MIN when either is not a date. */
int32_t proto_date_diff(const char *a, const char *b);

/* ---- peer link frames: {t: "hello" | "ping" | "pong" | "env", m: {...}} ---- */

#define TN_PROTO_VERSION 1
#define TN_SUITE_BOX_ED25519 1
#define TN_ID_LEN 16
#define TN_NONCE_LEN 24
#define TN_HASH_LEN 32
#define TN_SIG_LEN 64
#define TN_KEY_LEN 32

struct tn_hello {
	char name[TN_NAME_LEN];
	uint32_t version;
	char suites[32];          /* accepted suites, comma-separated: "1" */
	char features[64];        /* comma-separated feature names */
};

struct tn_ping {
	uint64_t seq;
};

/* The envelope: a routing header readable by relays, and a sealed body. */
struct tn_envelope {
	uint32_t v;
	uint32_t suite;
	char type[TN_KIND_LEN];
	char from[TN_NAME_LEN];
	char to[TN_NAME_LEN];
	uint8_t id[TN_ID_LEN];
	uint64_t ts;              /* ms since the epoch */
	uint32_t ttl;             /* hops left; not authenticated, relays lower it */
	uint8_t nonce[TN_NONCE_LEN];
	uint32_t n_body;
	uint8_t *body;
};

/* What the box holds: the hash of the authenticated header, the message,
 * and for messages with legal weight the sender's signature over
 * hash || message. */
struct tn_sealed {
	uint8_t h[TN_HASH_LEN];
	uint32_t n_m;
	uint8_t *m;
	uint32_t n_s;
	uint8_t *s;
};

/* A pinned peer, as the store keeps it, with what it may ask of us. */
struct tn_peer {
	char name[TN_NAME_LEN];
	uint8_t pk[TN_KEY_LEN];
	char addr[64];
	uint64_t added_ms;
	char traces[8];           /* auto | review | deny; empty means review */
	char stolen[8];           /* allow | deny; empty means allow */
	uint32_t daily_limit;     /* trace requests a day; 0 means 1000 */
	char disclose[64];        /* party,place,ref (empty means all) or none */
};

/* Console: peer.policy. */
struct tn_policy_arg {
	char name[TN_NAME_LEN];
	char traces[8];
	char stolen[8];
	uint32_t daily_limit;
	char disclose[64];
};

extern const struct proto_schema proto_peer_schema;
extern const struct proto_schema proto_policy_arg_schema;
extern const struct proto_schema proto_hello_schema;
extern const struct proto_schema proto_ping_schema;
extern const struct proto_schema proto_envelope_schema;
extern const struct proto_schema proto_env_header_schema; /* the authenticated part */
extern const struct proto_schema proto_sealed_schema;

/* The frame type under "t" in a link frame, or TN_ERR_FIELD. */
int proto_frame_type(const struct proto_msg *m, char *out, size_t cap) TN_WUR;

/* ---- console messages ----
 * Request: a map {cmd: "record.add", args: {...the command's fields}}. Reply:
 * {ok: true, data: {...}} or {ok: false, code: TN_ERR_*, error: "text"}. */

#define TN_CMD_LEN 32

struct tn_id_arg {
	uint64_t id;
	char date[TN_DATE_LEN];
	char reason[TN_TEXT_LEN];
};

struct tn_find_arg {
	char make[TN_MAKE_LEN];
	char serial[TN_SERIAL_LEN];
	bool all;
};

struct tn_event_arg {
	uint64_t id;
	struct tn_event event;
};

struct tn_record_list {
	uint32_t n;
	struct tn_record *records;
};

struct tn_stolen_list {
	uint32_t n;
	struct tn_stolen *reports;
};

struct tn_row_error {
	uint32_t index;
	int64_t code;
	char error[TN_TEXT_LEN];
};

struct tn_import_result {
	uint32_t imported;
	uint32_t n;
	struct tn_row_error *errors;
};

/* Why an envelope or a link was refused; counted per reason. */
#define TN_DROP_REASONS(X)                                                  \
	X(malformed) X(too_big) X(unknown_peer) X(forged_from) X(not_for_me) \
	X(stale) X(replay) X(bad_box) X(bad_sig) X(unknown_type)            \
	X(unsupported) X(handshake) X(replay_full) X(rate_limited)

struct tn_drops {
#define TN_DROP_FIELD(r) uint64_t r;
	TN_DROP_REASONS(TN_DROP_FIELD)
#undef TN_DROP_FIELD
};

struct tn_card_info {
	char card[256];
	char name[TN_NAME_LEN];
	char fingerprint[32];
	char addr[64];
};

struct tn_name_arg {
	char name[TN_NAME_LEN];
	char card[256];
};

struct tn_peer_status {
	char name[TN_NAME_LEN];
	char traces[8];
	char stolen[8];
	uint32_t daily_limit;
	char disclose[64];
	char fingerprint[32];
	char addr[64];
	char state[16];
	uint64_t last_seen_ms;     /* ms since the epoch, 0 if never */
	uint64_t sent;
	uint64_t received;
	uint64_t dropped;
};

struct tn_peer_list {
	uint32_t n;
	struct tn_peer_status *peers;
};

struct tn_ping_result {
	char peer[TN_NAME_LEN];
	uint64_t rtt_us;
};

struct tn_status {
	char name[TN_NAME_LEN];
	char version[16];
	char fingerprint[32];
	char listen[64];
	uint64_t pid;
	uint64_t uptime_s;
	uint64_t records;
	uint64_t stolen;
	uint64_t stolen_open;
	uint64_t map_size;
	uint64_t map_used;
	uint64_t peers;
	uint64_t linked;
	struct tn_drops drops;
};

extern const struct proto_schema proto_id_arg_schema;
extern const struct proto_schema proto_find_arg_schema;
extern const struct proto_schema proto_event_arg_schema;
extern const struct proto_schema proto_record_list_schema;
extern const struct proto_schema proto_stolen_list_schema;
extern const struct proto_schema proto_import_result_schema;
extern const struct proto_schema proto_status_schema;
extern const struct proto_schema proto_drops_schema;
extern const struct proto_schema proto_card_info_schema;
extern const struct proto_schema proto_name_arg_schema;
extern const struct proto_schema proto_peer_status_schema;
extern const struct proto_schema proto_peer_list_schema;
extern const struct proto_schema proto_ping_result_schema;

/* Set the field named key (dashes read as underscores) from text: strings
 * are length-checked, numbers parsed, bools from "1/0/yes/no/true/false".
 * TN_ERR_NOT_FOUND for an unknown key. */
int proto_field_set(const struct proto_schema *s, void *obj, const char *key,
		    const char *val) TN_WUR;
/* Print the value under key (or the whole message) for a person, one
 * "key: value" per line, nested values indented. */
int proto_msg_print(const struct proto_msg *m, const char *key, FILE *f);

/* ---- lost/stolen queries ---- */

#define TN_QUERY_ITEMS_MAX 1000
#define TN_PURPOSE_LEN 64

struct tn_query_item {
	char make[TN_MAKE_LEN];
	char serial[TN_SERIAL_LEN];
	char model[TN_MODEL_LEN];
	char caliber[TN_CALIBER_LEN];
};

/* STOLEN_QUERY: envelope type "stolen_query". */
struct tn_stolen_query {
	uint64_t qid;
	char purpose[TN_PURPOSE_LEN];
	char case_ref[TN_REF_LEN];
	uint32_t n;
	struct tn_query_item *items;
};

struct tn_stolen_answer {
	bool hit;
	struct tn_stolen report;    /* only with a hit */
};

/* STOLEN_RESULT: envelope type "stolen_result", signed when it has a hit. */
struct tn_stolen_result {
	uint64_t qid;
	char status[TN_KIND_LEN];   /* "ok", "declined", "over_limit" */
	uint32_t n;
	struct tn_stolen_answer *results;
};

/* Console: query.stolen. */
struct tn_query_arg {
	char peer[TN_NAME_LEN];     /* one peer, or */
	bool all;                   /* every pinned peer */
	uint32_t timeout_ms;
	char purpose[TN_PURPOSE_LEN];
	char case_ref[TN_REF_LEN];
	uint32_t n;
	struct tn_query_item *items;
};

struct tn_peer_answer {
	char peer[TN_NAME_LEN];
	char status[TN_KIND_LEN];   /* answered, declined, over_limit, unreachable, timeout */
	uint32_t n;
	struct tn_stolen_answer *results;
};

struct tn_query_reply {
	uint64_t qid;
	uint32_t hits;
	uint32_t n;
	struct tn_peer_answer *peers;
};

/* Raised on the node that owns a report when a peer's query hits it. */
struct tn_alert {
	uint64_t id;
	uint64_t ts;
	char peer[TN_NAME_LEN];
	uint64_t stolen_id;
	char make[TN_MAKE_LEN];
	char serial[TN_SERIAL_LEN];
	char case_ref[TN_REF_LEN];      /* ours */
	char their_case[TN_REF_LEN];
	char purpose[TN_PURPOSE_LEN];
};

struct tn_alert_list {
	uint32_t n;
	struct tn_alert *alerts;
};

extern const struct proto_schema proto_query_item_schema;
extern const struct proto_schema proto_stolen_query_schema;
extern const struct proto_schema proto_stolen_result_schema;
extern const struct proto_schema proto_query_arg_schema;
extern const struct proto_schema proto_query_reply_schema;
extern const struct proto_schema proto_alert_schema;
extern const struct proto_schema proto_alert_list_schema;

/* ---- trace requests (ATF eTrace style) ---- */

#define TN_MID_LEN 16

struct tn_firearm {
	char make[TN_MAKE_LEN];
	char model[TN_MODEL_LEN];
	char caliber[TN_CALIBER_LEN];
	char type[TN_TYPE_LEN];
	char serial[TN_SERIAL_LEN];
	bool serial_obliterated;
	char importer[TN_PARTY_LEN];
	char country_of_origin[TN_NAME_LEN];
};

/* TRACE_REQUEST: envelope type "trace_request", signed. */
struct tn_trace_request {
	uint8_t mid[TN_MID_LEN];      /* outbox message id: duplicates are re-acked */
	uint64_t ref;                 /* the requester's trace id */
	uint64_t follows;             /* the requester's trace this one follows up */
	char case_ref[TN_REF_LEN];
	char agency[TN_PARTY_LEN];
	char crime[32];
	char grounds[TN_TEXT_LEN];
	char recovered_on[TN_DATE_LEN];
	char recovered_at[TN_PLACE_LEN];
	struct tn_firearm firearm;
	char possessor[TN_PARTY_LEN];
	bool urgent;
};

/* TRACE_ACK: type "trace_ack", sent at once with the committed deadline. */
struct tn_trace_ack {
	uint8_t mid[TN_MID_LEN];
	uint64_t ref;
	char status[TN_KIND_LEN];     /* "received" (answered automatically) or "in_review" */
	char deadline[TN_DATE_LEN];
};

/* TRACE_RESULT: type "trace_result", signed. */
struct tn_trace_result {
	uint8_t mid[TN_MID_LEN];
	uint64_t ref;
	uint8_t request_digest[TN_HASH_LEN];  /* BLAKE2b of the signed request message */
	char status[24];              /* completed, partial, no_record, insufficient_data,
				       * unmarked_or_obliterated, destroyed_on_record, declined */
	char reason[TN_TEXT_LEN];
	uint32_t n_chain;
	struct tn_event *chain;
	struct tn_event first_retail;
	char export_to[TN_NAME_LEN];
	char export_date[TN_DATE_LEN];
	char export_ref[TN_REF_LEN];
	int64_t time_to_crime_days;   /* -1 when unknown */
	char handling[TN_TEXT_LEN];   /* what the requester may do with the answer */
	uint32_t keep_days;           /* the requester purges the result after this */
};

/* Delivery acknowledgement of an outbox message: type "ack". */
struct tn_ack {
	uint8_t mid[TN_MID_LEN];
};

/* A message waiting in the outbox for its peer. */
struct tn_outmsg {
	char peer[TN_NAME_LEN];
	char type[TN_KIND_LEN];
	uint8_t mid[TN_MID_LEN];
	bool sign;
	uint64_t created_ms;
	uint32_t n_m;
	uint8_t *m;
};

/* What a third party needs to check a signed message without the node. */
struct tn_receipt {
	struct tn_envelope hdr;       /* authenticated header fields (no body) */
	uint8_t pk[TN_KEY_LEN];       /* the signer's Ed25519 key */
	uint32_t n_m;
	uint8_t *m;
	uint8_t sig[TN_SIG_LEN];
};

/* A trace as the requesting node keeps it (req_out). */
struct tn_trace {
	uint64_t id;
	char peer[TN_NAME_LEN];
	char status[TN_KIND_LEN];     /* queued, sent, acknowledged, in_review, answered, purged */
	uint64_t created_ms;
	uint64_t updated_ms;
	char deadline[TN_DATE_LEN];
	struct tn_trace_request req;
	struct tn_trace_result result;
	uint32_t n_receipt;
	uint8_t *receipt;             /* msgpack tn_receipt of the signed result */
};

/* A trace as the answering node keeps it (req_in). */
struct tn_trace_in {
	uint64_t id;
	char peer[TN_NAME_LEN];
	char status[TN_KIND_LEN];     /* in_review, answered, declined */
	uint64_t received_ms;
	uint8_t digest[TN_HASH_LEN];
	struct tn_trace_request req;
	char result_status[24];
	uint32_t n_receipt;
	uint8_t *receipt;             /* msgpack tn_receipt of the signed request */
};

struct tn_trace_list {
	uint32_t n;
	struct tn_trace *traces;
};

struct tn_trace_in_list {
	uint32_t n;
	struct tn_trace_in *traces;
};

/* Console: trace.request takes the request fields plus the target. */
struct tn_trace_arg {
	char to[TN_NAME_LEN];
	uint64_t follow;              /* follow up trace ID to its export country */
	struct tn_trace_request req;
};

extern const struct proto_schema proto_firearm_schema;
extern const struct proto_schema proto_trace_request_schema;
extern const struct proto_schema proto_trace_ack_schema;
extern const struct proto_schema proto_trace_result_schema;
extern const struct proto_schema proto_ack_schema;
extern const struct proto_schema proto_outmsg_schema;
extern const struct proto_schema proto_receipt_schema;
extern const struct proto_schema proto_trace_schema;
extern const struct proto_schema proto_trace_in_schema;
extern const struct proto_schema proto_trace_list_schema;
extern const struct proto_schema proto_trace_in_list_schema;
extern const struct proto_schema proto_trace_arg_schema;

/* ---- audit ---- */

/* One entry of the hash-chained audit log: who asked or answered what,
 * when, and the outcome. hash = H(prev || msgpack(entry without hash)). */
struct tn_audit {
	uint64_t seq;               /* 1, 2, ... */
	uint64_t ts;                /* ms since the epoch */
	char peer[TN_NAME_LEN];     /* the other country, empty for local acts */
	char dir[8];                /* "in", "out" or "local" */
	char type[TN_KIND_LEN];     /* message or command type */
	char ref[TN_REF_LEN];       /* query or request id */
	char outcome[TN_REF_LEN];   /* "hit", "no_hit", "sent", "declined", ... */
	char detail[TN_TEXT_LEN];
	uint8_t prev[TN_HASH_LEN];
	uint8_t hash[TN_HASH_LEN];
};

struct tn_audit_list {
	uint32_t n;
	struct tn_audit *entries;
};

struct tn_audit_arg {
	uint64_t since_ms;          /* entries at or after this time */
	uint64_t from_seq;          /* or from this sequence number */
	uint32_t limit;
};

struct tn_audit_verify {
	uint64_t entries;           /* entries checked */
	uint64_t first_bad;         /* 0 if the chain is intact */
	char error[TN_TEXT_LEN];
};

extern const struct proto_schema proto_audit_schema;
extern const struct proto_schema proto_audit_body_schema; /* without hash */
extern const struct proto_schema proto_audit_list_schema;
extern const struct proto_schema proto_audit_arg_schema;
extern const struct proto_schema proto_audit_verify_schema;

/* ---- normalization ---- */

/* Serial: upper-case ASCII, spaces, dashes, dots and slashes removed.
 * Returns the length written (< cap) or TN_ERR_INVALID if empty/too long. */
int proto_norm_serial(const char *in, char *out, size_t cap) TN_WUR;
/* Make: upper-case alphanumerics only, then folded through the alias table
 * ("S&W" and "Smith & Wesson" both give "SMITHWESSON"). */
int proto_norm_make(const char *in, char *out, size_t cap) TN_WUR;

/* ---- CSV (RFC 4180 with physical line numbers) ---- */

#define PROTO_CSV_MAX_FIELDS 128
#define PROTO_CSV_MAX_FIELD 1024

struct proto_csv;

/* Called once per row: fields, count, and the line the row started on.
 * A non-zero return stops the parse and is returned by proto_csv_feed. */
typedef int (*proto_csv_row_fn)(void *arg, char **fields, int n, unsigned long line);
/* Called for a row that cannot be parsed (too many or too long fields,
 * bad quoting); the parser skips to the next line. */
typedef int (*proto_csv_bad_fn)(void *arg, unsigned long line, const char *why);

/* New streaming parser. */
struct proto_csv *proto_csv_new(proto_csv_row_fn row, proto_csv_bad_fn bad, void *arg);
/* Parse the next chunk of input. */
int proto_csv_feed(struct proto_csv *c, const char *data, size_t n);
/* Flush the last row at end of input. */
int proto_csv_finish(struct proto_csv *c);
/* Free the parser. */
void proto_csv_free(struct proto_csv *c);

/* Column order of `record import` files. */
extern const char *const proto_record_csv_columns[];
/* Fill a record from one CSV row (columns as above; events in the later
 * columns). The record's events array is allocated; release with
 * proto_release(&proto_record_schema, r). */
int proto_record_from_csv(struct tn_record *r, char **fields, int n,
			  char *why, size_t why_len) TN_WUR;

#endif
