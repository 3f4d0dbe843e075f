/* SPDX-License-Identifier: Apache-2.0 */
/* node: the configuration, DIR/tracenet.conf (INI), its defaults, parsing
 * and saving. Included by node.h. */
#ifndef TN_NODE_CONFIG_H
#define TN_NODE_CONFIG_H

/* What every search (stolen query, trace request) must name. */
enum node_require {
	REQUIRE_OFFICER = 1,
	REQUIRE_ORDERED_BY = 2,
	REQUIRE_CASE = 4,
	REQUIRE_PURPOSE = 8,
};

#define NODE_GROUP_LEN 33

/* [log] level, as syslog numbers its priorities. */
enum node_log_level { NODE_LOG_ERROR = 3, NODE_LOG_WARN = 4, NODE_LOG_INFO = 6 };
/* [log] format: plain unless stderr is the journal, or forced either way. */
enum node_log_format { NODE_LOG_AUTO, NODE_LOG_PLAIN, NODE_LOG_JOURNAL };

struct node_config {
	char name[TN_NAME_LEN];
	char listen[CX_ADDR_LEN];
	char advertise[CX_ADDR_LEN]; /* host[:port] in our card; "" = listen */
	size_t map_size;
	size_t map_max;
	size_t max_frame;
	char console_group[NODE_GROUP_LEN];        /* owns console.sock; "" = ours */
	char role_group[ROLE_COUNT][NODE_GROUP_LEN]; /* grants each role; "" = none */
	unsigned require;                          /* NODE_REQUIRE_* */
	uint64_t audit_keep_ms;                    /* audit retention; UINT64_MAX = forever */
	uint64_t checkpoint_ms;                    /* a checkpoint this often, if the log grew */
	int log_level;                             /* enum node_log_level: lines kept */
	int log_format;                            /* enum node_log_format */
	int log_syslog;                            /* to syslog(3) instead of stderr */
	size_t console_mem_max;                    /* unsent replies + partial requests, all clients */
	char metrics_listen[CX_ADDR_LEN];          /* the HTTP metrics listener; "" = none */
	int blind_proof;                           /* new OPRF keys are VOPRF (mode 1) */
	int metrics_remote;                        /* it may listen beyond loopback */
};

/* Defaults for a node called name. */
void node_config_defaults(struct node_config *c, const char *name);
/* Parse configuration text over the defaults; why names origin and line. */
int node_config_parse(struct node_config *c, const char *text, const char *origin, char *why,
		      size_t why_len) TN_WUR;
/* Read dir/tracenet.conf over the defaults; why gets the bad line. */
int node_config_load(struct node_config *c, const char *dir, char *why, size_t why_len) TN_WUR;
/* Write dir/tracenet.conf (fails if it exists). */
int node_config_save(const struct node_config *c, const char *dir) TN_WUR;

#endif
