/* SPDX-License-Identifier: Apache-2.0 */
/* Preloaded into a node by test_journal_fail only: once the file named by
 * TN_FAIL_SYNC_FILE exists, every fdatasync fails with EIO, as on a disk
 * that went bad. The node must then refuse to acknowledge what it could
 * not make durable, and stop. */
#include <dlfcn.h>
#include <errno.h>
#include <stdlib.h>
#include <unistd.h>

int fdatasync(int fd)
{
	static int (*real)(int);
	const char *flag = getenv("TN_FAIL_SYNC_FILE");

	if (flag && !access(flag, F_OK)) {
		errno = EIO;
		return -1;
	}
	if (!real)
		*(void **)&real = dlsym(RTLD_NEXT, "fdatasync");
	return real ? real(fd) : -1;
}
