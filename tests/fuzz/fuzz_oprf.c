/* SPDX-License-Identifier: Apache-2.0 */
/* libFuzzer target for the OPRF as peers reach it: any 32 bytes as a
 * blinded element to evaluate (the owner's side), any bytes as evaluated
 * elements and a proof to verify and finalize (the asker's side). Nothing
 * may crash; an evaluation the verifier accepts must be the real one. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../crypto/cx.h"

/* fuzz-needs: cx_oprf_evaluate cx_voprf_verify cx_oprf_finalize cx_voprf_prove */

static void check(int ok, const char *what)
{
	if (!ok) {
		fprintf(stderr, "fuzz_oprf: %s\n", what);
		abort();
	}
}

static uint8_t sk[CX_OPRF_SCALAR], pk[CX_OPRF_ELEM];

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	static const uint8_t seed[32] = { 1, 2, 3 };

	(void)argc;
	(void)argv;
	if (cx_init() || cx_oprf_derive_key(CX_VOPRF, seed, (const uint8_t *)"fuzz", 4, sk, pk))
		abort();
	return 0;
}

/* Input: a blinded element (32 bytes), an evaluated one (32), a proof (64),
 * then the item's text. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t blinded[CX_OPRF_ELEM], eval[CX_OPRF_ELEM], real[CX_OPRF_ELEM];
	uint8_t proof[CX_OPRF_PROOF], blind[CX_OPRF_SCALAR] = { 5 }, out[CX_OPRF_OUT];
	int evaluated;

	if (size < 128)
		return 0;
	memcpy(blinded, data, 32);
	memcpy(eval, data + 32, 32);
	memcpy(proof, data + 64, 64);
	evaluated = cx_oprf_evaluate(sk, blinded, real) == 0;
	if (!cx_voprf_verify(pk, (const uint8_t (*)[CX_OPRF_ELEM])&blinded,
			     (const uint8_t (*)[CX_OPRF_ELEM])&eval, 1, proof))
		check(evaluated && !memcmp(eval, real, sizeof(eval)),
		      "a proof verified for an element not evaluated under the key");
	(void)!cx_oprf_finalize(CX_VOPRF, data + 128, size - 128, blind, eval, out);
	if (evaluated) {
		check(!cx_voprf_prove(sk, pk, (const uint8_t (*)[CX_OPRF_ELEM])&blinded,
				      (const uint8_t (*)[CX_OPRF_ELEM])&real, 1, NULL, proof),
		      "cannot prove an evaluation");
		check(!cx_voprf_verify(pk, (const uint8_t (*)[CX_OPRF_ELEM])&blinded,
				       (const uint8_t (*)[CX_OPRF_ELEM])&real, 1, proof),
		      "a true proof does not verify");
	}
	return 0;
}
