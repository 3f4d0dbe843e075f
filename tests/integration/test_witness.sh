#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Witnessed checkpoints between three real nodes: GTM's signed checkpoints
# are witnessed by MEX and SLV, each extending the last; they survive an
# outage and restarts through the outbox; a log rewritten with raw access
# to the file (entry deleted, another edited, every hash and the head
# recomputed, the node's own tree and checkpoints wiped) passes the chain
# check alone but not the witnesses, who refuse its next checkpoint; a log
# restored from an old backup is behind, not rewritten. Last, a node with
# checkpoint_every = 1s is witnessed with no command at all.
. "$(dirname "$0")/lib.sh"

REWRITE=$TN_BIN/tests/tools/audit_rewrite
[ -x "$REWRITE" ] || fail "no $REWRITE (make units)"

# ---- what this test reads of the checkpoint commands ----
# `tracectl --json audit checkpoint` prints the checkpoint (its "size");
# `tracectl --json audit --verify` lists the witnesses asked, each with its
# name, its verdict on the checkpoint it holds of us ("contains", "behind",
# "rewritten") and that checkpoint's size. Audit entries: the witness
# writes one of type "checkpoint" (peer: the node) per checkpoint received,
# outcome "witnessed", "refused" or "behind"; the node one of type
# "cosignature" (peer: the witness) per answer, outcome its status. The
# names of the JSON keys are looked up in this one helper.
TN_WITNESS_PY='
import json, sys
def first(d, *keys):
    for k in keys:
        if isinstance(d, dict) and k in d:
            return d[k]
    return None
def witnesses(v):
    return first(v, "witnesses", "witness", "checks") or []
def held(w):
    size = first(w, "size", "held_size")
    if size is None:
        size = first(first(w, "cp", "checkpoint") or {}, "size")
    return "%s %s" % (first(w, "status", "result", "verdict"), size)
'

# witness_held JSON PEER: "STATUS SIZE" of PEER in an audit --verify reply.
witness_held()
{
	"$PYTHON" -S -c "$TN_WITNESS_PY"'
v = json.loads(sys.argv[1]) if sys.argv[1].strip() else {}
for w in witnesses(v):
    if first(w, "peer", "witness", "node", "name") == sys.argv[2]:
        print(held(w))
        break
else:
    print("absent -")
' "$1" "$2"
}

# held NAME PEER: what PEER holds of NAME's log, asking PEER alone.
held()
{
	local out
	out=$(ctl_json "$1" audit --verify --witness "$2" 2>/dev/null) || true
	witness_held "$out" "$2"
}

# holds NAME PEER STATUS SIZE: PEER's checkpoint of NAME is of SIZE entries
# and NAME's log gives it the verdict STATUS.
holds()
{
	[ "$(held "$1" "$2")" = "$3 $4" ]
}

# wait_holds NAME PEER STATUS SIZE
wait_holds()
{
	wait_until 20 holds "$@" || fail "$2 holds '$(held "$1" "$2")' of $1, want '$3 $4'"
}

# checkpoint NAME: make a checkpoint now; prints its size.
checkpoint()
{
	local out
	out=$(ctl_json "$1" audit checkpoint) || fail "audit checkpoint on $1 failed"
	"$PYTHON" -S -c "$TN_WITNESS_PY"'
v = json.loads(sys.argv[1])
print(first(v, "size") or first(first(v, "checkpoint", "cp") or {}, "size"))
' "$out"
}

# entries NAME PEER TYPE OUTCOME: how many of NAME's audit entries have that
# peer, type and outcome.
entries()
{
	local out
	out=$(ctl_json "$1" audit) || fail "audit of $1 failed"
	"$PYTHON" -S -c '
import json, sys
v = json.loads(sys.argv[1])
print(sum(1 for e in v.get("entries", []) if (e.get("peer"), e.get("type"), e.get("outcome"))
          == tuple(sys.argv[2:5])))
' "$out" "$2" "$3" "$4"
}

# entries_at_least NAME PEER TYPE OUTCOME N
entries_at_least()
{
	[ "$(entries "$1" "$2" "$3" "$4")" -ge "$5" ]
}

# head NAME: the seq of NAME's last audit entry.
head_seq()
{
	json_get "$(ctl_json "$1" audit --limit 1)" entries.0.seq
}

