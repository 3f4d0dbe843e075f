/* SPDX-License-Identifier: Apache-2.0 */
/* Backups of a node directory and their restore: the files beside the
 * store's copy (configuration, the key only when asked), the manifest
 * that says what a backup holds, and `tracenetd restore`, which makes a
 * node directory from a backup and leaves a note the node audits at its
 * next start. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "node.h"

int node_copy_file(const char *src, const char *dst, mode_t mode)
{
	char buf[65536];
	int in, out, ret = TN_ERR_IO;
	ssize_t n;

	if ((in = open(src, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)) < 0)
		return errno == ENOENT ? TN_ERR_NOT_FOUND : TN_ERR_IO;
	out = open(dst, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode);
	if (out < 0) {
		close(in);
		return errno == EEXIST ? TN_ERR_EXISTS : TN_ERR_IO;
	}
	while ((n = read(in, buf, sizeof(buf))) > 0)
		if (cx_write_all(out, buf, (size_t)n))
			break;
	if (n == 0 && !fsync(out))
		ret = 0;
	cx_wipe(buf, sizeof(buf));    /* it may have held the key */
	close(in);
	if (close(out) && !ret)
		ret = TN_ERR_IO;
	return ret;
}

int node_backup_manifest(const char *dir, const char *name, uint64_t ms, int with_key)
{
	char path[PATH_MAX], text[512], when[32];
	time_t t = (time_t)(ms / 1000);
	struct tm tm;
	int fd, len, rc;

	if ((rc = node_path(path, dir, NODE_BACKUP_MANIFEST)))
		return rc;
	gmtime_r(&t, &tm);
	strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm);
	len = snprintf(text, sizeof(text), "tracenet backup of %s taken %s (store layout %d); "
		       "%s\n", name, when, STORE_LAYOUT,
		       with_key ? "holds node.key: keep it as you keep the node" :
		       "no key: restore with --key FILE");
	if ((fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600)) < 0)
		return TN_ERR_IO;
	rc = cx_write_all(fd, text, (size_t)len) || fsync(fd) ? TN_ERR_IO : 0;
	close(fd);
	return rc;
}

int node_copy_into(const char *from_dir, const char *from, const char *to_dir, const char *to)
{
	char src[PATH_MAX], dst[PATH_MAX];
	int rc;

	if ((rc = node_path(src, from_dir, from)) || (rc = node_path(dst, to_dir, to)))
		return rc;
	return node_copy_file(src, dst, 0600);
}

/* Copy file from of backup into dir as name, saying why it cannot. */
static int take(const char *backup, const char *dir, const char *from, const char *name)
{
	int rc = node_copy_into(backup, from, dir, name);

	if (rc)
		fprintf(stderr, "tracenetd: cannot copy %s/%s to %s/%s: %s\n", backup, from, dir,
			name, tn_strerror(rc));
	return rc;
}

int node_restore(const char *backup, const char *dir, const char *key)
{
	char path[PATH_MAX];
	int rc;

	if (node_path(path, backup, NODE_BACKUP_MANIFEST) || access(path, R_OK)) {
		fprintf(stderr, "tracenetd: %s is not a backup (no %s): make one with tracectl "
			"backup DIR\n", backup, NODE_BACKUP_MANIFEST);
		return TN_ERR_INVALID;
	}
	if (node_path(path, backup, CX_KEY_FILE) || (access(path, R_OK) && !key)) {
		fprintf(stderr, "tracenetd: the backup %s holds no key: give --key FILE (the "
			"node's node.key, kept apart from its backups)\n", backup);
		return TN_ERR_INVALID;
	}
	if (mkdir(dir, 0700)) {
		fprintf(stderr, "tracenetd: cannot make %s: %s (restore makes a new node "
			"directory)\n", dir, strerror(errno));
		return TN_ERR_IO;
	}
	if ((rc = node_path(path, dir, STORE_SUBDIR)) || (mkdir(path, 0700) && (rc = TN_ERR_IO)) ||
	    (rc = take(backup, dir, "data.mdb", STORE_SUBDIR "/data.mdb")) ||
	    (rc = take(backup, dir, NODE_CONF, NODE_CONF)) ||
	    (rc = take(backup, dir, NODE_BACKUP_MANIFEST, NODE_RESTORED)))
		return rc;
	if (!key)
		return take(backup, dir, CX_KEY_FILE, CX_KEY_FILE);
	if ((rc = node_path(path, dir, CX_KEY_FILE)) || (rc = node_copy_file(key, path, 0600)))
		fprintf(stderr, "tracenetd: cannot copy the key %s: %s\n", key, tn_strerror(rc));
	return rc;
}
