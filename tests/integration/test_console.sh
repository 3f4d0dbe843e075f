#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Every console command end to end, for a person and with --json: status,
# record add/show/event/find, stolen report/list/recover; the refusals, the
# exit codes and the one-line errors.
. "$(dirname "$0")/lib.sh"

node_init GTM

# ---- no daemon yet ----
assert_fails ctl GTM status
assert_contains "$LAST_ERR" "cannot reach the node" "error without a daemon"
assert_contains "$LAST_ERR" "is tracenetd running" "error without a daemon"
tn_run env -u TRACENET_DIR "$TRACECTL" status
[ "$LAST_RC" -ne 0 ] || fail "tracectl without a node directory succeeded"
assert_eq "$LAST_ERR" "tracectl: no node directory: use -d DIR or set TRACENET_DIR"
pass "no daemon, no directory: one clear line, non-zero exit"

node_start GTM

# ---- status ----
assert_ok ctl GTM status
assert_contains "$LAST_OUT" "name: GTM" "status"
assert_contains "$LAST_OUT" "records: 0" "status"
assert_contains "$LAST_OUT" "stolen: 0" "status"
assert_ok ctl_json GTM status
assert_json "$LAST_OUT" name=GTM records=0 stolen=0 stolen_open=0 "pid=$(node_pid GTM)"
# Initialised with --listen 127.0.0.1:0: status shows the port really bound.
listen=$(json_get "$LAST_OUT" listen)
[[ $listen =~ ^127\.0\.0\.1:[1-9][0-9]*$ ]] || fail "status listen: '$listen', want 127.0.0.1:PORT"
assert_ok ctl GTM status --json
assert_json "$LAST_OUT" name=GTM
assert_fails ctl GTM status extra
pass "status, text and json"

# ---- record add / show ----
assert_ok ctl GTM record add --make "Smith & Wesson" --serial "AB-123 45" --model "M&P9" \
	--caliber 9mm --type pistol --country USA --importer "Importadora Centro, S.A."
assert_contains "$LAST_OUT" "record 1: Smith & Wesson M&P9, serial AB-123 45" "record add"
assert_ok ctl_json GTM record add --make Glock --serial ab12345 --model G17 --country AUT
assert_json "$LAST_OUT" id=2 make=Glock

assert_ok ctl GTM record show 1
assert_contains "$LAST_OUT" "record 1: Smith & Wesson M&P9, serial AB-123 45" "record show"
assert_contains "$LAST_OUT" \
	"caliber 9mm, type pistol, made in USA, importer Importadora Centro, S.A." "record show"
assert_ok ctl_json GTM record show 2
assert_json "$LAST_OUT" id=2 serial=ab12345 model=G17 country=AUT make=Glock
pass "record add and show"

# ---- record event ----
assert_ok ctl GTM record event 1 --kind sold --date 2021-05-06 --party "Armería El Quetzal" \
	--place Mixco --ref DIGECAM-REG-1
assert_contains "$LAST_OUT" "2021-05-06  sold" "record event"
assert_contains "$LAST_OUT" "Armería El Quetzal, Mixco ref DIGECAM-REG-1" "record event"
assert_ok ctl_json GTM record event 1 --kind exported --date 2022-01-31 --country MEX
assert_json "$LAST_OUT" events#=2 events.1.kind=exported events.1.country=MEX \
	events.1.date=2022-01-31 "events.0.party=Armería El Quetzal" events.0.ref=DIGECAM-REG-1
assert_ok ctl GTM record show 1
assert_contains "$LAST_OUT" "2022-01-31  exported" "events in record show"
[ "$(printf '%s\n' "$LAST_OUT" | grep -c '^  20')" -eq 2 ] ||
	fail "record show should list two events: $LAST_OUT"
pass "record event"

# ---- record find ----
# Both records share the serial once case, spaces, dashes, dots and slashes go.
for s in ab12345 "AB 123 45" a-b-1-2-3-4-5 AB.123/45 " ab12345 "; do
	assert_ok ctl_json GTM record find --serial "$s"
	assert_json "$LAST_OUT" 'records.*.id=["1", "2"]'
done
for m in "S&W" "Smith & Wesson" "smith and wesson" SW "SMITH & WESSON INC"; do
	assert_ok ctl_json GTM record find --serial ab-12345 --make "$m"
	assert_json "$LAST_OUT" records#=1 records.0.id=1
