/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests of crypto/oprf.c: every ristretto255-SHA512 vector of RFC 9497
 * Appendix A.1 in the OPRF and VOPRF modes, byte for byte, then the
 * protocol's properties on random keys and inputs, and hostile elements,
 * scalars and proofs. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "../../crypto/cx.h"

#define ROUNDS 64

/* RFC 9497 A.1: Seed = a3 x 32, KeyInfo = "test key". */
static const char key_info[] = "test key";

static const char oprf_sk[] = "5ebcea5ee37023ccb9fc2d2019f9d7737be85591ae8652ffa9ef0f4d37063b0e";
static const char voprf_sk[] = "e6f73f344b79b379f1a0dd37e07ff62e38d9f71345ce62ae3a9bc60b04ccd909";
static const char voprf_pk[] = "c803e2cc6b05fc15064549b5920659ca4a77b2cca6f04f6b357009335476ad4e";

/* One input's row of a vector: Input, Blind, BlindedElement,
 * EvaluationElement, Output. */
struct row {
	const char *input, *blind, *blinded, *evaluated, *output;
};

/* L, the order of the group, little-endian. */
static const char group_order[] =
	"edd3f55c1a631258d69cf7a2def9de1400000000000000000000000000000010";

static const char blind_1[] = "64d37aed22a27f5191de1c1d69fadb899d8862b58eb4220029e036ec4c1f6706";
static const char blind_2[] = "222a5e897cf59db8145db8d16e597e8facb80ae7d4e26d9881aa6f61d645fc0e";
static const char in_1[] = "00";
static const char in_2[] = "5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a";

/* A.1.1, Test Vectors 1 and 2. */
static const struct row oprf_rows[] = {
	{ in_1, blind_1, "609a0ae68c15a3cf6903766461307e5c8bb2f95e7e6550e1ffa2dc99e412803c",
	  "7ec6578ae5120958eb2db1745758ff379e77cb64fe77b0b2d8cc917ea0869c7e",
	  "527759c3d9366f277d8c6020418d96bb393ba2afb20ff90df23fb7708264e2f3"
	  "ab9135e3bd69955851de4b1f9fe8a0973396719b7912ba9ee8aa7d0b5e24bcf6" },
	{ in_2, blind_1, "da27ef466870f5f15296299850aa088629945a17d1f5b7f5ff043f76b3c06418",
	  "b4cbf5a4f1eeda5a63ce7b77c7d23f461db3fcab0dd28e4e17cecb5c90d02c25",
	  "f4a74c9c592497375e796aa837e907b1a045d34306a749db9f34221f7e750cb4"
	  "f2a6413a6bf6fa5e19ba6348eb673934a722a7ede2e7621306d18951e7cf2c73" },
};

/* A.1.2: rows 0 and 1 are Test Vectors 1 and 2; Test Vector 3 batches
 * row 0 with row 2 (row 1's input under the second blind). */
static const struct row voprf_rows[] = {
	{ in_1, blind_1, "863f330cc1a1259ed5a5998a23acfd37fb4351a793a5b3c090b642ddc439b945",
	  "aa8fa048764d5623868679402ff6108d2521884fa138cd7f9c7669a9a014267e",
	  "b58cfbe118e0cb94d79b5fd6a6dafb98764dff49c14e1770b566e42402da1a7d"
	  "a4d8527693914139caee5bd03903af43a491351d23b430948dd50cde10d32b3c" },
	{ in_2, blind_1, "cc0b2a350101881d8a4cba4c80241d74fb7dcbfde4a61fde2f91443c2bf9ef0c",
	  "60a59a57208d48aca71e9e850d22674b611f752bed48b36f7a91b372bd7ad468",
	  "8a9a2f3c7f085b65933594309041fc1898d42d0858e59f90814ae90571a6df60"
	  "356f4610bf816f27afdd84f47719e480906d27ecd994985890e5f539e7ea74b6" },
	{ in_2, blind_2, "90a0145ea9da29254c3a56be4fe185465ebb3bf2a1801f7124bbbadac751e654",
	  "cc5ac221950a49ceaa73c8db41b82c20372a4c8d63e5dded2db920b7eee36a2a",
	  "8a9a2f3c7f085b65933594309041fc1898d42d0858e59f90814ae90571a6df60"
	  "356f4610bf816f27afdd84f47719e480906d27ecd994985890e5f539e7ea74b6" },
};

