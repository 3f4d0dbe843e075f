/* SPDX-License-Identifier: Apache-2.0 */
/* tracectl verify on an audit export: every check made offline from the
 * file (signatures, entry hashes, order, links, head), the signing key
 * compared with the one expected (a key, a card, or the node at -d DIR),
 * and one line per problem found. */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ctl.h"
#include "../../crypto/cx.h"

struct problem {
	uint64_t seq;                      /* the entry (0: the export itself) */
	char what[TN_TEXT_LEN];
};

static const struct proto_field problem_fields[] = {
	PF_U64_OF(struct problem, seq, PF_ID),
	PF_STR_OF(struct problem, what, 0),
};
static const struct proto_schema problem_schema = PROTO_SCHEMA(struct problem, problem_fields);

/* What the check found, for either output. */
struct report {
	bool valid;
	char node[TN_NAME_LEN];
	char signer_fingerprint[CX_FP_LEN];
	char signer_key[CX_KEY_TEXT_LEN];
	char signer_checked[8];            /* "key", "card", "node", "peer", "" (not) */
	char signer_name[TN_NAME_LEN];     /* whose key it is, when checked */
	uint64_t made_ms;
	char time[32];
	uint32_t entries;
	uint64_t first_seq, last_seq;
	uint64_t head_seq;
	uint8_t head_hash[TN_HASH_LEN];
	uint64_t anchor_seq;
	struct tn_audit_arg filter;
	uint32_t n, cap;
	struct problem *problems;
};

static const struct proto_field report_fields[] = {
	PF_BOOL_OF(struct report, valid, 0),
	PF_STR_OF(struct report, node, 0),
	PF_STR_OF(struct report, signer_fingerprint, 0),
	PF_STR_OF(struct report, signer_key, 0),
	PF_STR_OF(struct report, signer_checked, 0),
	PF_STR_OF(struct report, signer_name, 0),
	PF_U64_OF(struct report, made_ms, 0),  /* a time, not an id: a number */
	PF_STR_OF(struct report, time, 0),
	PF_U32_OF(struct report, entries, 0),
	PF_U64_OF(struct report, first_seq, PF_ID),
	PF_U64_OF(struct report, last_seq, PF_ID),
	PF_U64_OF(struct report, head_seq, PF_ID),
	PF_BIN_OF(struct report, head_hash, 0),
	PF_U64_OF(struct report, anchor_seq, PF_ID),
	PF_OBJ_OF(struct report, filter, 0, proto_audit_arg_schema),
	PF_ARR_OF(struct report, problems, n, UINT32_MAX, 0, problem_schema),
};
static const struct proto_schema report_schema = PROTO_SCHEMA(struct report, report_fields);

/* Note a problem (cx_export_problem_fn); one the list cannot hold is
 * still counted as a failure. */
static void add_problem(void *arg, uint64_t seq, const char *what)
{
	struct report *r = arg;

	r->valid = false;
	if (proto_grow((void **)&r->problems, r->n, &r->cap, sizeof(*r->problems)))
		return;
	r->problems[r->n].seq = seq;
	proto_strcpy(r->problems[r->n++].what, TN_TEXT_LEN, what);
}

static void describe(const struct tn_audit_export *x, struct report *r)
{
	time_t t = (time_t)(x->made_ms / 1000);
	struct tm tm;

	memset(r, 0, sizeof(*r));
	r->valid = true;
	memcpy(r->node, x->node, sizeof(r->node));
	cx_fingerprint(x->key, r->signer_fingerprint);
	cx_key_format(x->key, r->signer_key);
	r->made_ms = x->made_ms;
	proto_strcpy(r->time, sizeof(r->time), "?");
	if (gmtime_r(&t, &tm))
		strftime(r->time, sizeof(r->time), "%Y-%m-%dT%H:%M:%SZ", &tm);
	r->entries = x->n;
	r->first_seq = x->n ? x->entries[0].seq : 0;
	r->last_seq = x->n ? x->entries[x->n - 1].seq : 0;
	r->head_seq = x->head_seq;
	memcpy(r->head_hash, x->head_hash, TN_HASH_LEN);
	r->anchor_seq = x->anchor.seq;
	r->filter = x->filter;
}

/* The key of the node at c->dir, from its card. */
static int own_key(struct ctl *c, uint8_t pk[CX_PK_LEN], char name[TN_NAME_LEN])
{
	struct tn_card_info ci;
	struct cx_card card;
	struct proto_msg *m;
	int rc;

	if (ctl_call(c, CMD_CARD, NULL, &m))
		return 1;
	rc = proto_msg_decode(m, "data", &proto_card_info_schema, &ci) || cx_card_parse(&card,
											 ci.card);
	proto_msg_free(m);
	if (rc)
		return ctl_fail("cannot read the card of the node at %s", c->dir);
	memcpy(pk, card.pk, CX_PK_LEN);
	memcpy(name, card.name, TN_NAME_LEN);
	return 0;
}

