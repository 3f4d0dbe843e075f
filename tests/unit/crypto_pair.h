/* SPDX-License-Identifier: Apache-2.0 */
/* A cmocka group fixture for the crypto unit tests: two identities, each
 * created in a fresh directory and loaded. */
#ifndef TN_TESTS_CRYPTO_PAIR_H
#define TN_TESTS_CRYPTO_PAIR_H

#include "../../crypto/cx.h"

struct pair {
	char *da, *db;
	struct cx_id *a, *b;
};

/* Group setup: *state becomes a struct pair with both identities loaded. */
int pair_setup(void **state);

/* Group teardown: free both identities and remove their directories. */
int pair_teardown(void **state);

#endif
