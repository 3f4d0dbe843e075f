/* SPDX-License-Identifier: Apache-2.0 */
/* Streaming RFC 4180 CSV parser for imports: each row is handed over with the
 * physical line it starts on; rows breaking a limit or the quoting are skipped. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "proto.h"

/* Field bytes of one row, each field NUL-terminated. */
#define TEXT_MAX ((size_t)PROTO_CSV_MAX_FIELDS * (PROTO_CSV_MAX_FIELD + 1))
/* First size of the growing buffers. */
#define BUF_MIN ((size_t)4096)
/* Raw bytes kept of a row spanning lines, to read them again after a quoting
 * error: as much as a row within the limits can take. */
#define RAW_MAX ((size_t)PROTO_CSV_MAX_FIELDS * (2 * PROTO_CSV_MAX_FIELD + 3))
/* Bytes read again may exceed the bytes fed by at most this much, so that
 * hostile input cannot make the parse quadratic. */
#define REPLAY_SLACK ((uint64_t)RAW_MAX)

/* Recovery: a row breaking a limit (too many fields, a long unquoted field,
 * a NUL byte) is reported, then read to its end with its quoting respected
 * and dropped. A quoting error (text after a closing quote, a quoted field
 * over the limit, end of input inside quotes) most likely means a stray
 * quote swallowed the lines below it: the row is reported and parsing
 * resumes at the line after the one the row started on. */

enum csv_state {
	ST_LINE,   /* between rows, at the start of a line */
	ST_FIELD,  /* at the start of a field */
	ST_PLAIN,  /* in an unquoted field */
	ST_QUOTED, /* in a quoted field */
	ST_QUOTE,  /* after a quote in a quoted field: escape or end */
	ST_SKIP,   /* dropping the rest of a line after an error */
};

struct proto_csv {
	proto_csv_row_fn row;
	proto_csv_bad_fn bad;
	void *arg;
	int st;
	int stop;               /* what ended the parse: callback result or error */
	unsigned bom;           /* BOM bytes matched at the start; 3 when done */
	unsigned long line;     /* physical line of the next byte */
	int prev_cr;            /* last byte was CR, so an LF ends no new line */

	unsigned long row_line; /* line the current row started on */
	int nf;                 /* finished fields of the current row */
	size_t flen;            /* bytes in the current field */
	int bad_row;            /* row already reported: parse on, keep nothing */
	int rewind;             /* quoting error: resume at the row's second line */
	char *text;             /* field bytes, grown up to TEXT_MAX */
	size_t len, cap;
	size_t offs[PROTO_CSV_MAX_FIELDS]; /* where each field starts in text */
	char *fields[PROTO_CSV_MAX_FIELDS];
	char why[96];

	/* From the row's second line on, its raw bytes are kept in raw; after a
	 * quoting error they move to rep and are parsed again from there. */
	int capturing, replay, raw_prev_cr;
	unsigned long raw_line;
	char *raw, *rep;        /* grown up to RAW_MAX */
	size_t raw_len, raw_cap, rep_len, rep_cap, rep_pos;
	uint64_t fed, replayed; /* bytes fed by the caller, bytes read again */
};

static const unsigned char utf8_bom[3] = { 0xef, 0xbb, 0xbf };

struct proto_csv *proto_csv_new(proto_csv_row_fn row, proto_csv_bad_fn bad, void *arg)
{
	struct proto_csv *c = calloc(1, sizeof *c);

	if (!c)
		return NULL;
	c->row = row;
	c->bad = bad;
	c->arg = arg;
	c->line = 1;
	return c;
}

void proto_csv_free(struct proto_csv *c)
{
	if (!c)
		return;
	free(c->text);
	free(c->raw);
	free(c->rep);
	free(c);
}

