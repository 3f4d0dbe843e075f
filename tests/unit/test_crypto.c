/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests for crypto/: identity files, signatures (RFC 8032 vector),
 * sealing, node cards, envelopes, and TLS 1.3 sessions pumped through
 * memory. */
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
	cx_sign(id, "", 0, sig);
	assert_memory_equal(sig, want, 64);
	assert_int_equal(cx_verify(pk, "", 0, sig), 0);
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

/* ---- whole-buffer fd I/O ---- */

static void test_write_all_then_read_all_round_trips_through_a_pipe(void **state)
{
	uint8_t in[1000], out[1000];
	int fd[2];

	(void)state;
	randombytes_buf(in, sizeof in);
	assert_int_equal(pipe(fd), 0);
	assert_int_equal(cx_write_all(fd[1], in, sizeof in), 0);
	assert_int_equal(cx_read_all(fd[0], out, sizeof out), 0);
	assert_memory_equal(in, out, sizeof in);
	close(fd[0]);
	close(fd[1]);
}

static void test_read_all_refuses_input_that_ends_early(void **state)
{
	uint8_t buf[8];
	int fd[2];

	(void)state;
	assert_int_equal(pipe(fd), 0);
	assert_int_equal(cx_write_all(fd[1], "abc", 3), 0);
	close(fd[1]);
	assert_int_equal(cx_read_all(fd[0], buf, sizeof buf), TN_ERR_INVALID);
	close(fd[0]);
}

/* ---- signatures ---- */

static void test_verify_rejects_every_flipped_byte(void **state)
{
	uint8_t m[100], sig[64];
	struct cx_id *id = NULL;
	const uint8_t *pk;

	assert_int_equal(cx_id_create(DIR_OF(state)), 0);
	assert_int_equal(cx_id_load(&id, DIR_OF(state)), 0);
	pk = cx_id_pk(id);
	cx_random(m, sizeof m);
	cx_sign(id, m, sizeof m, sig);
	assert_int_equal(cx_verify(pk, m, sizeof m, sig), 0);
	for (size_t i = 0; i < sizeof m; i++) {
		m[i] ^= 0x01;
		assert_int_equal(cx_verify(pk, m, sizeof m, sig), TN_ERR_BAD_SIG);
		m[i] ^= 0x01;
	}
	for (size_t i = 0; i < sizeof sig; i++) {
		sig[i] ^= 0x80;
		assert_int_equal(cx_verify(pk, m, sizeof m, sig), TN_ERR_BAD_SIG);
		sig[i] ^= 0x80;
	}
	assert_int_equal(cx_verify(pk, m, sizeof m - 1, sig), TN_ERR_BAD_SIG);
	cx_id_free(id);
}

/* ---- sealing ---- */

struct pair {
	char *da, *db;
	struct cx_id *a, *b;
};

static int pair_teardown(void **state)
{
	struct pair *p = *state;

	cx_id_free(p->a);
	cx_id_free(p->b);
	tmpdir_rm(p->da);
	tmpdir_rm(p->db);
	free(p);
	return 0;
}

static int pair_setup(void **state)
{
	struct pair *p = calloc(1, sizeof *p);

	if (!p)
		return -1;
	*state = p;
	p->da = tmpdir_new("tn-cx");
	p->db = tmpdir_new("tn-cx");
	if (!p->da || !p->db || cx_id_create(p->da) || cx_id_create(p->db) || cx_id_load(&p->a, p->da) ||
	    cx_id_load(&p->b, p->db)) {
		pair_teardown(state);
		return -1;
	}
	return 0;
}

static void test_shared_key_is_symmetric(void **state)
{
	struct pair *p = *state;
	uint8_t ab[CX_KEY_LEN], ba[CX_KEY_LEN], aa[CX_KEY_LEN];

	assert_int_equal(cx_shared_key(p->a, cx_id_pk(p->b), ab), 0);
	assert_int_equal(cx_shared_key(p->b, cx_id_pk(p->a), ba), 0);
	assert_int_equal(cx_shared_key(p->a, cx_id_pk(p->a), aa), 0);
	assert_memory_equal(ab, ba, CX_KEY_LEN);
	assert_int_equal(cx_memcmp(ab, ba, CX_KEY_LEN), 0);
	assert_int_not_equal(cx_memcmp(ab, aa, CX_KEY_LEN), 0);
}

static void test_shared_key_rejects_small_order_key(void **state)
{
	struct pair *p = *state;
	uint8_t bad[CX_PK_LEN] = { 0 }, key[CX_KEY_LEN];

	assert_int_equal(cx_shared_key(p->a, bad, key), TN_ERR_CRYPTO);
	bad[0] = 1; /* the identity point */
	assert_int_equal(cx_shared_key(p->a, bad, key), TN_ERR_CRYPTO);
}

static void test_seal_open_round_trips(void **state)
{
	struct pair *p = *state;
	uint8_t ab[CX_KEY_LEN], ba[CX_KEY_LEN], nonce[CX_NONCE_LEN];
	uint8_t m[300], c[sizeof m + CX_MAC_LEN], out[sizeof m];

	assert_int_equal(cx_shared_key(p->a, cx_id_pk(p->b), ab), 0);
	assert_int_equal(cx_shared_key(p->b, cx_id_pk(p->a), ba), 0);
	cx_random(nonce, sizeof nonce);
	cx_random(m, sizeof m);
	cx_seal(ab, nonce, m, sizeof m, c);
	assert_memory_not_equal(c, m, 32);
	assert_int_equal(cx_open(ba, nonce, c, sizeof c, out), 0);
	assert_memory_equal(out, m, sizeof m);
	/* Empty messages are just a MAC. */
	cx_seal(ab, nonce, NULL, 0, c);
	assert_int_equal(cx_open(ba, nonce, c, CX_MAC_LEN, out), 0);
}

