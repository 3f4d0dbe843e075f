/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests of store/ witnessing: the checkpoint held of each peer's log
 * is replaced, not appended, and survives a reopen; refused checkpoints
 * are kept as evidence, in order, found by peer, their receipts intact. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "store_fixture.h"

struct put_arg {
	const char *peer;
	struct tn_witnessed w;
};

static int op_put(struct store_txn *t, void *arg)
{
	struct put_arg *a = arg;

	return store_witness_put(t, a->peer, &a->w);
}

static int op_evidence(struct store_txn *t, void *arg)
{
	return store_evidence_add(t, arg);
}

static struct tn_witnessed held(const char *node, uint64_t size, uint8_t tag)
{
	struct tn_witnessed w = { .cp = { .size = size, .ts = 7 }, .witnessed_ms = 9 };

	snprintf(w.cp.node, sizeof(w.cp.node), "%s", node);
	memset(w.cp.root, tag, TN_HASH_LEN);
	memset(w.cosig, tag, TN_SIG_LEN);
	memset(w.last_mid, tag, TN_MID_LEN);
	return w;
}

static int get(struct store *s, const char *peer, struct tn_witnessed *w)
{
	struct store_txn *t;
	int rc;

	assert_int_equal(store_read_begin(s, &t), 0);
	rc = store_witness_get(t, peer, w);
	store_read_end(t);
	return rc;
}

static void test_the_held_checkpoint_is_replaced_and_kept(void **state)
{
	struct fix *f = *state;
	struct put_arg a = { "GTM", held("GTM", 10, 1) };
	struct tn_witnessed w;

	assert_int_equal(get(f->s, "GTM", &w), TN_ERR_NOT_FOUND);
	assert_int_equal(w.cp.size, 0);
	assert_int_equal(store_write(f->s, op_put, &a), 0);
	a.w = held("GTM", 12, 2);
	assert_int_equal(store_write(f->s, op_put, &a), 0);
	a = (struct put_arg){ "MEX", held("MEX", 3, 3) };
	assert_int_equal(store_write(f->s, op_put, &a), 0);
	reopen(f, 0, 0);
	assert_int_equal(get(f->s, "GTM", &w), 0);
	assert_int_equal(w.cp.size, 12);
	assert_int_equal(w.cosig[0], 2);
	assert_int_equal(w.last_mid[15], 2);
	assert_int_equal(get(f->s, "MEX", &w), 0);
	assert_int_equal(w.cp.size, 3);
}

static void test_a_name_that_is_not_a_country_is_refused(void **state)
{
	struct fix *f = *state;
	struct put_arg a = { "gtm1", held("GTM", 1, 1) };
	struct tn_witnessed w;

	assert_int_equal(store_write(f->s, op_put, &a), TN_ERR_INVALID);
	assert_int_equal(get(f->s, "", &w), TN_ERR_INVALID);
}

struct noted {
	int n;
	uint64_t ids[8];
	char status[8][TN_KIND_LEN];
	uint32_t receipt_len[8];
};

static int note(void *arg, const struct tn_evidence *e)
{
	struct noted *z = arg;

	z->ids[z->n] = e->id;
	memcpy(z->status[z->n], e->status, TN_KIND_LEN);
	z->receipt_len[z->n++] = e->n_receipt;
	return 0;
}

static int walk(struct store *s, const char *peer, struct noted *z)
{
	struct store_txn *t;
	int rc;

	memset(z, 0, sizeof(*z));
	assert_int_equal(store_read_begin(s, &t), 0);
	rc = store_evidence_each(t, peer, note, z);
	store_read_end(t);
	return rc;
}

static void test_evidence_is_kept_in_order_and_found_by_peer(void **state)
{
	struct fix *f = *state;
	uint8_t receipt[100];
	struct tn_evidence e = { .ts = 5, .peer = "GTM", .status = "refused", .reason = "fork",
				 .cp = { .node = "GTM", .size = 4 }, .n_receipt = sizeof(receipt),
				 .receipt = receipt };
	struct noted z;

	memset(receipt, 0xab, sizeof(receipt));
	assert_int_equal(walk(f->s, NULL, &z), 0);
	assert_int_equal(z.n, 0);
	assert_int_equal(store_write(f->s, op_evidence, &e), 0);
	assert_int_equal(e.id, 1);
	memcpy(e.peer, "MEX", 4);
	memcpy(e.status, "behind", 7);
	e.n_receipt = 0;
	assert_int_equal(store_write(f->s, op_evidence, &e), 0);
	memcpy(e.peer, "GTM", 4);
	assert_int_equal(store_write(f->s, op_evidence, &e), 0);
	assert_int_equal(e.id, 3);
	assert_int_equal(walk(f->s, NULL, &z), 0);
	assert_int_equal(z.n, 3);
	assert_int_equal(walk(f->s, "GTM", &z), 0);
	assert_int_equal(z.n, 2);
	assert_int_equal(z.ids[0], 1);
	assert_int_equal(z.ids[1], 3);
	assert_string_equal(z.status[0], "refused");
	assert_int_equal(z.receipt_len[0], sizeof(receipt));
	assert_int_equal(z.receipt_len[1], 0);
	assert_int_equal(walk(f->s, "SLV", &z), 0);
	assert_int_equal(z.n, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(fn) cmocka_unit_test_setup_teardown(fn, fix_setup, fix_teardown)
		T(test_the_held_checkpoint_is_replaced_and_kept),
		T(test_a_name_that_is_not_a_country_is_refused),
		T(test_evidence_is_kept_in_order_and_found_by_peer),
#undef T
	};

	return cmocka_run_group_tests_name("store_witness", tests, NULL, NULL);
}
