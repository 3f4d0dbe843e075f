#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Retention of the audit log through the real daemon: with the default
# period nothing goes; with a short one the retention pass at start (and
# the audit.retain command) deletes the old entries from the front, leaves
# a signed anchor, and audits the deletion, while `audit --verify` still
# proves the rest. Edits made in the LMDB file with the node down (a kept
# entry, the anchor, the anchor gone, a longer cut) are all found.
. "$(dirname "$0")/lib.sh"

command -v mdb_dump >/dev/null && command -v mdb_load >/dev/null ||
	fail "mdb_dump and mdb_load (lmdb-utils) are needed"

node_init GTM
d=$(node_dir GTM)
conf=$d/tracenet.conf

retention()
{
	sed -i "s/^retention = .*/retention = $1/" "$conf"
	grep -q "^retention = $1\$" "$conf" || fail "no retention line in $conf"
}

restart()
{
	node_stop GTM
	node_start GTM
}

# The types of the audit entries, oldest first.
types()
{
	ctl_json GTM audit | "$PYTHON" -c '
import json, sys
print(" ".join(e["type"] for e in json.load(sys.stdin)["entries"]))'
}

# verify_ok ENTRIES FROM_SEQ: audit --verify passes with these counts.
verify_ok()
{
	assert_ok ctl GTM audit --verify
	assert_eq "$LAST_OUT" "audit chain intact: $1 entries" "verify"
	assert_ok ctl_json GTM audit --verify
	assert_json "$LAST_OUT" entries="$1" first_bad=0 from_seq="$2"
}

# verify_fails FIRST_BAD ERROR: audit --verify names the entry and why.
verify_fails()
{
	assert_fails ctl GTM audit --verify
	assert_eq "$LAST_ERR" "tracectl: audit chain broken at entry $1: $2" "verify"
	tn_run ctl_json GTM audit --verify
	[ "$LAST_RC" -ne 0 ] || fail "audit --json --verify passed a broken chain"
	assert_json "$LAST_OUT" first_bad="$1"
}

# The console command audit.retain, as any console client sends it; its
# reply's data as JSON.
retain_cmd()
{
	"$PYTHON" - "$TN_ROOT/tests/integration" "$d/console.sock" <<'PY'
import json, sys
sys.path.insert(0, sys.argv[1])
from console_wire import Console, frame, pack
c = Console(sys.argv[2])
c.send(frame(pack({"cmd": "audit.retain"})))
r = c.reply()
if not r or not r.get("ok"):
    sys.exit("audit.retain failed: %r" % (r,))
print(json.dumps(r["data"]))
PY
}

# Edit the node's store as someone holding the file but not the node's
# key would, node stopped: every database dumped, changed by OPS, and
# loaded into a fresh environment that takes the store's place. OPS:
# "del DB KEYHEX" deletes a key; "sub DB KEYHEX OLD NEW" replaces the hex
# OLD (found once) in its value.
store_edit()
{
	rm -rf "$T/edit" && mkdir "$T/edit"
	mdb_dump -a "$d/store" >"$T/all.dump" || fail "mdb_dump failed"
	"$PYTHON" - "$T/all.dump" "$T/edited.dump" "$@" <<'PY' || fail "editing the dump failed"
import sys
src, dst, ops = sys.argv[1], sys.argv[2], [o.split() for o in sys.argv[3:]]
lines, db = open(src).read().split("\n"), None
out = []
i = 0
while i < len(lines):
    line = lines[i]
    if line.startswith("database="):
        db = line.split("=", 1)[1]
    if line.startswith(" ") and i + 1 < len(lines):
        key, val = line[1:], lines[i + 1][1:]
        drop = False
        for op in ops:
            if op[1] != db or op[2] != key:
                continue
            if op[0] == "del":
                drop = True
            else:
                assert val.count(op[3]) == 1, (op, val)
                val = val.replace(op[3], op[4])
            op.append("done")
        if not drop:
            out += [" " + key, " " + val]
        i += 2
        continue
    out.append(line)
    i += 1
missed = [o for o in ops if o[-1] != "done"]
assert not missed, missed
open(dst, "w").write("\n".join(out))
PY
	mdb_load -f "$T/edited.dump" "$T/edit" 2>>"$T/mdb.log" || fail "mdb_load failed"
	cat "$T/edit/data.mdb" >"$d/store/data.mdb"
}

be64() { printf '%016x' "$1"; }
hex() { printf '%s' "$1" | od -An -tx1 | tr -d ' \n'; }
ANCHOR=$(hex store:audit:anchor)

# ---- the default period: nothing is cut ----

