/* SPDX-License-Identifier: Apache-2.0 */
/* tracectl audit: list the tamper-evident audit log through filters,
 * verify it (audit_verify.c), write a signed export of it for offline
 * checking, and cut its front (retention). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "ctl.h"

#define DAY_MS 86400000ull
#define FILTERS "[--user U] [--officer O] [--case C] [--peer P] [--since DATE] [--until DATE]"

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

/* One "--option VALUE" of the filters into a; 1 when opt is not one. */
static int filter_opt(struct tn_audit_arg *a, const char *opt, const char *val)
{
	static const char *const text[][2] = {
		{ "--user", "user" }, { "--officer", "officer" }, { "--case", "case_ref" },
		{ "--peer", "peer" },
	};

	for (size_t i = 0; i < sizeof(text) / sizeof(text[0]); i++)
		if (!strcmp(opt, text[i][0]))
			return proto_field_set(&proto_audit_arg_schema, a, text[i][1], val) ?
			       -ctl_fail("%s '%s': too long or not valid text", opt, ctl_str(val)) : 0;
	if (!strcmp(opt, "--since") || !strcmp(opt, "--until")) {
		uint64_t *ms = opt[2] == 's' ? &a->since_ms : &a->until_ms;

		if (date_ms(val, ms))
			return -ctl_fail("%s must be YYYY-MM-DD, got '%s'", opt, ctl_str(val));
		if (opt[2] == 'u')
			*ms += DAY_MS;   /* up to the end of that day */
		return 0;
	}
	return 1;
}

/* The filters, and --limit (limit not NULL) or --out (out not NULL);
 * prints usage and returns 1 on anything else. */
static int options(int argc, char **argv, struct tn_audit_arg *a, const char **out,
		   const char *usage)
{
	char *end;
	int rc;

	for (int i = 0; i < argc; i += 2) {
		if (i + 1 >= argc)
			return ctl_fail("usage: %s", usage);
		if ((rc = filter_opt(a, argv[i], argv[i + 1])) < 0)
			return 1;
		if (!rc)
			continue;
		if (out && !strcmp(argv[i], "--out")) {
			*out = argv[i + 1];
		} else if (!out && !strcmp(argv[i], "--limit")) {
			unsigned long n = strtoul(argv[i + 1], &end, 10);

			if (*end || !n || n > TN_BATCH_MAX || argv[i + 1][0] == '-')
				return ctl_fail("--limit must be 1 to %d", TN_BATCH_MAX);
			a->limit = (uint32_t)n;
		} else {
			return ctl_fail("usage: %s", usage);
		}
	}
	return 0;
}

/* "officer/case", either alone, or blank. */
static const char *officer_case(const struct tn_audit *a, char *buf, size_t cap)
{
	snprintf(buf, cap, "%s%s%s", ctl_str(a->officer), a->officer[0] && a->case_ref[0] ?
		 "/" : "", ctl_str(a->case_ref));
	return buf;
}

/* How many spaces s ends with. */
static size_t trailing_spaces(const char *s)
{
	size_t n = strlen(s), k = 0;

	while (k < n && s[n - 1 - k] == ' ')
		k++;
	return k;
}

