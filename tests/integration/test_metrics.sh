#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Monitoring and resource limits on real nodes: `tracectl metrics` read by
# a real parser of the Prometheus text format, its counters after a stolen
# query and a trace; the HTTP listener (its own port, /metrics, 404, an
# oversize request closed, a non-loopback address refused); the node-wide
# cap on console memory; running out of file descriptors.
. "$(dirname "$0")/lib.sh"

# The parser is Debian's python3-prometheus-client, for the system python.
PROM_PY=${PROM_PY:-/usr/bin/python3}
"$PROM_PY" -c 'import prometheus_client.parser' 2>/dev/null ||
	fail "no prometheus_client for $PROM_PY (scripts/install-deps.sh installs python3-prometheus-client)"
CHECK=$TN_ROOT/tests/integration/metrics_check.py
LOAD=$TN_ROOT/tests/integration/console_load.py

node_init GTM
node_init MEX
printf '\n[metrics]\nlisten = 127.0.0.1:0\n' >>"$T/GTM/tracenet.conf"
sed -i 's/^\[console\]$/[console]\nmemory_max = 1M/' "$T/GTM/tracenet.conf"
node_start GTM
node_start MEX
ctl GTM card >"$T/GTM.card"
ctl MEX card >"$T/MEX.card"
assert_ok ctl GTM peer add "$T/MEX.card"
assert_ok ctl MEX peer add "$T/GTM.card"
wait_until 20 node_linked GTM 1 || fail "GTM did not link to MEX"
wait_until 20 node_linked MEX 1 || fail "MEX did not link to GTM"
pass "two nodes linked, GTM with a metrics listener"

# ---- a stolen query and a trace, then the counters ----

assert_ok ctl MEX stolen report --make Glock --serial XYZ999 --date 2024-02-02 --kind lost
assert_ok ctl GTM query stolen --make Glock --serial XYZ999 --peer MEX --case C-1
assert_ok ctl MEX record add --make Glock --serial AB-123 --model G17 --caliber 9mm --country AUT
assert_ok ctl MEX peer policy GTM --traces auto
out=$(ctl_json GTM trace request --to MEX --make Glock --serial AB123 --recovered-on 2023-06-20 \
	--recovered-at "El Paso, TX" --crime 1201 --agency ATF --case PNC-1) ||
	fail "trace request failed"
id=$(json_get "$out" id)
assert_ok ctl GTM trace wait "$id" --timeout 20

ctl GTM metrics >"$T/gtm.prom" || fail "tracectl metrics failed"
ctl MEX metrics >"$T/mex.prom" || fail "tracectl metrics failed"
"$PROM_PY" "$CHECK" parse "$T/gtm.prom" >"$T/gtm.json" || fail "GTM's metrics do not parse"
"$PROM_PY" "$CHECK" parse "$T/mex.prom" >"$T/mex.json" || fail "MEX's metrics do not parse"
pass "metrics of both nodes parse as Prometheus text, every family with HELP and TYPE ($(wc -c <"$T/gtm.prom") bytes)"

# value FILE NAME [LABEL=VALUE]: the sample's value, as an integer.
value()
{
	"$PYTHON" -S -c '
import json, sys
fams = json.load(open(sys.argv[1]))
want = dict(a.split("=", 1) for a in sys.argv[3:])
for fam in fams.values():
    for name, labels, v in fam["samples"]:
        if name == sys.argv[2] and labels == want:
            print(int(v)); sys.exit(0)
sys.exit("no sample %s %r" % (sys.argv[2], want))
' "$@" || fail "no sample $2 ${*:3}"
}

positive() { [ "$(value "$@")" -gt 0 ] || fail "$2 ${*:3} is not above 0"; }

positive "$T/gtm.json" tracenet_stolen_queries_sent_total
positive "$T/mex.json" tracenet_stolen_queries_answered_total
positive "$T/mex.json" tracenet_stolen_query_envelopes_total
positive "$T/gtm.json" tracenet_traces_sent_total
positive "$T/mex.json" tracenet_traces_received_total
positive "$T/mex.json" tracenet_traces_answered_total
positive "$T/gtm.json" tracenet_commits_total
positive "$T/gtm.json" tracenet_open_fds
positive "$T/gtm.json" tracenet_disk_free_bytes
positive "$T/gtm.json" tracenet_store_map_used_bytes
assert_eq "$(value "$T/gtm.json" tracenet_peer_link_up peer=MEX)" 1 "GTM's link to MEX"
assert_eq "$(value "$T/mex.json" tracenet_peer_link_up peer=GTM)" 1 "MEX's link to GTM"
assert_eq "$(value "$T/gtm.json" tracenet_outbox_messages peer=MEX)" 0 "GTM's outbox to MEX"
assert_eq "$(value "$T/gtm.json" tracenet_drops_total reason=bad_sig)" 0 "bad_sig drops"
assert_eq "$(value "$T/gtm.json" tracenet_commits_failed_total)" 0 "failed commits"
pass "a query, a trace and commits counted; per-peer link and outbox; fds and disk free"

