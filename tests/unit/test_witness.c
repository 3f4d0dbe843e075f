/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests of the witness's rules (proto/witness.c): what a peer's new
 * checkpoint is against the one held of its log, and the answer each
 * verdict gives; and the checkpoint messages' signing rules. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "../../proto/proto.h"

static uint8_t proof[2][TN_HASH_LEN];

/* A checkpoint of GTM's log of size entries; tag varies its root and head. */
static struct tn_checkpoint cp_of(uint64_t size, uint8_t tag)
{
	struct tn_checkpoint cp = { .node = "GTM", .size = size, .ts = 1000 + size };

	memset(cp.root, tag, TN_HASH_LEN);
	memset(cp.head, tag ^ 0x55, TN_HASH_LEN);
	return cp;
}

static struct tn_checkpoint_msg msg_of(struct tn_checkpoint cp, uint64_t from_size,
				       uint32_t n_proof)
{
	return (struct tn_checkpoint_msg){ .cp = cp, .from_size = from_size, .n_proof = n_proof,
					   .proof = n_proof ? proof[0] : NULL };
}

static enum witness_verdict judge(const struct tn_checkpoint *held,
				  const struct tn_checkpoint_msg *m, char why[TN_TEXT_LEN])
{
	return proto_witness_judge("GTM", held, m, why, TN_TEXT_LEN);
}

static void test_the_first_checkpoint_is_taken_whatever_its_proof(void **state)
{
	struct tn_checkpoint none = { .size = 0 };
	struct tn_checkpoint_msg m = msg_of(cp_of(40, 1), 17, 5);
	char why[TN_TEXT_LEN];

	(void)state;
	assert_int_equal(judge(&none, &m, why), WITNESS_FIRST);
	assert_string_equal(why, "");
	assert_string_equal(proto_witness_status(WITNESS_FIRST), "witnessed");
}

static void test_a_checkpoint_of_another_node_is_forged(void **state)
{
	struct tn_checkpoint none = { .size = 0 }, held = cp_of(10, 1);
	struct tn_checkpoint_msg m = msg_of(cp_of(10, 1), 0, 0);
	char why[TN_TEXT_LEN];

	(void)state;
	memcpy(m.cp.node, "MEX", 4);
	assert_int_equal(judge(&none, &m, why), WITNESS_FORGED);
	assert_non_null(strstr(why, "MEX"));
	assert_int_equal(judge(&held, &m, why), WITNESS_FORGED);
	assert_string_equal(proto_witness_status(WITNESS_FORGED), "refused");
}

static void test_the_held_checkpoint_again_is_the_same(void **state)
{
	struct tn_checkpoint held = cp_of(10, 1);
	struct tn_checkpoint_msg m = msg_of(cp_of(10, 1), 10, 0);
	char why[TN_TEXT_LEN];

	(void)state;
	m.cp.ts += 60000;   /* signed again later: the same log */
	assert_int_equal(judge(&held, &m, why), WITNESS_SAME);
	assert_string_equal(proto_witness_status(WITNESS_SAME), "witnessed");
}

static void test_the_same_size_with_another_root_or_head_is_a_fork(void **state)
{
	struct tn_checkpoint held = cp_of(10, 1);
	struct tn_checkpoint_msg m = msg_of(cp_of(10, 2), 10, 0);
	char why[TN_TEXT_LEN];

	(void)state;
	assert_int_equal(judge(&held, &m, why), WITNESS_FORKED);
	assert_non_null(strstr(why, "another root"));
	m.cp = held;
	m.cp.head[0] ^= 1;
	assert_int_equal(judge(&held, &m, why), WITNESS_FORKED);
	assert_non_null(strstr(why, "another head"));
	assert_string_equal(proto_witness_status(WITNESS_FORKED), "refused");
}

static void test_a_smaller_checkpoint_is_behind_not_forked(void **state)
{
	struct tn_checkpoint held = cp_of(10, 1);
	struct tn_checkpoint_msg m = msg_of(cp_of(9, 7), 0, 0);
	char why[TN_TEXT_LEN];

	(void)state;
	assert_int_equal(judge(&held, &m, why), WITNESS_BEHIND);
	assert_non_null(strstr(why, "behind the 10 entries"));
	m = msg_of(cp_of(0, 0), 0, 0);
	assert_int_equal(judge(&held, &m, why), WITNESS_BEHIND);
	assert_string_equal(proto_witness_status(WITNESS_BEHIND), "behind");
}

static void test_a_larger_checkpoint_needs_a_proof_from_the_held_size(void **state)
{
	struct tn_checkpoint held = cp_of(10, 1);
	struct tn_checkpoint_msg m = msg_of(cp_of(12, 2), 10, 2 * TN_HASH_LEN);
	char why[TN_TEXT_LEN];

	(void)state;
	assert_int_equal(judge(&held, &m, why), WITNESS_EXTENDS);
	assert_string_equal(why, "");
	assert_string_equal(proto_witness_status(WITNESS_EXTENDS), "witnessed");
}

