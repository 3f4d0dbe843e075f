/* SPDX-License-Identifier: Apache-2.0 */
/* Field tables of firearm records, events and lost/stolen reports. */
#include "proto.h"

static const struct proto_field event_fields[] = {
	PF_STR_OF(struct tn_event, kind, PF_REQ),
	PF_STR_OF(struct tn_event, date, PF_REQ),
	PF_STR_OF(struct tn_event, party, 0),
	PF_STR_OF(struct tn_event, place, 0),
	PF_STR_OF(struct tn_event, country, 0),
	PF_STR_OF(struct tn_event, ref, 0),
};
const struct proto_schema proto_event_schema = PROTO_SCHEMA(struct tn_event, event_fields);

static const struct proto_field record_fields[] = {
	PF_U64_OF(struct tn_record, id, PF_ID),
	PF_STR_OF(struct tn_record, make, PF_REQ),
	PF_STR_OF(struct tn_record, model, 0),
	PF_STR_OF(struct tn_record, caliber, 0),
	PF_STR_OF(struct tn_record, type, 0),
	PF_STR_OF(struct tn_record, serial, PF_REQ),
	PF_STR_OF(struct tn_record, country, 0),
	PF_STR_OF(struct tn_record, importer, 0),
	PF_ARR_OF(struct tn_record, events, n_events, TN_EVENTS_MAX, 0, proto_event_schema),
};
const struct proto_schema proto_record_schema = PROTO_SCHEMA(struct tn_record, record_fields);

static const struct proto_field stolen_fields[] = {
	PF_U64_OF(struct tn_stolen, id, PF_ID),
	PF_STR_OF(struct tn_stolen, kind, PF_REQ),
	PF_STR_OF(struct tn_stolen, make, PF_REQ),
	PF_STR_OF(struct tn_stolen, model, 0),
	PF_STR_OF(struct tn_stolen, caliber, 0),
	PF_STR_OF(struct tn_stolen, serial, PF_REQ),
	PF_STR_OF(struct tn_stolen, date, PF_REQ),
	PF_STR_OF(struct tn_stolen, place, 0),
	PF_STR_OF(struct tn_stolen, agency, 0),
	PF_STR_OF(struct tn_stolen, case_ref, 0),
	PF_STR_OF(struct tn_stolen, status, 0),
	PF_STR_OF(struct tn_stolen, recovered_on, 0),
};
const struct proto_schema proto_stolen_schema = PROTO_SCHEMA(struct tn_stolen, stolen_fields);
