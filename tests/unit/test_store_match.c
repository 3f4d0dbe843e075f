/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests of the store's serial matching (store/match.c): exact and
 * fuzzy candidates from the folded index, importer as make, open reports
 * only, twins that differ by a misread character, limits, and the index
 * rebuilt when a version-1 store is opened. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../store/store_int.h"
#include "store_fixture.h"

#define CAND_MAX MATCH_K_MAX

/* What seed() put on file. */
enum { G_ABC123 = 1, G_ABC128, G_A8C123, SW_ABC123, NORINCO_NC };

struct found {
	int n;
	struct match_cand c[CAND_MAX];
};

/* store_record_match (or store_stolen_match) of make/serial, k at most. */
static int match_q(struct store *s, bool stolen, const struct match_query *q, uint32_t k,
		   struct found *out)
{
	struct store_txn *t;

	memset(out, 0, sizeof(*out));
	assert_true(k <= CAND_MAX);
	assert_int_equal(store_read_begin(s, &t), 0);
	out->n = stolen ? store_stolen_match(t, q, out->c, k) : store_record_match(t, q, out->c, k);
	store_read_end(t);
	return out->n;
}

static int match_in(struct store *s, bool stolen, const char *make, const char *serial,
		    bool fuzzy, uint32_t k, struct found *out)
{
	struct match_query q;

	assert_int_equal(match_query_init(&q, make, serial, NULL, NULL, NULL, fuzzy), 0);
	return match_q(s, stolen, &q, k, out);
}

static int match(struct store *s, const char *make, const char *serial, bool fuzzy,
		 struct found *out)
{
	return match_in(s, false, make, serial, fuzzy, MATCH_K_DEFAULT, out);
}

/* The candidate for id, or NULL. */
static const struct match_cand *cand_of(const struct found *z, uint64_t id)
{
	for (int i = 0; i < z->n; i++)
		if (z->c[i].id == id)
			return &z->c[i];
	return NULL;
}

/* z holds exactly the n ids (any order). */
static void assert_ids(const struct found *z, const uint64_t *ids, int n)
{
	if (z->n != n)
		fail_msg("%d candidates, want %d (first: %llu)", z->n, n,
			 z->n > 0 ? (unsigned long long)z->c[0].id : 0ULL);
	for (int i = 0; i < n; i++)
		if (!cand_of(z, ids[i]))
			fail_msg("id %llu not among the candidates", (unsigned long long)ids[i]);
}

/* z is in the order match_top_add keeps: exact first, score, id. */
static void assert_ranked(const struct found *z)
{
	for (int i = 1; i < z->n; i++) {
		const struct match_cand *a = &z->c[i - 1], *b = &z->c[i];

		assert_in_range(b->score, 0, 100);
		if (a->exact != b->exact) {
			assert_true(a->exact);
			continue;
		}
		assert_true(a->score > b->score || (a->score == b->score && a->id < b->id));
	}
}

static uint64_t add_with_importer(struct store *s, const char *make, const char *model,
				  const char *serial, const char *importer)
{
	struct tn_record r = rec(make, model, serial);

	snprintf(r.importer, sizeof(r.importer), "%s", importer);
	assert_int_equal(store_write(s, op_record, &r), 0);
	return r.id;
}

static void seed(struct store *s)
{
	assert_int_equal(add(s, "Glock", "G19", "ABC123"), G_ABC123);
	assert_int_equal(add(s, "Glock", "17", "ABC128"), G_ABC128);
	assert_int_equal(add(s, "Glock", "26", "A8C123"), G_A8C123);
	assert_int_equal(add(s, "Smith & Wesson", "686", "ABC123"), SW_ABC123);
	assert_int_equal(add_with_importer(s, "Norinco", "SKS", "NC5512345",
					   "Century International Arms"), NORINCO_NC);
}

static void test_exact_lookup_returns_only_the_same_serial(void **state)
{
	struct fix *f = *state;
	struct found z;

	seed(f->s);
	assert_int_equal(match(f->s, "Glock", "ABC123", false, &z), 1);
	assert_true(z.c[0].id == G_ABC123);
	assert_true(z.c[0].exact);
	assert_int_equal(z.c[0].kind, MATCH_EXACT);
	assert_string_equal(z.c[0].reason, "exact");
	assert_int_equal(match(f->s, "GLOCK", "abc-12.3", false, &z), 1);
	assert_true(z.c[0].id == G_ABC123);
	assert_int_equal(match(f->s, "Glock", "A8C123", false, &z), 1);
	assert_true(z.c[0].id == G_A8C123);
	assert_int_equal(match(f->s, "S&W", "ABC123", false, &z), 1);
	assert_true(z.c[0].id == SW_ABC123);
	assert_int_equal(match(f->s, "Glock", "ABC124", false, &z), 0);
	assert_int_equal(match(f->s, "Ruger", "ABC123", false, &z), 0);
	{
		const uint64_t w[] = { G_ABC123, SW_ABC123 };

		assert_int_equal(match(f->s, NULL, "ABC123", false, &z), 2);
		assert_ids(&z, w, 2);
		assert_true(z.c[0].exact && z.c[1].exact);
		assert_ranked(&z);
	}
}

