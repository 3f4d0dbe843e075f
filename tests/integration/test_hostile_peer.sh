#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# A hostile peer (tests/tools/tn_peer, with a real pinned identity) against
# a node that also links with a well-behaved neighbour. After each scenario:
# the expected drop counter went up, the node still runs, the neighbour
# still answers `peer ping`, and the node's records are untouched.
. "$(dirname "$0")/lib.sh"

TN_PEER=$TN_BIN/tests/tools/tn_peer
[ -x "$TN_PEER" ] || fail "no $TN_PEER (run make units)"

# NODE's drops.REASON (absent when 0).
drop_count()
{
	local out
	out=$(ctl_json "$1" status) || { echo -1; return; }
	"$PYTHON" -S -c 'import json, sys; print(json.load(sys.stdin).get("drops", {}).get(sys.argv[1], 0))' \
		"$2" <<<"$out"
}

drops_above()
{
	[ "$(drop_count GTM "$1")" -gt "$2" ]
}

# A card for an identity that never runs: start it once to learn the port
# it picks, then stop it. Nothing listens there afterwards.
tool_card()
{
	node_start "$1"
	ctl "$1" card || fail "card of $1 failed"
	node_stop "$1"
}

is_up()
{
	ctl "$1" peer list 2>/dev/null | grep -q "^$2 *up "
}

node_init GTM   # the node under attack
node_init MEX   # its well-behaved neighbour
node_init TLP   # the hostile peer's identity, pinned by GTM
node_init SIL   # a second pinned identity, for the slow scenarios
node_init EVE   # an identity GTM does not pin
node_init OTH   # a key that signs what TLP sends in bad-sig
tlp_card=$(tool_card TLP)
sil_card=$(tool_card SIL)
node_start GTM
node_start MEX
assert_ok ctl GTM peer add "$(ctl MEX card)"
assert_ok ctl MEX peer add "$(ctl GTM card)"
assert_ok ctl GTM peer add "$tlp_card"
assert_ok ctl GTM peer add "$sil_card"
wait_until 10 is_up GTM MEX || fail "GTM-MEX link not up: $(ctl GTM peer list)"
assert_ok ctl GTM record add --make Glock --serial GH-100 --model 17
assert_ok ctl GTM record add --make Beretta --serial BR-200
records=$(node_records GTM)
gtm_card=$(ctl GTM card)
addr=$(json_get "$(ctl_json GTM status)" listen)

# Empty when GTM is still fine, else why not.
still_fine()
{
	tn_alive "$(node_pid GTM)" || { echo "the daemon died"; return; }
	timeout 10 "$TRACECTL" -d "$T/MEX" peer ping GTM >/dev/null 2>&1 ||
		{ echo "MEX's ping to GTM fails"; return; }
	timeout 10 "$TRACECTL" -d "$T/GTM" peer ping MEX >/dev/null 2>&1 ||
		{ echo "GTM's ping to MEX fails"; return; }
	[ "$(node_records GTM)" = "$records" ] || echo "record count changed"
}

failed=()

# check NAME COUNTER BEFORE: the case's verdict, from the tool's exit
# status and output (LAST_*) and the node's state.
check()
{
	local name=$1 counter=$2 before=$3 why=""
	[ "$LAST_RC" -eq 0 ] || why="tn_peer exit $LAST_RC: $LAST_OUT $LAST_ERR"
	if [ "$counter" != - ] && ! wait_until 5 drops_above "$counter" "$before"; then
		why="${why:+$why; }drops.$counter stayed at $before"
	fi
	why="${why:+$why; }$(still_fine)"
	why=${why%; }
	if [ -n "$why" ]; then
		failed+=("$name")
		printf 'FAIL %s: %s\n' "$name" "$why" >&2
	elif [ "$counter" = - ]; then
		pass "$name: ${LAST_OUT:-no output}"
	else
		pass "$name: $LAST_OUT [drops.$counter $before -> $(drop_count GTM "$counter")]"
	fi
	revive
}

# A node that died is restarted (after saying how it died), so that the
# remaining cases still say something; the test fails at the end.
revive()
{
	local pid rc=0
	pid=$(node_pid GTM)
	! tn_alive "$pid" || return 0
	wait "$pid" 2>/dev/null || rc=$?
	printf 'FAIL GTM died (exit status %s%s); restarting it\n' "$rc" \
		"$([ "$rc" -gt 128 ] && echo ", signal $(kill -l $((rc - 128)))")" >&2
	failed+=("GTM-died")
	unset "TN_PID[GTM]"
	node_start GTM
	wait_until 10 is_up GTM MEX || true
}

