/* SPDX-License-Identifier: Apache-2.0 */
/* SIGHUP: tracenet.conf read again and applied without dropping a link.
 * What only a restart can change (the name, the addresses, the store's
 * and the frames' sizes) is logged and kept; a file that does not parse,
 * or names a group that does not exist, leaves everything as it was. */
#include <stddef.h>
#include <string.h>

#include "cmd/cmd.h"

/* One setting as reload sees it: where it sits in the configuration and
 * whether the running node can take a new value. */
struct setting {
	const char *name;
	size_t at, size;
	int restart;
};

#define SETTING(name, field, restart) \
	{ name, offsetof(struct node_config, field), sizeof(((struct node_config *)0)->field), restart }

static const struct setting settings[] = {
	SETTING("[node] name", name, 1),
	SETTING("[node] listen", listen, 1),
	SETTING("[node] advertise", advertise, 1),
	SETTING("[store] map_size", map_size, 1),
	SETTING("[store] map_max", map_max, 1),
	SETTING("[limits] max_frame", max_frame, 1),
	SETTING("[console] group", console_group, 0),
	SETTING("[roles]", role_group, 0),
	SETTING("[accountability] require", require, 0),
	SETTING("[audit] retention", audit_keep_ms, 0),
	SETTING("[audit] checkpoint_every", checkpoint_ms, 0),
	SETTING("[log] level", log_level, 0),
	SETTING("[log] format", log_format, 0),
	SETTING("[log] syslog", log_syslog, 0),
	SETTING("[console] memory_max", console_mem_max, 0),
	SETTING("[metrics] listen", metrics_listen, 1),
	SETTING("[metrics] allow_remote", metrics_remote, 1),
	SETTING("[blind] proof", blind_proof, 0),    /* for the next key (stolen rekey) */
};

#define N_SETTINGS (sizeof(settings) / sizeof(settings[0]))

static int differs(const struct setting *s, const struct node_config *a,
		   const struct node_config *b)
{
	return memcmp((const char *)a + s->at, (const char *)b + s->at, s->size) != 0;
}

/* Keep in next what needs a restart, saying so; list in applied (a
 * comma-separated text) what will change. */
static void sort_changes(const struct node_config *cur, struct node_config *next,
			 char *applied, size_t cap)
{
	size_t len = 0;

	applied[0] = '\0';
	for (size_t i = 0; i < N_SETTINGS; i++) {
		const struct setting *s = &settings[i];

		if (!differs(s, cur, next))
			continue;
		if (s->restart) {
			node_log("warn", "%s: reload: %s changed in %s: needs a restart, the running "
				 "value is kept until then", cur->name, s->name, NODE_CONF);
			memcpy((char *)next + s->at, (const char *)cur + s->at, s->size);
		} else if (len < cap) {
			len += (size_t)snprintf(applied + len, cap - len, "%s%s", len ? ", " : "",
						s->name);
		}
	}
}

/* Resolve the groups next names and give the console to its group; on
 * failure the node keeps the configuration it had. */
static int take_groups(struct node *n, const struct node_config *next)
{
	struct node_config cur = n->cfg;
	int rc;

	n->cfg = *next;
	if (!(rc = caller_roles_load(n)) &&
	    (!strcmp(cur.console_group, next->console_group) || !(rc = console_regroup(n))))
		return 0;
	n->cfg = cur;
	if (caller_roles_load(n) || console_regroup(n))
		node_log("error", "%s: reload: the groups of the running configuration cannot "
			 "be resolved either", cur.name);
	return rc;
}

int node_reload(struct node *n)
{
	struct node_config next;
	char why[PATH_MAX + 64], applied[512];
	uint64_t every = n->cfg.checkpoint_ms;
	int level = n->cfg.log_level, rc;

	node_notify("RELOADING=1\nMONOTONIC_USEC=%llu\nSTATUS=reloading %s",
		    (unsigned long long)node_monotonic_us(), NODE_CONF);
	if ((rc = node_config_load(&next, n->dir, why, sizeof(why)))) {
		node_log("error", "%s: reload: %s; the running configuration is kept", n->cfg.name,
			 why);
		goto out;
	}
	sort_changes(&n->cfg, &next, applied, sizeof(applied));
	if ((rc = take_groups(n, &next))) {
		node_log("error", "%s: reload: %s names a group that cannot be used; the running "
			 "configuration is kept", n->cfg.name, NODE_CONF);
		goto out;
	}
	/* The line saying what changed is logged at the more talkative level. */
	if (n->cfg.log_level >= level)
		node_log_setup(&n->cfg);
	if (n->cfg.checkpoint_ms != every) {
		uv_timer_set_repeat(&n->checkpoint, n->cfg.checkpoint_ms);
		uv_timer_again(&n->checkpoint);
	}
	if (applied[0])
		node_log("info", "%s: reload: applied %s", n->cfg.name, applied);
	else
		node_log("info", "%s: reload: nothing to apply", n->cfg.name);
	if (n->cfg.log_level < level)
		node_log_setup(&n->cfg);
out:
	node_notify("READY=1\nSTATUS=%s: %s", n->cfg.name, rc ? "reload failed, running as "
		    "before" : "running, configuration reloaded");
	return rc;
}
