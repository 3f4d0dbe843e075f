#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Durable commits per exchange, counted by each node (status `commits`):
# a stolen query costs the asking node one (its "sent" entries wait for the
# commit of the results, before the operator sees them) and the answering
# node one; an automatic trace costs the answering node one before it
# answers, and the asking node one for the request (which left before it)
# and one for the acknowledgements, receipt and result;
# an operator waiting for a result (`trace wait`) sees it with the commit
# that stores it, its view audited in the same commit.
. "$(dirname "$0")/lib.sh"

mesh GTM MEX
assert_ok ctl MEX record add --make Glock --serial CM-1 --model G17
assert_ok ctl MEX record event 1 --kind sold --date 2021-05-06 --party "Armería Central"
assert_ok ctl MEX stolen report --make Taurus --serial CM-9 --date 2024-01-01 --case C-1
assert_ok ctl MEX peer policy GTM --traces auto

commits()
{
	json_get "$(ctl_json "$1" status)" commits
}

# settled NODE: its commit count did not move for 1.2 s (writes nobody
# waits for commit within 1 s: BATCH_LATER_MS).
settled()
{
	local a
	a=$(commits "$1")
	sleep 1.2
	[ "$a" = "$(commits "$1")" ]
}

# count_commits WHAT WANT_GTM WANT_MEX CMD...: run CMD on GTM once both nodes
# are idle, wait until they are idle again, and compare what each committed.
count_commits()
{
	local what=$1 want_g=$2 want_m=$3 g0 m0 g m
	shift 3
	wait_until 10 settled GTM && wait_until 10 settled MEX || fail "nodes never idle"
	g0=$(commits GTM) m0=$(commits MEX)
	assert_ok "$@"
	wait_until 10 settled GTM && wait_until 10 settled MEX || fail "nodes never idle after $what"
	g=$(($(commits GTM) - g0)) m=$(($(commits MEX) - m0))
	assert_eq "$g $m" "$want_g $want_m" "commits on GTM and MEX for $what"
	pass "$what: GTM committed $g times, MEX $m"
}

count_commits "a no-hit stolen query" 1 1 \
	ctl GTM query stolen --case C-1 --make Glock --serial NOPE-1 --peer MEX
count_commits "a stolen query that hits" 1 1 \
	ctl GTM query stolen --case C-1 --make Taurus --serial cm9 --peer MEX
count_commits "a 100-item stolen query" 1 1 \
	ctl GTM query stolen --case C-1 --peer MEX $(for i in $(seq 100); do printf -- '--make Glock --serial B-%d ' "$i"; done)

# has_status ID STATUS: GTM's trace list says so (a list shows no result,
# so it is not an audited view).
has_status()
{
	"$PYTHON" -S -c 'import json, sys
t = [x for x in json.load(sys.stdin)["traces"] if x["id"] == sys.argv[1]]
sys.exit(not t or t[0]["status"] != sys.argv[2])' "$1" "$2" <<<"$(ctl_json GTM trace list)"
}

views()
{
	"$PYTHON" -S -c 'import json, sys
print(sum(e["type"] == "trace.view" for e in json.load(sys.stdin)["entries"]))' \
		<<<"$(ctl_json GTM audit --limit 1000)"
}

trace_and_wait()
{
	local out
	out=$(ctl_json GTM trace request --to MEX --make Glock --serial CM-1 --model G17 \
		--caliber 9mm --type pistol --case T-1 --agency PNC --crime homicide \
		--grounds "recovered at the scene" --recovered-on 2025-01-02 --recovered-at Zona1) ||
		fail "trace request failed: $out"
	wait_until 20 has_status "$(json_get "$out" id)" answered || fail "trace never answered"
}
# MEX's second commit retires its acknowledged messages, after it answered
# (on its own within a second, or with the next commit).
count_commits "an automatic trace" 2 2 trace_and_wait

# `trace request --wait`: one console request, answered with the result;
# the view is audited in the result's commit, so still 2 on GTM.
trace_asked_waiting()
{
	ctl_json GTM trace request --to MEX --make Glock --serial CM-1 --model G17 \
		--case T-3 --crime homicide --recovered-on 2025-01-02 --wait 20 >"$T/asked.json" ||
		fail "trace request --wait failed: $(cat "$T/asked.json")"
	assert_json "$(cat "$T/asked.json")" status=answered result.status=completed
}
v0=$(views)
count_commits "an automatic trace asked with --wait" 2 2 trace_asked_waiting
assert_eq "$(($(views) - v0))" 1 "views audited for one trace request --wait"

# ---- trace wait: the result and the audited view in one commit ----

assert_ok ctl MEX peer policy GTM --traces review
out=$(ctl_json GTM trace request --to MEX --make Glock --serial CM-1 --model G17 \
	--caliber 9mm --type pistol --case T-2 --agency PNC --crime homicide \
	--grounds "recovered at the scene" --recovered-on 2025-01-02 --recovered-at Zona1) ||
	fail "trace request failed: $out"
id=$(json_get "$out" id)
wait_until 10 has_status "$id" in_review || fail "trace $id never in review"
assert_fails ctl GTM trace wait "$id" --timeout 1
assert_contains "$LAST_ERR" "trace $id has no result after 1 s" "trace wait's timeout"
assert_fails ctl GTM trace wait 999
assert_contains "$LAST_ERR" "trace 999 does not exist" "trace wait on no trace"
assert_fails ctl GTM trace request --to MEX --make Glock --serial CM-1 --case T-4 \
	--crime homicide --recovered-on 2025-01-02 --wait 1
assert_contains "$LAST_ERR" "has no result after 1 s: wait again (trace wait" \
	"trace request --wait's timeout"
v0=$(views)
ctl_json GTM trace wait "$id" --timeout 20 >"$T/waited.json" 2>"$T/waited.err" &
waiter=$!
wait_until 10 settled GTM || fail "GTM never idle"
g0=$(commits GTM)
in=$(json_get "$(ctl_json MEX inbox)" traces.0.id)
assert_ok ctl MEX approve "$in"
wait "$waiter" || fail "trace wait failed: $(cat "$T/waited.err")"
assert_json "$(cat "$T/waited.json")" status=answered result.status=completed
assert_eq "$(($(commits GTM) - g0))" 1 "GTM's commits from the result to the operator"
assert_eq "$(($(views) - v0))" 1 "views audited for one trace wait"
pass "trace wait: the result shown with the commit that stored it and the audited view"
