# SPDX-License-Identifier: Apache-2.0
# Shared helpers of the integration tests, sourced by each test_*.sh: real
# tracenetd processes on loopback in a temporary directory, driven through
# the real tracectl. BUILD (default build) picks the binaries, relative to
# the repository root unless absolute. Every wait is bounded.
#
#   node_init NAME [--listen ADDR]   new node directory $T/NAME, named NAME
#   node_start NAME                  run it in the background, wait until ready
#   node_stop NAME                   SIGTERM, clean exit expected
#   node_kill NAME                   SIGKILL
#   ctl NAME ARGS... / ctl_json NAME ARGS...
#   assert_eq GOT WANT [WHAT], assert_contains TEXT NEEDLE [WHAT],
#   assert_not_contains TEXT NEEDLE [WHAT], assert_ok CMD..., assert_fails CMD...
#   json_get JSON PATH               e.g. json_get "$out" records.0.id
#   assert_json JSON PATH=VALUE...   e.g. assert_json "$out" name=GTM records#=2
#   wait_until SECONDS CMD...        poll CMD every 50 ms until it succeeds
#   $PYTHON                          python3 to run (the real binary, no shim)
#   tn_on_exit CMD...                run CMD when the test ends, pass or fail
#   tamper SRC DST OLD NEW           DST is SRC with bytes OLD (python literal) made NEW
#   pass MSG / fail MSG

set -euo pipefail

TN_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
BUILD=${BUILD:-build}
case $BUILD in
/*) TN_BIN=$BUILD ;;
*) TN_BIN=$TN_ROOT/$BUILD ;;
esac
TRACENETD=$TN_BIN/tracenetd
TRACECTL=$TN_BIN/tracectl
TN_TEST=$(basename "$0" .sh)
# Seconds a node gets to become ready or to stop (sanitizer builds are slow).
TN_START_TIMEOUT=${TN_START_TIMEOUT:-10}
TN_STOP_TIMEOUT=${TN_STOP_TIMEOUT:-15}

# The python interpreter itself: a version manager's shim costs a second a call.
PYTHON=${PYTHON:-$(python3 -c 'import sys; print(sys.executable)')}

declare -A TN_PID=()
LAST_OUT='' LAST_ERR='' LAST_RC=0

T=$(mktemp -d /tmp/tn-it.XXXXXX)

# Every search names its officer (the nodes' default [accountability]).
export TRACENET_OFFICER=${TRACENET_OFFICER:-officer-1}

pass()
{
	printf 'ok   %s\n' "$*"
}

fail()
{
	printf 'FAIL %s: %s\n' "$TN_TEST" "$*" >&2
	exit 1
}

# True while pid runs (a zombie waiting to be reaped counts as gone).
tn_alive()
{
	local state
	[ -r "/proc/$1/stat" ] || return 1
	state=$(sed 's/^.*) \(.\).*/\1/' "/proc/$1/stat" 2>/dev/null) || return 1
	[ -n "$state" ] && [ "$state" != Z ] && [ "$state" != X ]
}

# Now in milliseconds.
tn_now_ms()
{
	local t=${EPOCHREALTIME/./}
	echo $((t / 1000))
}

# wait_until SECONDS CMD...: run CMD every 50 ms until it succeeds; 1 on timeout.
wait_until()
{
	local limit=$1 deadline
	shift
	deadline=$(($(tn_now_ms) + limit * 1000))
	until "$@"; do
		[ "$(tn_now_ms)" -lt "$deadline" ] || return 1
		sleep 0.05
	done
}

# Wait at most SECONDS for pid to end; 1 if it still runs.
tn_wait_gone()
{
	wait_until "$2" eval "! tn_alive $1"
}

TN_ON_EXIT=()

tn_on_exit()
{
	TN_ON_EXIT+=("$*")
}

