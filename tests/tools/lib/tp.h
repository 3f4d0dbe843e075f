/* SPDX-License-Identifier: Apache-2.0 */
/* tn_peer: the state of a test peer and the functions its files share:
 * plumbing (tp_io.c), frames from the node (tp_read.c), connecting
 * (tp_connect.c), and the scenarios (tp_sc_*.c). */
#ifndef TN_TOOLS_TP_H
#define TN_TOOLS_TP_H

#include <stddef.h>
#include <stdint.h>

#include "../../../crypto/cx.h"
#include "../../../proto/proto.h"

/* How far a connection gets: TCP, TLS, or HELLO both ways. */
enum stage { ST_TCP, ST_TLS, ST_UP };

/* One test peer: its identity, its connection to the node, its run. */
struct tp {
	int fd;
	struct cx_id *id, *other_id;
	struct cx_tls_ctx *ctx;
	struct cx_tls *tls;
	struct proto_framer in;
	struct proto_buf out, scratch, copy;
	char name[TN_NAME_LEN];       /* ours (HELLO, envelope from) */
	char peer_name[TN_NAME_LEN];  /* the node's, from its HELLO */
	uint8_t peer_pk[CX_PK_LEN];
	uint8_t key[CX_KEY_LEN];      /* shared box key with the node */
	uint8_t pin_pk[CX_PK_LEN];
	int have_pin, answer_pings, eof;
	const char *other;            /* --other NAME */
	const char *scenario, *addr;
	const struct scenario *sc;
	char **argv;                  /* the scenario's own arguments */
	int argc;
	uint64_t seq;
	int64_t start, deadline;      /* monotonic ms */
};

/* The qids (and items) a frame from the node keeps, at most. */
#define TP_QIDS 16

/* What one frame from the node was. */
struct frame {
	char t[8];
	char etype[TN_KIND_LEN];      /* envelopes: their type */
	uint64_t seq;
	int env_ok;                   /* envelopes: it opened and decoded */
	uint64_t ref;                 /* trace_request, trace_result: the requester's ref;
				       * stolen_query: its qid (and seq its items);
				       * stolen_result: its qid */
	uint64_t qids[TP_QIDS];       /* stolen_queries: the asks' qids; stolen_results:
				       * the results' (the first TP_QIDS) */
	uint32_t items[TP_QIDS];      /* stolen_queries: each ask's items (seq: all) */
	uint32_t n_qids;              /* stolen_queries: asks; stolen_results: results */
	uint32_t hits;                /* stolen_result(s): answers with a hit */
	int sig;                      /* the sealed message was signed */
	char status[24];              /* trace_result, stolen_result */
	uint8_t mid[TN_MID_LEN];      /* trace_request, ack, cosignature: the message id */
	struct tn_cosignature cosig;  /* cosignature */
	struct tn_checkpoint_held held; /* checkpoint_held */
};

/* How an envelope scenario departs from a well-formed sealed ping. */
struct env_spec {
	const char *type;             /* NULL: "ping" */
	int64_t skew_ms;              /* added to ts */
	unsigned from_other : 1;      /* from = --other */
	unsigned to_other : 1;        /* to = --other, or ZZZ */
	unsigned sign : 1;            /* signed, by us */
	unsigned sign_other : 1;      /* signed, by --other-id */
	unsigned flip : 1;            /* one body byte flipped */
	unsigned replays;             /* extra copies sent after it */
	unsigned want;                /* pong envelopes expected */
};

/* A row of tn_peer's scenario table. */
struct scenario {
	const char *name;
	int (*fn)(struct tp *t);
	const char *help;
	enum stage stage;             /* how far to get before fn runs */
	int timeout_s;                /* default deadline of the whole run */
	struct env_spec env;          /* envelope scenarios only */
	const char *features;         /* our HELLO's; NULL: "ping" */
};

/* What came before a barrier's pong: envelopes, those that did not open,
 * and the seq of the last. */
struct seen {
	unsigned env, env_bad;
	unsigned cosignatures;      /* envelopes of type cosignature */
	uint64_t seq;
};

/* ---- tp_io.c: clocks, output, socket and TLS plumbing ---- */

/* CLOCK_MONOTONIC, and the wall clock, in ms. */
int64_t tp_mono_ms(void);
uint64_t tp_wall_ms(void);

/* The one line of output: what happened. Returns bad (1 when the node did
 * not react as it should), so callers can end with `return tp_say(...)`. */
