#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Queries that share an envelope: the lost/stolen queries one loop pass of
# GTM starts for MEX travel in one stolen_queries, each under its own qid,
# case and purpose, whoever asked. GTM is stopped while thirteen tracectl
# processes connect and send, so that it reads them all in one pass. Each
# still gets exactly its own answer and its own audit entries; MEX audits
# and alerts on each query with its own case; a hit comes back alone,
# signed, so that its receipt shows that query only; and the answers
# without a hit come back together.
. "$(dirname "$0")/lib.sh"

mesh GTM MEX
pass "two nodes linked"

for s in HIT1 HIT2 HIT3; do
	assert_ok ctl MEX stolen report --make Glock --serial "$s" --date 2025-06-01 \
		--case "FGR-$s"
done

ask() # ASK N SERIAL CASE [OFFICER]: one query in the background, its JSON in $T/q.N
{
	(TRACENET_OFFICER=${4:-ofc-1} exec "$TRACECTL" -d "$T/GTM" --json query stolen --make Glock \
		--serial "$2" --peer MEX --case "$3" --purpose screening >"$T/q.$1" 2>"$T/q.$1.err") &
	asking+=($!)
}

# Whether every one of these processes sleeps (each tracectl, once it has
# sent its request, waits for the reply).
asleep()
{
	local p
	for p in "$@"; do
		[ "$(awk '{print $3}' "/proc/$p/stat" 2>/dev/null)" = S ] || return 1
	done
}

asking=()
kill -STOP "$(node_pid GTM)"
for i in $(seq 1 10); do
	serial=MISS$i
	((i % 4 == 0)) && serial=HIT$((i / 4))
	ask "$i" "$serial" CASE-A
done
ask 11 HIT3 CASE-A
ask 12 HIT1 CASE-B
ask 13 MISS13 CASE-A ofc-2
wait_until 30 asleep "${asking[@]}" || fail "the queries were not all sent"
sleep 0.2
asleep "${asking[@]}" || fail "the queries were not all sent"
kill -CONT "$(node_pid GTM)"
wait "${asking[@]}"

for i in $(seq 1 13); do
	out=$(cat "$T/q.$i")
	[ -n "$out" ] || fail "query $i: no reply ($(cat "$T/q.$i.err"))"
	want=0
	case $i in 4 | 8 | 11 | 12) want=1 ;; esac
	assert_eq "$(json_get "$out" hits)" "$want" "hits of query $i"
	assert_eq "$(json_get "$out" peers.0.status)" answered "status of query $i"
	assert_eq "$(json_get "$out" 'peers.0.results#')" 1 "answers of query $i"
done
assert_eq "$(json_get "$(cat "$T/q.4")" peers.0.results.0.report.serial)" HIT1
assert_eq "$(json_get "$(cat "$T/q.8")" peers.0.results.0.report.serial)" HIT2
assert_eq "$(json_get "$(cat "$T/q.11")" peers.0.results.0.report.serial)" HIT3
assert_eq "$(json_get "$(cat "$T/q.12")" peers.0.results.0.report.serial)" HIT1
pass "thirteen queries read in one pass: each gets exactly its own answer"

audit=$(ctl_json GTM audit --peer MEX)
summary=$("$PYTHON" -c '
import json, sys
e = json.loads(sys.argv[1])["entries"]
sent = [x for x in e if x["type"] == "stolen_query" and x["dir"] == "out"]
res = [x for x in e if x["type"] == "stolen_result" and x["dir"] == "in"]
print(len(sent), len(res), len({x["ref"] for x in res}),
      sum(1 for x in res if x["detail"] not in ("CASE-A", "CASE-B")))
' "$audit")
read -r n_sent n_res n_refs n_odd <<<"$summary"
assert_eq "$n_sent" 13 "GTM's stolen_query entries"
assert_eq "$n_res" 13 "GTM's stolen_result entries"
assert_eq "$n_refs" 13 "queries named in GTM's stolen_result entries"
assert_eq "$n_odd" 0 "GTM's stolen_result entries that name something else than their case"
pass "GTM audits each query on its own, under its own qid and case"

metric() { ctl "$1" metrics | awk -v m="tracenet_$2" '$1 == m {print $2}'; }
n_env=$(metric MEX stolen_query_envelopes_total)
assert_eq "$(metric MEX stolen_queries_answered_total)" 13 "queries MEX answered"
((n_env < 13)) || fail "MEX opened $n_env envelopes for 13 queries"
mex=$(ctl_json MEX audit --peer GTM)
assert_eq "$("$PYTHON" -c '
import json, sys
print(sum(1 for x in json.loads(sys.argv[1])["entries"]
          if x["type"] == "stolen_query" and x["dir"] == "in"))' "$mex")" 13 "MEX's entries"
alerts=$(ctl_json MEX alerts)
assert_eq "$("$PYTHON" -c '
import json, sys
print(" ".join(sorted(a["serial"] + "/" + a["their_case"] + "/" + a["purpose"]
                      for a in json.loads(sys.argv[1])["alerts"])))' "$alerts")" \
	"HIT1/CASE-A/screening HIT1/CASE-B/screening HIT2/CASE-A/screening HIT3/CASE-A/screening" \
	"MEX's alerts, each with the case that asked"
pass "MEX opened $n_env envelopes for 13 queries, and audited and alerted on each query"

# Each hit's receipt is its own answer: its qid, its one item.
for i in 4 8 11 12; do
	qid=$(json_get "$(cat "$T/q.$i")" qid)
	assert_ok ctl GTM receipt "$qid" MEX --out "$T/hit.$i.receipt"
	assert_ok env -u TRACENET_DIR "$TRACECTL" verify "$T/hit.$i.receipt" --card "$(ctl MEX card)"
	assert_contains "$LAST_OUT" "valid signature by MEX"
	assert_eq "$("$PYTHON" -c '
import re, sys
out, qid = sys.argv[1], sys.argv[2]
print(int(re.search(r"^qid: ([0-9a-f]{16})$", out, re.M).group(1), 16) == int(qid, 16),
      len(re.findall(r"^  - hit: ", out, re.M)))' "$LAST_OUT" "$qid")" "True 1" \
		"query $i's receipt: its own qid and its one answer"
done
for i in 1 2 3; do
	assert_fails ctl GTM receipt "$(json_get "$(cat "$T/q.$i")" qid)" MEX --out "$T/no.$i"
	assert_contains "$LAST_ERR" "only answers that report a hit are signed"
done
pass "each hit has a receipt of its own query only; its no-hit neighbours have none"

# Both sides count the guns asked about, however the asker grouped them.
we=$(json_get "$(ctl_json GTM stats --peer MEX)" stolen.0.we_asked)
they=$(json_get "$(ctl_json MEX stats --peer GTM)" stolen.0.asked_us)
assert_eq "$they" "$we" "MEX's count of GTM's checks against GTM's own"
pass "GTM's stats and MEX's count the same $we checks though MEX got $n_env envelopes"

assert_ok ctl GTM audit --verify
assert_ok ctl MEX audit --verify
node_alive GTM
node_alive MEX
