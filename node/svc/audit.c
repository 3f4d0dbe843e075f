/* SPDX-License-Identifier: Apache-2.0 */
/* Entries of the tamper-evident audit log, written inside the store op of
 * the act they record so that the act and its entry commit together, each
 * naming the console user (and officer and case) the act was done for. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "svc.h"

void node_audit_hash(const void *m, size_t n, uint8_t out[32])
{
	cx_hash(m, n, out);
}

/* Copy s (NULL: empty), cut to fit. */
static void copy(char *dst, size_t cap, const char *s)
{
	size_t n = s ? strnlen(s, cap - 1) : 0;

	memcpy(dst, s ? s : "", n);
	dst[n] = '\0';
}

/* Fill a's user, uid, officer, ordered_by and case_ref from who (NULL:
 * leaves them empty). */
static void audit_who(struct tn_audit *a, const struct node_actor *who)
{
	char num[21];

	if (!who)
		return;
	copy(a->user, sizeof(a->user), who->user);
	proto_strcpy(a->uid, sizeof(a->uid), proto_utoa(num, who->uid));
	copy(a->officer, sizeof(a->officer), who->officer);
	copy(a->ordered_by, sizeof(a->ordered_by), who->ordered_by);
	copy(a->case_ref, sizeof(a->case_ref), who->case_ref);
}

int node_audit(struct store_txn *t, const char *peer, const char *dir, const char *type,
	       const char *ref, const char *outcome, const char *detail)
{
	struct tn_audit a = { .ts = node_now_ms() };

	copy(a.peer, sizeof(a.peer), peer);
	copy(a.dir, sizeof(a.dir), dir);
	copy(a.type, sizeof(a.type), type);
	copy(a.ref, sizeof(a.ref), ref);
	copy(a.outcome, sizeof(a.outcome), outcome);
	copy(a.detail, sizeof(a.detail), detail);
	audit_who(&a, batch_actor());
	return store_audit_append(t, &a, node_audit_hash);
}

const char *node_audit_items(char out[TN_TEXT_LEN], uint32_t n, const char *purpose)
{
	char num[21];
	size_t at = proto_cat(out, TN_TEXT_LEN, 0, proto_utoa(num, n));

	at = proto_cat(out, TN_TEXT_LEN, at, " item(s), purpose: ");
	proto_cat(out, TN_TEXT_LEN, at, purpose);
	return out;
}

int node_audit_local(struct store_txn *t, const char *type, uint64_t id, const char *fmt, ...)
{
	char ref[TN_REF_LEN] = "", detail[TN_TEXT_LEN];
	va_list ap;

	if (id)
		snprintf(ref, sizeof(ref), "%llu", (unsigned long long)id);
	va_start(ap, fmt);
	vsnprintf(detail, sizeof(detail), fmt, ap);
	va_end(ap);
	return node_audit(t, NULL, "local", type, ref, "ok", detail);
}
