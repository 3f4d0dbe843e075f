/* SPDX-License-Identifier: Apache-2.0 */
/* tracectl stolen commands: report, recover, list. */
#include <string.h>

#include "ctl.h"

static int stolen_report(struct ctl *c, int argc, char **argv)
{
	struct tn_stolen s = { .kind = "stolen" };

	if (ctl_opts(&proto_stolen_schema, &s, argc, argv))
		return 1;
	if (!s.date[0])
		return ctl_fail("--date YYYY-MM-DD is required (the day it was %s)",
				strcmp(s.kind, "lost") ? "stolen" : "lost");
	return ctl_run(c, CMD_STOLEN_REPORT, &s, ctl_print_stolen);
}

static int stolen_recover(struct ctl *c, int argc, char **argv)
{
	struct tn_id_arg a = { 0 };

	if (argc < 1)
		return ctl_fail("usage: stolen recover ID [--date YYYY-MM-DD]");
	if (ctl_parse_id("report", argv[0], &a.id))
		return 1;
	if (ctl_opts(&proto_id_arg_schema, &a, argc - 1, argv + 1))
		return 1;
	return ctl_run(c, CMD_STOLEN_RECOVER, &a, ctl_print_stolen);
}

static int stolen_list(struct ctl *c, int argc, char **argv)
{
	struct tn_find_arg a = { 0 };

	if (argc == 1 && !strcmp(argv[0], "--all"))
		a.all = true;
	else if (ctl_opts(&proto_find_arg_schema, &a, argc, argv))
		return 1;
	return ctl_run(c, CMD_STOLEN_LIST, &a, ctl_print_stolen_list);
}

static void print_rekey(const void *obj)
{
	const struct tn_blind_state *st = obj;

	printf("new key for blind checks (%s): epoch %016llx, set version %llu, %u tags, sent "
	       "whole to every blind peer\n", st->mode ? "VOPRF, each answer proven" : "OPRF",
	       (unsigned long long)st->epoch, (unsigned long long)st->version, st->count);
}

const struct ctl_cmd ctl_stolen_cmds[] = {
	{ "stolen report", stolen_report,
	  "--make M --serial S --date YYYY-MM-DD [--kind stolen|lost --model --caliber "
	  "--place --agency --case]" },
	{ "stolen recover", stolen_recover, "ID [--date YYYY-MM-DD]" },
	{ "stolen list", stolen_list, "[--all | --serial S [--make M]]" },
	{ "stolen rekey", NULL, "(a new key for blind checks; blind peers get the set again)",
	  CMD_STOLEN_REKEY, print_rekey },
	{ NULL },
};
