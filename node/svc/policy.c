/* SPDX-License-Identifier: Apache-2.0 */
/* Per-peer policy: whether its trace requests are answered automatically,
 * reviewed or refused, whether it may ask about lost/stolen guns, how many
 * requests a day it may make, and which event fields it may see. */
#include <stdlib.h>
#include <string.h>

#include "../node.h"

#define DAILY_LIMIT_DEFAULT 1000

const char *policy_traces(const struct peer *p)
{
	return p->rec.traces[0] ? p->rec.traces : "review";
}

int policy_stolen_allowed(const struct peer *p)
{
	return strcmp(p->rec.stolen, "deny") != 0;
}

/* The count lives in the store, so a restart does not reset it; a key
 * per peer holds {day, count}. */
int policy_take(struct store_txn *t, const struct peer *p)
{
	uint64_t day = node_now_ms() / 86400000, v[2] = { 0, 0 };
	uint32_t limit = p->rec.daily_limit ? p->rec.daily_limit : DAILY_LIMIT_DEFAULT;
	char key[32];
	size_t len = 0;
	int rc;

	snprintf(key, sizeof(key), "policy:today:%s", p->rec.name);
	rc = store_meta_get(t, key, v, sizeof(v), &len);
	if (rc && rc != TN_ERR_NOT_FOUND)
		return rc;
	if (rc || len != sizeof(v) || v[0] != day) {
		v[0] = day;
		v[1] = 0;
	}
	if (v[1] >= limit)
		return TN_ERR_LIMIT;
	v[1]++;
	return store_meta_put(t, key, v, sizeof(v));
}

int policy_discloses(const struct peer *p, const char *field)
{
	const char *d = p->rec.disclose;
	size_t n = strlen(field);

	if (!d[0])
		return 1;
	for (const char *s = d; (s = strstr(s, field)); s += n)
		if ((s == d || s[-1] == ',') && (s[n] == ',' || s[n] == '\0'))
			return 1;
	return 0;
}

static int valid(const struct tn_policy_arg *a)
{
	static const char *const fields[] = { "party", "place", "ref", "none" };
	char copy[sizeof(a->disclose)], *tok, *save;

	if (a->traces[0] && strcmp(a->traces, "auto") && strcmp(a->traces, "review") &&
	    strcmp(a->traces, "deny"))
		return 0;
	if (a->stolen[0] && strcmp(a->stolen, "allow") && strcmp(a->stolen, "deny"))
		return 0;
	memcpy(copy, a->disclose, sizeof(copy));
	for (tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		size_t i = 0;

		while (i < 4 && strcmp(tok, fields[i]))
			i++;
		if (i == 4)
			return 0;
	}
	return 1;
}

struct policy_job {
	struct console_req *req;
	struct tn_peer rec;
};

static int put_op(struct store_txn *t, void *arg)
{
	struct policy_job *j = arg;
	int rc = store_peer_put(t, &j->rec);

	return rc ? rc : node_audit_local(t, "peer.policy", 0,
		"%s traces=%s stolen=%s limit=%u disclose=%s", j->rec.name, j->rec.traces,
		j->rec.stolen, j->rec.daily_limit, j->rec.disclose);
}

static void applied(void *arg, int rc)
{
	struct policy_job *j = arg;
	struct peer *p = peer_by_name(console_node(j->req), j->rec.name);
	struct tn_peer_status st;

	if (!rc && !p)
		rc = TN_ERR_NOT_FOUND;
	if (rc) {
		console_fail(j->req, rc, NULL);
	} else {
		p->rec = j->rec;
		peer_status(p, &st);
		console_ok(j->req, &proto_peer_status_schema, &st);
	}
	free(j);
}

static int peer_policy(struct console_req *r)
{
	struct tn_policy_arg a;
	struct policy_job *j;
	struct peer *p;

	if (console_args(r, &proto_policy_arg_schema, &a))
		return 0;
	if (!(p = peer_by_name(console_node(r), a.name)))
		return TN_ERR_NOT_FOUND;
	if (!valid(&a)) {
		console_fail(r, TN_ERR_INVALID, "--traces auto|review|deny, --stolen allow|deny, "
			     "--disclose party,place,ref|none");
		return 0;
	}
	if (!(j = calloc(1, sizeof(*j))))
		return TN_ERR_NOMEM;
	j->rec = p->rec;
	if (a.traces[0])
		memcpy(j->rec.traces, a.traces, sizeof(a.traces));
	if (a.stolen[0])
		memcpy(j->rec.stolen, a.stolen, sizeof(a.stolen));
	if (a.daily_limit)
		j->rec.daily_limit = a.daily_limit;
	if (a.disclose[0])
		memcpy(j->rec.disclose, a.disclose, sizeof(a.disclose));
	j->req = console_defer(r);
	batch_add(console_node(r), put_op, applied, j);
	return 0;
}

const struct console_cmd cmd_policy_table[] = {
	{ "peer.policy", peer_policy },
	{ NULL, NULL },
};