static void test_fuzzy_finds_confusables_after_the_exact_one(void **state)
{
	struct fix *f = *state;
	struct found z;

	seed(f->s);
	assert_int_equal(match(f->s, "Glock", "ABC123", true, &z), 3);
	assert_true(z.c[0].id == G_ABC123);
	assert_true(z.c[1].id == G_A8C123);
	assert_true(z.c[2].id == G_ABC128);
	assert_string_equal(z.c[0].reason, "exact");
	assert_int_equal(z.c[1].kind, MATCH_CONFUSABLE);
	assert_false(z.c[1].exact);
	assert_string_equal(z.c[1].reason, "confusable B\u21928 at 2");
	assert_int_equal(z.c[2].kind, MATCH_SUBSTITUTION);
	assert_string_equal(z.c[2].reason, "substitution 3\u21928 at 6");
	assert_ranked(&z);

	/* Read the other way, the other twin is the exact one. */
	assert_int_equal(match(f->s, "Glock", "A8C123", true, &z), 3);
	assert_true(z.c[0].id == G_A8C123);
	assert_true(z.c[1].id == G_ABC123);
	assert_string_equal(z.c[1].reason, "confusable 8\u2192B at 2");
	assert_int_equal(z.c[2].kind, MATCH_SUBSTITUTION);
}

struct edit_case {
	const char *serial;
	enum match_kind kind;   /* of G_ABC123 */
	const char *reason;     /* of G_ABC123, or NULL */
	uint64_t ids[4];
	int n;
};

static void test_fuzzy_finds_one_edit_neighbours(void **state)
{
	static const struct edit_case t[] = {
		{ "ABC132", MATCH_TRANSPOSITION, "transposition 5-6", { G_ABC123, G_A8C123 }, 2 },
		{ "BAC123", MATCH_TRANSPOSITION, "transposition 1-2", { G_ABC123, G_A8C123 }, 2 },
		{ "AC123", MATCH_MISSING, NULL, { G_ABC123, G_A8C123 }, 2 },
		{ "ABC12", MATCH_MISSING, NULL, { G_ABC123, G_A8C123, G_ABC128 }, 3 },
		{ "ABXC123", MATCH_EXTRA, "extra character X at 3", { G_ABC123, G_A8C123 }, 2 },
		{ "ABC1234", MATCH_EXTRA, "extra character 4 at 7", { G_ABC123, G_A8C123 }, 2 },
		{ "ABC129", MATCH_SUBSTITUTION, "substitution 9\u21923 at 6",
		  { G_ABC123, G_A8C123, G_ABC128 }, 3 },
		{ "XBC123", MATCH_SUBSTITUTION, "substitution X\u2192A at 1",
		  { G_ABC123, G_A8C123 }, 2 },
	};
	struct fix *f = *state;
	struct found z;

	seed(f->s);
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		const struct match_cand *c;

		match(f->s, "Glock", t[i].serial, true, &z);
		assert_ids(&z, t[i].ids, t[i].n);
		assert_ranked(&z);
		assert_non_null(c = cand_of(&z, G_ABC123));
		if (c->kind != t[i].kind || (t[i].reason && strcmp(c->reason, t[i].reason)))
			fail_msg("'%s': kind %d '%s', want %d '%s'", t[i].serial, c->kind, c->reason,
				 t[i].kind, t[i].reason ? t[i].reason : "");
		assert_false(c->exact);
		/* Without fuzzy none of them. */
		assert_int_equal(match(f->s, "Glock", t[i].serial, false, &z), 0);
	}
}

static void test_short_serials_get_no_edits(void **state)
{
	struct fix *f = *state;
	struct found z;

	add(f->s, "Glock", "19", "AB12");
	add(f->s, "Glock", "19", "AB13");
	add(f->s, "Glock", "19", "A812");
	assert_int_equal(match(f->s, "Glock", "AB12", true, &z), 2);
	assert_true(z.c[0].id == 1);
	assert_true(z.c[1].id == 3);
}

