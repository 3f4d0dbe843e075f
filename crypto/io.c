/* SPDX-License-Identifier: Apache-2.0 */
/* Whole-buffer reads and writes on file descriptors, for the key files and
 * tracectl's console socket, with errno turned into TN_ERR_* codes. */
#include <errno.h>
#include <unistd.h>

#include "cx_int.h"

int cx__errno_err(int e)
{
	switch (e) {
	case EEXIST:
		return TN_ERR_EXISTS;
	case ENOENT:
		return TN_ERR_NOT_FOUND;
	case ELOOP: /* O_NOFOLLOW met a symlink */
		return TN_ERR_PERM;
	case ENOSPC:
	case EDQUOT:
		return TN_ERR_DISK_FULL;
	case ENOMEM:
		return TN_ERR_NOMEM;
	default:
		return TN_ERR_IO;
	}
}

int cx_write_all(int fd, const void *p, size_t n)
{
	const uint8_t *b = p;

	while (n) {
		ssize_t w = write(fd, b, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return w < 0 ? cx__errno_err(errno) : TN_ERR_IO;
		b += w;
		n -= (size_t)w;
	}
	return 0;
}

int cx_read_all(int fd, void *p, size_t n)
{
	uint8_t *b = p;

	while (n) {
		ssize_t r = read(fd, b, n);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return r < 0 ? cx__errno_err(errno) : TN_ERR_INVALID;
		b += r;
		n -= (size_t)r;
	}
	return 0;
}