static void test_open_rejects_every_tampered_byte(void **state)
{
	struct pair *p = *state;
	uint8_t key[CX_KEY_LEN], nonce[CX_NONCE_LEN];
	uint8_t m[64], c[sizeof m + CX_MAC_LEN], out[sizeof m];

	assert_int_equal(cx_shared_key(p->a, cx_id_pk(p->b), key), 0);
	cx_random(nonce, sizeof nonce);
	cx_random(m, sizeof m);
	cx_seal(key, nonce, m, sizeof m, c);
	for (size_t i = 0; i < sizeof c; i++) {
		c[i] ^= 0x01;
		assert_int_equal(cx_open(key, nonce, c, sizeof c, out), TN_ERR_BAD_BOX);
		c[i] ^= 0x01;
	}
	for (size_t i = 0; i < sizeof nonce; i++) {
		nonce[i] ^= 0x01;
		assert_int_equal(cx_open(key, nonce, c, sizeof c, out), TN_ERR_BAD_BOX);
		nonce[i] ^= 0x01;
	}
	assert_int_equal(cx_open(key, nonce, c, sizeof c - 1, out), TN_ERR_BAD_BOX);
	assert_int_equal(cx_open(key, nonce, c, CX_MAC_LEN - 1, out), TN_ERR_BAD_BOX);
	assert_int_equal(cx_open(key, nonce, c, sizeof c, out), 0);
}

static void test_open_rejects_wrong_key(void **state)
{
	struct pair *p = *state;
	uint8_t ab[CX_KEY_LEN], aa[CX_KEY_LEN], nonce[CX_NONCE_LEN];
	uint8_t m[32] = "for B only", c[sizeof m + CX_MAC_LEN], out[sizeof m];

	assert_int_equal(cx_shared_key(p->a, cx_id_pk(p->b), ab), 0);
	assert_int_equal(cx_shared_key(p->a, cx_id_pk(p->a), aa), 0);
	cx_random(nonce, sizeof nonce);
	cx_seal(ab, nonce, m, sizeof m, c);
	assert_int_equal(cx_open(aa, nonce, c, sizeof c, out), TN_ERR_BAD_BOX);
	cx_wipe(ab, sizeof ab);
	assert_int_equal(cx_open(ab, nonce, c, sizeof c, out), TN_ERR_BAD_BOX);
}

/* ---- node cards ---- */

/* A card with a correct checksum around arbitrary fields, so each
 * rejection below fails for the reason it names. */
static void card_make(char *out, size_t cap, const char *name, const char *key,
		      const char *addr)
{
	char body[256], hex[9];
	uint8_t h[32];

	snprintf(body, sizeof body, "%s %s %s", name, key, addr);
	crypto_generichash(h, 32, (const uint8_t *)body, strlen(body), NULL, 0);
	sodium_bin2hex(hex, sizeof hex, h, 4);
	snprintf(out, cap, "tncard1 %s %s", body, hex);
}

static void key_b64(const struct pair *p, char out[64])
{
	sodium_bin2base64(out, 64, cx_id_pk(p->a), 32, B64);
}

static void card_round_trip(const struct pair *p, const char *addr)
{
	struct cx_card c = { .name = "GTM" }, back;
	char text[CX_CARD_LEN], fp[CX_FP_LEN];

	memcpy(c.pk, cx_id_pk(p->a), CX_PK_LEN);
	snprintf(c.addr, sizeof c.addr, "%s", addr);
	assert_int_equal(cx_card_format(&c, text, sizeof text), 0);
	assert_non_null(strstr(text, addr));
	assert_int_equal(cx_card_parse(&back, text), 0);
	assert_string_equal(back.name, "GTM");
	assert_memory_equal(back.pk, c.pk, CX_PK_LEN);
	assert_string_equal(back.addr, addr);
	cx_fingerprint(c.pk, fp);
	assert_string_equal(back.fp, fp);
}

static void test_card_round_trips(void **state)
{
	card_round_trip(*state, "192.0.2.7:7400");
	card_round_trip(*state, "[::1]:7400");
	card_round_trip(*state, "[2001:db8::17]:1");
	card_round_trip(*state, "node-1.police.example:65535");
}

static void test_card_tolerates_trailing_whitespace(void **state)
{
	char key[64], text[CX_CARD_LEN], more[CX_CARD_LEN + 8];
	struct cx_card c;

	key_b64(*state, key);
	card_make(text, sizeof text, "MEX", key, "10.0.0.1:7400");
	assert_int_equal(cx_card_parse(&c, text), 0);
	snprintf(more, sizeof more, "%s\n", text);
	assert_int_equal(cx_card_parse(&c, more), 0);
	snprintf(more, sizeof more, "%s \t\r\n", text);
	assert_int_equal(cx_card_parse(&c, more), 0);
	snprintf(more, sizeof more, " %s", text);
	assert_int_equal(cx_card_parse(&c, more), TN_ERR_INVALID);
}

static void test_card_rejects_bad_checksum(void **state)
{
	char key[64], text[CX_CARD_LEN];
	struct cx_card c;
	size_t n;

	key_b64(*state, key);
	card_make(text, sizeof text, "MEX", key, "10.0.0.1:7400");
	n = strlen(text);
	text[n - 1] = text[n - 1] == '0' ? '1' : '0';
	assert_int_equal(cx_card_parse(&c, text), TN_ERR_INVALID);
	/* A typo in the body with the old checksum. */
	card_make(text, sizeof text, "MEX", key, "10.0.0.1:7400");
	text[strlen("tncard1 MEX ") + 5] ^= 0x20;
	assert_int_equal(cx_card_parse(&c, text), TN_ERR_INVALID);
	text[strlen("tncard1 MEX ") + 5] ^= 0x20;
	/* Checksum case does not matter; its length does. */
	for (char *h = text + n - 8; *h; h++)
		if (*h >= 'a' && *h <= 'f')
			*h = (char)(*h - 'a' + 'A');
	assert_int_equal(cx_card_parse(&c, text), 0);
	text[n - 1] = '\0';
	assert_int_equal(cx_card_parse(&c, text), TN_ERR_INVALID);
}

static void expect_bad_card(const char *name, const char *key, const char *addr)
{
	char text[CX_CARD_LEN];
	struct cx_card c;

	card_make(text, sizeof text, name, key, addr);
	assert_int_equal(cx_card_parse(&c, text), TN_ERR_INVALID);
	assert_int_equal(c.name[0], '\0');
}

