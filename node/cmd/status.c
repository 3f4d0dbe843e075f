/* SPDX-License-Identifier: Apache-2.0 */
/* Console command `status`: who this node is and what its store holds. */
#include <string.h>
#include <unistd.h>

#include "cmd.h"

struct late {
	char today[TN_DATE_LEN];
	uint64_t n;
};

static int count_late(void *arg, const struct tn_trace *tr)
{
	struct late *l = arg;

	l->n += (uint64_t)trace_overdue(tr, l->today);
	return 0;
}

/* Overdue changes by the day: the traces are walked once a minute at most
 * (a walk of every trace, which a status poll must not pay each time). */
#define OVERDUE_EVERY_MS 60000

static int count_overdue(struct node *n, struct store_txn *t)
{
	struct late late = { .n = 0 };
	uint64_t now = node_now_ms();
	int rc;

	if (n->overdue_ms && now - n->overdue_ms < OVERDUE_EVERY_MS)
		return 0;
	node_date_in(late.today, 0);
	if ((rc = store_trace_each(t, count_late, &late)) < 0)
		return rc;
	n->overdue = late.n;
	n->overdue_ms = now;
	return 0;
}

static int status(struct console_req *r, void *args)
{
	struct node *n = console_node(r);
	struct store_stats st;
	struct store_txn *t;
	struct tn_status s;
	int rc;

	(void)args;
	if ((rc = store_read_begin(n->store, &t)))
		return rc;
	rc = store_stats(t, &st);
	if (!rc)
		rc = count_overdue(n, t);
	store_read_end(t);
	if (rc)
		return rc;
	memset(&s, 0, sizeof(s));
	memcpy(s.name, n->cfg.name, sizeof(s.name));
	proto_strcpy(s.version, sizeof(s.version), TN_VERSION);
	cx_fingerprint(cx_id_pk(n->id), s.fingerprint);
	proto_strcpy(s.listen, sizeof(s.listen), n->listen_addr);
	s.pid = (uint64_t)getpid();
	s.uptime_s = (uv_hrtime() / 1000000 - n->started_ms) / 1000;
	s.records = st.records;
	s.stolen = st.stolen;
	s.stolen_open = st.stolen_open;
	s.map_size = st.map_size;
	s.map_used = st.map_used;
	s.commits = n->commits;
	s.overdue = n->overdue;
	for (struct peer *p = n->peers; p; p = p->next) {
		s.peers++;
		s.linked += p->link != NULL;
	}
#define DROP_COPY(r) s.drops.r = n->drops[DROP_##r];
	TN_DROP_REASONS(DROP_COPY)
#undef DROP_COPY
	proto_strcpy(s.metrics_listen, sizeof(s.metrics_listen), n->metrics_addr);
	console_ok(r, &proto_status_schema, &s);
	return 0;
}

const struct cmd_handler cmd_status_table[] = {
	{ CMD_STATUS, status },
	{ CMD_COUNT, NULL },
};
