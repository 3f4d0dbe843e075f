/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests of crypto/ identities: key files and their permissions,
 * signatures (RFC 8032 vector), fingerprints and hashes. */
#include <fcntl.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>
#include <sodium.h>

#include "../../crypto/cx.h"
#include "tmpdir.h"

#define B64 sodium_base64_VARIANT_URLSAFE_NO_PADDING

/* ---- helpers ---- */

static void hex_in(uint8_t *out, size_t n, const char *hex)
{
	size_t len = 0;

	assert_int_equal(sodium_hex2bin(out, n, hex, strlen(hex), NULL, &len, NULL), 0);
	assert_int_equal(len, n);
}

/* Each file test gets a fresh directory, and a second one when it needs
 * another identity; the teardown removes both even after a failure. */
struct dirs {
	char *dir, *other;
};

static int dir_setup(void **state)
{
	struct dirs *d = calloc(1, sizeof *d);

	if (!d)
		return -1;
	d->dir = tmpdir_new("tn-cx");
	d->other = tmpdir_new("tn-cx");
	*state = d;
	return d->dir && d->other ? 0 : -1;
}

static int dir_teardown(void **state)
{
	struct dirs *d = *state;

	tmpdir_rm(d->dir);
	tmpdir_rm(d->other);
	free(d);
	return 0;
}

#define DIR_OF(state) (((struct dirs *)*(state))->dir)
#define OTHER_OF(state) (((struct dirs *)*(state))->other)

static void path_of(char out[static PATH_MAX], const char *dir, const char *name)
{
	snprintf(out, PATH_MAX, "%s/%s", dir, name);
}

/* An identity with a chosen seed: node.key in its documented format (the
 * raw 32-byte seed), mode 0600, then the real loader. */
static struct cx_id *id_from_seed(const char *dir, const uint8_t seed[32])
{
	char path[PATH_MAX];
	struct cx_id *id = NULL;
	int fd;

	path_of(path, dir, "node.key");
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600);
	assert_true(fd >= 0);
	assert_int_equal(fchmod(fd, 0600), 0);
	assert_int_equal(write(fd, seed, 32), 32);
	assert_int_equal(close(fd), 0);
	assert_int_equal(cx_id_load(&id, dir), 0);
	return id;
}

/* ---- known answers ---- */

static void test_sign_matches_rfc8032_test_1(void **state)
{
	uint8_t seed[32], pk[32], want[64], sig[64];
	struct cx_id *id;

	hex_in(seed, 32, "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60");
	hex_in(pk, 32, "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");
	hex_in(want, 64, "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555f"
			 "b8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b");
	id = id_from_seed(DIR_OF(state), seed);
	assert_memory_equal(cx_id_pk(id), pk, 32);
	/* The key is standard Ed25519: the RFC's signature of "" checks. */
	assert_int_equal(crypto_sign_verify_detached(want, (const uint8_t *)"", 0, pk), 0);
	/* Ours is the same algorithm over the purpose's label first. */
	assert_int_equal(cx_sign_for(id, CX_ENVELOPE, NULL, 0, sig), 0);
	assert_int_equal(crypto_sign_verify_detached(sig, (const uint8_t *)"tracenet/1 envelope",
						     sizeof("tracenet/1 envelope"), pk), 0);
	cx_id_free(id);
}

static void test_fingerprint_is_grouped_blake2b_of_key(void **state)
{
	uint8_t pk[32], h[32];
	char fp[CX_FP_LEN], want[CX_FP_LEN], hex[65];

	(void)state;
	hex_in(pk, 32, "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");
	crypto_generichash(h, 32, pk, 32, NULL, 0);
	sodium_bin2hex(hex, sizeof hex, h, 12);
	for (char *p = hex; *p; p++)
		if (*p >= 'a' && *p <= 'f')
			*p = (char)(*p - 'a' + 'A');
	snprintf(want, sizeof want, "%.4s-%.4s-%.4s-%.4s-%.4s-%.4s", hex, hex + 4, hex + 8,
		 hex + 12, hex + 16, hex + 20);
	cx_fingerprint(pk, fp);
	assert_string_equal(fp, want);
	assert_int_equal(strlen(fp), 29);
}

