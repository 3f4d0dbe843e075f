/* SPDX-License-Identifier: Apache-2.0 */
/* Firearm records, their events and lost/stolen reports; the checks
 * and normalization every module applies to them. */
#ifndef TN_RECORD_H
#define TN_RECORD_H

#include "codec.h"

#define TN_NAME_LEN 4 /* ISO 3166-1 alpha-3 + NUL */
#define TN_DATE_LEN 11 /* YYYY-MM-DD + NUL */
#define TN_MAKE_LEN 64
#define TN_MODEL_LEN 64
#define TN_CALIBER_LEN 32
#define TN_TYPE_LEN 24
#define TN_SERIAL_LEN 48
#define TN_PARTY_LEN 96
#define TN_REASON_LEN 80   /* how a candidate serial matched */
#define TN_PLACE_LEN 96
#define TN_REF_LEN 64
#define TN_KIND_LEN 16
#define TN_TEXT_LEN 256
#define TN_EVENTS_MAX 1024
#define TN_BATCH_MAX 20000
#define TN_IMPORT_MAX 65536 /* records in one record.import request */

enum tn_event_kind {
	TN_EV_MANUFACTURED,
	TN_EV_IMPORTED,
	TN_EV_SOLD,
	TN_EV_TRANSFERRED,
	TN_EV_EXPORTED,
	TN_EV_DESTROYED,
	TN_EV_STOLEN,
	TN_EV_LOST,
	TN_EV_RECOVERED,
	TN_EV_COUNT
};

struct tn_event {
	char kind[TN_KIND_LEN];     /* one of proto_event_kinds */
	char date[TN_DATE_LEN];
	char party[TN_PARTY_LEN];   /* licensed dealer, importer or owner reference */
	char place[TN_PLACE_LEN];
	char country[TN_NAME_LEN];  /* exported: destination; imported: origin */
	char ref[TN_REF_LEN];       /* licence, permit or document reference */
};

struct tn_record {
	uint64_t id;
	char make[TN_MAKE_LEN];
	char model[TN_MODEL_LEN];
	char caliber[TN_CALIBER_LEN];
	char type[TN_TYPE_LEN];
	char serial[TN_SERIAL_LEN];
	char country[TN_NAME_LEN];  /* country of manufacture */
	char importer[TN_PARTY_LEN];
	uint32_t n_events;
	struct tn_event *events;
};

struct tn_stolen {
	uint64_t id;
	char kind[TN_KIND_LEN];     /* stolen | lost */
	char make[TN_MAKE_LEN];
	char model[TN_MODEL_LEN];
	char caliber[TN_CALIBER_LEN];
	char serial[TN_SERIAL_LEN];
	char date[TN_DATE_LEN];
	char place[TN_PLACE_LEN];
	char agency[TN_PARTY_LEN];
	char case_ref[TN_REF_LEN];
	char status[TN_KIND_LEN];   /* open | recovered */
	char recovered_on[TN_DATE_LEN];
};

extern const struct proto_schema proto_event_schema;
extern const struct proto_schema proto_record_schema;
extern const struct proto_schema proto_stolen_schema;

/* Name of an event kind, or NULL. */
const char *proto_event_name(int kind);
/* Event kind of a name, or TN_ERR_INVALID. */
int proto_event_kind(const char *name);
/* Check a record's fields and events; on failure write a reason to why. */
int proto_record_check(const struct tn_record *r, char *why, size_t why_len) TN_WUR;
/* Check an event. */
int proto_event_check(const struct tn_event *e, char *why, size_t why_len) TN_WUR;
/* Check a stolen/lost report. */
int proto_stolen_check(const struct tn_stolen *s, char *why, size_t why_len) TN_WUR;
/* 0 if s is a real calendar date written YYYY-MM-DD. */
int proto_date_check(const char *s) TN_WUR;
/* 0 if s is three upper-case letters. */
int proto_country_check(const char *s) TN_WUR;
/* Days from a to b (YYYY-MM-DD), or INT32_MIN when either is not a date. */
int32_t proto_date_diff(const char *a, const char *b);


/* Serial: upper-case ASCII, spaces, dashes, dots and slashes removed.
 * Returns the length written (< cap) or TN_ERR_INVALID if empty/too long. */
int proto_norm_serial(const char *in, char *out, size_t cap) TN_WUR;
/* Make: upper-case alphanumerics only, then folded through the alias table
 * ("S&W" and "Smith & Wesson" both give "SMITHWESSON"). */
int proto_norm_make(const char *in, char *out, size_t cap) TN_WUR;
/* 1 when normalizing leaves something of a serial or a make (of their
 * field sizes), without normalizing. */
int proto_serial_ok(const char *serial);
int proto_make_ok(const char *make);

#endif
