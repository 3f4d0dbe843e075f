/* SPDX-License-Identifier: Apache-2.0 */
/* Firearm records from rows of `record import` files: seven record columns,
 * then groups of six event columns. Checks lengths and shape, not meaning. */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "proto_int.h"

#define REC_COLS 7
#define EV_COLS 6

const char *const proto_record_csv_columns[] = {
	"make", "model", "caliber", "type", "serial", "country", "importer", NULL,
};

/* Suffixes of the event columns: event1_kind, event1_date, ... */
static const char *const event_cols[EV_COLS] = {
	"kind", "date", "party", "place", "country", "ref",
};

struct slot {
	size_t off, size;
};

#define SLOT(type, f) { offsetof(type, f), sizeof(((type *)0)->f) }

static const struct slot rec_slots[REC_COLS] = {
	SLOT(struct tn_record, make), SLOT(struct tn_record, model),
	SLOT(struct tn_record, caliber), SLOT(struct tn_record, type),
	SLOT(struct tn_record, serial), SLOT(struct tn_record, country),
	SLOT(struct tn_record, importer),
};

static const struct slot ev_slots[EV_COLS] = {
	SLOT(struct tn_event, kind), SLOT(struct tn_event, date),
	SLOT(struct tn_event, party), SLOT(struct tn_event, place),
	SLOT(struct tn_event, country), SLOT(struct tn_event, ref),
};

static void say(char *why, size_t why_len, const char *msg)
{
	if (why && why_len)
		proto_strcpy(why, why_len, msg);
}

/* Copy src into the field at obj + s->off; TN_ERR_TOO_BIG when it does not
 * fit, with the column named in why. */
static int put(void *obj, const struct slot *s, const char *src, int event,
	       int col, char *why, size_t why_len)
{
	size_t n = strlen(src);

	if (n < s->size) {
		memcpy((char *)obj + s->off, src, n + 1);
		return 0;
	}
	if (why && why_len && event)
		snprintf(why, why_len, "column event%d_%s: %zu bytes, at most %zu",
			 event, event_cols[col], n, s->size - 1);
	else if (why && why_len)
		snprintf(why, why_len, "column %s: %zu bytes, at most %zu",
			 proto_record_csv_columns[col], n, s->size - 1);
	return TN_ERR_TOO_BIG;
}

/* Number of event groups in a row of n fields, trailing empty fields
 * ignored; TN_ERR_INVALID when the last used group is cut short. */
static int count_events(char **fields, int n, char *why, size_t why_len)
{
	int used = n, groups;

	while (used > REC_COLS && !fields[used - 1][0])
		used--;
	groups = (used - REC_COLS + EV_COLS - 1) / EV_COLS;
	if (REC_COLS + groups * EV_COLS > n) {
		if (why && why_len)
			snprintf(why, why_len, "event %d has %d of %d columns",
				 groups, n - REC_COLS - (groups - 1) * EV_COLS, EV_COLS);
		return TN_ERR_INVALID;
	}
	if (groups > TN_EVENTS_MAX) {
		say(why, why_len, "too many events");
		return TN_ERR_TOO_BIG;
	}
	return groups;
}

static int fill_events(struct tn_record *r, char **fields, char *why, size_t why_len)
{
	int rc;

	for (uint32_t i = 0; i < r->n_events; i++) {
		for (int col = 0; col < EV_COLS; col++) {
			rc = put(&r->events[i], &ev_slots[col],
				 fields[REC_COLS + i * EV_COLS + col], (int)i + 1,
				 col, why, why_len);
			if (rc)
				return rc;
		}
	}
	return 0;
}

int proto_record_from_csv(struct tn_record *r, char **fields, int n,
			  char *why, size_t why_len)
{
	int rc, groups;

	memset(r, 0, sizeof *r);
	if (n < REC_COLS) {
		if (why && why_len)
			snprintf(why, why_len, "%d columns, expected at least %d",
				 n, REC_COLS);
		return TN_ERR_INVALID;
	}
	for (int col = 0; col < REC_COLS; col++) {
		rc = put(r, &rec_slots[col], fields[col], 0, col, why, why_len);
		if (rc)
			return rc;
	}
	groups = count_events(fields, n, why, why_len);
	if (groups <= 0)
		return groups;
	r->events = calloc((size_t)groups, sizeof *r->events);
	if (!r->events) {
		say(why, why_len, "out of memory");
		return TN_ERR_NOMEM;
	}
	r->n_events = (uint32_t)groups;
	rc = fill_events(r, fields, why, why_len);
	if (rc) {
		free(r->events);
		r->events = NULL;
		r->n_events = 0;
	}
	return rc;
}

