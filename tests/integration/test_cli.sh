#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# What an operator meets at the command line: 64-bit ids as strings and one
# shape in every --json output, one clear line for each mistake and each
# missing object, tracenetd's init checks, --help and --version, a last-seen
# time as soon as a link is up, and a demo that shows real commands.
. "$(dirname "$0")/lib.sh"

# json_types JSON PATH...: "PATH:TYPE" for each path (str, int, list, dict,
# bool), so that "1" and 1 can be told apart.
json_types()
{
	"$PYTHON" -S -c "$TN_JSON_PY"'
v = json.loads(sys.argv[1])
print(" ".join("%s:%s" % (p, type(json_path(v, p)).__name__) for p in sys.argv[2:]))' "$@" ||
		fail "json_types ${*:2}"
}

# json_keys JSON [PATH]: the keys of the object at PATH, sorted.
json_keys()
{
	"$PYTHON" -S -c "$TN_JSON_PY"'
print(" ".join(sorted(json_path(json.loads(sys.argv[1]), sys.argv[2]))))' "$1" "${2:-}" ||
		fail "json_keys ${2:-}"
}

# no_placeholder TEXT WHAT: no "-" standing for a missing value.
no_placeholder()
{
	local bad
	bad=$(printf '%s\n' "$1" | grep -E '(^| )-(,| |$)' | grep -Ev '^ *- [a-z_]+:' || true)
	[ -z "$bad" ] || fail "$2 shows '-' for a missing value: $bad"
}

# ---- the programs themselves ----

for prog in "$TRACENETD" "$TRACECTL"; do
	name=$(basename "$prog")
	assert_ok "$prog" --version
	assert_eq "$LAST_OUT" "$name 0.1.0" "$name --version"
	assert_ok "$prog" --help
	assert_contains "$LAST_OUT" "usage: $name" "$name --help"
	assert_eq "$LAST_ERR" "" "$name --help on stderr"
done
tn_run "$TRACENETD" frobnicate
assert_eq "$LAST_RC" 2 "tracenetd with an unknown command"
assert_eq "$LAST_ERR" "tracenetd: unknown command 'frobnicate' (tracenetd --help)"
tn_run "$TRACENETD"
assert_eq "$LAST_RC" 2 "tracenetd without a command"
tn_run "$TRACENETD" init "$T/x" --nmae GTM
assert_eq "$LAST_RC" 2 "tracenetd init with a misspelt option"
assert_eq "$LAST_ERR" "tracenetd: init: unknown option '--nmae' (tracenetd --help)"
tn_run "$TRACECTL" frobnicate
assert_eq "$LAST_RC" 2 "tracectl with an unknown command"
assert_eq "$LAST_ERR" "tracectl: unknown command 'frobnicate' (tracectl --help lists them)"
assert_eq "$LAST_OUT" "" "stdout of an unknown command"
tn_run "$TRACECTL" record frob
assert_eq "$LAST_RC" 2 "tracectl with an unknown subcommand"
assert_eq "$LAST_ERR" "tracectl: unknown command 'record frob' (tracectl --help lists them)"
pass "--version, --help exit 0; misuse is one line and exit 2"

tn_run "$TRACENETD" run "$T/nonexistent"
assert_eq "$LAST_RC" 1 "tracenetd run on a missing directory"
assert_contains "$LAST_ERR" "node directory $T/nonexistent does not exist (tracenetd init"
mkdir -m 700 "$T/empty"
tn_run "$TRACENETD" run "$T/empty"
assert_eq "$LAST_RC" 1 "tracenetd run on a directory that is no node's"
assert_contains "$LAST_ERR" "$T/empty is not a node directory"
tn_run "$TRACENETD" init "$T/bad" --name GTM --listen nonsense
assert_eq "$LAST_RC" 1 "init with a listen address run cannot use"
assert_contains "$LAST_ERR" "--listen 'nonsense' is not an IP address and port"
[ ! -e "$T/bad" ] || fail "init with a bad --listen created $T/bad"
tn_run "$TRACENETD" init "$T/bad" --name GTM --listen tracenet.gt.example:7401
assert_eq "$LAST_RC" 1 "init with a host name to listen on"
tn_run "$TRACENETD" init "$T/bad" --name GTM --listen 0.0.0.0:0 --advertise 0.0.0.0
assert_eq "$LAST_RC" 1 "init advertising a wildcard"
assert_contains "$LAST_ERR" "--advertise '0.0.0.0' is not HOST[:PORT]"
[ ! -e "$T/bad" ] || fail "init with a bad --advertise created $T/bad"
pass "tracenetd: a missing or foreign directory, a bad --listen or --advertise: one clear line"

