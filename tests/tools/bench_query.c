/* SPDX-License-Identifier: Apache-2.0 */
/* bench_query: a console load generator. Opens K connections to a node's
 * console socket, keeps D requests in flight on each, and times every
 * reply with CLOCK_MONOTONIC: query.stolen to one peer or to all, or
 * stolen.report to load a node with the reports of a CSV. Or, in trace
 * mode, one trace at a time: trace.request for a gun of a records CSV,
 * then trace.show every -P us until the trace is "answered". Prints JSON. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "../../proto/proto.h"
#include "lib/csv_file.h"

#define CONNS_MAX 256
#define DEPTH_MAX 64

struct slot {
	double sent;          /* when the request left */
	uint32_t hits;        /* hit items it carries */
};

struct cn {
	int fd;
	struct proto_framer in;
	struct proto_buf out;
	struct slot ring[DEPTH_MAX];
	unsigned head, n;
};

struct gun {
	char make[TN_MAKE_LEN], model[TN_MODEL_LEN], serial[TN_SERIAL_LEN];
};

struct bq {
	const char *sock, *mode, *peer, *stolen_csv, *records_csv;
	unsigned conns, depth, batch, hit_every, timeout_ms;
	uint64_t max_req, time_ms;
	int all, report, trace, n_given;
	unsigned poll_us, min_events;
	struct gun *guns;             /* trace mode: records to trace */
	uint32_t n_guns;
	int col_make, col_model, col_serial;
	uint64_t polls, short_chain;  /* answers without the record's events */
	uint32_t *ack_us;             /* trace mode: trace.request to its reply */
	struct cn cn[CONNS_MAX];
	struct stolen_csv sc;         /* rows of the stolen CSV */
	uint64_t issued, done, failed, not_answered, hits, hits_expected, mismatch;
	uint32_t *lat_us;
	float *end_s;                 /* when each reply came, from start */
	double start, stop_issuing;
	char why[TN_TEXT_LEN];
};

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int die(const char *fmt, const char *arg)
{
	fputs("bench_query: ", stderr);
	fprintf(stderr, fmt, arg);
	fputc('\n', stderr);
	exit(1);
}

static int open_conn(struct bq *b, struct cn *c)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };

	if (strlen(b->sock) >= sizeof(sa.sun_path))
		return die("socket path too long: %s", b->sock);
	memcpy(sa.sun_path, b->sock, strlen(b->sock) + 1);
	c->fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (c->fd < 0 || connect(c->fd, (struct sockaddr *)&sa, sizeof(sa)) ||
	    fcntl(c->fd, F_SETFL, O_NONBLOCK))
		return die("cannot connect to %s", b->sock);
	proto_framer_init(&c->in, PROTO_CONSOLE_FRAME_MAX);
	return 0;
}

/* ---- the stolen CSV: reports to load, and items that hit ---- */

static void read_reports(struct bq *b)
{
	if (stolen_csv_load(&b->sc, b->stolen_csv))
		die("cannot read %s", b->stolen_csv);
}

/* ---- requests ---- */

/* A serial no gun has, spread over the key space (real ones hold no O). */
static void unknown_item(struct tn_query_item *it, uint64_t i)
{
	static const char *const makes[] = { "Glock", "Smith & Wesson", "Beretta", "Taurus" };
	uint32_t h = (uint32_t)i * 2654435761u;

	snprintf(it->make, sizeof(it->make), "%s", makes[i % 4]);
	snprintf(it->serial, sizeof(it->serial), "%c%c%06uO", 'A' + h % 26, 'A' + (h >> 8) % 26,
		 (h >> 12) % 1000000);
}

/* Query number i: batch items, the first a reported gun every hit_every. */
static uint32_t fill_query(struct bq *b, struct tn_query_arg *a, uint64_t i)
{
	uint32_t hits = 0;

	for (uint32_t k = 0; k < a->n; k++)
		unknown_item(&a->items[k], i * a->n + k);
	if (b->hit_every && b->sc.n && i % b->hit_every == 0) {
		const struct tn_stolen *s = &b->sc.reports[(i / b->hit_every) % b->sc.n];

		memcpy(a->items[0].make, s->make, sizeof(a->items[0].make));
		memcpy(a->items[0].serial, s->serial, sizeof(a->items[0].serial));
		hits = 1;
	}
	return hits;
}

