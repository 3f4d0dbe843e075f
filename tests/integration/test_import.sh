#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# `tracectl record import`: 100 000 synthetic rows from scripts/gen-records.py,
# spot-checked through record find and show; a file of bad rows, each
# reported by its line; re-import reporting duplicates; the --json summary;
# bad rows in later batches while earlier ones are in flight.
. "$(dirname "$0")/lib.sh"

GEN=$TN_ROOT/scripts/gen-records.py
N=100000
[ -f "$GEN" ] || fail "$GEN is missing"

node_init GTM
node_start GTM

# ---- 100 000 generated rows ----
csv=$T/records.csv
"$PYTHON" "$GEN" $N --seed 7 >"$csv" || fail "gen-records.py failed"
assert_eq "$(wc -l <"$csv")" $((N + 1)) "lines of the generated file (header + rows)"
assert_ok ctl_json GTM record import "$csv"
assert_json "$LAST_OUT" rows=$N imported=$N rejected=0 errors#=0
assert_eq "$LAST_ERR" "" "stderr of a clean import"
assert_ok ctl_json GTM status
assert_json "$LAST_OUT" records=$N
pass "$N generated rows imported, status shows $N records"

# Rows come back as written, under the ids of their order in the file, and
# are found by serial written another way (lower case, dashes between every
# character) and by make. One python process reads the file and calls tracectl.
tn_run "$PYTHON" - "$csv" "$TRACECTL" "$(node_dir GTM)" <<'EOF'
import csv, json, subprocess, sys
path, tracectl, d = sys.argv[1:]
with open(path, newline="", encoding="utf-8") as f:
    rows = list(csv.reader(f))[1:]
bad = []
def ctl(*argv):
    p = subprocess.run([tracectl, "-d", d, "--json"] + list(argv), capture_output=True, text=True)
    if p.returncode:
        bad.append("%s: %s" % (" ".join(argv), p.stderr.strip()))
        return None
    return json.loads(p.stdout)
def same(k, row, rec):
    events = [row[i:i + 6] for i in range(7, len(row), 6) if any(row[i:i + 6])]
    got = [rec.get(f, "") for f in ("make", "model", "caliber", "type", "serial", "country", "importer")]
    got_ev = [[e.get(f, "") for f in ("kind", "date", "party", "place", "country", "ref")]
              for e in rec.get("events", [])]
    if got != row[:7] or got_ev != events:
        bad.append("row %d: file %r, store %r" % (k, row, rec))
for k in (1, 2, 4096, 4097, 31337, 50000, 99999, len(rows)):
    row = rows[k - 1]
    rec = ctl("record", "show", str(k))
    if rec:
        same(k, row, rec)
    serial = "-".join(row[4].replace("-", "").lower())
    found = ctl("record", "find", "--serial", serial, "--make", row[0].upper())
    # ids are decimal strings in JSON
    if found and [r["id"] for r in found["records"] if r["id"] == str(k)] != [str(k)]:
        bad.append("find --serial %s --make %s: no id %d in %r" % (serial, row[0].upper(), k, found))
    found = ctl("record", "find", "--serial", row[4])
    if found and str(k) not in [r["id"] for r in found["records"]]:
        bad.append("find --serial %s: no id %d" % (row[4], k))
print("\n".join(bad))
sys.exit(1 if bad else 0)
EOF
[ "$LAST_RC" -eq 0 ] || fail "spot checks: $LAST_OUT $LAST_ERR"
pass "spot checks: record show and find give back the rows as written"

