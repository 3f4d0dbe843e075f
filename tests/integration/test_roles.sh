#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Who did what at the console, played by real Unix users made for the test:
# the socket belongs to the [console] group; alice (query and read roles)
# and bob (read role only) each have their acts attributed to them in the
# audit; bob is refused a query, with one clear line and an audit entry; a
# search without the case reference the node requires is refused; a user
# outside the console group cannot connect at all; a group that does not
# exist stops the node at start. Needs root to create the users.
. "$(dirname "$0")/lib.sh"

if [ "$(id -u)" -ne 0 ]; then
	echo "SKIP $TN_TEST: creating Unix users for the test needs root"
	exit 0
fi
command -v useradd >/dev/null && command -v setpriv >/dev/null ||
	fail "useradd and setpriv are needed (passwd, util-linux)"

# Unique names, removed when the test ends.
id=$$
CONSOLE=tnc$id QUERY=tnq$id READ=tnr$id
ALICE=tna$id BOB=tnb$id DAVE=tnd$id
tn_on_exit "userdel $ALICE 2>/dev/null; userdel $BOB 2>/dev/null; userdel $DAVE 2>/dev/null"
tn_on_exit "groupdel $CONSOLE 2>/dev/null; groupdel $QUERY 2>/dev/null; groupdel $READ 2>/dev/null"
for g in "$CONSOLE" "$QUERY" "$READ"; do groupadd "$g" || fail "groupadd $g"; done
useradd -M -N -s /usr/sbin/nologin -G "$CONSOLE,$QUERY,$READ" "$ALICE" || fail "useradd $ALICE"
useradd -M -N -s /usr/sbin/nologin -G "$CONSOLE,$READ" "$BOB" || fail "useradd $BOB"
useradd -M -N -s /usr/sbin/nologin "$DAVE" || fail "useradd $DAVE"
chmod 0711 "$T"

# as USER ARGS...: tracectl on GTM as USER, with that user's groups.
as()
{
	local user=$1
	shift
	setpriv --reuid "$user" --regid "$(id -g "$user")" --init-groups \
		"$TRACECTL" -d "$T/GTM" "$@"
}

mesh GTM MEX
assert_ok ctl MEX stolen report --make Glock --serial RL-1 --date 2024-01-02 --case MX-1
node_stop GTM
cat >>"$T/GTM/tracenet.conf" <<EOF

[console]
group = $CONSOLE

[roles]
query = $QUERY
read = $READ
EOF
node_start GTM
wait_until 20 node_linked GTM 1 || fail "GTM did not link to MEX again"

sock=$T/GTM/console.sock
assert_eq "$(stat -c '%a %G' "$sock")" "660 $CONSOLE" "console socket mode and group"
assert_eq "$(stat -c '%G' "$T/GTM")" "$CONSOLE" "node directory group"
[ $(($(stat -c '0%a' "$T/GTM") & 0070)) -eq 8 ] || fail "node directory is not g=x only"
assert_eq "$(stat -c '%a' "$T/GTM/node.key")" 600 "the key file stays 0600"
pass "the socket belongs to the console group; the directory only lets it through"

# ---- alice queries: her acts carry her name, uid, officer and case ----
tn_run as "$ALICE" query stolen --peer MEX --make Glock --serial RL-1 --case K-100 \
	--officer PNC-4471 --ordered-by "Fiscal 9" --purpose "homicide investigation"
[ "$LAST_RC" -eq 0 ] || fail "alice's query failed: $LAST_ERR"
assert_contains "$LAST_OUT" "1 hit(s)" "alice's query"
out=$(ctl_json GTM audit --user "$ALICE") || fail "audit --user failed"
python3 - "$out" "$ALICE" "$(id -u "$ALICE")" <<'PY' || fail "alice's audit entries"
import json, sys
entries = json.loads(sys.argv[1])["entries"]
user, uid = sys.argv[2], sys.argv[3]
types = [e["type"] for e in entries]
assert types == ["stolen_query", "stolen_result"], types
for e in entries:
    assert e["user"] == user and e["uid"] == uid, e
    assert e["officer"] == "PNC-4471" and e["ordered_by"] == "Fiscal 9", e
    assert e["case_ref"] == "K-100", e
assert "homicide investigation" in entries[0]["detail"], entries[0]
PY
pass "alice's query and its result are audited with her user, uid, officer, ordering official and case"

# What crosses the wire: MEX's audit has the case and purpose, never the officer.
out=$(ctl_json MEX audit) || fail "MEX audit failed"
assert_contains "$out" '"type": "stolen_query"' "MEX audited the query"
assert_not_contains "$out" "PNC-4471" "the officer stays in GTM"
assert_not_contains "$out" "Fiscal 9" "the ordering official stays in GTM"
pass "the officer and the ordering official do not cross the wire"

