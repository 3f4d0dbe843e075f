/* SPDX-License-Identifier: Apache-2.0 */
/* Serial matching: the classes of characters misread for each other,
 * the query normalized once, and how a serial on file relates to the one
 * read off a gun (the kind of match). Scores and reasons: match_score.c. */
#include <string.h>

#include "match.h"
#include "proto.h"
#include "proto_int.h"

char match_fold(char ch)
{
	switch (ch) {
	case 'O': case 'D': case 'Q': return '0';
	case 'I': case 'L': case '7': return '1';
	case 'S': return '5';
	case 'B': return '8';
	case 'Z': return '2';
	case 'G': return '6';
	case 'U': return 'V';
	default:
		if ((ch >= '0' && ch <= '9') || (ch >= 'A' && ch <= 'Z') || ch == MATCH_UNREAD_CHAR)
			return ch;
		return MATCH_OTHER_CHAR;
	}
}

int match_fold_serial(const char *in, char *out, size_t cap)
{
	size_t n = strlen(in);

	if (!n || n >= cap)
		return TN_ERR_INVALID;
	for (size_t i = 0; i < n; i++)
		out[i] = match_fold(in[i]);
	out[n] = '\0';
	return (int)n;
}

static int is_alnum(unsigned char ch)
{
	return (ch >= '0' && ch <= '9') || (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z');
}

size_t proto__squash(const char *in, char *out, size_t cap)
{
	size_t n = 0;

	for (const unsigned char *p = (const unsigned char *)in; *p && n + 1 < cap; p++)
		if (is_alnum(*p))
			out[n++] = (char)(*p >= 'a' ? *p - 'a' + 'A' : *p);
	out[n] = '\0';
	return n;
}

static int is_digit(char ch)
{
	return ch >= '0' && ch <= '9';
}

/* Drop prefix p from s when something is left after it. */
static char *strip(char *s, const char *p)
{
	size_t n = strlen(p);

	return n && !strncmp(s, p, n) && s[n] ? s + n : s;
}

int match_norm_model(const char *make_norm, const char *model, char *out, size_t cap)
{
	char buf[TN_MODEL_LEN], *s;
	size_t n;

	if (!model || !cap)
		return TN_ERR_INVALID;
	proto__squash(model, buf, sizeof(buf));
	s = strip(buf, make_norm ? make_norm : "");
	s = strip(s, "MODEL");
	if (make_norm && s[0] && s[0] == make_norm[0] && is_digit(s[1]))
		s++;
	if ((n = strlen(s)) >= cap)
		return TN_ERR_INVALID;
	memcpy(out, s, n + 1);
	return (int)n;
}

int match_query_init(struct match_query *q, const char *make, const char *serial,
		     const char *model, const char *caliber, const char *type, bool fuzzy)
{
	int n;

	memset(q, 0, sizeof(*q));
	if (!serial || (n = proto_norm_serial(serial, q->serial, sizeof(q->serial))) <= 0 ||
	    match_fold_serial(q->serial, q->fold, sizeof(q->fold)) != n)
		return TN_ERR_INVALID;
	q->len = (uint32_t)n;
	for (int i = 0; i < n; i++)
		q->unreadable += q->serial[i] == MATCH_UNREAD_CHAR;
	if (q->unreadable == q->len)
		return TN_ERR_INVALID;
	if (make && *make && proto_norm_make(make, q->make, sizeof(q->make)) <= 0)
		return TN_ERR_INVALID;
	if (model && match_norm_model(q->make, model, q->model, sizeof(q->model)) < 0)
		q->model[0] = '\0';
	proto__squash(caliber ? caliber : "", q->caliber, sizeof(q->caliber));
	proto__squash(type ? type : "", q->type, sizeof(q->type));
	q->fuzzy = fuzzy || q->unreadable;
	return 0;
}

/* Same length: where the readable characters of a (the query) differ from
 * b; the count, the first two positions in at[]. */
static int mismatches(const char *a, const char *b, size_t n, size_t at[2])
{
	int d = 0;

	for (size_t i = 0; i < n; i++)
		if (a[i] != MATCH_UNREAD_CHAR && a[i] != b[i] && d++ < 2)
			at[d - 1] = i;
	return d;
}

/* 1 when deleting one character of the longer string gives the shorter. */
static int one_deletion(const char *lng, size_t n, const char *shrt)
{
	size_t i = 0;

	while (i < n - 1 && lng[i] == shrt[i])
		i++;
	return !memcmp(lng + i + 1, shrt + i, n - 1 - i);
}

enum match_kind match_serial_kind(const struct match_query *q, const char *fold, size_t len)
{
	int edits = q->fuzzy && !q->unreadable && q->len >= MATCH_EDIT_MIN_LEN;
	size_t at[2];
	int d;

	if (len == q->len) {
		d = mismatches(q->fold, fold, len, at);
		if (!d)
			return q->unreadable ? MATCH_UNREADABLE : MATCH_EXACT;
		if (!edits || d > 2)
			return MATCH_NONE;
		if (d == 1)
			return MATCH_SUBSTITUTION;
		return at[1] == at[0] + 1 && q->fold[at[0]] == fold[at[1]] &&
		       q->fold[at[1]] == fold[at[0]] ? MATCH_TRANSPOSITION : MATCH_NONE;
	}
	if (!edits)
		return MATCH_NONE;
	if (len + 1 == q->len && one_deletion(q->fold, q->len, fold))
		return MATCH_EXTRA;
	if (len == q->len + 1 && one_deletion(fold, len, q->fold))
		return MATCH_MISSING;
	return MATCH_NONE;
}

