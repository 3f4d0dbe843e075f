/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests of store/ blind sets: our tags counted once per report that
 * gives them, peers' copies kept apart and in order, states, and nothing
 * of one set touched by clearing another. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "store_fixture.h"

struct step {
	int (*fn)(struct store_txn *t, const char *peer, const uint8_t *tag);
	const char *peer;
	uint8_t tag[TN_BLIND_TAG];
	int rc;
};

static int own_add(struct store_txn *t, const char *peer, const uint8_t *tag)
{
	(void)peer;
	return store_blind_own_add(t, tag);
}

static int own_del(struct store_txn *t, const char *peer, const uint8_t *tag)
{
	(void)peer;
	return store_blind_own_del(t, tag);
}

static int op_step(struct store_txn *t, void *arg)
{
	struct step *s = arg;

	s->rc = s->fn(t, s->peer, s->tag);
	return s->rc < 0 ? s->rc : 0;
}

/* Run one change in a batch of its own (rolled back when it fails); its
 * return. */
static int run(struct store *st, int (*fn)(struct store_txn *, const char *, const uint8_t *),
	       const char *peer, uint8_t first)
{
	struct step s = { fn, peer, { first, 1, 2, 3, 4, 5, 6, 7 }, 0 };
	int rc = store_write(st, op_step, &s);

	assert_int_equal(rc, s.rc < 0 ? s.rc : 0);
	return s.rc;
}

static int has(struct store *st, const char *peer, uint8_t first)
{
	uint8_t tag[TN_BLIND_TAG] = { first, 1, 2, 3, 4, 5, 6, 7 };
	struct store_txn *t;
	int rc;

	assert_int_equal(store_read_begin(st, &t), 0);
	rc = store_blind_has(t, peer, tag);
	store_read_end(t);
	return rc;
}

struct order {
	uint8_t firsts[8];
	int n;
};

static int note(void *arg, const uint8_t tag[TN_BLIND_TAG])
{
	struct order *o = arg;

	o->firsts[o->n++] = tag[0];
	return 0;
}

static struct order walk(struct store *st, const char *peer)
{
	struct order o = { { 0 }, 0 };
	struct store_txn *t;

	assert_int_equal(store_read_begin(st, &t), 0);
	assert_int_equal(store_blind_each(t, peer, note, &o), 0);
	store_read_end(t);
	return o;
}

static void test_own_tags_count_reports(void **state)
{
	struct fix *f = *state;

	assert_int_equal(run(f->s, own_add, NULL, 9), 1);   /* new to the set */
	assert_int_equal(run(f->s, own_add, NULL, 9), 0);   /* a second report, same tag */
	assert_int_equal(run(f->s, own_del, NULL, 9), 0);   /* one report still gives it */
	assert_int_equal(has(f->s, NULL, 9), 1);
	assert_int_equal(run(f->s, own_del, NULL, 9), 1);   /* it leaves the set */
	assert_int_equal(has(f->s, NULL, 9), 0);
	assert_int_equal(run(f->s, own_del, NULL, 9), 0);   /* nothing to take away */
}

static void test_copies_are_kept_apart_and_in_order(void **state)
{
	struct fix *f = *state;
	struct order o;

	assert_int_equal(run(f->s, store_blind_peer_put, "MEX", 7), 1);
	assert_int_equal(run(f->s, store_blind_peer_put, "MEX", 7), 0);
	assert_int_equal(run(f->s, store_blind_peer_put, "MEX", 2), 1);
	assert_int_equal(run(f->s, store_blind_peer_put, "USA", 5), 1);
	assert_int_equal(run(f->s, own_add, NULL, 1), 1);
	o = walk(f->s, "MEX");
	assert_int_equal(o.n, 2);
	assert_int_equal(o.firsts[0], 2);
	assert_int_equal(o.firsts[1], 7);
	assert_int_equal(has(f->s, "USA", 7), 0);
	assert_int_equal(has(f->s, NULL, 7), 0);
	assert_int_equal(run(f->s, store_blind_peer_del, "MEX", 7), 1);
	assert_int_equal(run(f->s, store_blind_peer_del, "MEX", 7), 0);
	assert_int_equal(run(f->s, store_blind_peer_put, "MEX", 8), 1);

	assert_int_equal(store_write(f->s, (store_op_fn)store_blind_clear, "MEX"), 0);
	assert_int_equal(walk(f->s, "MEX").n, 0);
	assert_int_equal(walk(f->s, "USA").n, 1);
	assert_int_equal(walk(f->s, NULL).n, 1);
	assert_int_equal(run(f->s, store_blind_peer_put, "mex", 1), TN_ERR_INVALID);
}

static int op_state(struct store_txn *t, void *arg)
{
	return store_blind_state_put(t, "MEX", arg);
}

static void test_states_round_trip(void **state)
{
	struct fix *f = *state;
	struct tn_blind_state in = { .epoch = 0x1234567890abcdefull, .mode = 1, .version = 7,
				     .count = 3, .complete = true }, out;
	struct store_txn *t;

	memset(in.pk, 0xab, sizeof(in.pk));
	assert_int_equal(store_write(f->s, op_state, &in), 0);
	assert_int_equal(store_read_begin(f->s, &t), 0);
	assert_int_equal(store_blind_state_get(t, "MEX", &out), 0);
	assert_int_equal(store_blind_state_get(t, "USA", &out), TN_ERR_NOT_FOUND);
	assert_int_equal(store_blind_state_get(t, "MEX", &out), 0);
	store_read_end(t);
	assert_true(out.epoch == in.epoch && out.version == 7 && out.count == 3 && out.complete);
	assert_memory_equal(out.pk, in.pk, sizeof(in.pk));
	assert_int_equal(store_write(f->s, (store_op_fn)store_blind_state_del, "MEX"), 0);
	assert_int_equal(store_read_begin(f->s, &t), 0);
	assert_int_equal(store_blind_state_get(t, "MEX", &out), TN_ERR_NOT_FOUND);
	store_read_end(t);
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, fix_setup, fix_teardown)
	const struct CMUnitTest tests[] = {
		T(test_own_tags_count_reports),
		T(test_copies_are_kept_apart_and_in_order),
		T(test_states_round_trip),
	};

	return cmocka_run_group_tests_name("store blind", tests, NULL, NULL);
}