static void test_unreadable_characters_anywhere(void **state)
{
	static const struct edit_case t[] = {
		{ "?BC123", MATCH_UNREADABLE, "1 unreadable", { G_ABC123, G_A8C123 }, 2 },
		{ "AB?123", MATCH_UNREADABLE, "1 unreadable", { G_ABC123, G_A8C123 }, 2 },
		{ "ABC12?", MATCH_UNREADABLE, "1 unreadable", { G_ABC123, G_A8C123, G_ABC128 }, 3 },
		{ "AB??23", MATCH_UNREADABLE, "2 unreadable", { G_ABC123, G_A8C123 }, 2 },
		{ "?BC12?", MATCH_UNREADABLE, "2 unreadable", { G_ABC123, G_A8C123, G_ABC128 }, 3 },
		{ "ABC???", MATCH_UNREADABLE, "3 unreadable", { G_ABC123, G_A8C123, G_ABC128 }, 3 },
	};
	struct fix *f = *state;
	struct found z;

	seed(f->s);
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		const struct match_cand *c;

		/* fuzzy is forced on by the '?' */
		if (match(f->s, "Glock", t[i].serial, false, &z) < 0)
			fail_msg("'%s': %d", t[i].serial, z.n);
		assert_ids(&z, t[i].ids, t[i].n);
		assert_ranked(&z);
		assert_non_null(c = cand_of(&z, G_ABC123));
		if (c->kind != t[i].kind || strcmp(c->reason, t[i].reason))
			fail_msg("'%s': kind %d '%s', want %d '%s'", t[i].serial, c->kind, c->reason,
				 t[i].kind, t[i].reason);
	}
	{
		const uint64_t w[] = { G_ABC123, G_A8C123, G_ABC128, SW_ABC123 };

		assert_int_equal(match(f->s, NULL, "ABC12?", true, &z), 4);
		assert_ids(&z, w, 4);
	}
}

static void test_too_many_unreadable_characters_is_a_limit(void **state)
{
	const char *limit[] = { "A??????", "AB???3", "?BC1??", "???123", "A?B?C?D" };
	struct fix *f = *state;
	struct found z;

	seed(f->s);
	add_stolen(f->s, "Glock", "ABC123");
	for (size_t i = 0; i < sizeof limit / sizeof limit[0]; i++) {
		if (match(f->s, "Glock", limit[i], true, &z) != TN_ERR_LIMIT)
			fail_msg("'%s' gave %d, want TN_ERR_LIMIT", limit[i], z.n);
		assert_int_equal(match(f->s, NULL, limit[i], true, &z), TN_ERR_LIMIT);
		assert_int_equal(match_in(f->s, true, "Glock", limit[i], true, 10, &z),
				 TN_ERR_LIMIT);
	}
	/* Three read before three unreadable is allowed. */
	assert_int_equal(match(f->s, "Glock", "ABC???", true, &z), 3);
}

static void test_importer_stands_for_the_make(void **state)
{
	struct fix *f = *state;
	struct found z;

	seed(f->s);
	assert_int_equal(match(f->s, "Century International Arms", "NC5512345", true, &z), 1);
	assert_true(z.c[0].id == NORINCO_NC);
	assert_string_equal(z.c[0].reason, "exact, importer as make");
	assert_int_equal(match(f->s, "century intl. arms", "NC5512345", true, &z), 0);
	assert_int_equal(match(f->s, "Century International Arms", "NC55I2345", true, &z), 1);
	assert_int_equal(z.c[0].kind, MATCH_CONFUSABLE);
	assert_string_equal(z.c[0].reason, "confusable I\u21921 at 5, importer as make");
	assert_int_equal(match(f->s, "Century International Arms", "NC551234", true, &z), 1);
	assert_int_equal(z.c[0].kind, MATCH_MISSING);
	assert_int_equal(match(f->s, "Norinco", "NC5512345", false, &z), 1);
	assert_string_equal(z.c[0].reason, "exact");
	assert_true(z.c[0].exact);
	assert_int_equal(match(f->s, "Glock", "NC5512345", true, &z), 0);
}

static void test_k_keeps_the_best(void **state)
{
	struct fix *f = *state;
	struct found all, z;

	seed(f->s);
	assert_int_equal(match_in(f->s, false, NULL, "ABC123", true, 10, &all), 4);
	assert_true(all.c[0].exact && all.c[1].exact);
	assert_false(all.c[2].exact);
	assert_ranked(&all);
	for (uint32_t k = 1; k <= 4; k++) {
		assert_int_equal(match_in(f->s, false, NULL, "ABC123", true, k, &z), (int)k);
		for (uint32_t i = 0; i < k; i++) {
			assert_true(z.c[i].id == all.c[i].id);
			assert_int_equal(z.c[i].score, all.c[i].score);
		}
	}
}

