/* SPDX-License-Identifier: Apache-2.0 */
/* How tracectl shows records and reports to a person. Text from the
 * node is printed with control characters replaced; empty fields are left
 * out rather than shown as a placeholder. */
#include <stdarg.h>
#include <stdio.h>

#include "ctl.h"

const char *ctl_str(const char *s)
{
	static char buf[4][TN_TEXT_LEN];
	static int slot;
	char *out = buf[slot++ & 3];
	size_t i;

	for (i = 0; s[i] && i + 1 < TN_TEXT_LEN; i++)
		out[i] = (unsigned char)s[i] < 0x20 || s[i] == 0x7f ? '?' : s[i];
	out[i] = '\0';
	return out;
}

void ctl_fields(const char *lead, const char *tail, ...)
{
	const char *label, *value;
	int n = 0;
	va_list ap;

	va_start(ap, tail);
	while ((label = va_arg(ap, const char *))) {
		value = va_arg(ap, const char *);
		if (!value[0])
			continue;
		printf("%s%s%s%s", n++ ? ", " : lead, label, label[0] ? " " : "", ctl_str(value));
	}
	va_end(ap);
	if (n)
		fputs(tail, stdout);
}

void ctl_print_record(const void *obj)
{
	const struct tn_record *r = obj;

	printf("record %llu: %s", (unsigned long long)r->id, ctl_str(r->make));
	printf("%s%s, serial %s\n", r->model[0] ? " " : "", ctl_str(r->model), ctl_str(r->serial));
	ctl_fields("  ", "\n", "caliber", r->caliber, "type", r->type, "made in", r->country,
		   "importer", r->importer, NULL);
	for (uint32_t i = 0; i < r->n_events; i++)
		ctl_print_event(&r->events[i]);
}

void ctl_print_event(const struct tn_event *e)
{
	printf("  %s  %-12s %s", ctl_str(e->date), ctl_str(e->kind), ctl_str(e->party));
	if (e->place[0])
		printf("%s%s", e->party[0] ? ", " : "", ctl_str(e->place));
	if (e->country[0])
		printf(" [%s]", ctl_str(e->country));
	if (e->ref[0])
		printf(" ref %s", ctl_str(e->ref));
	putchar('\n');
}

void ctl_print_records(const void *obj)
{
	const struct tn_record_list *l = obj;

	if (!l->n) {
		printf("no record\n");
		return;
	}
	for (uint32_t i = 0; i < l->n; i++)
		ctl_print_record(&l->records[i]);
}

void ctl_print_cands(const struct tn_candidate *c, uint32_t n, const char *indent)
{
	for (uint32_t i = 0; i < n; i++, c++) {
		printf("%s", indent);
		if (c->id)
			printf("record %-8llu ", (unsigned long long)c->id);
		printf("score %3u  %-36s %s", c->score, ctl_str(c->reason), ctl_str(c->make));
		printf("%s%s", c->model[0] ? " " : "", ctl_str(c->model));
		printf("%s%s", c->caliber[0] ? ", " : "", ctl_str(c->caliber));
		printf(", serial %s\n", ctl_str(c->serial));
	}
}

void ctl_print_more(uint32_t more)
{
	if (more)
		printf("%u more as likely as the last: read more of the serial, or give the model, "
		       "caliber and type\n", more);
}

void ctl_print_cand_list(const void *obj)
{
	const struct tn_cand_list *l = obj;

	if (!l->n)
		printf("no candidate\n");
	ctl_print_cands(l->candidates, l->n, "");
	ctl_print_more(l->more);
}

void ctl_print_stolen(const void *obj)
{
	const struct tn_stolen *s = obj;

	printf("report %llu: %s", (unsigned long long)s->id, ctl_str(s->make));
	printf("%s%s, serial %s", s->model[0] ? " " : "", ctl_str(s->model), ctl_str(s->serial));
	printf(", %s %s, %s", ctl_str(s->kind), ctl_str(s->date), s->status[0] ? ctl_str(s->status) :
	       "open");
	if (s->recovered_on[0])
		printf(", recovered %s", ctl_str(s->recovered_on));
	putchar('\n');
	ctl_fields("  ", "\n", "place", s->place, "agency", s->agency, "case", s->case_ref, NULL);
}

void ctl_print_stolen_list(const void *obj)
{
	const struct tn_stolen_list *l = obj;

	if (!l->n) {
		printf("no report\n");
		return;
	}
	printf("%-8s %-7s %-10s %-20s %-16s %-10s %s\n", "ID", "KIND", "DATE", "MAKE",
	       "SERIAL", "STATUS", "CASE");
	for (uint32_t i = 0; i < l->n; i++) {
		const struct tn_stolen *s = &l->reports[i];

		printf("%-8llu %-7s %-10s %-20s ", (unsigned long long)s->id, ctl_str(s->kind),
		       ctl_str(s->date), ctl_str(s->make));
		printf("%-16s %-10s %s\n", ctl_str(s->serial), s->status[0] ? ctl_str(s->status) :
		       "open", ctl_str(s->case_ref));
	}
}