/* A proof over some rows of voprf_rows with its ProofRandomScalar. */
struct proof_vec {
	size_t rows[2], n;
	const char *r, *proof;
};

static const struct proof_vec voprf_proofs[] = {
	{ { 0 }, 1, blind_2,
	  "ddef93772692e535d1a53903db24367355cc2cc78de93b3be5a8ffcc6985dd06"
	  "6d4346421d17bf5117a2a1ff0fcb2a759f58a539dfbe857a40bce4cf49ec600d" },
	{ { 1 }, 1, blind_2,
	  "401a0da6264f8cf45bb2f5264bc31e109155600babb3cd4e5af7d181a2c9dc0a"
	  "67154fabf031fd936051dec80b0b6ae29c9503493dde7393b722eafdf5a50b02" },
	{ { 0, 2 }, 2, "419c4f4f5052c53c45f3da494d2b67b220d02118e0857cdbcf037f9ea84bbe0c",
	  "cc203910175d786927eeb44ea847328047892ddf8590e723c37205cb74600b0a"
	  "5ab5337c8eb4ceae0494c2cf89529dcf94572ed267473d567aeed6ab873dee08" },
};

static int nibble(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	fail_msg("not lower-case hex: %c", c);
	return -1;
}

/* The n bytes of hex string h (exactly 2n digits). */
static void unhex(const char *h, uint8_t *out, size_t n)
{
	assert_int_equal(strlen(h), 2 * n);
	for (size_t i = 0; i < n; i++)
		out[i] = (uint8_t)(nibble(h[2 * i]) << 4 | nibble(h[2 * i + 1]));
}

static void expect_hex(const char *h, const uint8_t *p, size_t n)
{
	uint8_t want[CX_OPRF_OUT];

	assert_true(n <= sizeof want);
	unhex(h, want, n);
	assert_memory_equal(p, want, n);
}

static void derive(enum cx_oprf_mode mode, uint8_t sk[CX_OPRF_SCALAR], uint8_t pk[CX_OPRF_ELEM])
{
	uint8_t seed[32];

	memset(seed, 0xa3, sizeof seed);
	assert_int_equal(cx_oprf_derive_key(mode, seed, (const uint8_t *)key_info,
					    strlen(key_info), sk, pk), 0);
}

/* One row through Blind, BlindEvaluate, Finalize and Evaluate; the
 * evaluated element to *ev. */
static void run_row(enum cx_oprf_mode mode, const uint8_t *sk, const struct row *r,
		    uint8_t blinded[CX_OPRF_ELEM], uint8_t ev[CX_OPRF_ELEM])
{
	uint8_t in[64], given[CX_OPRF_SCALAR], blind[CX_OPRF_SCALAR], out[CX_OPRF_OUT];
	size_t n = strlen(r->input) / 2;

	unhex(r->input, in, n);
	unhex(r->blind, given, sizeof given);
	assert_int_equal(cx_oprf_blind(mode, in, n, given, blind, blinded), 0);
	assert_memory_equal(blind, given, sizeof blind);
	expect_hex(r->blinded, blinded, CX_OPRF_ELEM);
	assert_int_equal(cx_oprf_evaluate(sk, blinded, ev), 0);
	expect_hex(r->evaluated, ev, CX_OPRF_ELEM);
	assert_int_equal(cx_oprf_finalize(mode, in, n, blind, ev, out), 0);
	expect_hex(r->output, out, sizeof out);
	assert_int_equal(cx_oprf_output(mode, sk, in, n, out), 0);
	expect_hex(r->output, out, sizeof out);
}

