# SPDX-License-Identifier: Apache-2.0
# Sourced by scripts/bench.sh: single costs, most measured without nodes:
# the memory of one peer's replay window, the ways to make one small commit
# durable on the nodes' disk, the store at a second size (scale), witnessed
# checkpoints over a large audit log, and `stats` on a node holding a year
# of traffic.

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

# Instructions per request, which the machine's load does not move: two
# more nodes (INA asks, INB answers, INSTR_RECORDS records and their
# reports) run under callgrind with instrumentation off; it is switched
# on around INSTR_N single queries, then INSTR_N / 10 queries of BATCH
# items, on INSTR_CONNS connections, and the counts (Ir) read from each
# node's dump, with the writes that wait for the next commit committed
# first. Skipped, saying so, without valgrind.
instr_node()
{
	local name=$1 real=$TRACENETD
	TRACENETD=$T/instr-tracenetd
	cat >"$TRACENETD" <<SH
#!/bin/sh
[ "\$1" = run ] && exec valgrind --tool=callgrind --instr-atstart=no \\
	--callgrind-out-file="$T/cg.$name" "$real" "\$@"
exec "$real" "\$@"
SH
	chmod +x "$TRACENETD"
	node_up "$name"
	TRACENETD=$real
}

# instr_run KEY ARGS...: one bench_query run from INA with both nodes
# counting; leaves {GTM, MEX} Ir per request under KEY in $T/instr.KEY.
instr_run()
{
	local key=$1 n who ir
	shift
	for who in INA INB; do
		callgrind_control -z "${PID[$who]}" >/dev/null 2>&1
		callgrind_control -i on "${PID[$who]}" >/dev/null 2>&1
	done
	"$BENCH_QUERY" "$T/INA/console.sock" query -s "$T/instr-stolen.csv" -e 20 -p INB \
		-c "$INSTR_CONNS" -t 120000 -T 120000 "$@" >"$T/instr.json" ||
		die "bench_query (instr) failed"
	sleep 1.5    # BATCH_LATER_MS: the writes nobody waits for commit too
	n=$(json_get "$T/instr.json" requests)
	for who in INA INB; do
		callgrind_control -i off "${PID[$who]}" >/dev/null 2>&1
		rm -f "$T/cg.$who".*
		callgrind_control -d "${PID[$who]}" >/dev/null 2>&1
		until cat "$T/cg.$who".* 2>/dev/null | grep -q '^totals:'; do sleep 0.1; done
		ir=$(cat "$T/cg.$who".* | sed -n 's/^totals: *//p' | head -n 1)
		echo "$who $((ir / n))"
	done >"$T/instr.$key"
}

instr_bench()
{
	local recs=$T/instr-records.csv
	if ! command -v valgrind >/dev/null || ! command -v callgrind_control >/dev/null; then
		echo '{"skipped": "valgrind (callgrind) is not installed"}' >"$R/instructions.json"
		return
	fi
	log "instructions per request: INA and INB under callgrind, $INSTR_RECORDS records"
	"$PYTHON" "$ROOT/scripts/gen-records.py" "$INSTR_RECORDS" --seed "$SEED" \
		--stolen "$T/instr-stolen.csv" >"$recs"
	instr_node INA
	instr_node INB
	"$TRACECTL" -d "$T/INB" record import "$recs" >/dev/null || die "import into INB failed"
	"$BENCH_QUERY" "$T/INB/console.sock" report -s "$T/instr-stolen.csv" -c 16 >/dev/null ||
		die "loading reports into INB failed"
	pin INA INB
	wait_linked INA 1 60
	instr_run single -n "$INSTR_N"
	instr_run batched -b "$BATCH" -n "$((INSTR_N / 10))"
	"$PYTHON" -c 'import json, sys
d = {k: dict((w, int(n)) for w, n in (l.split() for l in open(f)))
     for k, f in (("single", sys.argv[1]), ("batched", sys.argv[2]))}
out = {"records": int(sys.argv[3]), "conns": int(sys.argv[4]), "queries": int(sys.argv[5]),
       "items_per_batched_query": int(sys.argv[6])}
for k, v in d.items():
    out[k] = {"GTM": v["INA"], "MEX": v["INB"]}
print(json.dumps(out))' "$T/instr.single" "$T/instr.batched" "$INSTR_RECORDS" "$INSTR_CONNS" \
		"$INSTR_N" "$BATCH" >"$R/instructions.json"
	log "  instructions per request: $(cat "$R/instructions.json")"
	kill "${PID[INA]}" "${PID[INB]}"
}

# `tracectl --json stats` over a year of traffic from 60 peers
# (tests/tools/traffic_add, STATS_TRACES of our traces a month: with their
# answers, peers' traces, stolen checks and audit entries about 1 M rows at
# the default), twice: cold, then warm. Wall time and the daemon's CPU for
# each; a node without the command (or failing it) gives an "error" field
# rather than stopping the bench (report: "stats").
stats_bench()
{
	local dir=$T/STA deadline i t0 c0 err='' tick
	tick=$(getconf CLK_TCK)
	log "stats: a year of traffic, $STATS_TRACES traces a month from 60 peers"
	"$TRACENETD" init "$dir" --name GTM --listen 127.0.0.1:0 >>"$T/STA.log" 2>&1 ||
		die "tracenetd init STA: $(tail -n 3 "$T/STA.log")"
	"$BIN/tests/tools/traffic_add" "$dir" --node GTM --peers 60 --months 12 \
		--traces-per-month "$STATS_TRACES" --seed "$SEED" >"$T/traffic.json" ||
		die "traffic_add failed"
	"$TRACENETD" run "$dir" >>"$T/STA.log" 2>&1 &
	PID[STA]=$!
	deadline=$(($(now_ms) + 120000))
	until node_ready STA; do
		alive "${PID[STA]}" || die "tracenetd STA died: $(tail -n 5 "$T/STA.log")"
		[ "$(now_ms)" -lt "$deadline" ] || die "tracenetd STA not ready after 120 s"
		sleep 0.1
	done
	for i in cold warm; do
		t0=$(now_ms)
		c0=$(cpu_ticks "${PID[STA]}")
		if ! "$TRACECTL" -d "$dir" --json stats >"$T/stats_$i.json" 2>"$T/stats.err"; then
			err=$(head -c 300 "$T/stats.err")
			: >"$T/stats_$i.json"
		fi
		echo "$(($(now_ms) - t0)) $((($(cpu_ticks "${PID[STA]}") - c0) * 1000 / tick))" \
			>"$T/stats_$i.time"
	done
	"$PYTHON" - "$T" "$err" >"$R/stats.json" <<'PY'
import json, os, sys
t, err = sys.argv[1], sys.argv[2]
gen = json.load(open(os.path.join(t, "traffic.json")))
out = {"rows": gen["rows"], "traces_out": gen["traces_out"], "traces_in": gen["traces_in"],
       "audit": gen["audit"], "alerts": gen["alerts"], "generate_s": gen["seconds"],
       "error": err or None}
for run in ("cold", "warm"):
    wall, cpu = open(os.path.join(t, "stats_%s.time" % run)).read().split()
    size = os.path.getsize(os.path.join(t, "stats_%s.json" % run))
    out[run] = {"wall_ms": int(wall), "daemon_cpu_ms": int(cpu), "reply_bytes": size}
print(json.dumps(out))
PY
	log "  stats: $(cat "$R/stats.json")"
	kill "${PID[STA]}"
	wait "${PID[STA]}" 2>/dev/null || true
	unset "PID[STA]"
	rm -rf "$dir"
	sync
}
