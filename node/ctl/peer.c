/* SPDX-License-Identifier: Apache-2.0 */
/* tracectl card and peer commands. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "ctl.h"

static void print_card(const void *obj)
{
	const struct tn_card_info *ci = obj;

	printf("%s\n", ci->card);
}

int ctl_read_card(int argc, char **argv, char *out, size_t cap)
{
	FILE *f;
	size_t len = 0;

	if (argc == 1 && strncmp(argv[0], "tncard1", 7) && (f = fopen(argv[0], "r"))) {
		char *ok = fgets(out, (int)cap, f);

		fclose(f);
		return ok ? 0 : ctl_fail("%s: empty card file", argv[0]);
	}
	out[0] = '\0';
	for (int i = 0; i < argc; i++) {
		int n = snprintf(out + len, cap - len, "%s%s", i ? " " : "", argv[i]);

		if (n < 0 || (size_t)n >= cap - len)
			return ctl_fail("card too long");
		len += (size_t)n;
	}
	return argc ? 0 : ctl_fail("usage: peer add CARD|FILE");
}

static void print_status(const void *obj)
{
	const struct tn_peer_status *s = obj;
	char seen[32] = "never";
	time_t t = (time_t)(s->last_seen_ms / 1000);
	struct tm tm;

	if (s->last_seen_ms && gmtime_r(&t, &tm))
		strftime(seen, sizeof(seen), "%Y-%m-%dT%H:%M:%SZ", &tm);
	printf("%-4s %-10s %-29s %-24s %-20s %8llu %8llu %8llu\n", s->name, s->state,
	       s->fingerprint, s->addr, seen, (unsigned long long)s->sent,
	       (unsigned long long)s->received, (unsigned long long)s->dropped);
	if (s->blind[0] && strcmp(s->blind, "none"))
		printf("     its blind set: %s, %u tags (lost/stolen checks to %s go blind)\n",
		       s->blind, s->blind_tags, s->name);
}

static void print_header(void)
{
	printf("%-4s %-10s %-29s %-24s %-20s %8s %8s %8s\n", "PEER", "STATE", "FINGERPRINT",
	       "ADDRESS", "LAST SEEN", "SENT", "RECV", "DROPPED");
}

static void print_one(const void *obj)
{
	print_header();
	print_status(obj);
}

static void print_policy(const void *obj)
{
	const struct tn_peer_status *s = obj;

	printf("%s: traces %s, stolen queries %s, candidates %s, %u requests a day "
	       "(a fuzzy lookup counts %u), %u blind evaluations a day, discloses %s\n", s->name,
	       s->traces, s->stolen, s->candidates, s->daily_limit, TN_FUZZY_UNITS,
	       s->blind_limit, s->disclose);
}

static void print_list(const void *obj)
{
	const struct tn_peer_list *l = obj;

	if (!l->n) {
		printf("no peer pinned\n");
		return;
	}
	print_header();
	for (uint32_t i = 0; i < l->n; i++)
		print_status(&l->peers[i]);
}

static int peer_add(struct ctl *c, int argc, char **argv)
{
	struct tn_name_arg a = { 0 };

	if (ctl_read_card(argc, argv, a.card, sizeof(a.card)))
		return 1;
	a.card[strcspn(a.card, "\r\n")] = '\0';
	return ctl_run(c, CMD_PEER_ADD, &a, print_one);
}

/* Commands taking one peer name. */
static int named(struct ctl *c, enum tn_cmd cmd, int argc, char **argv,
		 void (*print)(const void *))
{
	struct tn_name_arg a = { 0 };

	if (argc != 1 || strlen(argv[0]) != 3)
		return ctl_fail("usage: %s NAME (an ISO alpha-3 code)", tn_cmds[cmd].name);
	memcpy(a.name, argv[0], 4);
	return ctl_run(c, cmd, &a, print);
}

static int peer_remove(struct ctl *c, int argc, char **argv)
{
	struct tn_name_arg a = { .force = ctl_flag(&argc, argv, "--force") };

	if (argc != 1 || strlen(argv[0]) != 3)
		return ctl_fail("usage: peer remove NAME [--force] (an ISO alpha-3 code)");
	memcpy(a.name, argv[0], 4);
	return ctl_run(c, CMD_PEER_REMOVE, &a, NULL);
}

static void print_ping(const void *obj)
{
	const struct tn_ping_result *r = obj;

	printf("pong from %s: %.3f ms\n", r->peer, (double)r->rtt_us / 1000.0);
}

static int peer_ping(struct ctl *c, int argc, char **argv)
{
	return named(c, CMD_PEER_PING, argc, argv, print_ping);
}

/* Options that take one word of a list. */
static const struct {
	const char *opt;
	const char *const words[4];
} choices[] = {
	{ "--traces", { "auto", "review", "deny" } },
	{ "--stolen", { "clear", "blind", "deny" } },
	{ "--candidates", { "allow", "deny" } },
};

/* Refuse a word that is not among its option's choices, naming them. */
static int check_choice(const char *opt, const char *val)
{
	for (size_t i = 0; i < sizeof(choices) / sizeof(choices[0]); i++) {
		const char *const *w = choices[i].words;

		if (strcmp(opt, choices[i].opt))
			continue;
		for (size_t k = 0; w[k]; k++)
			if (!strcmp(val, w[k]))
				return 0;
		if (w[2])
			return ctl_fail("%s must be %s, %s or %s, not '%s'", opt, w[0], w[1], w[2],
					ctl_str(val));
		return ctl_fail("%s must be %s or %s, not '%s'", opt, w[0], w[1], ctl_str(val));
	}
	return 0;
}

static int peer_policy(struct ctl *c, int argc, char **argv)
{
	struct tn_policy_arg a = { 0 };

	if (argc < 1 || strlen(argv[0]) != 3)
		return ctl_fail("usage: peer policy NAME [--traces auto|review|deny] "
				"[--stolen clear|blind|deny] [--candidates allow|deny] [--daily-limit N] "
				"[--blind-limit N] [--disclose party,place,ref|none]");
	memcpy(a.name, argv[0], 4);
	for (int i = 1; i + 1 < argc; i += 2)
		if (check_choice(argv[i], argv[i + 1]))
			return 1;
	if (ctl_opts(&proto_policy_arg_schema, &a, argc - 1, argv + 1))
		return 1;
	return ctl_run(c, CMD_PEER_POLICY, &a, print_policy);
}

const struct ctl_cmd ctl_peer_cmds[] = {
	{ "card", NULL, "(this node's card, to give to a neighbour)", CMD_CARD, print_card },
	{ "peer add", peer_add, "CARD|FILE" },
	{ "peer list", NULL, "", CMD_PEER_LIST, print_list },
	{ "peer remove", peer_remove,
	  "NAME [--force] (refused while messages or traces are in flight with it)" },
	{ "peer ping", peer_ping, "NAME (end-to-end round trip)" },
	{ "peer policy", peer_policy,
	  "NAME [--traces auto|review|deny] [--stolen clear|blind|deny] "
	  "[--candidates allow|deny] [--daily-limit N] [--blind-limit N] "
	  "[--disclose party,place,ref|none]" },
	{ NULL },
};