/* Append request number i, framed, to out; returns the hits it should get. */
static uint32_t build(struct bq *b, struct proto_buf *out, uint64_t i)
{
	static struct tn_query_item items[TN_QUERY_ITEMS_MAX];
	struct tn_query_arg a = { .all = b->all, .timeout_ms = b->timeout_ms, .n = b->batch,
				  .items = items };
	struct proto_buf body = { 0 };
	struct proto_writer *w = proto_writer_new(&body);
	uint32_t hits = 0;
	int rc = !w || proto_w_map(w, 2) || proto_w_str(w, "cmd");

	if (!rc && b->report) {
		rc = proto_w_str(w, "stolen.report") || proto_w_str(w, "args") ||
		     proto_w_obj(w, &proto_stolen_schema, &b->sc.reports[i]);
	} else if (!rc) {
		snprintf(a.peer, sizeof(a.peer), "%s", b->peer ? b->peer : "");
		snprintf(a.purpose, sizeof(a.purpose), "benchmark");
		snprintf(a.case_ref, sizeof(a.case_ref), "BENCH-%llu", (unsigned long long)i);
		hits = fill_query(b, &a, i);
		rc = proto_w_str(w, "query.stolen") || proto_w_str(w, "args") ||
		     proto_w_obj(w, &proto_query_arg_schema, &a);
	}
	if (rc || proto_frame_write(out, body.data, body.len))
		die("%s", "cannot encode a request");
	proto_writer_free(w);
	proto_buf_free(&body);
	return hits;
}

static void flush_out(struct cn *c)
{
	while (c->out.len) {
		ssize_t w = write(c->fd, c->out.data, c->out.len);

		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0 && errno == EAGAIN)
			return;
		if (w <= 0)
			die("%s", "the node closed the console connection");
		proto_buf_consume(&c->out, (size_t)w);
	}
}

static int may_issue(const struct bq *b, double now)
{
	return b->issued < b->max_req && now < b->stop_issuing;
}

/* Keep depth requests in flight on c while the budget lasts. */
static void top_up(struct bq *b, struct cn *c, double now)
{
	while (c->n < b->depth && may_issue(b, now)) {
		struct slot *s = &c->ring[(c->head + c->n++) % DEPTH_MAX];

		s->hits = build(b, &c->out, b->issued++);
		s->sent = now_s();
		b->hits_expected += s->hits;
	}
	flush_out(c);
}

/* ---- replies ---- */

static void check_query(struct bq *b, struct proto_msg *m, const struct slot *s)
{
	struct tn_query_reply r;

	if (proto_msg_decode(m, "data", &proto_query_reply_schema, &r)) {
		b->failed++;
		return;
	}
	for (uint32_t i = 0; i < r.n; i++)
		b->not_answered += strcmp(r.peers[i].status, "answered") != 0;
	b->hits += r.hits;
	b->mismatch += (r.hits > 0) != (s->hits > 0);
	proto_release(&proto_query_reply_schema, &r);
}

static void on_reply(struct bq *b, struct cn *c, const uint8_t *body, size_t len, double now)
{
	struct slot s = c->ring[c->head];
	struct proto_msg *m = NULL;
	int ok = 0;

	if (!c->n)
		die("%s", "a reply nobody asked for");
	c->head = (c->head + 1) % DEPTH_MAX;
	c->n--;
	b->end_s[b->done] = (float)(now - b->start);
	b->lat_us[b->done++] = (uint32_t)((now - s.sent) * 1e6);
	if (proto_msg_parse(&m, body, len) || proto_msg_bool(m, "ok", &ok) || !ok) {
		if (m && !b->failed && proto_msg_str(m, "error", b->why, sizeof(b->why)))
			b->why[0] = '\0';
		b->failed++;
	} else if (!b->report) {
		check_query(b, m, &s);
	}
	proto_msg_free(m);
}

static void read_conn(struct bq *b, struct cn *c)
{
	uint8_t buf[65536];
	const uint8_t *body;
	ssize_t n = read(c->fd, buf, sizeof(buf));
	double now = now_s();
	size_t len;
	int rc;

	if (n < 0 && (errno == EINTR || errno == EAGAIN))
		return;
	if (n <= 0)
		die("%s", "the node closed the console connection");
	if (proto_framer_feed(&c->in, buf, (size_t)n))
		die("%s", "bad frame from the node");
	while ((rc = proto_framer_next(&c->in, &body, &len)) == 1)
		on_reply(b, c, body, len, now);
	if (rc < 0)
		die("%s", "bad frame from the node");
}

