/* SPDX-License-Identifier: Apache-2.0 */
/* Key rotation notices: signed by the old and the new key over the
 * labelled body; refused under another label, with the keys swapped, or
 * with any byte of the body changed; node.key.next made once, 0600, and
 * promoted over node.key with the old one kept. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>
#include <sodium.h>

#include "../../proto/proto.h"
#include "crypto_pair.h"

#define OK(x) assert_int_equal((x), 0)

static void notice(const struct pair *p, struct tn_key_rotation *r)
{
	memset(r, 0, sizeof(*r));
	memcpy(r->node, "GTM", 4);
	r->ts = 1767225600000ull;
	OK(cx_rotation_sign(p->a, p->b, r));
}

static void test_notice_verifies_with_both_keys(void **state)
{
	struct tn_key_rotation r;

	notice(*state, &r);
	OK(cx_rotation_verify(&r));
}

/* The body by hand: label NUL || msgpack {node, old_pk, new_pk, ts}. */
static void test_signatures_are_over_the_rotation_label_alone(void **state)
{
	const struct pair *p = *state;
	const char *label = "tracenet/1 rotation";
	struct proto_buf b = { 0 };
	struct tn_key_rotation r;
	uint8_t buf[512], sig[64];
	size_t n = strlen(label) + 1;

	notice(p, &r);
	OK(proto_encode(&proto_key_rotation_body_schema, &r, &b));
	memcpy(buf, label, n);
	memcpy(buf + n, b.data, b.len);
	OK(crypto_sign_verify_detached(r.sig_old, buf, n + b.len, r.old_pk));
	OK(crypto_sign_verify_detached(r.sig_new, buf, n + b.len, r.new_pk));
	/* Another purpose's label over the same body does not check. */
	OK(cx_sign_for(p->a, CX_CHECKPOINT, &(struct cx_part){ b.data, b.len }, 1, sig));
	memcpy(r.sig_old, sig, 64);
	assert_int_equal(cx_rotation_verify(&r), TN_ERR_BAD_SIG);
	proto_buf_free(&b);
}

static void test_swapped_keys_or_signatures_are_refused(void **state)
{
	struct tn_key_rotation r, s;

	notice(*state, &r);
	s = r;
	memcpy(s.old_pk, r.new_pk, 32);
	memcpy(s.new_pk, r.old_pk, 32);
	assert_int_equal(cx_rotation_verify(&s), TN_ERR_BAD_SIG);
	s = r;
	memcpy(s.sig_old, r.sig_new, 64);
	memcpy(s.sig_new, r.sig_old, 64);
	assert_int_equal(cx_rotation_verify(&s), TN_ERR_BAD_SIG);
	s = r;
	memcpy(s.new_pk, r.old_pk, 32);
	assert_int_equal(cx_rotation_verify(&s), TN_ERR_INVALID);
}

static void test_any_changed_byte_is_refused(void **state)
{
	struct tn_key_rotation r, s;
	uint8_t *fields[] = { (uint8_t *)r.node, r.old_pk, r.new_pk, (uint8_t *)&r.ts,
			      r.sig_old, r.sig_new };
	size_t lens[] = { 3, 32, 32, 8, 64, 64 };

	notice(*state, &r);
	for (size_t f = 0; f < sizeof(lens) / sizeof(lens[0]); f++)
		for (size_t i = 0; i < lens[f]; i++) {
			s = r;
			((uint8_t *)&s)[fields[f] - (uint8_t *)&r + i] ^= 0x01;
			assert_int_not_equal(cx_rotation_verify(&s), 0);
		}
}

/* The mid is not signed: the outbox may choose it. */
static void test_mid_is_outside_the_signature(void **state)
{
	struct tn_key_rotation r;

	notice(*state, &r);
	r.mid[3] ^= 0xff;
	OK(cx_rotation_verify(&r));
}

static void test_next_key_is_made_once_and_promoted(void **state)
{
	const struct pair *p = *state;
	char path[512], pub[64];
	struct cx_id *next, *now;
	struct stat st;
	FILE *f;

	OK(cx_id_next_create(p->da));
	assert_int_equal(cx_id_next_create(p->da), TN_ERR_EXISTS);
	snprintf(path, sizeof(path), "%s/node.key.next", p->da);
	OK(stat(path, &st));
	assert_int_equal(st.st_mode & 0777, 0600);
	OK(cx_id_next_load(&next, p->da));
	OK(cx_id_promote(p->da, next));
	assert_int_not_equal(access(path, F_OK), 0);
	OK(cx_id_load(&now, p->da));
	assert_memory_equal(cx_id_pk(now), cx_id_pk(next), 32);
	snprintf(path, sizeof(path), "%s/node.key.old", p->da);
	OK(stat(path, &st));
	assert_int_equal(st.st_mode & 0777, 0600);
	snprintf(path, sizeof(path), "%s/node.pub", p->da);
	assert_non_null(f = fopen(path, "r"));
	assert_non_null(fgets(pub, sizeof(pub), f));
	fclose(f);
	pub[strcspn(pub, "\n")] = '\0';
	{
		char want[CX_KEY_TEXT_LEN];

		cx_key_format(cx_id_pk(next), want);
		assert_string_equal(pub, want);
	}
	assert_int_equal(cx_id_next_load(&now, p->da) == 0, 0);
	cx_id_free(next);
	cx_id_free(now);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_notice_verifies_with_both_keys),
		cmocka_unit_test(test_signatures_are_over_the_rotation_label_alone),
		cmocka_unit_test(test_swapped_keys_or_signatures_are_refused),
		cmocka_unit_test(test_any_changed_byte_is_refused),
		cmocka_unit_test(test_mid_is_outside_the_signature),
		cmocka_unit_test(test_next_key_is_made_once_and_promoted),
	};

	if (cx_init())
		return 1;
	return cmocka_run_group_tests(tests, pair_setup, pair_teardown);
}