# ---- a file of bad rows among good ones ----
bad=$T/bad.csv
long_field=$(printf 'X%.0s' $(seq 2000))
long_serial=$(printf 'Y%.0s' $(seq 100))
{
	echo "make,model,caliber,type,serial,country,importer"                       # 1
	echo "Glock,G17,9mm,pistol,BAD-T-1,AUT,Armas SA,manufactured,2019-01-02,Glock,Deutsch-Wagram,,"  # 2
	echo "Glock,G17,9mm,pistol,BAD-T-2,AUT,,sold,2019-02-30,Dealer,Mixco,,REF-2"   # 3 bad date
	echo "Glock,G19,9mm,pistol,,AUT,,"                                            # 4 no serial
	echo "Beretta,92FS,9mm,pistol,BAD-T-3,ITA,,"                                  # 5
	echo "Glock,G17,9mm,pistol,BAD-T-4,AUT,,manufactured,2019-01-02,Glock,Ulm,,,sold,2020-01-01,Dealer" # 6 cut group
	printf '\000\001\002\376\377\200\033[2J garbage \177\n'                      # 7 garbage bytes
	echo "Glock,G17,9mm,pistol,$long_field,AUT,,"                                  # 8 field > 1024 bytes
	echo "Glock,G17,9mm,pistol,$long_serial,AUT,,"                                 # 9 serial > 47 bytes
	echo "Taurus,G2C,9mm,pistol,BAD-T-5,BRA,,"                                    # 10
	echo "Taurus,G2C,9mm,pistol,BAD-T-6,BRA,,stolen-ish,2020-01-01,,,,"           # 11 bad kind
	echo "Taurus,G2C,9mm,pistol,BAD-T-7,bra,,"                                    # 12 bad country
	echo 'Colt,"Python, 6""",.357 Magnum,revolver,BAD-T-8,USA,"Importer'          # 13 quoted,
	echo 'line two, S.A."'                                                        # 14 two lines
	echo 'Glock,"G26,9mm,pistol,BAD-T-9,AUT,,'                                    # 15 unclosed quote
	echo "Glock,G26,9mm,pistol,BAD-T-10,AUT,,"                                    # 16
	echo "Glock,G45,9mm,pistol,BAD-T-11,AUT,,"                                    # 17
} >"$bad"
good_lines="2 5 10 13 16 17"
bad_lines="3 4 6 7 8 9 11 12 15"

tn_run ctl GTM record import "$bad"
[ "$LAST_RC" -ne 0 ] || fail "import of a file with bad rows exited 0"
assert_eq "$LAST_OUT" "imported 6 of 15 rows" "summary of the import with bad rows"
reported=$(printf '%s\n' "$LAST_ERR" | sed -n 's/^line \([0-9]*\): .*/\1/p' | sort -n | xargs)
assert_eq "$reported" "$bad_lines" "lines reported as bad"
assert_eq "$(printf '%s\n' "$LAST_ERR" | tail -n 1)" "tracectl: 9 of 15 rows rejected" "last line"
assert_eq "$(printf '%s\n' "$LAST_ERR" | wc -l)" 10 "stderr: one line per bad row and a summary"
assert_contains "$LAST_ERR" "line 3: event 1: bad date '2019-02-30'" "bad date"
assert_contains "$LAST_ERR" "line 4: serial is empty" "missing serial"
assert_contains "$LAST_ERR" "line 6: event 2 has 3 of 6 columns" "cut event group"
assert_contains "$LAST_ERR" "line 7: NUL byte" "garbage bytes"
assert_contains "$LAST_ERR" "line 8: field 5 is longer than 1024 bytes" "overlong field"
assert_contains "$LAST_ERR" "line 9: column serial: 100 bytes, at most 47" "overlong serial"
assert_contains "$LAST_ERR" "line 11: event 1: unknown kind 'stolen-ish'" "bad event kind"
assert_contains "$LAST_ERR" "line 12: bad country 'bra'" "bad country"
assert_contains "$LAST_ERR" "line 15: end of input inside quoted field 2" "unterminated quote"
# Control bytes of the garbage line never reach the terminal.
assert_not_contains "$LAST_ERR" $'\033' "stderr"
assert_ok ctl_json GTM status
assert_json "$LAST_OUT" records=$((N + 6))
assert_ok ctl_json GTM record find --serial bad-t-8 --make colt
assert_json "$LAST_OUT" records#=1 'records.0.model=Python, 6"' \
	$'records.0.importer=Importer\nline two, S.A.'
