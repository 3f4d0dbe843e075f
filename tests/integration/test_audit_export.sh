#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Audit filters and the signed audit export through the real daemon:
# `audit` filters by user, officer, case, peer and dates; `audit export`
# writes a signed file (audited itself) that `tracectl verify` checks
# offline; an edited entry, a flipped signature byte or another node's key
# fail the check, naming what failed. Entries of searches and of peers
# (which name a user, an officer, a case, a peer) are appended to the
# stopped node's log by tests/tools/audit_add, chained as the node does.
. "$(dirname "$0")/lib.sh"

ADD=$TN_BIN/tests/tools/audit_add
[ -x "$ADD" ] || fail "no $ADD (make units)"
offline() { env -u TRACENET_DIR "$TRACECTL" "$@"; }
ms() { echo "$(date -u -d "$1" +%s)000"; }
# seqs NAME ARGS...: the seqs `audit ARGS` lists, space separated.
seqs()
{
	local out
	out=$(ctl_json "$@") || fail "$* failed"
	"$PYTHON" -S -c 'import json, sys
print(" ".join(e["seq"] for e in json.load(sys.stdin)["entries"]))' <<<"$out"
}

node_init GTM
node_init MEX
gtm=$(node_dir GTM)
# The entries below are from 2024: keep them past the default two years.
sed -i 's/^retention = .*/retention = forever/' "$gtm/tracenet.conf"
"$ADD" "$gtm" ts="$(ms 2024-01-10T09:00:00Z)" dir=out type=stolen_query peer=MEX ref=q1 \
	outcome=sent user=ana uid=1001 officer=O-17 case_ref=C-2024-1 >/dev/null
"$ADD" "$gtm" ts="$(ms 2024-01-10T09:00:01Z)" dir=in type=stolen_result peer=MEX ref=q1 \
	outcome=hit user=ana uid=1001 officer=O-17 case_ref=C-2024-1 >/dev/null
"$ADD" "$gtm" ts="$(ms 2024-01-31T23:59:59Z)" dir=in type=stolen_query peer=USA ref=q9 \
	outcome=no_hit >/dev/null
"$ADD" "$gtm" ts="$(ms 2024-02-01T00:00:00Z)" dir=out type=trace_request peer=USA \
	outcome=queued user=bob uid=1002 officer=O-5 ordered_by=J-1 case_ref=C-2024-7 >/dev/null
node_start GTM
node_start MEX
assert_ok ctl GTM record add --make Glock --serial GH-100 --model 17
assert_ok ctl GTM record event 1 --kind sold --date 2024-02-01 --party "Armeria Central"
assert_ok ctl GTM stolen report --make Glock --serial ZZ-1 --date 2024-03-01
assert_ok ctl GTM audit --verify
assert_eq "$LAST_OUT" "audit chain intact: 7 entries" "the added entries chain as the node's"

# ---- filters ----
assert_eq "$(seqs GTM audit)" "1 2 3 4 5 6 7" "no filter"
assert_eq "$(seqs GTM audit --user ana)" "1 2" "--user"
assert_eq "$(seqs GTM audit --officer O-5)" "4" "--officer"
assert_eq "$(seqs GTM audit --case C-2024-1)" "1 2" "--case"
assert_eq "$(seqs GTM audit --peer USA)" "3 4" "--peer"
assert_eq "$(seqs GTM audit --peer MEX --user ana)" "1 2" "two filters"
assert_eq "$(seqs GTM audit --peer USA --user ana)" "" "two filters, no entry has both"
assert_eq "$(seqs GTM audit --user an)" "" "a user matches exactly"
assert_eq "$(seqs GTM audit --peer MEX --limit 1)" "2" "--limit keeps the newest match"
pass "audit filters by user, officer, case and peer, each exactly, all together"

assert_eq "$(seqs GTM audit --until 2024-01-31)" "1 2 3" "--until includes its whole day"
assert_eq "$(seqs GTM audit --since 2024-02-01 --until 2024-02-01)" "4" "one day"
assert_eq "$(seqs GTM audit --since 2024-01-11 --until 2024-12-31)" "3 4" "a range"
assert_eq "$(seqs GTM audit --since "$(date -u +%Y-%m-%d)")" "5 6 7" "--since today"
assert_fails ctl GTM audit --until 2024-02-30
assert_contains "$LAST_ERR" "--until must be YYYY-MM-DD"
assert_fails ctl GTM audit --peer MEXICO
assert_fails ctl GTM audit --user
assert_fails ctl GTM audit --colour red
pass "audit filters by date: --since from, --until through the day named"

assert_ok ctl GTM audit --case C-2024-7
assert_contains "$LAST_OUT" "USER       OFFICER/CASE" "table header"
assert_contains "$LAST_OUT" "queued    bob        O-5/C-2024-7" "user, officer/case cells"
assert_eq "$(printf '%s\n' "$LAST_OUT" | wc -l)" 2 "table lines"
assert_ok ctl GTM audit --limit 1
assert_eq "$(printf '%s\n' "$LAST_OUT" | tail -n 1 | awk '{print $NF}')" "$(id -un)" \
	"a console act names its user, and no officer or case"
