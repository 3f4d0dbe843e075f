#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Builds and runs the libFuzzer targets tests/fuzz/fuzz_*.c against the real
# proto/ and crypto/ sources, with clang, ASan and UBSan.
#
#   scripts/fuzz.sh build                   build every target into build/fuzz/
#   scripts/fuzz.sh smoke [SECONDS]         build, run each target SECONDS (30)
#                                           on a fresh copy of its seeds
#   scripts/fuzz.sh run NAME SECONDS [ARG]  long run of one target; the corpus in
#                                           build/fuzz/corpus-NAME is kept; ARGs
#                                           go to libFuzzer (-jobs=2, -max_len=...)
#   scripts/fuzz.sh corpus                  regenerate tests/fuzz/corpus/ seeds
#
# A target whose "fuzz-needs:" symbols are not implemented yet is skipped.
# FUZZ_CC and FUZZ_CFLAGS change the compiler and add flags.
# Exit status is non-zero on a build failure or any crash, leak or timeout.
set -u
cd "$(dirname "$0")/.."

FUZZ_CC=${FUZZ_CC:-clang}
OUT=build/fuzz
PKGS="msgpack jansson libsodium openssl inih libuv"
MODULES="proto crypto"  # sources compiled into build/fuzz/libfuzz.a
SAN="-fsanitize=address,undefined -fno-sanitize-recover=all"
CFLAGS="-std=c11 -D_GNU_SOURCE -g -O1 -Wall -Wextra -Wno-missing-field-initializers $SAN"
CFLAGS="$CFLAGS $(pkg-config --cflags $PKGS) ${FUZZ_CFLAGS:-}"
LIBS="$(pkg-config --libs $PKGS) -lm"

die() { echo "fuzz.sh: $*" >&2; exit 2; }

targets() {
	for src in tests/fuzz/fuzz_*.c; do
		[ -e "$src" ] && basename "$src" .c
	done
}

# Compile the modules' sources once, with coverage instrumentation, into libfuzz.a.
build_lib() {
	local status=0 src obj objs=()

	mkdir -p "$OUT/obj"
	# Flags changed (FUZZ_CC, FUZZ_CFLAGS): start again.
	if [ "$(cat "$OUT/flags" 2>/dev/null)" != "$FUZZ_CC $CFLAGS" ]; then
		rm -f "$OUT"/obj/*.o "$OUT"/libfuzz.a
		echo "$FUZZ_CC $CFLAGS" >"$OUT/flags"
	fi
	for obj in "$OUT"/obj/*.o; do
		[ -e "$obj" ] && [ ! -e "$(basename "$obj" .o | tr @ /).c" ] && rm -f "$obj"
	done
	for src in $(for m in $MODULES; do ls "$m"/*.c 2>/dev/null; done); do
		obj="$OUT/obj/$(dirname "$src")@$(basename "$src" .c).o"
		if [ ! -e "$obj" ] || [ "$src" -nt "$obj" ] ||
		   [ -n "$(find "$(dirname "$src")" -name '*.h' -newer "$obj")" ]; then
			if ! $FUZZ_CC $CFLAGS -fsanitize=fuzzer-no-link -c "$src" -o "$obj"; then
				echo "fuzz.sh: cannot compile $src" >&2
				rm -f "$obj"
				status=1
				continue
			fi
		fi
		objs+=("$obj")
	done
	for obj in "${objs[@]}"; do
		[ "$obj" -nt "$OUT/libfuzz.a" ] && rm -f "$OUT/libfuzz.a"
	done
	[ "$(ls "$OUT"/obj/*.o 2>/dev/null | wc -l)" = "$(ar t "$OUT/libfuzz.a" 2>/dev/null |
		wc -l)" ] || rm -f "$OUT/libfuzz.a"
	if [ ! -e "$OUT/libfuzz.a" ]; then
		ar rcs "$OUT/libfuzz.a" "${objs[@]}" || return 1
		nm --defined-only -g "$OUT/libfuzz.a" 2>/dev/null |
			awk 'NF == 3 { print $3 }' >"$OUT/symbols"
	fi
	return $status
}

# Names listed after "fuzz-needs:" in a target that libfuzz.a lacks.
missing_symbols() {
	local sym missing=""

	for sym in $(sed -n 's/.*fuzz-needs:\(.*\)\*\/.*/\1/p' "$1"); do
		grep -qx "$sym" "$OUT/symbols" || missing="$missing $sym"
	done
	echo "$missing"
}

