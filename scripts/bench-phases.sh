# SPDX-License-Identifier: Apache-2.0
# Sourced by scripts/bench.sh: the measurements of tracenet itself, from
# building and generating data to import, queries, broadcasts and traces.

build_tools()
{
	local t=$BUILD/tests/tools
	log "building the tools ($BUILD)"
	make -s -C "$ROOT" BUILD="$BUILD" all "$t/bench_query" "$t/bench_store" \
		"$t/bench_replay" "$t/bench_commit" "$t/bench_tree" "$t/bench_match" \
		"$t/traffic_add" "$t/slow_sync.so" >&2
}

# Cached data is named by the generator's own digest too, so that a
# changed generator never serves the records of the old one.
gen_tag()
{
	sha256sum "$ROOT/scripts/gen-records.py" | cut -c1-8
}

records_csv()
{
	echo "$DATA/records-$1-$SEED-$(gen_tag).csv"
}

stolen_csv()
{
	echo "$DATA/stolen-$1-$SEED-$(gen_tag).csv"
}

# gen_csv N: N records and their lost/stolen reports, generated once into $DATA.
gen_csv()
{
	local csv stolen
	csv=$(records_csv "$1")
	stolen=$(stolen_csv "$1")
	[ -s "$csv" ] && [ -s "$stolen" ] && return 0
	log "generating $1 records (cached in $DATA)"
	mkdir -p "$DATA"
	"$PYTHON" "$ROOT/scripts/gen-records.py" "$1" --seed "$SEED" \
		--stolen "$stolen.tmp" >"$csv.tmp"
	mv "$stolen.tmp" "$stolen"
	mv "$csv.tmp" "$csv"
}

gen_data()
{
	CSV=$(records_csv "$RECORDS")
	STOLEN=$(stolen_csv "$RECORDS")
	gen_csv "$RECORDS"
}

machine()
{
	local cpu commit dirty=false
	cpu=$(awk -F': *' '/^model name/ {print $2; exit}' /proc/cpuinfo)
	commit=$(git -C "$ROOT" rev-parse HEAD 2>/dev/null || echo unknown)
	[ -z "$(git -C "$ROOT" status --porcelain --untracked-files=no 2>/dev/null)" ] || dirty=true
	"$PYTHON" -c 'import json, sys
print(json.dumps({"nproc": int(sys.argv[1]), "cpu": sys.argv[2], "commit": sys.argv[3],
                  "dirty": sys.argv[4] == "true", "date": sys.argv[5]}))' \
		"$(nproc)" "$cpu" "$commit" "$dirty" "$(date -u +%Y-%m-%dT%H:%M:%SZ)" >"$R/machine.json"
}

store_bench()
{
	log "bench_store: bulk put of $RECORDS records, then local lookups"
	"$BENCH_STORE" "$T/store" "$CSV" "$STOLEN" "$STORE_BATCH" >"$R/store.json" ||
		die "bench_store failed"
	rm -rf "$T/store"
	if [ -n "$NODE_BATCH" ]; then
		log "bench_store: the same put in transactions of $NODE_BATCH records"
		"$BENCH_STORE" "$T/store" "$CSV" "$STOLEN" "$NODE_BATCH" 0 >"$R/store_node_batch.json" ||
			die "bench_store failed"
		rm -rf "$T/store"
	fi
	sync   # let the writeback finish before fsync latencies are measured
}

# GTM asks, MEX answers (it gets the records and the lost/stolen reports).
nodes_up()
{
	log "starting GTM (querying) and MEX (answering)"
	node_up GTM
	node_up MEX
	sleep 0.5
	rss "${PID[MEX]}" >"$R/rss_idle.json"
}

nodes_link()
{
	pin GTM MEX
	wait_linked GTM 1 30
}

import_bench()
{
	local t0 t1
	log "tracectl record import of $RECORDS records into a fresh node"
	t0=$(now_ms)
	"$TRACECTL" -d "$T/MEX" --json record import "$CSV" >"$T/import.json" ||
		die "import failed: $(head -c 300 "$T/import.json")"
	t1=$(now_ms)
	"$PYTHON" -c 'import json, sys
d = json.load(open(sys.argv[1])); s = (int(sys.argv[3]) - int(sys.argv[2])) / 1000
print(json.dumps({"imported": d["imported"], "rejected": d["rejected"], "seconds": s,
                  "records_per_s": round(d["imported"] / s)}))' \
		"$T/import.json" "$t0" "$t1" >"$R/import_node.json"
	sync
}

load_stolen()
{
	log "loading the lost/stolen reports into MEX"
	"$BENCH_QUERY" "$T/MEX/console.sock" report -s "$STOLEN" -c 64 >"$R/stolen_load.json" ||
		die "loading stolen reports failed"
}

