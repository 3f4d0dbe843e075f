/* SPDX-License-Identifier: Apache-2.0 */
/* tracectl query stolen and alerts. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "ctl.h"

struct items {
	struct tn_query_arg *a;
	uint32_t cap;
	int bad;
	bool fuzzy;     /* --fuzzy: every item, from the line or the file */
};

static struct tn_query_item *new_item(struct items *it)
{
	struct tn_query_item *p;

	if (it->a->n >= TN_QUERY_ITEMS_MAX ||
	    proto_grow((void **)&it->a->items, it->a->n, &it->cap, sizeof(*p)))
		return NULL;
	p = &it->a->items[it->a->n++];
	memset(p, 0, sizeof(*p));
	return p;
}

/* CSV rows: make,serial[,model[,caliber]]; a header line is skipped. */
static int on_row(void *arg, char **f, int n, unsigned long line)
{
	struct items *it = arg;
	struct tn_query_item *p;
	static const char *const keys[] = { "make", "serial", "model", "caliber" };

	if (line == 1 && n && !strcasecmp(f[0], "make"))
		return 0;
	if (n < 2 || n > 4 || !(p = new_item(it))) {
		it->bad = ctl_fail("line %lu: expected make,serial[,model[,caliber]] (at most %d rows)",
				   line, TN_QUERY_ITEMS_MAX);
		return 1;
	}
	for (int i = 0; i < n; i++)
		if (proto_field_set(&proto_query_item_schema, p, keys[i], f[i])) {
			it->bad = ctl_fail("line %lu: %s too long", line, keys[i]);
			return 1;
		}
	return 0;
}

static int on_bad(void *arg, unsigned long line, const char *why)
{
	struct items *it = arg;

	it->bad = ctl_fail("line %lu: %s", line, why);
	return 1;
}

static int read_items(struct items *it, const char *path)
{
	struct proto_csv *csv = proto_csv_new(on_row, on_bad, it);
	FILE *f = fopen(path, "r");
	char buf[65536];
	size_t n;

	if (!csv || !f) {
		proto_csv_free(csv);
		if (f)
			fclose(f);
		return ctl_fail("cannot read %s", path);
	}
	while (!it->bad && (n = fread(buf, 1, sizeof(buf), f)) > 0)
		proto_csv_feed(csv, buf, n);
	if (!it->bad)
		proto_csv_finish(csv);
	proto_csv_free(csv);
	fclose(f);
	return it->bad;
}

void ctl_default_officer(char officer[TN_REF_LEN])
{
	const char *env = getenv("TRACENET_OFFICER");

	if (!officer[0] && env)
		proto_strcpy(officer, TN_REF_LEN, env);
}

static int parse(struct items *it, struct tn_query_item *one, int argc, char **argv)
{
	struct tn_query_arg *a = it->a;
	const char *key;
	int rc;

	for (int i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "--all")) {
			a->all = true;
			continue;
		}
		if (!strcmp(argv[i], "--fuzzy")) {
			it->fuzzy = true;
			continue;
		}
		if (strncmp(argv[i], "--", 2) || i + 1 >= argc)
			return ctl_fail("expected --option VALUE, got '%s'", argv[i]);
		if (!strcmp(argv[i], "--file")) {
			if (read_items(it, argv[++i]))
				return 1;
			continue;
		}
		key = ctl_opt_key(argv[i]);
		rc = proto_field_set(&proto_query_item_schema, one, key, argv[i + 1]);
		if (rc == TN_ERR_NOT_FOUND)
			rc = proto_field_set(&proto_query_arg_schema, a, key, argv[i + 1]);
		if (rc)
			return ctl_fail("%s: %s", argv[i], rc == TN_ERR_NOT_FOUND ? "unknown option" :
					"bad value");
		i++;
	}
	return 0;
}

static void print_answer(const struct tn_query_arg *q, const struct tn_peer_answer *a)
{
	printf("%-4s %-11s", a->peer, a->status);
	if (!strcmp(a->mode, "blind"))
		printf(" (blind: %s saw no serial but those that hit)\n%-16s", a->peer, "");
	if (a->exact_only)
		printf(" (matched exactly only: its policy offers us no fuzzy matching, or our "
		       "daily limit is spent)\n%-16s", "");
	if (!a->n) {
		putchar('\n');
		return;
	}
	for (uint32_t i = 0; i < a->n; i++) {
		const struct tn_stolen *r = a->results[i].report;

		if (i)
			printf("%-16s", "");
		if (!a->results[i].hit || !r) {
			printf(" %-10s %s %s\n", a->results[i].hit ? "HIT" : "no hit",
			       i < q->n ? q->items[i].make : "?", i < q->n ? q->items[i].serial : "?");
			continue;
		}
		printf(" HIT        %s %s: %s %s", ctl_str(r->make), ctl_str(r->serial),
		       ctl_str(r->kind), ctl_str(r->date));
		ctl_fields(", ", "", "", r->place, "agency", r->agency, "case", r->case_ref, NULL);
		if (a->results[i].match[0])
			printf(" [matched: %s]", ctl_str(a->results[i].match));
		putchar('\n');
	}
}

