#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Cross-border traces across three real nodes on loopback: an automatic
# answer with its chain, first retail sale, time to crime and export; the
# review inbox (approve, deny); the follow-up to the export country; the
# no_record, unmarked_or_obliterated, destroyed_on_record and partial
# results; policy deny and the daily limit; signed receipts checked
# offline, tampered and truncated; intact audit chains at the end.
. "$(dirname "$0")/lib.sh"

names=(GTM MEX USA)
mesh "${names[@]}"
pass "three nodes linked"

# Pinning one by one refuses the not yet pinned keys; from here on every
# message is well formed, so no node may log a drop.
declare -A DROPS0=()
drop_lines() { grep -c "dropped" "$(node_log "$1")" || true; }
for n in "${names[@]}"; do DROPS0[$n]=$(drop_lines "$n"); done

# ---- helpers ----

# trace_req NODE ARGS...: `trace request --json`, the new trace's id.
trace_req()
{
	local node=$1 out
	shift
	out=$(ctl_json "$node" trace request "$@") || fail "$node trace request $* failed"
	json_get "$out" id
}

tstatus()
{
	json_get "$(ctl_json "$1" trace show "$2")" status
}

is_status()
{
	[ "$(tstatus "$1" "$2")" = "$3" ]
}

# wait_answered NODE ID: wait for the result, leave `trace show --json` in TR.
wait_answered()
{
	assert_ok ctl "$1" trace wait "$2" --timeout 20
	TR=$(ctl_json "$1" trace show "$2") || fail "$1 trace show $2 failed"
	assert_json "$TR" status=answered
}

# wait_review NODE ID: the peer acknowledged it as waiting for review.
wait_review()
{
	wait_until 20 is_status "$1" "$2" in_review ||
		fail "$1 trace $2 never in_review (now $(tstatus "$1" "$2"))"
}

# ref_of NODE ID: the wire ref of NODE's trace ID (its id under random
# upper bits).
ref_of()
{
	json_get "$(ctl_json "$1" trace show "$2")" req.ref
}

# in_id NODE PEER REF: the id under which NODE keeps PEER's request REF.
in_id()
{
	"$PYTHON" -S -c '
import json, sys
ids = [t["id"] for t in json.loads(sys.argv[1])["traces"]
       if t["peer"] == sys.argv[2] and t["req"]["ref"] == sys.argv[3]]
if len(ids) != 1:
    sys.exit("%d incoming traces from %s with ref %s" % (len(ids), sys.argv[2], sys.argv[3]))
print(ids[0])' "$(ctl_json "$1" inbox --all)" "$2" "$3" || fail "in_id $*"
}

# jlen JSON PATH: the length of the list at PATH (a.b); an empty list is
# there as [], so a missing one fails.
jlen()
{
	json_get "$1" "$2#"
}

ntraces()
{
	jlen "$1" traces
}

# days A B: calendar days from date A to date B.
days()
{
	"$PYTHON" -S -c 'import datetime as d, sys
a, b = (d.date.fromisoformat(x) for x in sys.argv[1:])
print((b - a).days)' "$1" "$2"
}

# today_plus N: the UTC date N days from now.
today_plus()
{
	"$PYTHON" -S -c 'import datetime as d, sys
print((d.datetime.now(d.timezone.utc).date() + d.timedelta(int(sys.argv[1]))).isoformat())' "$1"
}

# audit_count NODE DIR TYPE: entries of that direction and type.
audit_count()
{
	"$PYTHON" -S -c '
import json, sys
print(sum(1 for e in json.loads(sys.argv[1])["entries"]
          if e.get("dir") == sys.argv[2] and e.get("type") == sys.argv[3]))' \
		"$(ctl_json "$1" audit)" "$2" "$3" || fail "audit_count $*"
}

REQ=(--recovered-on 2023-06-20 --recovered-at "El Paso, TX" --crime 1201 --agency ATF)

# ---- records ----

# MEX: a Glock sold at retail in Monterrey, then exported to Guatemala.
assert_ok ctl MEX record add --make Glock --serial AB-123 --model G17 --caliber 9mm --country AUT
assert_ok ctl MEX record event 1 --kind imported --date 2019-01-10 --party "Importadora Norte" \
	--place Veracruz --country AUT --ref IMP-1
assert_ok ctl MEX record event 1 --kind sold --date 2020-03-15 --party "Armeria Central" \
	--place Monterrey --ref LIC-9
