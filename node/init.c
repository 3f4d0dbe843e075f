/* SPDX-License-Identifier: Apache-2.0 */
/* `tracenetd init`: a new node directory with its configuration, its
 * Ed25519 key pair (0600) and an empty store. */
#include <errno.h>
#include <string.h>
#include <sys/stat.h>

#include "node.h"

int node_init(const char *dir, const char *name, const char *listen)
{
	struct node_config cfg;
	struct store *s;
	int rc;

	if (proto_country_check(name)) {
		node_log("error", "init: --name must be an ISO 3166-1 alpha-3 code, like GTM");
		return TN_ERR_INVALID;
	}
	if (mkdir(dir, 0700) && errno != EEXIST) {
		node_log("error", "init: cannot create %s: %s", dir, strerror(errno));
		return TN_ERR_IO;
	}
	/* An existing directory is made ours alone, as a new one is. */
	if (chmod(dir, 0700)) {
		node_log("error", "init: cannot make %s mode 0700: %s", dir, strerror(errno));
		return TN_ERR_PERM;
	}
	node_config_defaults(&cfg, name);
	if (listen && snprintf(cfg.listen, sizeof(cfg.listen), "%s", listen) >= (int)sizeof(cfg.listen))
		return TN_ERR_INVALID;
	if ((rc = node_config_save(&cfg, dir))) {
		node_log("error", "init: %s/%s: %s", dir, NODE_CONF,
			 rc == TN_ERR_EXISTS ? "a node already lives here" : tn_strerror(rc));
		return rc;
	}
	if ((rc = cx_init()) || (rc = cx_id_create(dir))) {
		node_log("error", "init: cannot create the node key: %s", tn_strerror(rc));
		return rc;
	}
	if ((rc = store_open(&s, dir, cfg.map_size, cfg.map_max))) {
		node_log("error", "init: cannot create the store: %s", tn_strerror(rc));
		return rc;
	}
	store_close(s);
	return 0;
}
