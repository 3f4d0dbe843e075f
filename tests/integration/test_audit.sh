#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The audit log through the real daemon: local console acts are audited,
# `audit` lists them, `audit --verify` passes; an entry edited in the LMDB
# file while the node is down is then named by `audit --verify`.
. "$(dirname "$0")/lib.sh"

command -v mdb_dump >/dev/null && command -v mdb_load >/dev/null ||
	fail "mdb_dump and mdb_load (lmdb-utils) are needed"

node_init GTM
d=$(node_dir GTM)
node_start GTM

# An empty log is intact.
assert_ok ctl GTM audit --verify
assert_eq "$LAST_OUT" "audit chain intact: 0 entries" "verify of an empty log"
assert_ok ctl GTM audit
assert_eq "$LAST_OUT" "no audit entry" "listing of an empty log"

# Each local write leaves one entry; refused writes leave none.
assert_ok ctl GTM record add --make Glock --serial GH-100 --model 17
assert_ok ctl GTM record event 1 --kind sold --date 2024-02-01 --party "Armeria Central"
assert_ok ctl GTM stolen report --make Glock --serial ZZ-1 --date 2024-03-01
assert_ok ctl GTM stolen recover 1 --date 2024-04-01
assert_fails ctl GTM stolen recover 1 --date 2024-04-02
assert_fails ctl GTM record add --make Glock --serial GH-100 --model 17
cat >"$T/import.csv" <<'CSV'
make,model,caliber,type,serial,country,importer
Beretta,92FS,9mm,pistol,BR-1,ITA,
Beretta,92FS,9mm,pistol,BR-2,ITA,
CSV
assert_ok ctl GTM record import "$T/import.csv"

out=$(ctl_json GTM audit) || fail "audit --json failed"
types=$(python3 -c '
import json, sys
print(" ".join(e["type"] for e in json.loads(sys.argv[1])["entries"]))' "$out")
assert_eq "$types" "record.add record.event stolen.report stolen.recover record.import" \
	"audited acts, oldest first"
assert_eq "$(json_get "$out" entries.0.seq)" 1 "first seq"
assert_eq "$(json_get "$out" entries.0.dir)" local "dir of a console act"
assert_eq "$(json_get "$out" entries.0.ref)" 1 "ref of record.add"
assert_eq "$(json_get "$out" entries.3.detail)" "recovered 2024-04-01" "detail of stolen.recover"
assert_eq "$(json_get "$out" entries.4.detail)" "2 imported" "detail of record.import"
assert_eq "$(json_get "$out" entries.1.prev)" "$(json_get "$out" entries.0.hash)" "chain link"
pass "local acts are audited in order, refused ones are not"

assert_ok ctl GTM audit
assert_contains "$LAST_OUT" "SEQ    TIME UTC" "audit table"
assert_contains "$LAST_OUT" "stolen.recover" "audit table"
assert_eq "$(printf '%s\n' "$LAST_OUT" | wc -l)" 6 "table lines"
out=$(ctl_json GTM audit --limit 2) || fail "audit --limit failed"
assert_eq "$(json_get "$out" entries.0.seq)" 4 "--limit keeps the newest"
assert_eq "$(json_get "$out" entries.1.seq)" 5 "--limit keeps the newest, newest last"
assert_ok ctl GTM audit --since 2099-01-01
assert_eq "$LAST_OUT" "no audit entry" "--since in the future"
assert_ok ctl GTM audit --since "$(date -u +%Y-%m-%d)"
assert_contains "$LAST_OUT" "record.import" "--since today"
assert_fails ctl GTM audit --since 2024-02-30
assert_fails ctl GTM audit --limit 0
pass "audit lists, limits and filters by date"

assert_ok ctl GTM audit --verify
assert_eq "$LAST_OUT" "audit chain intact: 5 entries" "verify"
out=$(ctl_json GTM audit --verify) || fail "audit --json --verify failed"
assert_eq "$(json_get "$out" first_bad)" 0 "first_bad of an intact chain"
pass "the chain verifies"

# Tamper with entry 3's outcome ("ok" -> "no") in the file, node down.
node_stop GTM
mdb_dump -s audit "$d/store" >"$T/audit.dump" || fail "mdb_dump failed"
python3 - "$T/audit.dump" "$T/tampered.dump" <<'PY' || fail "tampering failed"
import sys
lines = open(sys.argv[1]).read().split("\n")
key = " " + (3).to_bytes(8, "big").hex()
i = lines.index(key)
old = "a76f7574636f6d65a26f6b"   # "outcome": "ok"
new = "a76f7574636f6d65a26e6f"   # "outcome": "no"
assert lines[i + 1].count(old) == 1, lines[i + 1]
lines[i + 1] = lines[i + 1].replace(old, new)
open(sys.argv[2], "w").write("\n".join(lines))
PY
mdb_load -s audit -f "$T/tampered.dump" "$d/store" 2>>"$T/mdb.log" || fail "mdb_load failed"
node_start GTM

out=$(ctl_json GTM audit) || fail "audit of a tampered log failed"
assert_eq "$(json_get "$out" entries.2.outcome)" no "the edit is in the file"
assert_fails ctl GTM audit --verify
assert_eq "$LAST_ERR" "tracectl: audit chain broken at entry 3: hash mismatch (edited)" \
	"verify of an edited entry"
tn_run ctl_json GTM audit --verify
[ "$LAST_RC" -ne 0 ] || fail "audit --json --verify passed a broken chain"
assert_eq "$(json_get "$LAST_OUT" first_bad)" 3 "first_bad of an edited entry"
node_alive GTM
pass "an entry edited in the file is named by audit --verify"

# Put the original bytes back: intact again.
node_stop GTM
mdb_load -s audit -f "$T/audit.dump" "$d/store" 2>>"$T/mdb.log" || fail "mdb_load failed"
node_start GTM
assert_ok ctl GTM audit --verify
assert_eq "$LAST_OUT" "audit chain intact: 5 entries" "verify after restoring"
node_stop GTM
pass "restoring the original entry restores the chain"