static void test_derive_key_matches_rfc_in_both_modes(void **state)
{
	uint8_t sk[CX_OPRF_SCALAR], pk[CX_OPRF_ELEM];

	(void)state;
	derive(CX_OPRF, sk, pk);
	expect_hex(oprf_sk, sk, sizeof sk);
	derive(CX_VOPRF, sk, pk);
	expect_hex(voprf_sk, sk, sizeof sk);
	expect_hex(voprf_pk, pk, sizeof pk);
}

static void test_oprf_vectors_match_rfc(void **state)
{
	uint8_t sk[CX_OPRF_SCALAR], pk[CX_OPRF_ELEM], blinded[CX_OPRF_ELEM], ev[CX_OPRF_ELEM];

	(void)state;
	derive(CX_OPRF, sk, pk);
	for (size_t i = 0; i < sizeof oprf_rows / sizeof *oprf_rows; i++)
		run_row(CX_OPRF, sk, &oprf_rows[i], blinded, ev);
	cx_wipe(sk, sizeof sk);
}

static void test_voprf_vectors_and_proofs_match_rfc(void **state)
{
	uint8_t sk[CX_OPRF_SCALAR], pk[CX_OPRF_ELEM], r[CX_OPRF_SCALAR], proof[CX_OPRF_PROOF];
	uint8_t blinded[3][CX_OPRF_ELEM], ev[3][CX_OPRF_ELEM];
	uint8_t b[2][CX_OPRF_ELEM], e[2][CX_OPRF_ELEM];

	(void)state;
	derive(CX_VOPRF, sk, pk);
	for (size_t i = 0; i < 3; i++)
		run_row(CX_VOPRF, sk, &voprf_rows[i], blinded[i], ev[i]);
	for (size_t v = 0; v < sizeof voprf_proofs / sizeof *voprf_proofs; v++) {
		const struct proof_vec *pv = &voprf_proofs[v];

		for (size_t k = 0; k < pv->n; k++) {
			memcpy(b[k], blinded[pv->rows[k]], CX_OPRF_ELEM);
			memcpy(e[k], ev[pv->rows[k]], CX_OPRF_ELEM);
		}
		unhex(pv->r, r, sizeof r);
		assert_int_equal(cx_voprf_prove(sk, pk, b, e, pv->n, r, proof), 0);
		expect_hex(pv->proof, proof, sizeof proof);
		assert_int_equal(cx_voprf_verify(pk, b, e, pv->n, proof), 0);
	}
	cx_wipe(sk, sizeof sk);
}

/* Client and server of one random input of length n under a random key. */
static void test_blind_evaluate_finalize_equals_output(void **state)
{
	uint8_t sk[CX_OPRF_SCALAR], pk[CX_OPRF_ELEM], in[200], blind[CX_OPRF_SCALAR];
	uint8_t blinded[CX_OPRF_ELEM], ev[CX_OPRF_ELEM], a[CX_OPRF_OUT], b[CX_OPRF_OUT];

	(void)state;
	for (int i = 0; i < ROUNDS; i++) {
		enum cx_oprf_mode mode = i % 2 ? CX_VOPRF : CX_OPRF;
		size_t n = (size_t)i * 3 % sizeof in;

		cx_oprf_keygen(sk, pk);
		cx_random(in, sizeof in);
		assert_int_equal(cx_oprf_blind(mode, in, n, NULL, blind, blinded), 0);
		assert_int_equal(cx_oprf_evaluate(sk, blinded, ev), 0);
		assert_int_equal(cx_oprf_finalize(mode, in, n, blind, ev, a), 0);
		assert_int_equal(cx_oprf_output(mode, sk, in, n, b), 0);
		assert_memory_equal(a, b, sizeof a);
	}
}