int tp_say(const struct tp *t, int bad, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* How a session ended, in words for tp_say. */
const char *tp_ended(int rc);

/* Write all n bytes to fd: 0, TN_ERR_CLOSED or TN_ERR_IO. */
int tp_send_all(int fd, const void *p, size_t n);

/* Send what TLS has queued for the socket. */
int tp_flush(struct tp *t);

/* Wait for bytes until deadline and feed them to TLS: 1 when some came,
 * 0 at the deadline, TN_ERR_CLOSED when the node closed the socket. */
int tp_fill(struct tp *t, int64_t deadline);

/* Move decrypted bytes into the framer: 0, or how the session ended. */
int tp_pump(struct tp *t);

/* Write p through TLS and send it. */
int tp_send_plain(struct tp *t, const void *p, size_t n);

/* Send {t: type, m: obj}, or with s NULL the body as it is. */
int tp_send_link(struct tp *t, const char *type, const struct proto_schema *s,
		 const void *obj);

/* Send a link ping or pong {seq}. */
int tp_send_ping(struct tp *t, const char *type, uint64_t seq);

/* Queue n pings in one TLS write. */
int tp_send_pings(struct tp *t, unsigned n);

/* ---- tp_read.c: frames from the node ---- */

/* Next frame from the node: 1 with f filled, 0 at the deadline, or how the
 * session ended (TN_ERR_CLOSED, TN_ERR_TLS). Pings are answered on the way
 * while t->answer_pings. */
int tp_read_frame(struct tp *t, int64_t deadline, struct frame *f);

/* Read and discard until the node ends the session: 1 if it did. */
int tp_wait_close(struct tp *t, int *how);

/* Wait for the node's HELLO. */
int tp_wait_hello(struct tp *t);

/* Send a link ping and read until its pong, counting envelopes in s. */
int tp_barrier(struct tp *t, struct seen *s);

/* Count the pongs already there (wait 0) or in the next frame (wait 1). */
int tp_count_pongs(struct tp *t, int wait, unsigned long *got);

/* ---- tp_connect.c: getting a link up ---- */

/* The TLS pin callback: the --pin-card key only, or any key without one. */
int tp_pin(void *arg, const uint8_t pk[CX_PK_LEN]);

/* Connect to a numeric HOST:PORT ([v6]:PORT). */
int tp_tcp_connect(struct tp *t, const char *addr);

/* Client handshake; the node's key then gives the shared box key. */
int tp_tls_connect(struct tp *t);

/* Send our HELLO under name, with the given protocol version. */
int tp_send_hello(struct tp *t, const char *name, uint32_t version);

/* Get as far as stage on a new connection: TCP, TLS, or HELLO both ways. */
int tp_reach(struct tp *t, enum stage stage);

/* ---- tp_sc_env.c: envelopes ---- */

/* Seal a {seq} ping as the node's receiver expects, give or take what sp
 * changes. */
int tp_seal(struct tp *t, const struct env_spec *sp, uint64_t seq, struct tn_envelope *e);
/* Seal and send msg (of schema s) as an envelope of type, signed or not. */
int tp_send_msg(struct tp *t, const char *type, const struct proto_schema *s, const void *msg,
		int sign);

/* ---- scenarios: each runs once the link reached its stage, prints one
 * line, and returns 0 when the node reacted as it should ---- */

int sc_env(struct tp *t);                 /* tp_sc_env.c */
int sc_env_save(struct tp *t);
int sc_bad_digest(struct tp *t);
int sc_reused_ref(struct tp *t);
int sc_env_resend(struct tp *t);
int sc_short_answer(struct tp *t);
int sc_hello_ping(struct tp *t);          /* tp_sc_link.c */
int sc_garbage_frame(struct tp *t);
int sc_garbage(struct tp *t);
int sc_oversize(struct tp *t);
int sc_wrong_hello_name(struct tp *t);
int sc_bad_version(struct tp *t);
int sc_bad_suites(struct tp *t);
int sc_frame_before_hello(struct tp *t);
int sc_no_hello(struct tp *t);
int sc_unpinned(struct tp *t);
int sc_slowloris(struct tp *t);
int sc_truncated(struct tp *t);
int sc_flood(struct tp *t);
int sc_rst_handshake(struct tp *t);       /* tp_sc_reset.c */
int sc_rst_flood(struct tp *t);
int sc_rst_stalled(struct tp *t);
int sc_witness(struct tp *t);             /* tp_sc_witness.c */
int sc_witness_answer(struct tp *t);
int sc_cosignatures(struct tp *t);
int sc_asks(struct tp *t);                /* tp_sc_asks.c */

#endif