static void test_card_rejects_bad_names(void **state)
{
	char key[64];

	key_b64(*state, key);
	expect_bad_card("gtm", key, "10.0.0.1:7400");
	expect_bad_card("Gtm", key, "10.0.0.1:7400");
	expect_bad_card("GT", key, "10.0.0.1:7400");
	expect_bad_card("GTMX", key, "10.0.0.1:7400");
	expect_bad_card("G1M", key, "10.0.0.1:7400");
}

static void test_card_rejects_bad_base64(void **state)
{
	static const char b64url[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
	char key[64], bad[80];
	size_t n;

	key_b64(*state, key);
	n = strlen(key);
	snprintf(bad, sizeof bad, "%s", key);
	bad[3] = '+';
	expect_bad_card("GTM", bad, "10.0.0.1:7400");
	bad[3] = '/';
	expect_bad_card("GTM", bad, "10.0.0.1:7400");
	snprintf(bad, sizeof bad, "%s=", key);
	expect_bad_card("GTM", bad, "10.0.0.1:7400");
	snprintf(bad, sizeof bad, "%.42s", key);
	expect_bad_card("GTM", bad, "10.0.0.1:7400");
	snprintf(bad, sizeof bad, "%sAAAA", key);
	expect_bad_card("GTM", bad, "10.0.0.1:7400");
	/* Non-canonical: the two unused low bits of the last character set. */
	snprintf(bad, sizeof bad, "%s", key);
	bad[n - 1] = b64url[(strchr(b64url, key[n - 1]) - b64url) | 1];
	expect_bad_card("GTM", bad, "10.0.0.1:7400");
	/* Well-formed base64 of a key of small order. */
	expect_bad_card("GTM", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "10.0.0.1:7400");
}

static void test_card_rejects_bad_addresses(void **state)
{
	static const char *const bad[] = {
		"10.0.0.1", "10.0.0.1:", "[::1]", "::1:7400", "10.0.0.1:0",
		"10.0.0.1:70000", "10.0.0.1:65536", "10.0.0.1:07400", "10.0.0.1:+80",
		"10.0.0.1:7a", "300.0.0.1:7400", "10.0.0:7400", ":7400", "[]:7400",
		"[1.2.3.4]:7400", "[::1:7400", "::1]:7400", "-bad.example:7400",
		"bad-.example:7400", "bad..example:7400", "bad_host:7400",
		"host.example.:7400", "[::1%eth0]:7400",
		"a23456789012345678901234567890123456789012345678901234567890:7400",
	};
	char key[64];

	key_b64(*state, key);
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		expect_bad_card("GTM", key, bad[i]);
}

static void test_card_rejects_extra_or_missing_fields(void **state)
{
	char key[64], text[CX_CARD_LEN], more[CX_CARD_LEN + 16];
	struct cx_card c;

	key_b64(*state, key);
	card_make(text, sizeof text, "GTM", key, "10.0.0.1:7400");
	snprintf(more, sizeof more, "%s extra", text);
	assert_int_equal(cx_card_parse(&c, more), TN_ERR_INVALID);
	snprintf(more, sizeof more, "%s", text);
	memmove(more + 7, more + 8, strlen(more + 8) + 1); /* "tncard1GTM" */
	assert_int_equal(cx_card_parse(&c, more), TN_ERR_INVALID);
	snprintf(more, sizeof more, "%s", text);
	memmove(more + 8, more + 12, strlen(more + 12) + 1); /* no NAME */
	assert_int_equal(cx_card_parse(&c, more), TN_ERR_INVALID);
	snprintf(more, sizeof more, "tncard1  %s", text + 8); /* double space */
	assert_int_equal(cx_card_parse(&c, more), TN_ERR_INVALID);
	snprintf(more, sizeof more, "tncard2 %s", text + 8);
	assert_int_equal(cx_card_parse(&c, more), TN_ERR_INVALID);
	assert_int_equal(cx_card_parse(&c, ""), TN_ERR_INVALID);
}

static void test_card_format_refuses_bad_cards(void **state)
{
	struct pair *p = *state;
	struct cx_card c = { .name = "GTM", .addr = "10.0.0.1:7400" };
	char text[CX_CARD_LEN];

	memcpy(c.pk, cx_id_pk(p->a), CX_PK_LEN);
	assert_int_equal(cx_card_format(&c, text, 20), TN_ERR_TOO_BIG);
	c.name[0] = 'g';
	assert_int_equal(cx_card_format(&c, text, sizeof text), TN_ERR_INVALID);
	c.name[0] = 'G';
	snprintf(c.addr, sizeof c.addr, "10.0.0.1");
	assert_int_equal(cx_card_format(&c, text, sizeof text), TN_ERR_INVALID);
}

/* ---- envelopes ---- */

/* A routing header from MEX to GTM, as the caller fills it. */
static void env_init(struct tn_envelope *e)
{
	memset(e, 0, sizeof *e);
	e->v = TN_PROTO_VERSION;
	e->suite = TN_SUITE_BOX_ED25519;
	snprintf(e->type, sizeof e->type, "trace.req");
	snprintf(e->from, sizeof e->from, "MEX");
	snprintf(e->to, sizeof e->to, "GTM");
	e->ts = 1700000000123u;
	e->ttl = 3;
}

struct env_keys {
	uint8_t ab[CX_KEY_LEN], ba[CX_KEY_LEN]; /* a's side, b's side */
	const uint8_t *apk, *bpk;
};

static void env_keys(const struct pair *p, struct env_keys *k)
{
	assert_int_equal(cx_shared_key(p->a, cx_id_pk(p->b), k->ab), 0);
	assert_int_equal(cx_shared_key(p->b, cx_id_pk(p->a), k->ba), 0);
	k->apk = cx_id_pk(p->a);
	k->bpk = cx_id_pk(p->b);
}

/* a seals m for b. */
static void env_seal(const struct pair *p, const struct env_keys *k, struct tn_envelope *e,
		     const void *m, size_t n, int sign)
{
	env_init(e);
	assert_int_equal(cx_env_seal(e, p->a, k->ab, m, n, sign), 0);
	assert_non_null(e->body);
}

static void env_free(struct tn_envelope *e)
{
	proto_release(&proto_envelope_schema, e);
}

/* Open e and expect want; a failed open leaves out empty. */
static void expect_open(const struct tn_envelope *e, const uint8_t *key, const uint8_t *pk,
			int want)
{
	struct tn_sealed s;

	assert_int_equal(cx_env_open(e, key, pk, &s), want);
	if (want != 0) {
		assert_null(s.m);
		assert_null(s.s);
		assert_int_equal(s.n_m, 0);
	}
	proto_release(&proto_sealed_schema, &s);
}

static void test_env_round_trips_unsigned(void **state)
{
	struct tn_envelope e, e2;
	struct env_keys k;
	struct tn_sealed s;
	uint8_t m[256];

	env_keys(*state, &k);
	cx_random(m, sizeof m);
	env_seal(*state, &k, &e, m, sizeof m, 0);
	assert_true(e.n_body > sizeof m + CX_MAC_LEN);
	assert_null(memmem(e.body, e.n_body, m, 16)); /* no plaintext on the wire */
	assert_int_equal(cx_env_open(&e, k.ba, k.apk, &s), 0);
	assert_int_equal(s.n_m, sizeof m);
	assert_memory_equal(s.m, m, sizeof m);
	assert_int_equal(s.n_s, 0);
	assert_null(s.s);
	proto_release(&proto_sealed_schema, &s);
	/* id and nonce are fresh for every envelope. */
	env_seal(*state, &k, &e2, m, sizeof m, 0);
	assert_memory_not_equal(e.id, e2.id, sizeof e.id);
	assert_memory_not_equal(e.nonce, e2.nonce, sizeof e.nonce);
	/* The sender can open its own envelope too (same shared key). */
	expect_open(&e2, k.ab, k.apk, 0);
	env_free(&e);
	env_free(&e2);
}

static void test_env_round_trips_signed(void **state)
{
	struct tn_envelope e;
	struct env_keys k;
	struct tn_sealed s;
	uint8_t m[256];

	env_keys(*state, &k);
	cx_random(m, sizeof m);
	env_seal(*state, &k, &e, m, sizeof m, 1);
	assert_int_equal(cx_env_open(&e, k.ba, k.apk, &s), 0);
	assert_int_equal(s.n_m, sizeof m);
	assert_memory_equal(s.m, m, sizeof m);
	assert_int_equal(s.n_s, CX_SIG_LEN);
	assert_int_equal(cx_env_verify(&e, s.m, s.n_m, s.s, k.apk), 0);
	proto_release(&proto_sealed_schema, &s);
	env_free(&e);
}

/* What a relay or the receiver sees: the envelope encoded, then decoded;
 * a relay lowering ttl on the way does not break it. */
static void test_env_survives_the_wire_and_ttl_changes(void **state)
{
	struct tn_envelope e, got, relayed;
	struct proto_buf b = { 0 };
	struct env_keys k;
	uint8_t m[] = "\x81\xa1q\xa6" "ABC123";

	env_keys(*state, &k);
	env_seal(*state, &k, &e, m, sizeof m, 1);
	assert_int_equal(proto_encode(&proto_envelope_schema, &e, &b), 0);
	assert_int_equal(proto_decode(&proto_envelope_schema, b.data, b.len, &got, NULL, 0), 0);
	expect_open(&got, k.ba, k.apk, 0);
	got.ttl--;
	b.len = 0;
	assert_int_equal(proto_encode(&proto_envelope_schema, &got, &b), 0);
	assert_int_equal(proto_decode(&proto_envelope_schema, b.data, b.len, &relayed, NULL, 0),
			 0);
	assert_int_equal(relayed.ttl, 2);
	expect_open(&relayed, k.ba, k.apk, 0);
	relayed.ttl = 0;
	expect_open(&relayed, k.ba, k.apk, 0);
	relayed.ttl = UINT32_MAX;
	expect_open(&relayed, k.ba, k.apk, 0);
	proto_buf_free(&b);
	env_free(&e);
	env_free(&got);
	env_free(&relayed);
}

static void test_env_open_rejects_every_flipped_body_byte(void **state)
{
	struct tn_envelope e;
	struct env_keys k;
	uint8_t m[256];

	env_keys(*state, &k);
	cx_random(m, sizeof m);
	for (int sign = 0; sign < 2; sign++) {
		env_seal(*state, &k, &e, m, sizeof m, sign);
		for (size_t i = 0; i < e.n_body; i++) {
			e.body[i] ^= 0x01;
			expect_open(&e, k.ba, k.apk, TN_ERR_BAD_BOX);
			e.body[i] ^= 0x01;
		}
		e.n_body--;
		expect_open(&e, k.ba, k.apk, TN_ERR_BAD_BOX);
		e.n_body = CX_MAC_LEN - 1;
		expect_open(&e, k.ba, k.apk, TN_ERR_BAD_BOX);
		e.n_body = 0;
		expect_open(&e, k.ba, k.apk, TN_ERR_BAD_BOX);
		env_free(&e);
	}
}

enum change { CHANGE_NONE, CHANGE_FIELD, CHANGE_VERSION };

/* Apply the i-th change to an authenticated header field other than id and
 * nonce (those are flipped byte by byte); CHANGE_NONE when there are no more. */
static enum change change_header(struct tn_envelope *e, int i)
{
	switch (i) {
	case 0: e->type[0] = 'T'; return CHANGE_FIELD;
	case 1: e->type[0] = '\0'; return CHANGE_FIELD;
	case 2: strcat(e->type, "s"); return CHANGE_FIELD;
	case 3: e->from[2] = 'L'; return CHANGE_FIELD;
	case 4: e->from[0] = '\0'; return CHANGE_FIELD;
	case 5: e->to[0] = 'H'; return CHANGE_FIELD;
	case 6: snprintf(e->to, sizeof e->to, "MEX"); return CHANGE_FIELD; /* reflected */
	case 7: e->ts++; return CHANGE_FIELD;
	case 8: e->ts ^= 1ull << 63; return CHANGE_FIELD;
	case 9: e->v = 2; return CHANGE_VERSION;
	case 10: e->v = 0; return CHANGE_VERSION;
	case 11: e->suite = 2; return CHANGE_VERSION;
	default: return CHANGE_NONE;
	}
}

static void test_env_open_rejects_changed_header_fields(void **state)
{
	struct tn_envelope e, bad;
	struct env_keys k;
	uint8_t m[100];
	enum change c;

	env_keys(*state, &k);
	cx_random(m, sizeof m);
	for (int sign = 0; sign < 2; sign++) {
		env_seal(*state, &k, &e, m, sizeof m, sign);
		for (int i = 0; (bad = e, c = change_header(&bad, i)) != CHANGE_NONE; i++)
			expect_open(&bad, k.ba, k.apk,
				    c == CHANGE_VERSION ? TN_ERR_UNSUPPORTED : TN_ERR_BAD_BOX);
		for (size_t i = 0; i < sizeof e.id; i++) {
			bad = e;
			bad.id[i] ^= 0x01;
			expect_open(&bad, k.ba, k.apk, TN_ERR_BAD_BOX);
		}
		for (size_t i = 0; i < sizeof e.nonce; i++) {
			bad = e;
			bad.nonce[i] ^= 0x80;
			expect_open(&bad, k.ba, k.apk, TN_ERR_BAD_BOX);
		}
		bad = e;
		bad.ttl = 0;
		expect_open(&bad, k.ba, k.apk, 0);
		expect_open(&e, k.ba, k.apk, 0);
		env_free(&e);
	}
}

static void test_env_open_rejects_wrong_key(void **state)
{
	struct pair *p = *state;
	uint8_t aa[CX_KEY_LEN], zero[CX_KEY_LEN] = { 0 }, m[64] = "for B only";
	struct tn_envelope e;
	struct env_keys k;

	env_keys(p, &k);
	assert_int_equal(cx_shared_key(p->a, cx_id_pk(p->a), aa), 0);
	env_seal(p, &k, &e, m, sizeof m, 1);
	expect_open(&e, aa, k.apk, TN_ERR_BAD_BOX);
	expect_open(&e, zero, k.apk, TN_ERR_BAD_BOX);
	expect_open(&e, k.ba, k.apk, 0);
	env_free(&e);
}

static void test_env_open_rejects_signature_of_other_key(void **state)
{
	struct tn_envelope e;
	struct env_keys k;
	uint8_t m[64] = "signed by A";

	env_keys(*state, &k);
	env_seal(*state, &k, &e, m, sizeof m, 1);
	expect_open(&e, k.ba, k.bpk, TN_ERR_BAD_SIG);
	expect_open(&e, k.ba, k.apk, 0);
	/* Unsigned envelopes do not look at from_pk. */
	env_free(&e);
	env_seal(*state, &k, &e, m, sizeof m, 0);
	expect_open(&e, k.ba, k.bpk, 0);
	env_free(&e);
}

/* A stored receipt: header, message and signature, checked without the
 * box. Also checked by hand, as a third party without tracenet would:
 * Ed25519 over BLAKE2b-256(header map) || m. */
static void test_env_verify_checks_receipt(void **state)
{
	struct tn_envelope e, bad;
	struct proto_buf b = { 0 };
	struct env_keys k;
	struct tn_sealed s;
	uint8_t m[200], h[32];
	enum change c;

	env_keys(*state, &k);
	cx_random(m, sizeof m);
	env_seal(*state, &k, &e, m, sizeof m, 1);
	assert_int_equal(cx_env_open(&e, k.ba, k.apk, &s), 0);
	assert_int_equal(cx_env_verify(&e, s.m, s.n_m, s.s, k.apk), 0);

	assert_int_equal(proto_encode(&proto_env_header_schema, &e, &b), 0);
	crypto_generichash(h, sizeof h, b.data, b.len, NULL, 0);
	assert_memory_equal(h, s.h, sizeof h);
	b.len = 0;
	assert_int_equal(proto_buf_add(&b, h, sizeof h), 0);
	assert_int_equal(proto_buf_add(&b, m, sizeof m), 0);
	assert_int_equal(crypto_sign_verify_detached(s.s, b.data, b.len, k.apk), 0);

	for (size_t i = 0; i < s.n_m; i++) {
		s.m[i] ^= 0x01;
		assert_int_equal(cx_env_verify(&e, s.m, s.n_m, s.s, k.apk), TN_ERR_BAD_SIG);
		s.m[i] ^= 0x01;
	}
	assert_int_equal(cx_env_verify(&e, s.m, s.n_m - 1, s.s, k.apk), TN_ERR_BAD_SIG);
	for (size_t i = 0; i < s.n_s; i++) {
		s.s[i] ^= 0x01;
		assert_int_equal(cx_env_verify(&e, s.m, s.n_m, s.s, k.apk), TN_ERR_BAD_SIG);
		s.s[i] ^= 0x01;
	}
	for (int i = 0; (bad = e, c = change_header(&bad, i)) != CHANGE_NONE; i++)
		assert_int_equal(cx_env_verify(&bad, s.m, s.n_m, s.s, k.apk),
				 c == CHANGE_VERSION ? TN_ERR_UNSUPPORTED : TN_ERR_BAD_SIG);
	for (size_t i = 0; i < sizeof e.id; i++) {
		bad = e;
		bad.id[i] ^= 0x01;
		assert_int_equal(cx_env_verify(&bad, s.m, s.n_m, s.s, k.apk), TN_ERR_BAD_SIG);
	}
	for (size_t i = 0; i < sizeof e.nonce; i++) {
		bad = e;
		bad.nonce[i] ^= 0x01;
		assert_int_equal(cx_env_verify(&bad, s.m, s.n_m, s.s, k.apk), TN_ERR_BAD_SIG);
	}
	bad = e;
	bad.ttl = 0;
	bad.n_body = 0; /* the receipt needs no body */
	bad.body = NULL;
	assert_int_equal(cx_env_verify(&bad, s.m, s.n_m, s.s, k.apk), 0);
	assert_int_equal(cx_env_verify(&e, s.m, s.n_m, s.s, k.bpk), TN_ERR_BAD_SIG);
	proto_release(&proto_sealed_schema, &s);
	proto_buf_free(&b);
	env_free(&e);
}

/* Seal plaintext p (n bytes) ourselves into e's body under e's nonce. */
static void seal_raw(struct tn_envelope *e, const uint8_t *key, const void *p, size_t n)
{
	free(e->body);
	e->n_body = (uint32_t)(n + CX_MAC_LEN);
	e->body = malloc(e->n_body);
	assert_non_null(e->body);
	cx_seal(key, e->nonce, p, n, e->body);
}

/* Seal a hand-made sealed map {h, m, s} (s of n_s bytes, none if 0). */
static void seal_map(struct tn_envelope *e, const uint8_t *key, const uint8_t *h,
		     uint8_t *m, uint32_t n_m, uint8_t *sig, uint32_t n_s)
{
	struct tn_sealed s = { .m = m, .n_m = n_m, .s = sig, .n_s = n_s };
	struct proto_buf b = { 0 };

	memcpy(s.h, h, sizeof s.h);
	assert_int_equal(proto_encode(&proto_sealed_schema, &s, &b), 0);
	seal_raw(e, key, b.data, b.len);
	proto_buf_free(&b);
}

static void test_env_open_rejects_malformed_plaintext(void **state)
{
	static const char *const junk[] = {
		"\xc1", "not msgpack", "\x90" /* [] */, "\x80" /* {} */,
		"\x81\xa1m\xc4\x01x" /* {m: bin} without h */,
		"\x82\xa1h\xc4\x01x\xa1m\xc4\x01x" /* h of 1 byte */,
	};
	struct tn_envelope e;
	struct proto_buf b = { 0 };
	struct env_keys k;
	uint8_t h[32], m[8] = "msg", sig[CX_SIG_LEN] = { 0 };

	env_keys(*state, &k);
	env_seal(*state, &k, &e, m, sizeof m, 0);
	for (size_t i = 0; i < sizeof junk / sizeof junk[0]; i++) {
		seal_raw(&e, k.ab, junk[i], strlen(junk[i]));
		expect_open(&e, k.ba, k.apk, TN_ERR_DECODE);
	}
	seal_raw(&e, k.ab, NULL, 0);
	expect_open(&e, k.ba, k.apk, TN_ERR_DECODE);
	seal_raw(&e, k.ab, "\x81\xa1h\xc4\x20", 5); /* truncated */
	expect_open(&e, k.ba, k.apk, TN_ERR_DECODE);

	/* Well-formed maps: the right h opens, a wrong h or s does not. */
	assert_int_equal(proto_encode(&proto_env_header_schema, &e, &b), 0);
	cx_hash(b.data, b.len, h);
	seal_map(&e, k.ab, h, m, sizeof m, NULL, 0);
	expect_open(&e, k.ba, k.apk, 0);
	seal_map(&e, k.ab, h, m, sizeof m, sig, 10);
	expect_open(&e, k.ba, k.apk, TN_ERR_BAD_SIG);
	seal_map(&e, k.ab, h, m, sizeof m, sig, sizeof sig);
	expect_open(&e, k.ba, k.apk, TN_ERR_BAD_SIG);
	h[31] ^= 1;
	seal_map(&e, k.ab, h, m, sizeof m, NULL, 0);
	expect_open(&e, k.ba, k.apk, TN_ERR_BAD_BOX);
	proto_buf_free(&b);
	env_free(&e);
}

static void test_env_seal_refuses_bad_input(void **state)
{
	struct pair *p = *state;
	struct tn_envelope e;
	struct env_keys k;
	uint8_t m[16] = "x";

	env_keys(p, &k);
	env_init(&e);
	assert_int_equal(cx_env_seal(&e, p->a, k.ab, m, 0, 0), TN_ERR_INVALID);
	assert_int_equal(cx_env_seal(&e, p->a, k.ab, NULL, 1, 0), TN_ERR_INVALID);
	assert_int_equal(cx_env_seal(&e, NULL, k.ab, m, sizeof m, 1), TN_ERR_INVALID);
	/* Refused before m is read, so a short buffer is fine here. */
	assert_int_equal(cx_env_seal(&e, p->a, k.ab, m, 16u << 20, 0), TN_ERR_TOO_BIG);
	e.v = 2;
	assert_int_equal(cx_env_seal(&e, p->a, k.ab, m, sizeof m, 0), TN_ERR_UNSUPPORTED);
	assert_null(e.body);
	assert_int_equal(e.n_body, 0);
	/* An unsigned seal needs no identity. */
	env_init(&e);
	assert_int_equal(cx_env_seal(&e, NULL, k.ab, m, sizeof m, 0), 0);
	expect_open(&e, k.ba, k.apk, 0);
	env_free(&e);
}

/* The biggest message that fits the envelope's body limit. */
static void test_env_seals_the_largest_message(void **state)
{
	size_t n = (16u << 20) - 112 - CX_MAC_LEN;
	uint8_t *m = calloc(1, n);
	struct tn_envelope e;
	struct env_keys k;
	struct proto_buf b = { 0 };

	assert_non_null(m);
	env_keys(*state, &k);
	env_seal(*state, &k, &e, m, n, 1);
	assert_int_equal(proto_encode(&proto_envelope_schema, &e, &b), 0);
	env_free(&e);
	assert_int_equal(proto_decode(&proto_envelope_schema, b.data, b.len, &e, NULL, 0), 0);
	expect_open(&e, k.ba, k.apk, 0);
	env_free(&e);
	env_init(&e);
	assert_int_equal(cx_env_seal(&e, (*(struct pair **)state)->a, k.ab, m, n + 1, 0),
			 TN_ERR_TOO_BIG);
	proto_buf_free(&b);
	free(m);
}

/* ---- TLS ---- */

struct tls_fix {
	char *dir[3];
	struct cx_id *id[3]; /* client, server, stranger */
};

static int tls_teardown(void **state)
{
	struct tls_fix *f = *state;

	for (int i = 0; i < 3; i++) {
		cx_id_free(f->id[i]);
		tmpdir_rm(f->dir[i]);
	}
	free(f);
	return 0;
}

static int tls_setup(void **state)
{
	struct tls_fix *f = calloc(1, sizeof *f);

	if (!f)
		return -1;
	*state = f;
	for (int i = 0; i < 3; i++) {
		f->dir[i] = tmpdir_new("tn-cx");
		if (!f->dir[i] || cx_id_create(f->dir[i]) || cx_id_load(&f->id[i], f->dir[i])) {
			tls_teardown(state);
			return -1;
		}
	}
	return 0;
}

static int pin_calls;

/* arg is the one key to accept. */
static int pin_one(void *arg, const uint8_t pk[CX_PK_LEN])
{
	pin_calls++;
	return memcmp(arg, pk, CX_PK_LEN) != 0;
}

struct link {
	struct cx_tls_ctx *cctx, *sctx;
	struct cx_tls *c, *s;
	int rc_c, rc_s;
};

/* Client pins cpin, server pins spin. */
static void link_open(struct link *l, struct tls_fix *f, const uint8_t *cpin,
		      const uint8_t *spin)
{
	memset(l, 0, sizeof *l);
	assert_int_equal(cx_tls_ctx_new(&l->cctx, f->id[0], pin_one, (void *)cpin), 0);
	assert_int_equal(cx_tls_ctx_new(&l->sctx, f->id[1], pin_one, (void *)spin), 0);
	assert_int_equal(cx_tls_new(&l->c, l->cctx, 0), 0);
	assert_int_equal(cx_tls_new(&l->s, l->sctx, 1), 0);
}

static void link_close(struct link *l)
{
	cx_tls_free(l->c);
	cx_tls_free(l->s);
	cx_tls_ctx_free(l->cctx);
	cx_tls_ctx_free(l->sctx);
	(void)cx_tls_error(); /* leave OpenSSL's queue empty */
}

/* Move everything from one session's output to the other's input. */
static size_t move(struct cx_tls *from, struct cx_tls *to)
{
	struct proto_buf b = { 0 };
	size_t n;

	assert_int_equal(cx_tls_drain(from, &b), 0);
	n = b.len;
	if (n)
		assert_int_equal(cx_tls_feed(to, b.data, b.len), 0);
	proto_buf_free(&b);
	return n;
}

static void pump(struct link *l)
{
	for (int i = 0; i < 16; i++) {
		if (l->rc_c == 0)
			l->rc_c = cx_tls_handshake(l->c);
		move(l->c, l->s);
		if (l->rc_s == 0)
			l->rc_s = cx_tls_handshake(l->s);
		move(l->s, l->c);
		if (l->rc_c && l->rc_s)
			return;
	}
}

/* Read everything available into out, which has room for want bytes. */
static size_t read_all(struct cx_tls *t, uint8_t *out, size_t want)
{
	size_t got = 0;
	int r;

	while ((r = cx_tls_read(t, out + got, want - got)) > 0)
		got += (size_t)r;
	assert_int_equal(r, 0);
	return got;
}

static void test_tls_handshake_completes_when_both_pin(void **state)
{
	struct tls_fix *f = *state;
	uint8_t pk[CX_PK_LEN];
	struct link l;

	link_open(&l, f, cx_id_pk(f->id[1]), cx_id_pk(f->id[0]));
	assert_int_equal(cx_tls_peer_pk(l.c, pk), TN_ERR_AGAIN);
	pump(&l);
	assert_int_equal(l.rc_c, 1);
	assert_int_equal(l.rc_s, 1);
	assert_int_equal(cx_tls_peer_pk(l.c, pk), 0);
	assert_memory_equal(pk, cx_id_pk(f->id[1]), CX_PK_LEN);
	assert_int_equal(cx_tls_peer_pk(l.s, pk), 0);
	assert_memory_equal(pk, cx_id_pk(f->id[0]), CX_PK_LEN);
	assert_int_equal(cx_tls_handshake(l.c), 1);
	link_close(&l);
}

static void test_tls_data_round_trips_both_ways(void **state)
{
	struct tls_fix *f = *state;
	enum { BIG = 100 * 1024 };
	uint8_t *big = malloc(BIG), *out = malloc(BIG + 1), small[64];
	struct link l;

	assert_non_null(big);
	assert_non_null(out);
	cx_random(big, BIG);
	link_open(&l, f, cx_id_pk(f->id[1]), cx_id_pk(f->id[0]));
	assert_int_equal(cx_tls_write(l.c, "early", 5), TN_ERR_AGAIN);
	pump(&l);
	assert_int_equal(cx_tls_read(l.s, small, sizeof small), 0);

	assert_int_equal(cx_tls_write(l.c, "hello server", 12), 0);
	move(l.c, l.s);
	assert_int_equal(read_all(l.s, small, sizeof small), 12);
	assert_memory_equal(small, "hello server", 12);

	assert_int_equal(cx_tls_write(l.s, big, BIG), 0);
	move(l.s, l.c);
	assert_int_equal(read_all(l.c, out, BIG + 1), BIG);
	assert_memory_equal(out, big, BIG);

	assert_int_equal(cx_tls_write(l.c, big, BIG), 0);
	assert_int_equal(cx_tls_write(l.c, "!", 1), 0);
	move(l.c, l.s);
	assert_int_equal(read_all(l.s, out, BIG + 1), BIG + 1);
	assert_memory_equal(out, big, BIG);
	assert_int_equal(out[BIG], '!');
	link_close(&l);
	free(big);
	free(out);
}

static void test_tls_server_refuses_unpinned_client(void **state)
{
	struct tls_fix *f = *state;
	uint8_t pk[CX_PK_LEN], buf[16];
	struct link l;

	/* The server only knows the stranger. */
	link_open(&l, f, cx_id_pk(f->id[1]), cx_id_pk(f->id[2]));
	pin_calls = 0;
	pump(&l);
	assert_int_equal(l.rc_s, TN_ERR_UNKNOWN_PEER);
	assert_true(pin_calls >= 2);
	assert_int_equal(cx_tls_peer_pk(l.s, pk), TN_ERR_UNKNOWN_PEER);
	assert_int_equal(cx_tls_write(l.s, "x", 1), TN_ERR_UNKNOWN_PEER);
	assert_true(strlen(cx_tls_error()) > 0);
	/* TLS 1.3 clients finish first; the server's alert then ends the link. */
	assert_int_equal(l.rc_c, 1);
	assert_int_equal(cx_tls_read(l.c, buf, sizeof buf), TN_ERR_TLS);
	link_close(&l);
}

static void test_tls_client_refuses_unpinned_server(void **state)
{
	struct tls_fix *f = *state;
	uint8_t pk[CX_PK_LEN];
	struct link l;

	/* The client only knows the stranger. */
	link_open(&l, f, cx_id_pk(f->id[2]), cx_id_pk(f->id[0]));
	pump(&l);
	assert_int_equal(l.rc_c, TN_ERR_UNKNOWN_PEER);
	assert_int_equal(l.rc_s, TN_ERR_TLS);
	assert_int_equal(cx_tls_peer_pk(l.c, pk), TN_ERR_UNKNOWN_PEER);
	assert_int_equal(cx_tls_handshake(l.c), TN_ERR_UNKNOWN_PEER);
	link_close(&l);
}

static void test_tls_close_makes_peer_read_closed(void **state)
{
	struct tls_fix *f = *state;
	uint8_t buf[16];
	struct link l;

	link_open(&l, f, cx_id_pk(f->id[1]), cx_id_pk(f->id[0]));
	assert_int_equal(cx_tls_close(l.c), TN_ERR_AGAIN); /* no session yet */
	pump(&l);
	assert_int_equal(cx_tls_write(l.c, "bye", 3), 0);
	assert_int_equal(cx_tls_close(l.c), 0);
	assert_int_equal(cx_tls_close(l.c), 0); /* again: harmless, sends nothing */
	assert_true(move(l.c, l.s) > 0);
	/* Data sent before the close_notify still arrives, then the close. */
	assert_int_equal(cx_tls_read(l.s, buf, sizeof buf), 3);
	assert_memory_equal(buf, "bye", 3);
	assert_int_equal(cx_tls_read(l.s, buf, sizeof buf), TN_ERR_CLOSED);
	assert_int_equal(cx_tls_read(l.s, buf, sizeof buf), TN_ERR_CLOSED);
	/* The server answers with its own close_notify. */
	assert_int_equal(cx_tls_close(l.s), 0);
	assert_true(move(l.s, l.c) > 0);
	assert_int_equal(cx_tls_read(l.c, buf, sizeof buf), TN_ERR_CLOSED);
	assert_int_equal(cx_tls_close(l.c), 0);
	link_close(&l);
}

static void test_tls_refuses_garbage_and_close_keeps_the_error(void **state)
{
	struct tls_fix *f = *state;
	static const char junk[] = "GET / HTTP/1.1\r\n\r\n";
	struct link l;

	link_open(&l, f, cx_id_pk(f->id[1]), cx_id_pk(f->id[0]));
	assert_int_equal(cx_tls_feed(l.s, junk, sizeof junk - 1), 0);
	assert_int_equal(cx_tls_handshake(l.s), TN_ERR_TLS);
	assert_int_equal(cx_tls_close(l.s), TN_ERR_TLS);
	link_close(&l);
}

static void test_tls_ctx_needs_pin(void **state)
{
	struct tls_fix *f = *state;
	struct cx_tls_ctx *ctx = (void *)1;

	assert_int_equal(cx_tls_ctx_new(&ctx, f->id[0], NULL, NULL), TN_ERR_INVALID);
	assert_null(ctx);
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
	const struct CMUnitTest boxes[] = {
		cmocka_unit_test(test_write_all_then_read_all_round_trips_through_a_pipe),
		cmocka_unit_test(test_read_all_refuses_input_that_ends_early),
		cmocka_unit_test(test_shared_key_is_symmetric),
		cmocka_unit_test(test_shared_key_rejects_small_order_key),
		cmocka_unit_test(test_seal_open_round_trips),
		cmocka_unit_test(test_open_rejects_every_tampered_byte),
		cmocka_unit_test(test_open_rejects_wrong_key),
		cmocka_unit_test(test_card_round_trips),
		cmocka_unit_test(test_card_tolerates_trailing_whitespace),
		cmocka_unit_test(test_card_rejects_bad_checksum),
		cmocka_unit_test(test_card_rejects_bad_names),
		cmocka_unit_test(test_card_rejects_bad_base64),
		cmocka_unit_test(test_card_rejects_bad_addresses),
		cmocka_unit_test(test_card_rejects_extra_or_missing_fields),
		cmocka_unit_test(test_card_format_refuses_bad_cards),
	};
	const struct CMUnitTest tls[] = {
		cmocka_unit_test(test_tls_handshake_completes_when_both_pin),
		cmocka_unit_test(test_tls_data_round_trips_both_ways),
		cmocka_unit_test(test_tls_server_refuses_unpinned_client),
		cmocka_unit_test(test_tls_client_refuses_unpinned_server),
		cmocka_unit_test(test_tls_close_makes_peer_read_closed),
		cmocka_unit_test(test_tls_refuses_garbage_and_close_keeps_the_error),
		cmocka_unit_test(test_tls_ctx_needs_pin),
	};
	const struct CMUnitTest envelopes[] = {
		cmocka_unit_test(test_env_round_trips_unsigned),
		cmocka_unit_test(test_env_round_trips_signed),
		cmocka_unit_test(test_env_survives_the_wire_and_ttl_changes),
		cmocka_unit_test(test_env_open_rejects_every_flipped_body_byte),
		cmocka_unit_test(test_env_open_rejects_changed_header_fields),
		cmocka_unit_test(test_env_open_rejects_wrong_key),
		cmocka_unit_test(test_env_open_rejects_signature_of_other_key),
		cmocka_unit_test(test_env_verify_checks_receipt),
		cmocka_unit_test(test_env_open_rejects_malformed_plaintext),
		cmocka_unit_test(test_env_seal_refuses_bad_input),
		cmocka_unit_test(test_env_seals_the_largest_message),
	};
	int fails = 0;

	if (cx_init() != 0)
		return 1;
	fails += cmocka_run_group_tests_name("crypto_files", files, NULL, NULL);
	fails += cmocka_run_group_tests_name("crypto_boxes_cards", boxes, pair_setup,
					     pair_teardown);
	fails += cmocka_run_group_tests_name("crypto_envelopes", envelopes, pair_setup,
					     pair_teardown);
	fails += cmocka_run_group_tests_name("crypto_tls", tls, tls_setup, tls_teardown);
	return fails ? 1 : 0;
}
