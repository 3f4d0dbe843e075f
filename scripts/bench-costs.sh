# SPDX-License-Identifier: Apache-2.0
# Sourced by scripts/bench.sh: single costs measured without nodes: the
# memory of one peer's replay window, the ways to make one small commit
# durable on the nodes' disk, and the store at a second size (scale).

# The real replay table (crypto/replay.c) holding REPLAY_IDS ids of one sender.
replay_bench()
{
	log "bench_replay: $REPLAY_IDS envelope ids in one peer's replay window"
	"$BENCH_REPLAY" "$REPLAY_IDS" >"$R/replay_window.json" || die "bench_replay failed"
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
