#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# A node filled offline by tests/tools/traffic_add with a small, seeded
# traffic (3 peers, 3 months, 20 of our traces a month) starts and serves
# the rows: every trace both ways, the alerts, an intact audit chain.
#
# What the generator guarantees, for `stats` to be checked against:
#   - exactly K=20 of our first traces in each of the M=3 months (their
#     created_ms), plus follow_ups follow-ups (req.follows set): traces_out;
#   - (K+1)/2 = 10 peers' traces to us a month: traces_in = 30;
#   - 2K = 40 stolen queries of ours a month (to 1-3 peers each) and 40 of
#     peers' to us; one alert per hit of theirs: alerts;
#   - every trace and query leaves its audit entries, as the daemon does:
#     audit entries in all.
# The counts are printed by traffic_add as JSON and compared here.
. "$(dirname "$0")/lib.sh"

ADD=$TN_BIN/tests/tools/traffic_add
[ -x "$ADD" ] || fail "no $ADD (make units)"

node_init GTM
assert_ok "$ADD" "$(node_dir GTM)" --peers 3 --months 3 --traces-per-month 20 --seed 7 \
	--end 2025-06-30
sum=$LAST_OUT
assert_json "$sum" months=3 peers=3 per_month=20 traces_in=30 stolen_queries_in=120
out_n=$(json_get "$sum" traces_out)
follow=$(json_get "$sum" follow_ups)
alerts=$(json_get "$sum" alerts)
audit=$(json_get "$sum" audit)
assert_eq "$((out_n - follow))" 60 "first traces (3 months of 20)"
[ "$alerts" -le 100 ] || fail "more alerts ($alerts) than the default listing shows"
pass "traffic_add: $out_n traces out ($follow follow-ups), 30 in, $alerts alerts, $audit audit entries"

# The same seed and end give the same traffic.
node_init MEX
assert_ok "$ADD" "$(node_dir MEX)" --peers 3 --months 3 --traces-per-month 20 --seed 7 \
	--end 2025-06-30
assert_eq "$(json_get "$LAST_OUT" traces_out)" "$(json_get "$sum" traces_out)" "traces out again"
assert_eq "$(json_get "$LAST_OUT" audit)" "$(json_get "$sum" audit)" "audit entries again"
pass "the same seed gives the same counts"

node_start GTM
list=$(ctl_json GTM trace list)
assert_json "$list" "traces#=$out_n"
months=$("$PYTHON" -c '
import json, sys, time, collections
ts = json.loads(sys.argv[1])["traces"]
print(sorted(collections.Counter(time.strftime("%Y-%m", time.gmtime(t["created_ms"] / 1000))
                                 for t in ts if t["req"]["follows"] == "0").items()))' "$list")
assert_eq "$months" "[('2025-04', 20), ('2025-05', 20), ('2025-06', 20)]" "first traces a month"
assert_eq "$(json_get "$list" 'traces.*.req.follows' | "$PYTHON" -c '
import json, sys; print(sum(f != "0" for f in json.load(sys.stdin)))')" "$follow" "follow-ups"
pass "trace list: $out_n traces over the three months, $follow follow-ups"

assert_json "$(ctl_json GTM inbox --all)" "traces#=30"
assert_json "$(ctl_json GTM alerts)" "alerts#=$alerts"
pass "inbox --all: 30 peers' traces; alerts: $alerts"

assert_ok ctl GTM audit --verify
assert_contains "$LAST_OUT" "intact: $audit entries" "audit --verify"
# A follow-up's result names the first retail sale in the export country.
first=$(json_get "$list" 'traces.*.req.follows' | "$PYTHON" -c '
import json, sys; print([f for f in json.load(sys.stdin) if f != "0"][0])')
assert_ok ctl GTM trace show "$first"
assert_contains "$LAST_OUT" "exported to" "the followed trace"
pass "audit chain intact over $audit entries; a followed trace shows its export"

# stats adds the same rows up: every trace each way, each follow-up a flow.
st=$(ctl_json GTM stats --since 2025-01-01 --until 2025-12-31) || fail "stats failed"
assert_eq "$("$PYTHON" -c '
import json, sys
v = json.loads(sys.argv[1])
sent = sum(r["count"] for r in v["traces"] if r["dir"] == "sent")
recv = sum(r["count"] for r in v["traces"] if r["dir"] == "received")
print(sent, recv, sum(f["count"] for f in v["flows"]))' "$st")" "$out_n 30 $follow" "stats: sent, received, flows"
pass "stats counts the $out_n traces sent, the 30 received and the $follow flows"
node_stop GTM
