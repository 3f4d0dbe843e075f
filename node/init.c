/* SPDX-License-Identifier: Apache-2.0 */
/* `tracenetd init`: a new node directory with its configuration, its
 * Ed25519 key pair (0600) and an empty store. */
#include <errno.h>
#include <string.h>
#include <sys/stat.h>

#include "node.h"

/* The configuration o asks for, refused as `run` would refuse it. */
static int init_config(struct node_config *cfg, const struct node_init_opts *o)
{
	struct sockaddr_storage sa;
	char card[CX_ADDR_LEN];

	if (!o->name || proto_country_check(o->name)) {
		node_log("error", "init: --name must be an ISO 3166-1 alpha-3 code, like GTM");
		return TN_ERR_INVALID;
	}
	node_config_defaults(cfg, o->name);
	if (o->listen && (snprintf(cfg->listen, sizeof(cfg->listen), "%s", o->listen) >=
			  (int)sizeof(cfg->listen) || node_addr_parse(cfg->listen, &sa))) {
		node_log("error", "init: --listen '%s' is not an IP address and port, like "
			 "127.0.0.1:7401, 0.0.0.0:7401 or [::]:7401", o->listen);
		return TN_ERR_INVALID;
	}
	/* Checked as tracenet.conf is, with the longest port the card may take. */
	if (o->advertise && (snprintf(cfg->advertise, sizeof(cfg->advertise), "%s",
				      o->advertise) >= (int)sizeof(cfg->advertise) ||
			     node_advertise(cfg->advertise, 65535, card))) {
		node_log("error", "init: --advertise '%s' is not HOST[:PORT] that peers can dial "
			 "(a host name or IP address, not a wildcard)", o->advertise);
		return TN_ERR_INVALID;
	}
	if (!o->advertise && node_addr_wildcard(cfg->listen))
		node_log("warn", "init: %s is a wildcard address, which peers cannot dial: "
			 "set advertise in tracenet.conf before giving out the card", cfg->listen);
	return 0;
}

int node_init(const char *dir, const struct node_init_opts *o)
{
	struct node_config cfg;
	struct store *s;
	int rc;

	if ((rc = init_config(&cfg, o)))
		return rc;
	if (mkdir(dir, 0700) && errno != EEXIST) {
		node_log("error", "init: cannot create %s: %s", dir, strerror(errno));
		return TN_ERR_IO;
	}
	/* An existing directory is made ours alone, as a new one is. */
	if (chmod(dir, 0700)) {
		node_log("error", "init: cannot make %s mode 0700: %s", dir, strerror(errno));
		return TN_ERR_PERM;
	}
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