static void print_entries(const void *obj)
{
	const struct tn_audit_list *l = obj;
	char when[32], oc[2 * TN_REF_LEN], tail[4 * TN_REF_LEN];
	struct tm tm;
	time_t t;

	if (!l->n) {
		printf("no audit entry\n");
		return;
	}
	printf("%-6s %-19s %-4s %-5s %-16s %-18s %-9s %-10s %s\n", "SEQ", "TIME UTC", "PEER",
	       "DIR", "TYPE", "REF", "OUTCOME", "USER", "OFFICER/CASE");
	for (uint32_t i = 0; i < l->n; i++) {
		const struct tn_audit *a = &l->entries[i];

		t = (time_t)(a->ts / 1000);
		if (!gmtime_r(&t, &tm) || !strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S", &tm))
			proto_strcpy(when, sizeof(when), "?");
		/* ctl_str rotates four buffers: at most four calls per printf.
		 * Local entries have no peer, some no ref: those cells stay blank. */
		printf("%-6llu %-19s %-4s %-5s ", (unsigned long long)a->seq, when,
		       ctl_str(a->peer), ctl_str(a->dir));
		printf("%-16s %-18s ", ctl_str(a->type), ctl_str(a->ref));
		officer_case(a, oc, sizeof(oc));
		snprintf(tail, sizeof(tail), "%-9s %-10s %s", ctl_str(a->outcome), ctl_str(a->user),
			 oc);
		printf("%.*s\n", (int)(strlen(tail) - trailing_spaces(tail)), tail);
	}
}

#define AUDIT_USAGE FILTERS " [--limit N] | --verify [--witness PEER | --local] (DATE: " \
	"YYYY-MM-DD UTC; --until includes that day)"

static int audit(struct ctl *c, int argc, char **argv)
{
	struct tn_audit_arg a = { 0 };

	if (argc >= 1 && !strcmp(argv[0], "--verify"))
		return ctl_audit_verify(c, argc - 1, argv + 1);
	if (options(argc, argv, &a, NULL, "audit " AUDIT_USAGE))
		return 1;
	return ctl_run(c, CMD_AUDIT, &a, print_entries);
}

/* ---- audit export ---- */

static void print_written(const struct tn_audit_export *x, const char *path)
{
	printf("wrote %u audit entr%s of %s", x->n, x->n == 1 ? "y" : "ies", ctl_str(x->node));
	if (x->n)
		printf(" (seq %llu..%llu)", (unsigned long long)x->entries[0].seq,
		       (unsigned long long)x->entries[x->n - 1].seq);
	printf(" to %s\n", path);
}

/* The reply's export, re-encoded as the node signed it, into fd. */
static int write_export(struct ctl *c, struct proto_msg *m, int fd, const char *path)
{
	struct tn_audit_export x = { 0 };
	struct proto_buf b = { 0 };
	int rc;

	if ((rc = proto_msg_decode(m, "data", &proto_audit_export_schema, &x)) ||
	    (rc = proto_encode(&proto_audit_export_schema, &x, &b)))
		rc = ctl_fail("cannot read the export: %s", tn_strerror(rc));
	else if (write(fd, b.data, b.len) != (ssize_t)b.len || fsync(fd))
		rc = ctl_fail("cannot write %s: %s", path, strerror(errno));
	else if (c->json)
		rc = proto_json_write(&proto_audit_export_schema, &x, stdout) ?
		     ctl_fail("cannot show the export") : 0;
	else
		print_written(&x, path);
	proto_buf_free(&b);
	proto_release(&proto_audit_export_schema, &x);
	return rc;
}

#define EXPORT_USAGE "--out FILE " FILTERS

static int audit_export(struct ctl *c, int argc, char **argv)
{
	struct tn_audit_arg a = { 0 };
	const char *path = NULL;
	struct proto_msg *m;
	int fd, rc;

	if (options(argc, argv, &a, &path, "audit export " EXPORT_USAGE))
		return 1;
	if (!path)
		return ctl_fail("usage: audit export " EXPORT_USAGE);
	if ((fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600)) < 0)
		return ctl_fail("cannot create %s: %s (it must not exist)", path, strerror(errno));
	if (!(rc = ctl_call(c, CMD_AUDIT_EXPORT, &a, &m))) {
		rc = write_export(c, m, fd, path);
		proto_msg_free(m);
	}
	if (close(fd) && !rc)
		rc = ctl_fail("cannot write %s: %s", path, strerror(errno));
	if (rc)
		unlink(path);
	return rc;
}

static void print_retain(const void *obj)
{
	const struct tn_audit_retain *r = obj;

	printf("deleted %llu entr%s; the log now starts at entry %llu\n",
	       (unsigned long long)r->deleted, r->deleted == 1 ? "y" : "ies",
	       (unsigned long long)r->from_seq);
}

static void print_checkpoint(const void *obj)
{
	const struct tn_checkpoint *cp = obj;
	char root[2 * TN_HASH_LEN + 1];

	for (int i = 0; i < TN_HASH_LEN; i++)
		snprintf(root + 2 * i, 3, "%02x", cp->root[i]);
	printf("checkpoint of %s at entry %llu, root %.16s..., signed and queued to every "
	       "pinned peer to witness\n", cp->node, (unsigned long long)cp->size, root);
}

/* "audit export" and "audit retain" before "audit", which matches them too. */
const struct ctl_cmd ctl_audit_cmds[] = {
	{ "audit export", audit_export, EXPORT_USAGE " (a signed file; tracectl verify "
	  "checks it)" },
	{ "audit checkpoint", NULL, "sign the log's head now and send it to the peers to "
	  "witness (admin)", CMD_AUDIT_CHECKPOINT, print_checkpoint },
	{ "audit retain", NULL, "delete the entries older than [audit] retention (admin)",
	  CMD_AUDIT_RETAIN, print_retain },
	{ "audit", audit, AUDIT_USAGE },
	{ NULL },
};
