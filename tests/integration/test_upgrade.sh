#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Upgrade in place: a node directory left by the release before store
# layout 2 (tests/fixtures/node-v1) starts under this tracenetd, which
# rebuilds its serial indexes once; records, reports and the audit chain
# are all there, exact and fuzzy lookups work, and a second start does
# nothing more.
. "$(dirname "$0")/lib.sh"

FIX=$(cd "$(dirname "$0")/../fixtures/node-v1" && pwd)
cp -r "$FIX" "$T/GTM"
rm -f "$T/GTM/README"
chmod 700 "$T/GTM" "$T/GTM/store"
chmod 600 "$T/GTM/node.key" "$T/GTM/tracenet.conf" "$T/GTM/store/data.mdb"

node_start GTM
assert_json "$(ctl_json GTM status)" name=GTM records=2 stolen_open=1
out=$(ctl_json GTM record find --serial up-1o23 --make glock)
assert_json "$out" "records#=1" records.0.model=G19 records.0.events.0.party="Armeria Vieja"
out=$(ctl_json GTM record find --serial sw4455)
assert_json "$out" "records#=1" records.0.make="Smith & Wesson"
out=$(ctl_json GTM record find --fuzzy --serial UP-1023 --make Glock)
assert_json "$out" candidates.0.serial=UP-1O23 "candidates.0.reason=confusable 0→O at 4"
assert_json "$(ctl_json GTM stolen list --serial UP1O23)" "reports#=1"
assert_ok ctl GTM audit --verify --local
pass "a layout-1 store upgraded in place: records, reports, indexes, audit chain"

assert_ok ctl GTM record add --make Glock --serial UP-1O24 --model G19
node_stop GTM
node_start GTM
assert_json "$(ctl_json GTM status)" records=3
assert_json "$(ctl_json GTM record find --serial UP-1O24)" "records#=1"
pass "a second start finds the store as it left it"
