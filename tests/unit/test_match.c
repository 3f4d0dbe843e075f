/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests of serial matching (proto/match.c): folding, model spellings,
 * the query, the kind of a folded serial, score and reason, the best k. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../proto/proto.h"
#include "../../proto/match.h"

/* ---- helpers ---- */

static struct match_query query(const char *make, const char *serial, const char *model,
				bool fuzzy)
{
	struct match_query q;

	memset(&q, 0x5a, sizeof(q));
	assert_int_equal(match_query_init(&q, make, serial, model, NULL, NULL, fuzzy), 0);
	return q;
}

/* The kind of serial (normalized and folded here, as the index holds it)
 * for q. */
static enum match_kind kind_of(const struct match_query *q, const char *serial)
{
	char norm[TN_SERIAL_LEN], fold[TN_SERIAL_LEN];
	int n;

	assert_true(proto_norm_serial(serial, norm, sizeof norm) > 0);
	n = match_fold_serial(norm, fold, sizeof fold);
	assert_true(n > 0);
	return match_serial_kind(q, fold, (size_t)n);
}

static struct match_fields fields(const char *make, const char *model, const char *serial)
{
	struct match_fields f = { make, model, "9mm", "pistol", serial, NULL };

	return f;
}

/* Score f against q, which must be a candidate. */
static struct match_cand judge(const struct match_query *q, const struct match_fields *f,
			       uint64_t id)
{
	struct match_cand c;

	memset(&c, 0x5a, sizeof(c));
	if (match_score(q, f, id, &c) != 0)
		fail_msg("'%s' %s is not a candidate for '%s' %s", f->make, f->serial, q->make,
			 q->serial);
	assert_true(c.id == id);
	assert_in_range(c.score, 0, 100);
	assert_non_null(memchr(c.reason, '\0', sizeof c.reason));
	return c;
}

static struct match_cand cand(uint64_t id, int32_t score, bool exact)
{
	struct match_cand c;

	memset(&c, 0, sizeof(c));
	c.id = id;
	c.score = score;
	c.exact = exact;
	c.kind = exact ? MATCH_EXACT : MATCH_SUBSTITUTION;
	return c;
}

/* Whether s ends on a whole UTF-8 character (no sequence cut short). */
static bool utf8_whole(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	while (*p) {
		int more = *p < 0x80 ? 0 : *p >= 0xf0 ? 3 : *p >= 0xe0 ? 2 : *p >= 0xc0 ? 1 : -1;

		if (more < 0)
			return false;
		for (p++; more > 0; more--, p++)
			if ((*p & 0xc0) != 0x80)
				return false;
	}
	return true;
}

/* ---- match_fold ---- */

static void test_fold_maps_each_class_to_its_representative(void **state)
{
	static const struct {
		char in, want;
	} t[] = {
		{ 'O', '0' }, { 'D', '0' }, { 'Q', '0' }, { '0', '0' },
		{ 'I', '1' }, { 'L', '1' }, { '7', '1' }, { '1', '1' },
		{ 'S', '5' }, { '5', '5' }, { 'B', '8' }, { '8', '8' },
		{ 'Z', '2' }, { '2', '2' }, { 'G', '6' }, { '6', '6' },
		{ 'U', 'V' }, { 'V', 'V' },
	};

	(void)state;
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
		if (match_fold(t[i].in) != t[i].want)
			fail_msg("fold('%c') = '%c', want '%c'", t[i].in, match_fold(t[i].in),
				 t[i].want);
}

static void test_fold_leaves_other_characters_alone(void **state)
{
	const char *same = "ACEFHJKMNPRTWXY349?", *other = "-_#*~a";

	(void)state;
	for (const char *p = same; *p; p++)
		assert_int_equal(match_fold(*p), *p);
	for (const char *p = other; *p; p++)
		assert_int_equal(match_fold(*p), MATCH_OTHER_CHAR);
	for (int ch = 0x80; ch <= 0xff; ch++)
		assert_int_equal(match_fold((char)ch), MATCH_OTHER_CHAR);
}

static void test_fold_lands_in_the_folded_alphabet(void **state)
{
	const char *in = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

	(void)state;
	for (const char *p = in; *p; p++) {
		char f = match_fold(*p);

		if (!strchr(MATCH_ALPHABET, f))
			fail_msg("fold('%c') = '%c' is not in the alphabet", *p, f);
		assert_int_equal(match_fold(f), f); /* idempotent */
	}
	for (const char *p = MATCH_ALPHABET; *p; p++)
		assert_int_equal(match_fold(*p), *p);
}

static void test_fold_serial_keeps_unreadable_marks(void **state)
{
	static const struct {
		const char *in, *want;
	} t[] = {
		{ "ABC123", "A8C123" },
		{ "OBC1Z3", "08C123" },
		{ "?BC12?", "?8C12?" },
		{ "????", "????" },
		{ "SGUILDQ7", "56V11001" },
		{ "\xd0\xbb" "1O", "~~10" },
		{ "X", "X" },
	};
	char out[TN_SERIAL_LEN];

	(void)state;
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		int n = match_fold_serial(t[i].in, out, sizeof out);

		assert_int_equal(n, (int)strlen(t[i].want));
		assert_string_equal(out, t[i].want);
	}
}

