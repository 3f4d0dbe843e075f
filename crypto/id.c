/* SPDX-License-Identifier: Apache-2.0 */
/* Node identity: key generation, the key files, loading with permission
 * checks, and printable fingerprints. dir/node.key holds exactly the raw
 * 32-byte Ed25519 seed; dir/node.pub holds the public key as one line of
 * URL-safe base64 without padding (the KEY of a node card). */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cx_int.h"

#define FP_BYTES 12

_Static_assert(FP_BYTES * 2 + FP_BYTES / 2 - 1 < CX_FP_LEN, "fingerprint fits");

int cx__path(char *out, const char *dir, const char *name)
{
	int n = snprintf(out, PATH_MAX, "%s/%s", dir, name);

	return n < 0 || n >= PATH_MAX ? TN_ERR_INVALID : 0;
}

/* Create path (extra open flags in flags), write p, fsync. A file this
 * call created is removed again if anything fails. */
int cx__write_file(const char *path, const void *p, size_t n, int flags, mode_t mode)
{
	int fd, ret;

	fd = open(path, O_WRONLY | O_CREAT | O_NOFOLLOW | O_CLOEXEC | flags, mode);
	if (fd < 0)
		return cx__errno_err(errno);
	ret = cx_write_all(fd, p, n);
	if (!ret && fsync(fd) < 0)
		ret = cx__errno_err(errno);
	if (close(fd) < 0 && !ret)
		ret = cx__errno_err(errno);
	if (ret)
		unlink(path);
	return ret;
}

int cx__sync_dir(const char *dir)
{
	int fd, ret = 0;

	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return cx__errno_err(errno);
	if (fsync(fd) < 0 && errno != EINVAL)
		ret = cx__errno_err(errno);
	close(fd);
	return ret;
}

static struct cx_id *id_alloc(void)
{
	struct cx_id *id = sodium_malloc(sizeof *id);

	if (id)
		sodium_memzero(id, sizeof *id);
	return id;
}

/* Fill pk, sk and xsk from seed. */
static int id_derive(struct cx_id *id)
{
	if (crypto_sign_seed_keypair(id->pk, id->sk, id->seed) != 0 ||
	    crypto_sign_ed25519_sk_to_curve25519(id->xsk, id->sk) != 0)
		return TN_ERR_CRYPTO;
	return 0;
}

int cx__write_pub(const char *path, const uint8_t pk[static CX_PK_LEN])
{
	char line[CX_KEY_TEXT_LEN + 1];

	cx_key_format(pk, line);
	line[CX__PK_B64_LEN] = '\n';
	return cx__write_file(path, line, CX__PK_B64_LEN + 1, O_TRUNC, 0644);
}

int cx__key_create(const char *dir, const char *key_name, const char *pub_name)
{
	char kpath[PATH_MAX], ppath[PATH_MAX];
	struct cx_id *id = NULL;
	int ret;

	ret = cx__path(kpath, dir, key_name);
	if (!ret && pub_name)
		ret = cx__path(ppath, dir, pub_name);
	if (ret)
		goto out;
	ret = TN_ERR_NOMEM;
	id = id_alloc();
	if (!id)
		goto out;
	randombytes_buf(id->seed, sizeof id->seed);
	ret = id_derive(id);
	if (ret)
		goto out;
	ret = cx__write_file(kpath, id->seed, sizeof id->seed, O_EXCL, 0600);
	if (ret)
		goto out;
	/* On failure, remove what this call wrote, and only that. */
	ret = pub_name ? cx__write_pub(ppath, id->pk) : 0;
	if (!ret && (ret = cx__sync_dir(dir)) != 0 && pub_name)
		unlink(ppath);
	if (ret)
		unlink(kpath);
out:
	cx_id_free(id);
	return ret;
}

/* The key must be a regular file of the right size that only its owner
 * can read or write. */
static int check_key_file(int fd)
{
	struct stat st;

	if (fstat(fd, &st) < 0)
		return cx__errno_err(errno);
	if (!S_ISREG(st.st_mode) || (st.st_mode & 077) || st.st_uid != geteuid())
		return TN_ERR_PERM;
	if (st.st_size != CX__SEED_LEN)
		return TN_ERR_INVALID;
	return 0;
}

int cx__key_load(struct cx_id **out, const char *dir, const char *name)
{
	char path[PATH_MAX];
	struct cx_id *id = NULL;
	int fd = -1, ret;

	*out = NULL;
	ret = cx__path(path, dir, name);
	if (ret)
		goto out;
	/* O_NONBLOCK: a FIFO planted as node.key must not hang the daemon. */
	fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	if (fd < 0) {
		ret = cx__errno_err(errno);
		goto out;
	}
	ret = check_key_file(fd);
	if (ret)
		goto out;
	ret = TN_ERR_NOMEM;
	id = id_alloc();
	if (!id)
		goto out;
	ret = cx_read_all(fd, id->seed, sizeof id->seed);
	if (!ret)
		ret = id_derive(id);
	if (ret)
		goto out;
	sodium_mprotect_readonly(id);
	*out = id;
	id = NULL;
out:
	if (fd >= 0)
		close(fd);
	cx_id_free(id);
	return ret;
}

int cx_id_create(const char *dir)
{
	return cx__key_create(dir, KEY_FILE, PUB_FILE);
}

int cx_id_load(struct cx_id **out, const char *dir)
{
	return cx__key_load(out, dir, KEY_FILE);
}

void cx_id_free(struct cx_id *id)
{
	/* sodium_free makes the region writable again and wipes it. */
	if (id)
		sodium_free(id);
}

const uint8_t *cx_id_pk(const struct cx_id *id)
{
	return id->pk;
}

void cx_fingerprint(const uint8_t pk[static CX_PK_LEN], char out[static CX_FP_LEN])
{
	static const char hex[] = "0123456789ABCDEF";
	uint8_t h[crypto_generichash_BYTES];
	size_t o = 0;

	/* The first 12 bytes of BLAKE2b-256(pk), as "XXXX-XXXX-...". */
	crypto_generichash(h, sizeof h, pk, CX_PK_LEN, NULL, 0);
	for (size_t i = 0; i < FP_BYTES; i++) {
		if (i && i % 2 == 0)
			out[o++] = '-';
		out[o++] = hex[h[i] >> 4];
		out[o++] = hex[h[i] & 15];
	}
	out[o] = '\0';
}