done
assert_ok ctl GTM record find --serial AB12345 --make GLOCK
assert_contains "$LAST_OUT" "record 2: Glock G17, serial ab12345" "find with make Glock"
assert_not_contains "$LAST_OUT" "record 1" "find with make Glock"
assert_ok ctl GTM record find --serial AB12345 --make Beretta
assert_eq "$LAST_OUT" "no record" "find with a make that has no such serial"
assert_ok ctl_json GTM record find --serial ZZ999
assert_json "$LAST_OUT" records#=0
assert_fails ctl GTM record find --make Glock
assert_contains "$LAST_ERR" "usage: record find" "find without serial"
pass "record find: spacing, case, dashes, make aliases, several makes"

# ---- duplicates ----
assert_fails ctl GTM record add --make "S&W" --serial ab12345 --model "M&P 9"
assert_contains "$LAST_ERR" "same make, serial and model" "duplicate record"
assert_ok ctl_json GTM record add --make "S&W" --serial ab12345 --model "M&P Shield"
assert_json "$LAST_OUT" id=3
assert_fails ctl GTM record add --make Glock --serial AB-123-45 --model g-17
assert_contains "$LAST_ERR" "same make, serial and model" "duplicate Glock"
pass "duplicate make+serial+model refused, another model accepted"

# ---- refused values ----
assert_fails ctl GTM record event 1 --kind sold --date 2021-02-30
assert_contains "$LAST_ERR" "bad date '2021-02-30'" "impossible date"
assert_fails ctl GTM record event 1 --kind sold --date 06/05/2021
assert_contains "$LAST_ERR" "bad date" "date in another format"
assert_fails ctl GTM record event 1 --kind sould --date 2021-05-06
assert_contains "$LAST_ERR" "unknown kind 'sould'" "bad event kind"
assert_fails ctl GTM record event 1 --kind exported --date 2021-05-06
assert_contains "$LAST_ERR" "exported without destination country" "export without country"
assert_fails ctl GTM record event 1 --kind imported --date 2021-05-06 --country Mexico
assert_contains "$LAST_ERR" "country" "bad event country"
assert_fails ctl GTM record add --make Glock --serial NEW-1 --country usa
assert_contains "$LAST_ERR" "bad country 'usa'" "bad record country"
assert_fails ctl GTM record add --make Glock
assert_contains "$LAST_ERR" "serial" "record without serial"
assert_fails ctl GTM record add --make "&&" --serial X1
assert_contains "$LAST_ERR" "make" "make without letters"
assert_fails ctl GTM record add --make Glock --serial " - . / "
assert_contains "$LAST_ERR" "serial" "serial of punctuation only"
assert_fails ctl GTM record add --make Glock --serial "$(printf 'X%.0s' $(seq 60))"
assert_contains "$LAST_ERR" "too long" "overlong serial"
assert_fails ctl GTM stolen report --make Glock --serial S1 --date 2024-13-01
assert_contains "$LAST_ERR" "bad date" "stolen report with bad date"
assert_fails ctl GTM stolen report --make Glock --serial S1 --date 2024-01-01 --kind borrowed
assert_contains "$LAST_ERR" "neither stolen nor lost" "stolen report with bad kind"
assert_fails ctl GTM stolen report --make Glock --serial S1
assert_contains "$LAST_ERR" "date" "stolen report without date"
pass "bad date, event kind, country, make, serial refused with one line"

# ---- unknown ids ----
assert_fails ctl GTM record show 999
assert_eq "$LAST_ERR" "tracectl: record 999 does not exist" "unknown record id"
assert_fails ctl_json GTM record show 999
assert_fails ctl GTM record show abc
assert_contains "$LAST_ERR" "bad record id 'abc'" "non-numeric id"
assert_fails ctl GTM record show 0
assert_fails ctl GTM record show -1
assert_fails ctl GTM record show 18446744073709551616
assert_fails ctl GTM record event 999 --kind sold --date 2021-05-06
assert_eq "$LAST_ERR" "tracectl: record 999 does not exist" "event on an unknown record"
pass "unknown record ids fail"

# ---- stolen report / list / recover ----
assert_ok ctl GTM stolen report --make Glock --serial "AB 12345" --model G17 --date 2024-01-02 \
	--place Mixco --agency PNC --case MP-2024-1
assert_contains "$LAST_OUT" "report 1: Glock G17, serial AB 12345, stolen 2024-01-02, open" \
	"stolen report"
assert_contains "$LAST_OUT" "place Mixco, agency PNC, case MP-2024-1" "stolen report"
assert_ok ctl_json GTM stolen report --kind lost --make Beretta --serial X9 --date 2024-02-03
assert_json "$LAST_OUT" id=2 kind=lost status=open make=Beretta date=2024-02-03

