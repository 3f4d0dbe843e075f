/* SPDX-License-Identifier: Apache-2.0 */
/* CSV files read through the real parser, for the benchmark tools. */
#ifndef TN_TOOLS_CSV_FILE_H
#define TN_TOOLS_CSV_FILE_H

#include "../../../proto/proto.h"

/* Stream path through proto_csv. Returns 0, a non-zero return of row or bad
 * (which stops the read), or -1 if the file cannot be opened or read. */
int csv_file_read(const char *path, proto_csv_row_fn row, proto_csv_bad_fn bad, void *arg);

struct stolen_csv {
	struct tn_stolen *reports;
	uint32_t n, cap;
	uint32_t skipped;            /* malformed rows, and rows no report holds */
	char cols[16][TN_KIND_LEN];  /* the header line */
	int n_cols;
};

/* Read a lost/stolen CSV (the import format) into c, zeroed by the caller.
 * Returns 0 or -1. Free c->reports when done. */
int stolen_csv_load(struct stolen_csv *c, const char *path);

#endif
