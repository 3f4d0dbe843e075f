/* SPDX-License-Identifier: Apache-2.0 */
/* Temporary directories for the unit tests, removed with all they hold. */
#ifndef TN_TESTS_TMPDIR_H
#define TN_TESTS_TMPDIR_H

/* A new empty directory /tmp/<prefix>.XXXXXX (malloc'd); NULL on failure. */
char *tmpdir_new(const char *prefix);

/* Remove path and everything below it; 0 or -1. */
int tmpdir_clear(const char *path);

/* Remove d (from tmpdir_new) and everything in it, then free it. */
void tmpdir_rm(char *d);

#endif