/* Make room for need bytes in *buf of *cap bytes, never beyond max. */
static int grow(char **buf, size_t *cap, size_t need, size_t max)
{
	size_t n = *cap ? *cap : BUF_MIN;
	char *p;

	if (need <= *cap)
		return 0;
	if (need > max)
		return TN_ERR_TOO_BIG;
	while (n < need)
		n *= 2;
	if (n > max)
		n = max;
	p = realloc(*buf, n);
	if (!p)
		return TN_ERR_NOMEM;
	*buf = p;
	*cap = n;
	return 0;
}

/* ---- rows and fields ---- */

/* Report the current row once through the bad callback; later errors in the
 * same row only mark it. */
__attribute__((format(printf, 2, 3)))
static int report(struct proto_csv *c, const char *fmt, ...)
{
	va_list ap;

	if (c->bad_row)
		return 0;
	c->bad_row = 1;
	va_start(ap, fmt);
	vsnprintf(c->why, sizeof c->why, fmt, ap);
	va_end(ap);
	return c->bad ? c->bad(c->arg, c->row_line, c->why) : 0;
}

/* A quoting error: report the row, then rewind (see rewind_row). */
#define BROKEN(c, ...) ((c)->rewind = 1, report((c), __VA_ARGS__))

static void row_begin(struct proto_csv *c)
{
	c->row_line = c->line;
	c->nf = 0;
	c->len = 0;
	c->bad_row = 0;
}

static void row_reset(struct proto_csv *c)
{
	c->st = ST_LINE;
	c->bad_row = 0;
	c->capturing = 0;
	c->raw_len = 0;
}

static int row_end(struct proto_csv *c)
{
	int rc = 0;

	if (!c->bad_row && c->row) {
		for (int i = 0; i < c->nf; i++)
			c->fields[i] = c->text + c->offs[i];
		rc = c->row(c->arg, c->fields, c->nf, c->row_line);
	}
	row_reset(c);
	return rc;
}

static int field_begin(struct proto_csv *c)
{
	c->flen = 0;
	if (c->bad_row)
		return 0;
	if (c->nf == PROTO_CSV_MAX_FIELDS)
		return report(c, "more than %d fields", PROTO_CSV_MAX_FIELDS);
	c->offs[c->nf] = c->len;
	return 0;
}

static int field_end(struct proto_csv *c)
{
	int rc;

	if (c->bad_row)
		return 0;
	rc = grow(&c->text, &c->cap, c->len + 1, TEXT_MAX);
	if (rc)
		return rc;
	c->text[c->len++] = '\0';
	c->nf++;
	return 0;
}

/* Append a byte to the current field. A quoted field running over the limit
 * is most likely an unclosed quote, so it rewinds; an unquoted one does not. */
static int field_add(struct proto_csv *c, unsigned char ch, int quoted)
{
	int rc;

	if (c->flen == PROTO_CSV_MAX_FIELD && quoted)
		return BROKEN(c, "field %d is longer than %d bytes (unclosed quote?)",
			      c->nf + 1, PROTO_CSV_MAX_FIELD);
	if (c->flen == PROTO_CSV_MAX_FIELD)
		return report(c, "field %d is longer than %d bytes", c->nf + 1,
			      PROTO_CSV_MAX_FIELD);
	c->flen++;
	if (c->bad_row)
		return 0;
	if (ch == '\0')
		return report(c, "NUL byte in field %d", c->nf + 1);
	rc = grow(&c->text, &c->cap, c->len + 1, TEXT_MAX);
	if (rc)
		return rc;
	c->text[c->len++] = (char)ch;
	return 0;
}

/* A comma or line end closing a field. */
static int delimiter(struct proto_csv *c, unsigned char ch)
{
	int rc = field_end(c);

	if (rc)
		return rc;
	if (ch != ',')
		return row_end(c);
	c->st = ST_FIELD;
	return field_begin(c);
}

static int is_eol(unsigned char ch)
{
	return ch == '\n' || ch == '\r';
}

