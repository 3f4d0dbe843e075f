#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# `make bench`: measure import, local lookups, stolen queries between real
# nodes on loopback (TLS, LMDB, fsync), broadcasts, memory, and redis over
# TLS as a reference, all in one run. Prints one JSON object on stdout and
# writes it to $BUILD/bench.json; progress goes to stderr. Every node and
# server it starts is stopped on exit. Knobs (environment):
#   BENCH_RECORDS=1000000   records imported (and put, and held by the node)
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
#   BENCH_TRACE_POLL_US=1000     trace.show polling interval
#   BENCH_STORE_BATCH=100000     records per transaction in bench_store
#   BENCH_STORE_NODE_BATCH=16384 the same put again at the batch size of
#                           `tracectl record import` (IMPORT_BATCH); empty skips
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
TRACE_POLL_US=${BENCH_TRACE_POLL_US:-1000}
STORE_BATCH=${BENCH_STORE_BATCH:-100000}
NODE_BATCH=${BENCH_STORE_NODE_BATCH-16384}
# node/net/net.h: envelope ids remembered per peer, REPLAY_MAX =
# LINK_FRAMES_PER_S * 2 * ENV_SKEW_MS / 1000 + 65536
REPLAY_MAX=$(($(sed -n 's/^#define LINK_FRAMES_PER_S \([0-9]*\).*/\1/p' "$ROOT/node/net/net.h") * 600 + 65536))
DATA=$BIN/bench-data
TRACENETD=$BIN/tracenetd
TRACECTL=$BIN/tracectl
BENCH_QUERY=$BIN/tests/tools/bench_query
BENCH_STORE=$BIN/tests/tools/bench_store
PYTHON=$(command -v python3)

declare -A PID=()
T=$(mktemp -d /tmp/tn-bench.XXXXXX)
R=$T/results           # one JSON fragment per measurement
mkdir -p "$R"

log()
{
	printf 'bench: %s\n' "$*" >&2
}

die()
{
	printf 'bench: FAILED: %s\n' "$*" >&2
	exit 1
}

now_ms()
{
	local t=${EPOCHREALTIME/./}
	echo $((t / 1000))
}

alive()
{
	kill -0 "$1" 2>/dev/null
}

