#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The node across restarts: a clean stop keeps data and id sequences; a
# SIGKILL in the middle of a large import leaves whole batches and a store
# that works; a second daemon on the same directory and an unsafe node.key
# are refused.
. "$(dirname "$0")/lib.sh"

GEN=$TN_ROOT/scripts/gen-records.py
node_init GTM
d=$(node_dir GTM)
node_start GTM

# ---- data before a clean restart ----
assert_ok ctl GTM record add --make Glock --serial RS-1 --model G17 --country AUT
assert_ok ctl GTM record add --make "S&W" --serial RS-2 --model "M&P9" --country USA
assert_ok ctl GTM record add --make Beretta --serial RS-3 --model 92FS
assert_ok ctl GTM record event 2 --kind imported --date 2020-03-04 --country USA --party Importadora
assert_ok ctl GTM record event 2 --kind sold --date 2021-05-06 --party "Armería Central" --ref R-9
assert_ok ctl GTM stolen report --make Glock --serial RS-1 --date 2024-01-01 --case C-1
assert_ok ctl GTM stolen report --kind lost --make Beretta --serial RS-3 --date 2024-02-02
assert_ok ctl GTM stolen recover 1 --date 2024-03-03
assert_ok ctl_json GTM record show 2
rec2=$LAST_OUT
assert_ok ctl_json GTM stolen list --all
stolen=$LAST_OUT
assert_ok ctl_json GTM status
assert_json "$LAST_OUT" records=3 stolen=2 stolen_open=1
pid1=$(node_pid GTM)

node_stop GTM
node_start GTM
[ "$(node_pid GTM)" != "$pid1" ] || fail "restart kept the old process"
assert_ok ctl_json GTM status
assert_json "$LAST_OUT" records=3 stolen=2 stolen_open=1 name=GTM
assert_ok ctl_json GTM record show 2
assert_eq "$LAST_OUT" "$rec2" "record 2 after the restart"
assert_ok ctl_json GTM stolen list --all
assert_eq "$LAST_OUT" "$stolen" "reports after the restart"
assert_ok ctl_json GTM record find --serial rs1 --make glock
assert_json "$LAST_OUT" records#=1 records.0.id=1
assert_fails ctl GTM stolen recover 1
assert_contains "$LAST_ERR" "already recovered" "recovered report after the restart"
# New ids continue the sequences.
assert_ok ctl_json GTM record add --make Taurus --serial RS-4 --model G2C
assert_json "$LAST_OUT" id=4
assert_ok ctl_json GTM stolen report --make Taurus --serial RS-4 --date 2024-04-04
assert_json "$LAST_OUT" id=3
assert_fails ctl GTM record add --make glock --serial rs-1 --model g17
assert_contains "$LAST_ERR" "same make, serial and model" "duplicate after the restart"
pass "clean restart: records, events, reports and id sequences kept"

# ---- SIGKILL in the middle of a large import ----
N=200000
csv=$T/big.csv
"$PYTHON" "$GEN" $N --seed 11 >"$csv" || fail "gen-records.py failed"
base=$(node_records GTM)
# From standard input, so that the batches keep to the schedule above (the
# last batches of a file whose size is known are cut by what seems left).
"$TRACECTL" -d "$d" record import - <"$csv" >"$T/import.out" 2>"$T/import.err" &
imp=$!
ends=$(import_batch_ends $N)
# Kill once a few batches are in (bounded: fails if none ever lands).
third=$(sed -n 3p <<<"$ends")
wait_until 60 eval '[ "$(node_records GTM)" -ge $((base + third)) ]' ||
	fail "the import committed nothing within 60 s"
node_kill GTM
imp_rc=0
wait "$imp" || imp_rc=$?
[ "$imp_rc" -ne 0 ] || fail "tracectl import succeeded although its node was killed"
# Checked at the end (known trouble), so that the store checks below run.
check_import_err()
{
	[ "$imp_rc" -le 128 ] ||
		fail "tracectl import died of signal $((imp_rc - 128)) ($(kill -l $((imp_rc - 128)))) when its node was killed, without a word"
	assert_eq "$(wc -l <"$T/import.err")" 1 "tracectl's error lines after the node died"
	assert_contains "$(cat "$T/import.err")" "tracectl: " "tracectl's error after the node died"
	pass "tracectl import fails with one line when its node is killed"
}

node_start GTM
got=$(($(node_records GTM) - base))
[ "$got" -gt 0 ] && [ "$got" -lt "$N" ] ||
	fail "records after the kill: $got, want some but not all of $N"
grep -qx "$got" <<<"$ends" ||
	fail "records after the kill: $got, not whole batches ($(xargs <<<"$ends"))"
# The rows in are exactly the first $got of the file, under consecutive ids.
tn_run "$PYTHON" - "$csv" "$got" "$base" <<'EOF'
import csv, sys
rows = list(csv.reader(open(sys.argv[1], newline="", encoding="utf-8")))[1:]
got, base = int(sys.argv[2]), int(sys.argv[3])
for k in (1, got, got + 1):
    print(base + k, rows[k - 1][4], rows[k - 1][0])