assert_ok ctl_json GTM record find --serial BAD-T-10
assert_json "$LAST_OUT" records#=1 records.0.model=G26
pass "bad rows reported by line on stderr, good rows imported, non-zero exit"

# ---- the same file again: the good rows are on file, counted apart ----
tn_run ctl_json GTM record import "$bad"
[ "$LAST_RC" -ne 0 ] || fail "re-import with bad rows exited 0"
assert_eq "$LAST_ERR" "tracectl: 9 of 15 rows rejected" "stderr of the json re-import"
assert_json "$LAST_OUT" rows=15 imported=0 on_file=6 rejected=9 errors#=9 \
	"errors.*.line=[3, 4, 6, 7, 8, 9, 11, 12, 15]"
assert_ok ctl_json GTM status
assert_json "$LAST_OUT" records=$((N + 6))
pass "re-import: rows already on file skipped and counted apart from the bad ones"

# The 100 000 again (as after an interrupted import): all on file, exit 0.
tn_run ctl GTM record import "$csv"
[ "$LAST_RC" -eq 0 ] || fail "re-import of $N rows on file exited $LAST_RC: $LAST_ERR"
assert_eq "$LAST_OUT" "imported 0 of $N rows; $N already on file, skipped" "re-run summary"
tn_run ctl_json GTM record import "$csv"
assert_json "$LAST_OUT" rows=$N imported=0 on_file=$N rejected=0 errors#=0
assert_ok ctl_json GTM status
assert_json "$LAST_OUT" records=$((N + 6))
pass "re-import of $N rows: all on file, skipped, exit 0"

# ---- small cases: header only, empty file, standard input ----
echo "make,model,caliber,type,serial,country,importer" >"$T/header.csv"
assert_ok ctl GTM record import "$T/header.csv"
assert_eq "$LAST_OUT" "imported 0 of 0 rows" "header-only file"
: >"$T/empty.csv"
assert_ok ctl GTM record import "$T/empty.csv"
assert_eq "$LAST_OUT" "imported 0 of 0 rows" "empty file"
printf 'Walther,PDP,9mm,pistol,STDIN-1,DEU,\r\nWalther,PDP,9mm,pistol,STDIN-2,DEU,\r\n' \
	>"$T/crlf.csv"
assert_ok ctl GTM record import - <"$T/crlf.csv"
assert_eq "$LAST_OUT" "imported 2 of 2 rows" "import from standard input, CRLF, no header"
assert_ok ctl_json GTM status
assert_json "$LAST_OUT" records=$((N + 8))
pass "header-only, empty and standard-input imports"

# ---- batches in flight, bad rows in the later ones ----
# tracectl sends 8192 rows, then 12288, then more (node/ctl/import.c), two
# requests in flight. Rows refused by tracectl (a cut event group) and by
# the node (a bad date, a duplicate, a bad country) in the second and third
# batches are named by their lines, and every other row is in, under
# consecutive ids.
pipe=$T/pipelined.csv
"$PYTHON" "$GEN" 40000 --seed 9 | "$PYTHON" -c '
import csv, sys
rows = list(csv.reader(sys.stdin))
for r in rows[1:]:
    r[4] = "PL-" + r[4]                     # serials not on file yet
rows[9000 - 1][8] = "2019-02-30"            # line 9000: batch 2, the node refuses it
rows[12000 - 1] = rows[12000 - 1][:7] + ["sold", "2020-01-01"]   # line 12000: tracectl does
rows[20000 - 1] = list(rows[2 - 1])         # line 20000: the row of line 2 again
rows[26000 - 1][5] = "gtm"                  # line 26000: batch 3, bad country
csv.writer(sys.stdout, lineterminator="\n").writerows(rows)' >"$pipe" ||
	fail "making $pipe failed"