static void test_fold_serial_refuses_what_does_not_fit(void **state)
{
	char out[TN_SERIAL_LEN];

	(void)state;
	assert_true(match_fold_serial("ABC123", out, 6) < 0);
	assert_true(match_fold_serial("ABC123", out, 0) < 0);
	assert_int_equal(match_fold_serial("ABC123", out, 7), 6);
	assert_string_equal(out, "A8C123");
	/* The empty serial has nothing to fold: no length, or an error. */
	assert_true(match_fold_serial("", out, sizeof out) <= 0);
}

static void test_fold_serial_of_47_characters(void **state)
{
	char in[TN_SERIAL_LEN], out[TN_SERIAL_LEN];

	(void)state;
	memset(in, 'O', TN_SERIAL_LEN - 1);
	in[TN_SERIAL_LEN - 1] = '\0';
	assert_int_equal(match_fold_serial(in, out, sizeof out), TN_SERIAL_LEN - 1);
	for (int i = 0; i < TN_SERIAL_LEN - 1; i++)
		assert_int_equal(out[i], '0');
	assert_int_equal(out[TN_SERIAL_LEN - 1], '\0');
}

/* ---- match_norm_model ---- */

struct model_case {
	const char *make, *model, *want;
};

static void test_norm_model_strips_make_and_spelling(void **state)
{
	static const struct model_case t[] = {
		{ "GLOCK", "G19", "19" },
		{ "GLOCK", "Glock 19", "19" },
		{ "GLOCK", "glock-19", "19" },
		{ "GLOCK", "19", "19" },
		{ "GLOCK", "g 19", "19" },
		{ "GLOCK", "Model 19", "19" },
		{ "GLOCK", "19 Gen5", "19GEN5" },
		{ "GLOCK", "G17", "17" },
		{ "GLOCK", "GEN5", "GEN5" },     /* G then a letter: not the initial */
		{ "GLOCK", "G", "G" },
		{ "SMITHWESSON", "Model 686", "686" },
		{ "SMITHWESSON", "model-686", "686" },
		{ "SMITHWESSON", "M&P9", "MP9" },
		{ "SMITHWESSON", "M&P 9 Shield", "MP9SHIELD" },
		{ "SMITHWESSON", "686", "686" },
		{ "BERETTA", "92FS", "92FS" },
		{ "BERETTA", "Beretta 92FS", "92FS" },
		{ "RUGER", "LCP II", "LCPII" },
		{ "RUGER", "lcp-ii", "LCPII" },
		{ "", "G19", "G19" },            /* no make: nothing to strip */
		{ "", "Model 19", "19" },
		{ "GLOCK", "", "" },
		{ "GLOCK", "\xc3\xa9" "19", "19" }, /* non-ASCII dropped */
	};
	char out[TN_MODEL_LEN];

	(void)state;
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		int n = match_norm_model(t[i].make, t[i].model, out, sizeof out);

		if (n != (int)strlen(t[i].want) || strcmp(out, t[i].want))
			fail_msg("norm_model(%s, '%s') = %d '%s', want '%s'", t[i].make,
				 t[i].model, n, n >= 0 ? out : "", t[i].want);
	}
}

/* Leave digits on the stack below the caller's frame, where the callee's
 * locals will be. */
static __attribute__((noinline)) void stack_of_digits(void)
{
	volatile char junk[4096];

	for (size_t i = 0; i < sizeof junk; i++)
		junk[i] = '7';
}

static void test_norm_model_of_nothing_is_empty(void **state)
{
	const char *models[] = { "", "-", " . ", "\xc3\xa9" };
	char out[TN_MODEL_LEN];
	struct match_query q;

	(void)state;
	for (size_t i = 0; i < sizeof models / sizeof models[0]; i++) {
		for (int m = 0; m < 2; m++) {
			const char *make = m ? "GLOCK" : "";
			int n;

			stack_of_digits();
			n = match_norm_model(make, models[i], out, sizeof out);
			if (n != 0 || out[0])
				fail_msg("norm_model('%s', '%s') = %d '%s', want 0 ''", make,
					 models[i], n, n >= 0 ? out : "");
		}
		stack_of_digits();
		assert_int_equal(match_query_init(&q, NULL, "ABC123", models[i], NULL, NULL, true),
				 0);
		assert_string_equal(q.model, "");
	}
}

static void test_norm_model_spellings_agree(void **state)
{
	const char *glock[] = { "G19", "Glock 19", "glock-19", "19", "GLOCK19", "model 19" };
	char a[TN_MODEL_LEN], b[TN_MODEL_LEN];

	(void)state;
	assert_true(match_norm_model("GLOCK", glock[0], a, sizeof a) > 0);
	for (size_t i = 1; i < sizeof glock / sizeof glock[0]; i++) {
		assert_true(match_norm_model("GLOCK", glock[i], b, sizeof b) > 0);
		assert_string_equal(a, b);
	}
}

static void test_norm_model_refuses_what_does_not_fit(void **state)
{
	char out[4];

	(void)state;
	assert_true(match_norm_model("GLOCK", "G19", out, 2) < 0);
	assert_int_equal(match_norm_model("GLOCK", "G19", out, 3), 2);
	assert_true(match_norm_model("BERETTA", "92FS", out, sizeof out) < 0);
}

/* ---- match_query_init ---- */

