/* SPDX-License-Identifier: Apache-2.0 */
/* Small helpers of the daemon: log lines on stderr (UTC time, level,
 * message), the clock and UTC dates, node file paths, growing arrays of
 * copied objects. */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "node.h"

void node_log(const char *level, const char *fmt, ...)
{
	struct timespec ts;
	struct tm tm;
	char when[32];
	va_list ap;

	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%S", &tm);
	flockfile(stderr);
	fprintf(stderr, "%s.%03ldZ %s ", when, ts.tv_nsec / 1000000, level);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	funlockfile(stderr);
}

uint64_t node_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

int node_ratelog_allow(struct node_ratelog *r, uint64_t now)
{
	if (now >= r->since + NODE_LOG_WINDOW_MS && !r->suppressed) {
		r->since = now;
		r->lines = 0;
	}
	if (r->lines < NODE_LOG_BURST && now < r->since + NODE_LOG_WINDOW_MS) {
		r->lines++;
		return 1;
	}
	r->suppressed++;
	return 0;
}

uint64_t node_ratelog_due(struct node_ratelog *r, uint64_t now)
{
	uint64_t n = r->suppressed;

	if (!n || now < r->since + NODE_LOG_WINDOW_MS)
		return 0;
	r->since = now;
	r->lines = 0;
	r->suppressed = 0;
	return n;
}

void node_date_in(char out[TN_DATE_LEN], int days)
{
	time_t when = time(NULL) + (time_t)days * 86400;
	struct tm tm;

	gmtime_r(&when, &tm);
	strftime(out, TN_DATE_LEN, "%Y-%m-%d", &tm);
}

int node_path(char *out, const char *dir, const char *name)
{
	int n = snprintf(out, PATH_MAX, "%s/%s", dir, name);

	return n < 0 || n >= PATH_MAX ? TN_ERR_CONFIG : 0;
}

int node_collect(void **items, uint32_t *n, uint32_t *cap, const struct proto_schema *s,
		 const void *obj)
{
	int rc;

	if (*n >= TN_BATCH_MAX)
		return TN_ERR_LIMIT;
	if ((rc = proto_grow(items, *n, cap, s->size)))
		return rc;
	rc = proto_copy(s, (char *)*items + (size_t)*n * s->size, obj);
	if (!rc)
		(*n)++;
	return rc;
}