static void test_fresh_blinds_differ_but_outputs_agree(void **state)
{
	uint8_t sk[CX_OPRF_SCALAR], pk[CX_OPRF_ELEM], blind[2][CX_OPRF_SCALAR];
	uint8_t blinded[2][CX_OPRF_ELEM], ev[CX_OPRF_ELEM], out[2][CX_OPRF_OUT];

	(void)state;
	cx_oprf_keygen(sk, pk);
	for (int k = 0; k < 2; k++) {
		assert_int_equal(cx_oprf_blind(CX_OPRF, "pw", 2, NULL, blind[k], blinded[k]), 0);
		assert_int_equal(cx_oprf_evaluate(sk, blinded[k], ev), 0);
		assert_int_equal(cx_oprf_finalize(CX_OPRF, "pw", 2, blind[k], ev, out[k]), 0);
	}
	assert_memory_not_equal(blind[0], blind[1], CX_OPRF_SCALAR);
	assert_memory_not_equal(blinded[0], blinded[1], CX_OPRF_ELEM);
	assert_memory_equal(out[0], out[1], CX_OPRF_OUT);
}

static void test_flipped_evaluated_bit_changes_output(void **state)
{
	uint8_t sk[CX_OPRF_SCALAR], pk[CX_OPRF_ELEM], blind[CX_OPRF_SCALAR];
	uint8_t blinded[CX_OPRF_ELEM], ev[CX_OPRF_ELEM], good[CX_OPRF_OUT], out[CX_OPRF_OUT];

	(void)state;
	cx_oprf_keygen(sk, pk);
	assert_int_equal(cx_oprf_blind(CX_OPRF, "input", 5, NULL, blind, blinded), 0);
	assert_int_equal(cx_oprf_evaluate(sk, blinded, ev), 0);
	assert_int_equal(cx_oprf_finalize(CX_OPRF, "input", 5, blind, ev, good), 0);
	for (int bit = 0; bit < 8 * CX_OPRF_ELEM; bit++) {
		ev[bit / 8] ^= (uint8_t)(1u << bit % 8);
		int rc = cx_oprf_finalize(CX_OPRF, "input", 5, blind, ev, out);
		/* Most flips give no element at all; the rest a different one. */
		if (rc == 0)
			assert_memory_not_equal(out, good, sizeof out);
		else
			assert_int_equal(rc, TN_ERR_INVALID);
		ev[bit / 8] ^= (uint8_t)(1u << bit % 8);
	}
}

static void test_different_keys_and_modes_give_different_outputs(void **state)
{
	uint8_t sk[2][CX_OPRF_SCALAR], pk[2][CX_OPRF_ELEM], out[3][CX_OPRF_OUT];

	(void)state;
	cx_oprf_keygen(sk[0], pk[0]);
	cx_oprf_keygen(sk[1], pk[1]);
	assert_memory_not_equal(sk[0], sk[1], CX_OPRF_SCALAR);
	assert_int_equal(cx_oprf_output(CX_OPRF, sk[0], "x", 1, out[0]), 0);
	assert_int_equal(cx_oprf_output(CX_OPRF, sk[1], "x", 1, out[1]), 0);
	assert_int_equal(cx_oprf_output(CX_VOPRF, sk[0], "x", 1, out[2]), 0);
	assert_memory_not_equal(out[0], out[1], CX_OPRF_OUT);
	assert_memory_not_equal(out[0], out[2], CX_OPRF_OUT);
}

static void test_derive_key_is_deterministic_and_separated(void **state)
{
	uint8_t seed[32], sk[3][CX_OPRF_SCALAR], pk[3][CX_OPRF_ELEM];

	(void)state;
	cx_random(seed, sizeof seed);
	assert_int_equal(cx_oprf_derive_key(CX_VOPRF, seed, NULL, 0, sk[0], pk[0]), 0);
	assert_int_equal(cx_oprf_derive_key(CX_VOPRF, seed, NULL, 0, sk[1], pk[1]), 0);
	assert_memory_equal(sk[0], sk[1], CX_OPRF_SCALAR);
	assert_memory_equal(pk[0], pk[1], CX_OPRF_ELEM);
	assert_int_equal(cx_oprf_derive_key(CX_VOPRF, seed, seed, 1, sk[1], pk[1]), 0);
	assert_int_equal(cx_oprf_derive_key(CX_OPRF, seed, NULL, 0, sk[2], pk[2]), 0);
	assert_memory_not_equal(sk[0], sk[1], CX_OPRF_SCALAR);
	assert_memory_not_equal(sk[0], sk[2], CX_OPRF_SCALAR);
	assert_int_equal(cx_oprf_derive_key(2, seed, NULL, 0, sk[2], pk[2]), TN_ERR_INVALID);
}