assert_ok ctl MEX record event 1 --kind exported --date 2021-05-01 --party "Armeria Central" \
	--place Veracruz --country GTM --ref EXP-42
# MEX: a Beretta recorded as destroyed.
assert_ok ctl MEX record add --make Beretta --serial BR-777 --model 92FS
assert_ok ctl MEX record event 2 --kind sold --date 2015-02-01 --party "Armeria Sur" --place Oaxaca
assert_ok ctl MEX record event 2 --kind destroyed --date 2022-01-05 --party SEDENA --place Oaxaca
# GTM: the same Glock imported from Mexico and sold in Guatemala City; a Colt.
assert_ok ctl GTM record add --make Glock --serial AB123 --model G17 --caliber 9mm
assert_ok ctl GTM record event 1 --kind imported --date 2021-05-10 --party "Importadora Maya" \
	--place "Puerto Barrios" --country MEX --ref DIGECAM-5
assert_ok ctl GTM record event 1 --kind sold --date 2021-08-02 --party "Armeria Zona 1" \
	--place "Guatemala City" --ref LIC-GT-3
assert_ok ctl GTM record add --make Colt --serial C-1911 --model "M1911"
assert_ok ctl GTM record event 2 --kind sold --date 2010-11-30 --party "Armeria Zona 4" \
	--place "Guatemala City"

# ---- automatic answer ----

assert_ok ctl MEX peer policy USA --traces auto
id_auto=$(trace_req USA --to MEX --make Glock --serial "ab 123" --model G17 "${REQ[@]}" --case ATF-1)
wait_answered USA "$id_auto"
ref_auto=$(ref_of USA "$id_auto")
[ "$((ref_auto & 0xffffffff))" = "$id_auto" ] && [ "$ref_auto" != "$id_auto" ] ||
	fail "ref $ref_auto is not trace $id_auto under random upper bits"
want_ttc=$(days 2020-03-15 2023-06-20)
assert_json "$TR" peer=MEX result.status=completed result.ref="$ref_auto" \
	'result.chain.*.kind=["exported", "imported", "sold"]' result.chain#=3 \
	result.chain.1.party="Armeria Central" result.chain.1.place=Monterrey \
	result.first_retail.kind=sold result.first_retail.date=2020-03-15 \
	result.first_retail.party="Armeria Central" result.time_to_crime_days="$want_ttc" \
	result.export_to=GTM result.export_date=2021-05-01 result.export_ref=EXP-42 \
	req.case_ref=ATF-1 req.follows=0
assert_eq "$want_ttc" 1192 "days from the sale to the recovery"
handling=$(json_get "$TR" result.handling)
[ -n "$handling" ] || fail "the result carries no handling rules"
human=$(ctl USA trace show "$id_auto") || fail "trace show failed"
assert_contains "$human" "completed"
assert_contains "$human" "time to crime: $want_ttc days"
assert_contains "$human" "exported to GTM"
assert_contains "$human" "tracectl trace follow $id_auto"
out=$(ctl_json MEX inbox --all)
assert_json "$out" traces#=1 traces.0.status=answered traces.0.result_status=completed \
	traces.0.req.case_ref=ATF-1
assert_eq "$(ntraces "$(ctl_json MEX inbox)")" 0 "MEX review inbox"
assert_eq "$(audit_count USA out trace_request)" 1 "USA audit: requests sent"
assert_eq "$(audit_count USA in trace_result)" 1 "USA audit: results received"
assert_eq "$(audit_count MEX in trace_request)" 1 "MEX audit: requests received"
assert_eq "$(audit_count MEX out trace_result)" 1 "MEX audit: results sent"
pass "an auto-answered trace has the chain, first retail sale, time to crime and export"

# ---- receipts ----

mex_fp=$(json_get "$(ctl_json MEX status)" fingerprint)
assert_ok ctl USA trace show "$id_auto" --receipt "$T/r1.receipt"
assert_contains "$LAST_OUT" "written to $T/r1.receipt"
assert_fails ctl USA trace show "$id_auto" --receipt "$T/r1.receipt"
pass "a receipt is written once, never over an existing file"

