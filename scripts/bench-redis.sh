# SPDX-License-Identifier: Apache-2.0
# Sourced by scripts/bench.sh: redis-server with TLS on loopback and
# redis-benchmark GETs, the reference the query figures are compared with;
# then SETs with every write flushed before its reply (appendfsync always),
# the same reference with a durable write on the same disk.

skip()
{
	printf '{"skipped": "%s"}\n' "$2" >"$R/$1.json"
	log "$1 skipped: $2"
}

free_port()
{
	"$PYTHON" -c 'import socket
s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

redis_cli()
{
	redis-cli --tls --cacert "$T/redis.crt" --cert "$T/redis.crt" --key "$T/redis.key" \
		-h 127.0.0.1 -p "$PORT" "$@"
}

# redis_start [ARGS...]: a TLS-only redis-server in memory, with ARGS.
redis_start()
{
	local deadline
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 1 \
		-subj /CN=127.0.0.1 -keyout "$T/redis.key" -out "$T/redis.crt" 2>/dev/null || return 1
	PORT=$(free_port)
	redis-server --port 0 --tls-port "$PORT" --bind 127.0.0.1 --save '' --appendonly no \
		--tls-cert-file "$T/redis.crt" --tls-key-file "$T/redis.key" \
		--tls-ca-cert-file "$T/redis.crt" --tls-auth-clients yes \
		--dir "$T" --logfile "$T/redis.log" "$@" &
	PID[redis]=$!
	deadline=$(($(now_ms) + 10000))
	until [ "$(redis_cli ping 2>/dev/null)" = PONG ]; do
		alive "${PID[redis]}" && [ "$(now_ms)" -lt "$deadline" ] || return 1
		sleep 0.05
	done
}

# redis_run CONNS REQUESTS [TEST]: {"rps", "p50_ms", "p99_ms"} of GET (or
# TEST: set) over TLS.
redis_run()
{
	local test=${3:-get}
	redis-benchmark --tls --cacert "$T/redis.crt" --cert "$T/redis.crt" --key "$T/redis.key" \
		-h 127.0.0.1 -p "$PORT" -c "$1" -n "$2" -r 1000000 -t "$test" --csv 2>/dev/null |
		"$PYTHON" -c 'import csv, json, sys
row = [r for r in csv.DictReader(sys.stdin) if r["test"] == sys.argv[2].upper()][0]
print(json.dumps({"conns": int(sys.argv[1]), "rps": float(row["rps"]),
                  "p50_ms": float(row["p50_latency_ms"]), "p99_ms": float(row["p99_latency_ms"])}))' "$1" "$test"
}

redis_stop()
{
	redis_cli shutdown nosave >/dev/null 2>&1 || true
	wait "${PID[redis]}" 2>/dev/null || true
	unset "PID[redis]"
}

redis_bench()
{
	command -v redis-server >/dev/null && command -v redis-benchmark >/dev/null &&
		command -v redis-cli >/dev/null ||
		{ skip redis "redis-server, redis-cli or redis-benchmark is not installed"; return; }
	log "redis reference: GET over TLS, $CONNS connections"
	redis_start || { skip redis "redis-server did not start with TLS: $(tail -n 1 "$T/redis.log" 2>/dev/null | tr -d '"\\')"; return; }
	redis_run 1 20000 >"$R/redis_c1.json" && redis_run "$CONNS" 300000 >"$R/redis_cN.json" ||
		{ skip redis "redis-benchmark failed"; return; }
	redis_stop
	redis_durable_bench
	"$PYTHON" -c 'import json, sys
l = lambda i: json.load(open(sys.argv[i]))
print(json.dumps({"version": sys.argv[4], "get_missing_keys": True,
                  "latency": l(1), "throughput": l(2), "durable_set": l(3)}))' \
		"$R/redis_c1.json" "$R/redis_cN.json" "$R/redis_durable.json" \
		"$(redis-server --version | sed -n 's/.*v=\([^ ]*\).*/\1/p')" >"$R/redis.json"
}

# SETs on a second redis-server that appends every write to its file and
# flushes it before replying, in the nodes' temporary directory.
redis_durable_bench()
{
	log "redis reference: SET over TLS, every write flushed (appendfsync always)"
	mkdir -p "$T/redis-aof"
	redis_start --appendonly yes --appendfsync always --dir "$T/redis-aof" ||
		{ skip redis_durable "redis-server did not start with an append-only file"; return; }
	if redis_run 1 2000 set >"$R/redis_set_c1.json" &&
		redis_run "$CONNS" 100000 set >"$R/redis_set_cN.json"; then
		"$PYTHON" -c 'import json, sys
print(json.dumps({"appendfsync": "always", "latency": json.load(open(sys.argv[1])),
                  "throughput": json.load(open(sys.argv[2]))}))' \
			"$R/redis_set_c1.json" "$R/redis_set_cN.json" >"$R/redis_durable.json"
	else
		skip redis_durable "redis-benchmark (set) failed"
	fi
	redis_stop
}
