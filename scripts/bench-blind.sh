# SPDX-License-Identifier: Apache-2.0
# Sourced by scripts/bench.sh: blind lost/stolen checks GTM -> MEX (report:
# "blind"). The same queries in clear, then blind; the time GTM takes to
# hold MEX's whole set, and one change of it; the set's bytes; the time a
# node takes to make its set at its first start; and the goals.

# blind_copy: what GTM holds of MEX's blind set, "STATE TAGS".
blind_copy()
{
	"$TRACECTL" -d "$T/GTM" --json peer list >"$T/peers.json" || die "tracectl peer list failed"
	"$PYTHON" -c 'import json, sys
for p in json.load(open(sys.argv[1]))["peers"]:
    if p["name"] == "MEX":
        print(p["blind"], p["blind_tags"])' "$T/peers.json"
}

# blind_poll STATE TAGS CMD...: run CMD (a tracectl command on MEX), then
# poll GTM every 5 ms until its copy of MEX's set is in STATE (and holds
# TAGS tags, unless TAGS is empty); prints "MS TAGS CMD_MS", both times
# from just before CMD.
blind_poll()
{
	"$PYTHON" - "$TRACECTL" "$T/GTM" "$@" <<'EOF' || die "GTM's copy of MEX's set: $(blind_copy)"
import json, subprocess, sys, time
ctl, d, state, tags, cmd = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5:]
t0 = time.monotonic()
subprocess.run(cmd, stdout=subprocess.DEVNULL, check=True)
cmd_ms = (time.monotonic() - t0) * 1000
while True:
    out = subprocess.run([ctl, "-d", d, "--json", "peer", "list"], capture_output=True,
                         check=True).stdout
    ms = (time.monotonic() - t0) * 1000
    for p in json.loads(out)["peers"]:
        if p["name"] == "MEX" and p["blind"] == state and (not tags or p["blind_tags"] == int(tags)):
            print(round(ms), p["blind_tags"], round(cmd_ms))
            sys.exit(0)
    if ms > 120000:
        sys.exit("bench: not %s %s after 120 s" % (state, tags))
    time.sleep(0.005)
EOF
}

# sent_bytes PID: what the TCP sockets of PID have sent so far (ss's
# bytes_sent: TLS records on the wire), or nothing when ss cannot say.
sent_bytes()
{
	command -v ss >/dev/null || return 0
	ss -tinpH 2>/dev/null | awk -v pid="pid=$1," '
		index($0, pid) {mine = 1; next}
		mine && match($0, /bytes_sent:[0-9]+/) {sum += substr($0, RSTART + 11, RLENGTH - 11)}
		{mine = 0}
		END {if (sum) print sum}'
}

# blind_query NAME ARGS...: one bench_query run (with the CPU of both
# daemons), kept in $T/blind/NAME.json.
blind_query()
{
	query "$@"
	mv "$R/$1.json" "$T/blind/$1.json"
}

# The runs of one mode (clear or blind), the same in both.
blind_runs()
{
	local m=$1 lim=$((SECS * 1000))
	blind_query "${m}_warmup" -p MEX -c "$BLIND_CONNS" -n 200
	blind_query "${m}_latency" -p MEX -c 1 -n "$BLIND_LAT_N"
	blind_query "${m}_single" -p MEX -c "$BLIND_CONNS" -n "$MAX_REQ" -t "$lim"
	blind_query "${m}_batched" -p MEX -c "$BLIND_CONNS" -b "$BATCH" -n "$MAX_REQ" -t "$lim"
}

# MEX lets GTM ask blind (with no daily bound on evaluations here): the
# time until GTM holds the whole set, and MEX's bytes on the wire meanwhile.
blind_on()
{
	local b0 b1 r ms tags cmd wire=null
	[ "$(blind_copy)" = "none 0" ] || die "GTM holds $(blind_copy) of MEX's set before blind"
	b0=$(sent_bytes "${PID[MEX]}")
	r=$(blind_poll complete "" "$TRACECTL" -d "$T/MEX" peer policy GTM --stolen blind \
		--blind-limit 4000000000) || exit 1
	read -r ms tags cmd <<<"$r"
	b1=$(sent_bytes "${PID[MEX]}")
	[ -z "$b0" ] || [ -z "$b1" ] || wire=$((b1 - b0))
	echo "{\"ms\": $ms, \"policy_ms\": $cmd, \"tags\": $tags, \"wire_bytes\": $wire}" \
		>"$T/blind/publish.json"
	log "  whole set: $(cat "$T/blind/publish.json")"
}

