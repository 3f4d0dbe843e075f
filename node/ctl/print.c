/* SPDX-License-Identifier: Apache-2.0 */
/* How tracectl shows records and reports to a person. Text from the
 * node is printed with control characters replaced. */
#include <stdio.h>

#include "ctl.h"

const char *ctl_safe(const char *s)
{
	static char buf[4][TN_TEXT_LEN];
	static int slot;
	char *out = buf[slot++ & 3];
	size_t i;

	if (!s[0])
		return "-";
	for (i = 0; s[i] && i + 1 < TN_TEXT_LEN; i++)
		out[i] = (unsigned char)s[i] < 0x20 || s[i] == 0x7f ? '?' : s[i];
	out[i] = '\0';
	return out;
}

void ctl_print_record(const void *obj)
{
	const struct tn_record *r = obj;

	printf("record %llu: %s %s, serial %s\n", (unsigned long long)r->id, ctl_safe(r->make),
	       ctl_safe(r->model), ctl_safe(r->serial));
	printf("  caliber %s, type %s, made in %s", ctl_safe(r->caliber), ctl_safe(r->type),
	       ctl_safe(r->country));
	printf(", importer %s\n", ctl_safe(r->importer));
	for (uint32_t i = 0; i < r->n_events; i++) {
		const struct tn_event *e = &r->events[i];

		printf("  %s  %-12s %s", e->date, ctl_safe(e->kind), ctl_safe(e->party));
		if (e->place[0])
			printf(", %s", ctl_safe(e->place));
		if (e->country[0])
			printf(" [%s]", ctl_safe(e->country));
		if (e->ref[0])
			printf(" ref %s", ctl_safe(e->ref));
		putchar('\n');
	}
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

void ctl_print_stolen(const void *obj)
{
	const struct tn_stolen *s = obj;

	printf("report %llu: %s %s, serial %s, %s %s, %s", (unsigned long long)s->id,
	       ctl_safe(s->make), ctl_safe(s->model), ctl_safe(s->serial), ctl_safe(s->kind), s->date,
	       s->status[0] ? s->status : "open");
	if (s->recovered_on[0])
		printf(", recovered %s", s->recovered_on);
	printf("\n  place %s, agency %s, case %s\n", ctl_safe(s->place), ctl_safe(s->agency),
	       ctl_safe(s->case_ref));
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

		printf("%-8llu %-7s %-10s %-20s %-16s %-10s %s\n", (unsigned long long)s->id,
		       ctl_safe(s->kind), s->date, ctl_safe(s->make), ctl_safe(s->serial),
		       s->status[0] ? s->status : "open", ctl_safe(s->case_ref));
	}
}
