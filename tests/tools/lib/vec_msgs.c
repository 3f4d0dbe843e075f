/* SPDX-License-Identifier: Apache-2.0 */
/* The messages of the test vectors; see vec_msgs.h. */
#include <stdio.h>
#include <string.h>

#include "../../../crypto/cx.h"
#include "vec_msgs.h"
#include "vec_tree.h"

#define QID_HIT 0x1d2c3b4a59687706ull
#define QID_NO_HIT 0x0123456789abcdefull
#define TRACE_REF 42ull
#define HANDLING "use in the case named in the request only; no onward sharing " \
	"without our consent; keep at most 365 days"

static struct tn_query_item items[] = {
	{ .make = "Glock", .serial = "A8C123", .model = "G19", .caliber = "9mm", .fuzzy = true },
	{ .make = "Smith & Wesson", .serial = "XYZ-789" },
};
static struct tn_stolen_answer hit_answers[] = {
	{ .hit = true, .report = &(struct tn_stolen){ .id = 7, .kind = "stolen", .make = "Glock", .model = "G19",
				   .caliber = "9mm", .serial = "ABC123", .date = "2025-11-03",
				   .place = "Monterrey, Nuevo León", .agency = "FGE Nuevo León",
				   .case_ref = "FGE-NL-2025-118", .status = "open" },
	  .match = "confusable 8→B at 2" },
	{ .hit = false },
};
static struct tn_stolen_answer no_hit_answers[] = { { .hit = false } };
static struct tn_event chain[] = {
	{ "manufactured", "2019-05-14", "Glock GmbH", "Deutsch-Wagram", "AUT", "" },
	{ "imported", "2019-08-02", "Importadora del Norte S.A. de C.V.", "Manzanillo, Colima",
	  "AUT", "SEDENA-IMP-2019-0311" },
	{ "sold", "2020-02-17", "Armería El Centauro", "Monterrey, Nuevo León", "",
	  "DCAM-VTA-88412" },
	{ "exported", "2021-06-30", "Armería El Centauro", "Tapachula, Chiapas", "GTM",
	  "SEDENA-EXP-2021-0097" },
};

struct tn_ping vm_ping = { .seq = 1 };
struct tn_stolen_query vm_query = {
	.qid = QID_HIT, .purpose = "investigation", .case_ref = "PNC-2026-0042", .n = 2,
	.items = items,
};
struct tn_stolen_result vm_result_hit = {
	.qid = QID_HIT, .status = "ok", .n = 2, .results = hit_answers,
};
struct tn_stolen_result vm_result_no_hit = {
	.qid = QID_NO_HIT, .status = "ok", .n = 1, .results = no_hit_answers,
};
/* Two queries of different cases in one envelope; the first hits (its
 * answer is vm_result_hit, alone and signed), the second does not. */
static struct tn_stolen_query asks[] = {
	{ .qid = QID_HIT, .purpose = "investigation", .case_ref = "PNC-2026-0042", .n = 2,
	  .items = items },
	{ .qid = QID_NO_HIT, .purpose = "border check", .case_ref = "SAT-ADU-2026-0007", .n = 1,
	  .items = &(struct tn_query_item){ .make = "Beretta", .serial = "PX4-00917" } },
};
struct tn_stolen_queries vm_queries = { .n = 2, .asks = asks };
struct tn_stolen_results vm_results = {
	.n = 1, .results = &(struct tn_stolen_result){ .qid = QID_NO_HIT, .status = "ok", .n = 1,
						       .results = no_hit_answers },
};
struct tn_trace_request vm_request = {
	.ref = TRACE_REF, .case_ref = "PNC-2026-0042", .agency = "Policía Nacional Civil, DEIC",
	.crime = "0900", .grounds = "recovered at a homicide scene",
	.recovered_on = "2026-01-02", .recovered_at = "Ciudad de Guatemala, zona 18",
	.firearm = { .make = "Glock", .model = "G19", .caliber = "9mm", .type = "pistol",
		     .serial = "ABC123", .importer = "Importadora del Norte S.A. de C.V.",
		     .country_of_origin = "AUT" },
	.possessor = "unknown", .urgent = true,
};
struct tn_trace_ack vm_trace_ack = {
	.ref = TRACE_REF, .status = "received", .deadline = "2026-01-02",
};
struct tn_trace_result vm_trace_result = {
	.ref = TRACE_REF, .status = "completed", .n_chain = 4, .chain = chain,
	.export_to = "GTM", .export_date = "2021-06-30", .export_ref = "SEDENA-EXP-2021-0097",
	.handling = HANDLING, .keep_days = 365,
};
static struct tn_candidate candidates[] = {
	{ .score = 86, .reason = "1 unreadable", .make = "Glock", .model = "G19", .caliber = "9mm",
	  .type = "pistol", .serial = "ABC123" },
	{ .score = 78, .reason = "1 unreadable", .make = "Glock", .model = "G17", .caliber = "9mm",
	  .type = "pistol", .serial = "ABC153" },
};
struct tn_trace_result vm_trace_candidates = {
	.ref = TRACE_REF, .status = "possible_matches",
	.reason = "no exact record: confirm one candidate and trace its serial",
	.time_to_crime_days = -1, .handling = HANDLING, .keep_days = 365,
	.n_cand = 2, .candidates = candidates, .more_candidates = 0,
};
struct tn_ack vm_ack;

/* ---- GTM's audit checkpoint and its witness MEX ---- */

#define CP_TS 1767225605000ull /* 2026-01-01T00:00:05Z */

