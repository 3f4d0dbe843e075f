#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# tracectl stats on two real nodes: GTM traces a gun MEX sold and
# exported, MEX answers at once; GTM's stolen query hits MEX's report.
# Both sides' numbers, the period and peer filters, the empty shape and
# the CSV tables.
. "$(dirname "$0")/lib.sh"

mesh GTM MEX
pass "two nodes linked"

today=$("$PYTHON" -S -c 'import datetime as d; print(d.datetime.now(d.timezone.utc).date())')

# Before anything: every list there, empty; 41 buckets.
out=$(ctl_json GTM stats) || fail "stats on an empty node"
assert_json "$out" node=GTM until="$today" traces#=0 answers#=0 origins#=0 exporters#=0 \
	dealers#=0 flows#=0 stolen#=0 ttc.known=0 ttc.histogram#=41 ttc.histogram.40.from_days=3600
pass "an empty node has the full shape"

assert_ok ctl MEX record add --make Glock --serial AB-123 --model G17 --country AUT
assert_ok ctl MEX record event 1 --kind sold --date 2020-03-15 --party "Armeria Central" \
	--place Monterrey
assert_ok ctl MEX record event 1 --kind exported --date 2021-05-01 --country USA --ref EXP-1
assert_ok ctl MEX peer policy GTM --traces auto
out=$(ctl_json GTM trace request --to MEX --make Glock --serial AB-123 --recovered-on 2022-06-20 \
	--recovered-at Escuintla --crime 1201 --case C-1 --possessor "juan  PEREZ" \
	--country-of-origin AUT) || fail "trace request"
id=$(json_get "$out" id)
assert_ok ctl GTM trace wait "$id" --timeout 20

assert_ok ctl MEX stolen report --make Colt --serial C-9 --date 2024-02-02 --case FGR-1
assert_ok ctl GTM query stolen --make Colt --serial C-9 --peer MEX --case C-2

out=$(ctl_json GTM stats) || fail "GTM stats"
assert_json "$out" traces#=1 traces.0.dir=sent traces.0.peer=MEX traces.0.status=completed \
	traces.0.count=1 answers#=1 answers.0.answered=1 answers.0.open=0 answers.0.late=0 \
	answers.0.overdue=0 answers.0.urgent=false ttc.known=1 ttc.under_1y=0 ttc.under_3y=1 \
	ttc.under_3y_other_possessor=1 ttc.histogram.9.count=1 origins.0.name=AUT \
	origins.0.count=1 exporters.0.name=MEX dealers.0.name="Armeria Central" \
	stolen#=1 stolen.0.peer=MEX stolen.0.we_asked=1 stolen.0.hits_for_us=1 stolen.0.asked_us=0
assert_eq "$(json_get "$out" traces.0.month)" "${today:0:7}" "the month of the request"
pass "the requester counts its trace, answer, time-to-crime, names and stolen check"

out=$(ctl_json MEX stats) || fail "MEX stats"
assert_json "$out" traces#=1 traces.0.dir=received traces.0.peer=GTM \
	traces.0.status=completed answers.0.dir=received answers.0.answered=1 answers.0.late=0 \
	answers.0.deadline_min="$(json_get "$out" answers.0.deadline_min)" ttc.known=0 \
	stolen.0.peer=GTM stolen.0.asked_us=1 stolen.0.hits_for_them=1 stolen.0.alerts=1 \
	stolen.0.we_asked=0
pass "the answering node counts the request it answered and the query that hit"

out=$(ctl_json GTM stats --since 2000-01-01 --until 2000-12-31) || fail "stats of 2000"
assert_json "$out" since=2000-01-01 until=2000-12-31 traces#=0 stolen#=0 ttc.known=0
out=$(ctl_json GTM stats --since "$today" --until "$today" --peer MEX) || fail "stats today"
assert_json "$out" traces#=1 stolen#=1
out=$(ctl_json GTM stats --peer USA) || fail "stats of USA"
assert_json "$out" traces#=0 answers#=0 stolen#=0
assert_fails ctl GTM stats --since 2024-13-01
pass "the period and peer filters"

csv=$(ctl GTM stats --csv) || fail "stats --csv"
assert_contains "$csv" "section,dir,peer,month,status,count"
assert_contains "$csv" "traces,sent,MEX,${today:0:7},completed,1"
assert_contains "$csv" "dealers,Armeria Central,1"
assert_contains "$csv" "stolen,MEX,0,0,1,1,0"
assert_eq "$(grep -c '^ttc_histogram,' <<<"$csv")" 41 "histogram rows"
human=$(ctl GTM stats) || fail "stats"
assert_contains "$human" "Statistics of GTM"
assert_contains "$human" "Armeria Central"
assert_fails ctl GTM stats --csv --json
pass "CSV and human output"

node_alive GTM
node_alive MEX