# One report more on MEX, BLIND_DELTAS times: ms until GTM's copy has its tag.
blind_deltas()
{
	local i tags r ms cmd
	for i in $(seq 1 "$BLIND_DELTAS"); do
		tags=$(blind_copy | cut -d' ' -f2)
		r=$(blind_poll complete $((tags + 1)) "$TRACECTL" -d "$T/MEX" stolen report \
			--make Glock --serial "BBD$(now_ms)$i" --date 2024-01-01 --case BENCH-BLIND) ||
			exit 1
		read -r ms _ cmd <<<"$r"
		echo "$ms" >>"$T/blind/delta_ms"
		echo "$cmd" >>"$T/blind/report_ms"
	done
	log "  one change: $(tr '\n' ' ' <"$T/blind/delta_ms")ms"
}

blind_off()
{
	blind_poll none 0 "$TRACECTL" -d "$T/MEX" peer policy GTM --stolen clear >/dev/null ||
		exit 1
}

# timed_start NAME: start the node in $T/NAME, print the ms until its log
# says ready, stop it.
timed_start()
{
	local t0
	t0=$(now_ms)
	"$TRACENETD" run "$T/$1" >>"$T/$1.log" 2>&1 &
	PID[$1]=$!
	until node_ready "$1"; do
		alive "${PID[$1]}" || die "tracenetd $1 died: $(tail -n 5 "$T/$1.log")"
		sleep 0.01
	done
	kill -TERM "${PID[$1]}"
	wait "${PID[$1]}" || die "tracenetd $1 stopped with an error: $(tail -n 3 "$T/$1.log")"
	unset "PID[$1]"
	"$PYTHON" -c 'import datetime, sys
line = [l for l in open(sys.argv[1]) if ": ready, " in l][-1]
ts = datetime.datetime.strptime(line.split()[0], "%Y-%m-%dT%H:%M:%S.%fZ")
print(round(ts.replace(tzinfo=datetime.timezone.utc).timestamp() * 1000) - int(sys.argv[2]))' \
		"$T/$1.log" "$t0"
}

# A node makes its set at its first start (no key yet): a store that
# bench_store filled with the reports alone (it makes no key), started from
# fresh copies BLIND_STARTS times, each once without a key and once with.
blind_build()
{
	local i base=$T/BLD.base
	log "  starts of a node holding the reports, without a key and with"
	"$TRACENETD" init "$base" --name BLD --listen 127.0.0.1:0 >>"$T/BLD.log" 2>&1 ||
		die "tracenetd init BLD: $(tail -n 3 "$T/BLD.log")"
	head -n 1 "$CSV" >"$T/blind/no_records.csv"
	"$BENCH_STORE" "$base" "$T/blind/no_records.csv" "$STOLEN" "$STORE_BATCH" 0 \
		>"$T/blind/build_store.json" || die "bench_store failed"
	for i in $(seq 1 "$BLIND_STARTS"); do
		rm -rf "$T/BLD"
		cp -a "$base" "$T/BLD"
		timed_start BLD >>"$T/blind/start_no_key_ms"
		timed_start BLD >>"$T/blind/start_key_ms"
	done
	rm -rf "$T/BLD" "$base"
}

# The warnings and errors NAME logged from line $2 on, but the alerts of
# the queries that hit.
log_news()
{
	tail -n "+$(($2 + 1))" "$T/$1.log" | grep -E '^[^ ]+ (warn|error) ' |
		grep -v 'ALERT: .* hit [0-9]* of our' >"$T/blind/log_$1" || true
}

blind_bench()
{
	local name
	declare -A lines=()
	log "blind stolen queries GTM -> MEX: clear, then blind"
	mkdir -p "$T/blind"
	for name in GTM MEX; do
		lines[$name]=$(wc -l <"$T/$name.log")
		"$TRACECTL" -d "$T/$name" --json status >"$T/blind/status_before_$name.json"
	done
	blind_runs clear
	blind_on
	blind_runs blind
	blind_deltas
	blind_off
	for name in GTM MEX; do
		"$TRACECTL" -d "$T/$name" --json status >"$T/blind/status_after_$name.json"
		log_news "$name" "${lines[$name]}"
	done
	blind_build
	blind_report "$T/blind" >"$R/blind.json"
	log "  blind: $(cat "$R/blind.json")"
}

