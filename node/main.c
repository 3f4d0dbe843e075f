/* SPDX-License-Identifier: Apache-2.0 */
/* tracenetd: `init DIR --name GTM [--listen ADDR]` and `run DIR`. */
#include <stdio.h>
#include <string.h>

#include "node.h"

static int usage(void)
{
	fprintf(stderr,
		"usage: tracenetd init DIR --name CODE [--listen HOST:PORT]\n"
		"       tracenetd run DIR\n"
		"       tracenetd version\n");
	return 2;
}

static int cmd_init(int argc, char **argv)
{
	const char *name = NULL, *listen = NULL;

	for (int i = 3; i < argc; i++) {
		if (!strcmp(argv[i], "--name") && i + 1 < argc)
			name = argv[++i];
		else if (!strcmp(argv[i], "--listen") && i + 1 < argc)
			listen = argv[++i];
		else
			return usage();
	}
	if (!name)
		return usage();
	if (node_init(argv[2], name, listen))
		return 1;
	printf("initialised %s node in %s\n", name, argv[2]);
	return 0;
}

int main(int argc, char **argv)
{
	setvbuf(stderr, NULL, _IOLBF, 0);
	if (argc >= 2 && !strcmp(argv[1], "version")) {
		printf("tracenetd %s\n", TN_VERSION);
		return 0;
	}
	if (argc < 3)
		return usage();
	if (!strcmp(argv[1], "init"))
		return cmd_init(argc, argv);
	if (!strcmp(argv[1], "run") && argc == 3)
		return node_run(argv[2]) ? 1 : 0;
	return usage();
}