static void test_query_normalizes_serial_make_and_fields(void **state)
{
	struct match_query q;

	(void)state;
	assert_int_equal(match_query_init(&q, "S&W", " abc-12.3/4 5", "Model 686", "9mm",
					  "pistol", false), 0);
	assert_string_equal(q.serial, "ABC12345");
	assert_string_equal(q.fold, "A8C12345");
	assert_string_equal(q.make, "SMITHWESSON");
	assert_string_equal(q.model, "686");
	assert_string_equal(q.caliber, "9MM");
	assert_string_equal(q.type, "PISTOL");
	assert_int_equal(q.len, 8);
	assert_int_equal(q.unreadable, 0);
	assert_false(q.fuzzy);

	assert_int_equal(match_query_init(&q, "Smith and Wesson", "x1", NULL, NULL, NULL, true),
			 0);
	assert_string_equal(q.make, "SMITHWESSON");
	assert_true(q.fuzzy);
}

static void test_query_without_make_or_fields_leaves_them_empty(void **state)
{
	struct match_query q;

	(void)state;
	memset(&q, 0x5a, sizeof(q));
	assert_int_equal(match_query_init(&q, NULL, "ABC123", NULL, NULL, NULL, false), 0);
	assert_string_equal(q.make, "");
	assert_string_equal(q.model, "");
	assert_string_equal(q.caliber, "");
	assert_string_equal(q.type, "");
	memset(&q, 0x5a, sizeof(q));
	assert_int_equal(match_query_init(&q, "", "ABC123", "", "", "", false), 0);
	assert_string_equal(q.make, "");
	assert_string_equal(q.model, "");
}

static void test_query_unreadable_characters_force_fuzzy(void **state)
{
	static const struct {
		const char *serial;
		uint32_t len, unreadable;
	} t[] = {
		{ "?BC123", 6, 1 }, { "AB?123", 6, 1 }, { "ABC12?", 6, 1 },
		{ "a?c-1?3", 6, 2 }, { "?????1", 6, 5 }, { "?1", 2, 1 },
	};

	(void)state;
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		struct match_query q = query("Glock", t[i].serial, NULL, false);

		assert_true(q.fuzzy);
		assert_int_equal(q.len, t[i].len);
		assert_int_equal(q.unreadable, t[i].unreadable);
		assert_int_equal(strlen(q.serial), t[i].len);
		assert_int_equal(strlen(q.fold), t[i].len);
		for (uint32_t j = 0; j < q.len; j++)
			assert_int_equal(q.serial[j] == '?', q.fold[j] == '?');
	}
}

static void test_query_refuses_serials_and_makes_that_do_not_normalize(void **state)
{
	char serial[TN_SERIAL_LEN + 1];
	struct match_query q;

	(void)state;
	assert_int_equal(match_query_init(&q, "Glock", "", NULL, NULL, NULL, true),
			 TN_ERR_INVALID);
	assert_int_equal(match_query_init(&q, "Glock", " -./ ", NULL, NULL, NULL, true),
			 TN_ERR_INVALID);
	assert_int_equal(match_query_init(&q, "Glock", NULL, NULL, NULL, NULL, true),
			 TN_ERR_INVALID);
	memset(serial, 'A', TN_SERIAL_LEN);
	serial[TN_SERIAL_LEN] = '\0';  /* 48 characters: one too many */
	assert_int_equal(match_query_init(&q, "Glock", serial, NULL, NULL, NULL, true),
			 TN_ERR_INVALID);
	/* Nothing readable at all (the implementation's choice; the spec is silent). */
	assert_int_equal(match_query_init(&q, "Glock", "??????", NULL, NULL, NULL, true),
			 TN_ERR_INVALID);
	assert_int_equal(match_query_init(&q, "Glock", "?", NULL, NULL, NULL, true),
			 TN_ERR_INVALID);
	assert_int_equal(match_query_init(&q, "&&", "ABC123", NULL, NULL, NULL, true),
			 TN_ERR_INVALID);
	assert_int_equal(match_query_init(&q, "?", "ABC123", NULL, NULL, NULL, true),
			 TN_ERR_INVALID);
}

static void test_query_of_47_characters_is_accepted(void **state)
{
	char serial[TN_SERIAL_LEN];
	struct match_query q;

	(void)state;
	memset(serial, 'S', TN_SERIAL_LEN - 1);
	serial[TN_SERIAL_LEN - 1] = '\0';
	q = query("Glock", serial, NULL, true);
	assert_int_equal(q.len, TN_SERIAL_LEN - 1);
	assert_int_equal(strlen(q.fold), TN_SERIAL_LEN - 1);
	assert_int_equal(q.fold[0], '5');
	assert_int_equal(q.fold[TN_SERIAL_LEN - 2], '5');
}

static void test_query_keeps_non_ascii_bytes(void **state)
{
	struct match_query q = query(NULL, "\xd0\xbb\xd1\x83" "1234", NULL, true);

	(void)state;
	assert_string_equal(q.serial, "\xd0\xbb\xd1\x83" "1234");
	assert_string_equal(q.fold, "~~~~1234");
	assert_int_equal(q.len, 8);
	assert_int_equal(q.unreadable, 0);
}

static void test_query_make_never_keeps_unreadable_marks(void **state)
{
	struct match_query q;
	int rc;

	(void)state;
	/* '?' is not alphanumeric: a make either squashes without it or is refused. */
	memset(&q, 0, sizeof(q));
	rc = match_query_init(&q, "Glo?ck", "ABC123", NULL, NULL, NULL, true);
	assert_true(rc == 0 || rc == TN_ERR_INVALID);
	if (rc == 0)
		assert_string_equal(q.make, "GLOCK");
	rc = match_query_init(&q, "Glock?", "ABC123", NULL, NULL, NULL, true);
	assert_true(rc == 0 || rc == TN_ERR_INVALID);
	if (rc == 0)
		assert_null(strchr(q.make, '?'));
}