static const struct tn_query_arg *shown_query;

static void print_reply(const void *obj)
{
	const struct tn_query_reply *r = obj;

	printf("query %016llx: %u hit(s)\n", (unsigned long long)r->qid, r->hits);
	for (uint32_t i = 0; i < r->n; i++)
		print_answer(shown_query, &r->peers[i]);
	if (r->hits)
		printf("signed answers are kept: tracectl receipt %016llx PEER --out FILE\n",
		       (unsigned long long)r->qid);
}

/* receipt QID PEER --out FILE: the signed answer of PEER to query QID. */
static int receipt(struct ctl *c, int argc, char **argv)
{
	struct tn_receipt_arg a = { 0 };
	struct tn_receipt_file f = { 0 };
	struct proto_msg *m;
	char *end;
	int rc;

	if (argc != 4 || strcmp(argv[2], "--out"))
		return ctl_fail("usage: receipt QID PEER --out FILE");
	a.qid = strtoull(argv[0], &end, 16);
	if (!argv[0][0] || *end || strlen(argv[0]) > 16)
		return ctl_fail("query id '%s' is not the 16 hex digits `query stolen` printed",
				argv[0]);
	if (proto_field_set(&proto_receipt_arg_schema, &a, "peer", argv[1]))
		return ctl_fail("peer '%s' is not a node name (three letters)", argv[1]);
	if (ctl_call(c, CMD_RECEIPT, &a, &m))
		return 1;
	rc = proto_msg_decode(m, "data", &proto_receipt_file_schema, &f);
	proto_msg_free(m);
	if (rc)
		return ctl_fail("malformed reply from the node");
	rc = ctl_save_receipt(argv[3], f.receipt, f.n);
	if (!rc)
		printf("receipt of %s's answer to query %016llx written to %s (check it with "
		       "tracectl verify %s)\n", a.peer, (unsigned long long)a.qid, argv[3], argv[3]);
	proto_release(&proto_receipt_file_schema, &f);
	return rc;
}

static int query_stolen(struct ctl *c, int argc, char **argv)
{
	struct tn_query_arg a = { 0 };
	struct tn_query_item one = { 0 };
	struct items it = { .a = &a };
	int rc = 1;

	if (parse(&it, &one, argc, argv))
		goto out;
	if ((one.make[0] || one.serial[0]) && !new_item(&it)) {
		ctl_fail("too many items");
		goto out;
	}
	if (one.make[0] || one.serial[0])
		a.items[a.n - 1] = one;
	if (!a.n) {
		ctl_fail("usage: query stolen --serial S --make M [--model X] [--fuzzy] "
			 "[--peer NAME | --all] | --file items.csv");
		goto out;
	}
	for (uint32_t i = 0; i < a.n; i++)
		a.items[i].fuzzy = a.items[i].fuzzy || it.fuzzy;
	ctl_default_officer(a.officer);
	shown_query = &a;
	rc = ctl_run(c, CMD_QUERY_STOLEN, &a, print_reply);
out:
	free(a.items);
	return rc;
}

static void print_alerts(const void *obj)
{
	const struct tn_alert_list *l = obj;
	char when[32];

	if (!l->n) {
		printf("no alert\n");
		return;
	}
	for (uint32_t i = 0; i < l->n; i++) {
		const struct tn_alert *a = &l->alerts[i];
		time_t t = (time_t)(a->ts / 1000);
		struct tm tm;

		gmtime_r(&t, &tm);
		strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm);
		if (!strcmp(a->kind, "checkpoint")) {
			printf("%s  %s's audit log: %s\n", when, a->peer, ctl_str(a->purpose));
			continue;
		}
		printf("%s  %s asked about %s %s: our report %llu", when, a->peer, ctl_str(a->make),
		       ctl_str(a->serial), (unsigned long long)a->stolen_id);
		ctl_fields(", ", "", "our case", a->case_ref, "their case", a->their_case,
			   "purpose:", a->purpose, NULL);
		putchar('\n');
	}
}

const struct ctl_cmd ctl_query_cmds[] = {
	{ "query stolen", query_stolen,
	  "--make M --serial S [--model X] [--fuzzy] [--peer NAME | --all] [--file items.csv] "
	  "--case REF [--officer ID] [--ordered-by ID] [--purpose P] [--timeout-ms N]" },
	{ "alerts", NULL, "[--limit N] (peers' queries that hit our reports, peers' audit "
	  "checkpoints we refused)", CMD_ALERTS,
	  print_alerts },
	{ "receipt", receipt, "QID PEER --out FILE (PEER's signed answer with a hit)" },
	{ NULL },
};
