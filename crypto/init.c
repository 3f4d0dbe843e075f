/* SPDX-License-Identifier: Apache-2.0 */
/* One-time set-up of libsodium and OpenSSL. */
#include <openssl/crypto.h>
#include <openssl/ssl.h>
#include <sodium.h>

#include "cx.h"

int cx_init(void)
{
	if (sodium_init() < 0)
		return TN_ERR_CRYPTO;
	/* OpenSSL 3 initialises itself; this only makes failure visible. */
	if (OPENSSL_init_ssl(0, NULL) != 1)
		return TN_ERR_TLS;
	/* OpenSSL keeps its copy of the private key in its secure heap, locked
	 * memory, once there is one (without it, in ordinary memory). */
	if (!CRYPTO_secure_malloc_initialized())
		(void)CRYPTO_secure_malloc_init(1 << 16, 32);
	return 0;
}