/* ---- match_serial_kind ---- */

struct kind_case {
	const char *query, *cand;
	bool fuzzy;
	enum match_kind want;
};

static void check_kinds(const struct kind_case *t, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		struct match_query q = query("Glock", t[i].query, NULL, t[i].fuzzy);
		enum match_kind k = kind_of(&q, t[i].cand);
		bool ok = k == t[i].want;

		/* Folded forms alone cannot tell exact from confusable. */
		if (t[i].want == MATCH_EXACT || t[i].want == MATCH_CONFUSABLE)
			ok = k == MATCH_EXACT || k == MATCH_CONFUSABLE;
		if (!ok)
			fail_msg("kind('%s' %s, '%s') = %d, want %d", t[i].query,
				 t[i].fuzzy ? "fuzzy" : "exact", t[i].cand, k, t[i].want);
	}
}

static void test_kind_of_one_edit_on_folded_serials(void **state)
{
	static const struct kind_case t[] = {
		{ "ABC123", "ABC123", true, MATCH_EXACT },
		{ "ABC123", "A8C123", true, MATCH_CONFUSABLE },
		{ "OBC1Z3", "DBC123", true, MATCH_CONFUSABLE },
		{ "ABC123", "ABC132", true, MATCH_TRANSPOSITION },
		{ "ABC123", "BAC123", true, MATCH_TRANSPOSITION },
		{ "ABC123", "ABC213", true, MATCH_TRANSPOSITION },
		{ "ABC123", "ABC124", true, MATCH_SUBSTITUTION },
		{ "ABC123", "XBC123", true, MATCH_SUBSTITUTION },
		{ "ABC123", "ABC12", true, MATCH_EXTRA },
		{ "ABC123", "BC123", true, MATCH_EXTRA },
		{ "ABC123", "AB123", true, MATCH_EXTRA },
		{ "ABC123", "ABC1234", true, MATCH_MISSING },
		{ "ABC123", "XABC123", true, MATCH_MISSING },
		{ "ABC123", "ABCX123", true, MATCH_MISSING },
		{ "ABC12", "ABC123", true, MATCH_MISSING },   /* 5: just long enough */
		{ "ABC12", "ABC1", true, MATCH_EXTRA },
		{ "ABC12", "ABC13", true, MATCH_SUBSTITUTION },
		{ "ABC123", "ABC1", true, MATCH_NONE },       /* two edits */
		{ "ABC123", "ABC12345", true, MATCH_NONE },
		{ "ABC123", "XBC124", true, MATCH_NONE },
		{ "ABC123", "ABC312", true, MATCH_NONE },     /* a rotation, not a swap */
		{ "ABC123", "CBA123", true, MATCH_NONE },     /* swap of non-neighbours */
		{ "ABC123", "ZZZZZZ", true, MATCH_NONE },
		{ "ABC123", "X", true, MATCH_NONE },
		{ "ABC123", "ABC123ABC123", true, MATCH_NONE },
	};

	(void)state;
	check_kinds(t, sizeof t / sizeof t[0]);
}

static void test_kind_without_fuzzy_is_only_equal_folds(void **state)
{
	static const struct kind_case t[] = {
		{ "ABC123", "ABC123", false, MATCH_EXACT },
		{ "ABC123", "A8C123", false, MATCH_CONFUSABLE },
		{ "ABC123", "ABC132", false, MATCH_NONE },
		{ "ABC123", "ABC124", false, MATCH_NONE },
		{ "ABC123", "ABC12", false, MATCH_NONE },
		{ "ABC123", "ABC1234", false, MATCH_NONE },
	};

	(void)state;
	check_kinds(t, sizeof t / sizeof t[0]);
}

static void test_kind_of_short_serials_has_no_edits(void **state)
{
	static const struct kind_case t[] = {
		{ "AB12", "AB12", true, MATCH_EXACT },
		{ "AB12", "A812", true, MATCH_CONFUSABLE },
		{ "AB12", "AB13", true, MATCH_NONE },
		{ "AB12", "AB21", true, MATCH_NONE },
		{ "AB12", "AB1", true, MATCH_NONE },
		{ "AB12", "AB123", true, MATCH_NONE },
		{ "X", "Y", true, MATCH_NONE },
		{ "X", "X", true, MATCH_EXACT },
	};

	(void)state;
	check_kinds(t, sizeof t / sizeof t[0]);
}

static void test_kind_of_unreadable_needs_every_readable_position(void **state)
{
	static const struct kind_case t[] = {
		{ "?BC123", "ABC123", false, MATCH_UNREADABLE },
		{ "?BC123", "X8C123", false, MATCH_UNREADABLE },
		{ "AB?123", "ABX123", false, MATCH_UNREADABLE },
		{ "ABC12?", "ABC129", false, MATCH_UNREADABLE },
		{ "AB?12?", "ABC123", false, MATCH_UNREADABLE },
		{ "A?1", "AX1", false, MATCH_UNREADABLE },   /* short, still a wildcard */
		{ "?????3", "ABC123", false, MATCH_UNREADABLE },
		{ "?BC123", "ABC12", false, MATCH_NONE },
		{ "?BC123", "ABC1234", false, MATCH_NONE },
		{ "?BC123", "AXC123", false, MATCH_NONE },
		{ "AB?123", "ABX124", false, MATCH_NONE },
		{ "?????3", "ABC12", false, MATCH_NONE },
	};

	(void)state;
	check_kinds(t, sizeof t / sizeof t[0]);
}

