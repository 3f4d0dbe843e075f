# SPDX-License-Identifier: Apache-2.0
# Sourced by scripts/bench.sh: single costs measured without nodes: the
# memory of one peer's replay window.

# The real replay table (crypto/replay.c) holding REPLAY_IDS ids of one sender.
replay_bench()
{
	log "bench_replay: $REPLAY_IDS envelope ids in one peer's replay window"
	"$BENCH_REPLAY" "$REPLAY_IDS" >"$R/replay_window.json" || die "bench_replay failed"
}
