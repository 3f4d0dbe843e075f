/* SPDX-License-Identifier: Apache-2.0 */
/* tracectl audit: list the tamper-evident audit log, or verify its hash
 * chain (exit 1 when it is broken). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ctl.h"

/* UTC midnight of a YYYY-MM-DD date, in ms since the epoch. */
static int date_ms(const char *date, uint64_t *ms)
{
	struct tm tm = { 0 };
	time_t t;

	if (proto_date_check(date) ||
	    sscanf(date, "%d-%d-%d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday) != 3)
		return -1;
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	t = timegm(&tm);
	*ms = t > 0 ? (uint64_t)t * 1000 : 0;
	return 0;
}

static void print_entries(const void *obj)
{
	const struct tn_audit_list *l = obj;
	char when[32];
	struct tm tm;
	time_t t;

	if (!l->n) {
		printf("no audit entry\n");
		return;
	}
	printf("%-6s %-19s %-4s %-5s %-16s %-18s %s\n", "SEQ", "TIME UTC", "PEER", "DIR",
	       "TYPE", "REF", "OUTCOME");
	for (uint32_t i = 0; i < l->n; i++) {
		const struct tn_audit *a = &l->entries[i];

		t = (time_t)(a->ts / 1000);
		if (!gmtime_r(&t, &tm) || !strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S", &tm))
			snprintf(when, sizeof(when), "?");
		/* ctl_str rotates four buffers: at most four calls per printf.
		 * Local entries have no peer, some no ref: those cells stay blank. */
		printf("%-6llu %-19s %-4s %-5s ", (unsigned long long)a->seq, when,
		       ctl_str(a->peer), ctl_str(a->dir));
		printf("%-16s %-18s %s\n", ctl_str(a->type), ctl_str(a->ref), ctl_str(a->outcome));
	}
}

/* The reason without its "entry K: " prefix, which the line already says. */
static const char *reason(const struct tn_audit_verify *v)
{
	char pre[40];
	int n = snprintf(pre, sizeof(pre), "entry %llu: ", (unsigned long long)v->first_bad);

	return strncmp(v->error, pre, (size_t)n) ? v->error : v->error + n;
}

static int audit_verify(struct ctl *c)
{
	struct tn_audit_verify v;
	struct proto_msg *m;
	int rc;

	if (ctl_call(c, CMD_AUDIT_VERIFY, NULL, &m))
		return 1;
	rc = proto_msg_decode(m, "data", &proto_audit_verify_schema, &v);
	proto_msg_free(m);
	if (!rc && c->json)
		rc = proto_json_write(&proto_audit_verify_schema, &v, stdout);
	if (rc)
		return ctl_fail("cannot show the reply: %s", tn_strerror(rc));
	if (c->json)
		return v.first_bad ? 1 : 0;
	if (v.first_bad)
		return ctl_fail("audit chain broken at entry %llu: %s",
				(unsigned long long)v.first_bad, ctl_str(reason(&v)));
	printf("audit chain intact: %llu entries\n", (unsigned long long)v.entries);
	return 0;
}

/* Options: --since YYYY-MM-DD, --limit N, or --verify alone. */
static int audit(struct ctl *c, int argc, char **argv)
{
	struct tn_audit_arg a = { 0 };
	char *end;

	if (argc == 1 && !strcmp(argv[0], "--verify"))
		return audit_verify(c);
	for (int i = 0; i < argc; i += 2) {
		if (i + 1 >= argc)
			return ctl_fail("usage: audit [--since YYYY-MM-DD] [--limit N] | --verify");
		if (!strcmp(argv[i], "--since")) {
			if (date_ms(argv[i + 1], &a.since_ms))
				return ctl_fail("--since must be YYYY-MM-DD, got '%s'", argv[i + 1]);
		} else if (!strcmp(argv[i], "--limit")) {
			unsigned long n = strtoul(argv[i + 1], &end, 10);

			if (*end || !n || n > TN_BATCH_MAX || argv[i + 1][0] == '-')
				return ctl_fail("--limit must be 1 to %d", TN_BATCH_MAX);
			a.limit = (uint32_t)n;
		} else {
			return ctl_fail("usage: audit [--since YYYY-MM-DD] [--limit N] | --verify");
		}
	}
	return ctl_run(c, CMD_AUDIT, &a, print_entries);
}

const struct ctl_cmd ctl_audit_cmds[] = {
	{ "audit", audit, "[--since YYYY-MM-DD] [--limit N] | --verify" },
	{ NULL },
};