EOF
[ "$LAST_RC" -eq 0 ] || fail "reading $csv: $LAST_ERR"
{
	read -r first_id first_serial first_make
	read -r last_id last_serial last_make
	read -r next_id next_serial next_make
} <<<"$LAST_OUT"
assert_ok ctl_json GTM record show "$first_id"
assert_json "$LAST_OUT" "serial=$first_serial" "make=$first_make"
assert_ok ctl_json GTM record show "$last_id"
assert_json "$LAST_OUT" "serial=$last_serial" "make=$last_make"
assert_fails ctl GTM record show "$next_id"
assert_ok ctl_json GTM record find --serial "$last_serial" --make "$last_make"
assert_json "$LAST_OUT" records#=1 "records.0.id=$last_id"
assert_ok ctl_json GTM record find --serial "$next_serial" --make "$next_make"
assert_not_contains "$LAST_OUT" '"id"' "find of the first row not imported"
pass "after SIGKILL mid-import: $got records, $(grep -n -x "$got" <<<"$ends" | cut -d: -f1) whole batches, the first rows of the file"

# The store takes writes again: the same file brings in exactly the rest.
tn_run ctl_json GTM record import "$csv"
[ "$LAST_RC" -eq 0 ] || fail "re-import after the kill failed: $LAST_ERR"
assert_json "$LAST_OUT" rows=$N imported=$((N - got)) on_file=$got rejected=0
assert_ok ctl_json GTM status
assert_json "$LAST_OUT" records=$((base + N))
assert_ok ctl_json GTM record show "$next_id"
assert_json "$LAST_OUT" "serial=$next_serial"
assert_ok ctl_json GTM record add --make Walther --serial RS-5 --model PDP
assert_json "$LAST_OUT" id=$((base + N + 1))
pass "after SIGKILL: the rest of the file imports, ids continue"

# ---- one daemon per directory ----
pid=$(node_pid GTM)
tn_run timeout 20 "$TRACENETD" run "$d"
[ "$LAST_RC" -ne 0 ] || fail "a second tracenetd on $d exited 0"
[ "$LAST_RC" -ne 124 ] || fail "a second tracenetd on $d ran instead of refusing"
assert_contains "$LAST_ERR" "another tracenetd is running on this directory" \
	"second daemon's message"
assert_ok ctl_json GTM status
assert_json "$LAST_OUT" "pid=$pid" records=$((base + N + 1))
pass "a second tracenetd on the same directory refuses to start, the first one still serves"
node_stop GTM

# ---- node.key must be 0600 and not a symlink ----
chmod 0644 "$d/node.key"
tn_run timeout 20 "$TRACENETD" run "$d"
[ "$LAST_RC" -ne 0 ] && [ "$LAST_RC" -ne 124 ] ||
	fail "tracenetd ran with node.key mode 0644 (exit $LAST_RC)"
assert_contains "$LAST_ERR" "permissions" "refusal of node.key mode 0644"
assert_contains "$LAST_ERR" "node.key" "refusal of node.key mode 0644"
chmod 0600 "$d/node.key"
mv "$d/node.key" "$d/key.real"
ln -s key.real "$d/node.key"
tn_run timeout 20 "$TRACENETD" run "$d"
[ "$LAST_RC" -ne 0 ] && [ "$LAST_RC" -ne 124 ] ||
	fail "tracenetd ran with node.key a symlink (exit $LAST_RC)"
assert_contains "$LAST_ERR" "node.key" "refusal of a symlinked node.key"
rm "$d/node.key"
mv "$d/key.real" "$d/node.key"
node_start GTM
assert_ok ctl_json GTM status
assert_json "$LAST_OUT" records=$((base + N + 1))
pass "node.key mode 0644 or symlink refused with a message; 0600 runs again"
# Secrets stay out of core files (the limit is 0, the process not dumpable).
assert_contains "$(grep 'Max core file size' "/proc/$(node_pid GTM)/limits")" " 0 " \
	"core file limit of tracenetd"
node_stop GTM

# ---- node.key owned by another user; a directory others can enter ----
if [ "$(id -u)" -eq 0 ]; then
	chown 65534 "$d/node.key"
	tn_run timeout 20 "$TRACENETD" run "$d"
	[ "$LAST_RC" -ne 0 ] && [ "$LAST_RC" -ne 124 ] ||
		fail "tracenetd ran with node.key owned by another user (exit $LAST_RC)"
	assert_contains "$LAST_ERR" "owned by this user" "refusal of a node.key of another user"
	chown 0 "$d/node.key"
	pass "node.key owned by another user refused"
fi
chmod 0755 "$d"
tn_run timeout 20 "$TRACENETD" run "$d"
[ "$LAST_RC" -ne 0 ] && [ "$LAST_RC" -ne 124 ] ||
	fail "tracenetd ran in a directory mode 0755 (exit $LAST_RC)"
assert_contains "$LAST_ERR" "chmod 700" "refusal of a node directory mode 0755"
mkdir -m 0755 "$T/open"
assert_ok "$TRACENETD" init "$T/open" --name OPN --listen 127.0.0.1:0
assert_eq "$(stat -c %a "$T/open")" 700 "mode of a directory init found"
chmod 0700 "$d"
pass "a node directory others can enter is refused at run, and made 0700 by init"

check_import_err