static void test_kind_of_47_character_serials(void **state)
{
	char a[TN_SERIAL_LEN], b[TN_SERIAL_LEN];
	struct match_query q;

	(void)state;
	for (int i = 0; i < TN_SERIAL_LEN - 1; i++)
		a[i] = "ACEFHJKMNPRTWXY"[i % 15];
	a[TN_SERIAL_LEN - 1] = '\0';
	q = query("Glock", a, NULL, true);
	assert_int_equal(kind_of(&q, a), MATCH_EXACT);
	memcpy(b, a, sizeof b);
	b[45] = a[46];
	b[46] = a[45];
	assert_int_equal(kind_of(&q, b), MATCH_TRANSPOSITION);
	memcpy(b, a, sizeof b);
	b[0] = '3';
	assert_int_equal(kind_of(&q, b), MATCH_SUBSTITUTION);
	b[46] = '\0';
	assert_int_equal(kind_of(&q, b), MATCH_NONE);
	assert_int_equal(kind_of(&q, a + 1), MATCH_EXTRA);
}

static void test_kind_ignores_bytes_past_len(void **state)
{
	struct match_query q = query("Glock", "ABC123", NULL, true);

	(void)state;
	/* The index key goes on with 0x00 and the make: only len counts. */
	assert_int_equal(match_serial_kind(&q, "A8C123\0GLOCK", 6), MATCH_EXACT);
	assert_int_equal(match_serial_kind(&q, "A8C1239", 6), MATCH_EXACT);
	assert_int_equal(match_serial_kind(&q, "A8C1239", 7), MATCH_MISSING);
	assert_int_equal(match_serial_kind(&q, "A8C1239", 0), MATCH_NONE);
}

static void test_kind_of_non_ascii_serials(void **state)
{
	struct match_query q = query(NULL, "\xd0\xbb\xd1\x83" "1234", NULL, true);

	(void)state;
	assert_int_equal(kind_of(&q, "\xd0\xbb\xd1\x83" "1234"), MATCH_EXACT);
	/* every non-ASCII byte folds to one class: another letter is a misread */
	assert_int_equal(kind_of(&q, "\xd0\xbb\xd1\x84" "1234"), MATCH_EXACT);
	assert_int_equal(kind_of(&q, "\xd0\xbb\xd1" "91234"), MATCH_SUBSTITUTION);
	assert_int_equal(kind_of(&q, "\xd0\xbb\xd1\x83" "123"), MATCH_EXTRA);
	assert_int_equal(kind_of(&q, "ABCD1234"), MATCH_NONE);
}

/* ---- match_score ---- */

struct reason_case {
	const char *query, *cand;
	enum match_kind kind;
	bool exact;
	const char *reason;
};

static void test_score_gives_kind_and_reason(void **state)
{
	static const struct reason_case t[] = {
		{ "ABC123", "ABC123", MATCH_EXACT, true, "exact" },
		{ "abc-123", "ABC 123", MATCH_EXACT, true, "exact" },
		{ "ABO123", "AB0123", MATCH_CONFUSABLE, false, "confusable O\u21920 at 3" },
		{ "A8C123", "ABC123", MATCH_CONFUSABLE, false, "confusable 8\u2192B at 2" },
		{ "ABC123", "A8C123", MATCH_CONFUSABLE, false, "confusable B\u21928 at 2" },
		{ "ABC213", "ABC123", MATCH_TRANSPOSITION, false, "transposition 4-5" },
		{ "BAC123", "ABC123", MATCH_TRANSPOSITION, false, "transposition 1-2" },
		{ "ABC132", "ABC123", MATCH_TRANSPOSITION, false, "transposition 5-6" },
		{ "ABCX23", "ABC123", MATCH_SUBSTITUTION, false, "substitution X\u21921 at 4" },
		{ "ABC129", "ABC123", MATCH_SUBSTITUTION, false, "substitution 9\u21923 at 6" },
		{ "ABCX123", "ABC123", MATCH_EXTRA, false, "extra character X at 4" },
		{ "ABC1234", "ABC123", MATCH_EXTRA, false, "extra character 4 at 7" },
		{ "XABC123", "ABC123", MATCH_EXTRA, false, "extra character X at 1" },
		{ "AB123", "ABC123", MATCH_MISSING, false, "missing character C at 3" },
		{ "ABC12", "ABC123", MATCH_MISSING, false, "missing character 3 at 6" },
		{ "BC123", "ABC123", MATCH_MISSING, false, "missing character A at 1" },
		{ "AB?12?", "ABC123", MATCH_UNREADABLE, false, "2 unreadable" },
		{ "?BC123", "ABC123", MATCH_UNREADABLE, false, "1 unreadable" },
	};

	int bad = 0;

	(void)state;
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		struct match_query q = query("Glock", t[i].query, NULL, true);
		struct match_fields f = fields("Glock", "19", t[i].cand);
		struct match_cand c = judge(&q, &f, 7);

		if (c.kind != t[i].kind || c.exact != t[i].exact || strcmp(c.reason, t[i].reason)) {
			print_error("'%s' against '%s': kind %d exact %d '%s', want %d %d '%s'\n",
				    t[i].query, t[i].cand, c.kind, c.exact, c.reason, t[i].kind,
				    t[i].exact, t[i].reason);
			bad++;
		}
	}
	assert_int_equal(bad, 0);
}