static void test_without_make_every_make_is_searched(void **state)
{
	struct fix *f = *state;
	struct found z;

	seed(f->s);
	assert_int_equal(match(f->s, NULL, "ABC123", true, &z), 4);
	assert_true((z.c[0].id == G_ABC123 && z.c[1].id == SW_ABC123) ||
		    (z.c[0].id == SW_ABC123 && z.c[1].id == G_ABC123));
	assert_true(z.c[2].id == G_A8C123);
	assert_true(z.c[3].id == G_ABC128);
	assert_int_equal(match(f->s, NULL, "NC55I2345", true, &z), 1);
	assert_true(z.c[0].id == NORINCO_NC);
	assert_int_equal(match(f->s, "Ruger", "ABC123", true, &z), 0);
}

static void test_stolen_match_returns_open_reports_only(void **state)
{
	struct fix *f = *state;
	struct recover_arg ra = { 0, "2024-01-10", { 0 } };
	uint64_t a, b, c;
	struct found z;

	seed(f->s);   /* records are not reports */
	a = add_stolen(f->s, "Glock", "ABC123");
	b = add_stolen(f->s, "Glock", "A8C123");
	c = add_stolen(f->s, "S&W", "ABC123");
	assert_int_equal(match_in(f->s, true, "Glock", "ABC123", true, 10, &z), 2);
	assert_true(z.c[0].id == a);
	assert_true(z.c[1].id == b);
	assert_string_equal(z.c[1].reason, "confusable B\u21928 at 2");
	assert_int_equal(match_in(f->s, true, NULL, "ABC123", false, 10, &z), 2);
	assert_true(cand_of(&z, a) && cand_of(&z, c));

	ra.id = a;
	assert_int_equal(store_write(f->s, op_recover, &ra), 0);
	assert_int_equal(match_in(f->s, true, "Glock", "ABC123", true, 10, &z), 1);
	assert_true(z.c[0].id == b);
	assert_int_equal(match_in(f->s, true, "Glock", "ABC123", false, 10, &z), 0);
	assert_int_equal(match_in(f->s, true, NULL, "AB?123", false, 10, &z), 2);
	assert_true(cand_of(&z, b) && cand_of(&z, c));
	/* The records are still all there. */
	assert_int_equal(match(f->s, "Glock", "ABC123", true, &z), 3);
}

static void test_empty_store_has_no_candidates(void **state)
{
	struct fix *f = *state;
	struct found z;

	assert_int_equal(match(f->s, "Glock", "ABC123", true, &z), 0);
	assert_int_equal(match(f->s, NULL, "AB?123", true, &z), 0);
	assert_int_equal(match_in(f->s, true, NULL, "ABC123", true, 10, &z), 0);
}

static void test_twins_by_a_misread_character_are_both_filed(void **state)
{
	struct fix *f = *state;
	struct tn_record r = rec("Glock", "19", "abc-123");
	struct found z;
	struct seen s;

	assert_int_equal(add(f->s, "Glock", "19", "ABC123"), 1);
	assert_int_equal(add(f->s, "Glock", "19", "A8C123"), 2);
	assert_int_equal(add(f->s, "Glock", "19", "OBC555"), 3);
	assert_int_equal(add(f->s, "Glock", "19", "0BC555"), 4);
	assert_int_equal(add(f->s, "Glock", "19", "DBC555"), 5);
	assert_int_equal(store_write(f->s, op_record, &r), TN_ERR_EXISTS);
	r = rec("Glock", "19", "A8C-123");
	assert_int_equal(store_write(f->s, op_record, &r), TN_ERR_EXISTS);
	r = rec("Glock", "17", "A8C123");   /* another model: another gun */
	assert_int_equal(store_write(f->s, op_record, &r), 0);
	assert_int_equal(r.id, 6);

	/* find is exact: the twin is not the same serial. */
	assert_int_equal(find(f->s, "Glock", "ABC123", &s), 1);
	assert_true(s.ids[0] == 1);
	assert_int_equal(find(f->s, "Glock", "A8C123", &s), 2);
	assert_int_equal(find(f->s, NULL, "0BC555", &s), 1);
	assert_true(s.ids[0] == 4);
	assert_int_equal(match(f->s, "Glock", "ABC123", false, &z), 1);
	assert_int_equal(match(f->s, "Glock", "OBC555", true, &z), 3);
	assert_true(z.c[0].id == 3);
	assert_int_equal(stats(f->s).records, 6);
}

/* ---- bulk adds ---- */

