#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The persistent outbox through real restarts: a trace request to a peer
# that is down waits queued and is answered once the peer is back; a
# requester killed (SIGKILL) right after `trace request` returned still
# delivers it; a result approved while the requester is down reaches it
# later; a peer restarted under a backlog receives every request once; a
# result sent again by an answering node killed before it saw the ack is
# taken once. Nothing is delivered, answered or audited twice, and the
# audit chains stay intact.
. "$(dirname "$0")/lib.sh"

names=(GTM USA)
for n in "${names[@]}"; do node_init "$n"; node_start "$n"; done
fixed_ports "${names[@]}"
for a in "${names[@]}"; do ctl "$a" card >"$T/$a.card"; done
assert_ok ctl GTM peer add "$T/USA.card"
assert_ok ctl USA peer add "$T/GTM.card"
linked() { [ "$(json_get "$(ctl_json "$1" status)" linked)" = "$2" ]; }
wait_linked()
{
	wait_until 20 linked GTM 1 || fail "GTM not linked to USA"
	wait_until 20 linked USA 1 || fail "USA not linked to GTM"
}
wait_linked
pass "two nodes linked"

# From here on every message is well formed: GTM may log no drop.
drop_lines() { grep -c "dropped" "$(node_log "$1")" || true; }
gtm_drops0=$(drop_lines GTM)

assert_ok ctl GTM record add --make Glock --serial AB123 --model G17
assert_ok ctl GTM record event 1 --kind sold --date 2021-08-02 --party "Armeria Zona 1" \
	--place "Guatemala City"
assert_ok ctl GTM peer policy USA --traces auto

REQ=(--to GTM --make Glock --serial AB123 --recovered-on 2023-06-20 --recovered-at "El Paso"
	--crime 1201)

# ---- helpers ----

trace_req()
{
	local out
	out=$(ctl_json USA trace request "${REQ[@]}" "$@") || fail "trace request $* failed"
	json_get "$out" id
}

tstatus()
{
	json_get "$(ctl_json USA trace show "$1")" status
}

in_review()
{
	[ "$(tstatus "$1")" = in_review ]
}

# wait_answered ID: USA has GTM's result of trace ID (completed).
wait_answered()
{
	assert_ok ctl USA trace wait "$1" --timeout 30
	assert_json "$(ctl_json USA trace show "$1")" status=answered result.status=completed
}

# Python over the JSON of GTM's `inbox --all`, USA's `trace list` and both
# audits: one line per problem, nothing when all is well.
#   check_once N: GTM holds exactly N incoming traces, one per USA trace
#   id, every one answered; every USA trace is answered; each side's
#   audit has one entry per request and one per result, no more.
check_once()
{
	local why
	why=$("$PYTHON" -S - "$1" "$(ctl_json GTM inbox --all)" "$(ctl_json USA trace list)" \
		"$(ctl_json GTM audit)" "$(ctl_json USA audit)" <<'PY' 2>&1
import collections, json, sys
n = int(sys.argv[1])
inbox, out, gaudit, uaudit = (json.loads(a) for a in sys.argv[2:6])
inbox, out = inbox.get("traces", []), out.get("traces", [])
refs = collections.Counter(str(int(t["req"]["ref"]) & 0xffffffff) for t in inbox)
if len(inbox) != n:
    print("GTM holds %d incoming traces, want %d" % (len(inbox), n))
for ref, k in refs.items():
    if k != 1:
        print("GTM holds USA's trace %s %d times" % (ref, k))
if sorted(refs) != sorted(t["id"] for t in out):
    print("GTM holds refs %s, USA sent %s" % (sorted(refs), sorted(t["id"] for t in out)))
for t in inbox:
    if t["status"] != "answered":
        print("GTM's incoming trace %s is %s" % (t["id"], t["status"]))
for t in out:
    if t["status"] != "answered":
        print("USA's trace %s is %s" % (t["id"], t["status"]))
def count(audit, d, ty):
    return collections.Counter(e.get("ref") for e in audit.get("entries", [])
                               if e.get("dir") == d and e.get("type") == ty)
cases = collections.Counter(t["req"]["case_ref"] for t in out)
for side, audit, d, ty in (("GTM", gaudit, "in", "trace_request"),
                           ("GTM", gaudit, "out", "trace_result"),
                           ("USA", uaudit, "out", "trace_request"),
                           ("USA", uaudit, "in", "trace_result")):
    got = count(audit, d, ty)
    if side == "GTM" and ty == "trace_result":
        # the answering side names the case in detail, not ref
        got = collections.Counter(e.get("detail") for e in audit.get("entries", [])
                                  if e.get("dir") == d and e.get("type") == ty)
    for case in sorted(set(got) | set(cases)):
        if got[case] != cases[case]:
            print("%s audit: %d %s %s entries for case %s, want %d"
                  % (side, got[case], d, ty, case, cases[case]))
PY
	) || why="check failed: $why"
	[ -z "$why" ] || fail "$why"
}

# A round trip over the link: frames sent before it have been handled.
settle()
{
	assert_ok ctl USA peer ping GTM
	assert_ok ctl GTM peer ping USA
}