# Offline: no node directory, no socket; the signer must be named.
offline() { env -u TRACENET_DIR "$TRACECTL" "$@"; }
mex_card=$(ctl MEX card)
gtm_card=$(ctl GTM card)
assert_fails offline verify "$T/r1.receipt"
assert_contains "$LAST_ERR" "verify needs the signer you expect"
assert_ok offline verify "$T/r1.receipt" --card "$mex_card"
assert_contains "$LAST_OUT" "valid signature by MEX (key fingerprint $mex_fp) on a trace_result from MEX to USA"
assert_contains "$LAST_OUT" "status: completed"
assert_ok offline --json verify "$T/r1.receipt" --card "$mex_card"
assert_json "$LAST_OUT" verdict.signer_fingerprint="$mex_fp" verdict.signer_peer=MEX \
	verdict.from=MEX verdict.to=USA verdict.type=trace_result message.status=completed \
	message.ref="$ref_auto" message.export_to=GTM \
	message.request_digest="$(json_get "$(ctl_json MEX inbox --all)" traces.0.digest)"
mex_key=$(ctl_json USA peer list | "$PYTHON" -S -c 'import json, sys
print([p["key"] for p in json.load(sys.stdin)["peers"] if p["name"] == "MEX"][0])')
assert_ok offline verify "$T/r1.receipt" --key "$mex_key"
assert_ok ctl USA verify "$T/r1.receipt"
assert_contains "$LAST_OUT" "valid signature by MEX"
assert_fails offline verify "$T/r1.receipt" --card "$gtm_card"
assert_contains "$LAST_ERR" "not by the key you gave for GTM"
pass "verify checks a receipt offline against the signer named by card, key or pinned peers"

# The adversary: a receipt "from MEX" re-signed with another key, the
# signature itself valid. Refused whoever the checker trusts.
FORGE=$TN_BIN/tests/tools/forge_receipt
assert_ok "$FORGE" "$T/r1.receipt" "$T/eve.receipt" "$(node_dir GTM)"
assert_fails offline verify "$T/eve.receipt" --card "$mex_card"
assert_contains "$LAST_ERR" "INVALID: signed by key"
assert_fails ctl USA verify "$T/eve.receipt"
assert_contains "$LAST_ERR" "INVALID: the receipt says it comes from MEX, but GTM signed it"
node_init EVE
assert_ok "$FORGE" "$T/r1.receipt" "$T/eve2.receipt" "$(node_dir EVE)"
assert_fails ctl USA verify "$T/eve2.receipt"
assert_contains "$LAST_ERR" "which no peer pinned by the node"
pass "a receipt re-signed by another key is refused, by card and by pinned peers"

tamper "$T/r1.receipt" "$T/status.receipt" 'b"\xa6status\xa9completed"' 'b"\xa6status\xa9completes"'
assert_fails offline verify "$T/status.receipt" --card "$mex_card"
assert_contains "$LAST_ERR" "INVALID"
tamper "$T/r1.receipt" "$T/days.receipt" 'b"time_to_crime_days\xcd\x04\xa8"' 'b"time_to_crime_days\xcd\x04\xa9"'
assert_fails offline verify "$T/days.receipt" --card "$mex_card"
# The header is signed too: the addressee cannot be changed.
tamper "$T/r1.receipt" "$T/to.receipt" 'b"\xa2to\xa3USA"' 'b"\xa2to\xa3CAN"'
assert_fails offline verify "$T/to.receipt" --card "$mex_card"
assert_contains "$LAST_ERR" "INVALID"
size=$(stat -c %s "$T/r1.receipt")
head -c $((size / 2)) "$T/r1.receipt" >"$T/half.receipt"
assert_fails offline verify "$T/half.receipt" --card "$mex_card"
head -c $((size - 1)) "$T/r1.receipt" >"$T/short.receipt"
assert_fails offline verify "$T/short.receipt" --card "$mex_card"
: >"$T/empty.receipt"
assert_fails offline verify "$T/empty.receipt" --card "$mex_card"
assert_fails offline verify "$T/no-such.receipt" --card "$mex_card"
assert_ok offline verify "$T/r1.receipt" --card "$mex_card"
pass "a flipped byte in the signed message or header, a truncated or empty file fail verify"

# ---- review: approve, deny ----

id_rev=$(trace_req USA --to GTM --make Colt --serial C1911 "${REQ[@]}" --case ATF-2)
wait_review USA "$id_rev"
assert_json "$(ctl_json USA trace show "$id_rev")" deadline="$(today_plus 14)"
out=$(ctl_json GTM inbox)
assert_json "$out" traces#=1 traces.0.peer=USA traces.0.status=in_review \
	traces.0.req.case_ref=ATF-2 traces.0.req.firearm.serial=C1911 traces.0.req.ref="$(ref_of USA "$id_rev")"
assert_contains "$(ctl GTM inbox)" "ATF-2"
in_rev=$(json_get "$out" traces.0.id)
assert_ok ctl GTM --json approve "$in_rev"
assert_json "$LAST_OUT" status=answered result_status=completed
wait_answered USA "$id_rev"
assert_json "$TR" result.status=completed result.first_retail.date=2010-11-30 \
	result.first_retail.party="Armeria Zona 4" result.time_to_crime_days="$(days 2010-11-30 2023-06-20)"
assert_fails ctl GTM approve "$in_rev"
assert_fails ctl GTM deny "$in_rev"
assert_json "$(ctl_json USA trace show "$id_rev")" result.status=completed
pass "a reviewed trace waits in the inbox with a deadline, is approved once"

id_urg=$(trace_req USA --to GTM --make Colt --serial C1911 "${REQ[@]}" --case ATF-3 --urgent)
wait_review USA "$id_urg"
assert_json "$(ctl_json USA trace show "$id_urg")" deadline="$(today_plus 2)"
in_urg=$(in_id GTM USA "$(ref_of USA "$id_urg")")
assert_contains "$(ctl GTM inbox)" "URGENT"
assert_ok ctl GTM deny "$in_urg" --reason "outside the mandate of this office"
wait_answered USA "$id_urg"
assert_json "$TR" result.status=declined result.reason="outside the mandate of this office"
assert_eq "$(jlen "$TR" result.chain)" 0 "events in a declined result"
assert_contains "$(ctl USA trace show "$id_urg")" "declined (outside the mandate of this office)"
assert_fails ctl GTM approve "$in_urg"
assert_fails ctl GTM deny "$in_urg"
assert_fails ctl GTM approve 999
assert_eq "$(ntraces "$(ctl_json GTM inbox)")" 0 "GTM review inbox"
out=$(ctl_json GTM inbox --all)
assert_json "$out" traces#=2 'traces.*.status=["answered", "declined"]'
assert_contains "$(ctl GTM inbox)" "inbox empty"
pass "an urgent request gets a 2-day deadline; deny sends the reason back"

# ---- follow-up across the border ----

out=$(ctl_json USA trace follow "$id_auto") || fail "trace follow failed"
id_fol=$(json_get "$out" id)
assert_json "$(ctl_json USA trace show "$id_fol")" peer=GTM req.follows="$ref_auto" \
	req.case_ref=ATF-1 req.firearm.serial="ab 123"
wait_review USA "$id_fol"
in_fol=$(in_id GTM USA "$(ref_of USA "$id_fol")")
assert_json "$(ctl_json GTM inbox)" traces#=1 traces.0.req.follows="$ref_auto"
assert_ok ctl GTM approve "$in_fol"
wait_answered USA "$id_fol"
assert_json "$TR" peer=GTM result.status=completed 'result.chain.*.kind=["imported", "sold"]' \
	result.chain.0.country=MEX result.first_retail.party="Armeria Zona 1" \
	result.time_to_crime_days="$(days 2021-08-02 2023-06-20)"
assert_contains "$(ctl USA trace show "$id_fol")" "follows trace $id_auto"
assert_fails ctl USA trace follow "$id_rev"
assert_contains "$LAST_ERR" "did not end in an export"
assert_fails ctl USA trace follow 999
pass "trace follow sends the trace on to the export country, which answers"

# ---- the other result statuses ----

id=$(trace_req USA --to MEX --make Glock --serial ZZ-404 "${REQ[@]}" --case ATF-4)
wait_answered USA "$id"
assert_json "$TR" result.status=no_record result.time_to_crime_days=-1
assert_eq "$(jlen "$TR" result.chain)" 0 "events in a no_record result"
id=$(trace_req USA --to MEX --make Glock --serial-obliterated yes "${REQ[@]}" --case ATF-5)
wait_answered USA "$id"
assert_json "$TR" result.status=unmarked_or_obliterated req.firearm.serial_obliterated=true
id=$(trace_req USA --to MEX --make Beretta --serial br777 "${REQ[@]}" --case ATF-6)
wait_answered USA "$id"
assert_json "$TR" result.status=destroyed_on_record 'result.chain.*.kind=["destroyed", "sold"]'
assert_contains "$(json_get "$TR" result.reason)" "diversion"
pass "no_record, unmarked_or_obliterated and destroyed_on_record"

assert_ok ctl MEX --json peer policy USA --disclose none
assert_json "$LAST_OUT" disclose=none
id=$(trace_req USA --to MEX --make Glock --serial AB123 "${REQ[@]}" --case ATF-7)
wait_answered USA "$id"
withheld=$("$PYTHON" -S -c '
import json, sys
r = json.loads(sys.argv[1])["result"]
evs = r["chain"] + [r["first_retail"]]
print(sum(1 for e in evs for f in ("party", "place", "ref") if e.get(f)), len(r["chain"]),
      r.get("export_ref", ""))' "$TR")
assert_eq "$withheld" "0 3 " "disclosed parties, places, refs; chain length; export ref"
assert_json "$TR" result.status=partial result.export_to=GTM result.first_retail.date=2020-03-15 \
	result.time_to_crime_days="$want_ttc"
assert_ok ctl MEX peer policy USA --disclose place
id=$(trace_req USA --to MEX --make Glock --serial AB123 "${REQ[@]}" --case ATF-8)
wait_answered USA "$id"
assert_json "$TR" result.status=partial result.chain.1.place=Monterrey result.first_retail.place=Monterrey
assert_json "$TR" result.chain.1.kind=sold result.chain.1.date=2020-03-15 \
	result.chain.1.party= result.chain.1.place=Monterrey result.chain.1.country= result.chain.1.ref=
pass "--disclose none gives a partial result without parties, places or refs"

# ---- policy: deny, daily limit ----

assert_ok ctl GTM peer policy MEX --traces deny
id=$(trace_req MEX --to GTM --make Colt --serial C1911 "${REQ[@]}" --case FGR-1)
wait_answered MEX "$id"
assert_json "$TR" result.status=declined
assert_contains "$(json_get "$TR" result.reason)" "does not answer trace requests"
assert_eq "$(ntraces "$(ctl_json GTM inbox)")" 0 "GTM review inbox"
assert_eq "$(json_get "$(ctl_json GTM inbox --all)" traces#)" 4 "GTM's incoming traces"
pass "policy deny declines at once, nothing waits for review"

assert_ok ctl MEX --json peer policy GTM --traces auto --daily-limit 1
assert_json "$LAST_OUT" traces=auto daily_limit=1
id1=$(trace_req GTM --to MEX --make Glock --serial AB123 "${REQ[@]}" --case PNC-1)
wait_answered GTM "$id1"
assert_json "$TR" result.status=completed
id2=$(trace_req GTM --to MEX --make Glock --serial AB123 "${REQ[@]}" --case PNC-2)
wait_answered GTM "$id2"
assert_json "$TR" result.status=declined
assert_eq "$(jlen "$TR" result.chain)" 0 "events in a declined result"
assert_contains "$(json_get "$TR" result.reason)" "daily limit"
# The limit is per peer: USA still gets answers.
id=$(trace_req USA --to MEX --make Glock --serial ZZ-405 "${REQ[@]}" --case ATF-9)
wait_answered USA "$id"
assert_json "$TR" result.status=no_record
pass "--daily-limit 1 declines the second request of the day"

# ---- bad requests ----

assert_fails ctl USA trace request --to CAN --make Glock --serial X1 "${REQ[@]}" --case X
assert_fails ctl USA trace request --to MEX --serial X1 "${REQ[@]}" --case X
assert_fails ctl USA trace request --to MEX --make Glock "${REQ[@]}" --case X
assert_fails ctl USA trace request --to MEX --make Glock --serial X1 --recovered-on 2023-02-30 \
	--crime 1201 --case X
assert_fails ctl USA trace request --to MEX --make Glock --serial X1 --recovered-on 2023-02-03 \
	--crime 1201 --case X --colour red
assert_fails ctl USA trace show 999
assert_fails ctl USA trace wait 999 --timeout 1
pass "bad requests are refused with one line"

# ---- the end: intact logs, no drops ----

for n in "${names[@]}"; do
	node_alive "$n"
	assert_ok ctl "$n" --json audit --verify
	assert_json "$LAST_OUT" first_bad=0
	assert_eq "$(drop_lines "$n")" "${DROPS0[$n]}" "$n's dropped lines since linking"
done
pass "audit chains intact on every node, no message dropped"

# Fields withheld: none when every field is disclosed explicitly, so the
# result must be complete, not partial.
assert_ok ctl MEX --json peer policy USA --disclose party,place,ref
id=$(trace_req USA --to MEX --make Glock --serial AB123 "${REQ[@]}" --case ATF-10)
wait_answered USA "$id"
assert_json "$TR" result.chain.1.party="Armeria Central" result.chain.1.place=Monterrey \
	result.export_ref=EXP-42
assert_json "$TR" result.status=completed
pass "disclosing every field gives a completed result"
