#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Secure peer links between real nodes on loopback: mutual pinning, pings
# both ways, a full mesh of three, refusal of unpinned keys, unpinning,
# reconnection after a crash, IPv6, and one link per pair when both sides
# dial at once.
. "$(dirname "$0")/lib.sh"

# The state of PEER in NODE's peer list ("up", "connecting", "down"), or
# "none" when NODE does not pin PEER.
peer_state()
{
	local out
	out=$(ctl_json "$1" peer list 2>/dev/null) || { echo "no-answer"; return; }
	"$PYTHON" -S -c '
import json, sys
peers = json.load(sys.stdin)["peers"]
print(next((p["state"] for p in peers if p["name"] == sys.argv[1]), "none"))
' "$2" <<<"$out"
}

is_up()
{
	[ "$(peer_state "$1" "$2")" = up ]
}

is_not_up()
{
	! is_up "$1" "$2"
}

status_of()
{
	local out
	out=$(ctl_json "$1" status) || fail "status of $1 failed"
	json_get "$out" "$2"
}

# NODE's drops.REASON (absent when 0).
drop_count()
{
	local out
	out=$(ctl_json "$1" status) || fail "status of $1 failed"
	"$PYTHON" -S -c 'import json, sys; print(json.load(sys.stdin).get("drops", {}).get(sys.argv[1], 0))' \
		"$2" <<<"$out"
}

# True once NODE's drops.REASON is above BEFORE.
drops_above()
{
	[ "$(drop_count "$1" "$2")" -gt "$3" ]
}

# pin A B: A pins B's card.
pin()
{
	local card
	card=$(ctl "$2" card) || fail "card of $2 failed"
	assert_ok ctl "$1" peer add "$card"
}

# wait_up A B [SECONDS]: A sees its link to B up.
wait_up()
{
	wait_until "${3:-10}" is_up "$1" "$2" ||
		fail "$1 never saw $2 up within ${3:-10}s: $(ctl "$1" peer list 2>&1)"
}

ping_ok()
{
	assert_ok ctl "$1" peer ping "$2"
	assert_contains "$LAST_OUT" "pong from $2" "ping $1 -> $2"
}

# ---- two nodes ----
node_init GTM
node_init MEX
node_start GTM
node_start MEX
pin GTM MEX
pin MEX GTM
wait_up GTM MEX
wait_up MEX GTM
assert_eq "$(status_of GTM linked)" 1 "GTM linked"
assert_eq "$(status_of MEX linked)" 1 "MEX linked"
pass "two nodes link up after mutual peer add"

ping_ok GTM MEX
ping_ok MEX GTM
pass "peer ping works both ways"

# ---- a mesh of three ----
node_init USA
node_start USA
pin GTM USA
pin USA GTM
pin MEX USA
pin USA MEX
for a in GTM MEX USA; do
	for b in GTM MEX USA; do
		[ "$a" = "$b" ] || wait_up "$a" "$b"
	done
	assert_eq "$(status_of "$a" linked)" 2 "$a linked"
done
ping_ok USA GTM
ping_ok MEX USA
pass "three nodes pinned to each other form three links"

# ---- a crashed peer comes back ----
node_kill MEX
wait_until 10 is_not_up GTM MEX || fail "GTM still sees MEX up after kill -9"
wait_until 10 is_not_up USA MEX || fail "USA still sees MEX up after kill -9"
assert_fails ctl GTM peer ping MEX
pass "a killed peer shows as $(peer_state GTM MEX)"
# MEX comes back on a new port (its card said :0); it dials the others.
node_start MEX
wait_up GTM MEX 20
wait_up MEX GTM 20
wait_up USA MEX 20
ping_ok GTM MEX
ping_ok MEX USA
assert_eq "$(status_of MEX linked)" 2 "MEX linked after its restart"
pass "the restarted peer is linked again"

# ---- an unpinned key is refused in the handshake ----
node_init CAN
node_start CAN
before=$(drop_count GTM unknown_peer)
pin CAN GTM # CAN dials GTM, which does not know CAN's key
wait_until 10 drops_above GTM unknown_peer "$before" ||
	fail "GTM did not count CAN's handshake as unknown_peer"
