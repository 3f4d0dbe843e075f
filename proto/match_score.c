/* SPDX-License-Identifier: Apache-2.0 */
/* Serial matching: the score and reason of a candidate (the kind of its
 * serial's match, each misread character, the make through the importer,
 * model, caliber and type agreeing or not), and the best k kept in order. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "match.h"
#include "proto.h"
#include "proto_int.h"

/* What the serial part of a score starts from, by kind. */
static const int32_t base_score[] = {
	[MATCH_EXACT] = 100, [MATCH_CONFUSABLE] = 94, [MATCH_UNREADABLE] = 90,
	[MATCH_TRANSPOSITION] = 80, [MATCH_SUBSTITUTION] = 72, [MATCH_EXTRA] = 72,
	[MATCH_MISSING] = 72,
};

#define CONFUSABLE_COST 3   /* each misread character after the first */
#define UNREADABLE_COST 2   /* each unreadable character after the first */
#define IMPORTER_COST 12
#define MODEL_AGREES 5
#define MODEL_CLOSE 1
#define MODEL_DIFFERS 8
#define CALIBER_WEIGHT 3
#define TYPE_WEIGHT 2

/* A serial byte as a reason shows it: '*' for one that is not printable
 * ASCII (a byte of a non-ASCII letter). */
static char shown(char ch)
{
	return ch > ' ' && ch < 0x7f ? ch : '*';
}

/* Append to c's reason, separated by ", ". */
static void __attribute__((format(printf, 2, 3))) say(struct match_cand *c, const char *fmt, ...)
{
	size_t n = strlen(c->reason);
	va_list ap;

	if (n && n + 2 < sizeof(c->reason))
		memcpy(c->reason + n, ", ", 3), n += 2;
	if (n >= sizeof(c->reason) - 1)
		return;
	va_start(ap, fmt);
	vsnprintf(c->reason + n, sizeof(c->reason) - n, fmt, ap);
	va_end(ap);
}

/* Name the characters of a (the query) misread for those of b, both of
 * one length; their count. */
static int say_confusables(struct match_cand *c, const char *a, const char *b)
{
	int n = 0;

	for (uint32_t i = 0; a[i]; i++) {
		if (a[i] == MATCH_UNREAD_CHAR || a[i] == b[i])
			continue;
		if (n++ < 3)
			say(c, "confusable %c→%c at %u", shown(a[i]), shown(b[i]), i + 1);
	}
	if (n > 3)
		say(c, "%d more", n - 3);
	return n;
}

/* First position where a and b differ. */
static size_t first_diff(const char *a, const char *b)
{
	size_t i = 0;

	while (a[i] && a[i] == b[i])
		i++;
	return i;
}

/* Drop the character at i from s (of length n). */
static void drop_at(char *s, size_t n, size_t i)
{
	memmove(s + i, s + i + 1, n - i);
}

/* Characters where a and b, of one length, differ. */
static int differences(const char *a, const char *b)
{
	int n = 0;

	for (; *a; a++, b++)
		n += *a != *b;
	return n;
}

/* For an extra (or missing) character: of the places where dropping one
 * character of the query's (or the record's) folded serial leaves the
 * other's, the one that leaves the fewest misreads. A dropped 7 beside a
 * 1 is one drop, not a drop and a misread. */
static size_t drop_place(const char *lng_fold, const char *lng, const char *shrt_fold,
			 const char *shrt)
{
	size_t n = strlen(lng), best = 0;
	int fewest = -1, d;
	char tmp[TN_SERIAL_LEN];

	for (size_t i = 0; i < n; i++) {
		if (memcmp(lng_fold, shrt_fold, i) || strcmp(lng_fold + i + 1, shrt_fold + i))
			continue;
		memcpy(tmp, lng, n + 1);
		drop_at(tmp, n, i);
		d = differences(tmp, shrt);
		if (fewest < 0 || d < fewest) {
			fewest = d;
			best = i;
		}
	}
	return best;
}

/* Where the one edit of kind k between q and record r (folded rf) is. */
static size_t edit_place(const struct match_query *q, const char *r, const char *rf,
			 enum match_kind k)
{
	if (k == MATCH_EXTRA)
		return drop_place(q->fold, q->serial, rf, r);
	if (k == MATCH_MISSING)
		return drop_place(rf, r, q->fold, q->serial);
	return first_diff(q->fold, rf);
}

/* Say the one edit of kind k at i, then undo it in qa (the query) or ra
 * (the record), so that what is left to tell them apart are misreads. */
static void say_edit(struct match_cand *c, enum match_kind k, size_t i, char *qa, char *ra)
{
	size_t n = strlen(qa);
	char t;

	switch (k) {
	case MATCH_TRANSPOSITION:
		say(c, "transposition %zu-%zu", i + 1, i + 2);
		t = qa[i], qa[i] = qa[i + 1], qa[i + 1] = t;
		break;
	case MATCH_SUBSTITUTION:
		say(c, "substitution %c→%c at %zu", shown(qa[i]), shown(ra[i]), i + 1);
		qa[i] = ra[i];
		break;
	case MATCH_EXTRA:
		say(c, "extra character %c at %zu", shown(qa[i]), i + 1);
		drop_at(qa, n, i);
		break;
	default: /* MATCH_MISSING */
		say(c, "missing character %c at %zu", shown(ra[i]), i + 1);
		drop_at(ra, strlen(ra), i);
		break;
	}
}