"$PYTHON" -S -c '
import json, sys
fam = json.load(open(sys.argv[1]))["tracenet_commit_duration_seconds"]
assert fam["type"] == "histogram", fam["type"]
buckets = [(float(l["le"]), v) for n, l, v in fam["samples"] if n.endswith("_bucket")]
count = [v for n, l, v in fam["samples"] if n.endswith("_count")][0]
assert buckets == sorted(buckets), "buckets out of order"
assert all(a[1] <= b[1] for a, b in zip(buckets, buckets[1:])), "buckets not monotone"
assert buckets[-1][0] == float("inf") and buckets[-1][1] == count > 0, "+Inf is not the count"
' "$T/gtm.json" || fail "the commit latency histogram is not well formed"
pass "the commit latency histogram: ordered, monotone buckets, +Inf equals the count"

json=$(ctl_json GTM metrics) || fail "metrics --json failed"
assert_eq "$(json_get "$json" '#')" 1 "keys of metrics --json"
assert_contains "$(json_get "$json" text)" "# TYPE tracenet_commits_total counter"
pass "metrics --json is one object with the text"

# ---- the HTTP listener ----

addr=$(json_get "$(ctl_json GTM status)" metrics_listen)
case $addr in
127.0.0.1:0 | "") fail "status names no bound metrics address: '$addr'" ;;
127.0.0.1:*) ;;
*) fail "metrics listen on $addr" ;;
esac
"$PYTHON" -S -c '
import socket, sys, urllib.request, urllib.error
base = "http://%s" % sys.argv[1]
r = urllib.request.urlopen(base + "/metrics", timeout=5)
assert r.status == 200, r.status
ctype = r.headers["Content-Type"]
assert ctype == "text/plain; version=0.0.4", ctype
open(sys.argv[2], "wb").write(r.read())
try:
    urllib.request.urlopen(base + "/other", timeout=5)
    sys.exit("GET /other answered")
except urllib.error.HTTPError as e:
    assert e.code == 404, e.code
host, port = sys.argv[1].rsplit(":", 1)
s = socket.create_connection((host, int(port)), timeout=5)
try:
    s.sendall(b"GET /metrics HTTP/1.0\r\nX-Pad: " + b"a" * 8192)
except (BrokenPipeError, ConnectionResetError):
    pass
try:
    got = s.recv(100)
except ConnectionResetError:
    got = b""
assert got == b"", "an oversize request was answered: %r" % got
' "$addr" "$T/http.prom" || fail "the metrics listener misbehaved"
"$PROM_PY" "$CHECK" same "$T/gtm.prom" "$T/http.prom" || fail "HTTP and console families differ"
pass "GET /metrics on $addr: the same families, text/plain 0.0.4; /other 404; an oversize request closed"

node_init USA
printf '\n[metrics]\nlisten = 0.0.0.0:0\n' >>"$T/USA/tracenet.conf"
rc=0
"$TRACENETD" run "$T/USA" >"$T/usa.out" 2>&1 || rc=$?
[ "$rc" -ne 0 ] || fail "a non-loopback metrics address was accepted"
assert_eq "$(grep -c . "$T/usa.out")" 1 "lines of the refusal"
assert_contains "$(cat "$T/usa.out")" "not a loopback address"
assert_contains "$(cat "$T/usa.out")" "allow_remote = yes"
pass "a non-loopback metrics address is refused at start in one line"

# ---- the console's memory cap (GTM: memory_max = 1M) ----

sent=$("$PYTHON" "$LOAD" hog "$T/GTM/console.sock" 20) || fail "the node never closed a client that does not read"
grep -q "over \[console\] memory_max" "$(node_log GTM)" || fail "no log line of the memory cap"
node_alive GTM
assert_ok ctl GTM status
positive "$("$PROM_PY" "$CHECK" parse <(ctl GTM metrics) >"$T/gtm2.json"; echo "$T/gtm2.json")" \
	tracenet_console_clients_closed_total
pass "a client that never reads is closed at the node-wide cap after $sent bytes sent; others go on"

# ---- out of file descriptors ----

node_init CAN
(ulimit -n 64 && exec "$TRACENETD" run "$T/CAN" >>"$T/CAN.log" 2>&1) &
TN_PID[CAN]=$!
wait_until 10 tn_ready CAN || fail "CAN did not start with 64 descriptors"
held=$("$PYTHON" "$LOAD" hold "$T/CAN/console.sock" 100 3) || fail "holding connections failed"
assert_contains "$held" "kept"
grep -q "out of file descriptors (limit 64): raise LimitNOFILE" "$(node_log CAN)" ||
	fail "no log line of the descriptors running out: $held"
node_alive CAN
wait_until 10 tn_ready CAN || fail "CAN's console does not answer after the clients left"
positive "$("$PROM_PY" "$CHECK" parse <(ctl CAN metrics) >"$T/can.json"; echo "$T/can.json")" \
	tracenet_fd_exhausted_total
told=${held##* told }
[ "$told" -gt 0 ] || fail "no refused client was told why: $held"
pass "out of descriptors at 64: logged, refused clients told why ($held), the node answers after"

node_stop CAN
node_stop GTM
node_stop MEX
pass "every node stops cleanly"