static void test_score_lists_several_confusables(void **state)
{
	struct match_query q = query("Glock", "0BC1Z3", NULL, true);
	struct match_fields f = fields("Glock", "19", "OBC123");
	struct match_cand c = judge(&q, &f, 1);

	(void)state;
	assert_int_equal(c.kind, MATCH_CONFUSABLE);
	assert_false(c.exact);
	/* "confusable 0→O at 1, Z→2 at 5" (whether "confusable" repeats is free). */
	assert_memory_equal(c.reason, "confusable 0\u2192O at 1, ", strlen("confusable 0\u2192O at 1, "));
	assert_non_null(strstr(c.reason, "Z\u21922 at 5"));
}

static void test_score_reason_of_many_confusables_fits(void **state)
{
	char a[TN_SERIAL_LEN], b[TN_SERIAL_LEN];
	struct match_query q;
	struct match_fields f;
	struct match_cand c;

	(void)state;
	memset(a, 'O', TN_SERIAL_LEN - 1);
	memset(b, '0', TN_SERIAL_LEN - 1);
	a[TN_SERIAL_LEN - 1] = b[TN_SERIAL_LEN - 1] = '\0';
	q = query("Glock", a, NULL, true);
	f = fields("Glock", "19", b);
	c = judge(&q, &f, 1);
	assert_int_equal(c.kind, MATCH_CONFUSABLE);
	assert_true(strlen(c.reason) < MATCH_REASON_LEN);
	assert_memory_equal(c.reason, "confusable O\u21920 at 1", strlen("confusable O\u21920 at 1"));
	/* A cut reason stops on a whole UTF-8 character (beyond the spec). */
	assert_true(utf8_whole(c.reason));
}

static void test_score_rejects_another_make(void **state)
{
	struct match_query q = query("Glock", "ABC123", NULL, true);
	struct match_fields f = fields("Smith & Wesson", "686", "ABC123");
	struct match_cand c;

	(void)state;
	assert_int_equal(match_score(&q, &f, 1, &c), TN_ERR_NOT_FOUND);
	f.importer = "Acme Imports";  /* an importer that is not the make either */
	assert_int_equal(match_score(&q, &f, 1, &c), TN_ERR_NOT_FOUND);
	q = query("S&W", "ABC123", NULL, false);
	c = judge(&q, &f, 1);
	assert_true(c.exact);
	assert_string_equal(c.reason, "exact");
}

static void test_score_rejects_serials_too_far(void **state)
{
	const char *far[] = { "XYZ789", "ABC1", "ABC12345", "CBA321", "A" };
	struct match_query q = query("Glock", "ABC123", NULL, true);
	struct match_cand c;

	(void)state;
	for (size_t i = 0; i < sizeof far / sizeof far[0]; i++) {
		struct match_fields f = fields("Glock", "19", far[i]);

		if (match_score(&q, &f, 1, &c) != TN_ERR_NOT_FOUND)
			fail_msg("'%s' judged a candidate for ABC123", far[i]);
	}
}

static void test_score_without_make_takes_every_make(void **state)
{
	struct match_query q = query(NULL, "ABC123", NULL, true);
	struct match_fields f = fields("Smith & Wesson", "686", "ABC123");
	struct match_cand c = judge(&q, &f, 3);

	(void)state;
	assert_true(c.exact);
	assert_int_equal(c.kind, MATCH_EXACT);
	assert_string_equal(c.reason, "exact");
	f.make = "Norinco";
	c = judge(&q, &f, 4);
	assert_true(c.exact);
}

static void test_score_matches_through_the_importer(void **state)
{
	struct match_query q = query("Century International Arms", "NC5512345", NULL, true);
	struct match_fields f = fields("Norinco", "SKS", "NC5512345");
	struct match_cand c;

	(void)state;
	f.importer = "Century International Arms";
	c = judge(&q, &f, 9);
	assert_int_equal(c.kind, MATCH_EXACT);
	assert_string_equal(c.reason, "exact, importer as make");
	assert_false(c.exact);   /* the make itself is another */
	f.serial = "NC55I2345";
	c = judge(&q, &f, 9);
	assert_int_equal(c.kind, MATCH_CONFUSABLE);
	assert_string_equal(c.reason, "confusable 1\u2192I at 5, importer as make");
	/* Its own make matches without the mention. */
	q = query("Norinco", "NC5512345", NULL, true);
	f.serial = "NC5512345";
	c = judge(&q, &f, 9);
	assert_true(c.exact);
	assert_string_equal(c.reason, "exact");
}

static int32_t score_of(const char *qserial, const char *qmodel, const char *qcal,
			const char *qtype, const struct match_fields *f)
{
	struct match_query q;
	struct match_cand c;

	assert_int_equal(match_query_init(&q, "Glock", qserial, qmodel, qcal, qtype, true), 0);
	c = judge(&q, f, 1);
	return c.score;
}

