#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Retention of trace results: the requesting node is restarted with its
# clock moved past keep_days (libfaketime shifts CLOCK_REALTIME only; the
# monotonic clock that drives libuv's timers stays real). The answered
# result loses its content and receipt, the purge is audited and logged,
# a trace still waiting for review is left alone, and the purge survives a
# restart on the real clock.
. "$(dirname "$0")/lib.sh"

FAKETIME_LIB=/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1
[ -r "$FAKETIME_LIB" ] || fail "libfaketime is missing: run scripts/install-deps.sh"

mesh GTM MEX
pass "two nodes linked"

REQ=(--model G17 --recovered-on 2024-06-20 --recovered-at "Ciudad de Guatemala" --crime 1201)
assert_ok ctl MEX record add --make Glock --serial RT-1 --model G17 --country AUT
assert_ok ctl MEX record event 1 --kind sold --date 2020-03-15 --party "Armeria Central" --place Monterrey
assert_ok ctl MEX peer policy GTM --traces auto
assert_ok ctl_json GTM trace request --to MEX --make Glock --serial RT-1 "${REQ[@]}" --case GT-1
answered=$(json_get "$LAST_OUT" id)
assert_ok ctl GTM trace wait "$answered" --timeout 20
assert_ok ctl_json GTM trace show "$answered"
assert_json "$LAST_OUT" status=answered result.status=completed
keep_days=$(json_get "$LAST_OUT" result.keep_days)
[ "$keep_days" -gt 0 ] || fail "the result has no keep_days"
assert_ok ctl GTM trace show "$answered" --receipt "$T/before.receipt"

# A second request that MEX holds for review: GTM's copy is not answered.
assert_ok ctl MEX peer policy GTM --traces review
assert_ok ctl_json GTM trace request --to MEX --make Glock --serial RT-1 "${REQ[@]}" --case GT-2
waiting=$(json_get "$LAST_OUT" id)
in_review() { [ "$(json_get "$(ctl_json GTM trace show "$waiting")" status)" = in_review ]; }
wait_until 20 in_review || fail "trace $waiting never reached in_review"
pass "one answered result (keep_days $keep_days) and one trace in review"

# ---- the same node, keep_days + 1 later ----

node_stop MEX   # no link while the clocks disagree
node_stop GTM
LD_PRELOAD=$FAKETIME_LIB FAKETIME="+$((keep_days + 1))d" FAKETIME_DONT_FAKE_MONOTONIC=1 \
	ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0" node_start GTM
purged() { [ "$(json_get "$(ctl_json GTM trace show "$answered")" status)" = purged ]; }
wait_until 20 purged || fail "trace $answered not purged after $((keep_days + 1)) days"
assert_ok ctl_json GTM trace show "$answered"
assert_json "$LAST_OUT" status=purged req.case_ref=GT-1 result.chain#=0 receipt=
assert_not_contains "$LAST_OUT" "Armeria Central" "purged trace"
assert_fails ctl GTM trace show "$answered" --receipt "$T/after.receipt"
[ ! -e "$T/after.receipt" ] || fail "a purged trace still wrote a receipt"
assert_ok ctl_json GTM trace show "$waiting"
assert_json "$LAST_OUT" status=in_review
# Its review deadline (14 days) is long past: overdue in status and list.
assert_json "$(ctl_json GTM status)" overdue=1
assert_contains "$(ctl GTM trace list)" "OVERDUE (no answer; deadline" "trace list marks it"
assert_contains "$(cat "$(node_log GTM)")" "purged 1 trace result(s) past their retention"
assert_ok ctl_json GTM audit
assert_contains "$LAST_OUT" '"type": "trace.purge"'
assert_contains "$LAST_OUT" "after $keep_days days"
pass "past keep_days the result and its receipt are gone, the purge audited"

# ---- back on the real clock ----

node_stop GTM
node_start GTM
assert_ok ctl_json GTM trace show "$answered"
assert_json "$LAST_OUT" status=purged
assert_ok ctl GTM --json audit --verify
node_stop GTM
pass "the purge is durable and the audit chain intact"
