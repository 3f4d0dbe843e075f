#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# tracenetd under a service manager, as any user: READY=1 on a path
# NOTIFY_SOCKET once the console answers; journal priorities when stderr is
# the journal's stream; SIGHUP applies a new checkpoint period (the timer
# follows at once), a console group given and taken back, and a log level;
# a group that does not exist leaves the running configuration in place;
# STOPPING=1 at the end. The package's test (test_package) covers the rest
# as root.
. "$(dirname "$0")/lib.sh"

NOTES=$T/notes
LOG=$(node_log GTM)
d=$(node_dir GTM)
group=$(id -gn)

notes_has()
{
	grep -q -- "$1" "$NOTES" 2>/dev/null
}

# readies N: at least N READY=1 have come.
readies()
{
	[ "$(grep -c READY=1 "$NOTES" 2>/dev/null)" -ge "$1" ]
}

# reload N: SIGHUP, then wait for the Nth READY=1.
reload()
{
	kill -HUP "$(node_pid GTM)"
	wait_until 10 readies "$1" || fail "no READY=1 after reload $1"
}

node_init GTM
"$PYTHON" "$TN_ROOT/tests/integration/notify_listen.py" "$T/notify.sock" "$NOTES" \
	"$d/console.sock" 60 &
tn_on_exit "kill $! 2>/dev/null"
wait_until 10 notes_has listening || fail "the notification listener did not start"

# stderr is the log file: JOURNAL_STREAM names it as the journal would.
: >>"$LOG"
NOTIFY_SOCKET=$T/notify.sock JOURNAL_STREAM=$(stat -c '%d:%i' "$LOG") node_start GTM
wait_until 5 notes_has READY=1 || fail "no READY=1"
assert_contains "$(grep READY=1 "$NOTES")" "pid=$(node_pid GTM) " "READY=1 from the daemon"
assert_contains "$(grep READY=1 "$NOTES")" "console=up" "the console answers at READY=1"
assert_contains "$(cat "$LOG")" "<6>info GTM: ready, peers on 127.0.0.1:" "journal priority prefix"
pass "READY=1 on a path socket; lines in the journal's form when stderr is its stream"

# ---- a new checkpoint period, the console group, plain lines ----
printf '\n[audit]\ncheckpoint_every = 1s\n[console]\ngroup = %s\n[log]\nformat = plain\n' \
	"$group" >>"$d/tracenet.conf"
reload 2
assert_eq "$(grep -o 'READY=1\|RELOADING=1' "$NOTES" | paste -sd' ')" "READY=1 RELOADING=1 READY=1" \
	"notifications around the reload"
assert_contains "$(cat "$LOG")" \
	"Z info GTM: reload: applied [console] group, [audit] checkpoint_every, [log] format" \
	"the settings applied, in plain lines from then on"
assert_eq "$(stat -c '%a %G' "$d/console.sock")" "660 $group" "console socket with its group"
assert_eq "$(stat -c '%a' "$d")" 710 "node directory open to the group"
assert_ok ctl GTM record add --make Glock --serial RL-1 --model G17
wait_until 5 grep -q "audit checkpoint [0-9]* signed" "$LOG" ||
	fail "no checkpoint within 5 s of checkpoint_every = 1s"
pass "SIGHUP: checkpoint period, console group and log format applied; RELOADING=1 then READY=1"

# ---- a group that does not exist: nothing changes ----
cp "$d/tracenet.conf" "$T/good.conf"
printf '\n[roles]\nread = tn-nogroup-%s\n[audit]\nretention = 1d\n' $$ >>"$d/tracenet.conf"
reload 3
assert_contains "$(cat "$LOG")" "names a group that cannot be used; the running configuration is kept"
assert_not_contains "$(cat "$LOG")" "applied [roles]" "a refused reload"
assert_contains "$(tail -n 1 "$NOTES")" "reload failed" "status after the refused reload"
assert_eq "$(stat -c '%a %G' "$d/console.sock")" "660 $group" "console group kept"
assert_ok ctl GTM status
pass "a reload naming a missing group keeps the running configuration"

# ---- the console taken back, and a quieter log ----
sed '/^group = /d' "$T/good.conf" >"$d/tracenet.conf"
printf '[log]\nlevel = warn\n' >>"$d/tracenet.conf"
reload 4
assert_contains "$(cat "$LOG")" "reload: applied [console] group, [log] level" \
	"the change to a quieter level, said before it holds"
assert_eq "$(stat -c '%a' "$d/console.sock")" 600 "console socket the node's alone"
assert_eq "$(stat -c '%a' "$d")" 700 "node directory closed again"
node_stop GTM
assert_not_contains "$(cat "$LOG")" "stopping" "info lines at level warn"
wait_until 5 notes_has STOPPING=1 || fail "no STOPPING=1"
grep -q 'RELOADING=1 MONOTONIC_USEC=[0-9]' "$NOTES" || fail "RELOADING=1 without its time"
pass "console group removed, level warn applied; STOPPING=1 at the end"