static void test_bulk_files_twins_by_a_misread_character(void **state)
{
	struct fix *f = *state;
	struct fix_batch b = { 0 };
	struct found z;
	struct seen s;

	assert_int_equal(add(f->s, "Glock", "19", "OBC555"), 1);
	fix_push(&b, "Glock", "19", "ABC123");
	fix_push(&b, "Glock", "19", "A8C123");    /* twin of the row before */
	fix_push(&b, "glock", "19", "abc 123");   /* the first row again */
	fix_push(&b, "Glock", "19", "0BC555");    /* twin of the one on file */
	fix_push(&b, "Glock", "19", "OBC555");    /* the one on file */
	fix_push(&b, "Glock", "G19", "A8C123");   /* "G19" and "19" are other models to add */
	assert_int_equal(store_write(f->s, fix_op_bulk, &b), 0);
	assert_int_equal(b.added, 4);
	assert_true(b.rows[0].id == 2);
	assert_true(b.rows[1].id == 3);
	assert_true(b.rows[2].id == 0);
	assert_true(b.rows[3].id == 4);
	assert_true(b.rows[4].id == 0);
	assert_true(b.rows[5].id == 5);
	assert_int_equal(find(f->s, "Glock", "ABC123", &s), 1);
	assert_int_equal(find(f->s, "Glock", "A8C123", &s), 2);
	assert_int_equal(match(f->s, "Glock", "ABC123", true, &z), 3);
	assert_true(z.c[0].id == 2);
	assert_int_equal(match(f->s, "Glock", "0BC555", false, &z), 1);
	assert_true(z.c[0].id == 4);
	fix_batch_done(&b);
}

/* ---- odd serials ---- */

static void test_long_and_non_ascii_serials(void **state)
{
	char s47[TN_SERIAL_LEN], t47[TN_SERIAL_LEN];
	const char *long_make = "Compania Nacional de Armas y Municiones del Pacifico Sur";
	struct store *st = ((struct fix *)*state)->s;
	struct tn_record r;
	struct found z;

	for (int i = 0; i < TN_SERIAL_LEN - 1; i++)
		s47[i] = "ACEFHJKMNPRTWXY"[i % 15];
	s47[TN_SERIAL_LEN - 1] = '\0';
	memcpy(t47, s47, sizeof t47);
	t47[20] = s47[21];
	t47[21] = s47[20];
	add(st, long_make, "X1", s47);
	add(st, "Glock", "19", "\xd0\xbb\xd1\x83" "1234");
	assert_int_equal(match(st, long_make, s47, false, &z), 1);
	assert_true(z.c[0].exact);
	assert_int_equal(match(st, long_make, t47, true, &z), 1);
	assert_int_equal(z.c[0].kind, MATCH_TRANSPOSITION);
	assert_string_equal(z.c[0].reason, "transposition 21-22");
	assert_int_equal(match(st, "Glock", "\xd0\xbb\xd1\x83" "1234",
			       false, &z), 1);
	assert_int_equal(match(st, "Glock", "\xd0\xbb\xd1\x83" "1235",
			       true, &z), 1);
	assert_int_equal(z.c[0].kind, MATCH_SUBSTITUTION);
	assert_int_equal(match(st, NULL, "\xd0\xbb\xd1\x83" "12?4", true,
			       &z), 1);
	/* A serial with '?' is not filed: '?' means unreadable in searches. */
	r = rec("Glock", "19", "AB?123");
	assert_int_equal(store_write(st, op_record, &r), TN_ERR_INVALID);
}

/* Serials may hold '_', '#' or non-ASCII letters (validation lets them
 * through): they fold to one class, which the search enumerates like any
 * other, so '?', a substitution or a missing byte finds them. */
static void test_search_covers_characters_outside_the_alphabet(void **state)
{
	static const struct {
		const char *query;
		enum match_kind kind;
	} t[] = {
		{ "AB?123", MATCH_UNREADABLE },
		{ "ABX123", MATCH_SUBSTITUTION },
		{ "AB123", MATCH_MISSING },
		{ "\xd0\xbb?\x83" "1234", MATCH_UNREADABLE },
		{ "\xd0\xbb\xd1\x84" "1234", MATCH_CONFUSABLE }, /* non-ASCII bytes: one class */
		{ "\xd0\xbb" "\x83" "1234", MATCH_MISSING },
	};
	struct fix *f = *state;
	struct found z;
	int bad = 0;

	add(f->s, "Glock", "19", "AB#123");
	add(f->s, "Glock", "19", "\xd0\xbb\xd1\x83" "1234");
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		if (match(f->s, "Glock", t[i].query, true, &z) == 1 && z.c[0].kind == t[i].kind)
			continue;
		print_error("'%s': %d candidates (kind %d), want 1 of kind %d\n", t[i].query, z.n,
			    z.n > 0 ? (int)z.c[0].kind : -1, t[i].kind);
		bad++;
	}
	assert_int_equal(bad, 0);
}