tn_cleanup()
{
	local rc=$? name pid f cmd
	trap - EXIT INT TERM
	set +e
	for name in "${!TN_PID[@]}"; do
		pid=${TN_PID[$name]}
		tn_alive "$pid" && kill -TERM "$pid" 2>/dev/null
	done
	for name in "${!TN_PID[@]}"; do
		pid=${TN_PID[$name]}
		if ! tn_wait_gone "$pid" 5; then
			echo "cleanup: $name (pid $pid) ignored SIGTERM, killing it" >&2
			kill -KILL "$pid" 2>/dev/null
		fi
		wait "$pid" 2>/dev/null
	done
	for cmd in "${TN_ON_EXIT[@]}"; do
		eval "$cmd"
	done
	if [ "$rc" -eq 0 ]; then
		rm -rf "$T"
		echo "PASS $TN_TEST"
	else
		echo "FAILED $TN_TEST (exit $rc); files kept in $T" >&2
		for f in "$T"/*.log; do
			[ -f "$f" ] || continue
			echo "---- $f (last 60 lines)" >&2
			tail -n 60 "$f" >&2
		done
	fi
	exit "$rc"
}
trap tn_cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

[ -x "$TRACENETD" ] && [ -x "$TRACECTL" ] ||
	fail "no binaries in $TN_BIN (run make, or set BUILD)"

node_dir()
{
	echo "$T/$1"
}

node_log()
{
	echo "$T/$1.log"
}

node_pid()
{
	echo "${TN_PID[$1]:-}"
}

# node_init NAME [--listen ADDR]: NAME is the node's ISO alpha-3 name.
node_init()
{
	local name=$1 listen=127.0.0.1:0
	shift
	while [ $# -gt 0 ]; do
		case $1 in
		--listen) listen=$2; shift 2 ;;
		*) fail "node_init: unknown option $1" ;;
		esac
	done
	"$TRACENETD" init "$T/$name" --name "$name" --listen "$listen" \
		>>"$T/$name.log" 2>&1 || fail "tracenetd init $name failed: $(tail -n 5 "$T/$name.log")"
}

tn_ready()
{
	"$TRACECTL" -d "$T/$1" status >/dev/null 2>&1
}

# Start `tracenetd run` in the background (output appended to $T/NAME.log)
# and wait until its console answers.
node_start()
{
	local name=$1 pid deadline
	[ -d "$T/$name" ] || fail "node_start: no node $name"
	[ -z "${TN_PID[$name]:-}" ] || ! tn_alive "${TN_PID[$name]}" ||
		fail "node_start: $name already runs"
	echo "==== $TN_TEST: tracenetd run $name" >>"$T/$name.log"
	# TN_WRAP runs the daemon under a tool, e.g. TN_WRAP="valgrind
	# --error-exitcode=99 --leak-check=full"; node_stop then fails on its errors.
	${TN_WRAP:-} "$TRACENETD" run "$T/$name" >>"$T/$name.log" 2>&1 &
	pid=$!
	TN_PID[$name]=$pid
	deadline=$(($(tn_now_ms) + TN_START_TIMEOUT * 1000))
	until tn_ready "$name"; do
		if ! tn_alive "$pid"; then
			wait "$pid" 2>/dev/null || true
			unset "TN_PID[$name]"
			fail "tracenetd $name died at start: $(tail -n 20 "$T/$name.log")"
		fi
		[ "$(tn_now_ms)" -lt "$deadline" ] ||
			fail "tracenetd $name not ready after ${TN_START_TIMEOUT}s"
		sleep 0.05
	done
}

# SIGTERM, then expect exit status 0 and every handle closed.
node_stop()
{
	local name=$1 pid rc=0
	pid=${TN_PID[$name]:-}
	[ -n "$pid" ] || fail "node_stop: $name is not running"
	tn_alive "$pid" || fail "node_stop: $name (pid $pid) died on its own"
	kill -TERM "$pid"
	if ! tn_wait_gone "$pid" "$TN_STOP_TIMEOUT"; then
		kill -KILL "$pid" 2>/dev/null || true
		wait "$pid" 2>/dev/null || true
		unset "TN_PID[$name]"
		fail "tracenetd $name did not stop within ${TN_STOP_TIMEOUT}s of SIGTERM"
	fi
	wait "$pid" 2>/dev/null || rc=$?
	unset "TN_PID[$name]"
	[ "$rc" -eq 0 ] || fail "tracenetd $name exited with status $rc after SIGTERM"
	! grep -q "handles left open" "$T/$name.log" ||
		fail "tracenetd $name left handles open at exit"
}

node_kill()
{
	local name=$1 pid
	pid=${TN_PID[$name]:-}
	[ -n "$pid" ] || fail "node_kill: $name is not running"
	kill -KILL "$pid" 2>/dev/null || true
	# Reaping it at once keeps bash from announcing "Killed" on its own.
	wait "$pid" 2>/dev/null || true
	unset "TN_PID[$name]"
}

# Fail unless the node's process still runs; if it died, say how.
node_alive()
{
	local pid=${TN_PID[$1]:-} rc=0 how
	[ -n "$pid" ] || fail "tracenetd $1 was not started"
	tn_alive "$pid" && return 0
	wait "$pid" 2>/dev/null || rc=$?
	unset "TN_PID[$1]"
	how="exit status $rc"
	[ "$rc" -le 128 ] || how="$how, killed by signal $((rc - 128)) ($(kill -l $((rc - 128))))"
	fail "tracenetd $1 is not running ($how): $(tail -n 20 "$T/$1.log")"
}

ctl()
{
	local name=$1
	shift
	"$TRACECTL" -d "$T/$name" "$@"
}

ctl_json()
{
	local name=$1
	shift
	"$TRACECTL" -d "$T/$name" --json "$@"
}

# Run CMD, keeping stdout, stderr and status in LAST_OUT, LAST_ERR, LAST_RC.
tn_run()
{
	local o e
	o=$(mktemp "$T/.out.XXXXXX")
	e=$(mktemp "$T/.err.XXXXXX")
	LAST_RC=0
	"$@" >"$o" 2>"$e" || LAST_RC=$?
	LAST_OUT=$(<"$o")
	LAST_ERR=$(<"$e")
	rm -f "$o" "$e"
}

assert_eq()
{
	[ "$1" = "$2" ] || fail "${3:-value}: got '$1', want '$2'"
}

assert_contains()
{
	case $1 in
	*"$2"*) ;;
	*) fail "${3:-output} does not contain '$2': $1" ;;
	esac
}

assert_not_contains()
{
	case $1 in
	*"$2"*) fail "${3:-output} contains '$2': $1" ;;
	esac
}

# assert_ok CMD...: exit status 0; the output is left in LAST_OUT.
assert_ok()
{
	tn_run "$@"
	[ "$LAST_RC" -eq 0 ] || fail "'$*' failed (exit $LAST_RC): $LAST_OUT $LAST_ERR"
}

# assert_fails CMD...: non-zero exit and exactly one "tracectl: ..." line on
# stderr (kept in LAST_ERR), nothing on stdout.
assert_fails()
{
	tn_run "$@"
	[ "$LAST_RC" -ne 0 ] || fail "'$*' succeeded, expected a failure: $LAST_OUT"
	[ -n "$LAST_ERR" ] && [ "$(printf '%s\n' "$LAST_ERR" | wc -l)" -eq 1 ] ||
		fail "'$*': expected one line on stderr, got: $LAST_ERR"
	case $LAST_ERR in
	"tracectl: "?*) ;;
	*) fail "'$*': stderr is not a 'tracectl: ...' line: $LAST_ERR" ;;
	esac
	[ -z "$LAST_OUT" ] || fail "'$*' failed but printed on stdout: $LAST_OUT"
}

# The JSON helpers' python: json_path(value, "a.0.b") with "*" collecting
# over a list (sorted) and a trailing "#" giving a length; show(v) prints
# strings raw and everything else as JSON.
TN_JSON_PY='
import json, sys
def json_path(v, path):
    parts = path.split(".") if path else []
    for i, p in enumerate(parts):
        if p == "*":
            rest = ".".join(parts[i + 1:])
            items = [json_path(x, rest) for x in v]
            try:
                return sorted(items)
            except TypeError:
                return sorted(items, key=json.dumps)
        count = p.endswith("#")
        p = p[:-1] if count else p
        if p:
            v = v[int(p)] if isinstance(v, list) else v[p]
        if count:
            v = len(v)
    return v
def show(v):
    return v if isinstance(v, str) else json.dumps(v, ensure_ascii=False)
'

# json_get JSON PATH: the value at a dotted path (list indexes as numbers,
# "*" for every item, "#" at the end for a length). Strings print raw, other
# values as JSON; a missing path fails.
json_get()
{
	"$PYTHON" -S -c "$TN_JSON_PY"'
raw = sys.stdin.read()
try:
    print(show(json_path(json.loads(raw), sys.argv[1])))
except (KeyError, IndexError, ValueError, TypeError):
    sys.exit("json_get: no %r in %s" % (sys.argv[1], raw[:300]))
' "$2" <<<"$1" || fail "json_get $2"
}

# assert_json JSON PATH=VALUE...: every path holds its value (as json_get
# prints it), checked in one go.
assert_json()
{
	local why
	why=$("$PYTHON" -S -c "$TN_JSON_PY"'
v = json.load(sys.stdin)
for a in sys.argv[1:]:
    path, want = a.split("=", 1)
    try:
        got = show(json_path(v, path))
    except (KeyError, IndexError, ValueError, TypeError):
        got = "<missing>"
    if got != want:
        print("%s: got %r, want %r" % (path, got, want))
' "${@:2}" <<<"$1" 2>&1) || why="bad JSON: $why"
	[ -z "$why" ] || fail "$why in: ${1:0:400}"
}

# The node's record count, from status --json.
node_records()
{
	local out
	out=$(ctl_json "$1" status) || fail "status of $1 failed"
	json_get "$out" records
}

# import_batch_ends N: the row counts at which a `record import` request
# ends, for N rows read from standard input (node/ctl/import.c: 8,192 rows,
# then half as many again each time, up to 65,536); the node commits each
# request whole, so these are the counts a store may hold after a crash.
# (From a file, the last batches are cut by what seems left.)
import_batch_ends()
{
	local n=$1 sum=0 b=8192
	while sum=$((sum + b)); [ "$sum" -lt "$n" ]; do
		echo "$sum"
		b=$((b + b / 2 > 65536 ? 65536 : b + b / 2))
	done
}

# tamper SRC DST OLD NEW: DST is SRC with the one occurrence of bytes OLD
# (a python bytes literal) replaced by NEW, of the same length.
tamper()
{
	"$PYTHON" -S - "$@" <<'PY' || fail "tampering with $1 failed"
import ast, sys
src, dst, old, new = sys.argv[1], sys.argv[2], ast.literal_eval(sys.argv[3]), ast.literal_eval(sys.argv[4])
data = open(src, "rb").read()
assert len(old) == len(new) and data.count(old) == 1, (old, data.count(old))
open(dst, "wb").write(data.replace(old, new))
PY
}

# fixed_ports NAME...: each node restarts on the port it picked at first
# (the one in its card, pinned by the others), as a real node would.
fixed_ports()
{
	local n addr
	for n in "$@"; do
		addr=$(json_get "$(ctl_json "$n" status)" listen)
		sed -i "s/^listen = .*/listen = $addr/" "$(node_dir "$n")/tracenet.conf"
	done
}

# mesh NAME...: init and start each node, then mesh_pin them.
mesh()
{
	local a
	for a in "$@"; do node_init "$a"; node_start "$a"; done
	mesh_pin "$@"
}

# mesh_pin NAME...: pin every running node to every other, and wait until
# each sees all the others linked.
mesh_pin()
{
	local a b n=$(($# - 1))
	for a in "$@"; do ctl "$a" card >"$T/$a.card"; done
	for a in "$@"; do
		for b in "$@"; do
			[ "$a" = "$b" ] || assert_ok ctl "$a" peer add "$T/$b.card"
		done
	done
	for a in "$@"; do
		wait_until 20 node_linked "$a" "$n" || fail "$a did not link to its $n peers"
	done
}

# node_linked NAME N: true when NAME's status says N links are up.
node_linked()
{
	[ "$(json_get "$(ctl_json "$1" status)" linked)" = "$2" ]
}