# The README's wildcard example: listen everywhere, advertise a name.
assert_ok "$TRACENETD" init "$T/SLV" --name SLV --listen 0.0.0.0:0 --advertise tracenet.sv.example
assert_contains "$(cat "$T/SLV/tracenet.conf")" "advertise = tracenet.sv.example"
node_start SLV
assert_ok ctl SLV card
[[ $LAST_OUT =~ ^tncard1\ SLV\ [^\ ]+\ tracenet\.sv\.example:[1-9][0-9]*\ [0-9a-f]{8}$ ]] ||
	fail "card of a node with --advertise: $LAST_OUT"
node_stop SLV
pass "init --advertise: written to tracenet.conf, used by the card"

# ---- a fresh pair of nodes ----

mesh GTM MEX
# Right after the link came up, with no ping yet: the HELLO counts.
out=$(ctl_json GTM peer list)
seen=$(json_get "$out" peers.0.last_seen_ms)
[ "$seen" -gt 0 ] || fail "an up link was never seen: $out"
assert_not_contains "$(ctl GTM peer list)" "never" "peer list of an up link"
pass "peer list: an up link has a last-seen time from its HELLO"

# ---- one shape, empty or full ----

for args in "record find --serial NONE-1" "stolen list" "trace list" "inbox --all" "alerts" \
	"audit"; do
	# shellcheck disable=SC2086
	assert_ok ctl_json MEX $args
	key=$(json_keys "$LAST_OUT")
	assert_eq "$(json_types "$LAST_OUT" "$key")" "$key:list" "$args --json when empty"
done
assert_ok ctl_json GTM record add --make Glock --serial SHAPE-1
full_keys=$(json_keys "$LAST_OUT")
assert_ok ctl_json GTM record add --make Glock --serial SHAPE-2 --model G17 --caliber 9mm \
	--type pistol --country AUT --importer "Armas de Guatemala"
assert_eq "$(json_keys "$LAST_OUT")" "$full_keys" "keys of a sparse and a full record"
assert_json "$LAST_OUT" events#=0
assert_ok ctl_json GTM record find --serial SHAPE-1
assert_eq "$(json_keys "$LAST_OUT")" records "keys of find with a hit"
assert_eq "$(json_keys "$LAST_OUT" records.0)" "$full_keys" "keys of a found record"
assert_json "$LAST_OUT" records.0.model= records.0.importer=
pass "--json: every field there, empty lists as [], empty strings as \"\""

# ---- 64-bit ids as strings ----

assert_ok ctl_json GTM record add --make Beretta --serial IDS-1
rid=$(json_get "$LAST_OUT" id)
assert_eq "$(json_types "$LAST_OUT" id events)" "id:str events:list" "record add"
assert_ok ctl_json GTM record event "$rid" --kind sold --date 2020-01-02 --party Armeria
assert_eq "$(json_types "$LAST_OUT" id)" "id:str" "record event"
assert_ok ctl_json GTM stolen report --make Beretta --serial IDS-1 --date 2024-01-02 --case C-1
assert_eq "$(json_types "$LAST_OUT" id)" "id:str" "stolen report"
sid=$(json_get "$LAST_OUT" id)
assert_ok ctl_json GTM status
assert_eq "$(json_types "$LAST_OUT" records pid drops.replay)" "records:int pid:int drops.replay:int" \
	"counters stay numbers"

# A qid at or above 2^63 was printed as a rounded double: ask until one is.
for _ in $(seq 40); do
	assert_ok ctl_json MEX query stolen --peer GTM --make Beretta --serial IDS-1 --case Q-1
	qid=$(json_get "$LAST_OUT" qid)
	[[ $qid =~ ^[0-9a-f]{16}$ ]] || fail "qid is not 16 hex digits: $LAST_OUT"
	[[ $qid =~ ^[89a-f] ]] && break
