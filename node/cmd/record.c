/* SPDX-License-Identifier: Apache-2.0 */
/* Console commands on firearm records: add, show, find, event, import. */
#include <stdlib.h>
#include <string.h>

#include "cmd.h"

static int add_op(struct store_txn *t, void *arg)
{
	struct cmd_write *w = arg;
	struct tn_record *rec = w->args;
	int rc = store_record_add(t, rec);

	if (rc == TN_ERR_EXISTS)
		snprintf(w->why, sizeof(w->why), "same make, serial and model as a record on file");
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

/* An import: rows that failed their checks are marked with id UINT64_MAX
 * and already listed in the reply's errors. */
struct import_job {
	struct cmd_write w;
	uint32_t n_invalid;
};

static void row_error(struct tn_import_result *res, uint32_t index, int code, const char *why)
{
	struct tn_row_error *e = &res->errors[res->n++];

	e->index = index;
	e->code = code;
	snprintf(e->error, sizeof(e->error), "%s", why ? why : tn_strerror(code));
}

static int import_op(struct store_txn *t, void *arg)
{
	struct import_job *j = arg;
	struct tn_record_list *list = j->w.args;
	struct tn_import_result *res = j->w.reply;
	int rc;

	res->imported = 0;
	res->n = j->n_invalid;
	for (uint32_t i = 0; i < list->n; i++) {
		struct tn_record *rec = &list->records[i];

		if (rec->id == UINT64_MAX)
			continue;
		rc = store_record_add(t, rec);
		if (rc == TN_ERR_EXISTS)
			row_error(res, i, rc, "same make, serial and model as a record on file");
		else if (rc == TN_ERR_INVALID)
			row_error(res, i, rc, NULL);
		else if (rc)
			return rc;
		else
			res->imported++;
	}
	return node_audit_local(t, "record.import", 0, "%u imported", res->imported);
}

static int record_import(struct console_req *r, void *args)
{
	struct import_job *j = cmd_job(r, args, sizeof(*j));
	struct tn_record_list *list = args;
	struct tn_import_result *res;
	char why[TN_TEXT_LEN];

	if (!j)
		return TN_ERR_NOMEM;
	res = j->w.reply;
	if (!(res->errors = calloc(list->n + 1, sizeof(*res->errors))))
		return TN_ERR_NOMEM;
	for (uint32_t i = 0; i < list->n; i++) {
		list->records[i].id = 0;
		if (proto_record_check(&list->records[i], why, sizeof(why)) == 0)
			continue;
		list->records[i].id = UINT64_MAX;
		row_error(res, i, TN_ERR_INVALID, why);
	}
	j->n_invalid = res->n;
	return cmd_write(&j->w, import_op, NULL);
}

const struct cmd_handler cmd_record_table[] = {
	{ CMD_RECORD_ADD, record_add },
	{ CMD_RECORD_SHOW, record_show },
	{ CMD_RECORD_FIND, record_find },
	{ CMD_RECORD_EVENT, record_event },
	{ CMD_RECORD_IMPORT, record_import },
	{ CMD_COUNT, NULL },
};
