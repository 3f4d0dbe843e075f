#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Misread, partial and obliterated serials through three real nodes: a
# stolen gun found from a serial read with O for 0; a trace of a misread
# serial answered with candidates only (no chain, no parties), then traced
# exactly; an obliterated serial with two unreadable characters; the
# importer written as the make; the answering node's policy (no candidates
# unless allowed, a fuzzy lookup counting ten against the daily limit);
# record find --fuzzy and its errors.
. "$(dirname "$0")/lib.sh"

mesh GTM MEX USA
pass "three nodes linked"

REQ=(--recovered-on 2024-02-10 --recovered-at "Tecun Uman" --crime 1201 --agency PNC --case GT-77)

# MEX: a dense run of Glocks (one wrong digit lands on a neighbour), a
# Norinco stamped by its importer, one stolen Glock.
for s in 4051 4052 4053 4058; do
	assert_ok ctl MEX record add --make Glock --serial "BKR$s" --model G19 --caliber 9mm --type pistol
done
assert_ok ctl MEX record event 3 --kind sold --date 2022-04-01 --party "Armeria Norte" --place Monterrey
assert_ok ctl MEX record add --make Norinco --serial 56-1234567 --model "Type 54" \
	--importer "Century International Arms"
assert_ok ctl MEX stolen report --kind stolen --make Glock --serial BKR4052 --model G19 \
	--date 2023-11-02 --place Monterrey --agency FGR --case FGR-9

# ---- local: record find --fuzzy ----

out=$(ctl_json MEX record find --fuzzy --serial BKR4O52 --make glock --model "Glock 19") ||
	fail "record find --fuzzy failed: $LAST_ERR"
assert_json "$out" candidates.0.serial=BKR4052 candidates.0.id=2 "candidates.0.reason=confusable O→0 at 5" \
	candidates.0.exact=false
n=$(json_get "$out" "candidates#")
[ "$n" -ge 2 ] || fail "expected the neighbours too, got $n candidates"
out=$(ctl_json MEX record find --fuzzy --serial BKR4052 --make Glock)
assert_json "$out" candidates.0.serial=BKR4052 candidates.0.exact=true candidates.0.reason=exact
out=$(ctl_json MEX record find --fuzzy --serial BKR4052 --make Glock --limit 1)
assert_json "$out" "candidates#=1"
out=$(ctl_json MEX record find --fuzzy --serial 561234567 --make "Century International Arms")
assert_json "$out" candidates.0.make=Norinco "candidates.0.reason=exact, importer as make"
empty=$(ctl_json MEX record find --fuzzy --serial ZZZZ99999 --make Glock)
assert_json "$empty" "candidates#=0"
assert_ok ctl MEX record find --fuzzy --serial "BKR40?2" --make Glock
assert_contains "$LAST_OUT" "1 unreadable" "text output names the reason"
assert_fails ctl MEX record find --fuzzy --serial "A??????"
assert_contains "$LAST_ERR" "too many unreadable" "too many unreadable characters"
assert_fails ctl MEX record find --fuzzy --serial "???"
assert_contains "$LAST_ERR" "nothing readable" "an unreadable serial"
assert_fails ctl MEX record find --fuzzy --serial BKR4052 --limit 500
assert_contains "$LAST_ERR" "--limit 500" "a limit past the most"
assert_fails ctl MEX record add --make Glock --serial "BKR4?52"
assert_contains "$LAST_ERR" "unreadable" "a record's serial may not hold '?'"
# Without --fuzzy, the exact lookup is as before: a misread finds nothing.
out=$(ctl_json MEX record find --serial BKR4O52 --make Glock)
assert_json "$out" "records#=0"
pass "record find --fuzzy: confusable, exact first, importer as make, limit, errors"

# ---- stolen query: fuzzy only where the answering node allows it ----

out=$(ctl_json GTM query stolen --make Glock --serial BKR4O52 --peer MEX --fuzzy --case GT-77) ||
	fail "query failed: $LAST_ERR"
