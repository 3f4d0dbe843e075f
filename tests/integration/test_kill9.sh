#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The durability rule under SIGKILL: what tracectl acknowledged survives
# `kill -9` of the node that acknowledged it. Three scenarios on a GTM-MEX
# pair, each counting acknowledged against present after the restart:
#   1. MEX killed during a large `record import` while loops of single
#      `stolen report` writes run: every acknowledged report is there (id
#      and content, with its audit entry); the import left whole batches.
#   2. Under query load (four loops of `query stolen --peer MEX` on GTM,
#      hits and no hits), GTM killed, then MEX killed: for every query the
#      operator saw answered, GTM's audit holds the query sent and the
#      result, a hit has its receipt, and MEX's audit holds its answer.
#   3. Trace requests queued on GTM for a stopped MEX; GTM killed before
#      MEX is back, then GTM and then MEX killed the moment the link is up
#      and the outbox goes out: every acknowledged request is in GTM's
#      trace list and reaches MEX exactly once.
#   4. Trace requests on a live link, where each leaves while its commit
#      runs, GTM killed among them: every acknowledged request is on GTM
#      and reaches MEX once; one that left but never committed is MEX's
#      alone, and MEX's answers to it are acknowledged, so its outbox
#      drains.
# Audit chains verify on both nodes after every kill. Counts vary from run to
# run; only what the operator was shown is checked.
. "$(dirname "$0")/lib.sh"

command -v mdb_stat >/dev/null && command -v mdb_dump >/dev/null ||
	fail "mdb_stat and mdb_dump (lmdb-utils) are needed"

GEN=$TN_ROOT/scripts/gen-records.py
IMPORT_ROWS=160000
IMPORT_KILL_BATCHES=4  # MEX is killed once this many batches are in
REPORT_LOOPS=3
QUERY_LOOPS=4
QUERY_KILL_AT=300      # answers seen before the kill (or what LOAD_S gave)
LOAD_S=6
QUERY_TIMEOUT_MS=2000  # bounds a query whose peer was killed
TRACE_REQUESTS=100     # per outbox round
STOP=$T/stop           # background loops run until this file exists
LOOP_PIDS=()

# ---- background loops ----

# loop_start FUNCTION ARGS...: run FUNCTION ARGS in the background until
# loops_stop.
loop_start()
{
	"$@" &
	LOOP_PIDS+=($!)
}

# Ask every loop to end after its current call (each call is bounded), then
# reap them; a loop still running after 20 s is killed.
loops_stop()
{
	local pid
	touch "$STOP"
	for pid in "${LOOP_PIDS[@]}"; do
		wait_until 20 eval "! tn_alive $pid" || kill -KILL "$pid" 2>/dev/null || true
		wait "$pid" 2>/dev/null || true
	done
	LOOP_PIDS=()
	rm -f "$STOP"
}
trap 'rc=$?; set +e; [ ${#LOOP_PIDS[@]} -eq 0 ] || kill -KILL "${LOOP_PIDS[@]}" 2>/dev/null;
	(exit $rc); tn_cleanup' EXIT