done
[[ $qid =~ ^[89a-f] ]] || fail "no qid at or above 2^63 in 40 queries"
assert_eq "$(json_types "$LAST_OUT" qid hits peers.0.results.0.report.id)" \
	"qid:str hits:int peers.0.results.0.report.id:str" "query stolen"
assert_json "$LAST_OUT" hits=1 "peers.0.results.0.report.id=$sid"
assert_contains "$(ctl MEX query stolen --case C-1 --peer GTM --make Beretta --serial IDS-1)" "query " \
	"query stolen for a person"
refs=$(json_get "$(ctl_json MEX audit)" "entries.*.ref")
assert_contains "$refs" "\"$qid\"" "the audit's refs hold the qid as --json prints it"
assert_ok ctl_json GTM alerts
assert_eq "$(json_types "$LAST_OUT" alerts.0.id alerts.0.stolen_id alerts.0.ts)" \
	"alerts.0.id:str alerts.0.stolen_id:str alerts.0.ts:int" "alerts"
assert_json "$LAST_OUT" "alerts.0.stolen_id=$sid"
assert_ok ctl_json GTM audit --limit 1
assert_eq "$(json_types "$LAST_OUT" entries.0.seq entries.0.ts)" "entries.0.seq:str entries.0.ts:int" \
	"audit"
assert_ok ctl_json GTM audit --verify
assert_eq "$(json_types "$LAST_OUT" entries first_bad)" "entries:int first_bad:str" "audit --verify"

REQ=(--make Glock --serial NOPE-1 --recovered-on 2024-03-09 --recovered-at "El Paso, TX"
	--crime 0900 --case C-9)
assert_ok ctl_json GTM trace request --to MEX "${REQ[@]}"
tid=$(json_get "$LAST_OUT" id)
assert_eq "$(json_types "$LAST_OUT" id req.ref req.follows created_ms result result.chain)" \
	"id:str req.ref:str req.follows:str created_ms:int result:dict result.chain:list" \
	"trace request"
assert_json "$LAST_OUT" req.follows=0 result.status=
wait_in_review() { [ "$(json_get "$(ctl_json MEX inbox)" traces#)" = 1 ]; }
wait_until 20 wait_in_review || fail "MEX never had GTM's trace request for review"
assert_ok ctl_json MEX inbox
assert_eq "$(json_types "$LAST_OUT" traces.0.id traces.0.req.ref)" \
	"traces.0.id:str traces.0.req.ref:str" "inbox"
assert_json "$LAST_OUT" "traces.0.req.ref=$(json_get "$(ctl_json GTM trace show "$tid")" req.ref)"
iid=$(json_get "$LAST_OUT" traces.0.id)
assert_ok ctl_json MEX approve "$iid"
assert_eq "$(json_types "$LAST_OUT" id)" "id:str" "approve"
assert_ok ctl GTM trace wait "$tid" --timeout 30
pass "ids are strings (the qid 16 hex digits, as the audit's ref), counters numbers"

# ---- a missing object: one line naming it ----

assert_fails ctl GTM peer ping USA
assert_contains "$LAST_ERR" "tracectl: peer USA is not pinned" "ping of a peer not pinned"
assert_fails ctl GTM peer policy USA --traces auto
assert_contains "$LAST_ERR" "tracectl: peer USA is not pinned" "policy of a peer not pinned"
assert_fails ctl GTM peer remove USA
assert_contains "$LAST_ERR" "tracectl: peer USA is not pinned" "removal of a peer not pinned"
assert_fails ctl GTM trace wait 42 --timeout 1
assert_eq "$LAST_ERR" "tracectl: trace 42 does not exist" "trace wait"
assert_fails ctl GTM trace show 42
assert_eq "$LAST_ERR" "tracectl: trace 42 does not exist" "trace show"
assert_fails ctl GTM trace follow 42
assert_eq "$LAST_ERR" "tracectl: trace 42 does not exist" "trace follow"
assert_fails ctl GTM record event 777 --kind sold --date 2020-01-02
assert_eq "$LAST_ERR" "tracectl: record 777 does not exist" "record event"
assert_fails ctl GTM record show 777
assert_eq "$LAST_ERR" "tracectl: record 777 does not exist" "record show"
assert_fails ctl GTM stolen recover 3
assert_eq "$LAST_ERR" "tracectl: report 3 does not exist" "stolen recover"
assert_fails ctl MEX approve 5
assert_eq "$LAST_ERR" "tracectl: trace request 5 does not exist" "approve"
assert_fails ctl MEX deny 5
assert_eq "$LAST_ERR" "tracectl: trace request 5 does not exist" "deny"
assert_fails ctl MEX approve "$iid"
assert_eq "$LAST_ERR" "tracectl: trace request $iid is not waiting for review (it is answered)" \
	"approve twice"
