/* SPDX-License-Identifier: Apache-2.0 */
/* Helpers of the proto/ unit tests: msgpack built by hand, a record with
 * every kind of text, and field-by-field comparisons. */
#ifndef TN_TEST_MP_UTIL_H
#define TN_TEST_MP_UTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../../proto/proto.h"
#include "../all_schema.h"


#define OK(x) assert_int_equal((x), 0)
#define WHY_LEN 256
/* A msgpack literal: bytes and their count, NULs included. */
#define MP(s) (const uint8_t *)(s), sizeof(s) - 1

/* ---- helpers ---- */

struct mp {
	struct proto_buf b;
	struct proto_writer *w;
};

static inline void mp_init(struct mp *m)
{
	memset(m, 0, sizeof(*m));
	m->w = proto_writer_new(&m->b);
	assert_non_null(m->w);
}

static inline void mp_done(struct mp *m)
{
	proto_writer_free(m->w);
	proto_buf_free(&m->b);
}

/* Raw bytes between writer calls: the packer writes straight into b. */
static inline void mp_raw(struct mp *m, const void *p, size_t n)
{
	OK(proto_buf_add(&m->b, p, n));
}

static inline void mp_kv(struct mp *m, const char *k, const char *v)
{
	OK(proto_w_str(m->w, k));
	OK(proto_w_str(m->w, v));
}

static inline int decode_record(const struct mp *m, struct tn_record *r, char *why)
{
	return proto_decode(&proto_record_schema, m->b.data, m->b.len, r, why, WHY_LEN);
}

static const char *const kinds[] = { "manufactured", "imported", "sold", "exported" };

static inline void fill_record(struct tn_record *r, uint32_t n_events)
{
	memset(r, 0, sizeof(*r));
	r->id = UINT64_MAX - 1;
	strcpy(r->make, "Česká zbrojovka");
	strcpy(r->model, "CZ 75 B");
	strcpy(r->caliber, "9×19mm");
	strcpy(r->type, "pistol");
	strcpy(r->serial, "A123-456/Ü");
	strcpy(r->country, "CZE");
	strcpy(r->importer, "Armería Ñandú S.A.");
	r->n_events = n_events;
	r->events = n_events ? calloc(n_events, sizeof(*r->events)) : NULL;
	for (uint32_t i = 0; i < n_events; i++) {
		struct tn_event *e = &r->events[i];

		strcpy(e->kind, kinds[i % 4]);
		snprintf(e->date, sizeof(e->date), "2019-03-%02u", i % 28 + 1);
		snprintf(e->party, sizeof(e->party), "dealer %u €", i);
		strcpy(e->place, "Ciudad de Guatemala");
		strcpy(e->country, "GTM");
		snprintf(e->ref, sizeof(e->ref), "LIC-%u", i * 7);
	}
}

static inline void assert_event_equal(const struct tn_event *a, const struct tn_event *b)
{
	assert_string_equal(a->kind, b->kind);
	assert_string_equal(a->date, b->date);
	assert_string_equal(a->party, b->party);
	assert_string_equal(a->place, b->place);
	assert_string_equal(a->country, b->country);
	assert_string_equal(a->ref, b->ref);
}

static inline void assert_record_equal(const struct tn_record *a, const struct tn_record *b)
{
	assert_true(a->id == b->id);
	assert_string_equal(a->make, b->make);
	assert_string_equal(a->model, b->model);
	assert_string_equal(a->caliber, b->caliber);
	assert_string_equal(a->type, b->type);
	assert_string_equal(a->serial, b->serial);
	assert_string_equal(a->country, b->country);
	assert_string_equal(a->importer, b->importer);
	assert_int_equal(a->n_events, b->n_events);
	for (uint32_t i = 0; i < a->n_events; i++)
		assert_event_equal(&a->events[i], &b->events[i]);
}

/* Decode {key: <raw value bytes>} with the all-types schema. */
/* A value of the field key of all_schema that must be refused with why. */
struct bad_value {
	const char *key;
	const uint8_t *val;
	size_t len;
	const char *why;
};

static inline int decode_one(const char *key, const uint8_t *val, size_t n, char *why)
{
	struct t_all t;
	struct mp m;
	int rc;

	mp_init(&m);
	OK(proto_w_map(m.w, 1));
	OK(proto_w_str(m.w, key));
	mp_raw(&m, val, n);
	rc = proto_decode(&all_schema, m.b.data, m.b.len, &t, why, WHY_LEN);
	if (rc == 0)
		proto_release(&all_schema, &t);
	mp_done(&m);
	return rc;
}

#endif
