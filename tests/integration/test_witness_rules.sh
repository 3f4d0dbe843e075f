#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# A node as the witness of a peer's audit log (tests/tools/tn_peer, with a
# real pinned identity, keeps a small log of its own): checkpoints that
# extend the one held are cosigned; a fork, a rewritten log's proof and a
# checkpoint behind are refused, raised as alerts and audited; a repeat is
# acknowledged without a second answer. Then the node asks that peer, as
# its own witness, what it holds: nothing, a forgery, or no answer.
. "$(dirname "$0")/lib.sh"

TN_PEER=$TN_BIN/tests/tools/tn_peer
[ -x "$TN_PEER" ] || fail "no $TN_PEER (run make units)"

is_up()
{
	ctl "$1" peer list 2>/dev/null | grep -q "^$2 *up "
}

node_init GTM   # the witness under test
node_init TLP   # the test peer's identity
node_start TLP
tlp_card=$(ctl TLP card)
node_stop TLP
node_start GTM
assert_ok ctl GTM peer add "$tlp_card"
gtm_card=$(ctl GTM card)
addr=$(json_get "$(ctl_json GTM status)" listen)

tn_run timeout 60 "$TN_PEER" "$T/TLP" "$addr" witness --pin-card "$gtm_card"
[ "$LAST_RC" -eq 0 ] || fail "witness scenario: $LAST_OUT $LAST_ERR"
pass "$LAST_OUT"

alerts=$(ctl GTM alerts)
assert_contains "$alerts" "TLP's audit log: checkpoint 5 differs from the one we witnessed"
assert_contains "$alerts" "TLP's audit log: checkpoint 3 is behind the 5 we witnessed"
assert_contains "$alerts" "TLP's audit log: checkpoint 7 does not extend the 5 we witnessed"
assert_eq "$(grep -c "TLP's audit log" <<<"$alerts")" 3 "one alert per contradiction"
out=$(ctl_json GTM alerts)
assert_json "$out" alerts.0.kind=checkpoint alerts.0.peer=TLP alerts.0.stolen_id=0
pass "a fork, a checkpoint behind and a rewritten log's proof are alerts; an unproven one is not"

out=$(ctl_json GTM audit --peer TLP)
outcomes=$("$PYTHON" -S -c 'import json, sys
print(" ".join(e["outcome"] for e in json.load(sys.stdin)["entries"]
	       if e["type"] == "checkpoint" and e["dir"] == "in"))' <<<"$out")
assert_eq "$outcomes" "witnessed witnessed witnessed refused behind refused refused witnessed" \
	"one audit entry per checkpoint judged, none for the repeat"
assert_ok ctl GTM audit --verify
pass "every checkpoint judged is audited, the repeat is not"

# GTM asks TLP, as its witness, what it holds of GTM's log.
# witness_answer MODE: the scenario runs while GTM's audit --verify asks.
witness_answer()
{
	"$TN_PEER" "$T/TLP" "$addr" witness-answer "$1" --pin-card "$gtm_card" \
		--other-id "$T/GTM" >"$T/answer.out" 2>&1 &
	peer=$!
	wait_until 10 is_up GTM TLP || fail "TLP not linked for $1"
	tn_run ctl GTM audit --verify --witness TLP
	wait "$peer" || fail "witness-answer $1: $(cat "$T/answer.out")"
	wait_until 10 sh -c "! \"$TRACECTL\" -d \"$T/GTM\" peer list | grep -q '^TLP *up '" ||
		fail "TLP's link stays up after $1"
}

witness_answer none
[ "$LAST_RC" -eq 0 ] || fail "verify with a witness that holds nothing: $LAST_ERR"
assert_contains "$LAST_OUT" "TLP holds no checkpoint of this log"
witness_answer forged
[ "$LAST_RC" -eq 0 ] || fail "verify with a forged answer: $LAST_ERR"
assert_contains "$LAST_OUT" "TLP: bad_signature"
witness_answer silent
[ "$LAST_RC" -eq 0 ] || fail "verify with a silent witness: $LAST_ERR"
assert_contains "$LAST_OUT" "TLP: unreachable (no answer within 5 s)"
assert_ok ctl GTM audit --verify --local
assert_eq "$LAST_OUT" "audit chain intact: $(json_get "$(ctl_json GTM audit --verify --local)" entries) entries"
pass "a witness that holds nothing, forges or stays silent is reported and fails nothing"

# Checkpoints GTM signed (the test peer borrows its key) that its log does
# not contain: a witness that holds one fails the verification.
witness_answer rewritten
[ "$LAST_RC" -ne 0 ] || fail "verify passed against a rewritten checkpoint"
assert_contains "$LAST_OUT" "TLP holds checkpoint 1 ("
assert_contains "$LAST_OUT" "): NOT in the local log (rewritten)"
assert_eq "$LAST_ERR" "tracectl: audit chain broken at entry 1: witness TLP: entries 1 to 1 \
of the local log are not those it witnessed"
witness_answer behind
[ "$LAST_RC" -ne 0 ] || fail "verify passed against a checkpoint beyond the log"
assert_contains "$LAST_OUT" "TLP holds checkpoint 1000000 ("
assert_contains "$LAST_OUT" "): beyond the end of the local log (behind)"
assert_contains "$LAST_ERR" "witness TLP: it witnessed 1000000 entries; the local log ends at"
assert_ok ctl GTM audit --verify --local
pass "a witness holding a checkpoint the log does not contain, or reaches beyond, fails it"

# TLP, as GTM's witness, answers checkpoints of GTM's: each answer is
# acknowledged, a repeat is not audited twice, a cosignature of no
# checkpoint of GTM's is rejected.
tn_run timeout 60 "$TN_PEER" "$T/TLP" "$addr" cosignatures --pin-card "$gtm_card"
[ "$LAST_RC" -eq 0 ] || fail "cosignatures scenario: $LAST_OUT $LAST_ERR"
out=$(ctl_json GTM audit --peer TLP)
outcomes=$("$PYTHON" -S -c 'import json, sys
print(" ".join(e["ref"] + ":" + e["outcome"] for e in json.load(sys.stdin)["entries"]
	       if e["type"] == "cosignature" and e["dir"] == "in"))' <<<"$out")
assert_eq "$outcomes" "4:refused 123456:rejected" "the answers audited once each"
assert_contains "$(cat "$(node_log GTM)")" "witness TLP says our audit checkpoint 4 is refused"
pass "$LAST_OUT; a refusal of our checkpoint is audited and logged, a false cosignature rejected"

node_stop GTM
pass "the witness stops cleanly"
