#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# A disk whose flushes fail (tests/tools/preload/fail_sync.c: every
# fdatasync fails with EIO once a flag file exists). The write that could
# not be made durable is refused, not acknowledged; the node says why and
# stops rather than go on from a store the disk may not hold; started
# again on a sound disk, it replays its journal and every write it
# acknowledged is there.
. "$(dirname "$0")/lib.sh"

PRELOAD=$TN_BIN/tests/tools/fail_sync.so
[ -f "$PRELOAD" ] || fail "missing $PRELOAD (make units builds it)"
node_init GTM
LD_PRELOAD=$PRELOAD TN_FAIL_SYNC_FILE=$T/disk-bad ASAN_OPTIONS=${ASAN_OPTIONS:-}:verify_asan_link_order=0 \
	node_start GTM
for i in $(seq 1 20); do
	assert_ok ctl GTM record add --make Glock --serial "JF-$i" --model G19
done
pass "20 records acknowledged on a sound disk"

touch "$T/disk-bad"
if ctl GTM record add --make Glock --serial JF-BAD --model G19 >"$T/out" 2>"$T/err"; then
	fail "a write was acknowledged though its flush failed"
fi
err=$(cat "$T/err")
assert_contains "$err" "could not make the write durable" "the refusal says why"
assert_contains "$err" "check that disk" "and what to do"
assert_not_contains "$err" "free space" "no advice for a full disk"
pid=$(node_pid GTM)
tn_wait_gone "$pid" 10 || fail "the node still runs after a commit it could not make durable"
wait "$pid" 2>/dev/null || true
unset "TN_PID[GTM]"
log=$(cat "$(node_log GTM)")
assert_contains "$log" "could not make a commit durable" "the node says why it stops"
assert_contains "$log" "replays its" "and what happens next"
pass "a failed flush: the write refused, the node stopped, saying why"

rm -f "$T/disk-bad"
node_start GTM
assert_contains "$(cat "$(node_log GTM)")" "from its journal" "the start replays the journal"
n=$(node_records GTM)
[ "$n" -ge 20 ] && [ "$n" -le 21 ] || fail "records after the restart: $n, want the 20 acknowledged (21 if the refused one reached the journal)"
for i in 1 20; do
	assert_json "$(ctl_json GTM record find --serial "JF-$i")" "records#=1"
done
assert_ok ctl GTM audit --verify --local
node_stop GTM
pass "started again on a sound disk: acknowledged 20, present $n, audit chain intact"
