/* SPDX-License-Identifier: Apache-2.0 */
/* Small helpers of the daemon: log lines on stderr (UTC time, level,
 * message; a priority prefix for the journal) or to syslog, the clock
 * and UTC dates, node file paths, growing arrays of copied objects. */
#include <stdio.h>
#include <stdlib.h>
#include <sys/statvfs.h>
#include <string.h>
#include <sys/stat.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "node.h"

/* Where log lines go, from [log] (node_log_setup): the lowest priority
 * kept, whether lines carry a journal priority prefix instead of the
 * time (-1: not decided yet), and whether they go to syslog instead. */
static struct {
	int max;
	int journal;
	int syslog;
	char ident[TN_NAME_LEN];
} log_out = { NODE_LOG_INFO, -1, 0, "" };

/* Whether stderr is the journal's stream: JOURNAL_STREAM names its
 * device and inode. */
static int stderr_is_journal(void)
{
	const char *v = getenv("JOURNAL_STREAM");
	unsigned long long dev, ino;
	struct stat st;

	if (!v || sscanf(v, "%llu:%llu", &dev, &ino) != 2 || fstat(STDERR_FILENO, &st))
		return 0;
	return (unsigned long long)st.st_dev == dev && (unsigned long long)st.st_ino == ino;
}

void node_log_setup(const struct node_config *c)
{
	log_out.max = c->log_level;
	log_out.journal = c->log_format == NODE_LOG_JOURNAL ? 1 :
			  c->log_format == NODE_LOG_PLAIN ? 0 : stderr_is_journal();
	if (log_out.syslog && (!c->log_syslog || strcmp(log_out.ident, c->name)))
		closelog();
	if (c->log_syslog && (!log_out.syslog || strcmp(log_out.ident, c->name))) {
		proto_strcpy(log_out.ident, sizeof(log_out.ident), c->name);
		openlog(log_out.ident, LOG_PID | LOG_NDELAY, LOG_DAEMON);
	}
	log_out.syslog = c->log_syslog;
}

/* "error" 3, "warn" 4, anything else (info) 6: syslog's numbers. */
static int priority(const char *level)
{
	return !strcmp(level, "error") ? NODE_LOG_ERROR : !strcmp(level, "warn") ? NODE_LOG_WARN :
	       NODE_LOG_INFO;
}

void node_log(const char *level, const char *fmt, ...)
{
	int prio = priority(level);
	struct timespec ts;
	struct tm tm;
	char when[32];
	va_list ap;

	if (prio > log_out.max)
		return;
	va_start(ap, fmt);
	if (log_out.syslog) {
		vsyslog(prio, fmt, ap);
		va_end(ap);
		return;
	}
	if (log_out.journal < 0)
		log_out.journal = stderr_is_journal();
	flockfile(stderr);
	if (log_out.journal) {
		fprintf(stderr, "<%d>%s ", prio, level);
	} else {
		clock_gettime(CLOCK_REALTIME, &ts);
		gmtime_r(&ts.tv_sec, &tm);
		strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%S", &tm);
		fprintf(stderr, "%s.%03ldZ %s ", when, ts.tv_nsec / 1000000, level);
	}
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

int node_disk_why(const struct node *n, int rc, char *why, size_t len)
{
	struct statvfs fs;
	char free_text[48] = "unknown";

	if (rc != TN_ERR_DISK_FULL && rc != TN_ERR_IO && rc != TN_ERR_MAP_FULL)
		return 0;
	if (!statvfs(n->dir, &fs))
		snprintf(free_text, sizeof(free_text), "%.1f MiB free",
			 (double)fs.f_bavail * (double)fs.f_frsize / (1024.0 * 1024.0));
	if (rc == TN_ERR_MAP_FULL)
		snprintf(why, len, "the store reached its [store] map_max (%zu MiB): raise it in "
			 "tracenet.conf and restart the node", n->cfg.map_max >> 20);
	else if (rc == TN_ERR_IO && n->store_broken)
		snprintf(why, len, "the store could not make the write durable: %s on the disk of "
			 "%s; the node stops: check that disk, then start it again",
			 tn_strerror(rc), n->dir);
	else if (rc == TN_ERR_IO)
		snprintf(why, len, "the store could not be written: %s on the disk of %s; check "
			 "that disk, then try again", tn_strerror(rc), n->dir);
	else
		snprintf(why, len, "the store could not be written: %s (%s on the disk of %s); "
			 "free space there, then try again", tn_strerror(rc), free_text, n->dir);
	return 1;
}
