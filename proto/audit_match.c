/* SPDX-License-Identifier: Apache-2.0 */
/* Which audit entries a filter selects: the one rule behind the console's
 * listing and the signed export, so that both select the same entries. */
#include <string.h>

#include "proto.h"

/* An empty filter string selects every entry; a given one only equal text. */
static int same(const char *want, const char *got)
{
	return !want[0] || !strcmp(want, got);
}

int proto_audit_match(const struct tn_audit_arg *f, const struct tn_audit *a)
{
	if (a->ts < f->since_ms || (f->until_ms && a->ts >= f->until_ms))
		return 0;
	return same(f->user, a->user) && same(f->officer, a->officer) &&
	       same(f->case_ref, a->case_ref) && same(f->peer, a->peer);
}
