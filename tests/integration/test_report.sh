#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The HTML report in a real browser: synthetic statistics of 1 and 60 peers
# drawn by tracectl's renderer (tests/tools/report_fixture), and the report
# of a real node holding generated traffic, each loaded by headless
# Chromium with no console error, every chart in its DOM, and a screenshot
# of an A4 page that is not blank. Then tracectl report's own refusals.
. "$(dirname "$0")/lib.sh"

FIXTURE=$TN_BIN/tests/tools/report_fixture
[ -x "$FIXTURE" ] || fail "$FIXTURE is missing (make units builds it)"
CHROMIUM=$(command -v chromium || command -v chromium-browser || true)
[ -n "$CHROMIUM" ] || fail "chromium is missing: scripts/install-deps.sh installs it"

# chrome ARGS...: headless Chromium with a profile of its own under $T.
chrome()
{
	timeout 120 "$CHROMIUM" --headless --no-sandbox --disable-gpu --hide-scrollbars \
		--user-data-dir="$T/chrome" --no-first-run --enable-logging=stderr --v=0 "$@"
}

# shown NAME HTML: load, screenshot and count one report.
shown()
{
	local name=$1 html=$2 png=$T/$1.png size dims svgs
	chrome --screenshot="$png" --window-size=1240,1754 "file://$html" 2>"$T/$name.log" ||
		fail "chromium could not screenshot $html: $(tail -3 "$T/$name.log")"
	[ -s "$png" ] || fail "no screenshot of $html"
	size=$(stat -c %s "$png")
	[ "$size" -gt 30000 ] || fail "the screenshot of $name is nearly blank ($size bytes)"
	dims=$(od -An -tu1 -j16 -N8 "$png" | awk '{print $3*256+$4 "x" $7*256+$8}')
	assert_eq "$dims" "1240x1754" "screenshot size of $name"
	chrome --dump-dom "file://$html" >"$T/$name.dom" 2>>"$T/$name.log" ||
		fail "chromium could not load $html"
	if grep -E "CONSOLE|Uncaught" "$T/$name.log"; then
		fail "chromium logged console errors on the report of $name"
	fi
	svgs=$(grep -o "<svg" "$T/$name.dom" | wc -l)
	assert_eq "$svgs" 12 "charts in the DOM of $name"
	assert_eq "$(grep -c "<script" "$T/$name.dom" || true)" 0 "scripts in the DOM"
	pass "report of $name: 12 charts, no console error, $size-byte screenshot"
}

# check PEERS MONTHS: a synthetic report of that many peers and months.
check()
{
	assert_ok "$FIXTURE" "$1" "$2" "$T/$1-peers.html"
	shown "$1-peers-over-$2-months" "$T/$1-peers.html"
}

check 1 3
check 60 12

# ---- the report of a real node: a quarter of generated traffic ----
node_init GTM
assert_ok "$TN_BIN/tests/tools/traffic_add" "$(node_dir GTM)" --node GTM --peers 3 --months 3 \
	--traces-per-month 20 --seed 7 --end 2025-06-30
node_start GTM
assert_ok ctl GTM report --html "$T/real.html" --since 2025-01-01 --until 2025-12-31
assert_contains "$LAST_OUT" "wrote the report of GTM (2025-01-01 to 2025-12-31)" "report"
shown "a-real-node" "$T/real.html"

# ---- tracectl report refuses before it asks the node ----

touch "$T/old.html"
assert_fails "$TRACECTL" -d "$T/none" report --html "$T/old.html"
assert_contains "$LAST_ERR" "it must not exist" "report over an existing file"
assert_fails "$TRACECTL" -d "$T/none" report --html "$T/new.html" --since 2026-13-01
assert_contains "$LAST_ERR" "--since must be YYYY-MM-DD" "report with a bad date"
assert_fails "$TRACECTL" -d "$T/none" report --since 2026-01-01
assert_contains "$LAST_ERR" "usage: report --html FILE" "report without --html"
[ ! -e "$T/new.html" ] || fail "a failed report left $T/new.html behind"
pass "tracectl report refuses an existing file, a bad date and a missing --html"