# Stop every process we started: SIGTERM, then SIGKILL after 5 s.
cleanup()
{
	local rc=$? name deadline
	trap - EXIT INT TERM
	set +e
	for name in "${!PID[@]}"; do kill -TERM "${PID[$name]}" 2>/dev/null; done
	deadline=$(($(now_ms) + 5000))
	for name in "${!PID[@]}"; do
		while alive "${PID[$name]}" && [ "$(now_ms)" -lt "$deadline" ]; do sleep 0.05; done
		kill -KILL "${PID[$name]}" 2>/dev/null
		wait "${PID[$name]}" 2>/dev/null
	done
	if [ "$rc" -eq 0 ]; then
		rm -rf "$T"
	else
		echo "bench: files kept in $T" >&2
	fi
	exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# json_get FILE PATH: a value out of a JSON file ("a.b" paths).
json_get()
{
	"$PYTHON" -c 'import json, sys
v = json.load(open(sys.argv[1]))
for k in sys.argv[2].split("."):
    v = v[int(k)] if isinstance(v, list) else v[k]
print(v)' "$1" "$2"
}

# ---- nodes ----

node_ready()
{
	"$TRACECTL" -d "$T/$1" status >/dev/null 2>&1
}

# node_up NAME: init and start a node on a port of its own choosing.
node_up()
{
	local name=$1 deadline
	"$TRACENETD" init "$T/$name" --name "$name" --listen 127.0.0.1:0 >>"$T/$name.log" 2>&1 ||
		die "tracenetd init $name: $(tail -n 3 "$T/$name.log")"
	"$TRACENETD" run "$T/$name" >>"$T/$name.log" 2>&1 &
	PID[$name]=$!
	deadline=$(($(now_ms) + 15000))
	until node_ready "$name"; do
		alive "${PID[$name]}" || die "tracenetd $name died: $(tail -n 5 "$T/$name.log")"
		[ "$(now_ms)" -lt "$deadline" ] || die "tracenetd $name not ready after 15 s"
		sleep 0.05
	done
	"$TRACECTL" -d "$T/$name" card >"$T/$name.card"
}

# pin A B: A and B pin each other (B first, so A's dial is accepted).
pin()
{
	"$TRACECTL" -d "$T/$2" peer add "$T/$1.card" >/dev/null
	"$TRACECTL" -d "$T/$1" peer add "$T/$2.card" >/dev/null
}

linked()
{
	"$TRACECTL" -d "$T/$1" --json status >"$T/status.json" &&
		[ "$(json_get "$T/status.json" linked)" -ge "$2" ]
}

# wait_linked NAME N SECONDS
wait_linked()
{
	local deadline=$(($(now_ms) + $3 * 1000))
	until linked "$1" "$2"; do
		[ "$(now_ms)" -lt "$deadline" ] || die "$1 has not linked $2 peers after $3 s"
		sleep 0.1
	done
}

# rss PID: {"rss_kb", "anon_kb", "file_kb"} from /proc/PID/status.
rss()
{
	awk '/^VmRSS/ {r = $2} /^RssAnon/ {a = $2} /^RssFile/ {f = $2}
	     END {printf "{\"rss_kb\": %d, \"anon_kb\": %d, \"file_kb\": %d}\n", r, a, f}' \
		"/proc/$1/status"
}

# Largest RSS of PID while the job in $2 (a pid) runs, into file $3.
rss_watch()
{
	local pid=$1 job=$2 out=$3 best=0 cur
	while alive "$job"; do
		cur=$(awk '/^VmRSS/ {print $2}' "/proc/$pid/status" 2>/dev/null || echo 0)
		if [ "${cur:-0}" -gt "$best" ]; then
			best=$cur
			rss "$pid" >"$out"
		fi
		sleep 0.2
	done
}

# ---- phases ----

build_tools()
{
	log "building the tools ($BUILD)"
	make -s -C "$ROOT" BUILD="$BUILD" all "$BUILD/tests/tools/bench_query" \
		"$BUILD/tests/tools/bench_store" >&2
}

gen_data()
{
	CSV=$DATA/records-$RECORDS-$SEED.csv
	STOLEN=$DATA/stolen-$RECORDS-$SEED.csv
	[ -s "$CSV" ] && [ -s "$STOLEN" ] && return 0
	log "generating $RECORDS records (cached in $DATA)"
	mkdir -p "$DATA"
	"$PYTHON" "$ROOT/scripts/gen-records.py" "$RECORDS" --seed "$SEED" \
		--stolen "$STOLEN.tmp" >"$CSV.tmp"
	mv "$STOLEN.tmp" "$STOLEN"
	mv "$CSV.tmp" "$CSV"
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

# paused: how often GTM and MEX paused reading a link that outran its frame
# budget (the drop counter rate_limited of both).
paused()
{
	local name sum=0
	for name in GTM MEX; do
		"$TRACECTL" -d "$T/$name" --json status >"$T/status.json"
		sum=$((sum + $("$PYTHON" -c 'import json, sys
print(json.load(open(sys.argv[1])).get("drops", {}).get("rate_limited", 0))' "$T/status.json")))
	done
	echo "$sum"
}

# query NAME ARGS...: one bench_query run against GTM, kept as NAME.json
# with the link pauses it caused added.
query()
{
	local name=$1 before job
	shift
	before=$(paused)
	"$BENCH_QUERY" "$T/GTM/console.sock" query -s "$STOLEN" -e 20 "$@" >"$R/$name.json" &
	job=$!
	PID[bench_query]=$job
	[ "$name" != "tp_c$CONNS" ] || rss_watch "${PID[MEX]}" "$job" "$R/rss_loaded.json"
	wait "$job" || die "bench_query $name failed"
	unset "PID[bench_query]"
	"$PYTHON" -c 'import json, sys
d = json.load(open(sys.argv[1])); d["link_paused"] = int(sys.argv[2])
json.dump(d, open(sys.argv[1], "w"))' "$R/$name.json" "$(($(paused) - before))"
	log "  $name: $(cat "$R/$name.json")"
}

# Queries MEX will see from GTM in this run, which must fit its replay window.
check_budget()
{
	local c total=$((500 + LAT_N + MAX_REQ + TRACE_N)) n
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

stolen_bench()
{
	local c
	log "stolen queries GTM -> MEX"
	query warmup -p MEX -c 16 -n 500
	query latency -p MEX -c 1 -n "$LAT_N"
	for c in $SWEEP; do
		query "tp_c$c" -p MEX -c "$c" -n "$MAX_REQ" -t "$((SECS * 1000))"
	done
	query batched -p MEX -c "$CONNS" -b "$BATCH" -n "$MAX_REQ" -t "$((SECS * 1000))"
	[ -s "$R/rss_loaded.json" ] || rss "${PID[MEX]}" >"$R/rss_loaded.json"
}

# ---- redis reference ----

skip()
{
	printf '{"skipped": "%s"}\n' "$2" >"$R/$1.json"
	log "$1 skipped: $2"
}

free_port()
{
	"$PYTHON" -c 'import socket
s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

redis_cli()
{
	redis-cli --tls --cacert "$T/redis.crt" --cert "$T/redis.crt" --key "$T/redis.key" \
		-h 127.0.0.1 -p "$PORT" "$@"
}

redis_start()
{
	local deadline
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 1 \
		-subj /CN=127.0.0.1 -keyout "$T/redis.key" -out "$T/redis.crt" 2>/dev/null || return 1
	PORT=$(free_port)
	redis-server --port 0 --tls-port "$PORT" --bind 127.0.0.1 --save '' --appendonly no \
		--tls-cert-file "$T/redis.crt" --tls-key-file "$T/redis.key" \
		--tls-ca-cert-file "$T/redis.crt" --tls-auth-clients yes \
		--dir "$T" --logfile "$T/redis.log" &
	PID[redis]=$!
	deadline=$(($(now_ms) + 10000))
	until [ "$(redis_cli ping 2>/dev/null)" = PONG ]; do
		alive "${PID[redis]}" && [ "$(now_ms)" -lt "$deadline" ] || return 1
		sleep 0.05
	done
}

# redis_run CONNS REQUESTS: {"rps", "p50_ms", "p99_ms"} of GET over TLS.
redis_run()
{
	redis-benchmark --tls --cacert "$T/redis.crt" --cert "$T/redis.crt" --key "$T/redis.key" \
		-h 127.0.0.1 -p "$PORT" -c "$1" -n "$2" -r 1000000 -t get --csv 2>/dev/null |
		"$PYTHON" -c 'import csv, json, sys
row = [r for r in csv.DictReader(sys.stdin) if r["test"] == "GET"][0]
print(json.dumps({"conns": int(sys.argv[1]), "rps": float(row["rps"]),
                  "p50_ms": float(row["p50_latency_ms"]), "p99_ms": float(row["p99_latency_ms"])}))' "$1"
}

redis_bench()
{
	command -v redis-server >/dev/null && command -v redis-benchmark >/dev/null &&
		command -v redis-cli >/dev/null ||
		{ skip redis "redis-server, redis-cli or redis-benchmark is not installed"; return; }
	log "redis reference: GET over TLS, $CONNS connections"
	redis_start || { skip redis "redis-server did not start with TLS: $(tail -n 1 "$T/redis.log" 2>/dev/null | tr -d '"\\')"; return; }
	redis_run 1 20000 >"$R/redis_c1.json" && redis_run "$CONNS" 300000 >"$R/redis_cN.json" ||
		{ skip redis "redis-benchmark failed"; return; }
	redis_cli shutdown nosave >/dev/null 2>&1 || true
	wait "${PID[redis]}" 2>/dev/null || true
	unset "PID[redis]"
	"$PYTHON" -c 'import json, sys
print(json.dumps({"version": sys.argv[3], "get_missing_keys": True,
                  "latency": json.load(open(sys.argv[1])), "throughput": json.load(open(sys.argv[2]))}))' \
		"$R/redis_c1.json" "$R/redis_cN.json" \
		"$(redis-server --version | sed -n 's/.*v=\([^ ]*\).*/\1/p')" >"$R/redis.json"
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
# trace.show says "answered" (polled every TRACE_POLL_US), for records of
# the CSV with at least 3 events.
trace_bench()
{
	log "trace requests GTM -> MEX (auto), $TRACE_N one at a time"
	"$TRACECTL" -d "$T/MEX" peer policy GTM --traces auto >/dev/null ||
		die "tracectl peer policy failed"
	"$BENCH_QUERY" "$T/GTM/console.sock" trace -p MEX -r "$CSV" -m 3 -n "$TRACE_N" \
		-P "$TRACE_POLL_US" -t "$((SECS * 5000))" -T 10000 >"$R/trace.json" &
	PID[bench_query]=$!
	wait "${PID[bench_query]}" || die "bench_query trace failed"
	unset "PID[bench_query]"
	log "  trace: $(cat "$R/trace.json")"
}

# ---- the report ----

assemble()
{
	local cap
	cap=$(sed -n 's/^#define LINK_FRAMES_PER_S \([0-9]*\).*/\1/p' "$ROOT/node/net/net.h")
	"$PYTHON" - "$R" "$RECORDS" "$CONNS" "$BATCH" "$PEERS" "$1" "$cap" <<'EOF'
import glob, json, os, sys
r, records, conns, batch, peers, elapsed, cap = sys.argv[1:]
def load(name):
    p = os.path.join(r, name + ".json")
    return json.load(open(p)) if os.path.exists(p) else None
def pick(d, *keys):
    return {k: d[k] for k in keys}
st = load("store")
node = load("import_node")
snb = load("store_node_batch")
lat = load("latency")
tp = {int(os.path.basename(p)[4:-5]): json.load(open(p)) for p in glob.glob(os.path.join(r, "tp_c*.json"))}
main = tp.get(int(conns))
bat = load("batched")
redis = load("redis")
q = ["requests_per_s", "steady_requests_per_s", "p50_us", "p99_us", "p999_us", "failed", "not_answered", "link_paused"]
out = {
  "machine": load("machine"),
  "import": {
    "records": int(records),
    "node_records_per_s": node["records_per_s"], "node_seconds": node["seconds"],
    "node_rejected": node["rejected"],
    "store_batch": st["batch"],
    "store_parse_put_per_s": st["parse_put_per_s"], "store_put_per_s": st["put_per_s"],
    "store_parse_per_s": st["parse_per_s"],
    "node_vs_store_parse_put": round(node["records_per_s"] / st["parse_put_per_s"], 3),
    "node_vs_store_put": round(node["records_per_s"] / st["put_per_s"], 3),
    "store_node_batch": snb["batch"] if snb else None,
    "store_put_per_s_at_node_batch": snb["put_per_s"] if snb else None,
    "node_vs_store_put_at_node_batch": round(node["records_per_s"] / snb["put_per_s"], 3) if snb else None,
    "stolen_reports": st["stolen"],
    "stolen_via_console_per_s": load("stolen_load")["requests_per_s"],
  },
  "lookup": {k: v for k, v in st.items() if k.endswith("_per_s") and "find" in k},
  "stolen_query": {
    "latency_one_at_a_time": pick(lat, "requests", "p50_us", "p99_us", "p999_us", "max_us", "hits",
                                  "hits_expected", "hit_mismatch", "link_paused"),
    "throughput": {str(c): pick(d, *q) for c, d in sorted(tp.items())},
    "conns": int(conns),
    "hit_every": 20,
    "link_frames_per_s_cap": int(cap) if cap else None,
    "queries_per_s": main["steady_requests_per_s"] if main else None,
    "batched": dict(pick(bat, "conns", "items_per_request", "requests_per_s",
                         "steady_requests_per_s", "items_per_s",
                         "p50_us", "p99_us", "failed", "not_answered", "link_paused")),
  },
}
out["lookup"]["lookups_per_loop"] = st["lookups"]
if redis and "skipped" not in redis and main:
    redis["ours_vs_redis_throughput"] = round(main["steady_requests_per_s"] / redis["throughput"]["rps"], 4)
    redis["ours_vs_redis_p50_one_at_a_time"] = round(lat["p50_us"] / 1000 / redis["latency"]["p50_ms"], 1)
out["redis_ref"] = redis
out["broadcast"] = {}
for n in peers.split():
    b = load("broadcast_" + n)
    out["broadcast"][n] = pick(b, "requests", "p50_us", "p99_us", "max_us", "not_answered",
                               "link_paused")
out["trace"] = load("trace")
out["rss"] = {"idle": load("rss_idle"), "loaded": load("rss_loaded"),
              "loaded_records": int(records), "loaded_conns": int(conns)}
out["drops"] = {"GTM": load("drops_GTM"), "MEX": load("drops_MEX")}
out["elapsed_s"] = float(elapsed)
print(json.dumps(out, indent=2))
EOF
}

main()
{
	local t0
	t0=$(now_ms)
	check_budget
	build_tools
	machine
	gen_data
	store_bench
	log "starting GTM (querying) and MEX (answering)"
	node_up GTM
	node_up MEX
	sleep 0.5
	rss "${PID[MEX]}" >"$R/rss_idle.json"
	import_bench
	load_stolen
	pin GTM MEX
	wait_linked GTM 1 30
	stolen_bench
	redis_bench
	broadcast_bench
	trace_bench
	drops GTM
	drops MEX
	assemble "$((($(now_ms) - t0) / 1000))" >"$T/bench.json"
	cp "$T/bench.json" "$BIN/bench.json"
	cat "$T/bench.json"
	log "done in $((($(now_ms) - t0) / 1000)) s; also in $BIN/bench.json"
}

main "$@"
