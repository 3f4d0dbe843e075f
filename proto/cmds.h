/* SPDX-License-Identifier: Apache-2.0 */
/* The registry of console commands, shared by tracenetd and tracectl: each
 * command's wire name, argument and reply schemas, and whether it writes.
 * Adding a command is adding a row here (then its handler and its tracectl
 * row). */
#ifndef TN_CMDS_H
#define TN_CMDS_H

#include "console.h"

/* Rows: X(enum suffix, wire name, argument schema (NULL: takes none), reply
 * schema (NULL: replies no data), flags, the role that may run it). Wire
 * names never change: other tools speak them. */
#define TN_CMDS(X)                                                                          \
	X(STATUS, "status", NULL, &proto_status_schema, 0, ROLE_READ)                       \
	X(BACKUP, "backup", &proto_backup_arg_schema, &proto_backup_schema, CMD_WRITES,     \
	  ROLE_ADMIN)                                                                       \
	X(RECORD_ADD, "record.add", &proto_record_schema,                                   \
	  &proto_record_schema, CMD_WRITES, ROLE_RECORD)                                    \
	X(RECORD_SHOW, "record.show", &proto_id_arg_schema,                                 \
	  &proto_record_schema, 0, ROLE_READ)                                               \
	X(RECORD_FIND, "record.find", &proto_find_arg_schema,                               \
	  &proto_record_list_schema, 0, ROLE_READ)                                          \
	X(RECORD_MATCH, "record.match", &proto_match_arg_schema,                            \
	  &proto_cand_list_schema, 0, ROLE_READ)                                            \
	X(RECORD_EVENT, "record.event", &proto_event_arg_schema,                            \
	  &proto_record_schema, CMD_WRITES, ROLE_RECORD)                                    \
	X(RECORD_IMPORT, "record.import", &proto_record_list_schema,                        \
	  &proto_import_result_schema, CMD_WRITES | CMD_RAW, ROLE_ADMIN)                    \
	X(STOLEN_REPORT, "stolen.report", &proto_stolen_schema,                             \
	  &proto_stolen_schema, CMD_WRITES, ROLE_RECORD)                                    \
	X(STOLEN_RECOVER, "stolen.recover", &proto_id_arg_schema,                           \
	  &proto_stolen_schema, CMD_WRITES, ROLE_RECORD)                                    \
	X(STOLEN_LIST, "stolen.list", &proto_find_arg_schema,                               \
	  &proto_stolen_list_schema, 0, ROLE_READ)                                          \
	X(STOLEN_REKEY, "stolen.rekey", NULL, &proto_blind_state_schema, CMD_WRITES,        \
	  ROLE_ADMIN)                                                                       \
	X(CARD, "card", NULL, &proto_card_info_schema, 0, ROLE_READ)                        \
	X(KEY_ROTATE, "key.rotate", &proto_rotate_arg_schema, &proto_rotate_info_schema,    \
	  CMD_WRITES, ROLE_ADMIN)                                                           \
	X(PEER_ADD, "peer.add", &proto_name_arg_schema,                                     \
	  &proto_peer_status_schema, CMD_WRITES, ROLE_ADMIN)                                \
	X(PEER_LIST, "peer.list", NULL, &proto_peer_list_schema, 0, ROLE_READ)              \
	X(PEER_REMOVE, "peer.remove", &proto_name_arg_schema, NULL, CMD_WRITES, ROLE_ADMIN) \
	X(PEER_PING, "peer.ping", &proto_name_arg_schema,                                   \
	  &proto_ping_result_schema, 0, ROLE_ADMIN)                                         \
	X(PEER_POLICY, "peer.policy", &proto_policy_arg_schema,                             \
	  &proto_peer_status_schema, CMD_WRITES, ROLE_ADMIN)                                \
	X(AUDIT, "audit", &proto_audit_arg_schema, &proto_audit_list_schema, 0, ROLE_READ)  \
	X(AUDIT_VERIFY, "audit.verify", &proto_audit_verify_arg_schema,                     \
	  &proto_audit_verify_schema, 0, ROLE_READ)                                         \
	X(AUDIT_EXPORT, "audit.export", &proto_audit_arg_schema,                            \
	  &proto_audit_export_schema, CMD_WRITES, ROLE_READ)                                \
	X(AUDIT_CHECKPOINT, "audit.checkpoint", NULL,                                       \
	  &proto_checkpoint_schema, CMD_WRITES, ROLE_ADMIN)                                 \
	X(AUDIT_RETAIN, "audit.retain", NULL,                                               \
	  &proto_audit_retain_schema, CMD_WRITES, ROLE_ADMIN)                               \
	X(QUERY_STOLEN, "query.stolen", &proto_query_arg_schema,                            \
	  &proto_query_reply_schema, CMD_WRITES, ROLE_QUERY)                                \
	X(ALERTS, "alerts", &proto_audit_arg_schema,                                        \
	  &proto_alert_list_schema, 0, ROLE_READ)                                           \
	X(RECEIPT, "receipt", &proto_receipt_arg_schema,                                    \
	  &proto_receipt_file_schema, 0, ROLE_QUERY)                                        \
	X(TRACE_REQUEST, "trace.request", &proto_trace_arg_schema,                          \
	  &proto_trace_schema, CMD_WRITES, ROLE_QUERY)                                      \
	X(TRACE_LIST, "trace.list", NULL, &proto_trace_list_schema, 0, ROLE_QUERY)          \
	X(TRACE_SHOW, "trace.show", &proto_id_arg_schema,                                   \
	  &proto_trace_schema, CMD_WRITES, ROLE_QUERY)                                      \
	X(TRACE_WAIT, "trace.wait", &proto_id_arg_schema,                                   \
	  &proto_trace_schema, CMD_WRITES, ROLE_QUERY)                                      \
	X(INBOX, "inbox", &proto_find_arg_schema,                                           \
	  &proto_trace_in_list_schema, 0, ROLE_REVIEW)                                      \
	X(APPROVE, "approve", &proto_id_arg_schema,                                         \
	  &proto_trace_in_schema, CMD_WRITES, ROLE_REVIEW)                                  \
	X(STATS, "stats", &proto_stats_arg_schema,                                          \
	  &proto_stats_schema, 0, ROLE_READ)                                                \
	X(DENY, "deny", &proto_id_arg_schema,                                               \
	  &proto_trace_in_schema, CMD_WRITES, ROLE_REVIEW)                                  \
	X(METRICS, "metrics", NULL, &proto_metrics_schema, 0, ROLE_READ)

