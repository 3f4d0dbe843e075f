/* SPDX-License-Identifier: Apache-2.0 */
/* The node's configuration file, DIR/tracenet.conf, read with inih. */
#include <errno.h>
#include <fcntl.h>
#include <ini.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "node.h"

#define CONFIG_MAX 65536

void node_config_defaults(struct node_config *c, const char *name)
{
	memset(c, 0, sizeof(*c));
	proto_strcpy(c->name, sizeof(c->name), name ? name : "");
	proto_strcpy(c->listen, sizeof(c->listen), "127.0.0.1:7401");
	c->map_size = STORE_MAP_DEFAULT;
	c->map_max = STORE_MAP_MAX_DEFAULT;
	c->max_frame = PROTO_FRAME_MAX_DEFAULT;
	c->require = REQUIRE_OFFICER | REQUIRE_CASE;
	c->audit_keep_ms = NODE_AUDIT_KEEP_DEFAULT_MS;
	c->checkpoint_ms = NODE_CHECKPOINT_DEFAULT_MS;
	c->log_level = NODE_LOG_INFO;
	c->console_mem_max = NODE_CONSOLE_MEM_DEFAULT;
}

/* "64M", "1G", "4096" → bytes; 0 on a bad value. */
static size_t parse_size(const char *v)
{
	char *end;
	unsigned long long n;
	int shift = 0;

	errno = 0;
	n = strtoull(v, &end, 10);
	if (errno || end == v)
		return 0;
	switch (*end) {
	case 'K': case 'k': shift = 10; end++; break;
	case 'M': case 'm': shift = 20; end++; break;
	case 'G': case 'g': shift = 30; end++; break;
	case 'T': case 't': shift = 40; end++; break;
	}
	if (*end || n > (SIZE_MAX >> shift))
		return 0;
	return (size_t)n << shift;
}

static int set_str(char *dst, size_t cap, const char *v)
{
	if (strlen(v) >= cap)
		return 0;
	memcpy(dst, v, strlen(v) + 1);
	return 1;
}

/* "730d", "2y", "12h", "30s" (a bare number is days) → ms; 0 on a bad
 * value. "forever" keeps everything (UINT64_MAX). */
static uint64_t parse_period(const char *v)
{
	static const struct { char unit; uint64_t ms; } units[] = {
		{ 's', 1000 }, { 'm', 60000 }, { 'h', 3600000 }, { 'd', 86400000 },
		{ 'y', 365 * 86400000ull }, { '\0', 86400000 },
	};
	unsigned long long n;
	char *end;

	if (!strcmp(v, "forever"))
		return UINT64_MAX;
	errno = 0;
	n = strtoull(v, &end, 10);
	if (errno || end == v || !n || (*end && end[1]))
		return 0;
	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++)
		if (units[i].unit == *end)
			return n > UINT64_MAX / units[i].ms ? 0 : n * units[i].ms;
	return 0;
}

/* "yes" → 1, "no" → 0, else -1. */
static int parse_yes(const char *v)
{
	if (!strcasecmp(v, "yes") || !strcasecmp(v, "true") || !strcmp(v, "1"))
		return 1;
	if (!strcasecmp(v, "no") || !strcasecmp(v, "false") || !strcmp(v, "0"))
		return 0;
	return -1;
}

/* "officer, case" → REQUIRE_* bits; -1 on an unknown word. "none" is 0. */
static int parse_require(const char *v)
{
	static const struct { const char *word; unsigned bit; } words[] = {
		{ "officer", REQUIRE_OFFICER }, { "ordered_by", REQUIRE_ORDERED_BY },
		{ "case", REQUIRE_CASE }, { "purpose", REQUIRE_PURPOSE }, { "none", 0 },
	};
	char list[128], *save = NULL;
	int bits = 0;

	if (!set_str(list, sizeof(list), v))
		return -1;
	for (char *w = strtok_r(list, ", \t", &save); w; w = strtok_r(NULL, ", \t", &save)) {
		size_t i = 0;

		while (i < sizeof(words) / sizeof(words[0]) && strcmp(words[i].word, w))
			i++;
		if (i == sizeof(words) / sizeof(words[0]))
			return -1;
		bits |= words[i].bit;
	}
	return bits;
}