before=$(node_records GTM)
tn_run ctl_json GTM record import "$pipe"
[ "$LAST_RC" -ne 0 ] || fail "import with bad rows in later batches exited 0"
assert_json "$LAST_OUT" rows=40000 imported=39996 on_file=1 rejected=3 \
	"errors.*.line=[9000, 12000, 26000]"
tn_run "$PYTHON" -c '
import json, sys
errs = {e["line"]: e["error"] for e in json.loads(sys.argv[1])["errors"]}
want = {9000: "event 1: bad date", 12000: "event 1 has 2 of 6 columns",
        26000: "bad country"}
bad = ["line %d: %r" % (l, errs.get(l)) for l, w in want.items() if w not in errs.get(l, "")]
sys.exit("; ".join(bad) if bad else 0)' "$LAST_OUT"
[ "$LAST_RC" -eq 0 ] || fail "reasons of the bad rows: $LAST_ERR"
assert_ok ctl_json GTM status
assert_json "$LAST_OUT" records=$((before + 39996))
# Line 9001 holds the 8999th record in (lines 1 and 9000 are none), line
# 40001 the last.
tn_run "$PYTHON" -c '
import csv, sys
rows = list(csv.reader(open(sys.argv[1], newline="", encoding="utf-8")))
print(rows[9001 - 1][4], rows[40001 - 1][4])' "$pipe"
read -r s9001 slast <<<"$LAST_OUT"
assert_ok ctl_json GTM record show $((before + 8999))
assert_json "$LAST_OUT" "serial=$s9001"
assert_ok ctl_json GTM record show $((before + 39996))
assert_json "$LAST_OUT" "serial=$slast"
pass "batches in flight: bad rows of later batches named by line, ids consecutive"

# ---- known trouble last, so that the checks above always run ----

# A row in Latin-1 (a spreadsheet export) is not UTF-8: that row must be
# rejected by its line like any other bad row, and the others imported.
printf 'make,model,caliber,type,serial,country,importer\nGlock,G17,9mm,pistol,L1-A,AUT,Armas\nGlock,G17,9mm,pistol,L1-B,AUT,Armer\355a Central\nGlock,G17,9mm,pistol,L1-C,AUT,Armas\n' \
	>"$T/latin1.csv"
tn_run ctl GTM record import "$T/latin1.csv"
latin_out=$LAST_OUT latin_err=$LAST_ERR
assert_ok ctl_json GTM record find --serial L1-A
latin_found=$LAST_OUT

# Killing tracectl mid-import (an operator's Ctrl-C; SIGTERM here, as a
# background job ignores SIGINT) must not hurt the node, which still has a
# batch to answer on a connection that is gone.
"$PYTHON" "$GEN" 150000 --seed 8 >"$T/more.csv"
before=$(node_records GTM)
"$TRACECTL" -d "$(node_dir GTM)" record import "$T/more.csv" >"$T/int.out" 2>&1 &
imp=$!
wait_until 30 eval '[ "$(node_records GTM)" -gt "$before" ]' ||
	fail "the interrupted import never committed a batch"
kill -TERM "$imp"
wait "$imp" 2>/dev/null || true
sleep 0.5
node_alive GTM
assert_ok ctl GTM status
pass "tracectl killed mid-import: node still runs"

[ "$(printf '%s\n' "$latin_err" | grep -c '^line 3: .*UTF-8')" -eq 1 ] ||
	fail "Latin-1 row: want 'line 3: ... UTF-8' on stderr, got: $latin_err (stdout: $latin_out)"
assert_eq "$latin_out" "imported 2 of 3 rows" "import with one Latin-1 row"
assert_json "$latin_found" records#=1
pass "a row that is not UTF-8 is rejected by line, the others imported"

node_stop GTM
