/* SPDX-License-Identifier: Apache-2.0 */
/* Console requests to their handlers: the registry names the command and
 * its argument schema, the family tables give the handler. */
#include <stdbool.h>

#include "cmd.h"

static const struct cmd_handler *const tables[] = {
	cmd_status_table,
	cmd_record_table,
	cmd_import_table,
	cmd_stolen_table,
	cmd_peer_table,
	cmd_audit_table,
	cmd_retain_table,
	cmd_query_table,
	cmd_alert_table,
	cmd_trace_table,
};

static cmd_fn handler(enum tn_cmd cmd)
{
	static cmd_fn by_cmd[CMD_COUNT];
	static bool indexed;

	if (!indexed) {
		for (size_t t = 0; t < sizeof(tables) / sizeof(tables[0]); t++)
			for (const struct cmd_handler *h = tables[t]; h->fn; h++)
				by_cmd[h->cmd] = h->fn;
		indexed = true;
	}
	return by_cmd[cmd];
}

/* Decode the request's arguments into memory r owns; replies on failure. */
static int decode_args(struct console_req *r, const struct proto_schema *s,
		       struct proto_msg *m, void **args)
{
	int rc;

	if (!s)
		return 0;
	if (!(*args = console_alloc(r, s, s->size))) {
		console_fail(r, TN_ERR_NOMEM, NULL);
		return TN_ERR_NOMEM;
	}
	if ((rc = proto_msg_decode(m, "args", s, *args)))
		console_fail(r, rc, proto_msg_error(m));
	return rc;
}

/* A command whose handler reads the request's bytes, kept by r. */
static void dispatch_raw(struct console_req *r, enum tn_cmd cmd, const uint8_t *body, size_t len)
{
	struct cmd_raw *raw = console_alloc(r, NULL, sizeof(*raw));
	int rc;

	console_set_cmd(r, cmd);
	if (!raw || !(raw->body = console_keep(r, body, len))) {
		console_fail(r, TN_ERR_NOMEM, NULL);
		return;
	}
	raw->len = len;
	if ((rc = handler(cmd)(r, raw)) < 0)
		console_fail(r, rc, NULL);
}

static void dispatch(struct console_req *r, const char *name, struct proto_msg *m)
{
	int cmd = tn_cmd_of(name);
	void *args = NULL;
	int rc;

	if (cmd < 0 || !handler(cmd)) {
		console_fail(r, TN_ERR_UNKNOWN_CMD, name);
		return;
	}
	console_set_cmd(r, cmd);
	if (decode_args(r, tn_cmds[cmd].args, m, &args))
		return;
	if ((rc = handler(cmd)(r, args)) < 0)   /* replied, deferred, or failed without replying */
		console_fail(r, rc, NULL);
}

void cmd_dispatch(struct console_req *r, const uint8_t *body, size_t len)
{
	struct proto_msg *m = NULL;
	char name[TN_CMD_LEN];
	int cmd, rc;

	if (!proto_request_cmd(body, len, name, sizeof(name)) && (cmd = tn_cmd_of(name)) >= 0 &&
	    (tn_cmds[cmd].flags & CMD_RAW) && handler(cmd)) {
		dispatch_raw(r, cmd, body, len);
		return;
	}
	if ((rc = proto_msg_parse(&m, body, len))) {
		node_log("warn", "console: %s", tn_strerror(rc));
		console_fail(r, rc, "request is not a msgpack map");
		return;
	}
	if (proto_msg_str(m, "cmd", name, sizeof(name)))
		console_fail(r, TN_ERR_FIELD, "field 'cmd': missing");
	else
		dispatch(r, name, m);
	proto_msg_free(m);
}

int cmd_fail(struct console_req *r, int code, const char *why)
{
	console_fail(r, code, why);
	return 0;
}

int cmd_started(struct console_req *r, int rc, const char *why)
{
	if (rc == TN_ERR_INVALID)
		return cmd_fail(r, rc, why);
	if (!rc)
		console_defer(r);
	return rc;
}

int cmd_missing(char *why, int rc, const char *noun, uint64_t id)
{
	if (rc == TN_ERR_NOT_FOUND)
		snprintf(why, TN_TEXT_LEN, "%s %llu does not exist", noun, (unsigned long long)id);
	return rc;
}

int cmd_not_pinned(struct console_req *r, const char *name)
{
	char why[TN_NAME_LEN + 64];

	snprintf(why, sizeof(why), "peer %s is not pinned (tracectl peer list shows the pinned "
		 "ones)", name);
	return cmd_fail(r, TN_ERR_NOT_FOUND, why);
}
