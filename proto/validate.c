/* SPDX-License-Identifier: Apache-2.0 */
/* Semantic checks of firearm records, events and lost/stolen reports, with a
 * short reason for the operator; calendar dates and ISO country codes. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "proto_int.h"

#define YEAR_MIN 1800
#define YEAR_MAX 2200
#define SHOW_MAX 40 /* bytes of a bad value quoted back in a reason */

static const char *const event_names[TN_EV_COUNT] = {
	[TN_EV_MANUFACTURED] = "manufactured",
	[TN_EV_IMPORTED] = "imported",
	[TN_EV_SOLD] = "sold",
	[TN_EV_TRANSFERRED] = "transferred",
	[TN_EV_EXPORTED] = "exported",
	[TN_EV_DESTROYED] = "destroyed",
	[TN_EV_STOLEN] = "stolen",
	[TN_EV_LOST] = "lost",
	[TN_EV_RECOVERED] = "recovered",
};

const char *proto_event_name(int kind)
{
	if (kind < 0 || kind >= TN_EV_COUNT)
		return NULL;
	return event_names[kind];
}

/* Two kinds at most share a first letter: one or two compares. */
int proto_event_kind(const char *name)
{
	int k;

	if (!name)
		return TN_ERR_INVALID;
	switch (name[0]) {
	case 'm': k = TN_EV_MANUFACTURED; break;
	case 'i': k = TN_EV_IMPORTED; break;
	case 's': k = name[1] == 'o' ? TN_EV_SOLD : TN_EV_STOLEN; break;
	case 't': k = TN_EV_TRANSFERRED; break;
	case 'e': k = TN_EV_EXPORTED; break;
	case 'd': k = TN_EV_DESTROYED; break;
	case 'l': k = TN_EV_LOST; break;
	case 'r': k = TN_EV_RECOVERED; break;
	default: return TN_ERR_INVALID;
	}
	return strcmp(name, event_names[k]) ? TN_ERR_INVALID : k;
}

/* ---- dates and countries ---- */