# alerts_about NAME PEER: how many of NAME's alerts name PEER and speak of
# a checkpoint (in any of their text fields).
alerts_about()
{
	local out
	out=$(ctl_json "$1" alerts) || fail "alerts of $1 failed"
	"$PYTHON" -S -c '
import json, sys
v = json.loads(sys.argv[1])
print(sum(1 for a in v.get("alerts", []) if a.get("peer") == sys.argv[2] and
          any("checkpoint" in str(x).lower() for x in a.values())))
' "$out" "$2"
}

# ---- three nodes, each on the port it first picked across restarts ----
mesh GTM MEX SLV
fixed_ports GTM MEX SLV

# Nothing witnessed yet: both witnesses are asked, neither contradicts
# the log.
assert_ok ctl_json GTM audit --verify
for w in MEX SLV; do
	case $(witness_held "$LAST_OUT" "$w") in
	absent* | rewritten* | behind*)
		fail "$w before any checkpoint: $(witness_held "$LAST_OUT" "$w") in $LAST_OUT" ;;
	esac
done
pass "a log no witness holds verifies"

# ---- a. acts, a checkpoint, witnessed by both ----
assert_ok ctl GTM record add --make Glock --serial WT-1 --model 17
assert_ok ctl GTM stolen report --make Glock --serial WT-2 --date 2024-03-01 --case C-1
assert_ok ctl GTM query stolen --peer MEX --make Glock --serial WT-9 --case C-1
size_a=$(checkpoint GTM)
[ "$size_a" -ge 3 ] || fail "checkpoint of $size_a entries after three acts"
for w in MEX SLV; do
	wait_holds GTM "$w" contains "$size_a"
	wait_until 20 entries_at_least GTM "$w" cosignature witnessed 1 ||
		fail "GTM's audit has no cosignature of $w"
	entries_at_least "$w" GTM checkpoint witnessed 1 || fail "$w audited no witnessed checkpoint"
done
assert_ok ctl_json GTM audit --verify
assert_eq "$(witness_held "$LAST_OUT" MEX)" "contains $size_a" "MEX in the verify of every witness"
assert_eq "$(witness_held "$LAST_OUT" SLV)" "contains $size_a" "SLV in the verify of every witness"
pass "a checkpoint of $size_a entries is witnessed by MEX and SLV"

# ---- b. more acts, a checkpoint that extends the first ----
assert_ok ctl GTM record add --make Beretta --serial WT-3 --model 92FS
assert_ok ctl GTM record event 2 --kind sold --date 2024-02-01 --party "Armeria Central"
size_b=$(checkpoint GTM)
[ "$size_b" -gt "$size_a" ] || fail "second checkpoint of $size_b entries, first $size_a"
for w in MEX SLV; do
	wait_holds GTM "$w" contains "$size_b"
	wait_until 20 entries_at_least "$w" GTM checkpoint witnessed 2 ||
		fail "$w has not witnessed GTM's second checkpoint"
	assert_eq "$(entries "$w" GTM checkpoint refused)" 0 "refusals by $w"
done
pass "a checkpoint of $size_b entries extends the one of $size_a"

# ---- c. an old backup of the stopped node; restarted, witnessed again ----
node_stop GTM
cp -a "$(node_dir GTM)/store" "$T/GTM-backup-store"
size_backup=$size_b
node_start GTM
wait_until 20 node_linked GTM 2 || fail "GTM did not link again"
assert_ok ctl GTM stolen report --make Taurus --serial WT-4 --date 2024-04-01 --case C-2
assert_ok ctl GTM query stolen --peer SLV --make Taurus --serial WT-8 --case C-2
size_c=$(checkpoint GTM)
for w in MEX SLV; do
	wait_holds GTM "$w" contains "$size_c"
	wait_until 20 entries_at_least "$w" GTM checkpoint witnessed 3 ||
		fail "$w has not witnessed GTM's third checkpoint"
done
pass "after a restart, a checkpoint of $size_c entries is witnessed"

