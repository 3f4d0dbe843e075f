# SPDX-License-Identifier: Apache-2.0
# Sourced by scripts/bench.sh: the one JSON report assembled from the
# fragments each measurement left in $R (or, for a run of some phases, the
# fragments as they are).

fragments()
{
	"$PYTHON" -c 'import glob, json, os, sys
print(json.dumps({os.path.basename(p)[:-5]: json.load(open(p))
                  for p in sorted(glob.glob(os.path.join(sys.argv[1], "*.json")))}, indent=2))' "$R"
}

assemble()
{
	local cap
	cap=$(sed -n 's/^#define LINK_FRAMES_PER_S \([0-9]*\).*/\1/p' "$ROOT/node/net/net.h")
	"$PYTHON" - "$R" "$RECORDS" "$CONNS" "$BATCH" "$PEERS" "$1" "$cap" "$SCALE_BASE" <<'EOF'
import glob, json, os, sys
r, records, conns, batch, peers, elapsed, cap, scale_base = sys.argv[1:]
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
q = ["requests_per_s", "steady_requests_per_s", "p50_us", "p99_us", "p999_us", "failed", "not_answered", "link_paused",
     "cpu_us_per_request", "commits_per_request", "commit_mean_us", "queries_per_envelope"]
one = load("one_case")
nd, nd_lat, nd_tp = load("no_disk"), load("no_disk_latency"), load("no_disk_tp_c" + conns)
nd_one = load("no_disk_one_case")
if not nd and nd_lat and nd_tp:
    nd = {"latency_one_at_a_time": pick(nd_lat, "p50_us", "p99_us", "cpu_us_per_request"),
          "throughput": pick(nd_tp, *q), "one_case": pick(nd_one, *q) if nd_one else None}
    if main:
        nd["vs_disk_throughput"] = round(nd_tp["steady_requests_per_s"] / main["steady_requests_per_s"], 3)
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
                                  "hits_expected", "hit_mismatch", "link_paused",
                                  "cpu_us_per_request", "commits_per_request", "commit_mean_us"),
    "throughput": {str(c): pick(d, *q) for c, d in sorted(tp.items())},
    "conns": int(conns),
    "hit_every": 20,
    "link_frames_per_s_cap": int(cap) if cap else None,
    "queries_per_s": main["steady_requests_per_s"] if main else None,
    "one_case": pick(one, *q) if one else None,
    "batched": dict(pick(bat, "conns", "items_per_request", "requests_per_s",
                         "steady_requests_per_s", "items_per_s",
                         "p50_us", "p99_us", "failed", "not_answered", "link_paused",
                         "cpu_us_per_request", "commits_per_request", "commit_mean_us")),
    "no_disk": nd,
  },
}
out["lookup"]["lookups_per_loop"] = st["lookups"]
if redis and "skipped" not in redis and main:
    redis["ours_vs_redis_throughput"] = round(main["steady_requests_per_s"] / redis["throughput"]["rps"], 4)
    redis["ours_vs_redis_p50_one_at_a_time"] = round(lat["p50_us"] / 1000 / redis["latency"]["p50_ms"], 1)
    if one:
        redis["ours_one_case_vs_redis_throughput"] = round(
            one["steady_requests_per_s"] / redis["throughput"]["rps"], 4)
    if nd and "skipped" not in nd:
        redis["ours_no_disk_vs_redis_throughput"] = round(
            nd["throughput"]["steady_requests_per_s"] / redis["throughput"]["rps"], 4)
        if nd.get("one_case"):
            redis["ours_no_disk_one_case_vs_redis_throughput"] = round(
                nd["one_case"]["steady_requests_per_s"] / redis["throughput"]["rps"], 4)
    if "skipped" not in redis["durable_set"]:
        redis["ours_vs_durable_set_throughput"] = round(
            main["steady_requests_per_s"] / redis["durable_set"]["throughput"]["rps"], 4)
        redis["durable_set_vs_get_throughput"] = round(
            redis["durable_set"]["throughput"]["rps"] / redis["throughput"]["rps"], 4)
out["redis_ref"] = redis
out["broadcast"] = {}
for n in peers.split():
    b = load("broadcast_" + n)
    out["broadcast"][n] = pick(b, "requests", "p50_us", "p99_us", "max_us", "not_answered",
                               "link_paused")
out["trace"] = load("trace")
# The commit floor (one durable commit of one small value, this disk, this
# run), and the latencies as multiples of it: the commits in series show.
floor = st.get("commit_floor_p50_us")
out["commit_floor"] = {"n": st.get("commit_floor_n"), "p50_us": floor,
                       "p99_us": st.get("commit_floor_p99_us")}
if floor:
    out["commit_floor"]["query_p50_x"] = round(lat["p50_us"] / floor, 2)
    rt = (out["trace"] or {}).get("round_trip", {})
    if rt.get("p50_us"):
        out["commit_floor"]["trace_p50_x"] = round(rt["p50_us"] / floor, 2)
out["rss"] = {"idle": load("rss_idle"), "loaded": load("rss_loaded"),
              "loaded_records": int(records), "loaded_conns": int(conns)}
out["drops"] = {"GTM": load("drops_GTM"), "MEX": load("drops_MEX")}
out["replay_window"] = load("replay_window")
out["commit_options"] = load("commit_options")
out["commits_in_series"] = load("commits_in_series")
out["instructions_per_request"] = load("instructions")
out["checkpoint"] = load("checkpoint")
out["stats"] = load("stats")
out["matching"] = load("matching")
out["blind"] = load("blind")
# bench_store at BENCH_SCALE_BASE and at BENCH_RECORDS, side by side (null
# unless BENCH_RECORDS is the larger).
base = load("store_base")
out["scale"] = None
if base:
    runs = (base, st)
    out["scale"] = {"records": [int(scale_base), int(records)],
                    "import_rec_s": [d["parse_put_per_s"] for d in runs],
                    "file_mb": [d["file_mb"] for d in runs],
                    "lookup_p50_us": [d["record_find_p50_us"] for d in runs],
                    "lookup_p99_us": [d["record_find_p99_us"] for d in runs]}
out["elapsed_s"] = float(elapsed)
print(json.dumps(out, indent=2))
EOF
}