/* ---- the loop ---- */

static unsigned in_flight(const struct bq *b)
{
	unsigned n = 0;

	for (unsigned i = 0; i < b->conns; i++)
		n += b->cn[i].n;
	return n;
}

static void run(struct bq *b)
{
	struct pollfd pf[CONNS_MAX];
	double give_up;

	b->start = now_s();
	b->stop_issuing = b->start + (double)b->time_ms / 1000;
	give_up = b->stop_issuing + b->timeout_ms / 1000.0 + 5;
	for (unsigned i = 0; i < b->conns; i++)
		top_up(b, &b->cn[i], b->start);
	while (in_flight(b) && now_s() < give_up) {
		for (unsigned i = 0; i < b->conns; i++)
			pf[i] = (struct pollfd){ b->cn[i].fd,
						 POLLIN | (b->cn[i].out.len ? POLLOUT : 0), 0 };
		if (poll(pf, b->conns, 1000) < 0 && errno != EINTR)
			die("%s", "poll failed");
		for (unsigned i = 0; i < b->conns; i++) {
			if (pf[i].revents & (POLLIN | POLLHUP | POLLERR))
				read_conn(b, &b->cn[i]);
			top_up(b, &b->cn[i], now_s());
		}
	}
	if (in_flight(b))
		die("%s", "replies still missing after the time limit");
}

static int cmp_u32(const void *x, const void *y)
{
	uint32_t a = *(const uint32_t *)x, c = *(const uint32_t *)y;

	return (a > c) - (a < c);
}

static uint32_t pct(const struct bq *b, double p)
{
	uint64_t i = (uint64_t)(p * (double)b->done);

	return b->done ? b->lat_us[i < b->done ? i : b->done - 1] : 0;
}

/* ---- trace mode ---- */

#define KIND_COLS_MAX 16
#define GUNS_ENOUGH 1   /* on_record's stop code */

static int kind_col[KIND_COLS_MAX], n_kind_cols;

/* Rows of the records CSV with at least min_events events become guns. */
static int on_record(void *arg, char **f, int n, unsigned long line)
{
	struct bq *b = arg;
	struct gun *g;
	unsigned events = 0;

	if (line == 1) {
		b->col_make = b->col_model = b->col_serial = -1;
		for (int i = 0; i < n; i++) {
			size_t len = strlen(f[i]);

			b->col_make = strcmp(f[i], "make") ? b->col_make : i;
			b->col_model = strcmp(f[i], "model") ? b->col_model : i;
			b->col_serial = strcmp(f[i], "serial") ? b->col_serial : i;
			if (len > 5 && !strcmp(f[i] + len - 5, "_kind") && n_kind_cols < KIND_COLS_MAX)
				kind_col[n_kind_cols++] = i;
		}
		if (b->col_make < 0 || b->col_model < 0 || b->col_serial < 0)
			die("%s", "records CSV: no make, model or serial column");
		return 0;
	}
	if (b->n_guns >= b->max_req)
		return GUNS_ENOUGH;
	if (b->col_make >= n || b->col_model >= n || b->col_serial >= n ||
	    !f[b->col_serial][0])
		return 0;
	for (int i = 0; i < n_kind_cols; i++)
		events += kind_col[i] < n && f[kind_col[i]][0];
	if (events < b->min_events)
		return 0;
	g = &b->guns[b->n_guns++];
	snprintf(g->make, sizeof(g->make), "%s", f[b->col_make]);
	snprintf(g->model, sizeof(g->model), "%s", f[b->col_model]);
	snprintf(g->serial, sizeof(g->serial), "%s", f[b->col_serial]);
	return 0;
}

static int on_bad(void *arg, unsigned long line, const char *why)
{
	(void)arg;
	(void)line;
	return die("records CSV: %s", why);
}

/* The first max_req guns of the records CSV (it is not read further). */
static void read_guns(struct bq *b)
{
	int rc;

	if (!(b->guns = calloc(b->max_req, sizeof(*b->guns))))
		die("%s", "out of memory");
	rc = csv_file_read(b->records_csv, on_record, on_bad, b);
	if (rc && rc != GUNS_ENOUGH)
		die("cannot read %s", b->records_csv);
	if (!b->n_guns)
		die("%s", "no record in the CSV has enough events");
	b->max_req = b->n_guns;
}