/* Encodings no element has: the identity, p (0 again, not canonical), a
 * negative s, 2^255 - 1, and a valid element with its top bit set. */
static void bad_elements(uint8_t bad[5][CX_OPRF_ELEM], const uint8_t good[CX_OPRF_ELEM])
{
	memset(bad, 0, 5 * CX_OPRF_ELEM);
	memset(bad[1], 0xff, CX_OPRF_ELEM);
	bad[1][0] = 0xed;
	bad[1][31] = 0x7f;
	bad[2][0] = 0x01;
	memset(bad[3], 0xff, CX_OPRF_ELEM);
	bad[3][31] = 0x7f;
	memcpy(bad[4], good, CX_OPRF_ELEM);
	bad[4][31] |= 0x80;
}

static void test_evaluate_refuses_identity_and_bad_encodings(void **state)
{
	uint8_t sk[CX_OPRF_SCALAR], pk[CX_OPRF_ELEM], bad[5][CX_OPRF_ELEM], ev[CX_OPRF_ELEM];
	uint8_t blind[CX_OPRF_SCALAR], out[CX_OPRF_OUT];

	(void)state;
	cx_oprf_keygen(sk, pk);
	bad_elements(bad, pk);
	cx_oprf_keygen(blind, ev);
	for (int i = 0; i < 5; i++) {
		memset(ev, 0x55, sizeof ev);
		assert_int_equal(cx_oprf_evaluate(sk, bad[i], ev), TN_ERR_INVALID);
		assert_true(ev[0] == 0 && ev[31] == 0);
		assert_int_equal(cx_oprf_finalize(CX_OPRF, "x", 1, blind, bad[i], out),
				 TN_ERR_INVALID);
	}
	assert_int_equal(cx_oprf_evaluate(sk, pk, ev), 0);
}

static void test_blind_refuses_zero_or_noncanonical_blind(void **state)
{
	uint8_t given[CX_OPRF_SCALAR] = { 0 }, blind[CX_OPRF_SCALAR], blinded[CX_OPRF_ELEM];

	(void)state;
	assert_int_equal(cx_oprf_blind(CX_OPRF, "x", 1, given, blind, blinded), TN_ERR_INVALID);
	unhex(group_order, given, sizeof given); /* reduces to zero */
	assert_int_equal(cx_oprf_blind(CX_OPRF, "x", 1, given, blind, blinded), TN_ERR_INVALID);
	given[0]++; /* L + 1 */
	assert_int_equal(cx_oprf_blind(CX_OPRF, "x", 1, given, blind, blinded), TN_ERR_INVALID);
	memset(given, 0, sizeof given);
	given[0] = 1;
	assert_int_equal(cx_oprf_blind(CX_OPRF, "x", 1, given, blind, blinded), 0);
}

static void test_oversized_input_is_refused(void **state)
{
	static uint8_t big[65536];
	uint8_t sk[CX_OPRF_SCALAR], pk[CX_OPRF_ELEM], blind[CX_OPRF_SCALAR];
	uint8_t blinded[CX_OPRF_ELEM], out[CX_OPRF_OUT];

	(void)state;
	cx_oprf_keygen(sk, pk);
	assert_int_equal(cx_oprf_blind(CX_OPRF, big, sizeof big, NULL, blind, blinded),
			 TN_ERR_TOO_BIG);
	assert_int_equal(cx_oprf_output(CX_OPRF, sk, big, sizeof big, out), TN_ERR_TOO_BIG);
	assert_int_equal(cx_oprf_blind(CX_OPRF, big, sizeof big - 1, NULL, blind, blinded), 0);
}