# hostile IDENTITY SCENARIO COUNTER [ARGS...]: run one scenario, check it.
hostile()
{
	local id=$1 sc=$2 counter=$3 before=0
	shift 3
	[ "$counter" = - ] || before=$(drop_count GTM "$counter")
	tn_run timeout 150 "$TN_PEER" "$T/$id" "$addr" "$sc" --pin-card "$gtm_card" \
		--other MEX --other-id "$T/OTH" "$@"
	check "$sc" "$counter" "$before"
}

# Well-behaved first: the tool itself must work.
hostile TLP hello-ping -
hostile TLP env-ping -
hostile TLP env-ping-signed -
# Envelopes the receiver must refuse, the link staying up.
hostile TLP replay replay
# The replay window lives in memory: after a restart the node refuses what
# was sealed before it started (its start read on the sender's clock).
hostile TLP env-save - "$T/saved.env"
node_stop GTM
node_start GTM
addr=$(json_get "$(ctl_json GTM status)" listen)
gtm_card=$(ctl GTM card)
wait_until 10 is_up GTM MEX || fail "GTM-MEX link not up after the restart"
hostile TLP env-resend replay "$T/saved.env"
# A trace result that does not answer our request (another request_digest)
# is acknowledged and kept as rejected, so its sender stops resending it.
out=$(ctl_json GTM trace request --to TLP --make Glock --serial GH-100 --recovered-on 2025-01-02 \
	--recovered-at Mixco --crime homicide --case PNC-9) || fail "trace request to TLP failed"
tid=$(json_get "$out" id)
hostile TLP bad-digest -
hostile TLP reused-ref -
out=$(ctl_json GTM trace show "$tid")
assert_json "$out" status=rejected result.status=completed
assert_ok ctl GTM trace show "$tid" --receipt "$T/rejected.receipt"
assert_contains "$(ctl GTM audit)" "rejected"
pass "a trace result with a wrong request_digest is acknowledged, kept as rejected and audited"

# three_asked SCENARIO NAME: tn_peer plays SCENARIO while GTM, stopped,
# takes three queries to it (serials NAME-1..3, case NAME) from the
# console, so that it reads them in one pass; their statuses, counted, in
# $statuses, tn_peer's line in $T/NAME.out.
three_asked()
{
	local sc=$1 name=$2 tp i asking=()
	timeout 60 "$TN_PEER" "$T/TLP" "$addr" "$sc" --pin-card "$gtm_card" --other MEX \
		--other-id "$T/OTH" >"$T/$name.out" 2>&1 &
	tp=$!
	wait_until 10 is_up GTM TLP || fail "tn_peer did not link"
	kill -STOP "$(node_pid GTM)"
	for i in 1 2 3; do
		TRACENET_OFFICER=o1 ctl_json GTM query stolen --make Glock --serial "$name-$i" \
			--peer TLP --case "$name" --timeout-ms 5000 >"$T/$name.$i" 2>&1 &
		asking+=($!)
	done
	sleep 1
	kill -CONT "$(node_pid GTM)"
	wait "${asking[@]}"
	wait "$tp" || fail "$sc: $(cat "$T/$name.out")"
	statuses=$(for i in 1 2 3; do json_get "$(cat "$T/$name.$i")" peers.0.status; done |
		sort | uniq -c | awk '{printf "%s=%s ", $2, $1}')
}

# An answer to a stolen query one result short, for three queries read in
# one pass (tn_peer takes them one by one): the query whose item it left
# out is an error, never a no-hit; the same answer again is unsolicited.
before=$(drop_count GTM unsolicited)
three_asked short-answer SH
[[ $statuses == *"error=1 "* ]] || fail "short answer: statuses $statuses, want one error"
[[ $statuses != *"answered"* ]] || [[ $statuses == *"answered="[12]" "* ]] ||
	fail "short answer: statuses $statuses"
wait_until 5 drops_above unsolicited "$before" || fail "the second answer was not dropped"
assert_contains "$(cat "$(node_log GTM)")" "is shown as an error"
pass "short-answer: $(cat "$T/SH.out"); queries $statuses"

