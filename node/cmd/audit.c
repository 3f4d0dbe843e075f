/* SPDX-License-Identifier: Apache-2.0 */
/* Console commands on the audit log: `audit` lists the entries a filter
 * selects (newest last), `audit.export` signs an extract that anyone can
 * check offline (`audit.verify` is in audit_verify.c). */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cmd.h"

#define AUDIT_LIMIT_DEFAULT 1000

/* The newest cap matching entries, in a ring; with from_seq the first cap
 * from there on instead. */
struct collect {
	struct tn_audit *ring;
	uint32_t cap;
	uint64_t seen;          /* entries kept, ever */
	const struct tn_audit_arg *filter;
	int forward;
};

static int collect(void *arg, const struct tn_audit *a)
{
	struct collect *c = arg;

	if (!proto_audit_match(c->filter, a))
		return 0;
	if (c->forward && c->seen == c->cap)
		return 1;
	c->ring[c->seen++ % c->cap] = *a;
	return 0;
}

/* Unroll the ring, oldest first, into l. */
static int to_list(struct collect *c, struct tn_audit_list *l)
{
	uint32_t n = c->seen < c->cap ? (uint32_t)c->seen : c->cap;
	uint32_t start = c->seen <= c->cap ? 0 : (uint32_t)(c->seen % c->cap);

	l->n = n;
	if (!n)
		return 0;
	if (!(l->entries = malloc(n * sizeof(*l->entries))))
		return TN_ERR_NOMEM;
	memcpy(l->entries, c->ring + start, (n - start) * sizeof(*l->entries));
	memcpy(l->entries + (n - start), c->ring, start * sizeof(*l->entries));
	return 0;
}

static int audit_list(struct console_req *r, void *args)
{
	const struct tn_audit_arg *a = args;
	struct tn_audit_list l = { 0 };
	struct collect c = { 0 };
	struct store_txn *t;
	int rc;

	c.cap = a->limit ? (a->limit < TN_BATCH_MAX ? a->limit : TN_BATCH_MAX)
			 : AUDIT_LIMIT_DEFAULT;
	c.filter = a;
	c.forward = a->from_seq != 0;
	if (!(c.ring = calloc(c.cap, sizeof(*c.ring))))
		return TN_ERR_NOMEM;
	if ((rc = store_read_begin(console_node(r)->store, &t)) == 0) {
		rc = store_audit_each(t, a->from_seq, collect, &c);
		store_read_end(t);
	}
	if (rc == TN_ERR_STORE)
		console_fail(r, rc, "an audit entry does not decode: run audit --verify");
	else if (rc >= 0 && !(rc = to_list(&c, &l)))
		console_ok(r, &proto_audit_list_schema, &l);
	free(l.entries);
	free(c.ring);
	return rc < 0 && rc != TN_ERR_STORE ? rc : 0;
}

/* ---- audit.export ---- */

struct export_job {
	struct cmd_write w;        /* reply: the struct tn_audit_export */
	uint32_t cap;              /* entries allocated in the reply */
};

static int add_match(void *arg, const struct tn_audit *a)
{
	struct export_job *j = arg;
	struct tn_audit_export *x = j->w.reply;
	int rc;

	if (!proto_audit_match(j->w.args, a))
		return 0;
	if (x->n == TN_BATCH_MAX)
		return TN_ERR_LIMIT;
	if ((rc = proto_grow((void **)&x->entries, x->n, &j->cap, sizeof(*x->entries))))
		return rc;
	x->entries[x->n++] = *a;   /* flat: nothing to copy deeply */
	return 0;
}

/* A time for the export's audit entry: the day alone at midnight UTC. */
static void when(char out[24], uint64_t ms)
{
	time_t t = (time_t)(ms / 1000);
	struct tm tm;

	if (!gmtime_r(&t, &tm) || !strftime(out, 24, ms % 86400000 ? "%Y-%m-%dT%H:%M:%SZ" :
					     "%Y-%m-%d", &tm))
		snprintf(out, 24, "%llu", (unsigned long long)ms);
}