/* [roles] READ = GROUP: non-zero for a known role. */
static int set_role(struct node_config *c, const char *role, const char *v)
{
	for (int i = 0; i < ROLE_COUNT; i++)
		if (!strcmp(tn_role_names[i], role))
			return set_str(c->role_group[i], sizeof(c->role_group[i]), v);
	return 0;
}

/* [log] level, format and syslog: non-zero for a known key and word. */
static int set_log(struct node_config *c, const char *key, const char *v)
{
	static const struct { const char *key, *word; int value; size_t at; } words[] = {
#define LOG_WORD(k, w, val, field) { k, w, val, offsetof(struct node_config, field) }
		LOG_WORD("level", "error", NODE_LOG_ERROR, log_level),
		LOG_WORD("level", "warn", NODE_LOG_WARN, log_level),
		LOG_WORD("level", "info", NODE_LOG_INFO, log_level),
		LOG_WORD("format", "auto", NODE_LOG_AUTO, log_format),
		LOG_WORD("format", "plain", NODE_LOG_PLAIN, log_format),
		LOG_WORD("format", "journal", NODE_LOG_JOURNAL, log_format),
		LOG_WORD("syslog", "yes", 1, log_syslog),
		LOG_WORD("syslog", "no", 0, log_syslog),
#undef LOG_WORD
	};

	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (!strcmp(words[i].key, key) && !strcmp(words[i].word, v)) {
			memcpy((char *)c + words[i].at, &words[i].value, sizeof(int));
			return 1;
		}
	return 0;
}

/* inih handler: non-zero for a known, valid key. */
static int on_key(void *user, const char *section, const char *key, const char *v)
{
	struct node_config *c = user;

	if (!strcmp(section, "node") && !strcmp(key, "name"))
		return set_str(c->name, sizeof(c->name), v) && proto_country_check(v) == 0;
	if (!strcmp(section, "node") && !strcmp(key, "listen"))
		return set_str(c->listen, sizeof(c->listen), v);
	if (!strcmp(section, "node") && !strcmp(key, "advertise"))
		/* Checked with the longest port, which the card may yet take. */
		return set_str(c->advertise, sizeof(c->advertise), v) &&
		       node_advertise(v, 65535, (char[CX_ADDR_LEN]){ 0 }) == 0;
	if (!strcmp(section, "store") && !strcmp(key, "map_size"))
		return (c->map_size = parse_size(v)) != 0;
	if (!strcmp(section, "store") && !strcmp(key, "map_max"))
		return (c->map_max = parse_size(v)) != 0;
	if (!strcmp(section, "limits") && !strcmp(key, "max_frame"))
		return (c->max_frame = parse_size(v)) >= 1024 && c->max_frame <= (64u << 20);
	if (!strcmp(section, "console") && !strcmp(key, "group"))
		return set_str(c->console_group, sizeof(c->console_group), v);
	if (!strcmp(section, "console") && !strcmp(key, "memory_max"))
		return (c->console_mem_max = parse_size(v)) >= ((size_t)1 << 20);
	if (!strcmp(section, "roles"))
		return set_role(c, key, v);
	if (!strcmp(section, "metrics") && !strcmp(key, "listen"))
		return set_str(c->metrics_listen, sizeof(c->metrics_listen), v);
	if (!strcmp(section, "metrics") && !strcmp(key, "allow_remote"))
		return (c->metrics_remote = parse_yes(v)) >= 0;
	if (!strcmp(section, "accountability") && !strcmp(key, "require")) {
		int bits = parse_require(v);

		return bits >= 0 ? (c->require = (unsigned)bits, 1) : 0;
	}
	if (!strcmp(section, "audit") && !strcmp(key, "retention"))
		return (c->audit_keep_ms = parse_period(v)) != 0;
	if (!strcmp(section, "audit") && !strcmp(key, "checkpoint_every"))
		return (c->checkpoint_ms = parse_period(v)) != 0 && c->checkpoint_ms != UINT64_MAX;
	if (!strcmp(section, "log"))
		return set_log(c, key, v);
	if (!strcmp(section, "blind") && !strcmp(key, "proof"))
		return (c->blind_proof = parse_yes(v)) >= 0;
	return 0;
}

