/* SPDX-License-Identifier: Apache-2.0 */
/* One-time set-up of libsodium and OpenSSL. */
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
	return 0;
}