assert_ok ctl GTM stolen list
assert_contains "$LAST_OUT" "ID       KIND" "stolen list header"
assert_contains "$LAST_OUT" "MP-2024-1" "stolen list"
assert_eq "$(printf '%s\n' "$LAST_OUT" | wc -l)" 3 "stolen list: header and two reports"
assert_ok ctl_json GTM stolen list
assert_json "$LAST_OUT" reports#=2 reports.0.id=1 reports.1.serial=X9 reports.1.kind=lost
assert_ok ctl_json GTM stolen list --serial ab-123-45
assert_json "$LAST_OUT" reports#=1 reports.0.id=1
assert_ok ctl_json GTM stolen list --serial ab12345 --make GLOCK
assert_json "$LAST_OUT" reports#=1 reports.0.case_ref=MP-2024-1 reports.0.agency=PNC
assert_ok ctl GTM stolen list --serial ab12345 --make Beretta
assert_eq "$LAST_OUT" "no report" "stolen list, other make"
assert_ok ctl_json GTM status
assert_json "$LAST_OUT" stolen=2 stolen_open=2

assert_ok ctl GTM stolen recover 1 --date 2024-06-30
assert_contains "$LAST_OUT" "report 1: Glock G17, serial AB 12345, stolen 2024-01-02, recovered" \
	"stolen recover"
assert_contains "$LAST_OUT" "recovered 2024-06-30" "recovery date"
assert_fails ctl GTM stolen recover 1
assert_eq "$LAST_ERR" "tracectl: report 1 is already recovered" "second recovery"
assert_fails ctl GTM stolen recover 99
assert_eq "$LAST_ERR" "tracectl: report 99 does not exist" "recovery of an unknown report"
assert_fails ctl GTM stolen recover 2 --date 2024-02-31
assert_contains "$LAST_ERR" "YYYY-MM-DD" "recovery with a bad date"
assert_fails ctl GTM stolen recover x
assert_contains "$LAST_ERR" "bad report id" "recovery of a non-numeric id"
assert_ok ctl_json GTM stolen recover 2
assert_json "$LAST_OUT" id=2 status=recovered "recovered_on=$(date -u +%F)"

assert_ok ctl GTM stolen list
assert_eq "$LAST_OUT" "no report" "stolen list once all are recovered"
assert_ok ctl GTM stolen list --serial ab12345
assert_eq "$LAST_OUT" "no report" "recovered reports are not matched by serial"
assert_ok ctl GTM stolen list --all
assert_eq "$(printf '%s\n' "$LAST_OUT" | grep -c ' recovered ')" 2 "stolen list --all"
assert_ok ctl_json GTM stolen list --all
assert_json "$LAST_OUT" reports#=2 reports.0.recovered_on=2024-06-30 \
	"reports.*.status=[\"recovered\", \"recovered\"]"
assert_ok ctl_json GTM status
assert_json "$LAST_OUT" records=3 stolen=2 stolen_open=0
pass "stolen report, list, recover, recover twice, list --all"

# ---- command line mistakes ----
assert_fails ctl GTM record add --make Glock --serial N1 --colour red
assert_eq "$LAST_ERR" "tracectl: unknown option --colour" "unknown option"
assert_fails ctl GTM record add --make Glock --serial
assert_contains "$LAST_ERR" "expected --option VALUE" "option without value"
assert_fails ctl GTM record add Glock N1
assert_contains "$LAST_ERR" "expected --option VALUE" "positional argument"
assert_fails ctl GTM stolen list --all --serial X
assert_fails ctl GTM record show
assert_contains "$LAST_ERR" "usage: record show ID" "record show without id"
assert_fails ctl GTM record import
assert_contains "$LAST_ERR" "usage: record import" "record import without file"
assert_fails ctl GTM record import "$T/no-such-file.csv"
assert_contains "$LAST_ERR" "cannot open" "record import of a missing file"
tn_run ctl GTM frobnicate
assert_eq "$LAST_RC" 2 "exit status of an unknown command"
assert_eq "$LAST_ERR" "tracectl: unknown command 'frobnicate' (tracectl --help lists them)"
tn_run "$TRACECTL" --frob status
assert_eq "$LAST_RC" 2 "exit status of an unknown global option"
assert_eq "$LAST_ERR" "tracectl: unknown option '--frob' (tracectl --help lists them)"
tn_run "$TRACECTL" --help
assert_eq "$LAST_RC" 0 "tracectl --help"
assert_contains "$LAST_OUT" "record find" "usage lists the commands"
# Nothing above wrote anything.
assert_eq "$(node_records GTM)" 3 "records after the refused commands"
pass "unknown options and commands: clear message, non-zero exit"

# ---- the daemon stops cleanly, and tracectl says so afterwards ----
node_stop GTM
assert_fails ctl GTM status
assert_contains "$LAST_ERR" "cannot reach the node" "error after the daemon stopped"
assert_fails ctl GTM record show 1
pass "stopped daemon: clear error"
