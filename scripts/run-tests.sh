#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Run every unit test binary and every integration test, then print one
# closing line "N passed, N failed". BUILD picks the build directory;
# VALGRIND=1 runs the unit tests and every daemon under valgrind memcheck.
set -u
BUILD=${BUILD:-build}
export BUILD
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
passed=0 failed=0 failures=()

for t in "$BUILD"/tests/test_*; do
	[ -x "$t" ] || continue
	name=$(basename "$t")
	if [ "${VALGRIND:-0}" = 1 ]; then
		out=$(valgrind -q --leak-check=full --error-exitcode=99 "$t" 2>&1); rc=$?
	else
		out=$("$t" 2>&1); rc=$?
	fi
	# One summary per cmocka group: add them up.
	p=$(printf '%s\n' "$out" | sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' | awk '{s += $1} END {print s + 0}')
	f=$(printf '%s\n' "$out" | sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' | awk '{s += $1} END {print s + 0}')
	passed=$((passed + ${p:-0}))
	failed=$((failed + ${f:-0}))
	if [ $rc -ne 0 ]; then
		[ "${f:-0}" -eq 0 ] && failed=$((failed + 1))
		failures+=("$name")
		printf '%s\n' "$out" | tail -40
	fi
	echo "unit $name: ${p:-0} passed, ${f:-0} failed (exit $rc)"
done

# Under VALGRIND=1 every tracenetd of the integration tests runs under
# memcheck; a node that exits with valgrind's error status fails its test.
if [ "${VALGRIND:-0}" = 1 ]; then
	export TN_WRAP="valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite"
	export TN_START_TIMEOUT=60 TN_STOP_TIMEOUT=60
fi

for t in tests/integration/test_*.sh; do
	[ -f "$t" ] || continue
	name=$(basename "$t" .sh)
	log=$(mktemp)
	if timeout 900 bash "$t" >"$log" 2>&1; then
		passed=$((passed + 1)); echo "integration $name: ok"
	else
		failed=$((failed + 1)); failures+=("$name"); echo "integration $name: FAILED"
		tail -60 "$log"
	fi
	rm -f "$log"
done

[ ${#failures[@]} -gt 0 ] && echo "failed: ${failures[*]}"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
