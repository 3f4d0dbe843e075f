/* SPDX-License-Identifier: Apache-2.0 */
/* tracectl trace request|list|show|wait|follow, inbox, approve, deny, and
 * their receipts. */
#include <stdlib.h>
#include <string.h>

#include "ctl.h"

/* Options go to the firearm, the request or the command, in that order. */
static int set_opt(struct tn_trace_arg *a, const char *key, const char *val)
{
	int rc;

	rc = proto_field_set(&proto_firearm_schema, &a->req.firearm, key, val);
	if (rc == TN_ERR_NOT_FOUND)
		rc = proto_field_set(&proto_trace_request_schema, &a->req, key, val);
	if (rc == TN_ERR_NOT_FOUND && strcmp(key, "mid") && strcmp(key, "ref"))
		rc = proto_field_set(&proto_trace_arg_schema, a, key, val);
	return rc;
}

static int parse_request(struct tn_trace_arg *a, int argc, char **argv)
{
	int rc;

	for (int i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "--urgent")) {
			a->req.urgent = true;
			continue;
		}
		if (strncmp(argv[i], "--", 2) || i + 1 >= argc)
			return ctl_fail("expected --option VALUE, got '%s'", argv[i]);
		if ((rc = set_opt(a, ctl_opt_key(argv[i]), argv[i + 1])))
			return ctl_fail("%s: %s", argv[i], rc == TN_ERR_NOT_FOUND ? "unknown option" :
					rc == TN_ERR_TOO_BIG ? "value too long" : "bad value");
		i++;
	}
	return 0;
}

/* The serial, or why there is none. */
static const char *serial_of(const struct tn_firearm *f)
{
	return f->serial[0] || !f->serial_obliterated ? ctl_str(f->serial) : "obliterated";
}

static void print_trace_line(const struct tn_trace *t)
{
	printf("%-6llu %-4s %-12s %-10s ", (unsigned long long)t->id, ctl_str(t->peer),
	       ctl_str(t->status), ctl_str(t->req.recovered_on));
	printf("%-20s %-16s %s", ctl_str(t->req.firearm.make), serial_of(&t->req.firearm),
	       ctl_str(t->result.status));
	if (t->overdue)
		printf("OVERDUE (no answer; deadline %s)", ctl_str(t->deadline));
	putchar('\n');
}

static void print_list(const void *obj)
{
	const struct tn_trace_list *l = obj;

	if (!l->n) {
		printf("no trace\n");
		return;
	}
	printf("%-6s %-4s %-12s %-10s %-20s %-16s %s\n", "ID", "TO", "STATUS", "RECOVERED",
	       "MAKE", "SERIAL", "RESULT");
	for (uint32_t i = 0; i < l->n; i++)
		print_trace_line(&l->traces[i]);
}

static void print_result(const struct tn_trace *t)
{
	const struct tn_trace_result *r = &t->result;

	printf("result from %s: %s", ctl_str(t->peer), ctl_str(r->status));
	printf("%s%s%s\n", r->reason[0] ? " (" : "", ctl_str(r->reason), r->reason[0] ? ")" : "");
	for (uint32_t i = 0; i < r->n_chain; i++)
		ctl_print_event(&r->chain[i]);
	ctl_print_cands(r->candidates, r->n_cand, "  candidate: ");
	ctl_print_more(r->more_candidates);
	if (r->n_cand)
		printf("next step: confirm one on the gun, then tracectl trace request --to %s "
		       "--serial SERIAL ...\n", ctl_str(t->peer));
	if (r->first_retail.kind[0]) {
		printf("first retail sale: %s", ctl_str(r->first_retail.date));
		printf("%s%s\n", r->first_retail.party[0] ? " by " : "", ctl_str(r->first_retail.party));
	}
	if (r->time_to_crime_days >= 0)
		printf("time to crime: %lld days\n", (long long)r->time_to_crime_days);
	if (r->handling[0])
		printf("handling: %s\n", ctl_str(r->handling));
	if (r->export_to[0]) {
		printf("exported to %s", ctl_str(r->export_to));
		printf("%s%s", r->export_date[0] ? " on " : "", ctl_str(r->export_date));
		printf("%s%s\n", r->export_ref[0] ? ", ref " : "", ctl_str(r->export_ref));
		printf("next step: tracectl trace follow %llu\n", (unsigned long long)t->id);
	}
}

