#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The Debian package as a service manager would run it: `make deb` builds
# it, dpkg installs it (the tracenet user, /var/lib/tracenet 0700, the
# binaries, the unit, the man pages), a node is made there as the tracenet
# user and started with the unit's own command line, with NOTIFY_SOCKET on
# a socket the test listens on: READY=1 comes from the daemon once its
# console answers; a SIGHUP applies a changed setting (RELOADING=1, then
# READY=1) and keeps the running configuration when the file is bad or
# names a missing group; SIGTERM says STOPPING=1; dpkg -r removes it.
# Needs root (dpkg -i into this system): CI runs in a throwaway container.
. "$(dirname "$0")/lib.sh"

if [ "$(id -u)" -ne 0 ]; then
	echo "SKIP $TN_TEST: installing the package with dpkg -i needs root"
	exit 0
fi
for tool in dpkg dpkg-deb setpriv adduser; do
	command -v "$tool" >/dev/null || { echo "SKIP $TN_TEST: no $tool here"; exit 0; }
done
# Installed, or removed with its configuration left: either way not ours.
if dpkg-query -W tracenet >/dev/null 2>&1 || [ -e /var/lib/tracenet ]; then
	echo "SKIP $TN_TEST: a tracenet package or /var/lib/tracenet is already here; not touching it"
	exit 0
fi

HOME_DIR=/var/lib/tracenet
CONF=$HOME_DIR/tracenet.conf
UNIT=/lib/systemd/system/tracenetd.service
NOTIFY=@tn-notify-$$
NOTES=$T/notes
LOG=$T/PKG.log
had_user=0
getent passwd tracenet >/dev/null && had_user=1
tn_on_exit "timeout 60 dpkg --purge tracenet >/dev/null 2>&1"
tn_on_exit "rm -rf $HOME_DIR"
[ "$had_user" = 1 ] ||
	tn_on_exit "userdel tracenet 2>/dev/null; groupdel tracenet 2>/dev/null"

# as_tracenet CMD...: CMD as the tracenet user and group, as the unit runs it.
as_tracenet()
{
	(umask 077 && exec setpriv --reuid tracenet --regid tracenet --init-groups -- "$@")
}

notes_has()
{
	grep -q -- "$1" "$NOTES" 2>/dev/null
}

# ---- the package ----
deb=$(BUILD=$BUILD timeout 600 make -s --no-print-directory -C "$TN_ROOT" deb | tail -n 1) ||
	fail "make deb failed"
deb=$TN_ROOT/$deb
[ -f "$deb" ] || fail "make deb made no $deb"
case $(basename "$deb") in
tracenet_*_"$(dpkg --print-architecture)".deb) ;;
*) fail "package name $(basename "$deb")" ;;
esac
depends=$(dpkg-deb -f "$deb" Depends)
for lib in libuv1 libssl liblmdb0 libmsgpackc libsodium libinih libjansson adduser; do
	assert_contains "$depends" "$lib" "Depends"
done
contents=$(dpkg-deb -c "$deb")
for f in ./usr/bin/tracenetd ./usr/bin/tracectl ./lib/systemd/system/tracenetd.service \
	./usr/share/man/man8/tracenetd.8.gz ./usr/share/man/man8/tracectl.8.gz \
	./usr/share/man/man5/tracenet.conf.5.gz; do
	assert_contains "$contents" "$f" "package contents"
done
if command -v lintian >/dev/null; then
	out=$(timeout 120 lintian "$deb" 2>&1 | grep -v 'root privileges' || true)
	assert_not_contains "$out" "E: " "lintian"
fi
pass "make deb: $(basename "$deb"), Depends: $depends"

timeout 120 dpkg -i "$deb" >"$T/dpkg.out" 2>&1 || fail "dpkg -i: $(tail -n 5 "$T/dpkg.out")"
IFS=: read -r _ _ uid _ _ home shell < <(getent passwd tracenet) || fail "no user tracenet"
assert_eq "$home" "$HOME_DIR" "tracenet's home"
[ "$uid" -lt 1000 ] || fail "tracenet is not a system user (uid $uid)"
assert_eq "$(id -gn tracenet)" tracenet "tracenet's group"
assert_eq "$(stat -c '%a %U %G' "$HOME_DIR")" "700 tracenet tracenet" "$HOME_DIR"
for f in /usr/bin/tracenetd /usr/bin/tracectl; do
	[ -x "$f" ] || fail "$f not installed"
done
[ -f "$UNIT" ] || fail "$UNIT not installed"
if command -v deb-systemd-helper >/dev/null; then
	[ -L /etc/systemd/system/multi-user.target.wants/tracenetd.service ] ||
		fail "the unit is not enabled"
fi
for f in man8/tracenetd.8.gz man8/tracectl.8.gz man5/tracenet.conf.5.gz; do
	dpkg -L tracenet | grep -qx "/usr/share/man/$f" || fail "dpkg -L lacks $f"
done
assert_contains "$(/usr/bin/tracenetd --version)" "tracenetd $(dpkg-query -W -f '${Version}' tracenet)"
if command -v systemd-analyze >/dev/null; then
	out=$(systemd-analyze verify "$UNIT" 2>&1 || true)
	assert_not_contains "$out" "tracenetd.service" "systemd-analyze verify"
fi
pass "dpkg -i: user tracenet ($uid, $shell), $HOME_DIR 0700, binaries, unit (enabled), man pages"

