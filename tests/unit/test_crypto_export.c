/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests of signed audit exports (crypto/export.c): an export as the
 * node signs it checks clean, from memory and read back from its bytes;
 * each kind of tampering is reported, naming the entry. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../../proto/proto.h"
#include "../../store/store.h"
#include "crypto_pair.h"
#include "tmpdir.h"

#define T0 1704067200000ull /* 2024-01-01T00:00:00Z */
#define MAX_SEEN 16

/* The problems a check reported. */
struct seen {
	int n;
	uint64_t seq[MAX_SEEN];
	char what[MAX_SEEN][TN_TEXT_LEN];
};

static void note(void *arg, uint64_t seq, const char *what)
{
	struct seen *s = arg;

	if (s->n < MAX_SEEN) {
		s->seq[s->n] = seq;
		snprintf(s->what[s->n], TN_TEXT_LEN, "%s", what);
	}
	s->n++;
}

static struct seen check(const struct tn_audit_export *x)
{
	struct seen s = { 0 };
	int n = cx_export_check(x, note, &s);

	assert_int_equal(n, s.n);
	return s;
}

static int has(const struct seen *s, const char *what)
{
	for (int i = 0; i < s->n && i < MAX_SEEN; i++)
		if (!strcmp(s->what[i], what))
			return 1;
	print_error("no problem '%s' among %d\n", what, s->n);
	return 0;
}

static void rehash(struct tn_audit *a)
{
	assert_int_equal(cx_audit_hash(a, a->hash), 0);
}

/* An export of GTM's whole log of n entries (seq 1..n), signed by id. */
static void make(struct tn_audit_export *x, const struct cx_id *id, uint32_t n)
{
	memset(x, 0, sizeof(*x));
	snprintf(x->node, sizeof(x->node), "GTM");
	memcpy(x->key, cx_id_pk(id), CX_PK_LEN);
	x->made_ms = T0 + 86400000;
	assert_non_null(x->entries = calloc(n, sizeof(*x->entries)));
	for (uint32_t i = 0; i < n; i++) {
		struct tn_audit *a = &x->entries[i];

		a->seq = i + 1;
		a->ts = T0 + i * 1000;
		snprintf(a->dir, sizeof(a->dir), "local");
		snprintf(a->type, sizeof(a->type), "record.add");
		snprintf(a->detail, sizeof(a->detail), "Glock GH-%u", i);
		snprintf(a->user, sizeof(a->user), "ana");
		if (i)
			memcpy(a->prev, x->entries[i - 1].hash, TN_HASH_LEN);
		rehash(a);
	}
	x->n = n;
	x->head_seq = n;
	memcpy(x->head_hash, x->entries[n - 1].hash, TN_HASH_LEN);
	assert_int_equal(cx_export_sign(id, x), 0);
}

/* Keep only the entries whose seq keep() says, and sign again. */
static void keep(struct tn_audit_export *x, const struct cx_id *id, int (*want)(uint64_t seq))
{
	uint32_t k = 0;

	for (uint32_t i = 0; i < x->n; i++)
		if (want(x->entries[i].seq))
			x->entries[k++] = x->entries[i];
	x->n = k;
	assert_int_equal(cx_export_sign(id, x), 0);
}

static void sign_anchor(struct tn_audit_anchor *a, const struct cx_id *id)
{
	struct proto_buf b = { 0 };
	struct cx_part part;

	assert_int_equal(proto_encode(&proto_audit_anchor_body_schema, a, &b), 0);
	part = (struct cx_part){ b.data, b.len };
	assert_int_equal(cx_sign_for(id, CX_ANCHOR, &part, 1, a->sig), 0);
	proto_buf_free(&b);
}

static void test_a_signed_export_checks_clean(void **state)
{
	struct pair *p = *state;
	struct tn_audit_export x;

	make(&x, p->a, 5);
	assert_int_equal(check(&x).n, 0);
	proto_release(&proto_audit_export_schema, &x);
}

