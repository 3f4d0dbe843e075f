/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests of serial and make normalization (proto/normalize.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "../../proto/proto.h"

static void expect_serial(const char *in, const char *want)
{
	char out[TN_SERIAL_LEN];
	int n = proto_norm_serial(in, out, sizeof out);

	assert_int_equal(n, (int)strlen(want));
	assert_string_equal(out, want);
}

static void expect_make(const char *in, const char *want)
{
	char out[TN_MAKE_LEN];
	int n = proto_norm_make(in, out, sizeof out);

	if (n < 0)
		fail_msg("'%s' did not normalize", in);
	assert_int_equal(n, (int)strlen(want));
	assert_string_equal(out, want);
}

static void test_serial_drops_dashes_spaces_and_dots(void **state)
{
	(void)state;
	expect_serial("123-45678", "12345678");
	expect_serial(" ab c.12/3 ", "ABC123");
	expect_serial("\tx-1\t", "X1");
}

static void test_serial_upper_cases_letters_only(void **state)
{
	(void)state;
	expect_serial("bkr123", "BKR123");
	expect_serial("a_b#c*", "A_B#C*");
}

static void test_serial_keeps_non_ascii_bytes(void **state)
{
	(void)state;
	/* "лу1234" in UTF-8: bytes are kept as they are, not upper-cased. */
	expect_serial("\xd0\xbb\xd1\x83" "1234", "\xd0\xbb\xd1\x83" "1234");
}

static void test_serial_of_only_punctuation_is_invalid(void **state)
{
	char out[16];

	(void)state;
	assert_int_equal(proto_norm_serial("", out, sizeof out), TN_ERR_INVALID);
	assert_int_equal(proto_norm_serial(" - ./ ", out, sizeof out), TN_ERR_INVALID);
}

static void test_serial_that_fills_cap_is_invalid(void **state)
{
	char out[4];

	(void)state;
	assert_int_equal(proto_norm_serial("ABC", out, sizeof out), 3);
	assert_int_equal(proto_norm_serial("ABCD", out, sizeof out), TN_ERR_INVALID);
	/* Dropped bytes do not count against the cap. */
	assert_int_equal(proto_norm_serial("A-B-C---", out, sizeof out), 3);
	assert_int_equal(proto_norm_serial("A", out, 0), TN_ERR_INVALID);
	assert_int_equal(proto_norm_serial(NULL, out, sizeof out), TN_ERR_INVALID);
}

static void test_serial_very_long_input_is_invalid(void **state)
{
	static char in[100000];
	char out[TN_SERIAL_LEN];

	(void)state;
	memset(in, 'a', sizeof in - 1);
	assert_int_equal(proto_norm_serial(in, out, sizeof out), TN_ERR_INVALID);
}

static void test_make_keeps_only_upper_case_alphanumerics(void **state)
{
	(void)state;
	expect_make("Daniel Defense", "DANIELDEFENSE");
	expect_make("  hi-point\t", "HIPOINT");
	expect_make("Kel-Tec", "KELTEC");
}

static void test_alias_folds_smith_and_wesson(void **state)
{
	(void)state;
	expect_make("S&W", "SMITHWESSON");
	expect_make("s & w", "SMITHWESSON");
	expect_make("Smith & Wesson", "SMITHWESSON");
	expect_make("Smith and Wesson", "SMITHWESSON");
	expect_make("SMITH-WESSON", "SMITHWESSON");
	expect_make("Smith & Wesson Inc.", "SMITHWESSON");
}

static void test_alias_folds_the_major_makers(void **state)
{
	static const char *const cases[][2] = {
		{ "Sturm, Ruger & Co.", "RUGER" },
		{ "Sturm Ruger and Company", "RUGER" },
		{ "Ruger", "RUGER" },
		{ "Heckler & Koch", "HECKLERKOCH" },
		{ "Heckler und Koch", "HECKLERKOCH" },
		{ "H&K", "HECKLERKOCH" },
		{ "HK", "HECKLERKOCH" },
		{ "FN Herstal", "FNHERSTAL" },
		{ "FN", "FNHERSTAL" },
		{ "Fabrique Nationale", "FNHERSTAL" },
		{ "Fabrique Nationale d'Herstal", "FNHERSTAL" },
		{ "SIG Sauer", "SIGSAUER" },
		{ "SIG-Sauer", "SIGSAUER" },
		{ "SIGARMS", "SIGSAUER" },
		{ "SIG", "SIGSAUER" },
		{ "Glock Ges.m.b.H.", "GLOCK" },
		{ "Glock GmbH", "GLOCK" },
		{ "glock", "GLOCK" },
		{ "Pietro Beretta", "BERETTA" },
		{ "Beretta", "BERETTA" },
		{ "Ceska Zbrojovka", "CZ" },
		{ "\xc4\x8c" "esk\xc3\xa1 zbrojovka", "CZ" },
		{ "CZ", "CZ" },
		{ "CZ-USA", "CZ" },
		{ "Colt's Manufacturing", "COLT" },
		{ "Colt's Manufacturing Company", "COLT" },
		{ "Colt", "COLT" },
		{ "O.F. Mossberg & Sons", "MOSSBERG" },
		{ "Mossberg", "MOSSBERG" },
		{ "Remington Arms", "REMINGTON" },
		{ "Remington", "REMINGTON" },
		{ "Taurus", "TAURUS" },
		{ "Forjas Taurus", "TAURUS" },
		{ "Izhmash", "KALASHNIKOV" },
		{ "Kalashnikov Concern", "KALASHNIKOV" },
		{ "Norinco", "NORINCO" },
		{ "China North Industries", "NORINCO" },
		{ "China North Industries Corp.", "NORINCO" },
		{ "Carl Walther GmbH", "WALTHER" },
		{ "Springfield", "SPRINGFIELDARMORY" },
		{ "Israel Weapon Industries", "IWI" },
		{ "Zastava Arms", "ZASTAVA" },
		{ "Browning Arms Company", "BROWNING" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
		expect_make(cases[i][0], cases[i][1]);
}

static void test_make_normalization_is_idempotent(void **state)
{
	static const char *const makes[] = {
		"SMITHWESSON", "RUGER", "HECKLERKOCH", "FNHERSTAL", "SIGSAUER",
		"GLOCK", "BERETTA", "CZ", "COLT", "MOSSBERG", "REMINGTON",
		"TAURUS", "KALASHNIKOV", "NORINCO", "WALTHER", "IWI", "ZASTAVA",
		"SPRINGFIELDARMORY", "BROWNING", "STEYR", "KELTEC", "HIPOINT",
	};
	char once[TN_MAKE_LEN];

	(void)state;
	for (size_t i = 0; i < sizeof makes / sizeof makes[0]; i++) {
		assert_true(proto_norm_make(makes[i], once, sizeof once) > 0);
		assert_string_equal(once, makes[i]);
	}
}

static void test_make_does_not_drop_and_inside_words(void **state)
{
	(void)state;
	/* Only the alias table removes AND; words containing it are kept. */
	expect_make("Anderson Manufacturing", "ANDERSONMANUFACTURING");
	expect_make("Rock and Roll Arms", "ROCKANDROLLARMS");
}

static void test_make_without_alphanumerics_is_invalid(void **state)
{
	char out[TN_MAKE_LEN];

	(void)state;
	assert_int_equal(proto_norm_make("", out, sizeof out), TN_ERR_INVALID);
	assert_int_equal(proto_norm_make(" & .,'", out, sizeof out), TN_ERR_INVALID);
	assert_int_equal(proto_norm_make("\xc3\xa9\xc3\xa9", out, sizeof out), TN_ERR_INVALID);
	assert_int_equal(proto_norm_make(NULL, out, sizeof out), TN_ERR_INVALID);
}

static void test_make_respects_cap_after_alias(void **state)
{
	char out[8];

	(void)state;
	/* "S&W" squashes to 2 bytes but its canonical form needs 12. */
	assert_int_equal(proto_norm_make("S&W", out, sizeof out), TN_ERR_INVALID);
	/* A long spelling whose canonical form fits is accepted. */
	assert_int_equal(proto_norm_make("Colt's Manufacturing Company", out,
					 sizeof out), 4);
	assert_string_equal(out, "COLT");
	assert_int_equal(proto_norm_make("GLOCK", out, 5), TN_ERR_INVALID);
	assert_int_equal(proto_norm_make("GLOCK", out, 6), 5);
}

static void test_make_very_long_input_is_handled(void **state)
{
	static char in[100000];
	char out[TN_MAKE_LEN];
	char big[sizeof in];

	(void)state;
	memset(in, 'x', sizeof in - 1);
	assert_int_equal(proto_norm_make(in, out, sizeof out), TN_ERR_INVALID);
	assert_int_equal(proto_norm_make(in, big, sizeof big), (int)sizeof in - 1);
	assert_int_equal(big[0], 'X');
	/* Long but mostly punctuation: squashes to an alias. */
	memset(in, ' ', sizeof in - 1);
	memcpy(in + 5000, "S&W", 3);
	expect_make(in, "SMITHWESSON");
}

/* The checks without normalizing agree with normalizing, on every kind
 * of input: empty, punctuation only, non-ASCII, aliases, the longest. */
static void test_ok_checks_agree_with_normalizing(void **state)
{
	static const char *const in[] = {
		"", " ", "-./ \t", "a", "ABC-123", "\xc3\x9c", " S&W ", "&&&", "Glock",
		"123456789012345678901234567890123456789012345678901234567890123",
		"-.-.-.-.-.-.-.-.-.-.-.-.-.-.-.-.-.-.-.-.-.-.-.", "\xc3\xa9/\xc3\xa9",
	};
	char out[TN_MAKE_LEN];

	(void)state;
	for (size_t i = 0; i < sizeof(in) / sizeof(in[0]); i++) {
		assert_int_equal(proto_serial_ok(in[i]), proto_norm_serial(in[i], out, sizeof(out)) > 0);
		assert_int_equal(proto_make_ok(in[i]), proto_norm_make(in[i], out, sizeof(out)) > 0);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_serial_drops_dashes_spaces_and_dots),
		cmocka_unit_test(test_ok_checks_agree_with_normalizing),
		cmocka_unit_test(test_serial_upper_cases_letters_only),
		cmocka_unit_test(test_serial_keeps_non_ascii_bytes),
		cmocka_unit_test(test_serial_of_only_punctuation_is_invalid),
		cmocka_unit_test(test_serial_that_fills_cap_is_invalid),
		cmocka_unit_test(test_serial_very_long_input_is_invalid),
		cmocka_unit_test(test_make_keeps_only_upper_case_alphanumerics),
		cmocka_unit_test(test_alias_folds_smith_and_wesson),
		cmocka_unit_test(test_alias_folds_the_major_makers),
		cmocka_unit_test(test_make_normalization_is_idempotent),
		cmocka_unit_test(test_make_does_not_drop_and_inside_words),
		cmocka_unit_test(test_make_without_alphanumerics_is_invalid),
		cmocka_unit_test(test_make_respects_cap_after_alias),
		cmocka_unit_test(test_make_very_long_input_is_handled),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