enum tn_cmd {
#define TN_CMD_ENUM(e, name, args, reply, flags, role) CMD_##e,
	TN_CMDS(TN_CMD_ENUM)
#undef TN_CMD_ENUM
	CMD_COUNT
};

enum tn_cmd_flag {
	CMD_WRITES = 1,   /* commits to the store before it replies */
	/* The handler reads the request's bytes itself (struct cmd_raw), never
	 * unpacked whole: record.import's batches. The argument schema is still
	 * what a client sends. */
	CMD_RAW = 2,
};

/* What a console user may do, each granted by membership of the Unix group
 * tracenet.conf names for it ([roles]); the node's own user has them all. */
#define TN_ROLES(X)                                                        \
	X(READ, "read", "find, show and list records, reports, peers, audit")   \
	X(QUERY, "query", "ask peers: stolen queries, trace requests, receipts") \
	X(REVIEW, "review", "approve or deny the trace requests of peers")      \
	X(RECORD, "record", "enter records, events and lost/stolen reports")    \
	X(ADMIN, "admin", "peers, policies, import, audit retention")

enum tn_role {
#define TN_ROLE_BIT(e, name, what) ROLE_BIT_##e,
	TN_ROLES(TN_ROLE_BIT)
#undef TN_ROLE_BIT
	ROLE_COUNT
};
#define TN_ROLE_MASK(e, name, what) ROLE_##e = 1u << ROLE_BIT_##e,
enum tn_role_mask { TN_ROLES(TN_ROLE_MASK) ROLE_ALL = (1u << ROLE_COUNT) - 1 };
#undef TN_ROLE_MASK

/* The name of role bit i ("read", ...). */
extern const char *const tn_role_names[ROLE_COUNT];

struct tn_cmd_def {
	const char *name;
	const struct proto_schema *args;
	const struct proto_schema *reply;
	unsigned flags;
	unsigned role;             /* ROLE_* */
};

/* Every command, indexed by enum tn_cmd (fuzzers walk the schemas here). */
extern const struct tn_cmd_def tn_cmds[CMD_COUNT];

/* The command named name, or TN_ERR_UNKNOWN_CMD. */
int tn_cmd_of(const char *name) TN_WUR;

#endif
