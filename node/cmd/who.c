/* SPDX-License-Identifier: Apache-2.0 */
/* Who and why on every search: a stolen query or a trace request names
 * the officer who runs it, the official who ordered it, the case and the
 * purpose, as the node's [accountability] require demands. They go into
 * the requester's audit; PROTOCOL.md says which of them cross the wire. */
#include <string.h>

#include "cmd.h"

static const struct {
	unsigned bit;
	const char *what;
	const char *flag;
} needs[] = {
	{ REQUIRE_OFFICER, "the officer's identifier", "--officer ID (or TRACENET_OFFICER)" },
	{ REQUIRE_ORDERED_BY, "the ordering official", "--ordered-by ID" },
	{ REQUIRE_CASE, "a case reference", "--case REF" },
	{ REQUIRE_PURPOSE, "a purpose", "--purpose TEXT" },
};

int cmd_search_who(struct console_req *r, const char *officer, const char *ordered_by,
		   const char *case_ref, const char *purpose)
{
	const char *given[] = { officer, ordered_by, case_ref, purpose };
	unsigned require = console_node(r)->cfg.require;
	struct node_actor *who = console_actor(r);
	char why[TN_TEXT_LEN];

	for (size_t i = 0; i < sizeof(needs) / sizeof(needs[0]); i++) {
		if (!(require & needs[i].bit) || given[i][0])
			continue;
		snprintf(why, sizeof(why), "%s needs %s: this node requires it for every search "
			 "(give %s)", tn_cmds[console_cmd(r)].name, needs[i].what, needs[i].flag);
		return cmd_refuse(r, TN_ERR_INVALID, why) ? TN_ERR_NOMEM : 1;
	}
	proto_strcpy(who->officer, sizeof(who->officer), officer);
	proto_strcpy(who->ordered_by, sizeof(who->ordered_by), ordered_by);
	proto_strcpy(who->case_ref, sizeof(who->case_ref), case_ref);
	return 0;
}
