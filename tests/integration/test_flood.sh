#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Anyone who can reach the port opens idle TCP connections, renewed as the
# node closes them, from one address (127.0.0.2): they may hold only their
# address's share of the handshake slots, so a pinned peer coming back
# from another address (127.0.0.1) still links while the flood goes on.
. "$(dirname "$0")/lib.sh"

is_up()
{
	ctl "$1" peer list 2>/dev/null | grep -q "^$2 *up "
}

node_init GTM
node_init MEX
# MEX's card names a port nothing listens on once MEX restarts: only MEX's
# own dial can make the link, so it must get through GTM's handshake slots.
node_start MEX
mex_card=$(ctl MEX card)
node_stop MEX
node_start GTM
assert_ok ctl GTM peer add "$mex_card"
port=$(json_get "$(ctl_json GTM status)" listen)
port=${port##*:}

"$PYTHON" -S - "$port" "$T/flood.count" <<'PY' &
import socket, sys, time
port, out = int(sys.argv[1]), sys.argv[2]
conns, deadline = [], time.time() + 40
while time.time() < deadline:
    # Keep 64 connections open from 127.0.0.2, replacing those the node closed.
    live = []
    for s in conns:
        try:
            if s.recv(1, socket.MSG_DONTWAIT) == b"":
                s.close()
                continue
        except BlockingIOError:
            pass
        except OSError:
            s.close()
            continue
        live.append(s)
    conns = live
    while len(conns) < 64:
        s = socket.socket()
        s.bind(("127.0.0.2", 0))
        try:
            s.connect(("127.0.0.1", port))
        except OSError:
            s.close()
            break
        conns.append(s)
    open(out, "w").write("%d\n" % len(conns))
    time.sleep(0.05)
PY
flood=$!
trap 'rc=$?; set +e; kill "$flood" 2>/dev/null; (exit $rc); tn_cleanup' EXIT
wait_until 10 test -s "$T/flood.count" || fail "the flooder did not start"
sleep 1

node_start MEX
assert_ok ctl MEX peer add "$(ctl GTM card)"
wait_until 15 is_up GTM MEX || fail "MEX could not link during the flood: $(ctl GTM peer list)"
handshake=$(json_get "$(ctl_json GTM status)" drops.handshake)
[ "$handshake" -gt 0 ] || fail "the flood's extra connections were not counted (drops.handshake 0)"
pass "a pinned peer links while 64 idle connections from one address keep coming ($handshake refused)"
kill "$flood" 2>/dev/null || true
wait "$flood" 2>/dev/null || true
node_stop GTM
node_stop MEX
pass "GTM and MEX stop cleanly after the flood"