/* ---- against a brute force over every record ---- */

static uint32_t lcg(uint32_t *x)
{
	*x = *x * 1103515245u + 12345u;
	return *x >> 16;
}

/* A serial of 5 to 7 characters of alpha with unread of them '?': up to
 * two anywhere, three only after STORE_MATCH_PREFIX read ones. */
static void random_serial(uint32_t *x, char *out, const char *alpha, int unread)
{
	int len = 5 + (int)(lcg(x) % 3), from = unread > 2 ? STORE_MATCH_PREFIX : 0;

	for (int i = 0; i < len; i++)
		out[i] = alpha[lcg(x) % strlen(alpha)];
	for (int i = 0; i < unread; i++)
		out[from + (int)(lcg(x) % (uint32_t)(len - from))] = '?';
	out[len] = '\0';
}

struct brute {
	const struct match_query *q;
	struct match_top top;
};

static void brute_add(struct brute *b, const struct match_fields *fl, uint64_t id)
{
	struct match_cand c;
	int rc = match_score(b->q, fl, id, &c);

	if (rc == TN_ERR_NOT_FOUND)
		return;
	assert_int_equal(rc, 0);
	if (b->q->fuzzy || c.exact)
		match_top_add(&b->top, &c);
}

static int brute_stolen(void *arg, const struct tn_stolen *st)
{
	struct match_fields fl = { st->make, st->model, st->caliber, NULL, st->serial, NULL };

	brute_add(arg, &fl, st->id);
	return 0;
}

/* The best k for q found by scoring every record (or open report). */
static uint32_t brute(struct store *s, bool stolen, uint64_t last, const struct match_query *q,
		      struct match_cand *out, uint32_t k)
{
	struct brute b = { q, { out, 0, k } };
	struct store_txn *t;
	struct tn_record r;

	assert_int_equal(store_read_begin(s, &t), 0);
	if (stolen)
		assert_true(store_stolen_each(t, 1, brute_stolen, &b) >= 0);
	for (uint64_t id = 1; !stolen && id <= last; id++) {
		struct match_fields fl = { r.make, r.model, r.caliber, r.type, r.serial, r.importer };

		assert_int_equal(store_record_get(t, id, &r), 0);
		brute_add(&b, &fl, r.id);
		proto_release(&proto_record_schema, &r);
	}
	store_read_end(t);
	return b.top.n;
}

/* Read one character of serial as another of its class. */
static void misread(uint32_t *x, char *serial)
{
	const char *from = "B8O0DI17S5", *to = "8BD0O71I5S";
	size_t i = lcg(x) % strlen(serial);
	const char *p = strchr(from, serial[i]);

	if (p)
		serial[i] = to[p - from];
}

/* Swap two neighbouring characters of serial. */
static void swap_neighbours(uint32_t *x, char *serial)
{
	size_t i = lcg(x) % (strlen(serial) - 1);
	char ch = serial[i];

	serial[i] = serial[i + 1];
	serial[i + 1] = ch;
}

/* Misread serial in one of five ways: not at all, a confusable
 * character, two neighbours swapped, one character dropped or added. */
static void deform(uint32_t *x, char *serial, int how)
{
	size_t n = strlen(serial), i = lcg(x) % n;

	if (how == 1)
		misread(x, serial);
	else if (how == 2)
		swap_neighbours(x, serial);
	else if (how == 3)
		memmove(serial + i, serial + i + 1, n - i);
	else if (how == 4) {
		memmove(serial + i + 1, serial + i, n - i + 1);
		serial[i] = 'X';
	}
}

static const char *oracle_makes[] = { "Glock", "Smith & Wesson", "Ruger", "Century Arms" };
static const char *oracle_alpha = "AB8O0DC1I7S5";

/* Run 200 random queries (some of a serial on file) against the store
 * and the brute force; every kind must turn up. */
