#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# A file system that refuses direct I/O (tests/tools/preload/no_direct.c),
# at open or only at the first write: the journal writes its records
# through the page cache instead, each refusal met once, and a node killed
# with -9 has every write it acknowledged when it starts again.
. "$(dirname "$0")/lib.sh"

PRELOAD=$TN_BIN/tests/tools/no_direct.so
[ -f "$PRELOAD" ] || fail "missing $PRELOAD (make units builds it)"

# refused HOW NAME: refuse direct I/O at HOW, acknowledge 20 records, kill.
refused()
{
	local how=$1 name=$2 n
	node_init "$name"
	LD_PRELOAD=$PRELOAD TN_NO_DIRECT=$how TN_NO_DIRECT_LOG=$T/$how.log \
		ASAN_OPTIONS=${ASAN_OPTIONS:-}:verify_asan_link_order=0 node_start "$name"
	for i in $(seq 1 20); do
		assert_ok ctl "$name" record add --make Glock --serial "ND-$how-$i" --model G19
	done
	assert_eq "$(grep -c "^$how$" "$T/$how.log" 2>/dev/null || echo 0)" 1 \
		"direct I/O refused at $how, once: the journal stopped asking"
	node_kill "$name"
	node_start "$name"
	assert_contains "$(cat "$(node_log "$name")")" "from its journal" "the start replays the journal"
	n=$(node_records "$name")
	assert_eq "$n" 20 "records present after kill -9, of 20 acknowledged"
	for i in 1 20; do
		assert_json "$(ctl_json "$name" record find --serial "ND-$how-$i")" "records#=1"
	done
	assert_ok ctl "$name" audit --verify --local
	node_stop "$name"
	pass "direct I/O refused at $how: acknowledged 20, present $n after kill -9, audit intact"
}

refused open OPN
refused write WRT