/* A batch of n evaluations under sk with its proof. */
static void batch(const uint8_t *sk, const uint8_t *pk, size_t n, uint8_t (*b)[CX_OPRF_ELEM],
		  uint8_t (*e)[CX_OPRF_ELEM], uint8_t proof[CX_OPRF_PROOF])
{
	uint8_t blind[CX_OPRF_SCALAR], in[16];

	for (size_t i = 0; i < n; i++) {
		cx_random(in, sizeof in);
		assert_int_equal(cx_oprf_blind(CX_VOPRF, in, sizeof in, NULL, blind, b[i]), 0);
		assert_int_equal(cx_oprf_evaluate(sk, b[i], e[i]), 0);
	}
	assert_int_equal(cx_voprf_prove(sk, pk, b, e, n, NULL, proof), 0);
}

static void test_proof_fails_for_any_flipped_bit(void **state)
{
	uint8_t sk[CX_OPRF_SCALAR], pk[CX_OPRF_ELEM], proof[CX_OPRF_PROOF];
	uint8_t b[3][CX_OPRF_ELEM], e[3][CX_OPRF_ELEM];

	(void)state;
	cx_oprf_keygen(sk, pk);
	batch(sk, pk, 3, b, e, proof);
	assert_int_equal(cx_voprf_verify(pk, b, e, 3, proof), 0);
	for (int bit = 0; bit < 8 * CX_OPRF_PROOF; bit++) {
		proof[bit / 8] ^= (uint8_t)(1u << bit % 8);
		assert_int_equal(cx_voprf_verify(pk, b, e, 3, proof), TN_ERR_BAD_SIG);
		proof[bit / 8] ^= (uint8_t)(1u << bit % 8);
	}
	assert_int_equal(cx_voprf_verify(pk, b, e, 3, proof), 0);
}

static void test_proof_fails_for_another_key_or_changed_elements(void **state)
{
	uint8_t sk[2][CX_OPRF_SCALAR], pk[2][CX_OPRF_ELEM], proof[CX_OPRF_PROOF];
	uint8_t b[3][CX_OPRF_ELEM], e[3][CX_OPRF_ELEM], other[CX_OPRF_ELEM], keep[CX_OPRF_ELEM];

	(void)state;
	cx_oprf_keygen(sk[0], pk[0]);
	cx_oprf_keygen(sk[1], pk[1]);
	batch(sk[0], pk[0], 3, b, e, proof);
	assert_int_equal(cx_voprf_verify(pk[1], b, e, 3, proof), TN_ERR_BAD_SIG);
	/* The second evaluation made with the other key. */
	memcpy(keep, e[1], sizeof keep);
	assert_int_equal(cx_oprf_evaluate(sk[1], b[1], other), 0);
	memcpy(e[1], other, sizeof other);
	assert_int_equal(cx_voprf_verify(pk[0], b, e, 3, proof), TN_ERR_BAD_SIG);
	memcpy(e[1], keep, sizeof keep);
	/* Two evaluations swapped, a blinded element replaced, the batch cut. */
	memcpy(e[1], e[2], sizeof keep);
	memcpy(e[2], keep, sizeof keep);
	assert_int_equal(cx_voprf_verify(pk[0], b, e, 3, proof), TN_ERR_BAD_SIG);
	memcpy(e[2], e[1], sizeof keep);
	memcpy(e[1], keep, sizeof keep);
	assert_int_equal(cx_voprf_verify(pk[0], b, e, 3, proof), 0);
	memcpy(b[0], pk[1], CX_OPRF_ELEM);
	assert_int_equal(cx_voprf_verify(pk[0], b, e, 3, proof), TN_ERR_BAD_SIG);
	assert_int_equal(cx_voprf_verify(pk[0], b + 1, e + 1, 2, proof), TN_ERR_BAD_SIG);
	assert_int_equal(cx_voprf_verify(pk[0], b, e, 0, proof), TN_ERR_BAD_SIG);
}

