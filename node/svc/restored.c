/* SPDX-License-Identifier: Apache-2.0 */
/* The first start after `tracenetd restore`: the backup's manifest, left
 * in the node directory, goes into the audit log and the log, then away. */
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "svc.h"

static int note_op(struct store_txn *t, void *arg)
{
	return node_audit_local(t, "restore", 0, "%s", (const char *)arg);
}

int restored_note(struct node *n)
{
	char path[PATH_MAX], text[512];
	ssize_t len;
	int fd, rc;

	if ((rc = node_path(path, n->dir, NODE_RESTORED)))
		return rc;
	if ((fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)) < 0)
		return 0;                  /* not restored */
	len = read(fd, text, sizeof(text) - 1);
	close(fd);
	text[len > 0 ? len : 0] = '\0';
	text[strcspn(text, "\n")] = '\0';
	if ((rc = store_write(n->store, note_op, text)))
		return rc;
	node_log("warn", "%s: restored from a %s; what was written since the backup is gone: "
		 "peers answer traces it sent again as conflicts, and witnesses find our audit log "
		 "behind", n->cfg.name, text[0] ? text : "backup");
	return unlink(path) ? TN_ERR_IO : 0;
}
