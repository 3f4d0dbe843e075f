/* SPDX-License-Identifier: Apache-2.0 */
/* Console command `backup`: a hot copy of the store (LMDB's own, compacted,
 * on a worker thread while the node goes on), the configuration, the key
 * only when asked, and a manifest, in a new directory; audited. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cmd.h"

struct backup_job {
	uv_work_t work;
	struct console_req *req;
	struct node *node;
	struct tn_backup reply;
	char why[TN_PATH_LEN + 128];
	int rc;
};

/* The files beside the store, from the node directory. */
static int copy_beside(struct backup_job *j)
{
	const char *dir = j->node->dir;
	int rc;

	if ((rc = node_copy_into(dir, NODE_CONF, j->reply.dir, NODE_CONF)) ||
	    (j->reply.with_key && (rc = node_copy_into(dir, CX_KEY_FILE, j->reply.dir, CX_KEY_FILE))))
		return rc;
	return node_backup_manifest(j->reply.dir, j->node->cfg.name, j->reply.taken_ms,
				    j->reply.with_key);
}

static void backup_work(uv_work_t *w)
{
	struct backup_job *j = w->data;
	char path[PATH_MAX];
	struct stat st;

	if ((j->rc = store_backup(j->node->store, j->reply.dir)) ||
	    (j->rc = node_path(path, j->reply.dir, "data.mdb")))
		return;
	if (chmod(path, 0600) || stat(path, &st))
		j->rc = TN_ERR_IO;
	else
		j->reply.bytes = (uint64_t)st.st_size;
	if (!j->rc)
		j->rc = copy_beside(j);
}

static int audit_op(struct store_txn *t, void *arg)
{
	struct backup_job *j = arg;

	return node_audit_local(t, "backup", 0, "%s, %llu bytes%s", j->reply.dir,
				(unsigned long long)j->reply.bytes,
				j->reply.with_key ? ", with the node key" : "");
}

static void audited(void *arg, int rc)
{
	struct backup_job *j = arg;

	if (rc)
		console_fail(j->req, rc, "the backup is made but could not be audited");
	else
		console_ok(j->req, &proto_backup_schema, &j->reply);
	free(j);
}

static void backup_after(uv_work_t *w, int status)
{
	struct backup_job *j = w->data;

	if (status)
		j->rc = TN_ERR_IO;
	if (j->rc) {
		snprintf(j->why, sizeof(j->why), "backup into %s failed: %s%s", j->reply.dir,
			 tn_strerror(j->rc), j->rc == TN_ERR_DISK_FULL ?
			 " (free space where the backup goes)" : "");
		node_log("error", "%s: %s", j->node->cfg.name, j->why);
		console_fail(j->req, j->rc, j->why);
		free(j);
		return;
	}
	node_log("info", "%s: backup in %s (%llu bytes)%s", j->node->cfg.name, j->reply.dir,
		 (unsigned long long)j->reply.bytes, j->reply.with_key ? ", with the node key" : "");
	batch_add(j->node, audit_op, audited, j);
}

static int backup(struct console_req *r, void *args)
{
	const struct tn_backup_arg *a = args;
	struct node *n = console_node(r);
	struct backup_job *j;
	char why[TN_PATH_LEN + 128];

	if (a->dir[0] != '/')
		return cmd_fail(r, TN_ERR_INVALID, "the backup directory must be an absolute path");
	if (mkdir(a->dir, 0700)) {
		snprintf(why, sizeof(why), "cannot make %s: %s (give a new directory)", a->dir,
			 strerror(errno));
		return cmd_fail(r, TN_ERR_INVALID, why);
	}
	if (!(j = calloc(1, sizeof(*j))))
		return TN_ERR_NOMEM;
	j->work.data = j;
	j->node = n;
	memcpy(j->reply.dir, a->dir, sizeof(j->reply.dir));
	j->reply.with_key = a->with_key;
	j->reply.taken_ms = node_now_ms();
	if (uv_queue_work(&n->loop, &j->work, backup_work, backup_after)) {
		free(j);
		return TN_ERR_IO;
	}
	j->req = console_defer(r);
	return 0;
}

const struct cmd_handler cmd_backup_table[] = {
	{ CMD_BACKUP, backup },
	{ CMD_COUNT, NULL },
};