static void test_an_export_read_back_from_its_bytes_checks_clean(void **state)
{
	struct pair *p = *state;
	struct tn_audit_export x, back;
	struct proto_buf b = { 0 };

	make(&x, p->a, 5);
	x.filter.since_ms = T0;
	snprintf(x.filter.user, sizeof(x.filter.user), "ana");
	assert_int_equal(cx_export_sign(p->a, &x), 0);
	assert_int_equal(proto_encode(&proto_audit_export_schema, &x, &b), 0);
	assert_int_equal(proto_decode(&proto_audit_export_schema, b.data, b.len, &back, NULL, 0), 0);
	assert_int_equal(check(&back).n, 0);
	assert_string_equal(back.filter.user, "ana");
	proto_buf_free(&b);
	proto_release(&proto_audit_export_schema, &back);
	proto_release(&proto_audit_export_schema, &x);
}

static void test_an_edited_entry_is_named_and_breaks_the_signature(void **state)
{
	struct pair *p = *state;
	struct tn_audit_export x;
	struct seen s;

	make(&x, p->a, 5);
	x.entries[2].detail[0] = 'X';
	s = check(&x);
	assert_int_equal(s.n, 2);
	assert_true(has(&s, "export signature does not verify"));
	assert_true(has(&s, "entry 3: hash mismatch (edited)"));
	assert_int_equal(s.seq[1], 3);
	proto_release(&proto_audit_export_schema, &x);
}

static void test_an_entry_rehashed_and_resigned_breaks_the_next_link(void **state)
{
	struct pair *p = *state;
	struct tn_audit_export x;
	struct seen s;

	make(&x, p->a, 5);
	snprintf(x.entries[1].outcome, sizeof(x.entries[1].outcome), "denied");
	rehash(&x.entries[1]);
	assert_int_equal(cx_export_sign(p->a, &x), 0);
	s = check(&x);
	assert_int_equal(s.n, 1);
	assert_true(has(&s, "entry 3: link to the previous entry broken"));
	proto_release(&proto_audit_export_schema, &x);
}

static void test_a_flipped_signature_byte_fails_the_signature_alone(void **state)
{
	struct pair *p = *state;
	struct tn_audit_export x;
	struct seen s;

	make(&x, p->a, 3);
	x.sig[10] ^= 1;
	s = check(&x);
	assert_int_equal(s.n, 1);
	assert_int_equal(s.seq[0], 0);
	assert_true(has(&s, "export signature does not verify"));
	proto_release(&proto_audit_export_schema, &x);
}

static void test_a_signature_by_another_key_than_the_one_inside_fails(void **state)
{
	struct pair *p = *state;
	struct tn_audit_export x;

	make(&x, p->a, 3);
	assert_int_equal(cx_export_sign(p->b, &x), 0);
	assert_true(has((struct seen[]){ check(&x) }, "export signature does not verify"));
	proto_release(&proto_audit_export_schema, &x);
}

static int odd(uint64_t seq)
{
	return seq % 2;
}

static void test_a_filtered_extract_with_gaps_checks_clean(void **state)
{
	struct pair *p = *state;
	struct tn_audit_export x;

	make(&x, p->a, 6);
	keep(&x, p->a, odd);
	assert_int_equal(x.n, 3);
	assert_int_equal(check(&x).n, 0);
	proto_release(&proto_audit_export_schema, &x);
}

static void test_entries_out_of_order_or_past_the_head_are_named(void **state)
{
	struct pair *p = *state;
	struct tn_audit_export x;
	struct tn_audit t;
	struct seen s;

	make(&x, p->a, 4);
	t = x.entries[1];
	x.entries[1] = x.entries[2];
	x.entries[2] = t;
	assert_int_equal(cx_export_sign(p->a, &x), 0);
	s = check(&x);
	assert_true(has(&s, "entry 2: out of order (after entry 3)"));
	x.entries[2] = x.entries[1];
	x.entries[1] = t;
	x.head_seq = 3;
	assert_int_equal(cx_export_sign(p->a, &x), 0);
	s = check(&x);
	assert_true(has(&s, "entry 4: after the head (entry 3)"));
	assert_true(has(&s, "entry 3: does not match the head (rewritten)"));
	proto_release(&proto_audit_export_schema, &x);
}

static int from_three(uint64_t seq)
{
	return seq >= 3;
}

