/* SPDX-License-Identifier: Apache-2.0 */
/* Internals shared by the files of crypto/: the layout of an identity and
 * the text form of public keys. Not for use outside this directory. */
#ifndef TN_CX_INT_H
#define TN_CX_INT_H

#include <sodium.h>
#include <sys/types.h>

#include "cx.h"

#define CX__SEED_LEN 32
/* Public keys as text (node.pub, node cards): URL-safe base64, no padding. */
#define CX__B64 sodium_base64_VARIANT_URLSAFE_NO_PADDING
#define CX__PK_B64_LEN (sodium_base64_ENCODED_LEN(CX_PK_LEN, CX__B64) - 1)

/* Allocated with sodium_malloc (guard pages, mlock) and made read-only once
 * loaded; sodium_free wipes it. */
struct cx_id {
	uint8_t pk[CX_PK_LEN];     /* Ed25519 public key */
	uint8_t seed[CX__SEED_LEN]; /* Ed25519 seed: the contents of node.key */
	uint8_t sk[64];            /* libsodium's expanded secret: seed || pk */
	uint8_t xsk[32];           /* X25519 secret derived from sk */
};

#define KEY_FILE CX_KEY_FILE
#define PUB_FILE "node.pub"

/* dir/name into out (PATH_MAX); TN_ERR_INVALID when too long. */
int cx__path(char *out, const char *dir, const char *name);
/* Create path (O_NOFOLLOW, extra flags such as O_EXCL), write p, fsync;
 * removed again if anything fails. */
int cx__write_file(const char *path, const void *p, size_t n, int flags, mode_t mode);
/* fsync a directory. */
int cx__sync_dir(const char *dir);
/* Write pk's text form and a newline to path (0644, truncated). */
int cx__write_pub(const char *path, const uint8_t pk[static CX_PK_LEN]);
/* A new key pair into dir/key_name (0600, O_EXCL) and, unless pub_name
 * is NULL, its public key into dir/pub_name. */
int cx__key_create(const char *dir, const char *key_name, const char *pub_name);
/* Load the seed in dir/name with the checks of node.key. */
int cx__key_load(struct cx_id **out, const char *dir, const char *name);

/* errno as a TN_ERR_* code (EEXIST, ENOENT, ELOOP, ENOSPC, ENOMEM; else IO). */
int cx__errno_err(int e);

#endif
