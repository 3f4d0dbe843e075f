#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Peer addresses by host name: [node] advertise puts a name (and, if given,
# a port) in the node's card; a peer dials that name through getaddrinfo
# ("localhost" only, answered from /etc/hosts: no query leaves the machine).
# Bad advertise values stop the node at start, and a card with a wildcard
# address is refused at peer add.
. "$(dirname "$0")/lib.sh"

# set_advertise NAME VALUE: add "advertise = VALUE" to NAME's [node] section.
set_advertise()
{
	sed -i "/^listen = /a advertise = $2" "$(node_dir "$1")/tracenet.conf" ||
		fail "cannot edit $1's configuration"
}

# ---- bad values are refused at start ----

node_init BAD
# The last: a host that fits with a short port but not with every port.
for v in "0.0.0.0" "[::]:7400" "bad_name" "[::1" "host:99999" "$(printf 'a%.0s' {1..58})"; do
	cp "$(node_dir BAD)/tracenet.conf" "$T/bad.conf"
	set_advertise BAD "$v"
	tn_run timeout 10 "$TRACENETD" run "$(node_dir BAD)"
	[ "$LAST_RC" -ne 0 ] || fail "tracenetd started with advertise = $v"
	assert_contains "$LAST_ERR$LAST_OUT" "tracenet.conf:5: unknown key or bad value" "advertise = $v"
	cp "$T/bad.conf" "$(node_dir BAD)/tracenet.conf"
done
pass "advertise values that no peer could dial stop the node at start"

# ---- cards with names ----

# MEX advertises a name and takes the port it listens on; GTM advertises a
# name with a port nobody listens on, so the link can only be GTM's dial.
node_init MEX
set_advertise MEX localhost
node_init GTM
set_advertise GTM localhost:1
node_start MEX
node_start GTM
port=$(json_get "$(ctl_json MEX status)" listen | sed 's/.*://')
assert_ok ctl_json MEX card
assert_json "$LAST_OUT" addr="localhost:$port"
mex_card=$(json_get "$LAST_OUT" card)
assert_ok ctl_json GTM card
assert_json "$LAST_OUT" addr=localhost:1
gtm_card=$(json_get "$LAST_OUT" card)
pass "cards carry the advertised name (MEX localhost:$port, GTM localhost:1)"

assert_ok ctl MEX peer add "$gtm_card"
assert_ok ctl GTM peer add "$mex_card"
wait_until 20 node_linked GTM 1 || fail "GTM did not link to MEX by name"
assert_contains "$(cat "$(node_log GTM)")" "GTM: link to MEX up (dialed)"
assert_contains "$(cat "$(node_log MEX)")" "cannot reach GTM at localhost:1: connection refused"
assert_ok ctl GTM peer ping MEX
pass "GTM dials MEX by name; MEX's dial to localhost:1 is refused and retried"

# The link survives MEX restarting: GTM looks the name up again.
node_stop MEX
wait_until 20 node_linked GTM 0 || fail "GTM still linked after MEX stopped"
sed -i "s/^listen = .*/listen = 127.0.0.1:$port/" "$(node_dir MEX)/tracenet.conf"
node_start MEX
wait_until 40 node_linked GTM 1 || fail "GTM did not dial MEX again by name"
pass "after MEX restarts, GTM resolves and dials it again"

# ---- a card with a wildcard address ----

# forge_card CARD ADDR: CARD with its address replaced and the check redone.
forge_card()
{
	"$PYTHON" -S -c '
import hashlib, sys
tag, name, key, _, _ = sys.argv[1].split(" ")
body = " ".join((name, key, sys.argv[2]))
print(tag, body, hashlib.blake2b(body.encode(), digest_size=32).hexdigest()[:8])' "$1" "$2"
}
node_init USA
node_start USA
usa_card=$(json_get "$(ctl_json USA card)" card)
assert_ok ctl GTM peer add "$(forge_card "$usa_card" 127.0.0.1:9)"   # the forgery is well made
assert_ok ctl GTM peer remove USA
assert_fails ctl GTM peer add "$(forge_card "$usa_card" 0.0.0.0:7400)"
assert_contains "$LAST_ERR" "the card's address 0.0.0.0:7400 is a wildcard"
assert_fails ctl GTM peer add "$(forge_card "$usa_card" "[::]:7400")"
assert_contains "$LAST_ERR" "is a wildcard"
pass "a card whose address is a wildcard is refused"

for n in GTM MEX USA; do node_stop "$n"; done
pass "every node stops cleanly"
