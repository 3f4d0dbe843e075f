# SPDX-License-Identifier: Apache-2.0
# Sourced by scripts/bench.sh: serial matching. Misread serials of the
# bench's records (scripts/gen-misreads.py, whose header is the model of
# misreads) looked up in a store holding those records (bench_match), the
# serial index's size under its old and its new key, and the goals.

# The goals: recall at 10 of every kind with a single error, at 1 of the
# confusable ones, at 10 of two unreadable characters; the fuzzy lookup's
# p99; what the folded serial in the key adds to the index.
MATCH_SINGLE="confusable transposition drop extra substitution unreadable1 importer_as_make"
MATCH_GOAL_R10=0.99
MATCH_GOAL_CONF_R1=0.95
MATCH_GOAL_UNREAD2_R10=0.97
MATCH_GOAL_P99_US=2000
MATCH_GOAL_GROWTH=0.50

# Report: "matching". The store is filled by bench_store (no lookups) from
# the cached CSV and removed afterwards; the queries are cached beside it.
match_bench()
{
	local dir=$T/match q
	[ -n "${CSV:-}" ] || gen_data
	q=${CSV%.csv}-misreads-$MATCH_N-$(sha256sum "$ROOT/scripts/gen-misreads.py" | cut -c1-8).tsv
	if [ ! -s "$q" ]; then
		log "gen-misreads: $MATCH_N queries of each kind (cached in $DATA)"
		"$PYTHON" "$ROOT/scripts/gen-misreads.py" "$CSV" --seed "$SEED" -n "$MATCH_N" \
			-o "$q.tmp" || die "gen-misreads.py failed"
		mv "$q.tmp" "$q"
	fi
	log "bench_match: a store of $RECORDS records, then the misread queries (k $MATCH_K)"
	"$BENCH_STORE" "$dir" "$CSV" "$STOLEN" "$STORE_BATCH" 0 >"$T/match_store.json" ||
		die "bench_store (matching) failed"
	"$BENCH_MATCH" --store "$dir" --queries "$q" --k "$MATCH_K" >"$T/match_run.json" ||
		die "bench_match failed"
	"$BENCH_MATCH" --store "$dir" --index-size >"$T/match_index.json" ||
		die "bench_match --index-size failed"
	rm -rf "$dir"
	match_fragment >"$R/matching.json"
	log "  matching: goals met: $(json_get "$R/matching.json" goals_met), fuzzy p99 $(json_get "$R/matching.json" fuzzy_us.p99) us"
}

match_fragment()
{
	"$PYTHON" - "$T/match_run.json" "$T/match_index.json" "$MATCH_SINGLE" "$MATCH_GOAL_R10" \
		"$MATCH_GOAL_CONF_R1" "$MATCH_GOAL_UNREAD2_R10" "$MATCH_GOAL_P99_US" \
		"$MATCH_GOAL_GROWTH" <<'EOF_PY'
import json, sys
run, idx = (json.load(open(p)) for p in sys.argv[1:3])
single = sys.argv[3].split()
r10, conf_r1, unread2_r10, p99_us, growth = map(float, sys.argv[4:9])
kinds = run["kinds"]
goals = {}
def goal(name, value, target, ok):
    goals[name] = {"value": value, "target": target, "pass": bool(ok)}
for k in single:
    goal("recall_at_10_" + k, kinds[k]["recall_at_10"], r10, kinds[k]["recall_at_10"] >= r10)
goal("recall_at_1_confusable", kinds["confusable"]["recall_at_1"], conf_r1,
     kinds["confusable"]["recall_at_1"] >= conf_r1)
goal("recall_at_10_unreadable2", kinds["unreadable2"]["recall_at_10"], unread2_r10,
     kinds["unreadable2"]["recall_at_10"] >= unread2_r10)
goal("fuzzy_p99_us", run["fuzzy_us"]["p99"], p99_us, run["fuzzy_us"]["p99"] <= p99_us)
goal("index_growth", idx["growth"], growth, idx["growth"] <= growth)
print(json.dumps({
    "queries": run["queries"], "k": run["k"], "kinds": kinds,
    "candidates_per_query": run["candidates_per_query"],
    "never_issued": run["never_issued"],
    "fuzzy_us": run["fuzzy_us"], "exact_us": run["exact_us"],
    "exact_first": run["exact_first"],
    "index": idx,
    "goals": goals, "goals_met": all(g["pass"] for g in goals.values()),
}, indent=2))
EOF_PY
}
