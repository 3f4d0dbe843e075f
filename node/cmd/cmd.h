/* SPDX-License-Identifier: Apache-2.0 */
/* cmd: the console commands of tracenetd, each a handler behind a row of
 * its family's table, over the services and the transport. The registry
 * in proto/cmds.h names each command and its schemas; the dispatcher
 * decodes the arguments and calls the handler. */
#ifndef TN_CMD_H
#define TN_CMD_H

#include "../svc/svc.h"

/* A command's handler. args: its decoded arguments (NULL when it takes
 * none), which r owns. Returns 0 once it replied or deferred r, else an
 * error for the dispatcher to reply with. */
typedef int (*cmd_fn)(struct console_req *r, void *args);

struct cmd_handler {
	enum tn_cmd cmd;
	cmd_fn fn;
};

/* Handler tables of each family, ended by a NULL fn. */
extern const struct cmd_handler cmd_status_table[];
extern const struct cmd_handler cmd_record_table[];
extern const struct cmd_handler cmd_import_table[];
extern const struct cmd_handler cmd_stolen_table[];
extern const struct cmd_handler cmd_peer_table[];
extern const struct cmd_handler cmd_key_table[];
extern const struct cmd_handler cmd_audit_table[];
extern const struct cmd_handler cmd_audit_verify_table[];
extern const struct cmd_handler cmd_retain_table[];
extern const struct cmd_handler cmd_checkpoint_table[];
extern const struct cmd_handler cmd_query_table[];
extern const struct cmd_handler cmd_alert_table[];
extern const struct cmd_handler cmd_trace_table[];
extern const struct cmd_handler cmd_stats_table[];
extern const struct cmd_handler cmd_backup_table[];
extern const struct cmd_handler cmd_metrics_table[];

/* The arguments of a CMD_RAW command: its request's bytes, which the
 * request owns (console_keep). */
struct cmd_raw {
	const uint8_t *body;
	size_t len;
};

/* Run one console request (the node's hooks.console). */
void cmd_dispatch(struct console_req *r, const uint8_t *body, size_t len);
/* Reply {ok: false} to r and return 0, as a handler that replied does. */
int cmd_fail(struct console_req *r, int code, const char *why);
/* A request handed to a service that replies later (rc its start): r is
 * kept until then, or refused with why when rc is TN_ERR_INVALID. */
int cmd_started(struct console_req *r, int rc, const char *why);
/* rc; when it is TN_ERR_NOT_FOUND, why (TN_TEXT_LEN bytes) says
 * "NOUN ID does not exist". */
int cmd_missing(char *why, int rc, const char *noun, uint64_t id);
/* Refuse r with code and why once the refusal is audited; returns 0. */
int cmd_refuse(struct console_req *r, int code, const char *why) TN_WUR;
/* Check that a search names what [accountability] require asks for, and
 * make them part of r's actor (its audit entries name them). 0 when it
 * may go on, 1 when r is refused (the refusal audited), or an error. */
int cmd_search_who(struct console_req *r, const char *officer, const char *ordered_by,
		   const char *case_ref, const char *purpose) TN_WUR;
/* 1 when messages or traces are still in flight with peer (why says
 * which, how many), 0 when none, or an error. */
int cmd_peer_in_flight(struct node *n, const char *peer, char *why, size_t len) TN_WUR;
/* Fail r with "peer NAME is not pinned". */
int cmd_not_pinned(struct console_req *r, const char *name);

/* ---- write commands: request, commit, then reply ---- */

struct cmd_write;

/* After the commit, before the reply: acts on the outcome rc and returns
 * the one to reply with, or CMD_LATER when it will reply itself. */
#define CMD_LATER 1
typedef int (*cmd_applied_fn)(struct cmd_write *w, int rc);

/* The head of a write command's job (a struct starting with it). */
struct cmd_write {
	struct console_req *req;
	struct node *node;
	void *args;                /* the request's decoded arguments */
	/* Replied with the command's reply schema: args when they have that
	 * schema, else a zeroed object of it (NULL for no data). */
	void *reply;
	char why[TN_TEXT_LEN];     /* the failure's text; "" for the code's own */
	cmd_applied_fn applied;
};

/* A zeroed job of size bytes for a write of r, its head filled in; r owns
 * it and the reply. NULL when out of memory. */
void *cmd_job(struct console_req *r, void *args, size_t size);
/* Defer w's request and queue op(t, w) in this loop pass's transaction;
 * after the commit, applied (if not NULL), then the reply. Returns 0. */
int cmd_write(struct cmd_write *w, store_op_fn op, cmd_applied_fn applied);
/* cmd_job and cmd_write for a job that is the head alone. */
int cmd_write_args(struct console_req *r, void *args, store_op_fn op, cmd_applied_fn applied);

/* ---- listings: rows a store walk yields, deep-copied into the reply ---- */

/* A reply being filled: a list schema whose one field is the array. */
struct cmd_list {
	void *list;                /* the reply object */
	const void *args;          /* the request's arguments, for filters */
	const struct proto_field *f;
	uint32_t cap;
};

typedef int (*cmd_walk_fn)(struct store_txn *t, struct cmd_list *l);

/* Reply to r with the list walk fills inside a read transaction. */
int cmd_list(struct console_req *r, const void *args, cmd_walk_fn walk);
/* Append a deep copy of row to l; returns the copy through *added (if
 * not NULL). */
int cmd_list_add(struct cmd_list *l, const void *row, void **added);

#endif