/* ---- straight to msgpack ---- */

/* Lengths of the row's fields, each checked against its column. */
static int csv_lengths(char **fields, int n, size_t *len, int *groups, char *why,
		       size_t why_len)
{
	const struct slot *s;

	if (n < REC_COLS || n > PROTO_CSV_MAX_FIELDS) {
		if (why && why_len)
			snprintf(why, why_len, n < REC_COLS ? "%d columns, expected at least %d" :
				 "%d columns, at most %d", n, n < REC_COLS ? REC_COLS :
				 PROTO_CSV_MAX_FIELDS);
		return TN_ERR_INVALID;
	}
	for (int i = 0; i < n; i++)
		len[i] = strlen(fields[i]);
	for (int col = 0; col < REC_COLS; col++)
		if (len[col] >= rec_slots[col].size)
			return put(NULL, &rec_slots[col], fields[col], 0, col, why, why_len);
	if ((*groups = count_events(fields, n, why, why_len)) < 0)
		return *groups;
	for (int i = REC_COLS; i < REC_COLS + *groups * EV_COLS; i++) {
		s = &ev_slots[(i - REC_COLS) % EV_COLS];
		if (len[i] >= s->size)
			return put(NULL, s, fields[i], (i - REC_COLS) / EV_COLS + 1,
				   (i - REC_COLS) % EV_COLS, why, why_len);
	}
	return 0;
}

/* Every used field valid UTF-8, in the order proto_check_strings checks. */
static int csv_utf8(char **fields, const size_t *len, int used, char *why, size_t why_len)
{
	const char *key;

	for (int i = 0; i < used; i++) {
		if (proto__utf8_ok((const unsigned char *)fields[i], len[i]))
			continue;
		key = i < REC_COLS ? proto_record_schema.fields[i + 1].key :
				     proto_event_schema.fields[(i - REC_COLS) % EV_COLS].key;
		if (why && why_len)
			snprintf(why, why_len, "field '%s': not valid UTF-8", key);
		return TN_ERR_FIELD;
	}
	return 0;
}

/* The map of the n fields at fields (schema s's fields from first on, in
 * column order), leaving out empty optional ones, as proto_encode does. */
static uint8_t *put_fields(uint8_t *o, const struct proto_schema *s, uint32_t first,
			   char **fields, const size_t *len, int n, uint32_t extra)
{
	uint32_t count = extra;

	for (int i = 0; i < n; i++)
		count += len[i] || (s->fields[first + i].flags & PF_REQ);
	o = proto__put_map(o, count);
	if (extra) { /* the id, 0 */
		o = proto__put_str(o, "id", 2);
		*o++ = 0;
	}
	for (int i = 0; i < n; i++) {
		const char *key = s->fields[first + i].key;

		if (!len[i] && !(s->fields[first + i].flags & PF_REQ))
			continue;
		o = proto__put_str(o, key, strlen(key));
		o = proto__put_str(o, fields[i], len[i]);
	}
	return o;
}

int proto_record_csv_encode(char **fields, int n, struct proto_buf *out, char *why,
			    size_t why_len)
{
	size_t len[PROTO_CSV_MAX_FIELDS], room = 64;
	int groups = 0, used, rc;
	uint8_t *o;

	if ((rc = csv_lengths(fields, n, len, &groups, why, why_len)))
		return rc;
	used = REC_COLS + groups * EV_COLS;
	if ((rc = csv_utf8(fields, len, used, why, why_len)))
		return rc;
	for (int i = 0; i < used; i++)
		room += len[i] + 16;
	if ((rc = proto_buf_reserve(out, room))) {
		say(why, why_len, "out of memory");
		return rc;
	}
	o = put_fields(out->data + out->len, &proto_record_schema, 1, fields, len, REC_COLS,
		       1 + (groups > 0));
	if (groups) {
		o = proto__put_str(o, "events", 6);
		o = proto__put_array(o, (uint32_t)groups);
	}
	for (int g = 0; g < groups; g++)
		o = put_fields(o, &proto_event_schema, 0, fields + REC_COLS + g * EV_COLS,
			       len + REC_COLS + g * EV_COLS, EV_COLS, 0);
	out->len = (size_t)(o - out->data);
	return 0;
}
