#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Node key rotation between three real nodes: GTM announces a new key;
# MEX and USA check the notice, pin the key as GTM's next one and ack;
# GTM switches once both acked, its links come back under the new key,
# which MEX and USA take into use at the first link. Then a rotation with
# MEX down: the notice waits in GTM's outbox, GTM keeps its old key until
# MEX is back and acked, and the rotation is resumed across a restart of
# GTM. Last, --finish with a peer that never got the notice.
. "$(dirname "$0")/lib.sh"

names=(GTM MEX USA)
for n in "${names[@]}"; do node_init "$n"; node_start "$n"; done
fixed_ports "${names[@]}"   # a restarted node is where its card says
mesh_pin "${names[@]}"
pass "three nodes meshed"

fp_of() { json_get "$(ctl_json "$1" status)" fingerprint; }
# peer_field NODE PEER FIELD: FIELD of PEER in NODE's peer list.
peer_field()
{
	"$PYTHON" -S -c '
import json, sys
for p in json.loads(sys.argv[1]).get("peers", []):
    if p["name"] == sys.argv[2]:
        print(p.get(sys.argv[3], ""))
' "$(ctl_json "$1" peer list)" "$2" "$3"
}
next_is() { [ "$(peer_field "$1" "$2" next_fingerprint)" = "$3" ]; }
fp_is() { [ "$(peer_field "$1" "$2" fingerprint)" = "$3" ]; }
audited() { ctl_json "$1" audit | grep -q "$2"; }

assert_ok ctl MEX stolen report --make Glock --serial ROT123 --date 2024-02-02 --case MX-1
assert_ok ctl MEX record add --make Glock --serial TR555 --model G19
assert_ok ctl MEX record event 1 --kind sold --date 2021-08-02 --party "Armeria" --place "CDMX"
assert_ok ctl MEX peer policy GTM --traces auto

# ---- an announced rotation, acknowledged by every peer ----

old=$(fp_of GTM)
oldcard=$(ctl GTM card)
assert_ok ctl_json GTM key rotate
new=$(json_get "$LAST_OUT" fingerprint)
assert_eq "$(json_get "$LAST_OUT" state)" announced
assert_eq "$(json_get "$LAST_OUT" peers)" 2
[ "$new" != "$old" ] || fail "the new key is the old one"

# Both peers acknowledge; GTM finishes by itself and the links come back.
wait_until 20 fp_is MEX GTM "$new" || fail "MEX does not use GTM's new key: $(ctl MEX peer list)"
wait_until 20 fp_is USA GTM "$new" || fail "USA does not use GTM's new key"
wait_until 20 eval '[ "$(fp_of GTM)" = "$new" ]' || fail "GTM did not switch to its new key"
assert_eq "$(ctl GTM card | awk '{print $3}')" "$(cat "$(node_dir GTM)/node.pub")" "card key"
[ "$(ctl GTM card)" != "$oldcard" ] || fail "GTM's card did not change"
[ -e "$(node_dir GTM)/node.key.old" ] || fail "no node.key.old"
[ ! -e "$(node_dir GTM)/node.key.next" ] || fail "node.key.next left behind"
assert_eq "$(stat -c %a "$(node_dir GTM)/node.key")" 600 "node.key mode"
for n in "${names[@]}"; do
	wait_until 20 node_linked "$n" 2 || fail "$n did not link again to its 2 peers"
done
grep -q "announced a new key $new" "$(node_log MEX)" || fail "MEX did not alert its operator"
audited MEX key_rotation || fail "MEX did not audit the notice"
audited MEX key.promote || fail "MEX did not audit the promotion"
audited GTM "finished: the node key is now $new" || fail "GTM did not audit the switch"
pass "GTM rotates: MEX and USA pin the next key, GTM switches when both acked, links come back"