# ---- the answering peer down ----

id=$(trace_req --case OB-1)
wait_answered "$id"
check_once 1
pass "a trace to a peer that is up is answered once"

node_stop GTM
wait_until 20 linked USA 0 || fail "USA still sees GTM linked"
id=$(trace_req --case OB-2)
assert_eq "$(tstatus "$id")" queued "status with the peer down"
sleep 1
assert_eq "$(tstatus "$id")" queued "status a second later, the peer still down"
assert_eq "$(json_get "$(ctl_json USA trace list)" traces.1.status)" queued "trace list"
node_start GTM
wait_answered "$id"
wait_linked
settle
check_once 2
pass "a request to a stopped peer stays queued, then is answered once it is back"

# Restart both once more: nothing still in an outbox may go out again.
node_stop GTM
node_stop USA
node_start USA
node_start GTM
wait_linked
settle
check_once 2
pass "restarting both sides delivers nothing twice"

# ---- the requester killed right after `trace request` returned ----

id=$(trace_req --case OB-3)
node_kill USA
node_start USA
wait_answered "$id"
wait_linked
settle
check_once 3
pass "a requester killed right after the request still gets it answered"

# The same with the peer down, so that only the outbox can carry it.
node_stop GTM
wait_until 20 linked USA 0 || fail "USA still sees GTM linked"
id=$(trace_req --case OB-4)
node_kill USA
node_start USA
assert_eq "$(tstatus "$id")" queued "status after the requester's restart"
node_start GTM
wait_answered "$id"
wait_linked
settle
check_once 4
pass "a request queued when the requester was killed survives in its outbox"

# ---- a result approved while the requester is down ----

assert_ok ctl GTM peer policy USA --traces review
id=$(trace_req --case OB-5)
wait_until 20 in_review "$id" || fail "trace $id never in_review"
in=$(json_get "$(ctl_json GTM inbox)" traces.0.id)
node_stop USA
wait_until 20 linked GTM 0 || fail "GTM still sees USA linked"
assert_ok ctl GTM approve "$in"
node_start USA
wait_answered "$id"
wait_linked
settle
check_once 5
assert_ok ctl GTM peer policy USA --traces auto
pass "a result approved while the requester is down reaches it when it is back"

# ---- a backlog ----

node_stop GTM
wait_until 20 linked USA 0 || fail "USA still sees GTM linked"
ids=()
for i in 1 2 3 4 5; do ids+=("$(trace_req --case "OB-BULK-$i")"); done
for id in "${ids[@]}"; do assert_eq "$(tstatus "$id")" queued "trace $id with the peer down"; done
node_start GTM
for id in "${ids[@]}"; do wait_answered "$id"; done
wait_linked
settle
check_once 10
pass "a peer restarted under a backlog of 5 requests receives each once"

# A backlog while the requester restarts too.
node_stop GTM
wait_until 20 linked USA 0 || fail "USA still sees GTM linked"
ids=()
for i in 1 2 3 4 5; do ids+=("$(trace_req --case "OB-BACKLOG-$i")"); done
node_stop USA
node_start USA
node_start GTM
for id in "${ids[@]}"; do wait_answered "$id"; done
wait_linked
settle
check_once 15
pass "a backlog survives the requester's restart and is delivered once"

# ---- the end ----

for n in "${names[@]}"; do
	node_alive "$n"
	assert_ok ctl "$n" --json audit --verify
	assert_json "$LAST_OUT" first_bad=0
done
assert_eq "$(drop_lines GTM)" "$gtm_drops0" "GTM's dropped lines since linking"
pass "audit chains intact, the answering node dropped nothing"

# ---- a result sent again ----
# GTM reviews this one. USA is frozen (SIGSTOP) once it has the
# acknowledgement, so it cannot acknowledge the result GTM sends on
# approval; GTM is then killed (SIGKILL) with the result still in its
# outbox, and sends it again once restarted: delivery is at least once, as
# designed. USA reads the first copy from the old connection when it
# thaws, then gets the second: it must take that as the duplicate it is
# (one trace_result audit entry). Without the freeze, a GTM killed within
# some 50 ms of answering does the same.
assert_ok ctl GTM peer policy USA --traces review
id=$(trace_req --case OB-AGAIN)
wait_until 20 in_review "$id" || fail "trace $id never in_review"
in=$(json_get "$(ctl_json GTM inbox)" traces.0.id)
kill -STOP "$(node_pid USA)"
tn_run ctl GTM approve "$in"
[ "$LAST_RC" -eq 0 ] || { kill -CONT "$(node_pid USA)"; fail "approve failed: $LAST_ERR"; }
node_kill GTM
node_start GTM
kill -CONT "$(node_pid USA)"
wait_answered "$id"
wait_linked
settle
settle
check_once 16
for n in "${names[@]}"; do
	assert_ok ctl "$n" --json audit --verify
	assert_json "$LAST_OUT" first_bad=0
done
pass "a result sent again by an answering node killed before it saw the ack is taken once"
