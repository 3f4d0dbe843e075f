/* SPDX-License-Identifier: Apache-2.0 */
/* Temporary directories for the unit tests; see tmpdir.h. */
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>

#include "tmpdir.h"

char *tmpdir_new(const char *prefix)
{
	char *d;

	if (asprintf(&d, "/tmp/%s.XXXXXX", prefix) < 0)
		return NULL;
	if (!mkdtemp(d)) {
		free(d);
		return NULL;
	}
	return d;
}

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

int tmpdir_clear(const char *path)
{
	return nftw(path, rm_entry, 16, FTW_DEPTH | FTW_PHYS) ? -1 : 0;
}

void tmpdir_rm(char *d)
{
	if (d)
		tmpdir_clear(d);
	free(d);
}
