/* SPDX-License-Identifier: Apache-2.0 */
/* tracectl backup DIR [--with-key]: the node copies its store (hot,
 * compacted), its configuration and, only when asked, its key into DIR. */
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ctl.h"

static void print_backup(const void *obj)
{
	const struct tn_backup *b = obj;

	printf("backup in %s: store %llu bytes, configuration%s\n", ctl_str(b->dir),
	       (unsigned long long)b->bytes, b->with_key ? ", node.key" : "");
	if (b->with_key)
		printf("it holds node.key: whoever has it can act as this node; keep it as you keep "
		       "the node\n");
	else
		printf("no key in it: keep node.key apart; restore with tracenetd restore %s DIR "
		       "--key FILE\n", ctl_str(b->dir));
}

static int backup(struct ctl *c, int argc, char **argv)
{
	struct tn_backup_arg a = { 0 };
	char cwd[PATH_MAX];
	int with_key = ctl_flag(&argc, argv, "--with-key");

	if (argc != 1 || argv[0][0] == '-')
		return ctl_fail("usage: backup DIR [--with-key] (DIR must not exist)");
	if (argv[0][0] == '/')
		proto_strcpy(a.dir, sizeof(a.dir), argv[0]);
	else if (!getcwd(cwd, sizeof(cwd)) ||
		 (size_t)snprintf(a.dir, sizeof(a.dir), "%s/%s", cwd, argv[0]) >= sizeof(a.dir))
		return ctl_fail("backup directory %s: path too long", argv[0]);
	if (strlen(a.dir) >= sizeof(a.dir) - 1)
		return ctl_fail("backup directory %s: path too long", argv[0]);
	a.with_key = with_key;
	return ctl_run(c, CMD_BACKUP, &a, print_backup);
}

const struct ctl_cmd ctl_backup_cmds[] = {
	{ "backup", backup, "DIR [--with-key] (a hot copy of the store and configuration)" },
	{ NULL },
};