/* With -d DIR: the key must be that node's own, or a peer's it pins. */
static int check_by_node(struct ctl *c, const struct tn_audit_export *x, struct report *r)
{
	uint8_t pk[CX_PK_LEN];
	char what[TN_TEXT_LEN];

	if (own_key(c, pk, r->signer_name))
		return 1;
	if (!memcmp(pk, x->key, CX_PK_LEN)) {
		proto_strcpy(r->signer_checked, sizeof(r->signer_checked), "node");
		return 0;
	}
	if (ctl_pinned_holder(c, x->key, r->signer_name))
		return 1;
	if (r->signer_name[0]) {
		proto_strcpy(r->signer_checked, sizeof(r->signer_checked), "peer");
		return 0;
	}
	snprintf(what, sizeof(what), "signed by key %s, which is neither the key of the node at "
		 "%s nor a peer's it pins", r->signer_fingerprint, c->dir);
	add_problem(r, 0, what);
	return 0;
}

/* Whose key signed: the one given, the node's, a pinned peer's, or (none
 * of those asked for) unchecked. 1 when the check could not be made. */
static int check_signer(struct ctl *c, const struct tn_audit_export *x, int argc, char **argv,
			struct report *r)
{
	uint8_t want[CX_PK_LEN];
	char what[TN_TEXT_LEN];
	int given;

	if (ctl_expected_signer(argc, argv, want, r->signer_name, &given))
		return 1;
	if (given) {
		proto_strcpy(r->signer_checked, sizeof(r->signer_checked), argv[0] + 2);
		if (memcmp(want, x->key, CX_PK_LEN)) {
			snprintf(what, sizeof(what), "signed by key %s, not by the key you gave%s%s",
				 r->signer_fingerprint, r->signer_name[0] ? " for " : "",
				 r->signer_name);
			add_problem(r, 0, what);
			r->signer_checked[0] = r->signer_name[0] = '\0';
		}
	} else if (c->dir && check_by_node(c, x, r)) {
		return 1;
	}
	if (r->signer_name[0] && strcmp(r->signer_name, x->node)) {
		snprintf(what, sizeof(what), "the export says it comes from %s, but %s signed it",
			 ctl_str(x->node), r->signer_name);
		add_problem(r, 0, what);
	}
	return 0;
}

/* How the key was checked, by signer_checked. */
static const char *const checked_how[][2] = {
	{ "card", "from the card given" }, { "node", "this node's own" },
	{ "peer", "a peer pinned by this node" },
};

static void print_text(const struct report *r)
{
	const char *how = NULL;

	if (!r->valid) {
		for (uint32_t i = 0; i < r->n; i++)
			ctl_fail("%s", r->problems[i].what);
		return;
	}
	printf("audit export of %s, signed by %s on %s: %u entr%s", ctl_str(r->node),
	       r->signer_fingerprint, r->time, r->entries, r->entries == 1 ? "y" : "ies");
	if (r->entries)
		printf(" (seq %llu..%llu)", (unsigned long long)r->first_seq,
		       (unsigned long long)r->last_seq);
	printf(", every hash intact\n");
	for (size_t i = 0; i < sizeof(checked_how) / sizeof(checked_how[0]); i++)
		if (!strcmp(r->signer_checked, checked_how[i][0]))
			how = checked_how[i][1];
	if (how)
		printf("the key is %s's, %s\n", r->signer_name, how);
	else if (r->signer_checked[0])
		printf("the key is the one given with --key\n");
	else
		printf("the key was not compared with one you trust: give --key, --card or -d DIR\n");
}

int ctl_verify_export(struct ctl *c, const struct tn_audit_export *x, int argc, char **argv)
{
	struct report r;
	int rc;

	describe(x, &r);
	if (cx_init())
		return ctl_fail("cannot start the crypto library");
	if ((rc = check_signer(c, x, argc, argv, &r)) == 0 &&
	    (rc = cx_export_check(x, add_problem, &r)) >= 0) {
		rc = 0;
		if (c->json && proto_json_write(&report_schema, &r, stdout))
			rc = ctl_fail("cannot show the report");
		else if (!c->json)
			print_text(&r);
		rc = rc || !r.valid;
	} else if (rc < 0) {
		rc = ctl_fail("cannot check the export: %s", tn_strerror(rc));
	}
	free(r.problems);
	return rc;
}