grep -q '^retention = 730d$' "$conf" || fail "init did not write retention = 730d"
node_start GTM
assert_ok ctl GTM record add --make Glock --serial RT-1 --model 17
assert_ok ctl GTM record add --make Glock --serial RT-2 --model 19
assert_ok ctl GTM stolen report --make Glock --serial RT-9 --date 2024-03-01
restart
verify_ok 3 1
assert_eq "$(types)" "record.add record.add stolen.report" "entries after a restart"
assert_json "$(retain_cmd)" deleted=0 from_seq=1
assert_not_contains "$(cat "$(node_log GTM)")" "audit retention" "log"
pass "with the default retention (730d) nothing is cut"

# ---- a short period: the pass at start cuts ----

retention 2s
sleep 3.1
restart
wait_until 10 eval '[ "$(types)" = audit.retain ]' || fail "no cut at start: $(types)"
out=$(ctl_json GTM audit)
assert_json "$out" entries#=1 entries.0.seq=4 entries.0.dir=local entries.0.outcome=ok \
	entries.0.user=
detail=$(json_get "$out" entries.0.detail)
[[ $detail =~ ^"deleted entries 1-3 older than "[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}Z$ ]] ||
	fail "detail of audit.retain: $detail"
verify_ok 1 4
assert_contains "$(cat "$(node_log GTM)")" \
	"audit retention: deleted 3 entries older than ${detail##* }; the log now starts at entry 4"
pass "entries older than 2s are cut at start, the cut audited, the rest verifies"

# ---- the command: old entries go, a fresh one stays ----

assert_ok ctl GTM record add --make Glock --serial RT-3 --model 17
assert_ok ctl GTM stolen recover 1 --date 2024-04-01
sleep 3.1
assert_ok ctl GTM record add --make Glock --serial RT-4 --model 17
out=$(retain_cmd)
assert_json "$out" deleted=3 from_seq=7
cut_ms=$(json_get "$out" cut_ms)
[ $((cut_ms % 1000)) -eq 0 ] && [ "$cut_ms" -le $(($(tn_now_ms) - 2000)) ] ||
	fail "cut_ms $cut_ms"
out=$(ctl_json GTM audit)
assert_json "$out" entries#=2 entries.0.seq=7 entries.0.type=record.add \
	entries.1.seq=8 entries.1.type=audit.retain entries.1.outcome=ok
assert_contains "$(json_get "$out" entries.1.detail)" "deleted entries 4-6 older than "
verify_ok 2 7
pass "audit.retain cuts at once, audits it, and keeps the young entries"

# ---- the cut survives a restart; the default cuts no more ----

retention 730d
restart
verify_ok 2 7
assert_eq "$(types)" "record.add audit.retain" "entries after a restart"
out=$(ctl_json GTM audit)
prev7=$(json_get "$out" entries.0.prev)
hash7=$(json_get "$out" entries.0.hash)
node_stop GTM
cp -a "$d/store" "$T/store.orig"
pass "the cut and its anchor survive a restart"

# ---- edits in the file, node down ----

restore()
{
	node_stop GTM
	cp -a "$T/store.orig/." "$d/store/"
}

# A kept entry: record.add's outcome "ok" -> "no".
store_edit "sub audit $(be64 7) a76f7574636f6d65a26f6b a76f7574636f6d65a26e6f"
node_start GTM
verify_fails 7 "hash mismatch (edited)"
node_alive GTM
pass "an edit of a kept entry is named by verify"

# One byte of the anchor's prev: the walk and the signature both fail;
# verify reports the anchor.
restore
store_edit "sub meta $ANCHOR c420$prev7 c420$(printf '%02x' $((0x${prev7:0:2} ^ 1)))${prev7:2}"
node_start GTM
verify_fails 7 "anchor: signature does not verify (forged or damaged)"
pass "a forged anchor is found by its signature"

# Cutting one more without the key: entry 7 deleted, the anchor moved to
# 8 and linked to entry 7's hash. The chain holds; the signature does not.
restore
store_edit "del audit $(be64 7)" "sub meta $ANCHOR a373657107 a373657108" \
	"sub meta $ANCHOR c420$prev7 c420$hash7"
node_start GTM
verify_fails 8 "anchor: signature does not verify (forged or damaged)"
pass "cutting more without the node's key is found"

# The anchor deleted while entries are cut.
restore
store_edit "del meta $ANCHOR"
node_start GTM
verify_fails 1 "entry 1 missing"
pass "a deleted anchor is found"

restore
node_start GTM
verify_ok 2 7
node_stop GTM
pass "the original store verifies again"
