/* SPDX-License-Identifier: Apache-2.0 */
/* Preloaded into a node by test_journal_direct only: a file system that
 * refuses direct I/O. TN_NO_DIRECT=open fails every open asking for
 * O_DIRECT with EINVAL; TN_NO_DIRECT=write lets it open and fails every
 * pwrite on such a descriptor with EINVAL, as file systems that check
 * alignment late do. Each refusal adds a line to TN_NO_DIRECT_LOG. The
 * journal must then write through the page cache, and lose nothing it
 * acknowledged. */
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

static int open_real(const char *path, int flags, mode_t mode)
{
	static int (*real)(const char *, int, ...);

	if (!real)
		*(void **)&real = dlsym(RTLD_NEXT, "open");
	return real ? real(path, flags, mode) : -1;
}

/* Whether to refuse now (how: "open" or "write"); a refusal is logged. */
static int refusing(const char *how)
{
	const char *mode = getenv("TN_NO_DIRECT"), *log = getenv("TN_NO_DIRECT_LOG");
	int fd;

	if (!mode || strcmp(mode, how))
		return 0;
	if (log && (fd = open_real(log, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600)) >= 0) {
		(void)!write(fd, how, strlen(how));
		(void)!write(fd, "\n", 1);
		close(fd);
	}
	return 1;
}

int open(const char *path, int flags, ...)
{
	mode_t mode = 0;
	va_list ap;

	if (flags & (O_CREAT | O_TMPFILE)) {
		va_start(ap, flags);
		mode = (mode_t)va_arg(ap, int);
		va_end(ap);
	}
	if ((flags & O_DIRECT) && refusing("open")) {
		errno = EINVAL;
		return -1;
	}
	return open_real(path, flags, mode);
}

ssize_t pwrite(int fd, const void *buf, size_t n, off_t off)
{
	static ssize_t (*real)(int, const void *, size_t, off_t);
	int fl = fcntl(fd, F_GETFL);

	if (fl >= 0 && (fl & O_DIRECT) && refusing("write")) {
		errno = EINVAL;
		return -1;
	}
	if (!real)
		*(void **)&real = dlsym(RTLD_NEXT, "pwrite");
	return real ? real(fd, buf, n, off) : -1;
}