# ---- started as the unit starts it, with a notification socket ----
exec_start=$(sed -n 's/^ExecStart=//p' "$UNIT")
assert_eq "$exec_start" "/usr/bin/tracenetd run $HOME_DIR" "the unit's ExecStart"
grep -qx 'Type=notify' "$UNIT" || fail "the unit is not Type=notify"
as_tracenet tracenetd init "$HOME_DIR" --name GTM --listen 127.0.0.1:0 >>"$LOG" 2>&1 ||
	fail "tracenetd init as tracenet: $(tail -n 3 "$LOG")"
"$PYTHON" "$TN_ROOT/tests/integration/notify_listen.py" "$NOTIFY" "$NOTES" \
	"$HOME_DIR/console.sock" 60 &
listener=$!
tn_on_exit "kill $listener 2>/dev/null"
wait_until 10 notes_has listening || fail "the notification listener did not start"

# The unit's command line, split as systemd would; $! is the daemon itself.
# shellcheck disable=SC2086
(umask 077 && exec setpriv --reuid tracenet --regid tracenet --init-groups -- \
	env NOTIFY_SOCKET="$NOTIFY" $exec_start) >>"$LOG" 2>&1 &
pid=$!
TN_PID[PKG]=$pid
wait_until "$TN_START_TIMEOUT" notes_has READY=1 || fail "no READY=1: $(tail -n 5 "$LOG")"
ready=$(grep READY=1 "$NOTES")
assert_contains "$ready" "pid=$pid " "READY=1 sent by the main process"
assert_contains "$ready" "console=up" "the console answers when READY=1 arrives"
assert_contains "$ready" "STATUS=GTM: running" "READY=1 status"
assert_ok "$TRACECTL" -d "$HOME_DIR" --json status
assert_json "$LAST_OUT" name=GTM
assert_ok as_tracenet /usr/bin/tracectl -d "$HOME_DIR" status
assert_contains "$(head -n 3 "$LOG")" "Z info GTM: ready" "plain log lines by default"
pass "READY=1 from pid $pid once the console is up; tracectl status as root and as tracenet"

# ---- SIGHUP ----
cp -p "$CONF" "$T/good.conf"
printf '\n[audit]\nretention = 365d\n[log]\nformat = journal\n[node]\nlisten = 127.0.0.1:9\n' >>"$CONF"
kill -HUP "$pid"
wait_until 10 grep -q "reload: applied" "$LOG" || fail "no reload line: $(tail -n 5 "$LOG")"
assert_contains "$(cat "$LOG")" "<6>info GTM: reload: applied [audit] retention, [log] format" \
	"the applied settings, in the journal's form from then on"
assert_contains "$(cat "$LOG")" "[node] listen changed in tracenet.conf: needs a restart" \
	"a setting that needs a restart"
wait_until 5 eval '[ "$(grep -c READY=1 "$NOTES")" -ge 2 ]' || fail "no READY=1 after the reload"
order=$(grep -o 'READY=1\|RELOADING=1' "$NOTES" | paste -sd' ')
assert_eq "$order" "READY=1 RELOADING=1 READY=1" "notifications around the reload"
assert_contains "$(grep RELOADING=1 "$NOTES")" "MONOTONIC_USEC=" "RELOADING=1 with its time"
tn_alive "$pid" || fail "the node died on SIGHUP"
assert_ok "$TRACECTL" -d "$HOME_DIR" status
pass "SIGHUP: retention and log format applied, listen kept until a restart, RELOADING=1 then READY=1"

# A file that does not parse, then one naming a group that does not exist:
# the node keeps its configuration and goes on.
cat "$T/good.conf" >"$CONF"
printf '\n[log]\nlevel = loud\n' >>"$CONF"
kill -HUP "$pid"
wait_until 10 grep -q "unknown key or bad value; the running configuration is kept" "$LOG" ||
	fail "no line for the bad file: $(tail -n 5 "$LOG")"
assert_contains "$(cat "$LOG")" "tracenet.conf:" "the bad line named"
cat "$T/good.conf" >"$CONF"
printf '\n[roles]\nread = tn-nogroup-%s\n' $$ >>"$CONF"
kill -HUP "$pid"
wait_until 10 grep -q "names a group that cannot be used" "$LOG" ||
	fail "no line for the missing group: $(tail -n 5 "$LOG")"
wait_until 5 eval '[ "$(grep -c READY=1 "$NOTES")" -ge 4 ]' || fail "no READY=1 after the bad reloads"
assert_contains "$(tail -n 1 "$NOTES")" "reload failed, running as before" "status after a bad reload"
tn_alive "$pid" || fail "the node died on a bad reload"
assert_ok "$TRACECTL" -d "$HOME_DIR" --json status
assert_json "$LAST_OUT" name=GTM
pass "a bad file or a missing group on reload: logged, the node runs on as before"

# ---- SIGTERM ----
kill -TERM "$pid"
tn_wait_gone "$pid" "$TN_STOP_TIMEOUT" || fail "the node did not stop on SIGTERM"
rc=0
wait "$pid" || rc=$?
unset "TN_PID[PKG]"
assert_eq "$rc" 0 "exit status after SIGTERM"
wait_until 5 notes_has STOPPING=1 || fail "no STOPPING=1"
pass "SIGTERM: STOPPING=1, exit 0"

# ---- removal ----
timeout 60 dpkg -r tracenet >"$T/dpkg.out" 2>&1 || fail "dpkg -r: $(tail -n 5 "$T/dpkg.out")"
for f in /usr/bin/tracenetd /usr/bin/tracectl "$UNIT"; do
	[ ! -e "$f" ] || fail "$f left after dpkg -r"
done
[ -f "$HOME_DIR/node.key" ] || fail "dpkg -r deleted the node's key"
pass "dpkg -r: binaries and unit gone, the node directory kept"
