/* SPDX-License-Identifier: Apache-2.0 */
/* Opening and closing a store: its directory, the journal found (and a
 * crash's commits brought back) around LMDB's environment, in order. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "store_int.h"

static int make_dir(const char *dir, char *path, size_t cap)
{
	int n;

	if (!dir || !*dir)
		return TN_ERR_INVALID;
	n = snprintf(path, cap, "%s/%s", dir, STORE_SUBDIR);
	if (n < 0 || (size_t)n >= cap)
		return TN_ERR_INVALID;
	if (mkdir(path, 0700) && errno != EEXIST)
		return store__errno();
	return 0;
}

static size_t round_page(size_t n, int up)
{
	long ps = sysconf(_SC_PAGESIZE);
	size_t page = ps > 0 ? (size_t)ps : 4096;

	if (up)
		n = n > SIZE_MAX - page ? SIZE_MAX - page : n + page - 1;
	return n / page * page;
}

int store_open(struct store **out, const char *dir, size_t map_size, size_t map_max)
{
	struct store *s = NULL;
	char path[PATH_MAX];
	int ret;

	*out = NULL;
	if ((ret = make_dir(dir, path, sizeof(path))))
		goto out;
	if (!(s = calloc(1, sizeof(*s)))) {
		ret = TN_ERR_NOMEM;
		goto out;
	}
	s->j.fd = s->j.direct_fd = -1;
	pthread_mutex_init(&s->remap_lock, NULL);
	map_size = round_page(map_size ? map_size : STORE_MAP_DEFAULT, 1);
	map_max = round_page(map_max ? map_max : STORE_MAP_MAX_DEFAULT, 0);
	s->map_max = map_max > map_size ? map_max : map_size;
	if ((ret = store__journal_open(s, path, map_size)) ||
	    (ret = store__env_open(s, path, map_size)) || (ret = store__journal_start(s)))
		goto out;
	*out = s;
	s = NULL;
out:
	store_close(s);
	return ret;
}

void store_close(struct store *s)
{
	if (!s)
		return;
	store__journal_close(s);
	store__env_close(s);
	proto_buf_free(&s->enc);
	pthread_mutex_destroy(&s->remap_lock);
	free(s);
}
