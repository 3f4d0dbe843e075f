#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# A full disk: the node's directory on a small tmpfs, filled by a file
# beside the store. A write refused for want of space says so in one line,
# with how much is free and what to do (not "input/output error"); the
# daemon keeps running and logs it; nothing acknowledged is lost, and once
# space is freed the same write goes through. Needs root (mount); skips
# otherwise.
. "$(dirname "$0")/lib.sh"

if [ "$(id -u)" != 0 ]; then
	pass "SKIP: a tmpfs mount needs root"
	exit 0
fi
mkdir -p "$T/GTM"
mount -t tmpfs -o size=6m,mode=0700 tmpfs "$T/GTM" || { pass "SKIP: cannot mount a tmpfs here"; exit 0; }
tn_on_exit "umount -l '$T/GTM' 2>/dev/null || true"
node_init GTM
# A small map: LMDB grows the file as it writes, so the disk fills first.
sed -i 's/^map_size = .*/map_size = 1m/' "$T/GTM/tracenet.conf"
grep -q '^map_size = 1m' "$T/GTM/tracenet.conf" || printf '\n[store]\nmap_size = 1m\n' >>"$T/GTM/tracenet.conf"
node_start GTM
assert_ok ctl GTM record add --make Glock --serial DF-1 --model G19
# Fill the disk but a few pages.
dd if=/dev/zero of="$T/GTM/filler" bs=64k count=200 2>/dev/null || true
free=$(df --output=avail -k "$T/GTM" | tail -n 1)
[ "$free" -lt 512 ] || fail "the tmpfs still has $free KiB free"

refused=""
for i in $(seq 2 400); do
	if ! ctl GTM record add --make Glock --serial "DF-$i" --model "G19 long model name $i" \
		--importer "$(printf 'Importer %080d' "$i")" >/dev/null 2>"$T/err"; then
		refused=$i
		break
	fi
done
[ -n "$refused" ] || fail "the disk never filled"
err=$(cat "$T/err")
assert_contains "$err" "disk full" "the error names the full disk"
assert_contains "$err" "MiB free" "and how much is free"
assert_contains "$err" "free space there, then try again" "and what to do"
assert_not_contains "$err" "input/output error" "no bare I/O error"
tn_alive "$(node_pid GTM)" || fail "the daemon died on a full disk"
assert_contains "$(cat "$(node_log GTM)")" "commit of" "the failure is logged"
pass "a write on a full disk: one line with the free space, the node runs on"

before=$(node_records GTM)
rm -f "$T/GTM/filler"
assert_ok ctl GTM record add --make Glock --serial "DF-$refused" --model "G19"
[ "$(node_records GTM)" = $((before + 1)) ] || fail "records: $(node_records GTM), want $((before + 1))"
assert_json "$(ctl_json GTM record find --serial DF-1)" "records#=1"
assert_ok ctl GTM audit --verify --local
pass "space freed: the write goes through, nothing acknowledged was lost"