# report_loop LOOP NODE FILE: single `stolen report` writes, serial
# K9-LOOP-I; each one tracectl acknowledged appends "ID SERIAL CASE_REF" to
# FILE.
report_loop()
{
	local i=0 out id serial
	while [ ! -e "$STOP" ]; do
		i=$((i + 1))
		serial=K9-$1-$i
		if out=$(ctl_json "$2" stolen report --make Glock --serial "$serial" --date 2024-01-02 \
			--case "C-$serial" 2>/dev/null); then
			id='?'
			[[ $out =~ \"id\":\ \"([0-9]+)\" ]] && id=${BASH_REMATCH[1]}
			echo "$id $serial C-$serial" >>"$3"
		else
			sleep 0.02
		fi
	done
}

# query_loop LOOP FILE SERIAL...: `query stolen --peer MEX` on GTM, every
# third query about one of the SERIALs (reported on MEX), the others about
# serials never reported; each query tracectl answered appends "QID STATUS
# HITS SERIAL" (STATUS as shown for MEX: answered, timeout, unreachable).
query_loop()
{
	local loop=$1 file=$2 j=0 serial out qid status hits
	shift 2
	while [ ! -e "$STOP" ]; do
		j=$((j + 1))
		serial=NONE-$loop-$j
		[ $((j % 3)) -ne 0 ] || serial=${*:$((j / 3 % $# + 1)):1}
		if out=$(ctl_json GTM query stolen --case C-1 --peer MEX --make Glock --serial "$serial" \
			--timeout-ms "$QUERY_TIMEOUT_MS" 2>/dev/null); then
			qid='?' status='?' hits='?'
			[[ $out =~ \"qid\":\ \"([0-9a-f]+)\" ]] && qid=${BASH_REMATCH[1]}
			[[ $out =~ \"peer\":\ \"MEX\",[[:space:]]+\"mode\":\ \"[a-z]+\",[[:space:]]+\"status\":\ \"([a-z_]+)\" ]] &&
				status=${BASH_REMATCH[1]}
			[[ $out =~ \"hits\":\ ([0-9]+) ]] && hits=${BASH_REMATCH[1]}
			echo "$qid $status $hits $serial" >>"$file"
		else
			sleep 0.02
		fi
	done
}

# ---- helpers ----

# restart NAME: start the killed node again, wait until it is linked to its
# peer.
restart()
{
	node_start "$1"
	wait_until 20 node_linked "$1" 1 || fail "$1 did not link again after its restart"
}

# audit_intact NAME...: the hash chain of each node verifies.
audit_intact()
{
	local n
	for n in "$@"; do
		tn_run ctl_json "$n" audit --verify
		[ "$LAST_RC" -eq 0 ] || fail "$n's audit chain after kill -9: $LAST_OUT $LAST_ERR"
		assert_json "$LAST_OUT" first_bad=0
	done
}

# save NAME WHAT ARGS...: the JSON of `tracectl NAME --json ARGS` in
# $T/WHAT.json (listings are too large for an argument).
save()
{
	local name=$1 what=$2
	shift 2
	ctl_json "$name" "$@" >"$T/$what.json" || fail "$name $* failed"
}

# lines FILE: its line count (0 when it does not exist).
lines()
{
	[ -f "$1" ] && wc -l <"$1" || echo 0
}

# wait_lines FILE N: wait until FILE has N lines, or LOAD_S seconds; then
# settle for at least 10 (slower builds give smaller counts).
wait_lines()
{
	wait_until "$LOAD_S" eval "[ \"\$(lines $1)\" -ge $2 ]" ||
		wait_until 60 eval "[ \"\$(lines $1)\" -ge 10 ]" ||
		fail "fewer than 10 answers in $1 within 60 s"
}

# check WHAT ARGS...: run the Python check WHAT (below) on ARGS. It prints
# its counts on the first line and one line per problem after it; the counts
# are left in COUNTS, and a problem fails the test with the counts.
check()
{
	local what=$1 out
	shift
	out=$("$PYTHON" -S - "$what" "$@" <<'PY' 2>&1
import collections, json, re, sys

def load(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)

def rows(path):
    try:
        with open(path, encoding="utf-8") as f:
            return [l.split() for l in f if l.strip()]
    except FileNotFoundError:
        return []

def audit_refs(path, peer, d, ty):
    return collections.Counter(e["ref"] for e in load(path)["entries"]
                               if e["peer"] == peer and e["dir"] == d and e["type"] == ty)

problems = []
what, args = sys.argv[1], sys.argv[2:]

if what == "reports":
    # ARGS: acked file, stolen list, audit. Counts: acknowledged present
    # lost, and reports committed whose acknowledgement the kill cut off.
    acked, listing, audit = rows(args[0]), load(args[1])["reports"], args[2]
    by_id = {r["id"]: r for r in listing}
    audited = audit_refs(audit, "", "local", "stolen.report")
    present = 0
    for rid, serial, case in acked:
        r = by_id.get(rid)
        if r is None:
            problems.append("report %s (%s) acknowledged, missing" % (rid, serial))
        elif (r["make"], r["serial"], r["case_ref"], r["date"], r["kind"]) != \
                ("Glock", serial, case, "2024-01-02", "stolen"):
            problems.append("report %s is %s, acknowledged as %s %s" % (rid, r, serial, case))
        elif audited[rid] != 1:
            problems.append("report %s has %d audit entries, want 1" % (rid, audited[rid]))
        else:
            present += 1
    unacked = {r["serial"] for r in listing if r["serial"].startswith("K9-")} - \
        {serial for _, serial, _ in acked}
    print(len(acked), present, len(acked) - present, len(unacked))

elif what == "queries":
    # ARGS: answers file, hit serials (comma separated), GTM audit, MEX
    # audit. Counts: answered, present on GTM, present on MEX, hits.
    answers, hit_serials = rows(args[0]), set(args[1].split(","))
    sent = audit_refs(args[2], "MEX", "out", "stolen_query")
    result = audit_refs(args[2], "MEX", "in", "stolen_result")
    answered_by_mex = audit_refs(args[3], "GTM", "in", "stolen_query")
    # A query that shared its envelope was answered under the shared qid,
    # which GTM's result entry names (MEX audits the envelope once).
    shared = {e["ref"]: m.group(1) for e in load(args[2])["entries"]
              if e["type"] == "stolen_result"
              for m in [re.search(r"of shared query ([0-9a-f]{16})$", e["detail"])] if m}
    answered = on_gtm = on_mex = hits = 0
    for qid, status, nhits, serial in answers:
        if status != "answered":
            # shown as not answered: GTM still audited the query and result
            if sent[qid] != 1 or result[qid] != 1:
                problems.append("query %s shown %s: GTM audit has %d sent, %d result"
                                % (qid, status, sent[qid], result[qid]))
            continue
        answered += 1
        want = "1" if serial in hit_serials else "0"
        if nhits != want:
            problems.append("query %s about %s: %s hits, want %s" % (qid, serial, nhits, want))
        hits += nhits == "1"
        if sent[qid] == 1 and result[qid] == 1:
            on_gtm += 1
        else:
            problems.append("query %s answered: GTM audit has %d sent, %d result, want 1 each"
                            % (qid, sent[qid], result[qid]))
        if answered_by_mex[shared.get(qid, qid)] == 1:
            on_mex += 1
        else:
            problems.append("query %s answered: MEX audit has %d answers to %s, want 1"
                            % (qid, answered_by_mex[shared.get(qid, qid)], shared.get(qid, qid)))
    print(answered, on_gtm, on_mex, hits)

elif what == "traces":
    # ARGS: acked file, GTM trace list, MEX inbox, MEX audit. Counts:
    # acknowledged present delivered duplicates.
    acked = rows(args[0])
    mine = {t["id"]: t for t in load(args[1])["traces"]}
    got = collections.Counter(str(int(t["req"]["ref"]) & 0xffffffff)
                              for t in load(args[2])["traces"]
                              if t["peer"] == "GTM")
    audited = audit_refs(args[3], "GTM", "in", "trace_request")
    present = delivered = dups = 0
    for tid, case in acked:
        t = mine.get(tid)
        if t is None or t["req"]["case_ref"] != case:
            problems.append("trace %s (%s) acknowledged, GTM has %s" % (tid, case, t))
            continue
        present += 1
        delivered += got[tid] >= 1 and audited[case] >= 1
        dups += max(got[tid], audited[case], 1) - 1
        if got[tid] != 1 or audited[case] != 1:
            problems.append("trace %s (%s) reached MEX %d times, audited there %d times"
                            % (tid, case, got[tid], audited[case]))
    print(len(acked), present, delivered, dups)

for p in problems[:20]:
    print(p)
if len(problems) > 20:
    print("... and %d more" % (len(problems) - 20))
PY
	) || fail "check $what: $out"
	COUNTS=$(head -n 1 <<<"$out")
	[ "$(wc -l <<<"$out")" -eq 1 ] ||
		fail "$what after kill -9 (counts $COUNTS): $(tail -n +2 <<<"$out")"
}

# ---- the pair ----

mesh GTM MEX
fixed_ports GTM MEX
pass "GTM and MEX linked"

# ---- 1. kill -9 during an import and single writes ----

# import_and_reports: MEX killed once the import committed
# IMPORT_KILL_BATCHES batches and the report loop has acknowledged a write.
import_and_reports()
{
	local csv=$T/big.csv acked=$T/reports.acked base got imp rc=0 i ends kill_at
	local acks present lost extra
	"$PYTHON" "$GEN" "$IMPORT_ROWS" --seed 9 >"$csv" || fail "gen-records.py failed"
	base=$(node_records MEX)
	ends=$(import_batch_ends "$IMPORT_ROWS")
	kill_at=$(sed -n "${IMPORT_KILL_BATCHES}p" <<<"$ends")
	ctl MEX record import - <"$csv" >"$T/import.out" 2>&1 &
	imp=$!
	for ((i = 1; i <= REPORT_LOOPS; i++)); do loop_start report_loop "$i" MEX "$acked"; done
	wait_until 60 eval '[ "$(node_records MEX)" -ge $((base + kill_at)) ] &&
		[ "$(lines "$acked")" -ge 1 ]' ||
		fail "MEX committed no import batch or no report within 60 s"
	node_kill MEX
	wait "$imp" || rc=$?
	loops_stop
	[ "$rc" -ne 0 ] || fail "the import finished before MEX was killed (make IMPORT_ROWS larger)"

	restart MEX
	audit_intact GTM MEX
	save MEX stolen stolen list --all
	save MEX audit audit --limit 20000
	check reports "$acked" "$T/stolen.json" "$T/audit.json"
	read -r acks present lost extra <<<"$COUNTS"
	got=$(($(node_records MEX) - base))
	grep -qx "$got" <<<"$ends" ||
		fail "records after the kill: $got, not whole batches (they end at $(paste -sd' ' <<<"$ends"))"
	# tracectl says how many rows were committed (acknowledged), at most
	# what the node holds, and that a re-run skips them.
	said=$(sed -n 's/.*import stopped with \([0-9]*\) rows committed.*/\1/p' "$T/import.out")
	[ -n "$said" ] && [ "$said" -le "$got" ] ||
		fail "tracectl's word on the interrupted import: $(tail -n 2 "$T/import.out")"
	assert_contains "$(cat "$T/import.out")" "run the same import again" "what to do next"
	tn_run ctl MEX record import - <"$csv"
	[ "$LAST_RC" -eq 0 ] || fail "the re-run of the import failed: $LAST_ERR"
	assert_contains "$LAST_OUT" "$got already on file, skipped" "the re-run skips what is there"
	got=$(($(node_records MEX) - base))
	[ "$got" = "$IMPORT_ROWS" ] || fail "after the re-run MEX holds $got of $IMPORT_ROWS rows"
	pass "kill -9 during import: acknowledged $acks, present $present, lost $lost" \
		"(and $extra committed unacknowledged); tracectl said $said rows committed;" \
		"the re-run skipped what was there and completed the $IMPORT_ROWS records"
}
import_and_reports

# ---- 2. kill -9 under query load ----

# Serials of reports MEX acknowledged in scenario 1: the hits.
mapfile -t HIT_SERIALS < <(awk '{ print $2 }' "$T/reports.acked" | head -n 8)

# query_round ROUND VICTIM: query loops on GTM, VICTIM killed once they saw
# some answers, then the checks on both audits and the hit receipts.
query_round()
{
	local round=$1 victim=$2 answers=$T/answers.$1 i qid status nhits serial receipts=0
	local answered on_gtm on_mex hits replayed
	for ((i = 1; i <= QUERY_LOOPS; i++)); do
		loop_start query_loop "$round.$i" "$answers" "${HIT_SERIALS[@]}"
	done
	wait_lines "$answers" "$QUERY_KILL_AT"
	node_kill "$victim"
	loops_stop
	restart "$victim"
	audit_intact GTM MEX
	replayed=$(grep -o 'replayed [0-9]* commits' "$(node_log "$victim")" | tail -n 1)

	save GTM gtm-audit audit --limit 20000
	save MEX mex-audit audit --limit 20000
	check queries "$answers" "$(IFS=,; echo "${HIT_SERIALS[*]}")" \
		"$T/gtm-audit.json" "$T/mex-audit.json"
	read -r answered on_gtm on_mex hits <<<"$COUNTS"
	# Each hit the operator saw has MEX's signed answer as a receipt.
	while read -r qid status nhits serial; do
		[ "$status" = answered ] && [ "$nhits" = 1 ] || continue
		tn_run ctl GTM receipt "$qid" MEX --out "$T/receipt.$qid"
		[ "$LAST_RC" -eq 0 ] || fail "no receipt of hit $qid after kill -9 of $victim: $LAST_ERR"
		tn_run "$TRACECTL" verify "$T/receipt.$qid" --card "$MEX_CARD"
		[ "$LAST_RC" -eq 0 ] || fail "receipt of hit $qid does not verify: $LAST_OUT $LAST_ERR"
		receipts=$((receipts + 1))
	done <"$answers"
	[ "$answered" -gt 0 ] || fail "no query was shown answered before the kill: nothing checked"
	pass "kill -9 of $victim under query load: acknowledged $answered (shown answered, of" \
		"$(lines "$answers") returned), present on GTM $on_gtm (hit receipts $receipts of" \
		"$hits), on MEX $on_mex, lost $((2 * answered - on_gtm - on_mex)); $victim's store" \
		"${replayed:-replayed no commits} from its journal"
}
MEX_CARD=$(ctl MEX card)
query_round 1 GTM
query_round 2 MEX

# ---- 3. kill -9 during outbox delivery ----

# trace_requests ROUND K: K trace requests from GTM to MEX, case K9T-ROUND-I;
# each acknowledged one appends "ID CASE_REF" to $T/traces.ROUND.
trace_requests()
{
	local i out
	for ((i = 1; i <= $2; i++)); do
		out=$(ctl_json GTM trace request --to MEX --make Glock --model G19 --serial "TR-$1-$i" \
			--recovered-on 2024-03-09 --recovered-at "Tapachula" --crime 0900 \
			--case "K9T-$1-$i") || fail "trace request $i of round $1 failed"
		[[ $out =~ ^\{[[:space:]]+\"id\":\ \"([0-9]+)\" ]] || fail "trace request without id: $out"
		echo "${BASH_REMATCH[1]} K9T-$1-$i" >>"$T/traces.$1"
	done
}

# follow_log NAME: open NAME's log on LOG_FD, past the lines it holds now.
follow_log()
{
	local line
	exec {LOG_FD}<"$(node_log "$1")"
	while read -r -u "$LOG_FD" line; do :; done
}

# kill_when_logged TEXT VICTIM: read on from LOG_FD until a line holds TEXT,
# then SIGKILL VICTIM. Builtins only, no process per try: the kill comes
# within a millisecond of the line. At most 20 s.
kill_when_logged()
{
	local line='' part deadline=$((${EPOCHREALTIME/./} + 20000000))
	until [[ $line == *"$1"* ]]; do
		if read -r -u "$LOG_FD" part; then
			line=$part
		else
			line+=$part     # the start of a line still being written
			[ "${EPOCHREALTIME/./}" -lt "$deadline" ] || fail "no '$1' in the log within 20 s"
		fi
	done
	node_kill "$2"
	exec {LOG_FD}<&-
}

# entries NAME DB: the entries of the node's LMDB table DB, as last
# committed (read beside the node, or after it died).
entries()
{
	mdb_stat -s "$2" "$(node_dir "$1")/store" | sed -n 's/^ *Entries: //p'
}

# requests_at_mex ROUND: how many requests of ROUND MEX's audit holds, as
# last committed (MEX may be dead).
requests_at_mex()
{
	mdb_dump -p -s audit "$(node_dir MEX)/store" | grep -c "K9T-$1-" || true
}

# No request of GTM's is still queued or sent: MEX acknowledged them all.
all_acked()
{
	local list
	list=$(ctl_json GTM trace list) || return 1
	[[ $list != *'"status": "queued"'* && $list != *'"status": "sent"'* ]]
}

# check_round ROUND: both audits intact, and the traces GTM acknowledged in
# ROUND present and delivered once (counts in COUNTS).
check_round()
{
	audit_intact GTM MEX
	save GTM traces trace list
	save MEX inbox inbox --all
	save MEX mex-audit audit --limit 20000
	check traces "$T/traces.$1" "$T/traces.json" "$T/inbox.json" "$T/mex-audit.json"
}

# outbox_round ROUND WHEN: TRACE_REQUESTS requests queued for a stopped MEX;
# then GTM killed before MEX is back (WHEN=before), or WHEN (GTM or MEX)
# killed the moment GTM logs the link up, as its outbox goes out. The victim
# is started again. Where the kill fell shows in what MEX had committed and
# GTM's outbox still held: those go out again, and MEX must take each once.
outbox_round()
{
	local round=$1 when=$2 victim=$2 got queued phase acked present delivered dups
	node_stop MEX
	wait_until 20 node_linked GTM 0 || fail "GTM still sees MEX linked"
	trace_requests "$round" "$TRACE_REQUESTS"
	if [ "$when" = before ]; then
		victim=GTM phase="before MEX is back"
		node_kill GTM
		node_start MEX
	else
		phase="as the link came up"
		follow_log GTM
		node_start MEX
		kill_when_logged "link to MEX up" "$victim"
	fi
	got=$(requests_at_mex "$round")
	queued=$(entries GTM outbox)
	restart "$victim"
	wait_until 30 all_acked || fail "GTM's requests not all acknowledged by MEX within 30 s"
	check_round "$round"
	read -r acked present delivered dups <<<"$COUNTS"
	pass "kill -9 of $victim during outbox delivery, $phase (then MEX had $got," \
		"GTM's outbox $queued): acknowledged $acked, present $present," \
		"delivered $delivered, duplicates $dups"
}
outbox_round 1 before
outbox_round 2 GTM
outbox_round 3 MEX
outbox_round 4 GTM
outbox_round 5 MEX

# ---- 4. kill -9 while trace requests leave ahead of their commit ----

# live_requests ROUND: trace requests from GTM to MEX until GTM stops
# answering; each acknowledged one appends "ID CASE_REF" to $T/traces.ROUND.
live_requests()
{
	local i out
	for ((i = 1; ; i++)); do
		out=$(ctl_json GTM trace request --to MEX --make Glock --model G19 --serial "TL-$i" \
			--recovered-on 2024-03-09 --recovered-at "Tapachula" --crime 0900 \
			--case "K9T-$1-$i" 2>/dev/null) || return 0
		[[ $out =~ ^\{[[:space:]]+\"id\":\ \"([0-9]+)\" ]] || return 0
		echo "${BASH_REMATCH[1]} K9T-$1-$i" >>"$T/traces.$1"
	done
}

live_round()
{
	local round=$1 got acked present delivered dups
	loop_start live_requests "$round"
	wait_lines "$T/traces.$round" "$TRACE_REQUESTS"
	node_kill GTM
	loops_stop
	got=$(requests_at_mex "$round")
	restart GTM
	wait_until 30 all_acked || fail "GTM's requests not all acknowledged by MEX within 30 s"
	wait_until 30 eval '[ "$(entries MEX outbox)" = 0 ]' ||
		fail "MEX's outbox still holds $(entries MEX outbox) messages for GTM after 30 s"
	check_round "$round"
	read -r acked present delivered dups <<<"$COUNTS"
	pass "kill -9 of GTM among trace requests on a live link: acknowledged $acked, present" \
		"$present, delivered $delivered, duplicates $dups; MEX had $got, so" \
		"$((got - acked)) left GTM without an acknowledgement; MEX's outbox drained"
}
live_round 6

node_alive GTM
node_alive MEX