static void oracle_queries(struct store *s, bool stolen, uint64_t last, char (*filed)[8],
			   int nfiled, uint32_t x)
{
	uint32_t kinds[8] = { 0 };
	char serial[TN_SERIAL_LEN];
	struct match_cand want[CAND_MAX];
	struct found z;

	for (int i = 0; i < 200; i++) {
		struct match_query q;
		const char *make = i % 4 == 0 || i % 5 == 1 ? NULL : oracle_makes[i % 4];
		uint32_t k = 1 + lcg(&x) % 12, n;
		int rc;

		random_serial(&x, serial, oracle_alpha, i % 5 == 4 ? 1 + (int)(lcg(&x) % 3) : 0);
		if (i % 5 == 1) {  /* one on file, read right or misread */
			snprintf(serial, sizeof serial, "%s", filed[lcg(&x) % (uint32_t)nfiled]);
			deform(&x, serial, i / 5 % 5);
		}
		assert_int_equal(match_query_init(&q, make, serial, i % 3 ? NULL : "19", NULL,
						  NULL, i % 2), 0);
		n = brute(s, stolen, last, &q, want, k);
		rc = match_q(s, stolen, &q, k, &z);
		if (rc != (int)n)
			fail_msg("%s '%s' k %u: %d candidates, brute force %u", make ? make : "-",
				 serial, k, rc, n);
		for (uint32_t j = 0; j < n; j++) {
			if (z.c[j].id != want[j].id || z.c[j].score != want[j].score ||
			    z.c[j].kind != want[j].kind || z.c[j].exact != want[j].exact ||
			    strcmp(z.c[j].reason, want[j].reason))
				fail_msg("%s '%s' #%u: %llu %d '%s', brute force %llu %d '%s'",
					 make ? make : "-", serial, j,
					 (unsigned long long)z.c[j].id, z.c[j].score, z.c[j].reason,
					 (unsigned long long)want[j].id, want[j].score,
					 want[j].reason);
			kinds[z.c[j].kind]++;
		}
	}
	for (int kd = MATCH_EXACT; kd <= MATCH_MISSING; kd++)
		if (!kinds[kd])
			fail_msg("no candidate of kind %d was seen", kd);
}

static void test_match_agrees_with_a_brute_force_search(void **state)
{
	static const char *models[] = { "19", "G17", "686", "LCP" };
	struct fix *f = *state;
	uint32_t x = 20261130;
	uint64_t last = 0;
	char filed[300][8];

	for (int i = 0; i < 300; i++) {
		struct tn_record r;

		random_serial(&x, filed[i], oracle_alpha, 0);
		r = rec(oracle_makes[lcg(&x) % 3], models[lcg(&x) % 4], filed[i]);
		if (lcg(&x) % 8 == 0)
			strcpy(r.importer, lcg(&x) % 2 ? "Glock Inc." : "Century Arms");
		if (store_write(f->s, op_record, &r) == 0)
			last = r.id;
	}
	assert_true(last > 250);
	oracle_queries(f->s, false, last, filed, 300, 7);
}

static void test_stolen_match_agrees_with_a_brute_force_search(void **state)
{
	struct fix *f = *state;
	uint32_t x = 4242;
	char filed[200][8];

	for (int i = 0; i < 200; i++) {
		struct recover_arg ra = { 0, "2024-01-10", { 0 } };

		random_serial(&x, filed[i], oracle_alpha, 0);
		ra.id = add_stolen(f->s, oracle_makes[lcg(&x) % 3], filed[i]);
		if (i % 4 == 0)
			assert_int_equal(store_write(f->s, op_recover, &ra), 0);
	}
	oracle_queries(f->s, true, 0, filed, 200, 11);
}

/* ---- a version-1 store ---- */

struct v1_arg {
	uint64_t version;
	const char *serial[4], *make[4];
	uint64_t rec_id[4];
	int n;
	const char *st_serial, *st_make;
	uint64_t st_id;
};

/* Put the version-1 key (serial 0x00 make) for id into idx. */
static int v1_key_put(struct store_txn *t, enum store__db idx, const char *make,
		      const char *serial, uint64_t id)
{
	uint8_t kb[TN_SERIAL_LEN + 1 + TN_MAKE_LEN], vb[8];
	int ns = proto_norm_serial(serial, (char *)kb, TN_SERIAL_LEN);
	int nm = proto_norm_make(make, (char *)kb + ns + 1, TN_MAKE_LEN);
	MDB_val k = { (size_t)ns + 1 + (size_t)nm, kb }, v = { sizeof vb, vb };

	if (ns <= 0 || nm <= 0)
		return TN_ERR_INVALID;
	kb[ns] = 0;
	store__be64_put(vb, id);
	return store__put(t, idx, &k, &v, MDB_NODUPDATA);
}

/* Make the store look as version 1 left it: the old keys in both serial
 * indexes, and the old version number. */
static int op_make_v1(struct store_txn *t, void *arg)
{
	struct v1_arg *a = arg;
	int rc;

	if ((rc = store__rc(t, mdb_drop(t->txn, t->s->dbi[STORE_DB_SERIAL_IDX], 0))) ||
	    (rc = store__rc(t, mdb_drop(t->txn, t->s->dbi[STORE_DB_STOLEN_IDX], 0))))
		return rc;
	for (int i = 0; i < a->n && !rc; i++)
		rc = v1_key_put(t, STORE_DB_SERIAL_IDX, a->make[i], a->serial[i], a->rec_id[i]);
	if (!rc)
		rc = v1_key_put(t, STORE_DB_STOLEN_IDX, a->st_make, a->st_serial, a->st_id);
	if (!rc)
		rc = store__u64_put(t, STORE_META_VERSION, a->version);
	return rc;
}