static void test_hash_is_blake2b_256(void **state)
{
	uint8_t got[32], want[32];

	(void)state;
	crypto_generichash(want, 32, (const uint8_t *)"abc", 3, NULL, 0);
	cx_hash("abc", 3, got);
	assert_memory_equal(got, want, 32);
}

/* ---- identity files ---- */

static void test_create_then_load_round_trips(void **state)
{
	char path[PATH_MAX], line[128], b64[64];
	struct cx_id *id = NULL;
	FILE *f;

	assert_int_equal(cx_id_create(DIR_OF(state)), 0);
	assert_int_equal(cx_id_load(&id, DIR_OF(state)), 0);
	assert_non_null(id);
	path_of(path, DIR_OF(state), "node.pub");
	f = fopen(path, "r");
	assert_non_null(f);
	assert_non_null(fgets(line, sizeof line, f));
	fclose(f);
	sodium_bin2base64(b64, sizeof b64, cx_id_pk(id), 32, B64);
	strcat(b64, "\n");
	assert_string_equal(line, b64);
	cx_id_free(id);
}

static void test_create_twice_fails_with_exists(void **state)
{
	assert_int_equal(cx_id_create(DIR_OF(state)), 0);
	assert_int_equal(cx_id_create(DIR_OF(state)), TN_ERR_EXISTS);
}

static void test_create_gives_distinct_keys(void **state)
{
	const char *other = OTHER_OF(state);
	struct cx_id *a = NULL, *b = NULL;

	assert_int_equal(cx_id_create(DIR_OF(state)), 0);
	assert_int_equal(cx_id_create(other), 0);
	assert_int_equal(cx_id_load(&a, DIR_OF(state)), 0);
	assert_int_equal(cx_id_load(&b, other), 0);
	assert_memory_not_equal(cx_id_pk(a), cx_id_pk(b), 32);
	cx_id_free(a);
	cx_id_free(b);
}

static void test_key_file_mode_is_0600(void **state)
{
	char path[PATH_MAX];
	struct stat st;

	assert_int_equal(cx_id_create(DIR_OF(state)), 0);
	path_of(path, DIR_OF(state), "node.key");
	assert_int_equal(lstat(path, &st), 0);
	assert_true(S_ISREG(st.st_mode));
	assert_int_equal(st.st_mode & 07777, 0600);
	assert_int_equal(st.st_size, 32);
}

static void test_load_refuses_key_readable_by_others(void **state)
{
	static const mode_t modes[] = { 0644, 0640, 0604, 0620, 0602, 0610 };
	char path[PATH_MAX];
	struct cx_id *id = NULL;

	assert_int_equal(cx_id_create(DIR_OF(state)), 0);
	path_of(path, DIR_OF(state), "node.key");
	for (size_t i = 0; i < sizeof modes / sizeof modes[0]; i++) {
		assert_int_equal(chmod(path, modes[i]), 0);
		assert_int_equal(cx_id_load(&id, DIR_OF(state)), TN_ERR_PERM);
		assert_null(id);
	}
	assert_int_equal(chmod(path, 0400), 0);
	assert_int_equal(cx_id_load(&id, DIR_OF(state)), 0);
	cx_id_free(id);
}

static void test_load_refuses_symlinked_key(void **state)
{
	const char *real = OTHER_OF(state);
	char target[PATH_MAX], link[PATH_MAX];
	struct cx_id *id = NULL;

	assert_int_equal(cx_id_create(real), 0);
	path_of(target, real, "node.key");
	path_of(link, DIR_OF(state), "node.key");
	assert_int_equal(symlink(target, link), 0);
	assert_int_equal(cx_id_load(&id, DIR_OF(state)), TN_ERR_PERM);
	assert_null(id);
	/* Nor does create write through it. */
	assert_int_equal(cx_id_create(DIR_OF(state)), TN_ERR_EXISTS);
}

