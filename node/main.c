/* SPDX-License-Identifier: Apache-2.0 */
/* tracenetd: `init DIR --name GTM [--listen ADDR] [--advertise HOST[:PORT]]`,
 * `run DIR` and `restore BACKUP DIR [--key FILE]`. Exit status 0 on success, 1 on failure, 2 on misuse. */
#include <stdio.h>
#include <string.h>

#include "node.h"

static int usage(FILE *f)
{
	fprintf(f,
		"usage: tracenetd init DIR --name CODE [--listen IP:PORT] [--advertise HOST[:PORT]]\n"
		"       tracenetd run DIR\n"
		"       tracenetd restore BACKUP DIR [--key FILE]\n"
		"       tracenetd --help | --version\n");
	return f == stdout ? 0 : 2;
}

/* One line on what was not understood; exit status 2. */
static int misuse(const char *what, const char *arg)
{
	fprintf(stderr, "tracenetd: %s%s%s%s (tracenetd --help)\n", what, arg ? " '" : "",
		arg ? arg : "", arg ? "'" : "");
	return 2;
}

static int cmd_init(int argc, char **argv)
{
	struct node_init_opts o = { 0 };

	if (argc < 3 || argv[2][0] == '-')
		return misuse("init needs a directory: tracenetd init DIR --name CODE", NULL);
	for (int i = 3; i < argc; i++) {
		const char **opt = !strcmp(argv[i], "--name") ? &o.name :
				   !strcmp(argv[i], "--listen") ? &o.listen :
				   !strcmp(argv[i], "--advertise") ? &o.advertise : NULL;

		if (!opt)
			return misuse("init: unknown option", argv[i]);
		if (i + 1 >= argc)
			return misuse("init: a value must follow", argv[i]);
		*opt = argv[++i];
	}
	if (!o.name)
		return misuse("init needs --name CODE (an ISO 3166-1 alpha-3 code, like GTM)", NULL);
	if (node_init(argv[2], &o))
		return 1;
	printf("initialised %s node in %s\n", o.name, argv[2]);
	return 0;
}

/* restore BACKUP DIR [--key FILE]: a new node directory from a backup. */
static int cmd_restore(int argc, char **argv)
{
	const char *key = NULL;

	if (argc == 6 && !strcmp(argv[4], "--key"))
		key = argv[5];
	else if (argc != 4)
		return misuse("usage: tracenetd restore BACKUP DIR [--key FILE]", NULL);
	if (node_restore(argv[2], argv[3], key))
		return 1;
	printf("restored %s into %s; start it with tracenetd run %s\n", argv[2], argv[3], argv[3]);
	return 0;
}

int main(int argc, char **argv)
{
	const char *cmd = argc >= 2 ? argv[1] : NULL;

	setvbuf(stderr, NULL, _IOLBF, 0);
	if (!cmd)
		return usage(stderr);
	if (!strcmp(cmd, "--help") || !strcmp(cmd, "-h") || !strcmp(cmd, "help"))
		return usage(stdout);
	if (!strcmp(cmd, "--version") || !strcmp(cmd, "version")) {
		printf("tracenetd %s\n", TN_VERSION);
		return 0;
	}
	if (!strcmp(cmd, "init"))
		return cmd_init(argc, argv);
	if (!strcmp(cmd, "restore"))
		return cmd_restore(argc, argv);
	if (!strcmp(cmd, "run")) {
		if (argc != 3 || argv[2][0] == '-')
			return misuse("run takes one directory: tracenetd run DIR", NULL);
		return node_run(argv[2]) ? 1 : 0;
	}
	return misuse(cmd[0] == '-' ? "unknown option" : "unknown command", cmd);
}
