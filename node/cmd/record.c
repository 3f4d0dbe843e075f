/* SPDX-License-Identifier: Apache-2.0 */
/* Console commands on firearm records: add, show, find, event, import. */
#include <stdlib.h>
#include <string.h>

#include "cmd.h"

/* A write in flight: the request, its decoded input and its output. */
struct record_job {
	struct console_req *req;
	struct tn_record rec;
	struct tn_event_arg ev;
	struct tn_record_list list;
	struct tn_import_result res;
	uint32_t n_invalid;        /* errors found before the batch */
	char why[TN_TEXT_LEN];
};

static void job_free(struct record_job *j)
{
	proto_release(&proto_record_schema, &j->rec);
	proto_release(&proto_record_list_schema, &j->list);
	free(j->res.errors);
	free(j);
}

static void reply_record(void *arg, int rc)
{
	struct record_job *j = arg;

	if (rc)
		console_fail(j->req, rc, j->why[0] ? j->why : NULL);
	else
		console_ok(j->req, &proto_record_schema, &j->rec);
	job_free(j);
}

static int add_op(struct store_txn *t, void *arg)
{
	struct record_job *j = arg;
	int rc = store_record_add(t, &j->rec);

	if (rc == TN_ERR_EXISTS)
		snprintf(j->why, sizeof(j->why), "same make, serial and model as a record on file");
	return rc ? rc : node_audit_local(t, "record.add", j->rec.id, "%s %s", j->rec.make,
					  j->rec.serial);
}

static int record_add(struct console_req *r)
{
	struct record_job *j = calloc(1, sizeof(*j));
	char why[TN_TEXT_LEN];

	if (!j)
		return TN_ERR_NOMEM;
	if (console_args(r, &proto_record_schema, &j->rec)) {
		job_free(j);
		return 0;
	}
	if (proto_record_check(&j->rec, why, sizeof(why))) {
		console_fail(r, TN_ERR_INVALID, why);
		job_free(j);
		return 0;
	}
	j->req = console_defer(r);
	batch_add(console_node(r), add_op, reply_record, j);
	return 0;
}

static int record_show(struct console_req *r)
{
	struct tn_id_arg a;
	struct tn_record rec;
	struct store_txn *t;
	int rc;

	if (console_args(r, &proto_id_arg_schema, &a))
		return 0;
	if ((rc = store_read_begin(console_node(r)->store, &t)))
		return rc;
	rc = store_record_get(t, a.id, &rec);
	store_read_end(t);
	if (rc)
		return rc;
	console_ok(r, &proto_record_schema, &rec);
	proto_release(&proto_record_schema, &rec);
	return 0;
}

struct collect {
	struct tn_record_list l;
	uint32_t cap;
};

/* Keep a deep copy of each match: the callback's record is borrowed. */
static int collect_record(void *arg, const struct tn_record *rec)
{
	struct collect *c = arg;

	return node_collect((void **)&c->l.records, &c->l.n, &c->cap, &proto_record_schema, rec);
}

static int record_find(struct console_req *r)
{
	struct tn_find_arg a;
	struct collect c = { 0 };
	struct store_txn *t;
	int rc;

	if (console_args(r, &proto_find_arg_schema, &a))
		return 0;
	if (!a.serial[0]) {
		console_fail(r, TN_ERR_INVALID, "--serial is required");
		return 0;
	}
	if ((rc = store_read_begin(console_node(r)->store, &t)) == 0) {
		rc = store_record_find(t, a.make, a.serial, collect_record, &c);
		store_read_end(t);
	}
	if (rc >= 0)
		console_ok(r, &proto_record_list_schema, &c.l);
	proto_release(&proto_record_list_schema, &c.l);
	return rc < 0 ? rc : 0;
}

static int event_op(struct store_txn *t, void *arg)
{
	struct record_job *j = arg;
	int rc = store_record_add_event(t, j->ev.id, &j->ev.event);

	rc = rc ? rc : node_audit_local(t, "record.event", j->ev.id, "%s", j->ev.event.kind);
	proto_release(&proto_record_schema, &j->rec);
	return rc ? rc : store_record_get(t, j->ev.id, &j->rec);
}

static int record_event(struct console_req *r)
{
	struct record_job *j = calloc(1, sizeof(*j));
	char why[TN_TEXT_LEN];

	if (!j)
		return TN_ERR_NOMEM;
	if (console_args(r, &proto_event_arg_schema, &j->ev)) {
		job_free(j);
		return 0;
	}
	if (proto_event_check(&j->ev.event, why, sizeof(why))) {
		console_fail(r, TN_ERR_INVALID, why);
		job_free(j);
		return 0;
	}
	j->req = console_defer(r);
	batch_add(console_node(r), event_op, reply_record, j);
	return 0;
}

static void row_error(struct tn_import_result *res, uint32_t index, int code, const char *why)
{
	struct tn_row_error *e = &res->errors[res->n++];

	e->index = index;
	e->code = code;
	snprintf(e->error, sizeof(e->error), "%s", why ? why : tn_strerror(code));
}

/* Records that failed their checks are marked with id UINT64_MAX. */
static int import_op(struct store_txn *t, void *arg)
{
	struct record_job *j = arg;
	int rc;

	j->res.imported = 0;
	j->res.n = j->n_invalid;
	for (uint32_t i = 0; i < j->list.n; i++) {
		struct tn_record *rec = &j->list.records[i];

		if (rec->id == UINT64_MAX)
			continue;
		rc = store_record_add(t, rec);
		if (rc == TN_ERR_EXISTS)
			row_error(&j->res, i, rc, "same make, serial and model as a record on file");
		else if (rc == TN_ERR_INVALID)
			row_error(&j->res, i, rc, NULL);
		else if (rc)
			return rc;
		else
			j->res.imported++;
	}
	return node_audit_local(t, "record.import", 0, "%u imported", j->res.imported);
}

static void reply_import(void *arg, int rc)
{
	struct record_job *j = arg;

	if (rc)
		console_fail(j->req, rc, NULL);
	else
		console_ok(j->req, &proto_import_result_schema, &j->res);
	job_free(j);
}

static int record_import(struct console_req *r)
{
	struct record_job *j = calloc(1, sizeof(*j));
	char why[TN_TEXT_LEN];

	if (!j)
		return TN_ERR_NOMEM;
	if (console_args(r, &proto_record_list_schema, &j->list)) {
		job_free(j);
		return 0;
	}
	if (!(j->res.errors = calloc(j->list.n + 1, sizeof(*j->res.errors)))) {
		job_free(j);
		return TN_ERR_NOMEM;
	}
	for (uint32_t i = 0; i < j->list.n; i++) {
		j->list.records[i].id = 0;
		if (proto_record_check(&j->list.records[i], why, sizeof(why)) == 0)
			continue;
		j->list.records[i].id = UINT64_MAX;
		row_error(&j->res, i, TN_ERR_INVALID, why);
	}
	j->n_invalid = j->res.n;
	j->req = console_defer(r);
	batch_add(console_node(r), import_op, reply_import, j);
	return 0;
}

const struct console_cmd cmd_record_table[] = {
	{ "record.add", record_add },
	{ "record.show", record_show },
	{ "record.find", record_find },
	{ "record.event", record_event },
	{ "record.import", record_import },
	{ NULL, NULL },
};
