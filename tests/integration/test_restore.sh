#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Backup and restore with real nodes: GTM traces a gun on MEX, takes a hot
# backup while it runs, traces twice more, dies, and is restored from the
# backup. Its trace ids start again where the backup stood, yet its next
# trace is answered: its wire references carry random upper bits, so MEX
# never takes it for a repeat (today's defect: it stayed "sent" for ever).
# The backup holds the key only when asked; restore refuses without one;
# the restore is audited.
. "$(dirname "$0")/lib.sh"

mesh GTM MEX
pass "two nodes linked"

assert_ok ctl MEX record add --make Glock --serial RS-1 --model G19
assert_ok ctl MEX record event 1 --kind sold --date 2021-02-03 --party "Armeria Norte"
assert_ok ctl MEX peer policy GTM --traces auto
REQ=(--to MEX --make Glock --serial RS1 --recovered-on 2024-01-02 --crime 0900 --case GT-R)

# trace_ok: a trace request, answered with the chain; prints its id.
trace_ok()
{
	local id
	id=$(json_get "$(ctl_json GTM trace request "${REQ[@]}")" id)
	assert_ok ctl GTM trace wait "$id" --timeout 20
	assert_json "$(ctl_json GTM trace show "$id")" status=answered result.status=completed
	echo "$id"
}

id1=$(trace_ok)
ref1=$(json_get "$(ctl_json GTM trace show "$id1")" req.ref)

# ---- a hot backup, with and without the key, while GTM is busy ----
(for i in $(seq 1 200); do
	"$TRACECTL" -d "$T/GTM" record add --make Colt --serial "LOAD-$i" --model M1911 \
		>/dev/null 2>&1 || exit 1
done) &
load=$!
assert_ok ctl GTM backup "$T/bk"
wait "$load" || fail "writes during the backup failed"
assert_contains "$LAST_OUT" "no key in it" "the backup says it holds no key"
[ -f "$T/bk/data.mdb" ] && [ -f "$T/bk/tracenet.conf" ] && [ -f "$T/bk/MANIFEST" ] ||
	fail "backup files: $(ls "$T/bk")"
[ ! -e "$T/bk/node.key" ] || fail "the backup holds the key without --with-key"
[ "$(stat -c %a "$T/bk/data.mdb")" = 600 ] && [ "$(stat -c %a "$T/bk")" = 700 ] ||
	fail "backup modes: $(stat -c '%a %n' "$T/bk" "$T/bk/data.mdb")"
assert_ok ctl GTM backup "$T/bk-key" --with-key
assert_contains "$LAST_OUT" "whoever has it can act as this node" "a warning with the key"
[ -f "$T/bk-key/node.key" ] || fail "no node.key with --with-key"
assert_fails ctl GTM backup "$T/bk"
assert_contains "$LAST_ERR" "give a new directory" "an existing directory is refused"
assert_contains "$(ctl_json GTM audit)" "backup" "backups are audited"
# The backup is one consistent snapshot: a store that opens, whole.
mkdir -p "$T/peek" && cp "$T/bk/data.mdb" "$T/peek/" && chmod 600 "$T/peek/data.mdb"
mdb_stat "$T/peek" >/dev/null 2>&1 || [ ! -x "$(command -v mdb_stat)" ] ||
	fail "the backup's store does not open"
pass "hot backups under writes: store, configuration, the key only when asked, 0600/0700"

id2=$(trace_ok)
id3=$(trace_ok)
pass "two more traces after the backup"

# ---- GTM dies; restored from the backup ----
node_kill GTM
mv "$T/GTM" "$T/GTM.lost"
if "$TRACENETD" restore "$T/bk" "$T/GTM" 2>"$T/restore.err"; then
	fail "restore without a key succeeded"
fi
assert_contains "$(cat "$T/restore.err")" "--key FILE" "restore without a key says what to give"
rm -rf "$T/GTM"
"$TRACENETD" restore "$T/bk" "$T/GTM" --key "$T/GTM.lost/node.key" >/dev/null ||
	fail "restore failed"
node_start GTM
wait_until 20 node_linked GTM 1 || fail "the restored GTM did not link"
assert_contains "$(ctl_json GTM audit)" "restore" "the restore is audited"
assert_contains "$(cat "$(node_log GTM)")" "restored from a" "and logged"
pass "restored from the backup (the key given apart)"

# Its ids went back to where the backup stood: the next trace is id 2
# again, under another wire reference, and MEX answers it.
id4=$(trace_ok)
[ "$id4" = "$id2" ] || fail "the restored GTM's next trace is $id4, expected $id2 again"
ref4=$(json_get "$(ctl_json GTM trace show "$id4")" req.ref)
[ "$ref4" != "$ref1" ] || fail "a reference reused"
n_in=$(json_get "$(ctl_json MEX inbox --all)" "traces#")
[ "$n_in" = 4 ] || fail "MEX holds $n_in of GTM's requests, want 4 (none taken for a repeat)"
pass "after the restore, trace $id4 is a new request to MEX and is answered"

assert_ok ctl GTM audit --verify --local
assert_ok ctl MEX audit --verify
pass "audit chains intact"