static void test_score_ranks_kinds(void **state)
{
	struct match_fields f = fields("Glock", "19", "ABC123");
	int32_t exact, conf, trans, sub, extra, missing;

	(void)state;
	exact = score_of("ABC123", NULL, NULL, NULL, &f);
	conf = score_of("A8C123", NULL, NULL, NULL, &f);
	trans = score_of("ABC132", NULL, NULL, NULL, &f);
	sub = score_of("ABC124", NULL, NULL, NULL, &f);
	extra = score_of("ABC1234", NULL, NULL, NULL, &f);
	missing = score_of("ABC12", NULL, NULL, NULL, &f);
	assert_true(exact > conf);
	assert_true(conf > trans);
	assert_true(trans > sub);
	assert_true(trans > extra);
	assert_true(trans > missing);
	assert_true(score_of("AB?123", NULL, NULL, NULL, &f) < exact);
}

static void test_score_rises_with_agreeing_fields_and_falls_with_others(void **state)
{
	struct match_fields f = fields("Glock", "G19", "ABC123");
	int32_t agree, none, differ;

	(void)state;
	/* A substitution, far from both ends of the scale. */
	none = score_of("ABC124", NULL, NULL, NULL, &f);
	agree = score_of("ABC124", "Glock 19", NULL, NULL, &f);
	differ = score_of("ABC124", "17", NULL, NULL, &f);
	assert_true(agree > none);
	assert_true(none > differ);
	assert_true(score_of("ABC124", NULL, "9 mm", NULL, &f) > none);
	assert_true(score_of("ABC124", NULL, ".45 ACP", NULL, &f) < none);
	assert_true(score_of("ABC124", NULL, NULL, "Pistol", &f) > none);
	assert_true(score_of("ABC124", NULL, NULL, "rifle", &f) < none);
	assert_true(score_of("ABC124", "19", "9mm", "pistol", &f) > agree);
	assert_true(score_of("ABC124", "17", ".45", "rifle", &f) < differ);
}

static void test_score_of_a_record_without_fields_is_neutral(void **state)
{
	struct match_fields f = { "Glock", "", "", NULL, "ABC123", NULL };
	struct match_fields full = fields("Glock", "19", "ABC123");
	int32_t bare;

	(void)state;
	bare = score_of("ABC124", "19", "9mm", "pistol", &f);
	assert_int_equal(bare, score_of("ABC124", NULL, NULL, NULL, &full));
	assert_int_equal(bare, score_of("ABC124", NULL, NULL, NULL, &f));
}

static void test_score_stays_in_range(void **state)
{
	const char *serials[] = { "ABC123", "A8C123", "ABC132", "ABC124", "ABC1234",
				  "ABC12",  "AB?123", "?????3", "O0O0O0" };
	const char *cands[] = { "ABC123", "OOOOOO", "ABC12", "ABC1234", "A8C132" };
	struct match_query q;
	struct match_cand c;

	(void)state;
	for (size_t i = 0; i < sizeof serials / sizeof serials[0]; i++)
		for (size_t j = 0; j < sizeof cands / sizeof cands[0]; j++)
			for (int m = 0; m < 3; m++) {
				struct match_fields f = fields("Glock", "19", cands[j]);
				const char *model = m == 0 ? NULL : m == 1 ? "19" : "17";
				int rc;

				assert_int_equal(match_query_init(&q, "Glock", serials[i], model,
								  m ? "9mm" : ".22",
								  m ? "pistol" : "rifle", true),
						 0);
				rc = match_score(&q, &f, 1, &c);
				assert_true(rc == 0 || rc == TN_ERR_NOT_FOUND);
				if (rc == 0) {
					assert_in_range(c.score, 0, 100);
					assert_int_not_equal(c.kind, MATCH_NONE);
					assert_true(strlen(c.reason) > 0);
				}
			}
}

/* ---- match_top_add ---- */

static void assert_order(const struct match_top *top, const uint64_t *ids, uint32_t n)
{
	assert_int_equal(top->n, n);
	for (uint32_t i = 0; i < n; i++)
		if (top->c[i].id != ids[i])
			fail_msg("top[%u] = %llu, want %llu", i, (unsigned long long)top->c[i].id,
				 (unsigned long long)ids[i]);
}

static void test_top_orders_exact_then_score_then_id(void **state)
{
	struct match_cand buf[5];
	struct match_top top = { buf, 0, 5 };
	struct match_cand c;

	(void)state;
	c = cand(1, 60, false), match_top_add(&top, &c);
	c = cand(2, 40, true), match_top_add(&top, &c);
	c = cand(3, 60, false), match_top_add(&top, &c);
	c = cand(4, 40, true), match_top_add(&top, &c);
	/* exact first even when the score would say otherwise */
	c = cand(5, 99, false), match_top_add(&top, &c);
	/* exact 2 and 4 tie on score, as 1 and 3 do: lower id first */
	{
		const uint64_t w[] = { 2, 4, 5, 1, 3 };

		assert_order(&top, w, 5);
	}
}

static void test_top_keeps_only_the_best_k(void **state)
{
	struct match_cand buf[3];
	struct match_top top = { buf, 0, 3 };
	struct match_cand c;

	(void)state;
	for (uint64_t id = 1; id <= 10; id++) {
		c = cand(id, (int32_t)(id * 7 % 11), false);
		match_top_add(&top, &c);
	}
	/* scores: 1:7 2:3 3:10 4:6 5:2 6:9 7:5 8:1 9:8 10:4 */
	{
		const uint64_t w[] = { 3, 6, 9 };

		assert_order(&top, w, 3);
	}
	c = cand(11, 0, true);
	match_top_add(&top, &c);
	{
		const uint64_t w[] = { 11, 3, 6 };

		assert_order(&top, w, 3);
	}
	c = cand(12, 8, false);   /* ties with 9, which left already */
	match_top_add(&top, &c);
	{
		const uint64_t w[] = { 11, 3, 6 };

		assert_order(&top, w, 3);
	}
}