static void print_trace(const void *obj)
{
	const struct tn_trace *t = obj;
	const struct tn_firearm *f = &t->req.firearm;

	printf("trace %llu to %s: %s", (unsigned long long)t->id, ctl_str(t->peer),
	       ctl_str(t->status));
	printf("%s%s\n", t->deadline[0] ? ", deadline " : "", ctl_str(t->deadline));
	printf("  case %s, crime %s, recovered %s", ctl_str(t->req.case_ref), ctl_str(t->req.crime),
	       ctl_str(t->req.recovered_on));
	printf("%s%s\n", t->req.recovered_at[0] ? " at " : "", ctl_str(t->req.recovered_at));
	printf("  firearm %s%s%s", ctl_str(f->make), f->model[0] ? " " : "", ctl_str(f->model));
	printf("%s%s, serial %s\n", f->caliber[0] ? ", " : "", ctl_str(f->caliber), serial_of(f));
	if (t->req.follows)
		printf("  follows trace %llu\n", (unsigned long long)TN_REF_ID(t->req.follows));
	if (t->result.status[0])
		print_result(t);
}

static int trace_request(struct ctl *c, int argc, char **argv)
{
	struct tn_trace_arg a = { 0 };

	if (parse_request(&a, argc, argv))
		return 1;
	ctl_default_officer(a.officer);
	return ctl_run(c, CMD_TRACE_REQUEST, &a, print_trace);
}

static int trace_follow(struct ctl *c, int argc, char **argv)
{
	struct tn_trace_arg a = { 0 };

	if (argc < 1)
		return ctl_fail("usage: trace follow ID [--officer ID] [--ordered-by ID] "
				"[--purpose P]");
	if (ctl_parse_id("trace", argv[0], &a.follow) || parse_request(&a, argc - 1, argv + 1))
		return 1;
	ctl_default_officer(a.officer);
	return ctl_run(c, CMD_TRACE_REQUEST, &a, print_trace);
}

/* Write the trace's receipt to path. */
static int save_receipt(struct ctl *c, uint64_t id, const char *path)
{
	struct tn_id_arg a = { .id = id };
	struct tn_trace t;
	struct proto_msg *m;
	int rc;

	if (ctl_call(c, CMD_TRACE_SHOW, &a, &m))
		return 1;
	rc = proto_msg_decode(m, "data", &proto_trace_schema, &t);
	proto_msg_free(m);
	if (rc)
		return ctl_fail("malformed reply");
	if (!t.n_receipt)
		rc = ctl_fail("trace %llu has no signed result yet", (unsigned long long)id);
	else if (!(rc = ctl_save_receipt(path, t.receipt, t.n_receipt)))
		printf("receipt of trace %llu written to %s (check it with tracectl verify %s)\n",
		       (unsigned long long)id, path, path);
	proto_release(&proto_trace_schema, &t);
	return rc;
}

static int trace_show(struct ctl *c, int argc, char **argv)
{
	struct tn_id_arg a = { 0 };

	if (argc != 1 && !(argc == 3 && !strcmp(argv[1], "--receipt")))
		return ctl_fail("usage: trace show ID [--receipt FILE]");
	if (ctl_parse_id("trace", argv[0], &a.id))
		return 1;
	if (argc == 3)
		return save_receipt(c, a.id, argv[2]);
	return ctl_run(c, CMD_TRACE_SHOW, &a, print_trace);
}