static int digits(const char *s, int n)
{
	int v = 0;

	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

static int days_in_month(int y, int m)
{
	static const int dim[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

	return m == 2 && leap ? 29 : dim[m - 1];
}

/* Split a strict YYYY-MM-DD date; 0 when it names a real day in range. */
static int parse_date(const char *s, int *y, int *m, int *d)
{
	if (!s || strnlen(s, 11) != 10 || s[4] != '-' || s[7] != '-')
		return TN_ERR_INVALID;
	*y = digits(s, 4);
	*m = digits(s + 5, 2);
	*d = digits(s + 8, 2);
	if (*y < YEAR_MIN || *y > YEAR_MAX || *m < 1 || *m > 12)
		return TN_ERR_INVALID;
	if (*d < 1 || *d > days_in_month(*y, *m))
		return TN_ERR_INVALID;
	return 0;
}

int proto_date_check(const char *s)
{
	int y, m, d;

	return parse_date(s, &y, &m, &d);
}

int proto_country_check(const char *s)
{
	if (!s)
		return TN_ERR_INVALID;
	for (int i = 0; i < 3; i++)
		if (s[i] < 'A' || s[i] > 'Z')
			return TN_ERR_INVALID;
	return s[3] == '\0' ? 0 : TN_ERR_INVALID;
}

/* Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's
 * days_from_civil); y is at least YEAR_MIN here, so all terms are positive. */
static int32_t days_from_civil(int y, int m, int d)
{
	int era, yoe, doy, doe;

	y -= m <= 2;
	era = y / 400;
	yoe = y - era * 400;
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

int32_t proto_date_diff(const char *a, const char *b)
{
	int ya, ma, da, yb, mb, db;

	if (parse_date(a, &ya, &ma, &da) || parse_date(b, &yb, &mb, &db))
		return INT32_MIN;
	return days_from_civil(yb, mb, db) - days_from_civil(ya, ma, da);
}

/* ---- reasons ---- */

/* Write a reason to why (if given) and return TN_ERR_INVALID. */

/* A bad value made safe to quote in a reason: printable ASCII only,
 * at most SHOW_MAX bytes, "..." when cut. */
static const char *show(const char *s, size_t size, char out[SHOW_MAX + 4])
{
	size_t i, n = strnlen(s, size);

	for (i = 0; i < n && i < SHOW_MAX; i++)
		out[i] = s[i] >= 0x20 && s[i] < 0x7f ? s[i] : '?';
	out[i] = '\0';
	if (i < n)
		strcpy(out + i, "...");
	return out;
}

#define SHOW(field) show((field), sizeof(field), shown)

/* A fixed-size field from outside must hold its terminating NUL. */
#define TERMINATED(field) (memchr((field), '\0', sizeof(field)) != NULL)

/* ---- events ---- */

static int event_strings_ok(const struct tn_event *e)
{
	return TERMINATED(e->kind) && TERMINATED(e->date) &&
	       TERMINATED(e->party) && TERMINATED(e->place) &&
	       TERMINATED(e->country) && TERMINATED(e->ref);
}

/* proto__why() for event n (1-based), "event N: " before the reason; formatted
 * only when an event fails, not for each one checked. */
__attribute__((format(printf, 4, 5)))
static int event_fail(char *why, size_t len, unsigned n, const char *fmt, ...)
{
	va_list ap;
	int k = 0;

	if (!why || !len)
		return TN_ERR_INVALID;
	if (n && ((k = snprintf(why, len, "event %u: ", n)) < 0 || (size_t)k >= len))
		return TN_ERR_INVALID;
	va_start(ap, fmt);
	vsnprintf(why + k, len - (size_t)k, fmt, ap);
	va_end(ap);
	return TN_ERR_INVALID;
}

/* proto_event_check, with "event N: " before the reason when n > 0. */
static int event_check(const struct tn_event *e, unsigned n, char *why, size_t len)
{
	char shown[SHOW_MAX + 4];
	int kind;

	if (!event_strings_ok(e))
		return event_fail(why, len, n, "unterminated field");
	if (!e->kind[0])
		return event_fail(why, len, n, "kind is missing");
	kind = proto_event_kind(e->kind);
	if (kind < 0)
		return event_fail(why, len, n, "unknown kind '%s'", SHOW(e->kind));
	if (!e->date[0])
		return event_fail(why, len, n, "date is missing (YYYY-MM-DD)");
	if (proto_date_check(e->date))
		return event_fail(why, len, n, "bad date '%s'", SHOW(e->date));
	if (kind == TN_EV_EXPORTED && !e->country[0])
		return event_fail(why, len, n, "exported without destination country");
	if (e->country[0] && proto_country_check(e->country))
		return event_fail(why, len, n, "bad country '%s'", SHOW(e->country));
	return 0;
}

int proto_event_check(const struct tn_event *e, char *why, size_t why_len)
{
	if (!e)
		return proto__why(why, why_len, TN_ERR_INVALID, "no event");
	return event_check(e, 0, why, why_len);
}

/* ---- records and reports ---- */

/* Check that make and serial are present and normalize. */
static int make_serial_check(const char *make, const char *serial, char *why,
			     size_t len)
{
	if (!make[0])
		return proto__why(why, len, TN_ERR_INVALID, "make is empty");
	if (!proto_make_ok(make))
		return proto__why(why, len, TN_ERR_INVALID, "make has no ASCII letters or digits");
	if (!serial[0])
		return proto__why(why, len, TN_ERR_INVALID, "serial is empty");
	if (!proto_serial_ok(serial))
		return proto__why(why, len, TN_ERR_INVALID, "serial is only spaces and punctuation");
	if (strchr(serial, '?'))
		return proto__why(why, len, TN_ERR_INVALID, "serial holds '?', which marks an "
				  "unreadable character in searches: write the serial as stamped");
	return 0;
}

static int record_strings_ok(const struct tn_record *r)
{
	return TERMINATED(r->make) && TERMINATED(r->model) &&
	       TERMINATED(r->caliber) && TERMINATED(r->type) &&
	       TERMINATED(r->serial) && TERMINATED(r->country) &&
	       TERMINATED(r->importer);
}

int proto_record_check(const struct tn_record *r, char *why, size_t why_len)
{
	char shown[SHOW_MAX + 4];
	int rc;

	if (!r)
		return proto__why(why, why_len, TN_ERR_INVALID, "no record");
	if (!record_strings_ok(r))
		return proto__why(why, why_len, TN_ERR_INVALID, "unterminated field");
	rc = make_serial_check(r->make, r->serial, why, why_len);
	if (rc)
		return rc;
	if (r->country[0] && proto_country_check(r->country))
		return proto__why(why, why_len, TN_ERR_INVALID, "bad country '%s'", SHOW(r->country));
	if (r->n_events > TN_EVENTS_MAX)
		return proto__why(why, why_len, TN_ERR_INVALID, "%u events, at most %d allowed",
			    r->n_events, TN_EVENTS_MAX);
	if (r->n_events && !r->events)
		return proto__why(why, why_len, TN_ERR_INVALID, "events missing");
	for (uint32_t i = 0; i < r->n_events; i++) {
		rc = event_check(&r->events[i], i + 1, why, why_len);
		if (rc)
			return rc;
	}
	return 0;
}

static int stolen_strings_ok(const struct tn_stolen *s)
{
	return TERMINATED(s->kind) && TERMINATED(s->make) &&
	       TERMINATED(s->model) && TERMINATED(s->caliber) &&
	       TERMINATED(s->serial) && TERMINATED(s->date) &&
	       TERMINATED(s->place) && TERMINATED(s->agency) &&
	       TERMINATED(s->case_ref) && TERMINATED(s->status) &&
	       TERMINATED(s->recovered_on);
}

int proto_stolen_check(const struct tn_stolen *s, char *why, size_t why_len)
{
	char shown[SHOW_MAX + 4];
	int rc;

	if (!s)
		return proto__why(why, why_len, TN_ERR_INVALID, "no report");
	if (!stolen_strings_ok(s))
		return proto__why(why, why_len, TN_ERR_INVALID, "unterminated field");
	if (strcmp(s->kind, "stolen") && strcmp(s->kind, "lost"))
		return proto__why(why, why_len, TN_ERR_INVALID, "kind '%s' is neither stolen nor lost",
			    SHOW(s->kind));
	rc = make_serial_check(s->make, s->serial, why, why_len);
	if (rc)
		return rc;
	if (!s->date[0])
		return proto__why(why, why_len, TN_ERR_INVALID, "date is missing (YYYY-MM-DD)");
	if (proto_date_check(s->date))
		return proto__why(why, why_len, TN_ERR_INVALID, "bad date '%s'", SHOW(s->date));
	if (s->status[0] && strcmp(s->status, "open") && strcmp(s->status, "recovered"))
		return proto__why(why, why_len, TN_ERR_INVALID, "status '%s' is neither open nor recovered",
			    SHOW(s->status));
	if (s->recovered_on[0] && proto_date_check(s->recovered_on))
		return proto__why(why, why_len, TN_ERR_INVALID, "bad recovery date '%s'",
			    SHOW(s->recovered_on));
	return 0;
}