pass "the audit table shows the user and the officer/case"

# ---- export ----
assert_ok ctl GTM audit export --out "$T/all.tnx"
assert_eq "$LAST_OUT" "wrote 7 audit entries of GTM (seq 1..7) to $T/all.tnx" "export line"
assert_eq "$(stat -c %a "$T/all.tnx")" 600 "export file mode"
out=$(ctl_json GTM audit --limit 1) || fail "audit failed"
assert_json "$out" entries.0.seq=8 entries.0.type=audit.export entries.0.dir=local \
	entries.0.outcome=ok "entries.0.detail=7 entries"
assert_fails ctl GTM audit export --out "$T/all.tnx"
assert_contains "$LAST_ERR" "it must not exist"
assert_eq "$(seqs GTM audit --since "$(date -u +%Y-%m-%d)")" "5 6 7 8" "a refused export is not audited"
assert_fails ctl GTM audit export --user ana
assert_fails ctl GTM audit export --out "$T/x.tnx" --limit 3
[ ! -e "$T/x.tnx" ] || fail "a refused export left its file"
pass "audit export writes a new file only, mode 0600, and is audited"

assert_ok ctl GTM audit export --out "$T/ana.tnx" --user ana --until 2024-01-31
assert_eq "$LAST_OUT" "wrote 2 audit entries of GTM (seq 1..2) to $T/ana.tnx" "filtered export"
out=$(ctl_json GTM audit --limit 1) || fail "audit failed"
assert_json "$out" "entries.0.detail=2 entries, before 2024-02-01, user ana"
full=$(ctl_json GTM audit export --out "$T/mex.tnx" --peer MEX) || fail "export --json failed"
empty=$(ctl_json GTM audit export --out "$T/none.tnx" --user nobody) || fail "export --json failed"
assert_json "$full" node=GTM entries#=2 filter.peer=MEX head_seq=9 entries.1.outcome=hit
assert_json "$empty" node=GTM entries#=0 filter.user=nobody head_seq=10
shape() { "$PYTHON" -S -c 'import json, sys; print(sorted(json.load(sys.stdin)))' <<<"$1"; }
assert_eq "$(shape "$empty")" "$(shape "$full")" "one JSON shape, empty or full"
pass "a filtered export holds the matching entries and its filter"

# Straight through the console: a filter too long to describe in full in
# the export's audit entry (255 bytes) is cut there, and the log reads.
"$PYTHON" -S - "$TN_ROOT/tests/integration" "$gtm/console.sock" <<'PY' || fail "raw export failed"
import sys
sys.path.insert(0, sys.argv[1])
from console_wire import Console, frame, pack
c = Console(sys.argv[2])
args = {"since_ms": 1704067201000, "until_ms": 1706745601000, "from_seq": 2**64 - 1,
        "user": "a" * 32, "officer": "\u00e9" * 31 + "x", "case_ref": "\u00e9" * 31 + "y",
        "peer": "MEX"}
c.send(frame(pack({"cmd": "audit.export", "args": args})))
r = c.reply()
assert r["ok"] and r["data"]["filter"]["officer"] == args["officer"], r
assert "entries" not in r["data"], r
PY
out=$(ctl_json GTM audit --limit 1) || fail "audit failed"
detail=$(json_get "$out" entries.0.detail)
assert_contains "$detail" "0 entries, since 2024-01-01T00:00:01Z, before 2024-02-01T00:00:01Z, user aaa"
[ "$(printf '%s' "$detail" | wc -c)" -le 255 ] || fail "detail over 255 bytes: $detail"
assert_ok ctl GTM audit --verify
pass "a long filter's description is cut to fit the export's own entry"

# ---- verify, offline ----
gtm_card=$(ctl GTM card)
mex_card=$(ctl MEX card)
gtm_fp=$(json_get "$(ctl_json GTM status)" fingerprint)
assert_ok offline verify "$T/all.tnx"
assert_contains "$LAST_OUT" "audit export of GTM, signed by $gtm_fp on 20"
assert_contains "$LAST_OUT" ": 7 entries (seq 1..7), every hash intact"
assert_contains "$LAST_OUT" "the key was not compared with one you trust"
assert_ok offline verify "$T/all.tnx" --card "$gtm_card"
assert_contains "$LAST_OUT" "the key is GTM's, from the card given"
assert_ok offline verify "$T/all.tnx" --key "$(cat "$gtm/node.pub")"
assert_ok offline --json verify "$T/ana.tnx" --card "$gtm_card"
assert_json "$LAST_OUT" valid=true node=GTM signer_fingerprint="$gtm_fp" signer_checked=card \
	signer_name=GTM entries=2 first_seq=1 last_seq=2 head_seq=8 anchor_seq=0 \
	filter.user=ana filter.until_ms="$(ms 2024-02-01)" problems#=0
assert_eq "$(json_get "$LAST_OUT" head_hash)" "$(json_get "$(ctl_json GTM audit --since \
	"$(date -u +%Y-%m-%d)")" entries.3.hash)" "head_hash is entry 8's hash"
