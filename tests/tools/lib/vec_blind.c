/* SPDX-License-Identifier: Apache-2.0 */
/* The blind-check messages of the test vectors: MEX's OPRF key from a
 * fixed seed, its set of three reports' tags, GTM's two blinded items
 * (fixed blinds: one hits, one does not), MEX's evaluations with their
 * proof (fixed random scalar), and GTM asking for the set again. */
#include <stdlib.h>
#include <string.h>

#include "../../../crypto/cx.h"
#include "vec_msgs.h"

#define EPOCH 0x1f2e3d4c5b6a7988ull

static const char *const reports[VM_BLIND_REPORTS] = {
	"GLOCK|ABC123", "BERETTA|XYZ789", "COLT|C555",
};
const char *const vm_blind_items[VM_BLIND_ITEMS] = { "GLOCK|ABC123", "GLOCK|QZX9931K77" };

static uint8_t sk[CX_OPRF_SCALAR], tags[VM_BLIND_REPORTS][TN_BLIND_TAG];
static uint8_t elems[VM_BLIND_ITEMS][TN_BLIND_ELEM], evals[VM_BLIND_ITEMS][TN_BLIND_ELEM];
static uint8_t proof[TN_BLIND_PROOF];

struct tn_blind_set vm_blind_set = {
	.epoch = EPOCH, .mode = CX_VOPRF, .version = 1, .full = true, .last = true,
	.count = VM_BLIND_REPORTS, .n_add = sizeof(tags), .add = tags[0],
};
struct tn_blind_query vm_blind_query = {
	.qid = 0x6b1d5e0a9c4f3027ull, .epoch = EPOCH, .n_elem = sizeof(elems), .elem = elems[0],
};
struct tn_blind_result vm_blind_result = {
	.qid = 0x6b1d5e0a9c4f3027ull, .status = "ok", .n_eval = sizeof(evals), .eval = evals[0],
	.n_proof = sizeof(proof), .proof = proof,
};
struct tn_blind_set_get vm_blind_set_get = { .epoch = EPOCH, .version = 1 };

/* A fixed scalar below the group order: bytes i * k + 1, top byte small. */
static void scalar(uint8_t out[CX_OPRF_SCALAR], uint8_t k)
{
	for (int i = 0; i < CX_OPRF_SCALAR; i++)
		out[i] = (uint8_t)(i * k + 1);
	out[CX_OPRF_SCALAR - 1] = 0x0a;
}

static int cmp_tag(const void *a, const void *b)
{
	return memcmp(a, b, TN_BLIND_TAG);
}

int vec_blind_init(void)
{
	static const uint8_t seed[32] = {
		0x5b, 0x5b, 0x5b, 0x5b, 0x5b, 0x5b, 0x5b, 0x5b, 0x5b, 0x5b, 0x5b,
		0x5b, 0x5b, 0x5b, 0x5b, 0x5b, 0x5b, 0x5b, 0x5b, 0x5b, 0x5b, 0x5b,
		0x5b, 0x5b, 0x5b, 0x5b, 0x5b, 0x5b, 0x5b, 0x5b, 0x5b, 0x5b,
	};
	uint8_t out[CX_OPRF_OUT], blind[CX_OPRF_SCALAR], r[CX_OPRF_SCALAR];
	int rc;

	memset(vm_blind_set.mid, 0, sizeof(vm_blind_set.mid));
	vm_blind_set.mid[1] = 0xb1;
	vm_blind_set.mid[15] = 0x5e;
	if ((rc = cx_oprf_derive_key(CX_VOPRF, seed, (const uint8_t *)VM_BLIND_INFO,
				     strlen(VM_BLIND_INFO), sk, vm_blind_set.pk)))
		return rc;
	for (int i = 0; i < VM_BLIND_REPORTS; i++) {
		if ((rc = cx_oprf_output(CX_VOPRF, sk, reports[i], strlen(reports[i]), out)))
			return rc;
		memcpy(tags[i], out, TN_BLIND_TAG);
	}
	qsort(tags, VM_BLIND_REPORTS, TN_BLIND_TAG, cmp_tag);
	for (int i = 0; i < VM_BLIND_ITEMS; i++) {
		scalar(blind, (uint8_t)(3 + 2 * i));
		if ((rc = cx_oprf_blind(CX_VOPRF, vm_blind_items[i], strlen(vm_blind_items[i]),
					blind, blind, elems[i])) ||
		    (rc = cx_oprf_evaluate(sk, elems[i], evals[i])))
			return rc;
	}
	scalar(r, 7);
	return cx_voprf_prove(sk, vm_blind_set.pk, (const uint8_t (*)[CX_OPRF_ELEM])elems,
			      (const uint8_t (*)[CX_OPRF_ELEM])evals, VM_BLIND_ITEMS, r, proof);
}
