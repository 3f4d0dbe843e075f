/* SPDX-License-Identifier: Apache-2.0 */
/* Console commands on firearm records: add, show, find, event (import is
 * in import.c). */
#include <stdlib.h>
#include <string.h>

#include "cmd.h"

static int add_op(struct store_txn *t, void *arg)
{
	struct cmd_write *w = arg;
	struct tn_record *rec = w->args;
	int rc = store_record_add(t, rec);

	if (rc == TN_ERR_EXISTS)
		proto_strcpy(w->why, sizeof(w->why), "same make, serial and model as a record on file");
	return rc ? rc : node_audit_local(t, "record.add", rec->id, "%s %s", rec->make,
					  rec->serial);
}

static int record_add(struct console_req *r, void *args)
{
	char why[TN_TEXT_LEN];

	if (proto_record_check(args, why, sizeof(why)))
		return cmd_fail(r, TN_ERR_INVALID, why);
	return cmd_write_args(r, args, add_op, NULL);
}

static int record_show(struct console_req *r, void *args)
{
	struct tn_id_arg *a = args;
	struct tn_record rec;
	struct store_txn *t;
	char why[TN_TEXT_LEN] = "";
	int rc;

	if ((rc = store_read_begin(console_node(r)->store, &t)))
		return rc;
	rc = store_record_get(t, a->id, &rec);
	store_read_end(t);
	if (rc)
		return cmd_fail(r, cmd_missing(why, rc, "record", a->id), why);
	console_ok(r, &proto_record_schema, &rec);
	proto_release(&proto_record_schema, &rec);
	return 0;
}

static int add_record(void *l, const struct tn_record *rec)
{
	return cmd_list_add(l, rec, NULL);
}

static int find_walk(struct store_txn *t, struct cmd_list *l)
{
	const struct tn_find_arg *a = l->args;

	return store_record_find(t, a->make, a->serial, add_record, l);
}

static int record_find(struct console_req *r, void *args)
{
	const struct tn_find_arg *a = args;

	if (!a->serial[0])
		return cmd_fail(r, TN_ERR_INVALID, "--serial is required");
	return cmd_list(r, args, find_walk);
}

/* The limit is refused rather than cut: a caller asking for 500 should
 * know it gets 50. */
static int record_match(struct console_req *r, void *args)
{
	const struct tn_match_arg *a = args;
	struct tn_cand_list l = { 0 };
	struct match_query q;
	struct store_txn *t;
	char why[TN_TEXT_LEN];
	int rc;

	if (a->limit > MATCH_K_MAX) {
		snprintf(why, sizeof(why), "--limit %u is more than %d candidates", a->limit,
			 MATCH_K_MAX);
		return cmd_fail(r, TN_ERR_INVALID, why);
	}
	if (match_query_init(&q, a->make, a->serial, a->model, a->caliber, a->type, true))
		return cmd_fail(r, TN_ERR_INVALID, "serial has nothing readable (or the make has "
				"no letters or digits): write what can be read, '?' for each "
				"unreadable character");
	if ((rc = store_read_begin(console_node(r)->store, &t)))
		return rc;
	rc = candidates_find(t, &q, a->limit ? a->limit : MATCH_K_DEFAULT, &l);
	store_read_end(t);
	if (rc == TN_ERR_LIMIT)
		return cmd_fail(r, rc, "serial has too many unreadable characters to search: "
				"at most 2, or more after at least 3 readable ones");
	if (rc)
		return rc;
	console_ok(r, &proto_cand_list_schema, &l);
	proto_release(&proto_cand_list_schema, &l);
	return 0;
}

static int event_op(struct store_txn *t, void *arg)
{
	struct cmd_write *w = arg;
	struct tn_event_arg *ev = w->args;
	int rc = store_record_add_event(t, ev->id, &ev->event);

	if (rc == TN_ERR_LIMIT)
		snprintf(w->why, sizeof(w->why), "record %llu already holds %d events, the most a "
			 "record can", (unsigned long long)ev->id, TN_EVENTS_MAX);
	cmd_missing(w->why, rc, "record", ev->id);
	rc = rc ? rc : node_audit_local(t, "record.event", ev->id, "%s", ev->event.kind);
	proto_release(&proto_record_schema, w->reply);
	return rc ? rc : store_record_get(t, ev->id, w->reply);
}

static int record_event(struct console_req *r, void *args)
{
	struct tn_event_arg *ev = args;
	char why[TN_TEXT_LEN];

	if (proto_event_check(&ev->event, why, sizeof(why)))
		return cmd_fail(r, TN_ERR_INVALID, why);
	return cmd_write_args(r, args, event_op, NULL);
}

const struct cmd_handler cmd_record_table[] = {
	{ CMD_RECORD_ADD, record_add },
	{ CMD_RECORD_SHOW, record_show },
	{ CMD_RECORD_FIND, record_find },
	{ CMD_RECORD_MATCH, record_match },
	{ CMD_RECORD_EVENT, record_event },
	{ CMD_COUNT, NULL },
};