assert_ok ctl GTM verify "$T/all.tnx"
assert_contains "$LAST_OUT" "the key is GTM's, this node's own"
assert_ok offline verify "$T/none.tnx" --card "$gtm_card"
assert_contains "$LAST_OUT" ": 0 entries, every hash intact"
pass "verify checks an export offline and says whose key signed it"

assert_fails offline verify "$T/all.tnx" --key "$(cat "$(node_dir MEX)/node.pub")"
assert_eq "$LAST_ERR" "tracectl: signed by key $gtm_fp, not by the key you gave" "--key MEX"
assert_fails offline verify "$T/all.tnx" --card "$mex_card"
assert_contains "$LAST_ERR" "not by the key you gave for MEX"
assert_fails ctl MEX verify "$T/all.tnx"
assert_contains "$LAST_ERR" "neither the key of the node at $(node_dir MEX) nor a peer's it pins"
ctl GTM card >"$T/GTM.card"
assert_ok ctl MEX peer add "$T/GTM.card"
assert_ok ctl MEX verify "$T/all.tnx"
assert_contains "$LAST_OUT" "the key is GTM's, a peer pinned by this node"
pass "an export checked against another node's key fails; a pinned peer's passes"

# Entry 2's outcome "hit" becomes "hiT".
tamper "$T/all.tnx" "$T/edited.tnx" 'b"\xa7outcome\xa3hit"' 'b"\xa7outcome\xa3hiT"'
tn_run offline verify "$T/edited.tnx" --card "$gtm_card"
[ "$LAST_RC" -eq 1 ] || fail "an edited entry verified (exit $LAST_RC): $LAST_OUT"
[ -z "$LAST_OUT" ] || fail "a failed verify printed on stdout: $LAST_OUT"
assert_eq "$LAST_ERR" "tracectl: export signature does not verify
tracectl: entry 2: hash mismatch (edited)" "verify of an edited entry"
tn_run offline --json verify "$T/edited.tnx" --card "$gtm_card"
[ "$LAST_RC" -eq 1 ] || fail "--json verify passed an edited entry"
assert_json "$LAST_OUT" valid=false problems#=2 problems.1.seq=2 \
	"problems.1.what=entry 2: hash mismatch (edited)" entries=7
assert_eq "$(shape "$LAST_OUT")" "$(shape "$(offline --json verify "$T/all.tnx")")" \
	"one JSON shape, valid or not"
# flip SRC DST MARKER OFF: DST is SRC with one bit flipped OFF bytes after
# the one occurrence of MARKER (a python bytes literal).
flip()
{
	"$PYTHON" -S - "$@" <<'PY' || fail "flipping a bit of $1 failed"
import ast, sys
src, dst, mark, off = sys.argv[1], sys.argv[2], ast.literal_eval(sys.argv[3]), int(sys.argv[4])
data = bytearray(open(src, "rb").read())
assert data.count(mark) == 1, mark
data[data.index(mark) + off] ^= 1
open(dst, "wb").write(data)
PY
}
flip "$T/all.tnx" "$T/sig.tnx" 'b"\xa3sig\xc4\x40"' 20
assert_fails offline verify "$T/sig.tnx" --card "$gtm_card"
assert_eq "$LAST_ERR" "tracectl: export signature does not verify" "a flipped signature bit"
head -c 200 "$T/all.tnx" >"$T/half.tnx"
assert_fails offline verify "$T/half.tnx"
assert_contains "$LAST_ERR" "is neither a receipt"
pass "an edited entry, a flipped signature bit and a cut file fail verify, naming what failed"

# ---- the export's limit ----
node_init BLZ
sed -i 's/^retention = .*/retention = forever/' "$(node_dir BLZ)/tracenet.conf"
"$ADD" -n 20001 "$(node_dir BLZ)" ts="$(ms 2024-05-01)" dir=local type=record.add \
	user=ana >/dev/null
"$ADD" "$(node_dir BLZ)" ts="$(ms 2024-05-02)" dir=local type=record.add user=bob >/dev/null
node_start BLZ
assert_fails ctl BLZ audit export --out "$T/big.tnx"
assert_eq "$LAST_ERR" "tracectl: more than 20000 audit entries match: narrow the export with \
--since, --until, --user, --officer, --case or --peer" "too many entries"
[ ! -e "$T/big.tnx" ] || fail "a failed export left its file"
assert_ok ctl BLZ audit export --out "$T/bob.tnx" --user bob
assert_eq "$LAST_OUT" "wrote 1 audit entry of BLZ (seq 20002..20002) to $T/bob.tnx"
assert_ok offline verify "$T/bob.tnx" --card "$(ctl BLZ card)"
assert_ok ctl BLZ audit --verify
assert_eq "$LAST_OUT" "audit chain intact: 20003 entries" "the refused export is not audited"
pass "an export of more than 20000 entries is refused with how to narrow it"

node_stop GTM
node_stop MEX
node_stop BLZ
