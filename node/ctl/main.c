/* SPDX-License-Identifier: Apache-2.0 */
/* tracectl: global options, the command tables, usage. */
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ctl.h"

static const struct ctl_cmd *const families[] = {
	ctl_status_cmds,
	ctl_backup_cmds,
	ctl_record_cmds,
	ctl_stolen_cmds,
	ctl_peer_cmds,
	ctl_key_cmds,
	ctl_audit_cmds,
	ctl_query_cmds,
	ctl_trace_cmds,
	ctl_stats_cmds,
	ctl_verify_cmds,
	ctl_report_cmds,
	ctl_metrics_cmds,
};

static int usage(FILE *f)
{
	fprintf(f, "usage: tracectl [-d DIR] [--json] COMMAND [ARGS]\n"
		   "       tracectl --help | --version\n"
		   "DIR defaults to $TRACENET_DIR. Commands:\n");
	for (size_t i = 0; i < sizeof(families) / sizeof(families[0]); i++)
		for (const struct ctl_cmd *c = families[i]; c->name; c++)
			fprintf(f, "  %-16s %s\n", c->name, c->help);
	return 2;
}

/* A row without a function: options straight into the command's
 * arguments, the reply shown with the row's print. */
static int run_row(struct ctl *c, const struct ctl_cmd *row, int argc, char **argv)
{
	const struct proto_schema *s = tn_cmds[row->cmd].args;
	void *args = NULL;
	int rc = 1;

	if (!s && argc)
		return ctl_fail("%s takes no arguments", row->name);
	if (s && !(args = calloc(1, s->size)))
		return ctl_fail("out of memory");
	if (!s || !ctl_opts(s, args, argc, argv))
		rc = ctl_run(c, row->cmd, args, row->print);
	if (args)
		proto_release(s, args);
	free(args);
	return rc;
}

/* Match "record add" against argv; returns words used or 0. */
static int match(const char *name, int argc, char **argv)
{
	char word[32];
	const char *p = name;
	int used = 0;

	while (*p) {
		size_t n = strcspn(p, " ");

		if (used >= argc || n >= sizeof(word))
			return 0;
		memcpy(word, p, n);
		word[n] = '\0';
		if (strcmp(word, argv[used++]))
			return 0;
		p += n + (p[n] == ' ');
	}
	return used;
}

static const struct ctl_cmd *find(int argc, char **argv, int *used)
{
	for (size_t i = 0; i < sizeof(families) / sizeof(families[0]); i++)
		for (const struct ctl_cmd *c = families[i]; c->name; c++)
			if ((*used = match(c->name, argc, argv)))
				return c;
	return NULL;
}

/* Is word the first word of some command ("record" of "record add")? */
static int is_family(const char *word)
{
	size_t n = strlen(word);

	for (size_t i = 0; i < sizeof(families) / sizeof(families[0]); i++)
		for (const struct ctl_cmd *c = families[i]; c->name; c++)
			if (!strncmp(c->name, word, n) && c->name[n] == ' ')
				return 1;
	return 0;
}

/* Misuse: one line naming what was not understood, exit status 2. */
static int unknown_command(int argc, char **argv)
{
	if (argc == 0)
		return usage(stderr);
	if (argc == 1 && is_family(argv[0]))
		ctl_fail("'%s' needs a subcommand (tracectl --help lists them)", argv[0]);
	else if (argc > 1 && is_family(argv[0]))
		ctl_fail("unknown command '%s %s' (tracectl --help lists them)", argv[0], argv[1]);
	else
		ctl_fail("unknown command '%s' (tracectl --help lists them)", argv[0]);
	return 2;
}

int main(int argc, char **argv)
{
	struct ctl c = { .dir = getenv("TRACENET_DIR"), .fd = -1 };
	const struct ctl_cmd *cmd;
	int i, used, rc;

	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		if (!strcmp(argv[i], "-d") && i + 1 < argc)
			c.dir = argv[++i];
		else if (!strcmp(argv[i], "--json"))
			c.json = 1;
		else if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help"))
			return usage(stdout), 0;
		else if (!strcmp(argv[i], "--version"))
			return printf("tracectl %s\n", TN_VERSION), 0;
		else if (!strcmp(argv[i], "-d"))
			return ctl_fail("-d needs a node directory"), 2;
		else
			return ctl_fail("unknown option '%s' (tracectl --help lists them)", argv[i]), 2;
	}
	if (!(cmd = find(argc - i, argv + i, &used)))
		return unknown_command(argc - i, argv + i);
	/* --json may also follow the command. */
	for (int k = i + used; k < argc; k++)
		if (!strcmp(argv[k], "--json")) {
			c.json = 1;
			memmove(&argv[k], &argv[k + 1], (size_t)(argc - k - 1) * sizeof(*argv));
			argc--;
			k--;
		}
	signal(SIGPIPE, SIG_IGN);
	if (cmd->fn)
		rc = cmd->fn(&c, argc - i - used, argv + i + used);
	else
		rc = run_row(&c, cmd, argc - i - used, argv + i + used);
	proto_framer_free(&c.in);
	if (c.fd >= 0)
		close(c.fd);
	return rc;
}
