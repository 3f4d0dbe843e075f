/* SPDX-License-Identifier: Apache-2.0 */
/* tracectl key rotate: a new node key, announced to every pinned peer. */
#include <stdio.h>
#include <string.h>

#include "ctl.h"

static void print_rotate(const void *obj)
{
	const struct tn_rotate_info *i = obj;

	if (!strcmp(i->state, "announced")) {
		printf("new key %s announced to %u peers; the node switches to it once every one has "
		       "acknowledged (or now: key rotate --finish)\n", i->fingerprint, i->peers);
		return;
	}
	printf("the node key is now %s\n", i->fingerprint);
	if (i->pending[0])
		printf("not acknowledged by %s: they refuse the new key until they pin the new "
		       "card\n", i->pending);
	if (i->card[0])
		printf("%s\n", i->card);
}

static int key_rotate(struct ctl *c, int argc, char **argv)
{
	struct tn_rotate_arg a = { .finish = ctl_flag(&argc, argv, "--finish") };

	if (argc)
		return ctl_fail("usage: key rotate [--finish]");
	return ctl_run(c, CMD_KEY_ROTATE, &a, print_rotate);
}

const struct ctl_cmd ctl_key_cmds[] = {
	{ "key rotate", key_rotate,
	  "[--finish] (a new node key for every peer; --finish: switch to it now)" },
	{ NULL },
};
