#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Queries that share an envelope: the lost/stolen queries one loop pass of
# GTM starts for MEX, by the same officer for the same case and purpose,
# travel as one stolen_query. GTM is stopped while thirteen tracectl
# processes connect and send, so that it reads them all in one pass. Each
# still gets exactly its own answer, its own audit entries and, on a hit,
# a receipt that MEX's card verifies; a query of another case or officer
# never rides with them; and MEX audits (and signs) per envelope.
. "$(dirname "$0")/lib.sh"

mesh GTM MEX
pass "two nodes linked"

for s in HIT1 HIT2 HIT3; do
	assert_ok ctl MEX stolen report --make Glock --serial "$s" --date 2025-06-01 \
		--case "FGR-$s"
done

ask() # ASK N SERIAL CASE [OFFICER]: one query in the background, its JSON in $T/q.N
{
	(TRACENET_OFFICER=${4:-ofc-1} exec "$TRACECTL" -d "$T/GTM" --json query stolen --make Glock \
		--serial "$2" --peer MEX --case "$3" --purpose screening >"$T/q.$1" 2>"$T/q.$1.err") &
	asking+=($!)
}

# Whether every one of these processes sleeps (each tracectl, once it has
# sent its request, waits for the reply).
asleep()
{
	local p
	for p in "$@"; do
		[ "$(awk '{print $3}' "/proc/$p/stat" 2>/dev/null)" = S ] || return 1
	done
}

asking=()
kill -STOP "$(node_pid GTM)"
for i in $(seq 1 10); do
	serial=MISS$i
	((i % 4 == 0)) && serial=HIT$((i / 4))
	ask "$i" "$serial" CASE-A
done
ask 11 HIT3 CASE-A
ask 12 HIT1 CASE-B
ask 13 MISS13 CASE-A ofc-2
wait_until 30 asleep "${asking[@]}" || fail "the queries were not all sent"
sleep 0.2
asleep "${asking[@]}" || fail "the queries were not all sent"
kill -CONT "$(node_pid GTM)"
wait "${asking[@]}"

for i in $(seq 1 13); do
	out=$(cat "$T/q.$i")
	[ -n "$out" ] || fail "query $i: no reply ($(cat "$T/q.$i.err"))"
	want=0
	case $i in 4 | 8 | 11 | 12) want=1 ;; esac
	assert_eq "$(json_get "$out" hits)" "$want" "hits of query $i"
	assert_eq "$(json_get "$out" peers.0.status)" answered "status of query $i"
	assert_eq "$(json_get "$out" 'peers.0.results#')" 1 "answers of query $i"
done
assert_eq "$(json_get "$(cat "$T/q.4")" peers.0.results.0.report.serial)" HIT1
assert_eq "$(json_get "$(cat "$T/q.8")" peers.0.results.0.report.serial)" HIT2
assert_eq "$(json_get "$(cat "$T/q.11")" peers.0.results.0.report.serial)" HIT3
assert_eq "$(json_get "$(cat "$T/q.12")" peers.0.results.0.report.serial)" HIT1
pass "thirteen queries read in one pass: each gets exactly its own answer"

audit=$(ctl_json GTM audit --peer MEX)
summary=$("$PYTHON" -c '
import json, re, sys
e = json.loads(sys.argv[1])["entries"]
sent = [x for x in e if x["type"] == "stolen_query" and x["dir"] == "out"]
res = [x for x in e if x["type"] == "stolen_result" and x["dir"] == "in"]
shared = {}
for x in res:
    m = re.search(r"items (\d+)-(\d+) of shared query ([0-9a-f]{16})$", x["detail"])
    if m:
        shared.setdefault(m.group(3), []).append((x["detail"].split(";")[0] + "/" + x["officer"],
                                                   int(m.group(1))))
cases = {q: {c for c, _ in v} for q, v in shared.items()}
print(len(sent), len(res), len(shared), max((len(v) for v in shared.values()), default=0),
      int(all(len(c) == 1 for c in cases.values())))
' "$audit")
read -r n_sent n_res n_shared biggest one_case <<<"$summary"
assert_eq "$n_sent" 13 "GTM's stolen_query entries"
assert_eq "$n_res" 13 "GTM's stolen_result entries"
((n_shared >= 1 && biggest >= 2)) || fail "no shared envelope in GTM's audit: $summary"
assert_eq "$one_case" 1 "each shared envelope carries one case and one officer only"
pass "GTM audits each query on its own; $biggest of them answered in one shared envelope"

mex=$(ctl_json MEX audit --peer GTM)
n_in=$("$PYTHON" -c '
import json, sys
print(sum(1 for x in json.loads(sys.argv[1])["entries"]
          if x["type"] == "stolen_query" and x["dir"] == "in"))' "$mex")
((n_in < 13)) || fail "MEX audited $n_in envelopes for 13 queries"
pass "MEX opened, audited and answered $n_in envelopes for 13 queries"

# A hit that rode with others: its receipt is the shared envelope's answer,
# which GTM's audit entry names, with the hit at the place it gives.
audit=$(ctl_json GTM audit --peer MEX)
for i in 4 8 11; do
	qid=$(json_get "$(cat "$T/q.$i")" qid)
	line=$("$PYTHON" -c '
import json, sys
print(*[x["detail"] for x in json.loads(sys.argv[1])["entries"]
        if x["type"] == "stolen_result" and x["ref"] == sys.argv[2]])' "$audit" "$qid")
	[[ $line == *"shared query"* ]] && break
done
[[ $line == *"shared query"* ]] || fail "no hit rode in a shared envelope"
assert_ok ctl GTM receipt "$qid" MEX --out "$T/hit.receipt"
assert_ok env -u TRACENET_DIR "$TRACECTL" verify "$T/hit.receipt" --card "$(ctl MEX card)"
assert_contains "$LAST_OUT" "valid signature by MEX"
at=$("$PYTHON" -c '
import re, sys
line, out = sys.argv[1], sys.argv[2]
m = re.search(r"items (\d+)-\d+ of shared query ([0-9a-f]{16})", line)
qid = int(re.search(r"^qid: ([0-9a-f]{16})$", out, re.M).group(1), 16)
hits = re.findall(r"^  - hit: (\w+)(?:\n    report:\n(?:      .*\n)*?      serial: (\S+))?", out, re.M)
k = int(m.group(1)) - 1
print(int(qid == int(m.group(2), 16)), hits[k][0], hits[k][1])
' "$line" "$LAST_OUT")
want=HIT$((i / 4))
[ "$i" = 11 ] && want=HIT3
assert_eq "$at" "1 yes $want" "the receipt's qid, and query $i's answer at its place in it"
for i in 1 2 3; do
	assert_fails ctl GTM receipt "$(json_get "$(cat "$T/q.$i")" qid)" MEX --out "$T/no.$i"
	assert_contains "$LAST_ERR" "only answers that report a hit are signed"
done
pass "a hit in a shared envelope has its receipt; its no-hit neighbours have none"

# Both sides count the guns asked about, however the asker grouped them.
we=$(json_get "$(ctl_json GTM stats --peer MEX)" stolen.0.we_asked)
they=$(json_get "$(ctl_json MEX stats --peer GTM)" stolen.0.asked_us)
assert_eq "$they" "$we" "MEX's count of GTM's checks against GTM's own"
pass "GTM's stats and MEX's count the same $we checks though MEX got $n_in envelopes"

assert_ok ctl GTM audit --verify
assert_ok ctl MEX audit --verify
node_alive GTM
node_alive MEX
