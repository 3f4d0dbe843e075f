/* SPDX-License-Identifier: Apache-2.0 */
/* Preloaded into a node by `make bench` only: every fdatasync (LMDB makes
 * one per commit) first sleeps TN_SLOW_SYNC_MS milliseconds. A request's
 * latency divided by that delay is then the number of durable commits it
 * waits for one after the other, a count the disk's noise cannot move. */
#include <dlfcn.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

int fdatasync(int fd)
{
	static int (*real)(int);
	const char *ms = getenv("TN_SLOW_SYNC_MS");
	long v = ms ? atol(ms) : 0;
	struct timespec d = { v / 1000, (v % 1000) * 1000000 };

	if (!real)
		*(void **)&real = dlsym(RTLD_NEXT, "fdatasync");
	if (v > 0)
		nanosleep(&d, NULL);
	return real ? real(fd) : -1;
}