# ---- bob reads but may not query: refused in one line, audited ----
tn_run as "$BOB" query stolen --peer MEX --make Glock --serial RL-1 --case K-101
[ "$LAST_RC" -ne 0 ] || fail "bob's query was not refused"
assert_eq "$LAST_ERR" "tracectl: user $BOB may not run query.stolen: it needs the query role (members of group $QUERY have it)" "bob's refusal"
tn_run as "$BOB" record add --make Glock --serial RL-2 --model 17
[ "$LAST_RC" -ne 0 ] || fail "bob's record add was not refused"
assert_contains "$LAST_ERR" "it needs the record role (no group has it" "record role"
tn_run as "$BOB" stolen list
[ "$LAST_RC" -eq 0 ] || fail "bob could not read: $LAST_ERR"
tn_run as "$BOB" audit --verify
[ "$LAST_RC" -eq 0 ] || fail "bob could not verify the audit: $LAST_ERR"
out=$(ctl_json GTM audit --user "$BOB") || fail "audit --user bob failed"
python3 - "$out" "$BOB" <<'PY' || fail "bob's refusals are not audited"
import json, sys
entries = json.loads(sys.argv[1])["entries"]
got = [(e["type"], e["outcome"], e["user"]) for e in entries]
want = [("query.stolen", "refused", sys.argv[2]), ("record.add", "refused", sys.argv[2])]
assert got == want, got
assert "needs the query role" in entries[0]["detail"], entries[0]
PY
assert_contains "$(cat "$T/GTM.log")" "may not run query.stolen" "refusal logged"
pass "a reading user is refused a query with a clear line; the refusal is audited and logged"

# ---- the node requires an officer and a case for every search ----
tn_run as "$ALICE" query stolen --peer MEX --make Glock --serial RL-1 --officer PNC-4471
[ "$LAST_RC" -ne 0 ] || fail "a query without a case was not refused"
assert_eq "$LAST_ERR" "tracectl: query.stolen needs a case reference: this node requires it for every search (give --case REF)" "no case"
tn_run env -u TRACENET_OFFICER setpriv --reuid "$ALICE" --regid "$(id -g "$ALICE")" \
	--init-groups "$TRACECTL" -d "$T/GTM" trace request --to MEX --make Glock --serial RL-1 \
	--recovered-on 2024-05-01 --recovered-at Mixco --crime 1201 --case K-102
[ "$LAST_RC" -ne 0 ] || fail "a trace request without an officer was not refused"
assert_contains "$LAST_ERR" "trace.request needs the officer's identifier" "no officer"
out=$(ctl_json GTM audit --user "$ALICE") || fail "audit failed"
assert_eq "$(python3 -c 'import json,sys; print(" ".join(e["type"] + ":" + e["outcome"] for e in json.loads(sys.argv[1])["entries"][-2:]))' "$out")" \
	"query.stolen:refused trace.request:refused" "refused searches audited"
tn_run as "$ALICE" trace request --to MEX --make Glock --serial RL-1 --recovered-on 2024-05-01 \
	--recovered-at Mixco --crime 1201 --case K-102 --officer PNC-4471
[ "$LAST_RC" -eq 0 ] || fail "alice's trace request failed: $LAST_ERR"
out=$(ctl_json GTM audit --user "$ALICE") || fail "audit failed"
assert_eq "$(json_get "$out" entries.-1.type)" trace_request "trace request audited"
assert_eq "$(json_get "$out" entries.-1.officer)" PNC-4471 "trace request officer"
assert_eq "$(json_get "$out" entries.-1.case_ref)" K-102 "trace request case"
pass "searches without the required case or officer are refused and audited"

# ---- bob, for the data protection authority: a signed extract of alice's searches ----
mkdir "$T/bob" && chown "$BOB" "$T/bob"
tn_run as "$BOB" audit export --user "$ALICE" --case K-100 --out "$T/bob/alice.tnx"
[ "$LAST_RC" -eq 0 ] || fail "bob's export failed: $LAST_ERR"
assert_contains "$LAST_OUT" "wrote 2 audit entries of GTM" "bob's export"
ctl GTM card >"$T/GTM.card"
tn_run "$TRACECTL" --json verify "$T/bob/alice.tnx" --card "$T/GTM.card"
[ "$LAST_RC" -eq 0 ] || fail "the export does not verify offline: $LAST_OUT $LAST_ERR"
grep -q "$ALICE" "$T/bob/alice.tnx" || fail "the extract does not name alice"
out=$(ctl_json GTM audit --user "$BOB") || fail "audit failed"
assert_eq "$(json_get "$out" entries.-1.type)" audit.export "bob's export is audited"
pass "a reading user exports alice's searches; the extract verifies offline against GTM's card"

# ---- outside the console group: no way in; the node's own user: every role ----
tn_run as "$DAVE" status
[ "$LAST_RC" -ne 0 ] || fail "a user outside the console group reached the console"
assert_ok ctl GTM record add --make Glock --serial RL-3 --model 17
out=$(ctl_json GTM audit) || fail "audit failed"
assert_eq "$(json_get "$out" entries.-1.user)" root "the node's user is named"
assert_eq "$(json_get "$out" entries.-1.uid)" 0 "the node's uid"
assert_ok ctl GTM audit --verify
pass "a user outside the console group cannot connect; the node's own user keeps every role"

# ---- a group that does not exist stops the node at start ----
node_stop GTM
sed -i "s/^query = $QUERY\$/query = nosuch$id/" "$T/GTM/tracenet.conf"
tn_run "$TRACENETD" run "$T/GTM"
[ "$LAST_RC" -ne 0 ] || fail "the node started with a missing group"
assert_contains "$LAST_ERR$LAST_OUT" "group nosuch$id, named by [roles] query in tracenet.conf, does not exist" "missing group"
pass "a [roles] group that does not exist is named at start"
