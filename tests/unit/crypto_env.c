/* SPDX-License-Identifier: Apache-2.0 */
/* Helpers of the envelope unit tests; see crypto_env.h. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "crypto_env.h"

void env_init(struct tn_envelope *e)
{
	memset(e, 0, sizeof *e);
	e->v = TN_PROTO_VERSION;
	e->suite = TN_SUITE_BOX_ED25519;
	snprintf(e->type, sizeof e->type, "trace.req");
	snprintf(e->from, sizeof e->from, "MEX");
	snprintf(e->to, sizeof e->to, "GTM");
	e->ts = 1700000000123u;
	e->ttl = 3;
}

void env_keys(const struct pair *p, struct env_keys *k)
{
	assert_int_equal(cx_shared_key(p->a, cx_id_pk(p->b), k->ab), 0);
	assert_int_equal(cx_shared_key(p->b, cx_id_pk(p->a), k->ba), 0);
	k->apk = cx_id_pk(p->a);
	k->bpk = cx_id_pk(p->b);
}

void env_seal(const struct pair *p, const struct env_keys *k, struct tn_envelope *e,
	      const void *m, size_t n, int sign)
{
	env_init(e);
	assert_int_equal(cx_env_seal(e, p->a, k->ab, k->bpk, m, n, sign), 0);
	assert_non_null(e->body);
}

void env_free(struct tn_envelope *e)
{
	proto_release(&proto_envelope_schema, e);
}

void expect_open(const struct tn_envelope *e, const uint8_t *key, const uint8_t *pk,
		 const uint8_t *to_pk, int want)
{
	struct tn_sealed s;

	assert_int_equal(cx_env_open(e, key, pk, to_pk, &s), want);
	if (want != 0) {
		assert_null(s.m);
		assert_null(s.s);
		assert_int_equal(s.n_m, 0);
	}
	proto_release(&proto_sealed_schema, &s);
}

enum change change_header(struct tn_envelope *e, int i)
{
	switch (i) {
	case 0: e->type[0] = 'T'; return CHANGE_FIELD;
	case 1: e->type[0] = '\0'; return CHANGE_FIELD;
	case 2: strcat(e->type, "s"); return CHANGE_FIELD;
	case 3: e->from[2] = 'L'; return CHANGE_FIELD;
	case 4: e->from[0] = '\0'; return CHANGE_FIELD;
	case 5: e->to[0] = 'H'; return CHANGE_FIELD;
	case 6: snprintf(e->to, sizeof e->to, "MEX"); return CHANGE_FIELD; /* reflected */
	case 7: e->ts++; return CHANGE_FIELD;
	case 8: e->ts ^= 1ull << 63; return CHANGE_FIELD;
	case 9: e->v = 2; return CHANGE_VERSION;
	case 10: e->v = 0; return CHANGE_VERSION;
	case 11: e->suite = 2; return CHANGE_VERSION;
	default: return CHANGE_NONE;
	}
}