# ---- d. SLV down and GTM restarted: the checkpoint waits in the outbox ----
node_stop SLV
assert_ok ctl GTM record add --make CZ --serial WT-4 --model 75
size_d0=$(checkpoint GTM)
wait_holds GTM MEX contains "$size_d0"
assert_ok ctl GTM record add --make CZ --serial WT-5 --model 75
size_d=$(checkpoint GTM)
wait_holds GTM MEX contains "$size_d"
node_stop GTM
node_start GTM
node_start SLV
wait_until 20 node_linked GTM 2 || fail "GTM did not link again"
wait_holds GTM SLV contains "$size_d"
wait_until 20 entries_at_least SLV GTM checkpoint witnessed 4 ||
	fail "SLV has not witnessed the checkpoint made while it was down"
assert_eq "$(entries SLV GTM checkpoint refused)" 0 "refusals by SLV"
# Of the two made while it was down, only the newest waited for it.
assert_eq "$(entries SLV GTM checkpoint witnessed)" 4 "checkpoints SLV received"
pass "the newest checkpoint made while SLV was down reaches it after both restarts"

# ---- e. the log rewritten with raw access to the stopped node's file ----
# Acts after the last checkpoint, so that the log, two entries shorter,
# still reaches past what the witnesses hold: rewritten, not behind.
assert_ok ctl GTM record add --make Glock --serial WT-6 --model 19
assert_ok ctl GTM record add --make Glock --serial WT-7 --model 26
n_before=$(head_seq GTM)
[ $((n_before - 2)) -ge "$size_d" ] || fail "log of $n_before entries, witnessed $size_d"
mex_alerts=$(alerts_about MEX GTM)
slv_alerts=$(alerts_about SLV GTM)
# The operator hides the search GTM made on MEX (its query and MEX's
# answer), and changes what its stolen report said.
out=$(ctl_json GTM audit) || fail "audit of GTM failed"
rewrite=$("$PYTHON" -S -c '
import json, sys
e = json.loads(sys.argv[1])["entries"]
ref = [a["ref"] for a in e if a.get("dir") == "out" and a.get("peer") == "MEX"][:1]
hide = [a["seq"] for a in e if ref and a.get("ref") == ref[0]]
edit = [a["seq"] for a in e if a.get("type") == "stolen.report"][:1]
print(" ".join(["--delete %s" % k for k in hide] + ["--edit %s" % j for j in edit]))
' "$out")
case $rewrite in
--delete*--delete*--edit*) ;;
*) fail "no search on MEX or no stolen report in GTM's audit: $rewrite" ;;
esac
read -ra opts <<<"$rewrite"
node_stop GTM
assert_ok "$REWRITE" "$(node_dir GTM)" "${opts[@]}" "nothing happened here"
printf '%s\n' "$LAST_OUT" >>"$(node_log GTM)"
for k in "${opts[@]}"; do
	case $k in
	[0-9]*) assert_contains "$LAST_OUT" "entry $k (" "audit_rewrite" ;;
	esac
done
assert_contains "$LAST_OUT" "head: entry $((n_before - 2))," "audit_rewrite"
node_start GTM
wait_until 20 node_linked GTM 2 || fail "GTM did not link again"

# The chain alone cannot tell: the rewrite is consistent and the node's
# own checkpoints are gone. (Should this fail after all, the node kept
# evidence audit_rewrite missed: make the adversary wipe it too.)
assert_ok ctl GTM audit --verify --local
assert_contains "$LAST_OUT" "intact" "chain-only verify of the rewritten log"

# The witnesses can.
tn_run ctl GTM audit --verify
[ "$LAST_RC" -ne 0 ] || fail "audit --verify passed a rewritten log: $LAST_OUT"
for w in MEX SLV rewritten; do
	assert_contains "$LAST_OUT $LAST_ERR" "$w" "verify of the rewritten log"
done
assert_not_contains "$LAST_OUT $LAST_ERR" behind "verify of the rewritten log"
tn_run ctl_json GTM audit --verify
[ "$LAST_RC" -ne 0 ] || fail "audit --json --verify passed a rewritten log"
assert_eq "$(witness_held "$LAST_OUT" MEX)" "rewritten $size_d" "MEX's verdict"
assert_eq "$(witness_held "$LAST_OUT" SLV)" "rewritten $size_d" "SLV's verdict"
pass "the rewritten log passes the chain check alone, and fails the witnesses"

