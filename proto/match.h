/* SPDX-License-Identifier: Apache-2.0 */
/* Serial matching: how a serial read off a recovered gun relates to one on
 * file (the same, misread characters, unreadable ones written '?', one
 * edit), whether the make, model, caliber and type agree, and the score
 * and reason that rank the candidates. Pure: the store walks its index
 * with these and hands each candidate's fields to match_score. */
#ifndef TN_MATCH_H
#define TN_MATCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "record.h"

#define MATCH_K_DEFAULT 10   /* candidates returned unless asked otherwise */
#define MATCH_K_MAX 50
#define MATCH_REASON_LEN TN_REASON_LEN
#define MATCH_UNREAD_CHAR '?'
/* Serials shorter than this get no one-edit search: too many neighbours. */
#define MATCH_EDIT_MIN_LEN 5
/* Every other byte of a normalized serial (punctuation it keeps, each
 * byte of a non-ASCII letter) folds to this one. */
#define MATCH_OTHER_CHAR '~'
/* The folded alphabet: the characters a folded serial is made of. */
#define MATCH_ALPHABET "012345689ACEFHJKMNPRTVWXY~"

enum match_kind {
	MATCH_NONE = 0,
	MATCH_EXACT,         /* the same normalized serial */
	MATCH_CONFUSABLE,    /* differs only in characters misread for each other */
	MATCH_UNREADABLE,    /* agrees wherever the query could be read */
	MATCH_TRANSPOSITION, /* two neighbours swapped */
	MATCH_SUBSTITUTION,  /* one other character */
	MATCH_EXTRA,         /* the query has one character too many */
	MATCH_MISSING,       /* the query lacks one character */
};

/* What is looked for, normalized once. */
struct match_query {
	char serial[TN_SERIAL_LEN];   /* normalized; '?' where unreadable */
	char fold[TN_SERIAL_LEN];     /* serial folded (match_fold) */
	char make[TN_MAKE_LEN];       /* normalized make, or empty */
	char model[TN_MODEL_LEN];     /* match_norm_model, or empty */
	char caliber[TN_CALIBER_LEN]; /* upper-case alphanumerics, or empty */
	char type[TN_TYPE_LEN];       /* upper-case alphanumerics, or empty */
	uint32_t len;                 /* of serial */
	uint32_t unreadable;          /* '?' in serial */
	bool fuzzy;                   /* candidates beyond the exact serial */
};

/* The fields of a record (or stolen report) a candidate is judged on;
 * type and importer may be NULL. */
struct match_fields {
	const char *make, *model, *caliber, *type, *serial, *importer;
};

struct match_cand {
	uint64_t id;
	int32_t score;                 /* 0..100 (100: exact only); higher is likelier */
	enum match_kind kind;
	bool exact;                    /* same serial and (if given) make */
	char reason[MATCH_REASON_LEN]; /* "exact", "confusable O→0 at 3", ... */
};

/* The best k candidates seen so far, best first. */
struct match_top {
	struct match_cand *c;
	uint32_t n, k;
};

/* The representative of ch's class of characters misread for each other
 * (O D Q -> 0, I L 7 -> 1, S -> 5, B -> 8, Z -> 2, G -> 6, U -> V); ch
 * itself for the other digits, capitals and '?'; MATCH_OTHER_CHAR for
 * any other byte. ch is upper-case. */
char match_fold(char ch);
/* Fold the normalized serial in (keeping '?'); the length, or an error. */
int match_fold_serial(const char *in, char *out, size_t cap) TN_WUR;
/* Model without the make and spelling around it: for make GLOCK, "G19",
 * "Glock 19" and "19" all give "19". The length, or an error. */
int match_norm_model(const char *make_norm, const char *model, char *out, size_t cap) TN_WUR;
/* Fill q from what the officer read; fuzzy is forced on when the serial
 * holds '?'. TN_ERR_INVALID when the serial is empty or does not
 * normalize, or the make does not. */
int match_query_init(struct match_query *q, const char *make, const char *serial,
		     const char *model, const char *caliber, const char *type, bool fuzzy) TN_WUR;
/* How the normalized, folded serial (as the index holds it) relates to
 * q's: a kind other than MATCH_NONE when it may be a candidate. Cheap:
 * the store calls it on index keys before reading any record. */
enum match_kind match_serial_kind(const struct match_query *q, const char *fold, size_t len);
/* Judge candidate f with id id against q into c. 0 when it is one;
 * TN_ERR_NOT_FOUND when not (another make, or the serial is too far). */
int match_score(const struct match_query *q, const struct match_fields *f, uint64_t id,
		struct match_cand *c) TN_WUR;
/* Keep c if it is among the best top->k (exact first, then by score,
 * then by id). */
void match_top_add(struct match_top *top, const struct match_cand *c);

#endif
