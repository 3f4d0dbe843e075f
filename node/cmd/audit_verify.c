/* SPDX-License-Identifier: Apache-2.0 */
/* Console command `audit.verify`: the local hash chain, and against it
 * the checkpoint of our log that each witness holds, asked live and all
 * at once. A witness whose checkpoint the log does not contain (rewritten)
 * or reaches beyond (behind) fails the verification; one that does not
 * answer is reported and does not. */
#include <stdlib.h>
#include <string.h>

#include "cmd.h"

struct verify_job;

/* The callback argument of one witness asked. */
struct asked {
	struct verify_job *job;
	uint32_t i;
};

struct verify_job {
	struct console_req *req;
	struct node *node;
	uint32_t n, waiting;
	struct tn_audit_witness *w;   /* the reply's rows, one per witness */
	struct tn_checkpoint *cp;     /* what each one holds (size 0: nothing to check) */
	struct asked *asked;
};

/* j's arrays (j itself belongs to its request). */
static void job_free(struct verify_job *j)
{
	free(j->w);
	free(j->cp);
	free(j->asked);
}

static void set(struct tn_audit_witness *w, const char *status, const char *reason)
{
	proto_strcpy(w->status, sizeof(w->status), status);
	proto_strcpy(w->reason, sizeof(w->reason), reason);
}

/* The local log against checks[0..k) (each from the row rows[i] names). */
static int check_all(struct verify_job *j, struct tn_audit_verify *v, struct audit_check *checks,
		     uint32_t *rows, uint32_t *k)
{
	struct store_txn *t;
	int rc;

	*k = 0;
	for (uint32_t i = 0; i < j->n; i++)
		if (!j->w[i].status[0]) {
			checks[*k].cp = j->cp[i];
			rows[(*k)++] = i;
		}
	if ((rc = store_read_begin(j->node->store, &t)))
		return rc;
	rc = audit_chain_verify_at(j->node, t, v, checks, *k);
	store_read_end(t);
	return rc;
}

/* Row w's status from its check; the verification fails on a witness
 * that saw entries the log does not have as they were. */
static void judge(struct tn_audit_verify *v, struct tn_audit_witness *w, int result)
{
	uint64_t last = v->from_seq + v->entries - 1;
	char why[TN_TEXT_LEN];

	if (result == 0) {
		set(w, "contains", "");
		return;
	}
	if (result == TN_ERR_NOT_FOUND) {
		snprintf(why, sizeof(why), "it witnessed %llu entries; the local log ends at %llu "
			 "(restored from an older copy?)", (unsigned long long)w->size,
			 (unsigned long long)last);
		set(w, "behind", why);
	} else if (result == TN_ERR_INVALID) {
		snprintf(why, sizeof(why), "entries 1 to %llu of the local log are not those it "
			 "witnessed", (unsigned long long)w->size);
		set(w, "rewritten", why);
	} else {
		set(w, "error", tn_strerror(result));
		return;
	}
	if (v->first_bad)
		return;
	v->first_bad = result == TN_ERR_NOT_FOUND ? last + 1 : w->size;
	snprintf(v->error, sizeof(v->error), "witness %s: %.200s", w->peer, why);
}

/* Every witness answered or gave up: check, reply. The reply frees r,
 * and j with it, so j's arrays go first (into a copy). */
static void finish(struct verify_job *j)
{
	struct audit_check *checks = calloc(j->n ? j->n : 1, sizeof(*checks));
	uint32_t *rows = calloc(j->n ? j->n : 1, sizeof(*rows)), k = 0;
	struct verify_job arrays = *j;
	struct tn_audit_verify v;
	int rc = !checks || !rows ? TN_ERR_NOMEM : check_all(j, &v, checks, rows, &k);

	for (uint32_t i = 0; !rc && i < k; i++)
		judge(&v, &j->w[rows[i]], checks[i].result);
	free(checks);
	free(rows);
	if (rc) {
		console_fail(j->req, rc, NULL);
	} else {
		v.n = j->n;
		v.witnesses = j->w;
		console_ok(j->req, &proto_audit_verify_schema, &v);
	}
	job_free(&arrays);
}

static void one_less(struct verify_job *j)
{
	if (--j->waiting == 0)
		finish(j);
}

static void answered(void *arg, int rc, const struct tn_checkpoint *cp,
		     const uint8_t cosig[TN_SIG_LEN])
{
	struct asked *a = arg;
	struct tn_audit_witness *w = &a->job->w[a->i];

	(void)cosig;
	w->size = cp->size;
	w->ts = cp->ts;
	if (rc == TN_ERR_BAD_SIG)
		set(w, "bad_signature", "its answer is not a checkpoint we signed, cosigned by it");
	else if (rc == TN_ERR_TIMEOUT)
		set(w, "unreachable", "no answer within 5 s");
	else if (rc)
		set(w, "unreachable", tn_strerror(rc));
	else if (!cp->size)
		set(w, "none", "it holds no checkpoint of our log");
	else
		a->job->cp[a->i] = *cp;
	one_less(a->job);
}

static void ask(struct verify_job *j, struct peer *p)
{
	uint32_t i = j->n++;
	int rc;

	memcpy(j->w[i].peer, p->rec.name, sizeof(j->w[i].peer));
	j->asked[i] = (struct asked){ j, i };
	if (!p->link) {
		set(&j->w[i], "unreachable", "no link");
		return;
	}
	j->waiting++;
	if ((rc = witness_ask(j->node, p, answered, &j->asked[i]))) {
		set(&j->w[i], "unreachable", tn_strerror(rc));
		j->waiting--;
	}
}

static int audit_verify(struct console_req *r, void *args)
{
	const struct tn_audit_verify_arg *a = args;
	struct node *n = console_node(r);
	struct peer *one = a->witness[0] ? peer_by_name(n, a->witness) : NULL;
	struct verify_job *j;
	uint32_t count = 0;

	if (a->witness[0] && !one)
		return cmd_not_pinned(r, a->witness);
	if (a->local && a->witness[0])
		return cmd_fail(r, TN_ERR_INVALID, "give a witness or local, not both");
	for (struct peer *p = n->peers; p; p = p->next)
		count++;
	if (!(j = console_alloc(r, NULL, sizeof(*j))) ||
	    !(j->w = calloc(count + 1, sizeof(*j->w))) ||
	    !(j->cp = calloc(count + 1, sizeof(*j->cp))) ||
	    !(j->asked = calloc(count + 1, sizeof(*j->asked)))) {
		if (j)
			job_free(j);
		return TN_ERR_NOMEM;
	}
	j->req = console_defer(r);
	j->node = n;
	j->waiting = 1;            /* the asking itself, so that no answer ends it early */
	for (struct peer *p = n->peers; p && !a->local; p = p->next)
		if (!one || p == one)
			ask(j, p);
	one_less(j);
	return 0;
}

const struct cmd_handler cmd_audit_verify_table[] = {
	{ CMD_AUDIT_VERIFY, audit_verify },
	{ CMD_COUNT, NULL },
};
