#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# A hostile client on the console socket: garbage, oversize and truncated
# frames, bad msgpack, bad requests. After each the node must still run,
# answer status, and hold exactly the data it held before.
. "$(dirname "$0")/lib.sh"

HOSTILE=$TN_ROOT/tests/integration/hostile_console.py

node_init GTM
d=$(node_dir GTM)

# Files of the node: owner only.
assert_eq "$(stat -c %a "$d")" 700 "mode of the node directory"
assert_eq "$(stat -c %a "$d/node.key")" 600 "mode of node.key"
node_start GTM
sock=$d/console.sock
[ -S "$sock" ] || fail "no console socket at $sock"
assert_eq "$(stat -c %a "$sock")" 600 "mode of console.sock"
pass "node directory 0700, node.key 0600, console.sock 0600"

# Some data whose counts must not move.
assert_ok ctl GTM record add --make Glock --serial GH-100 --model 17
assert_ok ctl GTM record add --make Beretta --serial BR-200
assert_ok ctl GTM stolen report --make Glock --serial ZZ-1 --date 2024-03-01
# Record 3 has 20 events with long fields: a reply of about 6 KB.
"$PYTHON" - >"$T/big.csv" <<'EOF'
row = ["Colt", "Python", ".357 Magnum", "revolver", "BIG-1", "USA", "I" * 95]
for i in range(20):
    row += ["sold", "2001-01-%02d" % (i + 1), "P" * 95, "Q" * 95, "", "R" * 63]
print(",".join(row))
EOF
assert_ok ctl_json GTM record import "$T/big.csv"
assert_json "$LAST_OUT" imported=1

# Run the cases in one python process, which checks the node after each.
# Every case runs even after one fails; a node that died is restarted so the
# remaining cases still say something, and the test fails at the end.
hostile()
{
	"$PYTHON" "$HOSTILE" --sock "$sock" --dir "$d" --tracectl "$TRACECTL" \
		--pid "$(node_pid GTM)" --find GH100 --big 3 "$@"
}
todo=$("$PYTHON" "$HOSTILE" --list)
failed=()
while [ -n "$todo" ]; do
	tn_run hostile $todo
	printf '%s\n' "$LAST_OUT" | sed -n 's/^ok /ok   hostile case /p'
	[ -z "$LAST_ERR" ] || echo "$LAST_ERR" >&2
	[ "$LAST_RC" -eq 0 ] && break
	grep -q '^FAIL before' <<<"$LAST_OUT" && fail "$LAST_OUT"
	while read -r line; do
		echo "FAIL hostile case ${line#FAIL }" >&2
		failed+=("$(awk '{ sub(":", "", $2); print $2 }' <<<"$line")")
	done < <(grep '^FAIL ' <<<"$LAST_OUT")
	[ "$LAST_RC" -eq 3 ] || break
	# The daemon died: say how, restart it, go on after the fatal case.
	last=$(printf '%s\n' "$LAST_OUT" | tail -n 1 | awk '{ sub(":", "", $2); print $2 }')
	rc=0
	wait "$(node_pid GTM)" 2>/dev/null || rc=$?
	echo "     tracenetd died after case $last, exit status $rc$(
		[ "$rc" -gt 128 ] && echo " (signal $((rc - 128)))")" >&2
	unset "TN_PID[GTM]"
	node_start GTM
	todo=$("$PYTHON" "$HOSTILE" --list | sed "1,/^$last\$/d")
done

# The refused oversize frame left a line in the log.
grep -Eq 'console: .*(too big|limit).*closing' "$(node_log GTM)" ||
	fail "no log line for the oversize frame"
pass "oversize frame logged"

node_stop GTM
pass "clean stop after the hostile client"
[ ${#failed[@]} -eq 0 ] || fail "hostile cases failed: ${failed[*]}"