static int op_version(struct store_txn *t, void *arg)
{
	return store__u64_get(t, STORE_META_VERSION, arg);
}

static void test_version_1_store_is_reindexed_at_open(void **state)
{
	struct fix *f = *state;
	struct v1_arg a = {
		.version = 1,
		.serial = { "ABC123", "ABC128", "A8C123", "ABC123" },
		.make = { "Glock", "Glock", "Glock", "Smith & Wesson" },
		.rec_id = { G_ABC123, G_ABC128, G_A8C123, SW_ABC123 },
		.n = 4,
		.st_serial = "XYZ789",
		.st_make = "Glock",
	};
	struct tn_record dup = rec("Glock", "G19", "ABC-123");
	uint64_t version = 0;
	struct found z;
	struct seen s;

	seed(f->s);
	/* NORINCO_NC gets no key at all: the rebuild files it from its record. */
	a.st_id = add_stolen(f->s, a.st_make, a.st_serial);
	assert_int_equal(store_write(f->s, op_make_v1, &a), 0);

	reopen(f, 0, 0);
	assert_int_equal(store_write(f->s, op_version, &version), 0);
	assert_int_equal(version, STORE_VERSION);
	assert_int_equal(STORE_VERSION, 2);
	assert_int_equal(find(f->s, "Glock", "ABC123", &s), 1);
	assert_true(s.ids[0] == G_ABC123);
	assert_int_equal(find(f->s, NULL, "ABC123", &s), 2);
	assert_int_equal(find(f->s, "Norinco", "NC5512345", &s), 1);
	assert_int_equal(find_stolen(f->s, "Glock", "XYZ789", &s), 1);
	assert_int_equal(match(f->s, "Glock", "ABC123", true, &z), 3);
	assert_true(z.c[0].id == G_ABC123);
	assert_true(z.c[1].id == G_A8C123);
	assert_int_equal(match(f->s, "Century International Arms", "NC55I2345", true, &z), 1);
	assert_int_equal(match_in(f->s, true, "Glock", "XYZ78", true, 10, &z), 1);
	assert_true(z.c[0].id == a.st_id);
	/* Duplicates are still refused, and ids go on where they were. */
	assert_int_equal(store_write(f->s, op_record, &dup), TN_ERR_EXISTS);
	assert_int_equal(add(f->s, "Glock", "19", "NEW-1"), NORINCO_NC + 1);
	/* A second open has nothing left to do. */
	reopen(f, 0, 0);
	assert_int_equal(match(f->s, NULL, "ABC123", false, &z), 2);
	assert_int_equal(stats(f->s).records, NORINCO_NC + 1);
}

static void test_unknown_newer_version_is_refused(void **state)
{
	struct fix *f = *state;
	struct v1_arg a = { .version = STORE_VERSION + 1, .n = 0,
			    .st_serial = "X1", .st_make = "Glock", .st_id = 1 };

	assert_int_equal(store_write(f->s, op_make_v1, &a), 0);
	store_close(f->s);
	f->s = NULL;
	assert_int_equal(store_open(&f->s, f->dir, 0, 0), TN_ERR_UNSUPPORTED);
	assert_null(f->s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(fn) cmocka_unit_test_setup_teardown(fn, fix_setup, fix_teardown)
		T(test_exact_lookup_returns_only_the_same_serial),
		T(test_fuzzy_finds_confusables_after_the_exact_one),
		T(test_fuzzy_finds_one_edit_neighbours),
		T(test_short_serials_get_no_edits),
		T(test_unreadable_characters_anywhere),
		T(test_too_many_unreadable_characters_is_a_limit),
		T(test_importer_stands_for_the_make),
		T(test_k_keeps_the_best),
		T(test_without_make_every_make_is_searched),
		T(test_stolen_match_returns_open_reports_only),
		T(test_empty_store_has_no_candidates),
		T(test_twins_by_a_misread_character_are_both_filed),
		T(test_bulk_files_twins_by_a_misread_character),
		T(test_long_and_non_ascii_serials),
		T(test_search_covers_characters_outside_the_alphabet),
		T(test_match_agrees_with_a_brute_force_search),
		T(test_stolen_match_agrees_with_a_brute_force_search),
		T(test_version_1_store_is_reindexed_at_open),
		T(test_unknown_newer_version_is_refused),
#undef T
	};

	if (getenv("TEST_FILTER"))
		cmocka_set_test_filter(getenv("TEST_FILTER"));
	return cmocka_run_group_tests(tests, NULL, NULL);
}
