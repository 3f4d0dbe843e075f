/* SPDX-License-Identifier: Apache-2.0 */
/* Per-peer policy: whether its trace requests are answered automatically,
 * reviewed or refused, whether it may ask about lost/stolen guns (in
 * clear, or blind), whether
 * it is offered candidates for misread serials, how many requests a day
 * it may make (a fuzzy lookup counting as TN_FUZZY_UNITS), and which
 * event fields it may see. */
#include <stdlib.h>
#include <string.h>

#include "svc.h"

#define DAILY_LIMIT_DEFAULT 1000

const char *policy_traces(const struct peer *p)
{
	return p->rec.traces[0] ? p->rec.traces : "review";
}

int policy_stolen_allowed(const struct peer *p)
{
	return strcmp(p->rec.stolen, "deny") != 0;
}

int policy_stolen_blind(const struct peer *p)
{
	return !strcmp(p->rec.stolen, "blind");
}

/* The counts live in the store, so a restart does not reset them; a key
 * per peer and kind holds {day, count}. */
static int take(struct store_txn *t, const char *key, uint32_t limit, uint32_t units)
{
	uint64_t day = node_now_ms() / 86400000, v[2] = { 0, 0 };
	size_t len = 0;
	int rc;

	rc = store_meta_get(t, key, v, sizeof(v), &len);
	if (rc && rc != TN_ERR_NOT_FOUND)
		return rc;
	if (rc || len != sizeof(v) || v[0] != day) {
		v[0] = day;
		v[1] = 0;
	}
	if (v[1] + units > limit)
		return TN_ERR_LIMIT;
	v[1] += units;
	return store_meta_put(t, key, v, sizeof(v));
}

int policy_take(struct store_txn *t, const struct peer *p, uint32_t units)
{
	char key[32];

	snprintf(key, sizeof(key), "policy:today:%s", p->rec.name);
	return take(t, key, policy_daily_limit(p), units);
}

int policy_take_blind(struct store_txn *t, const struct peer *p, uint32_t units)
{
	char key[32];

	snprintf(key, sizeof(key), "policy:blind:%s", p->rec.name);
	return take(t, key, p->rec.blind_limit ? p->rec.blind_limit : TN_BLIND_LIMIT, units);
}

int policy_candidates(const struct peer *p)
{
	return !strcmp(p->rec.candidates, "allow");
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

uint32_t policy_daily_limit(const struct peer *p)
{
	return p->rec.daily_limit ? p->rec.daily_limit : DAILY_LIMIT_DEFAULT;
}

static int known(const char *v, const char *const *words, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(v, words[i]))
			return 1;
	return 0;
}

int policy_check(const struct tn_policy_arg *a, char *why, size_t len)
{
	static const char *const traces[] = { "auto", "review", "deny" };
	static const char *const allow[] = { "allow", "deny" };
	static const char *const stolen[] = { "clear", "blind", "deny", "allow" };
	static const char *const fields[] = { "party", "place", "ref", "none" };
	char copy[sizeof(a->disclose)], *tok, *save;
	int ok = (!a->traces[0] || known(a->traces, traces, 3)) &&
		 (!a->stolen[0] || known(a->stolen, stolen, 4)) &&
		 (!a->candidates[0] || known(a->candidates, allow, 2));

	memcpy(copy, a->disclose, sizeof(copy));
	for (tok = strtok_r(copy, ",", &save); ok && tok; tok = strtok_r(NULL, ",", &save))
		ok = known(tok, fields, 4);
	if (ok)
		return 0;
	snprintf(why, len, "--traces auto|review|deny, --stolen clear|blind|deny, "
		 "--candidates allow|deny, --disclose party,place,ref|none");
	return TN_ERR_INVALID;
}

void policy_apply(struct tn_peer *rec, const struct tn_policy_arg *a)
{
	if (a->traces[0])
		memcpy(rec->traces, a->traces, sizeof(a->traces));
	if (a->stolen[0])
		memcpy(rec->stolen, a->stolen, sizeof(a->stolen));
	if (a->daily_limit)
		rec->daily_limit = a->daily_limit;
	if (a->disclose[0])
		memcpy(rec->disclose, a->disclose, sizeof(a->disclose));
	if (a->candidates[0])
		memcpy(rec->candidates, a->candidates, sizeof(a->candidates));
	if (a->blind_limit)
		rec->blind_limit = a->blind_limit;
}