static void test_load_refuses_key_of_wrong_size(void **state)
{
	char path[PATH_MAX];
	struct cx_id *id = NULL;

	assert_int_equal(cx_id_create(DIR_OF(state)), 0);
	path_of(path, DIR_OF(state), "node.key");
	assert_int_equal(truncate(path, 31), 0);
	assert_int_equal(cx_id_load(&id, DIR_OF(state)), TN_ERR_INVALID);
	assert_int_equal(truncate(path, 33), 0);
	assert_int_equal(cx_id_load(&id, DIR_OF(state)), TN_ERR_INVALID);
	assert_null(id);
}

static void test_load_without_key_is_not_found(void **state)
{
	struct cx_id *id = NULL;

	assert_int_equal(cx_id_load(&id, DIR_OF(state)), TN_ERR_NOT_FOUND);
	assert_null(id);
}

/* ---- signatures ---- */

static void test_verify_rejects_every_flipped_byte(void **state)
{
	uint8_t m[100], sig[64];
	struct cx_part part;
	struct cx_id *id = NULL;
	const uint8_t *pk;

	assert_int_equal(cx_id_create(DIR_OF(state)), 0);
	assert_int_equal(cx_id_load(&id, DIR_OF(state)), 0);
	pk = cx_id_pk(id);
	cx_random(m, sizeof m);
	part.p = m;
	part.n = sizeof m;
	assert_int_equal(cx_sign_for(id, CX_ENVELOPE, &part, 1, sig), 0);
	assert_int_equal(cx_verify_for(pk, CX_ENVELOPE, &part, 1, sig), 0);
	for (size_t i = 0; i < sizeof m; i++) {
		m[i] ^= 0x01;
		assert_int_equal(cx_verify_for(pk, CX_ENVELOPE, &part, 1, sig), TN_ERR_BAD_SIG);
		m[i] ^= 0x01;
	}
	for (size_t i = 0; i < sizeof sig; i++) {
		sig[i] ^= 0x80;
		assert_int_equal(cx_verify_for(pk, CX_ENVELOPE, &part, 1, sig), TN_ERR_BAD_SIG);
		sig[i] ^= 0x80;
	}
	part.n--;
	assert_int_equal(cx_verify_for(pk, CX_ENVELOPE, &part, 1, sig), TN_ERR_BAD_SIG);
	cx_id_free(id);
}

int main(void)
{
	const struct CMUnitTest files[] = {
		cmocka_unit_test_setup_teardown(test_sign_matches_rfc8032_test_1, dir_setup,
						dir_teardown),
		cmocka_unit_test(test_fingerprint_is_grouped_blake2b_of_key),
		cmocka_unit_test(test_hash_is_blake2b_256),
		cmocka_unit_test_setup_teardown(test_create_then_load_round_trips, dir_setup,
						dir_teardown),
		cmocka_unit_test_setup_teardown(test_create_twice_fails_with_exists, dir_setup,
						dir_teardown),
		cmocka_unit_test_setup_teardown(test_create_gives_distinct_keys, dir_setup,
						dir_teardown),
		cmocka_unit_test_setup_teardown(test_key_file_mode_is_0600, dir_setup,
						dir_teardown),
		cmocka_unit_test_setup_teardown(test_load_refuses_key_readable_by_others,
						dir_setup, dir_teardown),
		cmocka_unit_test_setup_teardown(test_load_refuses_symlinked_key, dir_setup,
						dir_teardown),
		cmocka_unit_test_setup_teardown(test_load_refuses_key_of_wrong_size, dir_setup,
						dir_teardown),
		cmocka_unit_test_setup_teardown(test_load_without_key_is_not_found, dir_setup,
						dir_teardown),
		cmocka_unit_test_setup_teardown(test_verify_rejects_every_flipped_byte,
						dir_setup, dir_teardown),
	};

	if (cx_init() != 0)
		return 1;
	return cmocka_run_group_tests_name("crypto_files", files, NULL, NULL);
}