int node_config_parse(struct node_config *c, const char *text, const char *origin, char *why,
		      size_t why_len)
{
	int line;

	node_config_defaults(c, NULL);
	line = ini_parse_string(text, on_key, c);
	if (line != 0) {
		snprintf(why, why_len, "%s:%d: unknown key or bad value", origin, line);
		return TN_ERR_CONFIG;
	}
	if (proto_country_check(c->name)) {
		snprintf(why, why_len, "%s: [node] name must be an ISO alpha-3 code", origin);
		return TN_ERR_CONFIG;
	}
	if (c->map_max < c->map_size)
		c->map_max = c->map_size;
	return 0;
}

int node_config_load(struct node_config *c, const char *dir, char *why, size_t why_len)
{
	char path[PATH_MAX], text[CONFIG_MAX + 1];
	size_t n = 0;
	FILE *f;

	if (node_path(path, dir, NODE_CONF))
		return TN_ERR_CONFIG;
	if ((f = fopen(path, "r"))) {
		n = fread(text, 1, sizeof(text), f);
		fclose(f);
	}
	if (!f || n > CONFIG_MAX) {
		if (f)
			snprintf(why, why_len, "%s: larger than %d bytes", path, CONFIG_MAX);
		else if (errno == ENOENT)
			snprintf(why, why_len, "%s: no such file: %s is not a node directory "
				 "(tracenetd init DIR --name CODE creates one)", path, dir);
		else
			snprintf(why, why_len, "cannot read %s: %s", path, strerror(errno));
		return f ? TN_ERR_CONFIG : TN_ERR_IO;
	}
	text[n] = '\0';
	return node_config_parse(c, text, path, why, why_len);
}

int node_config_save(const struct node_config *c, const char *dir)
{
	char path[PATH_MAX];
	FILE *f;
	int fd;

	if (node_path(path, dir, NODE_CONF))
		return TN_ERR_CONFIG;
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0)
		return errno == EEXIST ? TN_ERR_EXISTS : TN_ERR_IO;
	if (!(f = fdopen(fd, "w"))) {
		close(fd);
		return TN_ERR_IO;
	}
	fprintf(f, "# tracenet node configuration\n[node]\nname = %s\nlisten = %s\n", c->name,
		c->listen);
	if (c->advertise[0])
		fprintf(f, "# the address in this node's card (HOST[:PORT]; default: listen)\n"
			   "advertise = %s\n\n", c->advertise);
	else
		fprintf(f, "# advertise = HOST[:PORT]  (the address in this node's card; default: "
			   "listen)\n\n");
	fprintf(f, "[store]\nmap_size = %zuM\nmap_max = %zuG\n\n[limits]\nmax_frame = %zuK\n",
		c->map_size >> 20, c->map_max >> 30, c->max_frame >> 10);
	fprintf(f, "\n# Who may use the console (README: Roles). The socket belongs to this\n"
		   "# group; each role is granted by membership of the group named for it.\n"
		   "[console]\n# group = tracenet\n"
		   "# memory_max = 256M  (unsent replies and partial requests, all clients)\n"
		   "\n[roles]\n");
	for (int i = 0; i < ROLE_COUNT; i++)
		fprintf(f, "# %s = tracenet-%s\n", tn_role_names[i], tn_role_names[i]);
	fprintf(f, "\n# What every search names: officer, ordered_by, case, purpose (or none).\n"
		   "[accountability]\nrequire = officer, case\n\n"
		   "# Audit entries older than this are deleted, leaving a signed anchor.\n"
		   "[audit]\nretention = 730d\n"
		   "# How often the log's head is signed and sent to the peers to witness.\n"
		   "checkpoint_every = 10m\n\n"
		   "# Log lines kept (error, warn, info); their form on stderr (auto: with a\n"
		   "# journal priority when stderr is the journal; plain; journal); syslog.\n"
		   "[log]\n# level = info\n# format = auto\n# syslog = no\n"
		   "\n# Metrics over HTTP (GET /metrics), loopback unless allow_remote = yes.\n"
		   "[metrics]\n# listen = 127.0.0.1:9471\n");
	if (fflush(f) || fsync(fd)) {
		fclose(f);
		return TN_ERR_IO;
	}
	return fclose(f) ? TN_ERR_IO : 0;
}