/* The node answers once the trace has its result, or the timeout passed. */
static int trace_wait(struct ctl *c, int argc, char **argv)
{
	struct tn_id_arg a = { 0 };
	struct proto_msg *m;
	char *end;
	long s = 30;

	if (argc == 3 && !strcmp(argv[1], "--timeout")) {
		s = strtol(argv[2], &end, 10);
		if (*end || s < 1 || s > 3600)
			return ctl_fail("--timeout takes whole seconds, from 1 to 3600");
	} else if (argc != 1) {
		return ctl_fail("usage: trace wait ID [--timeout SECONDS]");
	}
	if (ctl_parse_id("trace", argv[0], &a.id))
		return 1;
	a.timeout_s = (uint32_t)s;
	if (ctl_call(c, CMD_TRACE_WAIT, &a, &m))
		return 1;
	return ctl_output(c, CMD_TRACE_WAIT, m, print_trace);
}

static void print_in(const struct tn_trace_in *t)
{
	const struct tn_firearm *f = &t->req.firearm;

	printf("%-6llu %-4s %-10s %-10s ", (unsigned long long)t->id, ctl_str(t->peer),
	       ctl_str(t->status), ctl_str(t->req.recovered_on));
	printf("%-16s %-20s %-16s %s\n", ctl_str(t->req.case_ref), ctl_str(f->make), serial_of(f),
	       t->req.urgent ? "URGENT" : "");
}

static void print_inbox(const void *obj)
{
	const struct tn_trace_in_list *l = obj;

	if (!l->n) {
		printf("inbox empty\n");
		return;
	}
	printf("%-6s %-4s %-10s %-10s %-16s %-20s %-16s\n", "ID", "FROM", "STATUS", "RECOVERED",
	       "THEIR CASE", "MAKE", "SERIAL");
	for (uint32_t i = 0; i < l->n; i++)
		print_in(&l->traces[i]);
}

static int inbox(struct ctl *c, int argc, char **argv)
{
	struct tn_find_arg a = { 0 };

	if (argc == 1 && !strcmp(argv[0], "--all"))
		a.all = true;
	else if (argc)
		return ctl_fail("usage: inbox [--all]");
	return ctl_run(c, CMD_INBOX, &a, print_inbox);
}

static void print_one_in(const void *obj)
{
	const struct tn_trace_in *t = obj;

	printf("request %llu from %s: %s", (unsigned long long)t->id, ctl_str(t->peer),
	       ctl_str(t->status));
	printf("%s%s%s\n", t->result_status[0] ? " (" : "", ctl_str(t->result_status),
	       t->result_status[0] ? ")" : "");
}

static int review(struct ctl *c, enum tn_cmd cmd, int argc, char **argv)
{
	struct tn_id_arg a = { 0 };

	if (argc < 1)
		return ctl_fail("usage: %s ID%s", tn_cmds[cmd].name,
				cmd == CMD_DENY ? " [--reason TEXT]" : "");
	if (ctl_parse_id("trace", argv[0], &a.id) || ctl_opts(&proto_id_arg_schema, &a, argc - 1, argv + 1))
		return 1;
	return ctl_run(c, cmd, &a, print_one_in);
}

static int approve(struct ctl *c, int argc, char **argv)
{
	return review(c, CMD_APPROVE, argc, argv);
}

static int deny(struct ctl *c, int argc, char **argv)
{
	return review(c, CMD_DENY, argc, argv);
}

const struct ctl_cmd ctl_trace_cmds[] = {
	{ "trace request", trace_request,
	  "--to NAME --make M --serial S [--model --caliber --type --importer] --recovered-on "
	  "DATE --recovered-at PLACE --crime CODE --case REF [--agency --grounds --possessor "
	  "--urgent] [--officer ID] [--ordered-by ID] [--purpose P] [--wait SECONDS]" },
	{ "trace follow", trace_follow, "ID [--officer ID] [--ordered-by ID] [--purpose P] "
	  "[--wait SECONDS] (send the trace on to its export country)" },
	{ "trace list", NULL, "", CMD_TRACE_LIST, print_list },
	{ "trace show", trace_show, "ID [--receipt FILE]" },
	{ "trace wait", trace_wait, "ID [--timeout SECONDS]" },
	{ "inbox", inbox, "[--all] (peers' trace requests waiting for review)" },
	{ "approve", approve, "ID" },
	{ "deny", deny, "ID [--reason TEXT]" },
	{ NULL },
};