assert_json "$out" hits=0 peers.0.exact_only=true
assert_ok ctl MEX peer policy GTM --candidates allow --traces auto
out=$(ctl_json GTM query stolen --make Glock --serial BKR4O52 --peer MEX --case GT-77)
assert_json "$out" hits=0 peers.0.exact_only=false
out=$(ctl_json GTM query stolen --make Glock --serial BKR4O52 --peer MEX --fuzzy --case GT-77)
assert_json "$out" hits=1 peers.0.results.0.report.serial=BKR4052 \
	"peers.0.results.0.match=confusable O→0 at 5" peers.0.exact_only=false
assert_ok ctl GTM query stolen --make Glock --serial BKR4O52 --peer MEX --fuzzy --case GT-77
assert_contains "$LAST_OUT" "matched: confusable O→0 at 5" "the hit says how it matched"
alerts=$(ctl_json MEX alerts)
assert_json "$alerts" alerts.0.serial=BKR4052 alerts.0.peer=GTM
assert_contains "$(ctl_json MEX audit)" "fuzzy" "MEX's audit counts the fuzzy lookup"
pass "a stolen gun found from a misread serial, only once MEX allows candidates"

# USA may make 5 requests a day: one fuzzy lookup (10) is past it, so USA
# gets exact matching only, and its exact item still hits.
assert_ok ctl MEX peer policy USA --candidates allow --daily-limit 5
out=$(ctl_json USA query stolen --make Glock --serial BKR4O52 --peer MEX --fuzzy --case US-1)
assert_json "$out" hits=0 peers.0.exact_only=true
out=$(ctl_json USA query stolen --make Glock --serial BKR4052 --peer MEX --fuzzy --case US-1)
assert_json "$out" hits=1 peers.0.results.0.match=exact
pass "a fuzzy lookup counts ten against the daily limit"

# ---- traces: candidates only, then the exact trace ----

id=$(json_get "$(ctl_json GTM trace request --to MEX --make Glock --serial BKR4O35 --model G19 \
	"${REQ[@]}")" id)
assert_ok ctl GTM trace wait "$id" --timeout 20
TR=$(ctl_json GTM trace show "$id")
assert_json "$TR" status=answered result.status=possible_matches result.candidates.0.serial=BKR4053 \
	"result.chain#=0"
reason=$(json_get "$TR" result.candidates.0.reason)
assert_contains "$reason" "transposition" "the candidate says how it matched"
assert_not_contains "$TR" "Armeria Norte" "no party crosses with a candidate"
assert_not_contains "$TR" '"id": "3"' "MEX's record ids stay at MEX"
assert_ok ctl GTM trace show "$id"
assert_contains "$LAST_OUT" "candidate:" "trace show lists the candidates"
id2=$(json_get "$(ctl_json GTM trace request --to MEX --make Glock --serial BKR4053 --model G19 \
	"${REQ[@]}")" id)
assert_ok ctl GTM trace wait "$id2" --timeout 20
TR=$(ctl_json GTM trace show "$id2")
assert_json "$TR" result.status=completed result.chain.0.party="Armeria Norte" "result.candidates#=0"
pass "a trace of a misread serial: candidates, then the exact trace"

id=$(json_get "$(ctl_json GTM trace request --to MEX --make Glock --serial "BKR40??" \
	--serial-obliterated true "${REQ[@]}")" id)
assert_ok ctl GTM trace wait "$id" --timeout 20
TR=$(ctl_json GTM trace show "$id")
assert_json "$TR" result.status=possible_matches "result.candidates#=4"
pass "an obliterated serial with two unreadable characters"

assert_ok ctl MEX peer policy GTM --candidates deny
id=$(json_get "$(ctl_json GTM trace request --to MEX --make Glock --serial BKR4O35 "${REQ[@]}")" id)
assert_ok ctl GTM trace wait "$id" --timeout 20
assert_json "$(ctl_json GTM trace show "$id")" result.status=no_record "result.candidates#=0"
pass "no candidates where the policy does not offer them"

for n in GTM MEX USA; do
	assert_ok ctl "$n" audit --verify
done
pass "audit chains intact"
