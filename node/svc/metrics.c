/* SPDX-License-Identifier: Apache-2.0 */
/* The node's metrics in the Prometheus text exposition format (0.0.4),
 * for the `metrics` console command and the HTTP listener: what the node
 * counted since it started and gauges read now (store, disk, descriptors,
 * the outbox and link of each peer). */
#include <dirent.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/statvfs.h>

#include "svc.h"

struct out {
	struct proto_buf *b;
	int rc;
};

static void put(struct out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void put(struct out *o, const char *fmt, ...)
{
	char line[512];
	va_list ap;
	int len;

	if (o->rc)
		return;
	va_start(ap, fmt);
	len = vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (len < 0 || (size_t)len >= sizeof(line))
		o->rc = TN_ERR_TOO_BIG;
	else
		o->rc = proto_buf_add(o->b, line, (size_t)len);
}

/* The HELP and TYPE lines of metric name. */
static void head(struct out *o, const char *name, const char *type, const char *help)
{
	put(o, "# HELP tracenet_%s %s\n# TYPE tracenet_%s %s\n", name, help, name, type);
}

/* A metric without labels: its HELP, TYPE and one sample. */
static void one(struct out *o, const char *name, const char *type, const char *help,
		uint64_t v)
{
	head(o, name, type, help);
	put(o, "tracenet_%s %llu\n", name, (unsigned long long)v);
}

/* A label value as the format wants it: backslash, quote, newline escaped. */
static const char *label(const char *v, char out[static 2 * TN_NAME_LEN])
{
	size_t j = 0;

	for (size_t i = 0; v[i] && j + 2 < 2 * TN_NAME_LEN; i++) {
		if (v[i] == '\\' || v[i] == '"' || v[i] == '\n')
			out[j++] = '\\';
		out[j++] = v[i] == '\n' ? 'n' : v[i];
	}
	out[j] = '\0';
	return out;
}

static void counters(struct out *o, const struct node *n)
{
	const struct node_counts *c = &n->counts;
	struct store_journal_stats js;

	one(o, "stolen_queries_sent_total", "counter",
	    "Lost/stolen queries sent, one per peer asked.", c->queries_sent);
	one(o, "stolen_queries_answered_total", "counter",
	    "Lost/stolen queries of peers answered.", c->queries_answered);
	one(o, "stolen_query_envelopes_total", "counter",
	    "Envelopes of peers' lost/stolen queries opened (several queries may share one).",
	    c->query_envelopes);
	one(o, "blind_evaluations_total", "counter",
	    "Blind queries of peers evaluated.", c->blind_evals);
	one(o, "traces_sent_total", "counter", "Trace requests this node queued to peers.",
	    c->traces_sent);
	one(o, "traces_received_total", "counter", "Trace requests received from peers.",
	    c->traces_received);
	one(o, "traces_answered_total", "counter",
	    "Trace results (answers or refusals) queued to peers.", c->traces_answered);
	one(o, "commits_total", "counter", "Durable store commits.", n->commits);
	one(o, "commits_failed_total", "counter", "Store commits that failed.",
	    c->commits_failed);
	store_journal_stats(n->store, &js);
	one(o, "journal_records_total", "counter",
	    "Commits made durable by one record in the store's journal.", js.records);
	one(o, "checkpoints_total", "counter",
	    "Checkpoints: the store flushed whole and its journal started over.",
	    js.checkpoints);
	head(o, "checkpoint_seconds_total", "counter", "Time the checkpoints took.");
	put(o, "tracenet_checkpoint_seconds_total %.6f\n", js.checkpoint_us_sum / 1e6);
	head(o, "checkpoint_seconds_max", "gauge", "The longest checkpoint.");
	put(o, "tracenet_checkpoint_seconds_max %.6f\n", js.checkpoint_us_max / 1e6);
	one(o, "console_clients_closed_total", "counter",
	    "Console clients closed at the node-wide memory cap.", c->console_refused);
	one(o, "fd_exhausted_total", "counter",
	    "Connections refused because the process was out of file descriptors.",
	    c->fd_exhausted);
}

static void drops(struct out *o, const struct node *n)
{
	static const char *const names[DROP_COUNT] = {
#define DROP_NAME(r) #r,
		TN_DROP_REASONS(DROP_NAME)
#undef DROP_NAME
	};

	head(o, "drops_total", "counter", "Peer frames and connections refused, by reason.");
	for (int i = 0; i < DROP_COUNT; i++)
		put(o, "tracenet_drops_total{reason=\"%s\"} %llu\n", names[i],
		    (unsigned long long)n->drops[i]);
}

static void latency(struct out *o, const struct node *n)
{
	const struct node_counts *c = &n->counts;
	uint64_t sum = 0;

	head(o, "commit_duration_seconds", "histogram", "Time each store commit took.");
	for (int i = 0; i < NODE_COMMIT_BUCKETS; i++) {
		sum += c->commit_le[i];
		put(o, "tracenet_commit_duration_seconds_bucket{le=\"%g\"} %llu\n",
		    node_commit_le_us[i] / 1e6, (unsigned long long)sum);
	}
	sum += c->commit_le[NODE_COMMIT_BUCKETS];
	put(o, "tracenet_commit_duration_seconds_bucket{le=\"+Inf\"} %llu\n",
	    (unsigned long long)sum);
	put(o, "tracenet_commit_duration_seconds_sum %.6f\n", c->commit_us_sum / 1e6);
	put(o, "tracenet_commit_duration_seconds_count %llu\n", (unsigned long long)sum);
}

/* Per peer: one family at a time, as the format wants each family whole. */
enum per_peer { LINK_UP, SENT, RECEIVED, DROPPED, OUT_DEPTH, OUT_AGE, PER_PEER };

static const struct {
	const char *name, *type, *help;
} peer_metrics[PER_PEER] = {
	[LINK_UP] = { "peer_link_up", "gauge", "1 when a link to the peer is up, else 0." },
	[SENT] = { "peer_messages_sent_total", "counter", "Envelopes sent to the peer." },
	[RECEIVED] = { "peer_messages_received_total", "counter",
		       "Envelopes received from the peer." },
	[DROPPED] = { "peer_drops_total", "counter", "Frames of the peer refused." },
	[OUT_DEPTH] = { "outbox_messages", "gauge",
			"Messages in the outbox waiting for the peer's acknowledgement." },
	[OUT_AGE] = { "outbox_oldest_age_seconds", "gauge",
		      "Age of the oldest message waiting for the peer (0: none)." },
};

static uint32_t peer_count(const struct node *n)
{
	uint32_t count = 0;

	for (const struct peer *p = n->peers; p; p = p->next)
		count++;
	return count;
}

struct peer_row {
	uint64_t v[PER_PEER];
};

static void peer_row(struct store_txn *t, const struct peer *p, uint64_t now,
		     struct peer_row *r)
{
	uint64_t oldest = 0;

	r->v[LINK_UP] = p->link != NULL;
	r->v[SENT] = p->sent;
	r->v[RECEIVED] = p->received;
	r->v[DROPPED] = 0;
	for (int i = 0; i < DROP_COUNT; i++)
		r->v[DROPPED] += p->drops[i];
	if (!t || store_outbox_depth(t, p->rec.name, &r->v[OUT_DEPTH], &oldest))
		r->v[OUT_DEPTH] = 0;
	r->v[OUT_AGE] = oldest && now > oldest ? (now - oldest) / 1000 : 0;
}

static void peers(struct out *o, struct node *n)
{
	struct peer_row *rows;
	struct store_txn *t = NULL;
	uint64_t now = node_now_ms();
	uint32_t count = peer_count(n), i;
	char esc[2 * TN_NAME_LEN];
	const struct peer *p;

	if (!(rows = calloc(count ? count : 1, sizeof(*rows)))) {
		o->rc = TN_ERR_NOMEM;
		return;
	}
	if (store_read_begin(n->store, &t))
		t = NULL;
	for (p = n->peers, i = 0; p; p = p->next, i++)
		peer_row(t, p, now, &rows[i]);
	if (t)
		store_read_end(t);
	for (int m = 0; m < PER_PEER; m++) {
		head(o, peer_metrics[m].name, peer_metrics[m].type, peer_metrics[m].help);
		for (p = n->peers, i = 0; p; p = p->next, i++)
			put(o, "tracenet_%s{peer=\"%s\"} %llu\n", peer_metrics[m].name,
			    label(p->rec.name, esc), (unsigned long long)rows[i].v[m]);
	}
	free(rows);
}

/* Descriptors open now: the entries of /proc/self/fd, less the one
 * reading it. */
static uint64_t open_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	uint64_t count = 0;
	struct dirent *e;

	if (!d)
		return 0;
	while ((e = readdir(d)))
		count += e->d_name[0] != '.';
	closedir(d);
	return count ? count - 1 : 0;
}