static void test_an_anchor_is_checked_and_bounds_the_entries(void **state)
{
	struct pair *p = *state;
	struct tn_audit_export x;
	struct tn_audit two;
	struct seen s;

	make(&x, p->a, 5);
	two = x.entries[1];
	x.anchor = (struct tn_audit_anchor){ .seq = 3, .cut_ms = T0 + 2000, .made_ms = T0 + 9000 };
	memcpy(x.anchor.prev, two.hash, TN_HASH_LEN);
	sign_anchor(&x.anchor, p->a);
	keep(&x, p->a, from_three);
	assert_int_equal(check(&x).n, 0);

	x.anchor.prev[0] ^= 1;
	sign_anchor(&x.anchor, p->a);
	assert_int_equal(cx_export_sign(p->a, &x), 0);
	assert_true(has((struct seen[]){ check(&x) }, "entry 3: does not link to the anchor"));
	x.anchor.prev[0] ^= 1;

	sign_anchor(&x.anchor, p->b);
	assert_int_equal(cx_export_sign(p->a, &x), 0);
	s = check(&x);
	assert_int_equal(s.n, 1);
	assert_true(has(&s, "anchor signature does not verify"));

	sign_anchor(&x.anchor, p->a);
	x.entries[0] = two;
	assert_int_equal(cx_export_sign(p->a, &x), 0);
	assert_true(has((struct seen[]){ check(&x) }, "entry 2: before the anchor (the log "
			"starts at entry 3)"));
	proto_release(&proto_audit_export_schema, &x);
}

static void test_a_first_entry_must_start_the_chain(void **state)
{
	struct pair *p = *state;
	struct tn_audit_export x;

	make(&x, p->a, 2);
	x.entries[0].prev[5] = 7;
	rehash(&x.entries[0]);
	memcpy(x.entries[1].prev, x.entries[0].hash, TN_HASH_LEN);
	rehash(&x.entries[1]);
	memcpy(x.head_hash, x.entries[1].hash, TN_HASH_LEN);
	assert_int_equal(cx_export_sign(p->a, &x), 0);
	assert_true(has((struct seen[]){ check(&x) }, "entry 1: does not start the chain (its "
			"link is not zero)"));
	proto_release(&proto_audit_export_schema, &x);
}

static void store_hash(const void *m, size_t n, uint8_t out[32])
{
	cx_hash(m, n, out);
}

static int op_append(struct store_txn *t, void *arg)
{
	struct tn_audit a = { .ts = T0, .dir = "in", .type = "stolen_query", .peer = "MEX",
			      .officer = "O-7", .case_ref = "C-1" };
	int rc = 0;

	(void)arg;
	for (int i = 0; i < 3 && !rc; i++)
		rc = store_audit_append(t, &a, store_hash);
	return rc;
}

static int same_hash(void *arg, const struct tn_audit *a)
{
	uint8_t h[TN_HASH_LEN];

	assert_int_equal(cx_audit_hash(a, h), 0);
	assert_memory_equal(h, a->hash, TN_HASH_LEN);
	++*(int *)arg;
	return 0;
}

static void test_the_entry_hash_is_the_one_the_store_chains(void **state)
{
	char *dir = tmpdir_new("tn-export");
	struct store_txn *t;
	struct store *s;
	int n = 0;

	(void)state;
	assert_non_null(dir);
	assert_int_equal(store_open(&s, dir, 0, 0), 0);
	assert_int_equal(store_write(s, op_append, NULL), 0);
	assert_int_equal(store_read_begin(s, &t), 0);
	assert_int_equal(store_audit_each(t, 0, same_hash, &n), 3);
	store_read_end(t);
	assert_int_equal(n, 3);
	store_close(s);
	tmpdir_rm(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_a_signed_export_checks_clean),
		cmocka_unit_test(test_an_export_read_back_from_its_bytes_checks_clean),
		cmocka_unit_test(test_an_edited_entry_is_named_and_breaks_the_signature),
		cmocka_unit_test(test_an_entry_rehashed_and_resigned_breaks_the_next_link),
		cmocka_unit_test(test_a_flipped_signature_byte_fails_the_signature_alone),
		cmocka_unit_test(test_a_signature_by_another_key_than_the_one_inside_fails),
		cmocka_unit_test(test_a_filtered_extract_with_gaps_checks_clean),
		cmocka_unit_test(test_entries_out_of_order_or_past_the_head_are_named),
		cmocka_unit_test(test_an_anchor_is_checked_and_bounds_the_entries),
		cmocka_unit_test(test_a_first_entry_must_start_the_chain),
		cmocka_unit_test(test_the_entry_hash_is_the_one_the_store_chains),
	};

	if (cx_init())
		return 1;
	return cmocka_run_group_tests_name("crypto_export", tests, pair_setup, pair_teardown);
}
