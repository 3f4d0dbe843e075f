/* SPDX-License-Identifier: Apache-2.0 */
/* Ed25519 detached signatures for messages with legal weight. */
#include "cx_int.h"

void cx_sign(const struct cx_id *id, const void *m, size_t n, uint8_t sig[static CX_SIG_LEN])
{
	crypto_sign_detached(sig, NULL, m, n, id->sk);
}

int cx_verify(const uint8_t pk[static CX_PK_LEN], const void *m, size_t n,
	      const uint8_t sig[static CX_SIG_LEN])
{
	if (crypto_sign_verify_detached(sig, m, n, pk) != 0)
		return TN_ERR_BAD_SIG;
	return 0;
}
