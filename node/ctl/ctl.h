/* SPDX-License-Identifier: Apache-2.0 */
/* tracectl: the operator's console client. Connects to DIR/console.sock,
 * sends one framed msgpack request per command, prints the reply. */
#ifndef TN_CTL_H
#define TN_CTL_H

#include "../../proto/proto.h"
#include "../version.h"

struct ctl {
	const char *dir;
	int json;
	int fd;
	struct proto_framer in;
	int quiet_io;              /* a lost connection is noted in lost, not printed */
	char lost[96];
};

/* A row of tracectl's tables. A row that maps 1:1 to a console command
 * may leave fn NULL: its --options fill the command's arguments (a
 * command without any takes no options) and print shows the reply. */
struct ctl_cmd {
	const char *name;      /* "record add" */
	int (*fn)(struct ctl *c, int argc, char **argv);
	const char *help;      /* options, for usage */
	enum tn_cmd cmd;       /* with fn NULL */
	void (*print)(const void *obj);  /* with fn NULL; NULL: key: value lines */
};

/* Command tables of each family, NULL-terminated. */
extern const struct ctl_cmd ctl_status_cmds[];
extern const struct ctl_cmd ctl_backup_cmds[];
extern const struct ctl_cmd ctl_record_cmds[];
extern const struct ctl_cmd ctl_stolen_cmds[];
extern const struct ctl_cmd ctl_peer_cmds[];
extern const struct ctl_cmd ctl_key_cmds[];
extern const struct ctl_cmd ctl_audit_cmds[];
extern const struct ctl_cmd ctl_query_cmds[];
extern const struct ctl_cmd ctl_trace_cmds[];
extern const struct ctl_cmd ctl_verify_cmds[];
extern const struct ctl_cmd ctl_stats_cmds[];
extern const struct ctl_cmd ctl_report_cmds[];
extern const struct ctl_cmd ctl_metrics_cmds[];

/* Print "tracectl: ..." on stderr; returns 1 (the exit code). */
int ctl_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Connect to the node's console socket (ctl_send does it when needed). */
int ctl_connect(struct ctl *c);
/* Send {cmd, args}; args are ignored when cmd takes none. */
int ctl_send(struct ctl *c, enum tn_cmd cmd, const void *args);
/* Send a whole frame built by the caller (length prefix included). */
int ctl_send_frame(struct ctl *c, const void *frame, size_t len);
/* Read one reply: 0 and *reply for {ok: true}, else print the error, return 1. */
int ctl_recv(struct ctl *c, struct proto_msg **reply);
/* ctl_send then ctl_recv. */
int ctl_call(struct ctl *c, enum tn_cmd cmd, const void *args, struct proto_msg **reply);
/* Fill obj from "--key value" options starting at argv[0]. */
int ctl_opts(const struct proto_schema *s, void *obj, int argc, char **argv);
/* The field an option "--NAME" sets: NAME, but "--case" sets case_ref. */
const char *ctl_opt_key(const char *arg);
/* Print the data of cmd's reply as JSON (--json) or with print() for a
 * person (generic key: value lines when print is NULL); frees the reply. */
int ctl_output(struct ctl *c, enum tn_cmd cmd, struct proto_msg *m, void (*print)(const void *obj));
/* ctl_call then ctl_output. */
int ctl_run(struct ctl *c, enum tn_cmd cmd, const void *args, void (*print)(const void *obj));
/* Read id (a positive decimal number) of the object named what. */
int ctl_parse_id(const char *what, const char *arg, uint64_t *id);
#define CTL_VERIFY_USAGE "FILE [--key KEY | --card CARD|FILE]"

/* A search's officer, when no --officer named one: $TRACENET_OFFICER. */
void ctl_default_officer(char officer[TN_REF_LEN]);
/* Write a receipt to a new file at path (never over an existing one). */
int ctl_save_receipt(const char *path, const uint8_t *data, uint32_t n);
/* A card given inline (one or several words) or as a file holding it. */
int ctl_read_card(int argc, char **argv, char *out, size_t cap);
/* The signer expected from "--key KEY" or "--card CARD|FILE" in argv (the
 * card's name into name, else ""); *given 0 when argc is 0. */
int ctl_expected_signer(int argc, char **argv, uint8_t pk[32], char name[TN_NAME_LEN],
			int *given);
/* The pinned peer of the node at c->dir that holds pk, into name ("" if
 * none does). */
int ctl_pinned_holder(struct ctl *c, const uint8_t pk[32], char name[TN_NAME_LEN]);
/* Check an audit export offline (argv: --key or --card, as for receipts)
 * and say what it holds; 1 when it does not verify. */
int ctl_verify_export(struct ctl *c, const struct tn_audit_export *x, int argc, char **argv);
/* audit --verify [--witness PEER | --local]: the chain and what witnesses
 * hold; 1 when it does not verify. */
int ctl_audit_verify(struct ctl *c, int argc, char **argv);
/* Import a CSV file of firearm records. */
int ctl_import(struct ctl *c, const char *path);

/* s with control characters replaced (4 rotating buffers). */
const char *ctl_str(const char *s);
/* Print the "LABEL VALUE" pairs (label, value, ..., NULL) whose value is
 * not empty, joined by ", ", lead before the first and tail after the
 * last; nothing at all when every value is empty. */
void ctl_fields(const char *lead, const char *tail, ...) __attribute__((sentinel));

/* People-facing renderings. */
void ctl_print_record(const void *rec);
void ctl_print_event(const struct tn_event *e);
void ctl_print_records(const void *list);
/* One line per candidate (tn_candidate), indented by indent. */
void ctl_print_cands(const struct tn_candidate *c, uint32_t n, const char *indent);
/* The line saying more candidates rank as high as the last one shown. */
void ctl_print_more(uint32_t more);
/* A tn_cand_list. */
void ctl_print_cand_list(const void *list);
/* Remove flag from argv (shifting the rest); 1 when it was there. */
int ctl_flag(int *argc, char **argv, const char *flag);
void ctl_print_stolen(const void *rep);
void ctl_print_stolen_list(const void *list);
/* stats as CSV: one table per section, each row naming its section. */
void ctl_print_stats_csv(const void *stats);

#endif