build() {
	mkdir -p "$OUT"
	# One build at a time, so parallel runs do not trip over each other.
	exec 9>"$OUT/.lock"
	flock 9
	build_locked
	local status=$?
	flock -u 9
	return $status
}

build_locked() {
	local status=0 name src missing extra

	build_lib || status=1
	for name in $(targets); do
		src="tests/fuzz/$name.c"
		missing=$(missing_symbols "$src")
		if [ -n "$missing" ]; then
			echo "skip $name: not implemented yet:$missing"
			rm -f "$OUT/$name"
			continue
		fi
		[ -x "$OUT/$name" ] && [ "$OUT/$name" -nt "$src" ] && [ "$OUT/$name" -nt node/config.c ] &&
			[ "$OUT/$name" -nt "$OUT/libfuzz.a" ] && continue
		# Sources outside the fuzzed modules a target names on a "fuzz-sources:" line.
		extra=$(sed -n 's/.*fuzz-sources:\(.*\)\*\/.*/\1/p; s/.*fuzz-sources:\(.*\)$/\1/p' "$src")
		if ! $FUZZ_CC $CFLAGS -Werror -fsanitize=fuzzer "$src" $extra "$OUT/libfuzz.a" $LIBS \
			-o "$OUT/$name"; then
			echo "fuzz.sh: cannot build $name" >&2
			rm -f "$OUT/$name"
			status=1
		fi
	done
	return $status
}

# run_one NAME SECONDS CORPUS [libFuzzer args]: one run and its summary line.
run_one() {
	local name=$1 secs=$2 corpus=$3 log="$OUT/$1.log" start rc execs cov files art
	shift 3

	start=$(date +%s)
	"$OUT/$name" -max_total_time="$secs" -print_final_stats=1 -timeout=25 \
		-rss_limit_mb=2048 -artifact_prefix="$OUT/$name-" "$@" "$corpus" >"$log" 2>&1
	rc=$?
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
	cov=$(grep -o 'cov: [0-9]*' "$log" | tail -n 1 | cut -d' ' -f2)
	files=$(find "$corpus" -type f | wc -l)
	printf '%-14s %-5s %10s execs in %4ss  cov %-5s corpus %s\n' "$name" \
		"$([ $rc -eq 0 ] && echo ok || echo FAIL)" "${execs:-?}" \
		"$(($(date +%s) - start))" "${cov:-?}" "$files"
	if [ $rc -ne 0 ]; then
		art=$(sed -n 's/.*Test unit written to \(.*\)$/\1/p' "$log" | tail -n 1)
		grep -m 1 -E 'ERROR|fuzz_[a-z]+:|SUMMARY' "$log" | sed 's/^/    /'
		echo "    log: $log${art:+; reproduce: $OUT/$name $art}"
	fi
	return $rc
}

smoke() {
	local secs=${1:-30} status=0 name dir

	build || status=1
	for name in $(targets); do
		[ -x "$OUT/$name" ] || continue
		dir="$OUT/corpus-$name"
		rm -rf "$dir"
		mkdir -p "$dir"
		[ -d "tests/fuzz/corpus/$name" ] && cp "tests/fuzz/corpus/$name"/* "$dir"/ 2>/dev/null
		run_one "$name" "$secs" "$dir" || status=1
	done
	return $status
}

run() {
	local name=$1 secs=$2 dir="$OUT/corpus-$1"
	shift 2

	[ -e "tests/fuzz/$name.c" ] || die "no target tests/fuzz/$name.c"
	build
	[ -x "$OUT/$name" ] || die "$name was not built"
	mkdir -p "$dir"
	[ -d "tests/fuzz/corpus/$name" ] && cp -n "tests/fuzz/corpus/$name"/* "$dir"/ 2>/dev/null
	run_one "$name" "$secs" "$dir" "$@"
}

corpus() {
	mkdir -p "$OUT"
	$FUZZ_CC -std=c11 -D_GNU_SOURCE -O1 -g tests/fuzz/gen_corpus.c proto/*.c \
		$(pkg-config --cflags --libs $PKGS) -lm -o "$OUT/gen_corpus" &&
		"$OUT/gen_corpus" tests/fuzz/corpus && du -sh tests/fuzz/corpus
}

case "${1:-}" in
build) build ;;
smoke) smoke "${2:-30}" ;;
run) [ $# -ge 3 ] || die "usage: fuzz.sh run NAME SECONDS [libFuzzer args]"
     shift; run "$@" ;;
corpus) corpus ;;
*) die "usage: fuzz.sh build | smoke [SECONDS] | run NAME SECONDS [ARGS] | corpus" ;;
esac
