/* SPDX-License-Identifier: Apache-2.0 */
/* The console's audit commands: listing with filters, verify, retain,
 * and the signed export. Included by console.h. */
#ifndef TN_CONSOLE_AUDIT_H
#define TN_CONSOLE_AUDIT_H

struct tn_audit_list {
	uint32_t n;
	struct tn_audit *entries;
};

struct tn_audit_arg {
	uint64_t since_ms;          /* entries at or after this time */
	uint64_t from_seq;          /* or from this sequence number */
	uint32_t limit;
	uint64_t until_ms;          /* entries before this time (0: no end) */
	char user[TN_USER_LEN];     /* filters: each one given must match */
	char officer[TN_REF_LEN];
	char case_ref[TN_REF_LEN];
	char peer[TN_NAME_LEN];
};

/* 1 if entry a passes every filter f gives (since_ms <= ts, ts < until_ms
 * when set, and user, officer, case_ref and peer each equal when given),
 * else 0. from_seq and limit are not filters: the caller applies them. */
int proto_audit_match(const struct tn_audit_arg *f, const struct tn_audit *a);

/* Console: audit.verify. */
struct tn_audit_verify_arg {
	char witness[TN_NAME_LEN];  /* ask this peer only; "": every pinned peer */
	bool local;                 /* ask no witness: the local chain alone */
};

/* audit.retain's reply: what the cut deleted. */
struct tn_audit_retain {
	uint64_t deleted;           /* entries deleted now */
	uint64_t from_seq;          /* the first entry kept */
	uint64_t cut_ms;            /* entries older than this are gone */
};

/* audit.export: the entries an audit filter selects, signed by the node
 * ("tracenet/1 export") with its head and anchor at the time, so that
 * anyone holding the node's key can check it offline. */
struct tn_audit_export {
	char node[TN_NAME_LEN];
	uint8_t key[32];            /* the node's signing key */
	uint64_t made_ms;
	uint64_t head_seq;          /* the log's last entry then ... */
	uint8_t head_hash[TN_HASH_LEN]; /* ... and its hash */
	struct tn_audit_anchor anchor;  /* where the front was cut, if it was */
	struct tn_audit_arg filter; /* what selected the entries */
	uint32_t n;
	struct tn_audit *entries;
	uint8_t sig[64];
};

extern const struct proto_schema proto_audit_list_schema;
extern const struct proto_schema proto_audit_arg_schema;
extern const struct proto_schema proto_audit_verify_arg_schema;
extern const struct proto_schema proto_audit_export_schema;
extern const struct proto_schema proto_audit_retain_schema;
extern const struct proto_schema proto_audit_export_body_schema; /* without sig */

#endif
