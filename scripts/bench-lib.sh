# SPDX-License-Identifier: Apache-2.0
# Sourced by scripts/bench.sh: logging, the clock, stopping every process
# on exit, reading JSON, and nodes (start, pin, wait for links, memory).

log()
{
	printf 'bench: %s\n' "$*" >&2
}

die()
{
	printf 'bench: FAILED: %s\n' "$*" >&2
	exit 1
}

now_ms()
{
	local t=${EPOCHREALTIME/./}
	echo $((t / 1000))
}

alive()
{
	kill -0 "$1" 2>/dev/null
}

# Stop every process we started: SIGTERM, then SIGKILL after 5 s.
cleanup()
{
	local rc=$? name deadline
	trap - EXIT INT TERM
	set +e
	for name in "${!PID[@]}"; do kill -TERM "${PID[$name]}" 2>/dev/null; done
	deadline=$(($(now_ms) + 5000))
	for name in "${!PID[@]}"; do
		while alive "${PID[$name]}" && [ "$(now_ms)" -lt "$deadline" ]; do sleep 0.05; done
		kill -KILL "${PID[$name]}" 2>/dev/null
		wait "${PID[$name]}" 2>/dev/null
	done
	[ -z "${SHM:-}" ] || rm -rf "$SHM"   # nodes in memory: never kept
	if [ "$rc" -eq 0 ]; then
		rm -rf "$T"
	else
		echo "bench: files kept in $T" >&2
	fi
	exit "$rc"
}

# json_get FILE PATH: a value out of a JSON file ("a.b" paths).
json_get()
{
	"$PYTHON" -c 'import json, sys
v = json.load(open(sys.argv[1]))
for k in sys.argv[2].split("."):
    v = v[int(k)] if isinstance(v, list) else v[k]
print(v)' "$1" "$2"
}

# ---- nodes ----

node_ready()
{
	"$TRACECTL" -d "$T/$1" status >/dev/null 2>&1
}

# node_up NAME: init and start a node on a port of its own choosing.
node_up()
{
	local name=$1 deadline
	"$TRACENETD" init "$T/$name" --name "$name" --listen 127.0.0.1:0 >>"$T/$name.log" 2>&1 ||
		die "tracenetd init $name: $(tail -n 3 "$T/$name.log")"
	"$TRACENETD" run "$T/$name" >>"$T/$name.log" 2>&1 &
	PID[$name]=$!
	deadline=$(($(now_ms) + 15000))
	until node_ready "$name"; do
		alive "${PID[$name]}" || die "tracenetd $name died: $(tail -n 5 "$T/$name.log")"
		[ "$(now_ms)" -lt "$deadline" ] || die "tracenetd $name not ready after 15 s"
		sleep 0.05
	done
	"$TRACECTL" -d "$T/$name" card >"$T/$name.card"
}

# pin A B: A and B pin each other (B first, so A's dial is accepted).
pin()
{
	"$TRACECTL" -d "$T/$2" peer add "$T/$1.card" >/dev/null
	"$TRACECTL" -d "$T/$1" peer add "$T/$2.card" >/dev/null
}

linked()
{
	"$TRACECTL" -d "$T/$1" --json status >"$T/status.json" &&
		[ "$(json_get "$T/status.json" linked)" -ge "$2" ]
}

# wait_linked NAME N SECONDS
wait_linked()
{
	local deadline=$(($(now_ms) + $3 * 1000))
	until linked "$1" "$2"; do
		[ "$(now_ms)" -lt "$deadline" ] || die "$1 has not linked $2 peers after $3 s"
		sleep 0.1
	done
}

# cpu_ticks PID: user + system CPU time of PID so far, in clock ticks.
cpu_ticks()
{
	# Fields after the ") " that ends the command name: utime is the 12th, stime the 13th.
	sed 's/^.*) //' "/proc/$1/stat" | awk '{print $12 + $13}'
}

# rss PID: {"rss_kb", "anon_kb", "file_kb"} from /proc/PID/status.
rss()
{
	awk '/^VmRSS/ {r = $2} /^RssAnon/ {a = $2} /^RssFile/ {f = $2}
	     END {printf "{\"rss_kb\": %d, \"anon_kb\": %d, \"file_kb\": %d}\n", r, a, f}' \
		"/proc/$1/status"
}

# Largest RSS of PID while the job in $2 (a pid) runs, into file $3.
rss_watch()
{
	local pid=$1 job=$2 out=$3 best=0 cur
	while alive "$job"; do
		cur=$(awk '/^VmRSS/ {print $2}' "/proc/$pid/status" 2>/dev/null || echo 0)
		if [ "${cur:-0}" -gt "$best" ]; then
			best=$cur
			rss "$pid" >"$out"
		fi
		sleep 0.2
	done
}
