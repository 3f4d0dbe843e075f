/* SPDX-License-Identifier: Apache-2.0 */
/* Helpers of the envelope unit tests: a routing header, the shared keys of
 * a pair, sealing, opening with an expected result, and header changes. */
#ifndef TN_TESTS_CRYPTO_ENV_H
#define TN_TESTS_CRYPTO_ENV_H

#include <stddef.h>
#include <stdint.h>

#include "crypto_pair.h"

struct env_keys {
	uint8_t ab[CX_KEY_LEN], ba[CX_KEY_LEN]; /* a's side, b's side */
	const uint8_t *apk, *bpk;
};

/* A routing header from MEX to GTM, as the caller fills it. */
void env_init(struct tn_envelope *e);

/* Both sides' shared keys of p, and both public keys. */
void env_keys(const struct pair *p, struct env_keys *k);

/* a seals m for b. */
void env_seal(const struct pair *p, const struct env_keys *k, struct tn_envelope *e,
	      const void *m, size_t n, int sign);

/* Release what decoding or sealing put in e. */
void env_free(struct tn_envelope *e);

/* Open e (from pk, for to_pk) and expect want; a failed open leaves out
 * empty. */
void expect_open(const struct tn_envelope *e, const uint8_t *key, const uint8_t *pk,
		 const uint8_t *to_pk, int want);

enum change { CHANGE_NONE, CHANGE_FIELD, CHANGE_VERSION };

/* Apply the i-th change to an authenticated header field other than id and
 * nonce (those are flipped byte by byte); CHANGE_NONE when there are no more. */
enum change change_header(struct tn_envelope *e, int i);

#endif
