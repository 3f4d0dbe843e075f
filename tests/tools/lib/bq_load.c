/* SPDX-License-Identifier: Apache-2.0 */
/* bench_query: the load of query.stolen or stolen.report requests, depth in
 * flight on each connection, every reply timed and checked; see bq.h. */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "bq.h"

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
		snprintf(a.case_ref, sizeof(a.case_ref), "BENCH-%llu",
			 (unsigned long long)(b->one_case ? 0 : i));
		snprintf(a.officer, sizeof(a.officer), "bench");
		hits = fill_query(b, &a, i);
		rc = proto_w_str(w, "query.stolen") || proto_w_str(w, "args") ||
		     proto_w_obj(w, &proto_query_arg_schema, &a);
	}
	if (rc || proto_frame_write(out, body.data, body.len))
		bq_die("%s", "cannot encode a request");
	proto_writer_free(w);
	proto_buf_free(&body);
	return hits;
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
		s->sent = bq_now_s();
		b->hits_expected += s->hits;
	}
	bq_flush_out(c);
}

static void check_query(struct bq *b, struct proto_msg *m, const struct slot *s)
{
	struct tn_query_reply r;

	if (proto_msg_decode(m, "data", &proto_query_reply_schema, &r)) {
		b->failed++;
		return;
	}
	for (uint32_t i = 0; i < r.n; i++) {
		b->not_answered += strcmp(r.peers[i].status, "answered") != 0;
		b->blind += !strcmp(r.peers[i].mode, "blind");
	}
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
		bq_die("%s", "a reply nobody asked for");
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
	double now = bq_now_s();
	size_t len;
	int rc;

	if (n < 0 && (errno == EINTR || errno == EAGAIN))
		return;
	if (n <= 0)
		bq_die("%s", "the node closed the console connection");
	if (proto_framer_feed(&c->in, buf, (size_t)n))
		bq_die("%s", "bad frame from the node");
	while ((rc = proto_framer_next(&c->in, &body, &len)) == 1)
		on_reply(b, c, body, len, now);
	if (rc < 0)
		bq_die("%s", "bad frame from the node");
}

static unsigned in_flight(const struct bq *b)
{
	unsigned n = 0;

	for (unsigned i = 0; i < b->conns; i++)
		n += b->cn[i].n;
	return n;
}

void bq_run(struct bq *b)
{
	struct pollfd pf[CONNS_MAX];
	double give_up;

	b->start = bq_now_s();
	b->stop_issuing = b->start + (double)b->time_ms / 1000;
	give_up = b->stop_issuing + b->timeout_ms / 1000.0 + 5;
	for (unsigned i = 0; i < b->conns; i++)
		top_up(b, &b->cn[i], b->start);
	while (in_flight(b) && bq_now_s() < give_up) {
		for (unsigned i = 0; i < b->conns; i++)
			pf[i] = (struct pollfd){ b->cn[i].fd,
						 POLLIN | (b->cn[i].out.len ? POLLOUT : 0), 0 };
		if (poll(pf, b->conns, 1000) < 0 && errno != EINTR)
			bq_die("%s", "poll failed");
		for (unsigned i = 0; i < b->conns; i++) {
			if (pf[i].revents & (POLLIN | POLLHUP | POLLERR))
				read_conn(b, &b->cn[i]);
			top_up(b, &b->cn[i], bq_now_s());
		}
	}
	if (in_flight(b))
		bq_die("%s", "replies still missing after the time limit");
}