# A peer that takes stolen_queries (PROTOCOL.md 10.3.2): three queries of
# one pass reach it in one envelope. It answers a hit among the others,
# unsigned (the query is an error), and a qid nobody asked (unsolicited);
# then asks a hit and a miss (the hit alone and signed, the miss in a
# stolen_results), then 1200 items at once (malformed, no answer).
assert_ok ctl GTM stolen report --make Glock --serial HOSTILE-HIT --date 2025-01-01 --case H-1
unsolicited=$(drop_count GTM unsolicited)
malformed=$(drop_count GTM malformed)
three_asked asks AS
[ "$statuses" = "answered=2 error=1 " ] || fail "asks: statuses $statuses, want one error"
assert_contains "$(cat "$(node_log GTM)")" "a hit must come in its own signed stolen_result"
wait_until 5 drops_above unsolicited "$unsolicited" || fail "the answer nobody asked was kept"
wait_until 5 drops_above malformed "$malformed" || fail "1200 items were not dropped"
pass "asks: $(cat "$T/AS.out"); queries $statuses[drops.unsolicited $unsolicited ->" \
	"$(drop_count GTM unsolicited), drops.malformed $malformed -> $(drop_count GTM malformed)]"
hostile TLP stale stale
hostile TLP future stale
hostile TLP forged-from forged_from
hostile TLP not-for-me not_for_me
hostile TLP bad-box bad_box
hostile TLP unknown-type unknown_type
hostile TLP unsolicited unsolicited
hostile TLP bad-sig bad_sig
hostile TLP garbage-frame malformed
# Frames and HELLOs that must close the link.
hostile TLP garbage malformed
hostile TLP oversize too_big
hostile TLP wrong-hello-name handshake
hostile TLP bad-version unsupported
hostile TLP bad-suites unsupported
hostile TLP frame-before-hello handshake
hostile EVE unpinned unknown_peer
# Peers that vanish without a goodbye while the node writes to them.
hostile TLP rst-handshake -
hostile TLP rst-flood -
hostile TLP rst-stalled -

# A flood of pings: the node throttles the link (drops.rate_limited) and
# its console keeps answering meanwhile.
before=$(drop_count GTM rate_limited)
"$TN_PEER" "$T/TLP" "$addr" flood 20000 --pin-card "$gtm_card" >"$T/flood.out" 2>&1 &
flood=$!
slow=0 polls=0
while tn_alive "$flood"; do
	timeout 5 "$TRACECTL" -d "$T/GTM" status >/dev/null 2>&1 || slow=$((slow + 1))
	polls=$((polls + 1))
	sleep 0.1
done
LAST_RC=0
wait "$flood" || LAST_RC=$?
LAST_OUT="$(cat "$T/flood.out"); status answered $((polls - slow)) of $polls times"
[ "$slow" -eq 0 ] || LAST_RC=1
check flood rate_limited "$before"

# The slow ones, together: each must end by the node's own deadlines
# (handshake 10 s, silence 30 s), with no counter needed for the silence.
before=$(drop_count GTM handshake)
"$TN_PEER" "$T/SIL" "$addr" no-hello --pin-card "$gtm_card" >"$T/no-hello.out" 2>&1 &
p1=$!
"$TN_PEER" "$T/EVE" "$addr" slowloris >"$T/slowloris.out" 2>&1 &
p2=$!
"$TN_PEER" "$T/SIL" "$addr" truncated-then-silence --pin-card "$gtm_card" --timeout 50 \
	>"$T/truncated.out" 2>&1 &
p3=$!
for p in "$p1:no-hello" "$p2:slowloris" "$p3:truncated"; do
	LAST_RC=0
	wait "${p%%:*}" || LAST_RC=$?
	LAST_OUT=$(cat "$T/${p#*:}.out")
	case ${p#*:} in
	truncated) check truncated-then-silence - 0 ;;
	*) check "${p#*:}" - 0 ;;
	esac
done
LAST_RC=0 LAST_OUT="no-hello and slowloris"
wait_until 5 eval '[ "$(drop_count GTM handshake)" -ge $((before + 2)) ]' ||
	LAST_RC=1 LAST_OUT="drops.handshake went from $before to $(drop_count GTM handshake), want +2"
check "handshake deadline counted twice" - 0

node_stop GTM
node_stop MEX
pass "GTM and MEX stop cleanly"
[ ${#failed[@]} -eq 0 ] || fail "${#failed[@]} scenario(s) failed: ${failed[*]}"