/* The state machine proper, for one byte. */
static int parse(struct proto_csv *c, unsigned char ch)
{
	int rc;

	switch (c->st) {
	case ST_SKIP:
		if (is_eol(ch))
			c->st = ST_LINE;
		return 0;
	case ST_LINE:
		if (is_eol(ch))
			return 0; /* empty line, or the LF of a CRLF */
		row_begin(c);
		c->st = ST_FIELD;
		rc = field_begin(c);
		if (rc)
			return rc;
		/* fall through */
	case ST_FIELD:
		if (ch == '"') {
			c->st = ST_QUOTED;
			return 0;
		}
		c->st = ST_PLAIN;
		/* fall through */
	case ST_PLAIN:
		if (ch == ',' || is_eol(ch))
			return delimiter(c, ch);
		return field_add(c, ch, 0);
	case ST_QUOTED:
		if (ch == '"') {
			c->st = ST_QUOTE;
			return 0;
		}
		return field_add(c, ch, 1);
	case ST_QUOTE:
		if (ch == ',' || is_eol(ch))
			return delimiter(c, ch);
		if (ch != '"')
			return BROKEN(c, "text after the closing quote of field %d",
				      c->nf + 1);
		c->st = ST_QUOTED;
		return field_add(c, ch, 1);
	}
	return 0;
}

/* ---- raw bytes kept for rewinding ---- */

static void capture_start(struct proto_csv *c)
{
	c->capturing = 1;
	c->raw_len = 0;
	c->raw_line = c->line;
	c->raw_prev_cr = c->prev_cr;
}

/* Keep a byte of a row spanning lines. Only a row already reported can
 * outgrow RAW_MAX; it is then dropped up to the end of the current line
 * rather than followed to an end its quoting may never give it. */
static int capture(struct proto_csv *c, unsigned char ch)
{
	int rc;

	if (c->raw_len < RAW_MAX) {
		rc = grow(&c->raw, &c->raw_cap, c->raw_len + 1, RAW_MAX);
		if (rc)
			return rc;
		c->raw[c->raw_len++] = (char)ch;
		return 0;
	}
	rc = report(c, "row is longer than %zu bytes", RAW_MAX);
	c->capturing = 0;
	c->rewind = 1;
	return rc;
}

/* After a quoting error, resume at the line after the row's first one: the
 * kept bytes are read again. Without kept bytes (the error is on the first
 * line, or the row outgrew RAW_MAX), or when reading them again would exceed
 * the replay budget, skip to the end of the current line. */
static void rewind_row(struct proto_csv *c, int at_eol)
{
	c->rewind = 0;
	if (c->capturing && c->replayed + c->raw_len <= c->fed + REPLAY_SLACK) {
		c->line = c->raw_line;
		c->prev_cr = c->raw_prev_cr;
		c->replay = 1;
		c->bad_row = 0;
		c->capturing = 0;
		c->st = ST_LINE;
		return;
	}
	row_reset(c);
	c->st = at_eol ? ST_LINE : ST_SKIP;
}

/* Feed one byte: keep it if needed, parse it, count lines. */
static int step(struct proto_csv *c, unsigned char ch)
{
	int rc = 0;

	if (c->capturing)
		rc = capture(c, ch);
	if (rc && !c->rewind)
		return rc; /* out of memory */
	if (!c->rewind)
		rc = parse(c, ch);
	if (ch == '\r' || (ch == '\n' && !c->prev_cr))
		c->line++;
	c->prev_cr = ch == '\r';
	if (c->rewind)
		rewind_row(c, is_eol(ch));
	else if (!rc && c->st == ST_QUOTED && is_eol(ch) && !c->capturing)
		capture_start(c);
	return rc;
}

/* Parse the kept bytes again, and again if they hold another quoting error;
 * each round starts later in the same bytes, so this ends. */
