/* SPDX-License-Identifier: Apache-2.0 */
/* bench_oprf: microseconds per call of the RFC 9497 OPRF (crypto/oprf.c):
 * blind, evaluate, finalize, the server's own output, and the VOPRF proof
 * made and checked for a batch of 1 and of 100. Each call is timed alone
 * (CLOCK_MONOTONIC) after a few warm-up calls; prints one JSON object of
 * the median and 90th percentile per operation. Usage: bench_oprf [RUNS]. */
#include <stdio.h>
#include <stdlib.h>

#include "../../crypto/cx.h"
#include "lib/timing.h"

#define BATCH 100
#define IN_LEN 16
#define WARMUP 5
#define RUNS 1001

struct fix {
	uint8_t sk[CX_OPRF_SCALAR], pk[CX_OPRF_ELEM];
	uint8_t in[BATCH][IN_LEN], blind[BATCH][CX_OPRF_SCALAR];
	uint8_t blinded[BATCH][CX_OPRF_ELEM], evaluated[BATCH][CX_OPRF_ELEM];
	uint8_t proof1[CX_OPRF_PROOF], proof100[CX_OPRF_PROOF];
	uint8_t out[CX_OPRF_OUT], scratch[CX_OPRF_SCALAR], elem[CX_OPRF_ELEM];
	uint8_t proof[CX_OPRF_PROOF];
};

static int op_blind(struct fix *f)
{
	return cx_oprf_blind(CX_VOPRF, f->in[0], IN_LEN, NULL, f->scratch, f->elem);
}

static int op_evaluate(struct fix *f)
{
	return cx_oprf_evaluate(f->sk, f->blinded[0], f->elem);
}

static int op_finalize(struct fix *f)
{
	return cx_oprf_finalize(CX_VOPRF, f->in[0], IN_LEN, f->blind[0], f->evaluated[0], f->out);
}

static int op_output(struct fix *f)
{
	return cx_oprf_output(CX_VOPRF, f->sk, f->in[0], IN_LEN, f->out);
}

static int op_prove_1(struct fix *f)
{
	return cx_voprf_prove(f->sk, f->pk, f->blinded, f->evaluated, 1, NULL, f->proof);
}

static int op_verify_1(struct fix *f)
{
	return cx_voprf_verify(f->pk, f->blinded, f->evaluated, 1, f->proof1);
}

static int op_prove_100(struct fix *f)
{
	return cx_voprf_prove(f->sk, f->pk, f->blinded, f->evaluated, BATCH, NULL, f->proof);
}

static int op_verify_100(struct fix *f)
{
	return cx_voprf_verify(f->pk, f->blinded, f->evaluated, BATCH, f->proof100);
}

/* What is timed: name, call, and the share of RUNS it gets (the batches
 * of 100 take a hundred times longer). */
static const struct op {
	const char *name;
	int (*fn)(struct fix *f);
	int runs_div;
} ops[] = {
	{ "blind", op_blind, 1 },
	{ "evaluate", op_evaluate, 1 },
	{ "finalize", op_finalize, 1 },
	{ "output", op_output, 1 },
	{ "prove_1", op_prove_1, 1 },
	{ "verify_1", op_verify_1, 1 },
	{ "prove_100", op_prove_100, 20 },
	{ "verify_100", op_verify_100, 20 },
};

/* A key, BATCH inputs blinded and evaluated, and the two proofs. */
static int fix_make(struct fix *f)
{
	cx_oprf_keygen(f->sk, f->pk);
	for (int i = 0; i < BATCH; i++) {
		cx_random(f->in[i], IN_LEN);
		if (cx_oprf_blind(CX_VOPRF, f->in[i], IN_LEN, NULL, f->blind[i], f->blinded[i]) ||
		    cx_oprf_evaluate(f->sk, f->blinded[i], f->evaluated[i]))
			return -1;
	}
	if (cx_voprf_prove(f->sk, f->pk, f->blinded, f->evaluated, 1, NULL, f->proof1) ||
	    cx_voprf_prove(f->sk, f->pk, f->blinded, f->evaluated, BATCH, NULL, f->proof100))
		return -1;
	return 0;
}

/* Time runs calls of op, one by one, into v (microseconds, sorted). */
static int time_op(const struct op *op, struct fix *f, double *v, int runs)
{
	for (int i = 0; i < WARMUP; i++)
		if (op->fn(f))
			return -1;
	for (int i = 0; i < runs; i++) {
		double t0 = tm_now_s();

		if (op->fn(f))
			return -1;
		v[i] = (tm_now_s() - t0) * 1e6;
	}
	tm_sort(v, (size_t)runs);
	return 0;
}

int main(int argc, char **argv)
{
	int runs = argc > 1 ? atoi(argv[1]) : RUNS, ret = 1;
	struct fix *f = calloc(1, sizeof *f);
	double *v = calloc(runs > 0 ? (size_t)runs : 1, sizeof *v);

	if (runs < 1 || !f || !v || cx_init() || fix_make(f)) {
		fprintf(stderr, "bench_oprf: setup failed\n");
		goto out;
	}
	printf("{\"unit\": \"us\", \"batch\": %d", BATCH);
	for (size_t i = 0; i < sizeof ops / sizeof *ops; i++) {
		int n = runs / ops[i].runs_div > 0 ? runs / ops[i].runs_div : 1;

		if (time_op(&ops[i], f, v, n)) {
			fprintf(stderr, "\nbench_oprf: %s failed\n", ops[i].name);
			goto out;
		}
		printf(",\n \"%s\": {\"median\": %.1f, \"p90\": %.1f, \"runs\": %d}", ops[i].name,
		       tm_pct(v, (size_t)n, 0.5), tm_pct(v, (size_t)n, 0.9), n);
	}
	printf("}\n");
	ret = 0;
out:
	if (f)
		cx_wipe(f->sk, sizeof f->sk);
	free(f);
	free(v);
	return ret;
}
