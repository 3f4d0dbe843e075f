/* SPDX-License-Identifier: Apache-2.0 */
/* bench_query: a console load generator. Opens K connections to a node's
 * console socket, keeps D requests in flight on each, and times every
 * reply with CLOCK_MONOTONIC: query.stolen to one peer or to all, or
 * stolen.report to load a node with the reports of a CSV. Or, in trace
 * mode, one trace at a time: trace.request for a gun of a records CSV,
 * waiting for the node to have its answer. Prints JSON. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/bq.h"

/* The stolen CSV: reports to load, and items that hit. */
static void read_reports(struct bq *b)
{
	if (stolen_csv_load(&b->sc, b->stolen_csv))
		bq_die("cannot read %s", b->stolen_csv);
}

static void usage(void)
{
	fputs("usage: bench_query SOCK query (-p PEER | -a) [-c CONNS] [-d DEPTH] [-b ITEMS]\n"
	      "                   [-n REQUESTS] [-t MS] [-s STOLEN.csv [-e EVERY]] [-T MS] [-1]\n"
	      "       bench_query SOCK report -s STOLEN.csv [-c CONNS] [-d DEPTH]\n"
	      "       bench_query SOCK trace -p PEER -r RECORDS.csv [-m EVENTS]\n"
	      "                   [-n TRACES] [-t MS] [-T MS]\n"
	      "  -c connections (1), -d requests in flight per connection (1), -b items\n"
	      "  per query (1), -n at most this many requests (1000), -t issue for at\n"
	      "  most MS ms (60000), -e one query in EVERY carries a reported gun (0:\n"
	      "  none), -T the query's own timeout (5000 ms), -1 every query of one case\n"
	      "  (a screening: each names its own case otherwise); trace: one trace at a time\n"
	      "  for the first TRACES records with at least EVENTS events (3), each\n"
	      "  waiting for its answer, within -T MS\n", stderr);
	exit(2);
}

static void parse_args(struct bq *b, int argc, char **argv)
{
	int o;

	while ((o = getopt(argc, argv, "p:ac:d:b:n:t:s:e:T:r:m:1")) != -1) {
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
		case '1': b->one_case = 1; break;
		default: usage();
		}
	}
	if (argc - optind != 2)
		usage();
	b->sock = argv[optind];
	b->mode = argv[optind + 1];
	b->report = !strcmp(b->mode, "report");
	b->trace = !strcmp(b->mode, "trace");
	if (b->trace && (!b->peer || !b->records_csv))
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
			       .time_ms = 60000, .timeout_ms = 5000,
			       .min_events = 3 };
	double secs;

	parse_args(&b, argc, argv);
	if (b.stolen_csv)
		read_reports(&b);
	if (b.report && (b.max_req > b.sc.n || !b.n_given))
		b.max_req = b.sc.n;
	if (b.trace) {
		bq_read_guns(&b);
		b.conns = 1;
	}
	b.end_s = calloc(b.max_req + 1, sizeof(*b.end_s));
	if (!(b.lat_us = calloc(b.max_req + 1, sizeof(*b.lat_us))) || !b.end_s)
		bq_die("%s", "out of memory");
	for (unsigned i = 0; i < b.conns; i++)
		bq_open_conn(&b, &b.cn[i]);
	if (b.trace)
		bq_run_traces(&b);
	else
		bq_run(&b);
	secs = bq_now_s() - b.start;
	if (b.trace)
		bq_print_trace_json(&b, secs);
	else
		bq_print_json(&b, secs);
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
	free(b.sc.reports);
	free(b.guns);
	return b.failed ? 1 : 0;
}
