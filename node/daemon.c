/* SPDX-License-Identifier: Apache-2.0 */
/* tracenetd's life: open the node directory, run the loop, and on SIGINT
 * or SIGTERM commit what is queued, close every handle and exit cleanly;
 * SIGHUP reloads tracenet.conf (reload.c). */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cmd/cmd.h"

/* Before the loop sleeps: what is ready leaves first (the queries the
 * pass shares envelopes for, sealed now), so messages that wait on no
 * write travel while the commit runs; then the pass's writes commit, and
 * what they released leaves too. */
static void on_prepare(uv_prepare_t *h)
{
	rides_flush(h->data);
	conns_flush(h->data);
	batch_flush(h->data);
	conns_flush(h->data);
}

/* Only connections are left once the node's own handles are closed. */
static void close_conn(uv_handle_t *h, void *arg)
{
	(void)arg;
	if (!uv_is_closing(h) && (h->type == UV_NAMED_PIPE || h->type == UV_TCP))
		conn_abort(h->data);
}

static void close_own(uv_handle_t *h)
{
	if (!uv_is_closing(h))
		uv_close(h, NULL);
}

static void node_stop(struct node *n)
{
	n->stopping = 1;
	node_notify("STOPPING=1\nSTATUS=stopping");
	svc_stop(n);
	batch_flush_all(n);
	accept_stop(n->accepting[0]);
	accept_stop(n->accepting[1]);
	n->accepting[0] = n->accepting[1] = NULL;
	close_own((uv_handle_t *)&n->console);
	close_own((uv_handle_t *)&n->listener);
	metrics_http_stop(n);
	close_own((uv_handle_t *)&n->commit);
	close_own((uv_handle_t *)&n->later);
	close_own((uv_handle_t *)&n->purge);
	close_own((uv_handle_t *)&n->drop_summary);
	close_own((uv_handle_t *)&n->resend);
	close_own((uv_handle_t *)&n->checkpoint);
	close_own((uv_handle_t *)&n->sigint);
	close_own((uv_handle_t *)&n->sigterm);
	close_own((uv_handle_t *)&n->sighup);
	for (struct peer *p = n->peers; p; p = p->next) {
		peer_dial_cancel(p);
		close_own((uv_handle_t *)&p->retry);
	}
	uv_walk(&n->loop, close_conn, n);
}

static void on_signal(uv_signal_t *h, int signum)
{
	struct node *n = h->data;

	if (n->stopping)
		return;
	node_log("info", "%s: signal %d, stopping", n->cfg.name, signum);
	node_stop(n);
}

static void on_sighup(uv_signal_t *h, int signum)
{
	struct node *n = h->data;

	(void)signum;
	if (!n->stopping)
		(void)node_reload(n);
}

/* The node directory holds the key, the store and the console socket:
 * nobody else may enter it, but the [console] group may pass through to
 * the socket (search permission only; every file inside stays 0600). */
static int check_dir(const char *dir)
{
	struct stat st;

	if (stat(dir, &st)) {
		if (errno == ENOENT)
			node_log("error", "node directory %s does not exist (tracenetd init %s "
				 "--name CODE creates it)", dir, dir);
		else
			node_log("error", "%s: %s", dir, strerror(errno));
		return TN_ERR_CONFIG;
	}
	if (!S_ISDIR(st.st_mode) || st.st_uid != geteuid() || (st.st_mode & 067)) {
		node_log("error", "%s: the node directory must be a directory of this user that "
			 "others cannot enter (chmod 700 %s; 710 lets the console group through)",
			 dir, dir);
		return TN_ERR_PERM;
	}
	return 0;
}

/* Secrets must not reach a core file or another process's ptrace. */
static void no_core_dumps(void)
{
	struct rlimit none = { 0, 0 };

	if (setrlimit(RLIMIT_CORE, &none) || prctl(PR_SET_DUMPABLE, 0, 0, 0, 0))
		node_log("warn", "cannot turn core dumps off: %s", strerror(errno));
}

/* One tracenetd per directory: an exclusive lock held for the process's life. */
static int lock_dir(const char *dir)
{
	char path[PATH_MAX];
	int fd;

	if (node_path(path, dir, "lock"))
		return TN_ERR_CONFIG;
	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd < 0)
		return TN_ERR_IO;
	if (flock(fd, LOCK_EX | LOCK_NB)) {
		close(fd);
		return TN_ERR_EXISTS;
	}
	return fd;
}

