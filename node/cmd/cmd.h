/* SPDX-License-Identifier: Apache-2.0 */
/* cmd: the console commands of tracenetd, each a handler behind a table
 * row, over the services and the transport. */
#ifndef TN_CMD_H
#define TN_CMD_H

#include "../svc/svc.h"

struct console_cmd {
	const char *name;
	int (*fn)(struct console_req *r);
};

/* Command tables of each family, NULL-terminated. */
extern const struct console_cmd cmd_status_table[];
extern const struct console_cmd cmd_record_table[];
extern const struct console_cmd cmd_stolen_table[];
extern const struct console_cmd cmd_peer_table[];
extern const struct console_cmd cmd_audit_table[];
extern const struct console_cmd cmd_query_table[];
extern const struct console_cmd cmd_alert_table[];
extern const struct console_cmd cmd_trace_table[];

/* Run one console request (the node's hooks.console). */
void cmd_dispatch(struct console_req *r, const char *cmd, struct proto_msg *m);

#endif