static uint8_t proof[VT_PROOF_MAX][TN_HASH_LEN];
uint8_t vm_entries[VM_ENTRIES][TN_HASH_LEN];
uint8_t vm_from_root[TN_HASH_LEN];
struct tn_checkpoint_msg vm_checkpoint = {
	.cp = { .node = "GTM", .size = VM_ENTRIES, .ts = CP_TS }, .from_size = VM_FROM,
	.proof = proof[0],
};
struct tn_cosignature vm_cosignature = {
	.node = "GTM", .size = VM_ENTRIES, .status = "witnessed", .held_size = VM_ENTRIES,
	.ts = CP_TS + 2000,
};
struct tn_checkpoint_get vm_checkpoint_get = { .seq = 0x5eed };
struct tn_checkpoint_held vm_checkpoint_held = { .seq = 0x5eed };

/* The entries' hashes, the tree heads and the proof. */
static void checkpoint_init(void)
{
	static const uint8_t mids[2][TN_MID_LEN] = {
		{ 0x00, 0x3a, 0x91, 0x0c, 0x5e, 0x77, 0x12, 0xd4,
		  0x8b, 0x02, 0xe6, 0x49, 0xaf, 0x30, 0x6d, 0x1b },
		{ 0x00, 0xc7, 0x18, 0x6e, 0x93, 0x2a, 0xf0, 0x55,
		  0x0d, 0xb4, 0x71, 0x8e, 0x26, 0xc9, 0x3f, 0xa0 },
	};
	char text[40];
	struct tn_checkpoint *cp = &vm_checkpoint.cp;

	for (int i = 0; i < VM_ENTRIES; i++) {
		snprintf(text, sizeof(text), "tracenet test vector entry %d", i + 1);
		cx_hash(text, strlen(text), vm_entries[i]);
	}
	memcpy(vm_checkpoint.mid, mids[0], TN_MID_LEN);
	memcpy(vm_cosignature.mid, mids[1], TN_MID_LEN);
	vt_root(vm_entries, VM_FROM, vm_from_root);
	vt_root(vm_entries, VM_ENTRIES, cp->root);
	memcpy(cp->head, vm_entries[VM_ENTRIES - 1], TN_HASH_LEN);
	vm_checkpoint.n_proof = TN_HASH_LEN * vt_proof(vm_entries, VM_FROM, VM_ENTRIES, proof);
	memcpy(vm_cosignature.root, cp->root, TN_HASH_LEN);
	memcpy(vm_cosignature.held_root, cp->root, TN_HASH_LEN);
}

struct tn_key_rotation vm_key_rotation = {
	.mid = { 0x02, 0x5d, 0x0e, 0x8a, 0x31, 0xc4, 0x77, 0x19,
		 0xa2, 0x6b, 0xf0, 0x43, 0x98, 0x1d, 0xe5, 0x2c },
	.node = "GTM",
	.ts = VM_ROTATION_TS,
};

int vec_rotation_sign(const struct cx_id *old, const struct cx_id *next)
{
	return cx_rotation_sign(old, next, &vm_key_rotation);
}

int vec_msgs_sign(const struct cx_id *node, const struct cx_id *witness)
{
	struct tn_checkpoint *cp = &vm_checkpoint.cp;
	int rc;

	if ((rc = cx_checkpoint_sign(node, cp)) || (rc = cx_cosign(witness, cp, vm_cosignature.sig)))
		return rc;
	vm_checkpoint_held.cp = *cp;
	memcpy(vm_checkpoint_held.cosig, vm_cosignature.sig, TN_SIG_LEN);
	return 0;
}

/* Message ids as the reference node makes them: 0x01 || ref (8 bytes, big
 * endian) || 7 random bytes for its trace requests, 0x00 || 15 random bytes
 * for anything else it queues. */
int vec_msgs_init(void)
{
	static const uint8_t req_tail[7] = { 0x00, 0x7b, 0x11, 0xcb, 0x6c, 0xa1, 0x58 };
	static const uint8_t ack_mid[TN_MID_LEN] = {
		0x00, 0xe4, 0xb1, 0x58, 0xc1, 0x01, 0x66, 0xe7,
		0x35, 0x40, 0x1a, 0x22, 0xdb, 0xc1, 0x6d, 0x06,
	};
	static const uint8_t result_mid[TN_MID_LEN] = {
		0x00, 0xb6, 0x55, 0x59, 0x14, 0x17, 0x8c, 0x91,
		0xe0, 0x58, 0xda, 0xe8, 0x83, 0x77, 0x25, 0x06,
	};
	struct proto_buf b = { 0 };
	int rc;

	vm_request.mid[0] = 1;
	for (int i = 8; i >= 1; i--)
		vm_request.mid[i] = (uint8_t)(TRACE_REF >> (8 * (8 - i)));
	memcpy(vm_request.mid + 9, req_tail, sizeof req_tail);
	memcpy(vm_trace_ack.mid, ack_mid, TN_MID_LEN);
	memcpy(vm_trace_result.mid, result_mid, TN_MID_LEN);
	memcpy(vm_trace_candidates.mid, result_mid, TN_MID_LEN);
	vm_trace_candidates.mid[TN_MID_LEN - 1] ^= 0x80;
	memcpy(vm_ack.mid, result_mid, TN_MID_LEN);
	checkpoint_init();
	vm_trace_result.first_retail = chain[2];
	vm_trace_result.time_to_crime_days = proto_date_diff(chain[2].date,
							     vm_request.recovered_on);
	if ((rc = proto_encode(&proto_trace_request_schema, &vm_request, &b)) == 0)
		cx_hash_for(CX_REQUEST, b.data, b.len, vm_trace_result.request_digest);
	memcpy(vm_trace_candidates.request_digest, vm_trace_result.request_digest, TN_HASH_LEN);
	proto_buf_free(&b);
	return rc;
}