static void process(struct out *o, struct node *n)
{
	struct store_stats st = { 0 };
	struct store_txn *t;
	struct statvfs fs;
	struct rlimit lim;
	char ver[2 * TN_NAME_LEN + 16];

	if (!store_read_begin(n->store, &t)) {
		if (store_stats(t, &st))
			memset(&st, 0, sizeof(st));
		store_read_end(t);
	}
	one(o, "store_map_size_bytes", "gauge", "Size of the store's memory map.", st.map_size);
	one(o, "store_map_used_bytes", "gauge", "Bytes of the store's map in use.", st.map_used);
	one(o, "store_records", "gauge", "Firearm records in the store.", st.records);
	one(o, "store_stolen_open", "gauge", "Open lost/stolen reports.", st.stolen_open);
	if (statvfs(n->dir, &fs))
		memset(&fs, 0, sizeof(fs));
	one(o, "disk_free_bytes", "gauge",
	    "Space free for the node's user on the node directory's file system.",
	    (uint64_t)fs.f_bavail * fs.f_frsize);
	one(o, "open_fds", "gauge", "File descriptors the process has open.", open_fds());
	if (getrlimit(RLIMIT_NOFILE, &lim))
		lim.rlim_cur = 0;
	one(o, "max_fds", "gauge", "The process's limit of open file descriptors.",
	    (uint64_t)lim.rlim_cur);
	one(o, "console_clients", "gauge", "Console clients connected.", n->console_clients);
	one(o, "console_held_bytes", "gauge",
	    "Bytes of unsent replies and partial requests all console clients hold.",
	    n->console_held);
	one(o, "console_held_max_bytes", "gauge",
	    "The node-wide cap of console_held_bytes ([console] memory_max).",
	    n->cfg.console_mem_max);
	one(o, "peers", "gauge", "Pinned peers.", peer_count(n));
	one(o, "uptime_seconds", "gauge", "Seconds since the node started.",
	    (uv_hrtime() / 1000000 - n->started_ms) / 1000);
	head(o, "build_info", "gauge", "The node's name and version; always 1.");
	put(o, "tracenet_build_info{node=\"%s\",version=\"%s\"} 1\n",
	    label(n->cfg.name, ver), TN_VERSION);
}

int metrics_text(struct node *n, struct proto_buf *out)
{
	struct out o = { out, 0 };

	counters(&o, n);
	drops(&o, n);
	latency(&o, n);
	process(&o, n);
	peers(&o, n);
	return o.rc;
}
