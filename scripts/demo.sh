#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The tracenet demo: installs what is missing, builds, starts three nodes
# (GTM, MEX, USA) on loopback with synthetic records, pins them to each
# other, and walks through what an operator does. Cleans up after itself.
# Each command it shows is the real one, quoted so that it can be pasted.
# DEMO_PREBUILT=1 skips the install and the build and uses the binaries in
# BUILD (default build), as the tests do.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
BUILD=${BUILD:-build}
if [ "${DEMO_PREBUILT:-0}" != 1 ]; then
	"$root/scripts/install-deps.sh"
	make -s all
fi
case $BUILD in
/*) B=$BUILD ;;
*) B=$root/$BUILD ;;
esac
export PATH="$B:$PATH"
T=$(mktemp -d /tmp/tracenet-demo.XXXXXX)
pids=()
cleanup() {
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
	wait 2>/dev/null || true
	rm -rf "$T"
}
trap cleanup EXIT

say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
# Words as a shell reads them back: plain ones bare, others in single quotes.
quoted() {
	local a out=()
	for a in "$@"; do
		if [[ $a =~ ^[A-Za-z0-9_./:=@%+,-]+$ ]]; then
			out+=("$a")
		else
			out+=("'${a//\'/\'\\\'\'}'")
		fi
	done
	printf '%s\n' "${out[*]}"
}
# Show a command, then run it; "ctl NODE ..." is shown and run as the
# tracectl command it stands for.
run() {
	[ "$1" != ctl ] || set -- tracectl -d "$T/$2" "${@:3}"
	printf '$ %s\n' "$(quoted "$@")"
	"$@"
}
ctl() { local n=$1; shift; tracectl -d "$T/$n" "$@"; }

say "Three countries each start a node on loopback (tracenetd and tracectl are in $B)"
for n in GTM MEX USA; do
	tracenetd init "$T/$n" --name "$n" --listen 127.0.0.1:0 >/dev/null
	tracenetd run "$T/$n" 2>"$T/$n.log" &
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
	--place "Zona 1, Guatemala City" --agency "PNC" --case "PNC-2025-0613"
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

say "Mexican police recover a pistol: is it reported stolen anywhere? (broadcast)"
run ctl MEX query stolen --make "$make" --serial "$serial" --all --case FGR-2026-118 \
	--officer "FGR agent 4471" --purpose "recovered at a crime scene"
run ctl GTM alerts

say "Another recovery: the officer misreads one character of the serial; Guatemala offers Mexico fuzzy matching"
misread=$(python3 -c 'import sys
s = sys.argv[1]
t = {"0": "O", "1": "I", "5": "S", "8": "B", "O": "0", "I": "1", "S": "5", "B": "8"}
i = next((i for i, c in enumerate(s) if c in t), None)
print(s[:-1] + "?" if i is None else s[:i] + t[s[i]] + s[i + 1:])' "$serial")
run ctl MEX query stolen --make "$make" --serial "$misread" --peer GTM --case FGR-2026-119 \
	--officer "FGR agent 4471"
run ctl GTM peer policy MEX --candidates allow
run ctl MEX query stolen --make "$make" --serial "$misread" --peer GTM --fuzzy --case FGR-2026-119 \
	--officer "FGR agent 4471"

say "Guatemala lets Mexico check blind: Mexico learns hit or no hit, Guatemala sees no serial that misses"
run ctl GTM peer policy MEX --stolen blind
for _ in $(seq 100); do
	ctl MEX --json peer list | grep -q '"blind": "complete"' && break
	sleep 0.1
done
run ctl MEX peer list
run ctl MEX query stolen --make Glock --serial NOT-STOLEN-77 --peer GTM --case FGR-2026-120 \
	--officer "FGR agent 4471"
run ctl MEX query stolen --make "$make" --serial "$serial" --peer GTM --case FGR-2026-120 \
	--officer "FGR agent 4471"
run ctl GTM audit --peer MEX --limit 4

say "USA recovers a Glock sold in Mexico and exported to Guatemala: a trace"
ctl MEX record add --make Glock --model G19 --serial "TRC-4451" --caliber 9mm --country AUT >/dev/null
id=$(ctl MEX --json record find --serial TRC4451 --make Glock | python3 -c 'import json,sys; print(json.load(sys.stdin)["records"][0]["id"])')
ctl MEX record event "$id" --kind imported --date 2018-02-11 --party "Importadora Norte" --country AUT >/dev/null
ctl MEX record event "$id" --kind sold --date 2018-09-20 --party "Armeria del Bajio" --place "Leon, GTO" >/dev/null
ctl MEX record event "$id" --kind exported --date 2019-04-02 --party "Armeria del Bajio" --country GTM --ref "SEDENA-EXP-7781" >/dev/null
ctl GTM record add --make Glock --model G19 --serial "TRC 4451" --caliber 9mm --country AUT >/dev/null
gid=$(ctl GTM --json record find --serial TRC4451 | python3 -c 'import json,sys; print(json.load(sys.stdin)["records"][0]["id"])')
ctl GTM record event "$gid" --kind imported --date 2019-04-20 --party "Armas de Guatemala" --country MEX >/dev/null
ctl GTM record event "$gid" --kind sold --date 2020-01-15 --party "Casa del Cazador" --place "Chiquimula" >/dev/null
run ctl MEX peer policy USA --traces auto --candidates allow
trace=(--make Glock --model G19 --caliber 9mm --recovered-on 2024-03-09 --recovered-at "El Paso, TX"
	--crime 0900 --case ATF-2024-5531 --urgent --officer "SA J. Ortiz" --ordered-by "ASAC El Paso")
run ctl USA trace request --to MEX --serial TRC-44S1 "${trace[@]}"
run ctl USA trace wait 1 --timeout 20

say "The agent looks at the frame again: S was a 5. The exact trace"
run ctl USA trace request --to MEX --serial TRC-4451 "${trace[@]}"
run ctl USA trace wait 2 --timeout 20

say "The chain ends in an export to Guatemala: follow it there (Guatemala reviews by hand)"
run ctl USA trace follow 2 --officer "SA J. Ortiz"
for _ in $(seq 100); do ctl GTM --json inbox | grep -q '"id"' && break; sleep 0.1; done
run ctl GTM inbox
run ctl GTM approve 1
run ctl USA trace wait 3 --timeout 20

say "A signed receipt a court can check without either node"
run ctl USA trace show 3 --receipt "$T/receipt.bin"
run ctl USA verify "$T/receipt.bin"

say "Every exchange is in a hash-chained audit log, which the peers witness"
run ctl USA audit
run ctl USA audit checkpoint
for _ in $(seq 50); do
	[ "$(ctl USA --json audit --verify | grep -c '"contains"')" = 2 ] && break
	sleep 0.1
done
for n in GTM MEX USA; do run ctl "$n" audit --verify; done

say "What the exchanges add up to: statistics, and a report for the ministry"
run ctl USA stats
report=${DEMO_REPORT:-${TMPDIR:-/tmp}/tracenet-demo-report.html}
rm -f "$report"
run ctl USA report --html "$report"

say "Done; the nodes stop and the demo directory is removed (the report stays: $report)"
