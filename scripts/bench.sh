#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# `make bench`: measure import, local lookups, stolen queries between real
# nodes on loopback (TLS, LMDB, fsync), in clear and blind, broadcasts,
# memory, the replay window, the ways to commit durably, and redis over TLS
# as a reference, all in one run. Prints one JSON object on stdout and writes it to
# $BUILD/bench.json; progress goes to stderr. Every node and server it
# starts is stopped on exit.
#   scripts/bench.sh PHASE...  runs only these phases (functions of the
#   bench-*.sh files, e.g. `commit_bench` or `gen_data store_bench
#   scale_bench`, or `gen_data nodes_up import_bench load_stolen nodes_link
#   blind_bench` for GTM and MEX) and prints their JSON fragments, nothing
#   assembled.
# Knobs (environment):
#   BENCH_RECORDS=1000000   records imported (and put, and held by the node)
#   BENCH_SCALE_BASE=1000000     when BENCH_RECORDS is larger, bench_store
#                           runs at this size too and "scale" compares both
#   BENCH_SEED=1            generator seed; generated CSVs are cached in
#                           $BUILD/bench-data
#   BENCH_LATENCY_QUERIES=2000  single-item queries timed one at a time
#   BENCH_SECONDS=4         length of each throughput run, at most
#   BENCH_MAX_REQUESTS=10000     requests of each throughput run, at most
#                           (the whole run must stay below the replay window
#                           of a peer, REPLAY_MAX in node/net/net.h: ~3 M ids)
#   BENCH_CONNS=64          console connections for throughput and redis
#   BENCH_CONNS_SWEEP="1 16 64 256"  single-item throughput curve
#   BENCH_BATCH=100         items per query in the batched run
#   BENCH_PEERS="10 30"     peer counts of the broadcast runs
#   BENCH_BROADCAST_QUERIES=300  broadcast queries per peer count
#   BENCH_TRACES=200        trace requests, one at a time (they stop early
#                           after 5 x BENCH_SECONDS; MEX answers 1000 a day)
#   BENCH_STORE_BATCH=100000     records per transaction in bench_store
#   BENCH_STORE_NODE_BATCH=65536 the same put again at the largest batch of
#                           `tracectl record import` (IMPORT_BATCH); empty skips
#   BENCH_COMMIT_ROUNDS=500 durable commits of each way in bench_commit
#   BENCH_REPLAY_IDS=1000000     envelope ids in bench_replay's window
#   BENCH_SERIES_MS=20      delay added to each fdatasync of the two nodes
#                           that count commits in series
#   BENCH_SERIES_N=15       queries and traces timed there, one at a time
#   BENCH_TREE_ENTRIES=1000000   audit entries under the Merkle tree of the
#                           checkpoint costs (bench_tree)
#   BENCH_TREE_STEP=1000    entries between two checkpoints there
#   BENCH_STATS_TRACES=8000 our traces a month in the year of traffic that
#                           `stats` is timed over (about 1 M rows in all)
#   BENCH_MATCH_QUERIES=1000     misread serials of each kind looked up by
#                           bench_match (scripts/gen-misreads.py)
#   BENCH_BLIND_LATENCY_QUERIES=1000  single-item queries timed one at a
#                           time, in clear and then blind (report: "blind")
#   BENCH_BLIND_CONNS=16    console connections of the blind throughput runs
#   BENCH_BLIND_DELTAS=5    reports filed one at a time, each timed until the
#                           asker's copy of the blind set has it
#   BENCH_BLIND_STARTS=3    starts of a node holding the reports, without its
#                           blind key and then with it
#   BENCH_INSTR_RECORDS=20000  records of the two nodes run under callgrind
#   BENCH_INSTR_N=2000      single queries counted there (and a tenth as
#                           many batched ones), on BENCH_INSTR_CONNS=16
#   BENCH_MATCH_K=50        candidates searched for each of them (recall at 10 and
#                           the candidate counts are at the default of 10)
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${BUILD:-build}
case $BUILD in
/*) BIN=$BUILD ;;
*) BIN=$ROOT/$BUILD ;;
esac
RECORDS=${BENCH_RECORDS:-1000000}
SEED=${BENCH_SEED:-1}
LAT_N=${BENCH_LATENCY_QUERIES:-2000}
SECS=${BENCH_SECONDS:-4}
MAX_REQ=${BENCH_MAX_REQUESTS:-10000}
CONNS=${BENCH_CONNS:-64}
SWEEP=${BENCH_CONNS_SWEEP:-"1 16 64 256"}
BATCH=${BENCH_BATCH:-100}
PEERS=${BENCH_PEERS:-"10 30"}
BCAST_N=${BENCH_BROADCAST_QUERIES:-300}
TRACE_N=${BENCH_TRACES:-200}
STORE_BATCH=${BENCH_STORE_BATCH:-100000}
NODE_BATCH=${BENCH_STORE_NODE_BATCH-65536}
SCALE_BASE=${BENCH_SCALE_BASE:-1000000}
COMMIT_ROUNDS=${BENCH_COMMIT_ROUNDS:-500}
REPLAY_IDS=${BENCH_REPLAY_IDS:-1000000}
SERIES_MS=${BENCH_SERIES_MS:-20}
SERIES_N=${BENCH_SERIES_N:-15}
TREE_ENTRIES=${BENCH_TREE_ENTRIES:-1000000}
TREE_STEP=${BENCH_TREE_STEP:-1000}
STATS_TRACES=${BENCH_STATS_TRACES:-8000}
MATCH_N=${BENCH_MATCH_QUERIES:-1000}
MATCH_K=${BENCH_MATCH_K:-50}
BLIND_LAT_N=${BENCH_BLIND_LATENCY_QUERIES:-1000}
BLIND_CONNS=${BENCH_BLIND_CONNS:-16}
BLIND_DELTAS=${BENCH_BLIND_DELTAS:-5}
BLIND_STARTS=${BENCH_BLIND_STARTS:-3}
INSTR_RECORDS=${BENCH_INSTR_RECORDS:-20000}
INSTR_N=${BENCH_INSTR_N:-2000}
INSTR_CONNS=${BENCH_INSTR_CONNS:-16}
# node/net/net.h: envelope ids remembered per peer, REPLAY_MAX =
# LINK_FRAMES_PER_S * 2 * ENV_SKEW_MS / 1000 + 65536
REPLAY_MAX=$(($(sed -n 's/^#define LINK_FRAMES_PER_S \([0-9]*\).*/\1/p' "$ROOT/node/net/net.h") * 600 + 65536))
DATA=$BIN/bench-data
TRACENETD=$BIN/tracenetd
TRACECTL=$BIN/tracectl
BENCH_QUERY=$BIN/tests/tools/bench_query
BENCH_STORE=$BIN/tests/tools/bench_store
BENCH_REPLAY=$BIN/tests/tools/bench_replay
BENCH_COMMIT=$BIN/tests/tools/bench_commit
BENCH_TREE=$BIN/tests/tools/bench_tree
BENCH_MATCH=$BIN/tests/tools/bench_match
PYTHON=$(command -v python3)

