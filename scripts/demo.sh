#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The tracenet demo: installs what is missing, builds, starts three nodes
# (GTM, MEX, USA) on loopback with synthetic records, pins them to each
# other, and walks through what an operator does. Cleans up after itself.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
"$root/scripts/install-deps.sh"
make -s all
B=$root/build
T=$(mktemp -d /tmp/tracenet-demo.XXXXXX)
pids=()
cleanup() {
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
	wait 2>/dev/null || true
	rm -rf "$T"
}
trap cleanup EXIT

say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
run() { printf '$ %s\n' "$*"; "$@"; }
ctl() { local n=$1; shift; "$B/tracectl" -d "$T/$n" "$@"; }

say "Three countries each start a node on loopback"
for n in GTM MEX USA; do
	"$B/tracenetd" init "$T/$n" --name "$n" --listen 127.0.0.1:0 >/dev/null
	"$B/tracenetd" run "$T/$n" 2>"$T/$n.log" &
	pids+=($!)
done
for n in GTM MEX USA; do
	for _ in $(seq 100); do ctl "$n" status >/dev/null 2>&1 && break; sleep 0.05; done
done
run ctl GTM status

say "Each imports its national records (synthetic)"
scripts/gen-records.py 20000 --seed 1 --country GTM --export-to MEX,USA \
	--stolen "$T/gtm-stolen.csv" >"$T/gtm.csv"
scripts/gen-records.py 20000 --seed 2 --country MEX --export-to GTM,USA >"$T/mex.csv"
scripts/gen-records.py 20000 --seed 3 --country USA --export-to GTM,MEX >"$T/usa.csv"
run ctl GTM record import "$T/gtm.csv"
ctl MEX record import "$T/mex.csv" >/dev/null
ctl USA record import "$T/usa.csv" >/dev/null
serial=$(sed -n 2p "$T/gtm.csv" | cut -d, -f5)
make=$(sed -n 2p "$T/gtm.csv" | cut -d, -f1)
run ctl GTM record find --serial "$serial" --make "$make"

say "A pistol is reported stolen in Guatemala"
run ctl GTM stolen report --make "$make" --serial "$serial" --date 2025-06-01 \
	--place "Zona 1, Guatemala City" --agency "PNC" --case-ref "PNC-2025-0613"
run ctl GTM stolen list

say "Operators exchange node cards out of band and pin each other"
for a in GTM MEX USA; do ctl "$a" card >"$T/$a.card"; done
run cat "$T/GTM.card"
for a in GTM MEX USA; do
	for b in GTM MEX USA; do
		[ "$a" = "$b" ] || ctl "$a" peer add "$T/$b.card" >/dev/null
	done
done
for _ in $(seq 200); do
	up=0
	for a in GTM MEX USA; do
		up=$((up + $(ctl "$a" --json status | python3 -c 'import json,sys; print(json.load(sys.stdin)["linked"])')))
	done
	[ "$up" -eq 6 ] && break
	sleep 0.05
done
run ctl GTM peer list

say "End-to-end encrypted round trips over pinned TLS 1.3"
run ctl GTM peer ping MEX
run ctl GTM peer ping USA
run ctl USA peer ping MEX

say "Done; the nodes stop and the demo directory is removed"