out=$(ctl_json GTM query stolen --make Glock --serial ROT123 --peer MEX --case PNC-9)
assert_eq "$(json_get "$out" hits)" 1 "hits after the rotation"
out=$(ctl_json GTM trace request --to MEX --make Glock --model G19 --serial TR555 \
	--recovered-on 2024-03-09 --recovered-at "Guatemala" --crime 0900 --case GT-1)
id=$(json_get "$out" id)
assert_ok ctl GTM trace wait "$id" --timeout 20
assert_eq "$(json_get "$(ctl_json GTM trace show "$id")" status)" answered "trace status"
# The signed answer checks against MEX's card, the request against GTM's new one.
assert_ok ctl_json MEX peer ping GTM
pass "a stolen query and a trace between GTM and MEX work under the new key"

# ---- MEX down during the rotation: GTM waits for it ----

node_stop MEX
wait_until 20 node_linked GTM 1 || fail "GTM still sees MEX"
old=$(fp_of GTM)
assert_ok ctl_json GTM key rotate
new=$(json_get "$LAST_OUT" fingerprint)
wait_until 20 next_is USA GTM "$new" || fail "USA did not pin GTM's next key"
sleep 1
assert_eq "$(fp_of GTM)" "$old" "GTM's key while MEX has not acked"
# A restart in the middle resumes the rotation.
node_stop GTM
node_start GTM
assert_fails ctl GTM key rotate
assert_contains "$LAST_ERR" "already announced"
wait_until 20 node_linked GTM 1 || fail "GTM did not link to USA again"
node_start MEX
wait_until 30 eval '[ "$(fp_of GTM)" = "$new" ]' || fail "GTM did not switch once MEX acked"
wait_until 20 fp_is MEX GTM "$new" || fail "MEX does not use GTM's new key"
wait_until 20 fp_is USA GTM "$new" || fail "USA does not use GTM's new key"
for n in "${names[@]}"; do
	wait_until 20 node_linked "$n" 2 || fail "$n did not link again to its 2 peers"
done
pass "a peer down during the rotation gets the notice from the outbox; GTM resumes after a restart"

# ---- --finish with a peer that never got the notice ----

node_stop USA
wait_until 20 node_linked GTM 1 || fail "GTM still sees USA"
assert_ok ctl_json GTM key rotate
new=$(json_get "$LAST_OUT" fingerprint)
wait_until 20 next_is MEX GTM "$new" || fail "MEX did not pin GTM's next key"
assert_ok ctl_json GTM key rotate --finish
assert_eq "$(json_get "$LAST_OUT" state)" finished
assert_eq "$(json_get "$LAST_OUT" pending)" USA "peers that had not acked"
assert_eq "$(fp_of GTM)" "$new"
wait_until 20 fp_is MEX GTM "$new" || fail "MEX does not use GTM's new key"
node_start USA
sleep 2
assert_eq "$(json_get "$(ctl_json USA status)" linked)" 1 "USA links only to MEX"
# A trace request to GTM waits in USA's outbox: removing GTM says so.
assert_ok ctl USA trace request --to GTM --make Glock --serial TR9 --recovered-on 2024-03-09 \
	--recovered-at "El Paso" --crime 0900 --case US-1
assert_fails ctl USA peer remove GTM
assert_contains "$LAST_ERR" "1 messages in our outbox not yet acknowledged, 1 of our traces"
assert_contains "$LAST_ERR" "--force"
# USA re-pins GTM out of band.
assert_ok ctl USA peer remove GTM --force
audited USA "unpinned; GTM has 1 messages" || fail "the forced removal is not audited"
ctl GTM card >"$T/GTM.card"
assert_ok ctl USA peer add "$T/GTM.card"
wait_until 20 node_linked USA 2 || fail "USA did not link to GTM after the re-pin"
wait_until 20 eval '[ -n "$(ctl_json GTM inbox | grep TR9)" ]' ||
	fail "the queued trace request did not reach GTM after the re-pin"
pass "--finish names the peer that had not acked; peer remove names what is in flight; a re-pin links again"

for n in "${names[@]}"; do assert_ok ctl "$n" --json audit --verify; done
pass "audit chains intact"