! wait_until 2 is_up CAN GTM || fail "CAN saw GTM up although GTM never pinned CAN"
assert_eq "$(peer_state GTM CAN)" none "CAN in GTM's peer list"
assert_eq "$(status_of GTM linked)" 2 "GTM linked"
assert_fails ctl CAN peer ping GTM
assert_contains "$(cat "$T/GTM.log")" "unknown_peer" "GTM's log"
pass "an unpinned key is refused at the TLS handshake (drops.unknown_peer $before -> $(drop_count GTM unknown_peer))"
node_stop CAN

# ---- peer remove ----
assert_ok ctl GTM peer remove USA
assert_eq "$(peer_state GTM USA)" none "USA in GTM's peer list after remove"
wait_until 10 is_not_up USA GTM || fail "USA still sees GTM up after GTM removed it"
# USA still pins GTM and keeps dialing: each attempt must be refused.
before=$(drop_count GTM unknown_peer)
wait_until 15 drops_above GTM unknown_peer "$before" ||
	fail "GTM did not refuse USA's redial"
! wait_until 1 is_up USA GTM || fail "USA got a link to GTM after being removed"
assert_eq "$(status_of GTM linked)" 1 "GTM linked after removing USA"
assert_eq "$(status_of USA linked)" 1 "USA linked (MEX only)"
ping_ok GTM MEX
ping_ok USA MEX
pass "peer remove closes the link and the removed peer is refused"

# ---- both sides dial at once: one link per pair ----
node_init BRA
node_init ARG
node_start BRA
node_start ARG
pin BRA ARG
pin ARG BRA
wait_up BRA ARG
wait_up ARG BRA
bra=$(status_of BRA listen)
arg=$(status_of ARG listen)
# ARG restarts on the port it picked (the one in BRA's pin). Meanwhile BRA
# is frozen: its redial timer falls due, and ARG's dial waits in BRA's
# accept queue, so on SIGCONT both dials run in the same loop pass.
node_stop ARG
sed -i "s/^listen = .*/listen = $arg/" "$T/ARG/tracenet.conf"
wait_until 10 is_not_up BRA ARG || fail "BRA still sees ARG up after it stopped"
mark=$(wc -l <"$T/BRA.log")
kill -STOP "$(node_pid BRA)"
node_start ARG
sleep 1
kill -CONT "$(node_pid BRA)"
wait_up BRA ARG
wait_up ARG BRA
# Established TCP connections to either listener (each is seen once, from
# the side that dialed).
links_between()
{
	ss -Htn state established "( dport = :${bra##*:} or dport = :${arg##*:} )" | wc -l
}
one_link()
{
	[ "$(links_between)" -eq 1 ] && [ "$(status_of BRA linked)" -eq 1 ] &&
		[ "$(status_of ARG linked)" -eq 1 ]
}
wait_until 10 one_link || fail "BRA-ARG: $(links_between) connections, want 1: $(ss -Htn state established)"
ups=$(tail -n +"$((mark + 1))" "$T/BRA.log" | grep -c "link to ARG up" || true)
sleep 2
one_link || fail "BRA-ARG: the single link did not last"
assert_eq "$(tail -n +"$((mark + 1))" "$T/BRA.log" | grep -c "link to ARG up" || true)" "$ups" \
	"BRA's link-up lines 2 s later (flapping?)"
ping_ok BRA ARG
ping_ok ARG BRA
pass "simultaneous dials leave exactly one link ($ups link-up lines on BRA, then stable)"

# ---- IPv6 loopback ----
if ! "$PYTHON" -S -c 'import socket; socket.socket(socket.AF_INET6).bind(("::1", 0))' 2>/dev/null; then
	echo "skip IPv6: ::1 is not available here"
else
	node_init COL --listen '[::1]:0'
	node_init PER --listen '[::1]:0'
	node_start COL
	node_start PER
	assert_contains "$(status_of COL listen)" "[::1]:" "COL listen"
	pin COL PER
	pin PER COL
	wait_up COL PER
	wait_up PER COL
	ping_ok COL PER
	ping_ok PER COL
	pass "two nodes link over [::1]"
fi

# Every node still exits cleanly (status 0, no handle left open).
for n in "${!TN_PID[@]}"; do
	node_stop "$n"
done
pass "every node stops cleanly"
