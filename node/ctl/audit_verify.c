/* SPDX-License-Identifier: Apache-2.0 */
/* tracectl audit --verify: the node recomputes its hash chain and checks
 * it against the checkpoint each witness holds; one line per witness,
 * then the verdict (exit 1 when the chain is broken, or a witness saw
 * entries the log no longer has as they were). */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "ctl.h"

#define VERIFY_USAGE "audit --verify [--witness PEER | --local]"

/* The reason without its "entry K: " prefix, which the line already says. */
static const char *reason(const struct tn_audit_verify *v)
{
	char pre[40];
	int n = snprintf(pre, sizeof(pre), "entry %llu: ", (unsigned long long)v->first_bad);

	return strncmp(v->error, pre, (size_t)n) ? v->error : v->error + n;
}

/* "2026-11-30 10:00 UTC" */
static void utc(char out[32], uint64_t ms)
{
	time_t t = (time_t)(ms / 1000);
	struct tm tm;

	if (!gmtime_r(&t, &tm) || !strftime(out, 32, "%Y-%m-%d %H:%M UTC", &tm))
		snprintf(out, 32, "%llu ms", (unsigned long long)ms);
}

static void print_witness(const struct tn_audit_witness *w)
{
	static const char *const said[][2] = {
		{ "contains", "contained" },
		{ "rewritten", "NOT in the local log (rewritten)" },
		{ "behind", "beyond the end of the local log (behind)" },
	};
	char when[32];

	if (!strcmp(w->status, "none")) {
		printf("%s holds no checkpoint of this log\n", ctl_str(w->peer));
		return;
	}
	if (!w->size || !strcmp(w->status, "unreachable") || !strcmp(w->status, "bad_signature")) {
		printf("%s: %s (%s)\n", ctl_str(w->peer), ctl_str(w->status), ctl_str(w->reason));
		return;
	}
	utc(when, w->ts);
	printf("%s holds checkpoint %llu (%s): ", ctl_str(w->peer), (unsigned long long)w->size,
	       when);
	for (size_t i = 0; i < sizeof(said) / sizeof(said[0]); i++)
		if (!strcmp(w->status, said[i][0])) {
			printf("%s\n", said[i][1]);
			return;
		}
	printf("%s (%s)\n", ctl_str(w->status), ctl_str(w->reason));
}

static int show(struct ctl *c, const struct tn_audit_verify *v)
{
	if (c->json) {
		if (proto_json_write(&proto_audit_verify_schema, v, stdout))
			return ctl_fail("cannot show the reply");
		return v->first_bad ? 1 : 0;
	}
	for (uint32_t i = 0; i < v->n; i++)
		print_witness(&v->witnesses[i]);
	if (v->first_bad)
		return ctl_fail("audit chain broken at entry %llu: %s",
				(unsigned long long)v->first_bad, ctl_str(reason(v)));
	printf("audit chain intact: %llu entries\n", (unsigned long long)v->entries);
	return 0;
}

int ctl_audit_verify(struct ctl *c, int argc, char **argv)
{
	struct tn_audit_verify_arg a = { .local = false };
	struct tn_audit_verify v;
	struct proto_msg *m;
	int rc;

	for (int i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "--local") && !a.local)
			a.local = true;
		else if (!strcmp(argv[i], "--witness") && i + 1 < argc && !a.witness[0] &&
			 !proto_field_set(&proto_audit_verify_arg_schema, &a, "witness", argv[i + 1]))
			i++;
		else
			return ctl_fail("usage: " VERIFY_USAGE);
	}
	if (a.local && a.witness[0])
		return ctl_fail("usage: " VERIFY_USAGE " (a witness, or none)");
	if (ctl_call(c, CMD_AUDIT_VERIFY, &a, &m))
		return 1;
	rc = proto_msg_decode(m, "data", &proto_audit_verify_schema, &v);
	proto_msg_free(m);
	if (rc)
		return ctl_fail("cannot show the reply: %s", tn_strerror(rc));
	rc = show(c, &v);
	proto_release(&proto_audit_verify_schema, &v);
	return rc;
}