static int replay(struct proto_csv *c)
{
	char *tmp;
	size_t rest, cap;
	int rc;

	while (c->replay) {
		c->replay = 0;
		rest = c->rep_len - c->rep_pos; /* unread part of a previous round */
		rc = grow(&c->raw, &c->raw_cap, c->raw_len + rest, RAW_MAX);
		if (rc)
			return rc;
		if (rest)
			memcpy(c->raw + c->raw_len, c->rep + c->rep_pos, rest);
		tmp = c->rep;
		c->rep = c->raw;
		c->raw = tmp;
		cap = c->rep_cap;
		c->rep_cap = c->raw_cap;
		c->raw_cap = cap;
		c->rep_len = c->raw_len + rest;
		c->rep_pos = 0;
		c->raw_len = 0;
		while (c->rep_pos < c->rep_len && !c->replay) {
			c->replayed++;
			rc = step(c, (unsigned char)c->rep[c->rep_pos++]);
			if (rc)
				return rc;
		}
	}
	c->rep_len = c->rep_pos = 0;
	return 0;
}

/* Fast path: copy the ordinary bytes of a field in one go; what step() would
 * do with each of them, minus the per-byte overhead. Returns bytes taken. */
static size_t field_run(struct proto_csv *c, const unsigned char *p, size_t n)
{
	size_t k = 0, room = PROTO_CSV_MAX_FIELD - c->flen;
	unsigned char stop = c->st == ST_QUOTED ? '"' : ',';

	if ((c->st != ST_PLAIN && c->st != ST_QUOTED) || c->bad_row || c->capturing)
		return 0;
	if (n > room)
		n = room;
	if (n > c->cap - c->len)
		n = c->cap - c->len; /* step() grows the buffer */
	if (!n)
		return 0;
	while (k < n && p[k] != stop && p[k] != '\n' && p[k] != '\r' && p[k] != '\0')
		k++;
	memcpy(c->text + c->len, p, k);
	c->len += k;
	c->flen += k;
	c->fed += k;
	if (k)
		c->prev_cr = 0;
	return k;
}

static int drive(struct proto_csv *c, const unsigned char *p, size_t n)
{
	size_t i = 0;
	int rc;

	while (i < n) {
		i += field_run(c, p + i, n - i);
		if (i == n)
			break;
		c->fed++;
		rc = step(c, p[i++]);
		if (!rc && c->replay)
			rc = replay(c);
		if (rc)
			return c->stop = rc;
	}
	return 0;
}

/* Skip a UTF-8 BOM at the very start; a partial match turns out to be data. */
static int skip_bom(struct proto_csv *c, const unsigned char **p, size_t *n)
{
	unsigned k;

	while (c->bom < 3 && *n) {
		if (**p == utf8_bom[c->bom]) {
			c->bom++;
			(*p)++;
			(*n)--;
			continue;
		}
		k = c->bom;
		c->bom = 3;
		return drive(c, utf8_bom, k);
	}
	return 0;
}

int proto_csv_feed(struct proto_csv *c, const char *data, size_t n)
{
	const unsigned char *p = (const unsigned char *)data;
	int rc;

	if (c->stop)
		return c->stop;
	rc = skip_bom(c, &p, &n);
	if (rc)
		return rc;
	return drive(c, p, n);
}

/* End of input in the current state. */
static int at_end(struct proto_csv *c)
{
	int rc;

	switch (c->st) {
	case ST_LINE:
	case ST_SKIP:
		c->st = ST_LINE;
		return 0;
	case ST_QUOTED:
		rc = BROKEN(c, "end of input inside quoted field %d", c->nf + 1);
		rewind_row(c, 1);
		return rc;
	default:
		return delimiter(c, '\n');
	}
}

int proto_csv_finish(struct proto_csv *c)
{
	unsigned k = c->bom < 3 ? c->bom : 0;
	int rc;

	if (c->stop)
		return c->stop;
	c->bom = 3;
	rc = drive(c, utf8_bom, k);
	while (!rc) {
		rc = at_end(c);
		if (!rc && c->replay)
			rc = replay(c);
		if (!rc && c->st == ST_LINE)
			return 0;
	}
	return c->stop = rc;
}