/* Cut s back to whole UTF-8 characters (after snprintf cut it short). */
static void utf8_cut(char *s)
{
	size_t n = strlen(s), i = n;
	unsigned char lead;

	while (i && ((unsigned char)s[i - 1] & 0xc0) == 0x80)
		i--;
	if (!i || !((lead = (unsigned char)s[i - 1]) & 0x80))
		return;
	if (n - (i - 1) < (size_t)(lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : 2))
		s[i - 1] = '\0';
}

/* Append ", LABEL VALUE" to out (TN_TEXT_LEN bytes) when value is given. */
static void detail_add(char *out, const char *label, const char *value)
{
	size_t n = strlen(out);

	if (value[0] && snprintf(out + n, TN_TEXT_LEN - n, ", %s %s", label, value) >=
			(int)(TN_TEXT_LEN - n))
		utf8_cut(out);
}

/* "N entries" and the filter that selected them, for the audit entry. */
static void export_detail(char out[TN_TEXT_LEN], uint32_t n, const struct tn_audit_arg *f)
{
	char since[24] = "", until[24] = "", from[24] = "";

	if (f->since_ms)
		when(since, f->since_ms);
	if (f->until_ms)
		when(until, f->until_ms);
	if (f->from_seq)
		snprintf(from, sizeof(from), "%llu", (unsigned long long)f->from_seq);
	snprintf(out, TN_TEXT_LEN, "%u entries", n);
	detail_add(out, "since", since);
	detail_add(out, "before", until);
	detail_add(out, "user", f->user);
	detail_add(out, "officer", f->officer);
	detail_add(out, "case", f->case_ref);
	detail_add(out, "peer", f->peer);
	detail_add(out, "from entry", from);
}

/* Collect, sign, audit. Runs again from scratch when the batch is rerun,
 * so it starts by emptying the reply it fills. */
static int export_op(struct store_txn *t, void *arg)
{
	struct export_job *j = arg;
	struct tn_audit_export *x = j->w.reply;
	const struct tn_audit_arg *f = j->w.args;
	char detail[TN_TEXT_LEN];
	int rc;

	proto_release(&proto_audit_export_schema, x);
	j->cap = 0;
	j->w.why[0] = '\0';
	if ((rc = store_audit_each(t, f->from_seq, add_match, j)) == TN_ERR_LIMIT)
		snprintf(j->w.why, sizeof(j->w.why), "more than %d audit entries match: narrow "
			 "the export with --since, --until, --user, --officer, --case or --peer",
			 TN_BATCH_MAX);
	else if (rc == TN_ERR_STORE)
		snprintf(j->w.why, sizeof(j->w.why), "an audit entry does not decode: run audit "
			 "--verify");
	if (rc < 0 || (rc = store_audit_head(t, &x->head_seq, x->head_hash)))
		return rc;
	if ((rc = store_audit_anchor_get(t, &x->anchor)) && rc != TN_ERR_NOT_FOUND)
		return rc;
	memcpy(x->node, j->w.node->cfg.name, sizeof(x->node));
	memcpy(x->key, cx_id_pk(j->w.node->id), sizeof(x->key));
	x->made_ms = node_now_ms();
	x->filter = *f;
	if ((rc = cx_export_sign(j->w.node->id, x)))
		return rc;
	export_detail(detail, x->n, f);
	return node_audit(t, NULL, "local", "audit.export", NULL, "ok", detail);
}

static int audit_export(struct console_req *r, void *args)
{
	const struct tn_audit_arg *a = args;
	struct export_job *j;

	if (a->limit)
		return cmd_fail(r, TN_ERR_INVALID, "an export holds every entry that matches: "
				"narrow it with filters, not a limit");
	if (!(j = cmd_job(r, args, sizeof(*j))))
		return TN_ERR_NOMEM;
	return cmd_write(&j->w, export_op, NULL);
}

const struct cmd_handler cmd_audit_table[] = {
	{ CMD_AUDIT, audit_list },
	{ CMD_AUDIT_EXPORT, audit_export },
	{ CMD_COUNT, NULL },
};