/* The reason and serial score of a candidate r (folded rf) of kind k. */
static int32_t judge_serial(struct match_cand *c, const struct match_query *q,
			    const char *r, const char *rf, enum match_kind k)
{
	char qa[TN_SERIAL_LEN], ra[TN_SERIAL_LEN];
	int32_t score = base_score[k];
	int n;

	memcpy(qa, q->serial, sizeof(qa));
	memcpy(ra, r, sizeof(ra));
	if (k == MATCH_EXACT) {
		if (!(n = say_confusables(c, qa, ra))) {
			say(c, "exact");
			return score;
		}
		c->kind = MATCH_CONFUSABLE;
		return base_score[MATCH_CONFUSABLE] - CONFUSABLE_COST * (n - 1);
	}
	if (k == MATCH_UNREADABLE) {
		say(c, "%u unreadable", q->unreadable);
		score -= UNREADABLE_COST * (int32_t)(q->unreadable - 1);
	} else {
		say_edit(c, k, edit_place(q, r, rf, k), qa, ra);
	}
	return score - CONFUSABLE_COST * say_confusables(c, qa, ra);
}

/* +w when both are given and equal, -w when both are given and differ. */
static int32_t agree(const char *a, const char *b, int32_t w)
{
	return !a[0] || !b[0] ? 0 : strcmp(a, b) ? -w : w;
}

/* What model, caliber and type add to the score. */
static int32_t judge_rest(const struct match_query *q, const struct match_fields *f,
			  const char *make)
{
	char m[TN_MODEL_LEN] = "", cal[TN_CALIBER_LEN], ty[TN_TYPE_LEN];
	int32_t s = 0;

	if (q->model[0] && f->model && match_norm_model(make, f->model, m, sizeof(m)) > 0) {
		if (!strcmp(q->model, m))
			s += MODEL_AGREES;
		else if (!strncmp(q->model, m, strlen(q->model) < strlen(m) ?
				  strlen(q->model) : strlen(m)))
			s += MODEL_CLOSE;
		else
			s -= MODEL_DIFFERS;
	}
	proto__squash(f->caliber ? f->caliber : "", cal, sizeof(cal));
	proto__squash(f->type ? f->type : "", ty, sizeof(ty));
	return s + agree(q->caliber, cal, CALIBER_WEIGHT) + agree(q->type, ty, TYPE_WEIGHT);
}

/* 0 when f's make is q's (or q has none), 1 when f's importer is, else -1. */
static int make_relation(const struct match_query *q, const struct match_fields *f,
			 char make[TN_MAKE_LEN])
{
	char imp[TN_MAKE_LEN];

	if (proto_norm_make(f->make ? f->make : "", make, TN_MAKE_LEN) <= 0)
		make[0] = '\0';
	if (!q->make[0] || !strcmp(q->make, make))
		return 0;
	return f->importer && proto_norm_make(f->importer, imp, sizeof(imp)) > 0 &&
	       !strcmp(imp, q->make) ? 1 : -1;
}

int match_score(const struct match_query *q, const struct match_fields *f, uint64_t id,
		struct match_cand *c)
{
	char r[TN_SERIAL_LEN], rf[TN_SERIAL_LEN], make[TN_MAKE_LEN];
	int n, via;
	int32_t score;

	if (!f->serial || (n = proto_norm_serial(f->serial, r, sizeof(r))) <= 0 ||
	    match_fold_serial(r, rf, sizeof(rf)) != n)
		return TN_ERR_NOT_FOUND;
	memset(c, 0, sizeof(*c));
	if ((c->kind = match_serial_kind(q, rf, (size_t)n)) == MATCH_NONE ||
	    (via = make_relation(q, f, make)) < 0)
		return TN_ERR_NOT_FOUND;
	if (!q->fuzzy && (via || strcmp(q->serial, r)))
		return TN_ERR_NOT_FOUND;
	c->id = id;
	score = judge_serial(c, q, r, rf, c->kind);
	c->exact = c->kind == MATCH_EXACT && !via;
	if (via) {
		say(c, "importer as make");
		score -= IMPORTER_COST;
	}
	score += judge_rest(q, f, make);
	/* 100 is for the exact serial under the make asked about alone */
	c->score = score < 0 ? 0 : score > 99 + c->exact ? 99 + c->exact : score;
	return 0;
}

/* 1 when a ranks before b. */
static int before(const struct match_cand *a, const struct match_cand *b)
{
	if (a->exact != b->exact)
		return a->exact;
	if (a->score != b->score)
		return a->score > b->score;
	return a->id < b->id;
}

void match_top_add(struct match_top *top, const struct match_cand *c)
{
	uint32_t i = top->n;

	for (uint32_t j = 0; j < top->n; j++)
		if (top->c[j].id == c->id)
			return;   /* one record is met once per key; keep the first */
	if (!top->k || (top->n == top->k && !before(c, &top->c[top->n - 1])))
		return;
	if (top->n < top->k)
		top->n++;
	else
		i = top->n - 1;
	for (; i > 0 && before(c, &top->c[i - 1]); i--)
		top->c[i] = top->c[i - 1];
	top->c[i] = *c;
}
