/* SPDX-License-Identifier: Apache-2.0 */
/* Console requests to their handlers: the registry names the command, its
 * argument schema and the role it needs, the family tables give the
 * handler. A caller without the role is refused, and the refusal audited;
 * what a handler queues acts for its caller. */
#include <stdbool.h>

#include "cmd.h"

static const struct cmd_handler *const tables[] = {
	cmd_status_table,
	cmd_record_table,
	cmd_import_table,
	cmd_stolen_table,
	cmd_peer_table,
	cmd_key_table,
	cmd_audit_table,
	cmd_audit_verify_table,
	cmd_retain_table,
	cmd_checkpoint_table,
	cmd_query_table,
	cmd_alert_table,
	cmd_trace_table,
	cmd_stats_table,
	cmd_backup_table,
	cmd_metrics_table,
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

/* A refusal, audited before the caller hears of it. */
struct refusal {
	struct console_req *req;
	int code;
	char why[TN_TEXT_LEN];
};

static int refusal_op(struct store_txn *t, void *arg)
{
	struct refusal *x = arg;

	return node_audit(t, NULL, "local", tn_cmds[console_cmd(x->req)].name, NULL, "refused",
			  x->why);
}

static void refused(void *arg, int rc)
{
	struct refusal *x = arg;

	if (rc)
		node_log("error", "console: the refusal of %s could not be audited: %s",
			 console_actor(x->req)->user, tn_strerror(rc));
	console_fail(x->req, x->code, x->why);
}

int cmd_refuse(struct console_req *r, int code, const char *why)
{
	struct refusal *x = console_alloc(r, NULL, sizeof(*x));

	if (!x)
		return TN_ERR_NOMEM;
	x->req = r;
	x->code = code;
	proto_strcpy(x->why, sizeof(x->why), why);
	node_log("warn", "console: %s: %s", console_actor(r)->user, why);
	console_defer(r);
	batch_add_as(console_node(r), console_actor(r), refusal_op, refused, x);
	return 0;
}

/* The names of the groups that grant role (bit), for the refusal. */
static void granted_by(const struct node *n, unsigned role, char *out, size_t cap)
{
	for (int i = 0; i < ROLE_COUNT; i++)
		if (role & (1u << i))
			snprintf(out, cap, n->cfg.role_group[i][0] ? "members of group %s have it" :
				 "no group has it ([roles] %s in " NODE_CONF " names none)",
				 n->cfg.role_group[i][0] ? n->cfg.role_group[i] : tn_role_names[i]);
}

/* 1 when r's caller may run cmd; else r is refused (audited) and 0. */
static int allowed(struct console_req *r, enum tn_cmd cmd)
{
	const struct node_actor *who = console_actor(r);
	unsigned role = tn_cmds[cmd].role;
	char groups[128], why[TN_TEXT_LEN];

	if (who->roles & role)
		return 1;
	granted_by(console_node(r), role, groups, sizeof(groups));
	snprintf(why, sizeof(why), "user %s may not run %s: it needs the %s role (%s)",
		 who->user, tn_cmds[cmd].name, tn_role_names[__builtin_ctz(role)], groups);
	if (cmd_refuse(r, TN_ERR_DENIED, why))
		console_fail(r, TN_ERR_NOMEM, NULL);
	return 0;
}

/* Run cmd's handler on behalf of r's caller. */
static int run(struct console_req *r, enum tn_cmd cmd, void *args)
{
	struct node *n = console_node(r);
	int rc;

	n->actor = console_actor(r);
	rc = handler(cmd)(r, args);
	n->actor = NULL;
	return rc;
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
	if (!allowed(r, cmd))
		return;
	if (!raw || !(raw->body = console_keep(r, body, len))) {
		console_fail(r, TN_ERR_NOMEM, NULL);
		return;
	}
	raw->len = len;
	if ((rc = run(r, cmd, raw)) < 0)
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
	if (!allowed(r, cmd) || decode_args(r, tn_cmds[cmd].args, m, &args))
		return;
	if ((rc = run(r, cmd, args)) < 0)   /* replied, deferred, or failed without replying */
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