# Its next checkpoint is refused by both, who keep the one they hold and
# audit the refusal; GTM hears of it. The adversary wiped what GTM sent
# them, so that first checkpoint comes without a proof: refused as
# unproven, with the size each holds. The one after carries the proof
# from there, which the rewritten log cannot make: an alert on each.
checkpoint GTM >/dev/null
for w in MEX SLV; do
	wait_until 20 entries_at_least "$w" GTM checkpoint refused 1 ||
		fail "$w did not audit a refused checkpoint of GTM"
	wait_until 20 entries_at_least GTM "$w" cosignature refused 1 ||
		fail "GTM's audit has no refusal from $w"
	assert_eq "$(held GTM "$w")" "rewritten $size_d" "what $w holds after refusing"
done
checkpoint GTM >/dev/null
alerted() { [ "$(alerts_about "$1" GTM)" -gt "$2" ]; }
wait_until 20 alerted MEX "$mex_alerts" || fail "no alert on MEX: $(ctl MEX alerts)"
wait_until 20 alerted SLV "$slv_alerts" || fail "no alert on SLV: $(ctl SLV alerts)"
node_alive MEX
node_alive SLV
pass "the rewritten log's checkpoint is refused by MEX and SLV, with alerts"

# ---- f. the log restored from the old backup: behind, not rewritten ----
node_stop GTM
rm -rf "$(node_dir GTM)/store"
cp -a "$T/GTM-backup-store" "$(node_dir GTM)/store"
node_start GTM
wait_until 20 node_linked GTM 2 || fail "GTM did not link again"
assert_ok ctl GTM audit --verify --local
assert_contains "$LAST_OUT" "intact" "chain-only verify of the restored log"
tn_run ctl GTM audit --verify
[ "$LAST_RC" -ne 0 ] || fail "audit --verify passed a log behind its witnesses: $LAST_OUT"
for w in MEX SLV behind; do
	assert_contains "$LAST_OUT $LAST_ERR" "$w" "verify of the restored log"
done
assert_not_contains "$LAST_OUT $LAST_ERR" rewritten "verify of the restored log"
tn_run ctl_json GTM audit --verify
assert_eq "$(witness_held "$LAST_OUT" MEX)" "behind $size_d" "MEX's verdict on the backup"
assert_eq "$(witness_held "$LAST_OUT" SLV)" "behind $size_d" "SLV's verdict on the backup"
pass "the log restored from a backup of $size_backup entries is behind $size_d, not rewritten"

# Its checkpoint is answered "behind", not refused: each witness raises an
# alert that says so (entries it saw are gone), not a forgery. (Once the
# restored log grows past what they hold, it is a fork, and refused.)
mex_alerts=$(alerts_about MEX GTM)
slv_alerts=$(alerts_about SLV GTM)
mex_refused=$(entries MEX GTM checkpoint refused)
checkpoint GTM >/dev/null
for w in MEX SLV; do
	wait_until 20 entries_at_least "$w" GTM checkpoint behind 1 ||
		fail "$w did not answer the restored log's checkpoint as behind"
done
for w in MEX SLV; do
	assert_contains "$(ctl "$w" alerts)" "is behind the $size_d we witnessed" \
		"$w's alert says behind"
done
assert_eq "$(entries MEX GTM checkpoint refused)" "$mex_refused" "MEX's refusals"
pass "a checkpoint of the restored log is behind, not forged"

# ---- g. checkpoint_every: witnessed with no command ----
node_init HND
sed -i 's/^checkpoint_every = .*/checkpoint_every = 1s/' "$(node_dir HND)/tracenet.conf"
grep -q '^checkpoint_every = 1s$' "$(node_dir HND)/tracenet.conf" ||
	fail "no checkpoint_every in HND's tracenet.conf"
node_start HND
ctl HND card >"$T/HND.card"
assert_ok ctl MEX peer add "$T/HND.card"
assert_ok ctl HND peer add "$T/MEX.card"
wait_until 20 node_linked HND 1 || fail "HND did not link to MEX"
assert_ok ctl HND record add --make Glock --serial WT-10 --model 17
wait_until 20 entries_at_least MEX HND checkpoint witnessed 1 ||
	fail "MEX witnessed no periodic checkpoint of HND"
wait_until 20 entries_at_least HND MEX cosignature witnessed 1 ||
	fail "HND's audit has no cosignature of MEX"
assert_ok ctl HND audit --verify
pass "checkpoint_every = 1s: a checkpoint is made and witnessed unasked"

for n in GTM MEX SLV HND; do node_stop "$n"; done