static int start_handles(struct node *n)
{
	int rc;

	if ((rc = uv_loop_init(&n->loop)))
		return TN_ERR_IO;
	/* Every handle the node owns exists before anything can fail, so
	 * that node_stop can close them all. */
	uv_pipe_init(&n->loop, &n->console, 0);
	uv_tcp_init(&n->loop, &n->listener);
	n->console.data = n->listener.data = n;
	uv_prepare_init(&n->loop, &n->commit);
	batch_start(n);
	uv_timer_init(&n->loop, &n->purge);
	peer_drops_start(n);
	n->purge.data = n;
	n->commit.data = n;
	uv_prepare_start(&n->commit, on_prepare);
	uv_signal_init(&n->loop, &n->sigint);
	uv_signal_init(&n->loop, &n->sigterm);
	n->sigint.data = n->sigterm.data = n;
	uv_signal_start(&n->sigint, on_signal, SIGINT);
	uv_signal_start(&n->sigterm, on_signal, SIGTERM);
	uv_signal_init(&n->loop, &n->sighup);
	n->sighup.data = n;
	uv_signal_start(&n->sighup, on_sighup, SIGHUP);
	n->hooks.console = cmd_dispatch;
	if ((rc = svc_start(n)) || (rc = console_start(n)) || (rc = link_listen(n)) ||
	    (rc = metrics_http_start(n)) || (rc = peers_start(n)))
		return rc;
	return 0;
}

static int open_node(struct node *n, const char *dir)
{
	struct store_journal_stats js;
	char why[PATH_MAX + 64];
	int rc;

	proto_strcpy(n->dir, sizeof(n->dir), dir);
	if ((rc = node_config_load(&n->cfg, dir, why, sizeof(why)))) {
		node_log("error", "%s", why);
		return rc;
	}
	node_log_setup(&n->cfg);
	if ((rc = cx_init()) || (rc = cx_id_load(&n->id, dir))) {
		node_log("error", "%s: cannot load the node key %s/node.key: %s%s", n->cfg.name,
			 dir, tn_strerror(rc),
			 rc == TN_ERR_PERM ? " (it must be mode 0600, owned by this user and not a "
			 "symlink)" : "");
		return rc;
	}
	if ((rc = store_open(&n->store, dir, n->cfg.map_size, n->cfg.map_max))) {
		node_log("error", "%s: cannot open the store in %s: %s%s", n->cfg.name, dir,
			 tn_strerror(rc), rc == TN_ERR_JOURNAL ? " (if store/data.mdb was restored "
			 "from a backup, move store/journal aside and start again)" : "");
		return rc;
	}
	store_journal_stats(n->store, &js);
	if (js.replayed)
		node_log("info", "%s: the store replayed %llu commits from its journal", n->cfg.name,
			 (unsigned long long)js.replayed);
	return 0;
}

int node_run(const char *dir)
{
	static struct node node;
	struct node *n = &node;
	int lock, rc;

	/* A peer or console client that goes away must not kill the node. */
	signal(SIGPIPE, SIG_IGN);
	n->fd_reserve = -1;
	no_core_dumps();
	if ((rc = check_dir(dir)))
		return rc;
	if ((lock = lock_dir(dir)) < 0) {
		node_log("error", "%s: %s", dir, lock == TN_ERR_EXISTS ?
			 "another tracenetd is running on this directory" : "cannot lock");
		return lock;
	}
	if (!(rc = open_node(n, dir)) && (rc = start_handles(n))) {
		node_stop(n);
		uv_run(&n->loop, UV_RUN_DEFAULT);
		uv_loop_close(&n->loop);
	} else if (!rc) {
		n->started_ms = uv_hrtime() / 1000000;
		node_log("info", "%s: ready, peers on %s, console %s/%s", n->cfg.name,
			 n->listen_addr, dir, NODE_SOCK);
		node_notify("READY=1\nSTATUS=%s: running, peers on %s", n->cfg.name,
			    n->listen_addr);
		uv_run(&n->loop, UV_RUN_DEFAULT);
		if ((rc = uv_loop_close(&n->loop)))
			node_log("error", "%s: handles left open at exit", n->cfg.name);
	}
	if (n->store)
		store_close(n->store);
	peers_free(n);
	cx_tls_ctx_free(n->tls);
	cx_id_free(n->id);
	free(n->batch);
	free(n->slots);
	free(n->ops);
	if (n->fd_reserve >= 0)
		close(n->fd_reserve);
	close(lock);
	return rc;
}
