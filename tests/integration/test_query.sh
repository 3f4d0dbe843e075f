#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Lost/stolen queries across three real nodes on loopback: hit and no hit,
# one peer and broadcast, batches from a file, a peer down during a
# broadcast, the owner's alert, and the audit entries on both sides.
. "$(dirname "$0")/lib.sh"

names=(GTM MEX USA)
mesh "${names[@]}"
pass "three nodes linked"

assert_ok ctl MEX stolen report --make "Smith & Wesson" --serial "AB-123 45" --date 2025-06-01 \
	--place "Ciudad Juarez" --agency "FGR" --case "FGR-77"
assert_ok ctl USA stolen report --make Glock --serial XYZ999 --date 2024-02-02 --kind lost

out=$(ctl_json GTM query stolen --make "S&W" --serial ab12345 --peer MEX --case PNC-1 --purpose "recovered at crime scene")
assert_eq "$(json_get "$out" hits)" 1 "hits"
assert_eq "$(json_get "$out" peers.0.status)" answered
assert_eq "$(json_get "$out" peers.0.results.0.hit)" true
assert_eq "$(json_get "$out" peers.0.results.0.report.case_ref)" FGR-77
pass "single-peer hit carries the owner's report"

# The signed answer that reported the hit is kept as a receipt.
human=$(ctl GTM query stolen --make "S&W" --serial ab12345 --peer MEX --case PNC-2)
qid=$(sed -n 's/^query \([0-9a-f]*\):.*/\1/p' <<<"$human")
assert_contains "$human" "tracectl receipt $qid PEER --out FILE"
assert_ok ctl GTM receipt "$qid" MEX --out "$T/hit.receipt"
assert_ok env -u TRACENET_DIR "$TRACECTL" verify "$T/hit.receipt" --card "$(ctl MEX card)"
assert_contains "$LAST_OUT" "valid signature by MEX"
assert_contains "$LAST_OUT" "on a stolen_result from MEX to GTM"
assert_contains "$LAST_OUT" "case_ref: FGR-77"
assert_ok ctl GTM verify "$T/hit.receipt"
assert_fails ctl GTM receipt "$qid" MEX --out "$T/hit.receipt"
assert_contains "$LAST_ERR" "it must not exist"
assert_fails ctl GTM receipt "$qid" USA --out "$T/none.receipt"
assert_contains "$LAST_ERR" "only answers that report a hit are signed"
pass "a signed hit is kept as a receipt that verify checks against MEX's card"

out=$(ctl_json GTM query stolen --case C-1 --make Glock --serial NOPE1 --peer MEX)
assert_eq "$(json_get "$out" hits)" 0
assert_eq "$(json_get "$out" peers.0.results.0.hit)" false
pass "single-peer no hit"

out=$(ctl_json GTM query stolen --case C-1 --make "Smith and Wesson" --serial AB12345 --all)
assert_eq "$(json_get "$out" hits)" 1
assert_contains "$out" '"peer": "MEX"'
assert_contains "$out" '"peer": "USA"'
human=$(ctl GTM query stolen --case C-1 --make "Smith and Wesson" --serial AB12345 --all)
assert_contains "$human" "HIT"
assert_contains "$human" "no hit"
pass "broadcast aggregates every peer"

printf 'make,serial,model\nGlock,XYZ-999,G17\nS&W,AB12345,\nBeretta,NOTHING1,92FS\n' >"$T/items.csv"
out=$(ctl_json GTM query stolen --case C-1 --file "$T/items.csv" --all)
assert_eq "$(json_get "$out" hits)" 2
pass "a batch from a file travels in one envelope per peer"

# The item limit (TN_QUERY_ITEMS_MAX) holds exactly: 1000 rows go, 1001 do not.
rows() { echo make,serial; for ((i = 1; i <= $1; i++)); do echo "Glock,LIM$i"; done; }
rows 1000 >"$T/1000.csv"
rows 1001 >"$T/1001.csv"
assert_ok ctl_json GTM query stolen --case C-1 --file "$T/1000.csv" --peer MEX
assert_eq "$(json_get "$LAST_OUT" peers.0.results#)" 1000 "results of a 1000-item query"
assert_fails ctl GTM query stolen --case C-1 --file "$T/1001.csv" --peer MEX
assert_contains "$LAST_ERR" "line 1002: expected make,serial[,model[,caliber]] (at most 1000 rows)"
pass "a file of 1000 items is one query; 1001 are refused at the row that is too many"

alerts=$(ctl_json MEX alerts)
assert_eq "$(json_get "$alerts" alerts.0.peer)" GTM
assert_eq "$(json_get "$alerts" alerts.0.case_ref)" FGR-77
assert_contains "$(ctl MEX alerts)" "GTM asked about"
assert_contains "$(cat "$(node_log MEX)")" "ALERT"
pass "the owner of the report gets an alert"

node_stop USA
wait_until 20 node_linked GTM 1 || fail "GTM still sees USA linked"
out=$(ctl_json GTM query stolen --case C-1 --make "S&W" --serial AB12345 --all --timeout-ms 3000)
assert_eq "$(json_get "$out" hits)" 1
assert_contains "$out" '"status": "unreachable"'
pass "a peer down during a broadcast is reported unreachable, the others answer"

assert_fails ctl GTM query stolen --case C-1 --make Glock --serial X1 --peer CAN
assert_fails ctl GTM query stolen --case C-1 --make Glock --peer MEX
assert_fails ctl GTM query stolen --case C-1 --serial X1 --make Glock
pass "bad queries are refused with one line"

node_alive GTM
node_alive MEX