# The "blind" fragment out of the files in $1.
blind_report()
{
	"$PYTHON" - "$1" "$BATCH" <<'EOF'
import json, os, re, statistics, sys
d, batch = sys.argv[1], int(sys.argv[2])
def load(name):
    return json.load(open(os.path.join(d, name + ".json")))
def nums(name):
    return [int(x) for x in open(os.path.join(d, name)).read().split()]
def run(name):
    r = load(name)
    keep = ["conns", "items_per_request", "requests", "requests_per_s", "steady_requests_per_s",
            "items_per_s", "p50_us", "p99_us", "p999_us", "max_us", "hits", "hits_expected",
            "hit_mismatch", "failed", "not_answered", "blind_answers", "link_paused"]
    out = {k: r[k] for k in keep}
    n = r["items_per_request"]
    out["cpu_us_per_item"] = {k: round(v / n, 1) for k, v in r["cpu_us_per_request"].items()}
    return out
out = {}
for m in ("clear", "blind"):
    out[m] = {"latency_one_at_a_time": run(m + "_latency"), "single_items": run(m + "_single"),
              "batched": run(m + "_batched")}
pub = load("publish")
deltas = nums("delta_ms")
out["whole_set"] = pub
out["one_change_ms"] = {"runs": deltas, "median": statistics.median(deltas),
                        "stolen_report_median": statistics.median(nums("report_ms"))}
# The whole set goes in tags // CHUNK + 1 blind_set messages (the last one
# maybe empty); what the wire carried beyond the tags is their overhead.
CHUNK = 65536
tags, wire = pub["tags"], pub["wire_bytes"]
per_msg = (wire - 8 * tags) / (tags // CHUNK + 1) if wire is not None else None
out["set_bytes_per_100k_reports"] = {
    "tags": 8 * 100000,
    "wire": round(8 * 100000 + (100000 // CHUNK + 1) * per_msg) if per_msg is not None else None,
    "wire_overhead_per_message": round(per_msg) if per_msg is not None else None,
    "formula": "tags: 8 B x 100000. wire: 8 B x 100000 + (100000 // 65536 + 1) messages x "
               "the overhead of one, measured: (MEX's TCP bytes_sent while it published the "
               "whole set - 8 B x tags) / (tags // 65536 + 1)",
}
nokey, key = nums("start_no_key_ms"), nums("start_key_ms")
# (bench_store's rates of no records are not JSON numbers)
reports = int(re.search(r'"stolen": (\d+)', open(os.path.join(d, "build_store.json")).read())[1])
build = statistics.median(nokey) - statistics.median(key)
out["set_build"] = {
    "reports": reports, "start_no_key_ms": nokey, "start_key_ms": key, "ms": build,
    "us_per_report": round(build * 1000 / reports, 1) if reports else None,
    "s_per_100k_reports": round(build / reports * 100, 2) if reports else None,
    "formula": "median start-to-ready without a key - median with one (the set is made "
               "before ready, in one transaction)",
}
drops = {}
for name in ("GTM", "MEX"):
    a = json.load(open(os.path.join(d, "status_before_%s.json" % name))).get("drops", {})
    b = json.load(open(os.path.join(d, "status_after_%s.json" % name))).get("drops", {})
    drops[name] = {k: v - a.get(k, 0) for k, v in b.items() if v != a.get(k, 0)}
out["drops"] = drops
logs = {name: open(os.path.join(d, "log_" + name)).read().splitlines() for name in ("GTM", "MEX")}
out["log_warnings"] = {name: {"n": len(v), "first": v[:3]} for name, v in logs.items()}
clear_p50 = out["clear"]["latency_one_at_a_time"]["p50_us"]
blind_p50 = out["blind"]["latency_one_at_a_time"]["p50_us"]
mex_us = out["blind"]["batched"]["cpu_us_per_item"]["MEX"]
per_core = round(1e6 / mex_us) if mex_us else None
out["goals"] = {
    "blind_p50_x_clear": round(blind_p50 / clear_p50, 2) if clear_p50 else None,
    "blind_p50_within_2x_clear": bool(clear_p50) and blind_p50 <= 2 * clear_p50,
    "mex_items_per_core_s": per_core,
    "mex_5000_items_per_core_s": per_core is not None and per_core >= 5000,
    "all_blind": all(out["blind"][k]["blind_answers"] == out["blind"][k]["requests"]
                     for k in out["blind"]),
}
print(json.dumps(out))
EOF
}
