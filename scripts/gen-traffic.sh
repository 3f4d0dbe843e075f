#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# A node directory holding a year of realistic traffic (our traces and
# their results, peers' traces, stolen checks, alerts, the audit log), to
# look at statistics at scale. The node is created, filled while stopped
# by tests/tools/traffic_add, and left stopped.
#   scripts/gen-traffic.sh DIR [traffic_add options]
#   (--peers N --months M --traces-per-month K --seed S --end YYYY-MM-DD)
# BUILD picks the build directory (default build).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${BUILD:-build}
case $BUILD in
/*) BIN=$BUILD ;;
*) BIN=$ROOT/$BUILD ;;
esac
[ $# -ge 1 ] || { echo "usage: $0 DIR [traffic_add options]" >&2; exit 2; }
dir=$1
shift
[ ! -e "$dir" ] || { echo "gen-traffic: $dir exists; pick a new directory" >&2; exit 1; }

make -s -C "$ROOT" BUILD="$BUILD" all "$BUILD/tests/tools/traffic_add" >&2
"$BIN/tracenetd" init "$dir" --name GTM --listen 127.0.0.1:0 >&2
"$BIN/tests/tools/traffic_add" "$dir" --node GTM "$@"
cat >&2 <<MSG
gen-traffic: $dir holds the traffic above (node GTM). Start it and look:
  $BIN/tracenetd run $dir &
  $BIN/tracectl -d $dir stats
  $BIN/tracectl -d $dir report --html r.html
(the node keeps audit entries 730 days and purges results after their
keep_days, counted from the real clock: use --months 24 or fewer.)
MSG