/* Send one console command on c and wait for its reply, parsed into *m
 * (NULL after the deadline). */
static void call(struct cn *c, const char *cmd, const struct proto_schema *sc, const void *args,
		 struct proto_msg **m, double deadline)
{
	struct proto_buf body = { 0 };
	struct proto_writer *w = proto_writer_new(&body);
	const uint8_t *reply;
	size_t len;
	int rc;

	if (!w || proto_w_map(w, 2) || proto_w_str(w, "cmd") || proto_w_str(w, cmd) ||
	    proto_w_str(w, "args") || proto_w_obj(w, sc, args) ||
	    proto_frame_write(&c->out, body.data, body.len))
		die("%s", "cannot encode a request");
	proto_writer_free(w);
	proto_buf_free(&body);
	*m = NULL;
	while ((rc = proto_framer_next(&c->in, &reply, &len)) == 0) {
		struct pollfd pf = { c->fd, POLLIN, 0 };
		double left = deadline - now_s();
		uint8_t buf[65536];
		ssize_t n;

		flush_out(c);
		pf.events |= c->out.len ? POLLOUT : 0;
		if (left <= 0)
			return;
		if (poll(&pf, 1, (int)(left * 1000) + 1) < 0 && errno != EINTR)
			die("%s", "poll failed");
		if (!(pf.revents & (POLLIN | POLLHUP | POLLERR)))
			continue;
		n = read(c->fd, buf, sizeof(buf));
		if (n < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (n <= 0)
			die("%s", "the node closed the console connection");
		if (proto_framer_feed(&c->in, buf, (size_t)n))
			die("%s", "bad frame from the node");
	}
	if (rc < 0 || proto_msg_parse(m, reply, len))
		die("%s", "bad frame from the node");
}

/* The trace in reply m, or -1 (and failed counted) if the call failed. */
static int trace_of(struct bq *b, struct proto_msg *m, struct tn_trace *tr)
{
	int ok = 0;

	if (m && !proto_msg_bool(m, "ok", &ok) && ok &&
	    !proto_msg_decode(m, "data", &proto_trace_schema, tr))
		return 0;
	if (m && !b->failed && proto_msg_str(m, "error", b->why, sizeof(b->why)))
		b->why[0] = '\0';
	if (!m && !b->failed)
		snprintf(b->why, sizeof(b->why), "no reply in time");
	b->failed++;
	return -1;
}

/* Trace gun i from request to answered; its round trip into lat_us. */
static void trace_one(struct bq *b, struct cn *c, uint64_t i)
{
	const struct gun *g = &b->guns[i];
	static struct tn_trace_arg a;
	struct tn_id_arg show = { 0 };
	struct proto_msg *m;
	struct tn_trace tr;
	double t0 = now_s(), deadline = t0 + b->timeout_ms / 1000.0, t;
	struct timespec nap = { 0, (long)b->poll_us * 1000 };

	memset(&a, 0, sizeof(a));
	snprintf(a.to, sizeof(a.to), "%s", b->peer);
	snprintf(a.req.case_ref, sizeof(a.req.case_ref), "BENCH-T-%llu", (unsigned long long)i);
	snprintf(a.req.crime, sizeof(a.req.crime), "homicide");
	snprintf(a.req.recovered_on, sizeof(a.req.recovered_on), "2024-06-01");
	snprintf(a.req.recovered_at, sizeof(a.req.recovered_at), "Ciudad de Guatemala");
	memcpy(a.req.firearm.make, g->make, sizeof(a.req.firearm.make));
	memcpy(a.req.firearm.model, g->model, sizeof(a.req.firearm.model));
	memcpy(a.req.firearm.serial, g->serial, sizeof(a.req.firearm.serial));
	call(c, "trace.request", &proto_trace_arg_schema, &a, &m, deadline);
	t = now_s();
	if (trace_of(b, m, &tr)) {
		proto_msg_free(m);
		return;
	}
	b->ack_us[b->issued] = (uint32_t)((t - t0) * 1e6);
	show.id = tr.id;
	proto_release(&proto_trace_schema, &tr);
	proto_msg_free(m);
	b->issued++;
	for (;;) {
		b->polls++;
		call(c, "trace.show", &proto_id_arg_schema, &show, &m, deadline);
		t = now_s();
		if (trace_of(b, m, &tr)) {
			proto_msg_free(m);
			return;
		}
		proto_msg_free(m);
		if (!strcmp(tr.status, "answered"))
			break;
		proto_release(&proto_trace_schema, &tr);
		if (t + b->poll_us / 1e6 >= deadline) {
			b->not_answered++;
			return;
		}
		nanosleep(&nap, NULL);
	}
	b->end_s[b->done] = (float)(t - b->start);
	b->lat_us[b->done++] = (uint32_t)((t - t0) * 1e6);
	/* completed, or destroyed_on_record: either way the whole chain */
	b->short_chain += tr.result.n_chain < b->min_events || !tr.n_receipt;
	proto_release(&proto_trace_schema, &tr);
}

static void run_traces(struct bq *b)
{
	b->start = now_s();
	b->stop_issuing = b->start + (double)b->time_ms / 1000;
	for (uint64_t i = 0; i < b->max_req && now_s() < b->stop_issuing; i++)
		trace_one(b, &b->cn[0], i);
}

static void print_trace_json(struct bq *b, double secs)
{
	uint64_t acks = b->issued;

	qsort(b->lat_us, b->done, sizeof(*b->lat_us), cmp_u32);
	qsort(b->ack_us, acks, sizeof(*b->ack_us), cmp_u32);
	printf("{\"round_trip\": {\"n\": %llu, \"p50_us\": %u, \"p90_us\": %u, \"p99_us\": %u, "
	       "\"max_us\": %u}, ", (unsigned long long)b->done, pct(b, 0.5), pct(b, 0.9),
	       pct(b, 0.99), b->done ? b->lat_us[b->done - 1] : 0);
	printf("\"request_reply_p50_us\": %u, \"poll_us\": %u, \"polls_per_trace\": %.1f, ",
	       acks ? b->ack_us[acks / 2] : 0, b->poll_us,
	       b->done ? (double)b->polls / (double)b->done : 0);
	printf("\"seconds\": %.3f, \"traces_per_s\": %.1f, \"min_events\": %u, \"failed\": %llu, "
	       "\"not_answered\": %llu, \"short_chain\": %llu}\n", secs, b->done / secs,
	       b->min_events, (unsigned long long)b->failed, (unsigned long long)b->not_answered,
	       (unsigned long long)b->short_chain);
}

/* Replies per second over the second half of the run, once bursts and
 * warm-up are over. */
static double steady_rate(const struct bq *b, double secs)
{
	uint64_t n = 0;

	for (uint64_t i = 0; i < b->done; i++)
		n += b->end_s[i] >= secs / 2;
	return secs > 0 ? n / (secs / 2) : 0;
}

static void print_json(struct bq *b, double secs)
{
	printf("{\"steady_requests_per_s\": %.1f, ", steady_rate(b, secs));
	qsort(b->lat_us, b->done, sizeof(*b->lat_us), cmp_u32);
	printf("\"mode\": \"%s\", \"conns\": %u, \"depth\": %u, \"items_per_request\": %u, "
	       "\"requests\": %llu, \"seconds\": %.3f, \"requests_per_s\": %.1f, "
	       "\"items_per_s\": %.1f, ", b->mode, b->conns, b->depth, b->report ? 1 : b->batch,
	       (unsigned long long)b->done, secs, b->done / secs,
	       b->done * (double)(b->report ? 1 : b->batch) / secs);
	printf("\"p50_us\": %u, \"p99_us\": %u, \"p999_us\": %u, \"max_us\": %u, ",
	       pct(b, 0.5), pct(b, 0.99), pct(b, 0.999), b->done ? b->lat_us[b->done - 1] : 0);
	printf("\"failed\": %llu, \"not_answered\": %llu, \"hits\": %llu, "
	       "\"hits_expected\": %llu, \"hit_mismatch\": %llu}\n",
	       (unsigned long long)b->failed, (unsigned long long)b->not_answered,
	       (unsigned long long)b->hits, (unsigned long long)b->hits_expected,
	       (unsigned long long)b->mismatch);
}

static void usage(void)
{
	fputs("usage: bench_query SOCK query (-p PEER | -a) [-c CONNS] [-d DEPTH] [-b ITEMS]\n"
	      "                   [-n REQUESTS] [-t MS] [-s STOLEN.csv [-e EVERY]] [-T MS]\n"
	      "       bench_query SOCK report -s STOLEN.csv [-c CONNS] [-d DEPTH]\n"
	      "       bench_query SOCK trace -p PEER -r RECORDS.csv [-m EVENTS] [-P US]\n"
	      "                   [-n TRACES] [-t MS] [-T MS]\n"
	      "  -c connections (1), -d requests in flight per connection (1), -b items\n"
	      "  per query (1), -n at most this many requests (1000), -t issue for at\n"
	      "  most MS ms (60000), -e one query in EVERY carries a reported gun (0:\n"
	      "  none), -T the query's own timeout (5000 ms); trace: one trace at a time\n"
	      "  for the first TRACES records with at least EVENTS events (3), trace.show\n"
	      "  every US microseconds (1000) until answered, within -T MS\n", stderr);
	exit(2);
}

static void parse_args(struct bq *b, int argc, char **argv)
{
	int o;

	while ((o = getopt(argc, argv, "p:ac:d:b:n:t:s:e:T:r:m:P:")) != -1) {
		switch (o) {
		case 'p': b->peer = optarg; break;
		case 'a': b->all = 1; break;
		case 'c': b->conns = (unsigned)atoi(optarg); break;
		case 'd': b->depth = (unsigned)atoi(optarg); break;
		case 'b': b->batch = (unsigned)atoi(optarg); break;
		case 'n': b->max_req = strtoull(optarg, NULL, 10); b->n_given = 1; break;
		case 't': b->time_ms = strtoull(optarg, NULL, 10); break;
		case 's': b->stolen_csv = optarg; break;
		case 'e': b->hit_every = (unsigned)atoi(optarg); break;
		case 'T': b->timeout_ms = (unsigned)atoi(optarg); break;
		case 'r': b->records_csv = optarg; break;
		case 'm': b->min_events = (unsigned)atoi(optarg); break;
		case 'P': b->poll_us = (unsigned)atoi(optarg); break;
		default: usage();
		}
	}
	if (argc - optind != 2)
		usage();
	b->sock = argv[optind];
	b->mode = argv[optind + 1];
	b->report = !strcmp(b->mode, "report");
	b->trace = !strcmp(b->mode, "trace");
	if (b->trace && (!b->peer || !b->records_csv || b->poll_us > 1000000))
		usage();
	if (b->trace)
		return;
	if ((!b->report && strcmp(b->mode, "query")) || !b->conns || b->conns > CONNS_MAX ||
	    !b->depth || b->depth > DEPTH_MAX || !b->batch || b->batch > TN_QUERY_ITEMS_MAX ||
	    !b->max_req || (b->report && !b->stolen_csv) || (!b->report && !b->peer && !b->all))
		usage();
}

int main(int argc, char **argv)
{
	static struct bq b = { .conns = 1, .depth = 1, .batch = 1, .max_req = 1000,
			       .time_ms = 60000, .timeout_ms = 5000, .poll_us = 1000,
			       .min_events = 3 };
	double secs;

	parse_args(&b, argc, argv);
	if (b.stolen_csv)
		read_reports(&b);
	if (b.report && (b.max_req > b.sc.n || !b.n_given))
		b.max_req = b.sc.n;
	if (b.trace) {
		read_guns(&b);
		b.conns = 1;
	}
	b.end_s = calloc(b.max_req + 1, sizeof(*b.end_s));
	b.ack_us = calloc(b.max_req + 1, sizeof(*b.ack_us));
	if (!(b.lat_us = calloc(b.max_req + 1, sizeof(*b.lat_us))) || !b.end_s || !b.ack_us)
		die("%s", "out of memory");
	for (unsigned i = 0; i < b.conns; i++)
		open_conn(&b, &b.cn[i]);
	if (b.trace)
		run_traces(&b);
	else
		run(&b);
	secs = now_s() - b.start;
	if (b.trace)
		print_trace_json(&b, secs);
	else
		print_json(&b, secs);
	if (b.failed)
		fprintf(stderr, "bench_query: %llu requests failed%s%s\n",
			(unsigned long long)b.failed, b.why[0] ? ", first: " : "", b.why);
	for (unsigned i = 0; i < b.conns; i++) {
		close(b.cn[i].fd);
		proto_framer_free(&b.cn[i].in);
		proto_buf_free(&b.cn[i].out);
	}
	free(b.lat_us);
	free(b.end_s);
	free(b.ack_us);
	free(b.sc.reports);
	free(b.guns);
	return b.failed ? 1 : 0;
}
