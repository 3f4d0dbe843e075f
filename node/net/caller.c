/* SPDX-License-Identifier: Apache-2.0 */
/* Who is at the other end of a console connection: the kernel's word for
 * the caller's uid and groups (SO_PEERCRED, SO_PEERGROUPS, taken when the
 * caller connected), its user name, and the roles the groups named in
 * tracenet.conf [roles] grant it. The node's own user and root hold every
 * role. */
#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "net.h"

#define GROUPS_MAX 1024

int caller_roles_load(struct node *n)
{
	char buf[4096];
	struct group g, *found;

	n->roles_granted = 0;
	for (int i = 0; i < ROLE_COUNT; i++) {
		const char *name = n->cfg.role_group[i];

		if (!name[0])
			continue;
		if (getgrnam_r(name, &g, buf, sizeof(buf), &found) || !found) {
			node_log("error", "group %s, named by [roles] %s in %s, does not exist "
				 "(create it with groupadd, or remove the line)", name,
				 tn_role_names[i], NODE_CONF);
			return TN_ERR_CONFIG;
		}
		n->role_gid[i] = g.gr_gid;
		n->roles_granted |= 1u << i;
	}
	return 0;
}

/* The roles granted by the groups in gids. */
static unsigned roles_of(const struct node *n, const gid_t *gids, int count)
{
	unsigned roles = 0;

	for (int i = 0; i < ROLE_COUNT; i++)
		for (int j = 0; j < count && (n->roles_granted & (1u << i)); j++)
			if (gids[j] == n->role_gid[i])
				roles |= 1u << i;
	return roles;
}

/* The caller's groups: its primary one and the supplementary ones. */
static int groups_of(int fd, gid_t primary, gid_t *gids, int cap)
{
	socklen_t len = (socklen_t)((cap - 1) * sizeof(*gids));

	gids[0] = primary;
	if (getsockopt(fd, SOL_SOCKET, SO_PEERGROUPS, gids + 1, &len))
		return -1;
	return 1 + (int)(len / sizeof(*gids));
}

static void user_name(uid_t uid, char out[TN_USER_LEN])
{
	char buf[4096];
	struct passwd pw, *found;

	if (!getpwuid_r(uid, &pw, buf, sizeof(buf), &found) && found &&
	    strlen(pw.pw_name) < TN_USER_LEN)
		memcpy(out, pw.pw_name, strlen(pw.pw_name) + 1);
	else
		snprintf(out, TN_USER_LEN, "uid%u", (unsigned)uid);
}

int caller_read(struct node *n, int fd, struct node_actor *who)
{
	struct ucred cred;
	socklen_t len = sizeof(cred);
	gid_t *gids;
	int count;

	memset(who, 0, sizeof(*who));
	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) || len != sizeof(cred)) {
		node_log("warn", "console: cannot read the caller's credentials: %s",
			 strerror(errno));
		return TN_ERR_IO;
	}
	who->uid = cred.uid;
	user_name(cred.uid, who->user);
	if (cred.uid == 0 || cred.uid == geteuid()) {
		who->roles = ROLE_ALL;
		return 0;
	}
	if (!(gids = malloc(GROUPS_MAX * sizeof(*gids))))
		return TN_ERR_NOMEM;
	if ((count = groups_of(fd, cred.gid, gids, GROUPS_MAX)) < 0)
		node_log("warn", "console: cannot read the groups of %s: %s (only its primary "
			 "group counts)", who->user, strerror(errno));
	who->roles = roles_of(n, gids, count < 0 ? 1 : count);
	free(gids);
	return 0;
}
