/* SPDX-License-Identifier: Apache-2.0 */
/* bench_query: the state of a run and the functions its files share:
 * console connections (bq_conn.c), the query and report load (bq_load.c),
 * trace mode (bq_trace.c) and the JSON summary (bq_json.c). */
#ifndef TN_TOOLS_BQ_H
#define TN_TOOLS_BQ_H

#include <stddef.h>
#include <stdint.h>

#include "../../../proto/proto.h"
#include "csv_file.h"

#define CONNS_MAX 256
#define DEPTH_MAX 64

/* A request in flight. */
struct slot {
	double sent;          /* when the request left */
	uint32_t hits;        /* hit items it carries */
};

/* A console connection and the requests in flight on it. */
struct cn {
	int fd;
	struct proto_framer in;
	struct proto_buf out;
	struct slot ring[DEPTH_MAX];
	unsigned head, n;
};

/* Trace mode: a record to trace. */
struct gun {
	char make[TN_MAKE_LEN], model[TN_MODEL_LEN], serial[TN_SERIAL_LEN];
};

/* The options, the state and the figures of one run. */
struct bq {
	const char *sock, *mode, *peer, *stolen_csv, *records_csv;
	unsigned conns, depth, batch, hit_every, timeout_ms;
	int one_case;                /* every query names the same case */
	uint64_t max_req, time_ms;
	int all, report, trace, n_given;
	unsigned min_events;
	struct gun *guns;             /* trace mode: records to trace */
	uint32_t n_guns;
	int col_make, col_model, col_serial;
	uint64_t short_chain;         /* answers without the record's events */
	struct cn cn[CONNS_MAX];
	struct stolen_csv sc;         /* rows of the stolen CSV */
	uint64_t issued, done, failed, not_answered, hits, hits_expected, mismatch;
	uint64_t blind;               /* peer answers given to blinded items */
	uint32_t *lat_us;
	float *end_s;                 /* when each reply came, from start */
	double start, stop_issuing;
	char why[TN_TEXT_LEN];
};

/* ---- bq_conn.c: console connections ---- */

/* CLOCK_MONOTONIC in seconds. */
double bq_now_s(void);

/* Print "bench_query: " and fmt with arg on stderr, and exit 1. */
int bq_die(const char *fmt, const char *arg);

/* Connect c to the node's console socket b->sock, non-blocking. */
int bq_open_conn(struct bq *b, struct cn *c);

/* Write what c has queued, as far as the socket takes it. */
void bq_flush_out(struct cn *c);

/* Send one console command on c and wait for its reply, parsed into *m
 * (NULL after the deadline). */
void bq_call(struct cn *c, const char *cmd, const struct proto_schema *sc, const void *args,
	     struct proto_msg **m, double deadline);

/* ---- bq_load.c: query.stolen or stolen.report, depth in flight ---- */

/* Issue requests on every connection, depth in flight on each, until
 * max_req or time_ms, and time every reply. */
void bq_run(struct bq *b);

/* ---- bq_trace.c: one trace at a time ---- */

/* The first max_req guns of the records CSV (it is not read further). */
void bq_read_guns(struct bq *b);

/* Trace the guns one at a time, for at most time_ms. */
void bq_run_traces(struct bq *b);

/* ---- bq_json.c: the summary on stdout ---- */

/* One JSON line of a query or report run of secs seconds. */
void bq_print_json(struct bq *b, double secs);

/* One JSON line of a trace run of secs seconds. */
void bq_print_trace_json(struct bq *b, double secs);

#endif
