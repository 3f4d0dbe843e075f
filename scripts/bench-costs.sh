# SPDX-License-Identifier: Apache-2.0
# Sourced by scripts/bench.sh: single costs measured without nodes: the
# memory of one peer's replay window, the ways to make one small commit
# durable on the nodes' disk, the store at a second size (scale), and
# witnessed checkpoints over a large audit log.

# The real replay table (crypto/replay.c) holding REPLAY_IDS ids of one sender.
replay_bench()
{
	log "bench_replay: $REPLAY_IDS envelope ids in one peer's replay window"
	"$BENCH_REPLAY" "$REPLAY_IDS" >"$R/replay_window.json" || die "bench_replay failed"
}

# The audit log's Merkle tree at TREE_ENTRIES entries, built from nothing,
# and a checkpoint every TREE_STEP entries: its bytes, its consistency
# proof's, and the time to make both (report: "checkpoint").
checkpoint_bench()
{
	log "bench_tree: checkpoints over $TREE_ENTRIES audit entries, one every $TREE_STEP"
	"$BENCH_TREE" "$T/tree" "$TREE_ENTRIES" "$TREE_STEP" >"$R/checkpoint.json" ||
		die "bench_tree failed"
	log "  checkpoint: $(tr -d '\n' <"$R/checkpoint.json")"
	rm -rf "$T/tree"
	sync
}

# COMMIT_ROUNDS durable commits of one small record for each way, interleaved,
# in the temporary directory the nodes use.
commit_bench()
{
	log "bench_commit: $COMMIT_ROUNDS durable commits of one record, each way"
	"$BENCH_COMMIT" "$T/commit" "$COMMIT_ROUNDS" >"$R/commit_options.json" ||
		die "bench_commit failed"
	rm -rf "$T/commit"
	sync
}

# Only when RECORDS is above SCALE_BASE: bench_store once more at SCALE_BASE
# records, to set against store_bench's run at RECORDS (report: "scale").
scale_bench()
{
	[ "$RECORDS" -gt "$SCALE_BASE" ] || return 0
	gen_csv "$SCALE_BASE"
	log "bench_store: bulk put of $SCALE_BASE records, to compare with $RECORDS"
	"$BENCH_STORE" "$T/store" "$(records_csv "$SCALE_BASE")" "$(stolen_csv "$SCALE_BASE")" \
		"$STORE_BATCH" >"$R/store_base.json" || die "bench_store failed"
	rm -rf "$T/store"
	sync
}

# Commits in series: two more nodes (SLV asks, HND answers) whose every
# fdatasync first sleeps SERIES_MS (tests/tools/preload/slow_sync.c; LMDB
# makes one per commit). One query or trace at a time, its p50 divided by
# SERIES_MS is how many commits it waited for one after the other.
series_node()
{
	LD_PRELOAD=$BIN/tests/tools/slow_sync.so TN_SLOW_SYNC_MS=$SERIES_MS node_up "$1"
}

series_bench()
{
	local csv=$T/series.csv
	log "commits in series: every fdatasync of SLV and HND slowed by $SERIES_MS ms"
	"$PYTHON" "$ROOT/scripts/gen-records.py" 200 --seed "$SEED" >"$csv"
	series_node SLV
	series_node HND
	"$TRACECTL" -d "$T/HND" record import "$csv" >/dev/null || die "import into HND failed"
	pin SLV HND
	"$TRACECTL" -d "$T/HND" peer policy SLV --traces auto >/dev/null ||
		die "tracectl peer policy failed"
	wait_linked SLV 1 30
	"$BENCH_QUERY" "$T/SLV/console.sock" query -p HND -n "$SERIES_N" >"$T/series_q.json" ||
		die "bench_query (series) failed"
	"$BENCH_QUERY" "$T/SLV/console.sock" trace -p HND -r "$csv" -m 3 -n "$SERIES_N" \
		-T 20000 >"$T/series_t.json" || die "bench_query trace (series) failed"
	"$PYTHON" -c 'import json, sys
q = json.load(open(sys.argv[1])); t = json.load(open(sys.argv[2])); ms = int(sys.argv[3])
x = lambda us: round(us / 1000 / ms, 2)
print(json.dumps({"sync_delay_ms": ms, "n": int(sys.argv[4]),
		  "query_p50_ms": round(q["p50_us"] / 1000, 1), "query_commits": x(q["p50_us"]),
		  "trace_p50_ms": round(t["round_trip"]["p50_us"] / 1000, 1),
		  "trace_commits": x(t["round_trip"]["p50_us"])}))' \
		"$T/series_q.json" "$T/series_t.json" "$SERIES_MS" "$SERIES_N" >"$R/commits_in_series.json"
	log "  commits in series: $(cat "$R/commits_in_series.json")"
	kill "${PID[SLV]}" "${PID[HND]}"
}