static void test_a_proof_from_another_size_is_unproven(void **state)
{
	struct tn_checkpoint held = cp_of(10, 1);
	struct tn_checkpoint_msg m = msg_of(cp_of(12, 2), 8, TN_HASH_LEN);
	char why[TN_TEXT_LEN];

	(void)state;
	assert_int_equal(judge(&held, &m, why), WITNESS_UNPROVEN);
	assert_non_null(strstr(why, "starts at 8 entries; we hold 10"));
	m.from_size = 0;
	assert_int_equal(judge(&held, &m, why), WITNESS_UNPROVEN);
	assert_string_equal(proto_witness_status(WITNESS_UNPROVEN), "refused");
}

static void test_a_missing_proof_or_broken_hashes_are_unproven(void **state)
{
	struct tn_checkpoint held = cp_of(10, 1);
	struct tn_checkpoint_msg m = msg_of(cp_of(12, 2), 10, TN_HASH_LEN + 1);
	char why[TN_TEXT_LEN];

	(void)state;
	assert_int_equal(judge(&held, &m, why), WITNESS_UNPROVEN);
	assert_non_null(strstr(why, "33 bytes"));
	m.n_proof = 0;   /* no proof at all proves nothing either way */
	assert_int_equal(judge(&held, &m, why), WITNESS_UNPROVEN);
	assert_non_null(strstr(why, "0 bytes"));
}

static void test_what_a_witness_keeps_round_trips(void **state)
{
	struct tn_witnessed w = { .cp = cp_of(10, 1), .witnessed_ms = 5 }, w2;
	uint8_t receipt[3] = { 0x81, 0xa1, 0x6d };
	struct tn_evidence e = { .id = 3, .ts = 9, .peer = "GTM", .status = "refused",
				 .reason = "fork", .cp = cp_of(10, 2), .held = cp_of(10, 1),
				 .n_receipt = 3, .receipt = receipt }, e2;
	struct proto_buf b = { 0 };

	(void)state;
	memset(w.cosig, 0xc5, TN_SIG_LEN);
	memset(w.last_mid, 0x3c, TN_MID_LEN);
	assert_int_equal(proto_encode(&proto_witnessed_schema, &w, &b), 0);
	assert_int_equal(proto_decode(&proto_witnessed_schema, b.data, b.len, &w2, NULL, 0), 0);
	assert_memory_equal(&w, &w2, sizeof(w));
	b.len = 0;
	assert_int_equal(proto_encode(&proto_evidence_schema, &e, &b), 0);
	assert_int_equal(proto_decode(&proto_evidence_schema, b.data, b.len, &e2, NULL, 0), 0);
	assert_memory_equal(&e2.cp, &e.cp, sizeof(e.cp));
	assert_memory_equal(&e2.held, &e.held, sizeof(e.held));
	assert_int_equal(e2.n_receipt, 3);
	assert_memory_equal(e2.receipt, receipt, 3);
	proto_release(&proto_evidence_schema, &e2);
	proto_buf_free(&b);
}

static void test_checkpoints_and_cosignatures_are_always_signed(void **state)
{
	static const struct tn_checkpoint_held held;

	(void)state;
	assert_int_equal(wire_must_sign(WIRE_CHECKPOINT, &held), 1);
	assert_int_equal(wire_must_sign(WIRE_COSIGNATURE, &held), 1);
	assert_int_equal(wire_must_sign(WIRE_CHECKPOINT_GET, &held), 0);
	assert_int_equal(wire_must_sign(WIRE_CHECKPOINT_HELD, &held), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_the_first_checkpoint_is_taken_whatever_its_proof),
		cmocka_unit_test(test_a_checkpoint_of_another_node_is_forged),
		cmocka_unit_test(test_the_held_checkpoint_again_is_the_same),
		cmocka_unit_test(test_the_same_size_with_another_root_or_head_is_a_fork),
		cmocka_unit_test(test_a_smaller_checkpoint_is_behind_not_forked),
		cmocka_unit_test(test_a_larger_checkpoint_needs_a_proof_from_the_held_size),
		cmocka_unit_test(test_a_proof_from_another_size_is_unproven),
		cmocka_unit_test(test_a_missing_proof_or_broken_hashes_are_unproven),
		cmocka_unit_test(test_what_a_witness_keeps_round_trips),
		cmocka_unit_test(test_checkpoints_and_cosignatures_are_always_signed),
	};

	return cmocka_run_group_tests_name("witness", tests, NULL, NULL);
}