. "$ROOT/scripts/bench-lib.sh"      # log, die, cleanup, json_get, nodes
. "$ROOT/scripts/bench-phases.sh"   # the measurements
. "$ROOT/scripts/bench-costs.sh"    # replay window, commit options, scale, checkpoints
. "$ROOT/scripts/bench-redis.sh"    # the redis reference
. "$ROOT/scripts/bench-match.sh"    # serial matching
. "$ROOT/scripts/bench-blind.sh"    # blind lost/stolen checks
. "$ROOT/scripts/bench-report.sh"   # assemble

declare -A PID=()
T=$(mktemp -d /tmp/tn-bench.XXXXXX)
R=$T/results           # one JSON fragment per measurement
mkdir -p "$R"

trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

main()
{
	local t0
	t0=$(now_ms)
	check_budget
	build_tools
	machine
	gen_data
	store_bench
	match_bench
	scale_bench
	commit_bench
	replay_bench
	checkpoint_bench
	stats_bench
	series_bench
	instr_bench
	nodes_up
	import_bench
	load_stolen
	nodes_link
	stolen_bench
	no_disk_bench
	redis_bench
	broadcast_bench
	trace_bench
	blind_bench
	drops GTM
	drops MEX
	assemble "$((($(now_ms) - t0) / 1000))" >"$T/bench.json"
	cp "$T/bench.json" "$BIN/bench.json"
	cat "$T/bench.json"
	log "done in $((($(now_ms) - t0) / 1000)) s; also in $BIN/bench.json"
}

# Only the phases named, their fragments printed.
phases()
{
	local p
	for p in "$@"; do
		declare -F "$p" >/dev/null || die "no phase $p"
	done
	build_tools
	for p in "$@"; do "$p"; done
	fragments
}

if [ $# -gt 0 ]; then
	phases "$@"
else
	main
fi