static void test_top_prefers_lower_ids_on_ties_whatever_the_order(void **state)
{
	struct match_cand buf[2];
	struct match_top top = { buf, 0, 2 };
	struct match_cand c;

	(void)state;
	for (uint64_t id = 9; id >= 1; id--) {
		c = cand(id, 50, false);
		match_top_add(&top, &c);
	}
	{
		const uint64_t w[] = { 1, 2 };

		assert_order(&top, w, 2);
	}
	top.n = 0;
	for (uint64_t id = 1; id <= 9; id++) {
		c = cand(id, 50, false);
		match_top_add(&top, &c);
	}
	{
		const uint64_t w[] = { 1, 2 };

		assert_order(&top, w, 2);
	}
}

static void test_top_of_size_zero_keeps_nothing(void **state)
{
	struct match_cand buf[1] = { 0 };
	struct match_top top = { buf, 0, 0 };
	struct match_cand c = cand(1, 100, true);

	(void)state;
	match_top_add(&top, &c);
	assert_int_equal(top.n, 0);
	assert_true(buf[0].id == 0);
}

static void test_top_copies_the_candidate(void **state)
{
	struct match_cand buf[2];
	struct match_top top = { buf, 0, 2 };
	struct match_cand c = cand(5, 77, false);

	(void)state;
	c.kind = MATCH_TRANSPOSITION;
	strcpy(c.reason, "transposition 4-5");
	match_top_add(&top, &c);
	memset(&c, 0, sizeof(c));
	assert_int_equal(top.n, 1);
	assert_true(buf[0].id == 5);
	assert_int_equal(buf[0].score, 77);
	assert_int_equal(buf[0].kind, MATCH_TRANSPOSITION);
	assert_string_equal(buf[0].reason, "transposition 4-5");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fold_maps_each_class_to_its_representative),
		cmocka_unit_test(test_fold_leaves_other_characters_alone),
		cmocka_unit_test(test_fold_lands_in_the_folded_alphabet),
		cmocka_unit_test(test_fold_serial_keeps_unreadable_marks),
		cmocka_unit_test(test_fold_serial_refuses_what_does_not_fit),
		cmocka_unit_test(test_fold_serial_of_47_characters),
		cmocka_unit_test(test_norm_model_strips_make_and_spelling),
		cmocka_unit_test(test_norm_model_of_nothing_is_empty),
		cmocka_unit_test(test_norm_model_spellings_agree),
		cmocka_unit_test(test_norm_model_refuses_what_does_not_fit),
		cmocka_unit_test(test_query_normalizes_serial_make_and_fields),
		cmocka_unit_test(test_query_without_make_or_fields_leaves_them_empty),
		cmocka_unit_test(test_query_unreadable_characters_force_fuzzy),
		cmocka_unit_test(test_query_refuses_serials_and_makes_that_do_not_normalize),
		cmocka_unit_test(test_query_of_47_characters_is_accepted),
		cmocka_unit_test(test_query_keeps_non_ascii_bytes),
		cmocka_unit_test(test_query_make_never_keeps_unreadable_marks),
		cmocka_unit_test(test_kind_of_one_edit_on_folded_serials),
		cmocka_unit_test(test_kind_without_fuzzy_is_only_equal_folds),
		cmocka_unit_test(test_kind_of_short_serials_has_no_edits),
		cmocka_unit_test(test_kind_of_unreadable_needs_every_readable_position),
		cmocka_unit_test(test_kind_of_47_character_serials),
		cmocka_unit_test(test_kind_ignores_bytes_past_len),
		cmocka_unit_test(test_kind_of_non_ascii_serials),
		cmocka_unit_test(test_score_gives_kind_and_reason),
		cmocka_unit_test(test_score_lists_several_confusables),
		cmocka_unit_test(test_score_reason_of_many_confusables_fits),
		cmocka_unit_test(test_score_rejects_another_make),
		cmocka_unit_test(test_score_rejects_serials_too_far),
		cmocka_unit_test(test_score_without_make_takes_every_make),
		cmocka_unit_test(test_score_matches_through_the_importer),
		cmocka_unit_test(test_score_ranks_kinds),
		cmocka_unit_test(test_score_rises_with_agreeing_fields_and_falls_with_others),
		cmocka_unit_test(test_score_of_a_record_without_fields_is_neutral),
		cmocka_unit_test(test_score_stays_in_range),
		cmocka_unit_test(test_top_orders_exact_then_score_then_id),
		cmocka_unit_test(test_top_keeps_only_the_best_k),
		cmocka_unit_test(test_top_prefers_lower_ids_on_ties_whatever_the_order),
		cmocka_unit_test(test_top_of_size_zero_keeps_nothing),
		cmocka_unit_test(test_top_copies_the_candidate),
	};

	if (getenv("TEST_FILTER"))
		cmocka_set_test_filter(getenv("TEST_FILTER"));
	return cmocka_run_group_tests(tests, NULL, NULL);
}