/* x + L (both little-endian, the sum below 2^256): the same scalar, not
 * in canonical form. */
static void add_order(uint8_t x[CX_OPRF_SCALAR])
{
	uint8_t l[CX_OPRF_SCALAR];
	unsigned carry = 0;

	unhex(group_order, l, sizeof l);
	for (size_t i = 0; i < sizeof l; i++) {
		carry += (unsigned)x[i] + l[i];
		x[i] = (uint8_t)carry;
		carry >>= 8;
	}
	assert_int_equal(carry, 0);
}

static void test_proof_refuses_bad_elements_and_scalars(void **state)
{
	uint8_t sk[CX_OPRF_SCALAR], pk[CX_OPRF_ELEM], proof[CX_OPRF_PROOF], bad[5][CX_OPRF_ELEM];
	uint8_t b[1][CX_OPRF_ELEM], e[1][CX_OPRF_ELEM], good[1][CX_OPRF_ELEM];
	uint8_t zero[CX_OPRF_SCALAR] = { 0 };

	(void)state;
	cx_oprf_keygen(sk, pk);
	batch(sk, pk, 1, b, good, proof);
	bad_elements(bad, good[0]);
	for (int i = 0; i < 5; i++) {
		memcpy(e[0], bad[i], CX_OPRF_ELEM);
		assert_int_equal(cx_voprf_verify(pk, b, e, 1, proof), TN_ERR_BAD_SIG);
		assert_int_equal(cx_voprf_verify(pk, e, good, 1, proof), TN_ERR_BAD_SIG);
		assert_int_equal(cx_voprf_verify(bad[i], b, good, 1, proof), TN_ERR_BAD_SIG);
		assert_int_equal(cx_voprf_prove(sk, pk, e, good, 1, NULL, proof), TN_ERR_INVALID);
	}
	assert_int_equal(cx_voprf_prove(sk, pk, b, good, 1, zero, proof), TN_ERR_INVALID);
	assert_int_equal(cx_voprf_prove(sk, pk, b, good, 0, NULL, proof), TN_ERR_INVALID);
	/* c + L and s + L name the same scalars, but are refused. */
	assert_int_equal(cx_voprf_prove(sk, pk, b, good, 1, NULL, proof), 0);
	assert_int_equal(cx_voprf_verify(pk, b, good, 1, proof), 0);
	for (int k = 0; k < 2; k++) {
		uint8_t moved[CX_OPRF_PROOF];

		memcpy(moved, proof, sizeof moved);
		add_order(moved + k * CX_OPRF_SCALAR);
		assert_int_equal(cx_voprf_verify(pk, b, good, 1, moved), TN_ERR_BAD_SIG);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_derive_key_matches_rfc_in_both_modes),
		cmocka_unit_test(test_oprf_vectors_match_rfc),
		cmocka_unit_test(test_voprf_vectors_and_proofs_match_rfc),
		cmocka_unit_test(test_blind_evaluate_finalize_equals_output),
		cmocka_unit_test(test_fresh_blinds_differ_but_outputs_agree),
		cmocka_unit_test(test_flipped_evaluated_bit_changes_output),
		cmocka_unit_test(test_different_keys_and_modes_give_different_outputs),
		cmocka_unit_test(test_derive_key_is_deterministic_and_separated),
		cmocka_unit_test(test_evaluate_refuses_identity_and_bad_encodings),
		cmocka_unit_test(test_blind_refuses_zero_or_noncanonical_blind),
		cmocka_unit_test(test_oversized_input_is_refused),
		cmocka_unit_test(test_proof_fails_for_any_flipped_bit),
		cmocka_unit_test(test_proof_fails_for_another_key_or_changed_elements),
		cmocka_unit_test(test_proof_refuses_bad_elements_and_scalars),
	};

	if (cx_init())
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