# paused NAME...: how often the nodes paused reading a link that outran
# its frame budget (the drop counter rate_limited of each).
paused()
{
	local name sum=0
	for name in "$@"; do
		"$TRACECTL" -d "$T/$name" --json status >"$T/status.json"
		sum=$((sum + $("$PYTHON" -c 'import json, sys
print(json.load(open(sys.argv[1])).get("drops", {}).get("rate_limited", 0))' "$T/status.json")))
	done
	echo "$sum"
}

# commit_totals NAME: "COUNT SECONDS" of the node's commits so far.
commit_totals()
{
	"$TRACECTL" -d "$T/$1" metrics |
		awk '/^tracenet_commit_duration_seconds_(count|sum) /{v[$1] = $2}
		     END {print v["tracenet_commit_duration_seconds_count"] + 0,
			  v["tracenet_commit_duration_seconds_sum"] + 0}'
}

# answered NAME: the envelopes of lost/stolen queries the node has opened.
answered()
{
	"$TRACECTL" -d "$T/$1" metrics | awk '/^tracenet_stolen_query_envelopes_total /{print $2 + 0}'
}

# query NAME ARGS...: one bench_query run from ASK to ANS (GTM to MEX
# unless set), kept as NAME.json with the link pauses it caused, each
# daemon's CPU per request and its commits per request and their mean
# time, and how many queries shared one envelope on average.
query()
{
	local name=$1 ask=${ASK:-GTM} ans=${ANS:-MEX} before job ask_cpu ans_cpu ask_commits ans_commits
	local envelopes
	shift
	envelopes=$(answered "$ans")
	before=$(paused "$ask" "$ans")
	ask_cpu=$(cpu_ticks "${PID[$ask]}")
	ans_cpu=$(cpu_ticks "${PID[$ans]}")
	ask_commits=$(commit_totals "$ask")
	ans_commits=$(commit_totals "$ans")
	"$BENCH_QUERY" "$T/$ask/console.sock" query -s "$STOLEN" -e 20 "$@" >"$R/$name.json" &
	job=$!
	PID[bench_query]=$job
	[ "$name" != "tp_c$CONNS" ] || rss_watch "${PID[$ans]}" "$job" "$R/rss_loaded.json"
	wait "$job" || die "bench_query $name failed"
	unset "PID[bench_query]"
	"$PYTHON" -c 'import json, os, sys
d = json.load(open(sys.argv[1])); d["link_paused"] = int(sys.argv[2])
# CPU microseconds each daemon spent per request of this run (user + system).
us = 1e6 / os.sysconf("SC_CLK_TCK")
n = max(d.get("requests", 0), 1)
d["cpu_us_per_request"] = {"GTM": round(int(sys.argv[3]) * us / n, 1),
			   "MEX": round(int(sys.argv[4]) * us / n, 1)}
# Commits each daemon made per request, and how long one took on average.
d["commits_per_request"], d["commit_mean_us"] = {}, {}
for who, a, b in (("GTM", sys.argv[5], sys.argv[7]), ("MEX", sys.argv[6], sys.argv[8])):
    (c0, s0), (c1, s1) = (map(float, x.split()) for x in (a, b))
    d["commits_per_request"][who] = round((c1 - c0) / n, 3)
    d["commit_mean_us"][who] = round((s1 - s0) * 1e6 / (c1 - c0)) if c1 > c0 else None
# Queries per envelope the answering node opened (more than 1: they shared).
env = int(sys.argv[9])
d["queries_per_envelope"] = round(d.get("requests", 0) / env, 2) if env > 0 else None
json.dump(d, open(sys.argv[1], "w"))' "$R/$name.json" "$(($(paused "$ask" "$ans") - before))" \
		"$(($(cpu_ticks "${PID[$ask]}") - ask_cpu))" "$(($(cpu_ticks "${PID[$ans]}") - ans_cpu))" \
		"$ask_commits" "$ans_commits" "$(commit_totals "$ask")" "$(commit_totals "$ans")" \
		"$(($(answered "$ans") - envelopes))"
	log "  $name: $(cat "$R/$name.json")"
}

# Queries MEX will see from GTM in this run, which must fit its replay window.
check_budget()
{
	local c total=$((500 + LAT_N + 2 * MAX_REQ + TRACE_N)) n
	# blind_bench: both modes, hits asked again in clear
	total=$((total + 2 * (200 + BLIND_LAT_N + 2 * MAX_REQ) * 21 / 20))
	for c in $SWEEP; do total=$((total + MAX_REQ)); done
	for n in $PEERS; do total=$((total + BCAST_N)); done
	[ "$total" -lt "$REPLAY_MAX" ] ||
		die "up to $total queries to one peer would overflow its replay window ($REPLAY_MAX ids); lower BENCH_MAX_REQUESTS"
}

# The drop counters of a node that are not zero (replay_full would mean
# queries were refused and the figures are void).
drops()
{
	"$TRACECTL" -d "$T/$1" --json status >"$T/status.json"
	"$PYTHON" -c 'import json, sys
d = json.load(open(sys.argv[1])).get("drops", {})
print(json.dumps({k: v for k, v in d.items() if v}))' "$T/status.json" >"$R/drops_$1.json"
}

# The frame budget (LINK_FRAMES_PER_S from one peer, bursts of twice
# that) refilled: a run that starts with it half spent measures the
# budget's pauses (reported as link_paused), not the nodes.
budget_full()
{
	sleep 2.1
}

stolen_bench()
{
	local c
	log "stolen queries GTM -> MEX"
	query warmup -p MEX -c 16 -n 500
	query latency -p MEX -c 1 -n "$LAT_N"
	for c in $SWEEP; do
		budget_full
		query "tp_c$c" -p MEX -c "$c" -n "$MAX_REQ" -t "$((SECS * 1000))"
	done
	budget_full
	query one_case -p MEX -c "$CONNS" -n "$MAX_REQ" -t "$((SECS * 1000))" -1
	budget_full
	query batched -p MEX -c "$CONNS" -b "$BATCH" -n "$MAX_REQ" -t "$((SECS * 1000))"
	[ -s "$R/rss_loaded.json" ] || rss "${PID[MEX]}" >"$R/rss_loaded.json"
}

# The same queries between two more nodes whose directories are in memory
# (tmpfs), so that a commit costs no disk flush: the rate and CPU the code
# reaches when the disk is taken away, to tell what the disk costs from
# what the code costs in the same run (report: stolen_query.no_disk).
# ASK and ANS are GTM and MEX again afterwards.
no_disk_bench()
{
	local name
	[ -d /dev/shm ] && [ "$(df -Pk /dev/shm | awk 'NR == 2 {print $4}')" -gt \
		$(($(du -k "$CSV" | cut -f1) * 8)) ] ||
		{ skip no_disk "/dev/shm is missing or has too little room for two nodes"; return; }
	log "stolen queries between two nodes in memory (BLZ -> CRI)"
	SHM=$(mktemp -d /dev/shm/tn-bench.XXXXXX)
	for name in BLZ CRI; do
		mkdir "$SHM/$name" && ln -s "$SHM/$name" "$T/$name"
		node_up "$name"
	done
	"$TRACECTL" -d "$T/CRI" record import "$CSV" >/dev/null || die "import into CRI failed"
	"$BENCH_QUERY" "$T/CRI/console.sock" report -s "$STOLEN" -c 64 >/dev/null ||
		die "loading stolen reports into CRI failed"
	pin BLZ CRI
	wait_linked BLZ 1 30
	ASK=BLZ ANS=CRI query no_disk_warmup -p CRI -c 16 -n 500
	ASK=BLZ ANS=CRI query no_disk_latency -p CRI -c 1 -n "$LAT_N"
	budget_full
	ASK=BLZ ANS=CRI query "no_disk_tp_c$CONNS" -p CRI -c "$CONNS" -n "$MAX_REQ" -t "$((SECS * 1000))"
	budget_full
	ASK=BLZ ANS=CRI query no_disk_one_case -p CRI -c "$CONNS" -n "$MAX_REQ" -t "$((SECS * 1000))" -1
	kill "${PID[BLZ]}" "${PID[CRI]}"
	wait "${PID[BLZ]}" "${PID[CRI]}" 2>/dev/null
	unset "PID[BLZ]" "PID[CRI]"
	rm -rf "$SHM"
}

# ---- broadcast ----

# Name number i (0, 1, ...) as three upper-case letters: AAA, AAB, ...
peer_name()
{
	local l=ABCDEFGHIJKLMNOPQRSTUVWXYZ i=$1
	echo "${l:$((i / 676 % 26)):1}${l:$((i / 26 % 26)):1}${l:$((i % 26)):1}"
}

broadcast_bench()
{
	local n have=1 name
	for n in $PEERS; do
		log "broadcast: GTM with $n peers (MEX and $((n - 1)) empty nodes)"
		while [ "$have" -lt "$n" ]; do
			name=$(peer_name $((have - 1)))
			node_up "$name"
			pin GTM "$name"
			have=$((have + 1))
		done
		wait_linked GTM "$n" 60
		query "broadcast_$n" -a -c 1 -n "$BCAST_N" -T 10000
	done
}

# Trace requests GTM -> MEX, answered automatically (MEX's policy for GTM
# is auto) from MEX's records: one at a time, from trace.request until
# trace.wait shows the answer, for records of the CSV with at least 3 events.
trace_bench()
{
	log "trace requests GTM -> MEX (auto), $TRACE_N one at a time"
	"$TRACECTL" -d "$T/MEX" peer policy GTM --traces auto >/dev/null ||
		die "tracectl peer policy failed"
	"$BENCH_QUERY" "$T/GTM/console.sock" trace -p MEX -r "$CSV" -m 3 -n "$TRACE_N" \
		-t "$((SECS * 5000))" -T 10000 >"$R/trace.json" &
	PID[bench_query]=$!
	wait "${PID[bench_query]}" || die "bench_query trace failed"
	unset "PID[bench_query]"
	log "  trace: $(cat "$R/trace.json")"
}