pass "peer, trace, record, report, trace request that do not exist: named in one line"

# ---- mistakes on the command line ----

assert_fails ctl MEX peer policy GTM --traces sometimes
assert_eq "$LAST_ERR" "tracectl: --traces must be auto, review or deny, not 'sometimes'"
assert_fails ctl MEX peer policy GTM --stolen maybe
assert_eq "$LAST_ERR" "tracectl: --stolen must be clear, blind or deny, not 'maybe'"
assert_fails ctl GTM record event "$rid" --kind sold
assert_eq "$LAST_ERR" "tracectl: --date YYYY-MM-DD is required"
assert_fails ctl GTM record event "$rid" --date 2020-01-02
assert_contains "$LAST_ERR" "tracectl: --kind KIND is required" "record event without kind"
assert_fails ctl GTM stolen report --make Glock --serial NODATE-1
assert_eq "$LAST_ERR" "tracectl: --date YYYY-MM-DD is required (the day it was stolen)"
assert_fails ctl GTM record add --make Glock --serial "$(printf 'X%.0s' $(seq 60))"
assert_contains "$LAST_ERR" "too long" "overlong serial"
pass "a value out of its list, a missing --date: what to give instead"

# ---- for a person: nothing stands in for a missing value ----

assert_ok ctl GTM record add --make Glock --serial SPARSE-1
assert_eq "$LAST_OUT" "record $(($(json_get "$(ctl_json GTM status)" records))): Glock, serial SPARSE-1" \
	"a record with make and serial only"
assert_ok ctl GTM stolen report --make Glock --serial SPARSE-1 --date 2024-01-02
assert_eq "$LAST_OUT" "report 2: Glock, serial SPARSE-1, stolen 2024-01-02, open" \
	"a report without place, agency or case"
for args in "audit" "trace list" "trace show $tid" "stolen list" "peer list" "record show $rid"; do
	# shellcheck disable=SC2086
	assert_ok ctl GTM $args
	no_placeholder "$LAST_OUT" "$args"
done
pass "human output leaves missing values out"

# ---- the demo ----

tn_run env BUILD="$BUILD" DEMO_PREBUILT=1 "$TN_ROOT/scripts/demo.sh"
[ "$LAST_RC" -eq 0 ] || fail "the demo failed (exit $LAST_RC): $(printf '%s\n' "$LAST_OUT" | tail -5) $LAST_ERR"
demo=$LAST_OUT
assert_not_contains "$demo" '$ ctl ' "the demo's commands"
why=$("$PYTHON" -S -c '
import shlex, sys
shown = [l[2:] for l in sys.argv[1].splitlines() if l.startswith("$ ")]
if len(shown) < 20:
    print("only %d commands shown" % len(shown))
for c in shown:
    argv = shlex.split(c)
    if argv[0] == "tracectl" and argv[1] == "-d" and argv[2].startswith("/"):
        continue
    if argv[0] == "cat" and len(argv) == 2:
        continue
    print("not a command to paste: %s" % c)' "$demo" 2>&1) || why="check failed: $why"
[ -z "$why" ] || fail "$why"
no_placeholder "$demo" "the demo"
assert_contains "$demo" "--place 'Zona 1, Guatemala City'" "a quoted argument in the demo"
assert_not_contains "$(printf '%s\n' "$demo" | sed -n '/peer list$/,/^$/p')" "never" \
	"the demo's peer list"
pass "the demo shows tracectl commands that can be pasted, and no placeholders"
