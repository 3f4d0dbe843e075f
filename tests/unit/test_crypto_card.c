/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests of crypto/ node cards: the one-line text a node hands out so
 * others can pin it (name, key, address, checksum). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>
#include <sodium.h>

#include "crypto_pair.h"

#define B64 sodium_base64_VARIANT_URLSAFE_NO_PADDING

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

int main(void)
{
	const struct CMUnitTest cards[] = {
		cmocka_unit_test(test_card_round_trips),
		cmocka_unit_test(test_card_tolerates_trailing_whitespace),
		cmocka_unit_test(test_card_rejects_bad_checksum),
		cmocka_unit_test(test_card_rejects_bad_names),
		cmocka_unit_test(test_card_rejects_bad_base64),
		cmocka_unit_test(test_card_rejects_bad_addresses),
		cmocka_unit_test(test_card_rejects_extra_or_missing_fields),
		cmocka_unit_test(test_card_format_refuses_bad_cards),
	};

	if (cx_init() != 0)
		return 1;
	return cmocka_run_group_tests_name("crypto_cards", cards, pair_setup, pair_teardown);
}
