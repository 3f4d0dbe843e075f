/* SPDX-License-Identifier: Apache-2.0 */
/* CSV files read through the real parser; see csv_file.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csv_file.h"

int csv_file_read(const char *path, proto_csv_row_fn row, proto_csv_bad_fn bad, void *arg)
{
	static char buf[1 << 20];
	struct proto_csv *csv = proto_csv_new(row, bad, arg);
	FILE *f = fopen(path, "r");
	size_t n;
	int rc = !csv || !f ? -1 : 0;

	while (!rc && (n = fread(buf, 1, sizeof(buf), f)) > 0)
		rc = proto_csv_feed(csv, buf, n);
	if (!rc && ferror(f))
		rc = -1;
	if (!rc)
		rc = proto_csv_finish(csv);
	if (f)
		fclose(f);
	proto_csv_free(csv);
	return rc;
}

static int on_report(void *arg, char **f, int n, unsigned long line)
{
	struct stolen_csv *c = arg;
	struct tn_stolen *s;

	if (line == 1) {
		for (c->n_cols = 0; c->n_cols < n && c->n_cols < 16; c->n_cols++)
			snprintf(c->cols[c->n_cols], TN_KIND_LEN, "%s", f[c->n_cols]);
		return 0;
	}
	if (proto_grow((void **)&c->reports, c->n, &c->cap, sizeof(*s)))
		return -1;
	s = &c->reports[c->n];
	memset(s, 0, sizeof(*s));
	for (int i = 0; i < n && i < c->n_cols; i++)
		if (proto_field_set(&proto_stolen_schema, s, c->cols[i], f[i])) {
			c->skipped++;
			return 0;
		}
	c->n++;
	return 0;
}

static int skip_bad(void *arg, unsigned long line, const char *why)
{
	(void)line;
	(void)why;
	((struct stolen_csv *)arg)->skipped++;
	return 0;
}

int stolen_csv_load(struct stolen_csv *c, const char *path)
{
	return csv_file_read(path, on_report, skip_bad, c) ? -1 : 0;
}
