/* SPDX-License-Identifier: Apache-2.0 */
/* Telling a service manager how the node is doing: one datagram of
 * "KEY=value" lines to the AF_UNIX socket named by NOTIFY_SOCKET (an
 * abstract socket when the name starts with '@'). Without the variable,
 * nothing is sent. */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "node.h"

/* The socket's address; 0 when NOTIFY_SOCKET is unset or unusable. */
static socklen_t notify_addr(struct sockaddr_un *sa)
{
	const char *path = getenv("NOTIFY_SOCKET");
	size_t len;

	if (!path || (path[0] != '/' && path[0] != '@'))
		return 0;
	len = strlen(path);
	if (len < 2 || len >= sizeof(sa->sun_path))
		return 0;
	memset(sa, 0, sizeof(*sa));
	sa->sun_family = AF_UNIX;
	memcpy(sa->sun_path, path, len);
	if (path[0] == '@')
		sa->sun_path[0] = '\0';
	else
		len++;
	return (socklen_t)(offsetof(struct sockaddr_un, sun_path) + len);
}

int node_notify(const char *fmt, ...)
{
	struct sockaddr_un sa;
	socklen_t sa_len = notify_addr(&sa);
	char msg[512];
	va_list ap;
	int fd, n, ret = 0;

	if (!sa_len)
		return 0;
	va_start(ap, fmt);
	n = vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(msg))
		return TN_ERR_INVALID;
	if ((fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0)) < 0)
		return TN_ERR_IO;
	if (sendto(fd, msg, (size_t)n, MSG_NOSIGNAL, (struct sockaddr *)&sa, sa_len) != n) {
		node_log("warn", "cannot notify the service manager: %s", strerror(errno));
		ret = TN_ERR_IO;
	}
	close(fd);
	return ret;
}

uint64_t node_monotonic_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000 + (uint64_t)ts.tv_nsec / 1000;
}
