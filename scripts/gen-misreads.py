#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
# Queries for the serial matching benchmark: serials of guns on file as an
# officer reads them off a recovered gun, misread in the ways below, each
# with the record it should find. Deterministic.
"""Write misread serial queries for the records of a gen-records.py CSV.

The misread model. Each query starts from a record drawn at random (a
sample of SEED) and damages its serial one way, its kind:
  exact            the serial as on file (the control)
  confusable       1 character (70 %) or 2 replaced by one read for it, in
                   the classes 0 O D Q, 1 I L 7, 5 S, 2 Z, 6 G, 8 B, U V
                   (e.g. 0 -> O, 1 -> I, 8 -> B, 5 -> S, and back)
  transposition    two neighbouring characters swapped (they differ, and
                   are not misreads of each other)
  drop             one character left out
  extra            one character too many (a digit between digits, else a
                   letter), anywhere, the ends included
  substitution     one character replaced by another that is not a misread
                   of it (digit for digit, letter for letter)
  unreadable1      1 character written '?': at the front, the middle or the
                   end (a third each)
  unreadable2      2 characters written '?': both in one of those places
                   (side by side, half of them) or in two of them
  importer_as_make the serial as on file, the record's importer given as
                   the make (as read from an import stamp on the frame)
  never_issued     a serial in the pattern of a maker's serials (its
                   letters, digits and dashes where one of its records has
                   them) that no record holds; the truth columns are empty
Only the serial's letters and digits are damaged; its dashes and spaces
stay where they were. The query serial is then written as on file (80 %),
in lower case (10 %) or without its dashes and spaces (10 %). The query
make is the record's (75 %) or another spelling of that maker seen in
reports (25 %, from gen-records.py's table, e.g. "S&W" or "glock"). The
model is the record's (60 %) or spelled another way: lower case, its
punctuation dropped, the make's word put before it ("Glock 19" for G19) or
only its number ("19", "686" for Model 686). Caliber and type are the
record's, each left empty one time in ten. The edit kinds (transposition,
drop, extra, substitution) use serials of at least 6 letters and digits,
so that the query keeps the 5 a one-edit search needs.

Output: tab-separated, one header line, then one query a line with the
columns kind, make, serial, model, caliber, type, truth_make,
truth_serial (the truth as the record has it). Fields hold no tabs.
"""

import argparse
import csv
import importlib.util
import os
import random
import sys

KINDS = ["exact", "confusable", "transposition", "drop", "extra", "substitution",
         "unreadable1", "unreadable2", "importer_as_make", "never_issued"]
CLASSES = ["0ODQ", "1IL7", "5S", "2Z", "6G", "8B", "UV"]
CONFUSE = {ch: cls.replace(ch, "") for cls in CLASSES for ch in cls}
FOLD = {ch: cls[0] for cls in CLASSES for ch in cls}
LETTERS = "ABCDEFGHJKLMNPQRSTUVWXYZ"
DIGITS = "0123456789"
SEPARATORS = " \t-./"
EDIT_MIN = 6        # letters and digits of a serial an edit is made in
TRIES = 50          # records drawn per query before a kind gives up


def load_makers():
    """gen-records.py's maker table: {make as written: other spellings}."""
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "gen-records.py")
    spec = importlib.util.spec_from_file_location("gen_records", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    out = {m[0]: m[1] for m in mod.MAKERS}
    out["Izhmash"] = out.get("Kalashnikov Concern", [])
    return out


def norm_serial(s):
    return "".join(ch for ch in s if ch not in SEPARATORS).upper()


def fold(ch):
    return FOLD.get(ch, ch)


class Misreader:
    """Damages one record's serial at a time; r is the seeded generator."""

    def __init__(self, rows, seed):
        self.rows = rows
        self.r = random.Random(seed)
        self.spellings = load_makers()
        self.on_file = {norm_serial(row[4]) for row in rows}

    def alnum(self, serial):
        """Positions of the serial's letters and digits."""
        return [i for i, ch in enumerate(serial) if ch not in SEPARATORS]

    def confusable(self, s, pos):
        cand = [i for i in pos if s[i].upper() in CONFUSE]
        if not cand:
            return None
        n = 2 if len(cand) > 1 and self.r.random() < 0.3 else 1
        s = list(s)
        for i in self.r.sample(cand, n):
            s[i] = self.r.choice(CONFUSE[s[i].upper()])
        return "".join(s)

    def transposition(self, s, pos):
        pairs = [(a, b) for a, b in zip(pos, pos[1:]) if fold(s[a]) != fold(s[b])]
        if len(pos) < EDIT_MIN or not pairs:
            return None
        a, b = self.r.choice(pairs)
        s = list(s)
        s[a], s[b] = s[b], s[a]
        return "".join(s)

    def drop(self, s, pos):
        if len(pos) < EDIT_MIN:
            return None
        i = self.r.choice(pos)
        return s[:i] + s[i + 1:]

    def extra(self, s, pos):
        if len(pos) < EDIT_MIN:
            return None
        k = self.r.randrange(len(pos) + 1)
        near = [s[pos[j]] for j in (k - 1, k) if 0 <= j < len(pos)]
        ch = self.r.choice(DIGITS if all(c.isdigit() for c in near) else LETTERS)
        at = pos[k] if k < len(pos) else pos[-1] + 1
        return s[:at] + ch + s[at:]

    def substitution(self, s, pos):
        if len(pos) < EDIT_MIN:
            return None
        i = self.r.choice(pos)
        pool = DIGITS if s[i].isdigit() else LETTERS
        ch = self.r.choice([c for c in pool if fold(c) != fold(s[i].upper())])
        return s[:i] + ch + s[i + 1:]

    def place(self, pos, where):
        n = len(pos)
        return {"front": 0, "middle": n // 2, "end": n - 1}[where]

    def unreadable(self, s, pos, n):
        wheres = ["front", "middle", "end"]
        if n == 1:
            at = [self.place(pos, self.r.choice(wheres))]
        elif self.r.random() < 0.5:
            k = self.place(pos, self.r.choice(wheres))
            k = min(k, len(pos) - 2)
            at = [k, k + 1]
        else:
            at = [self.place(pos, w) for w in self.r.sample(wheres, 2)]
        s = list(s)
        for k in at:
            s[pos[k]] = "?"
        return "".join(s)

    def never_issued(self, s, pos):
        for _ in range(TRIES):
            t = list(s)
            for i in pos:
                t[i] = self.r.choice(DIGITS if s[i].isdigit() else LETTERS)
            t = "".join(t)
            if norm_serial(t) not in self.on_file:
                return t
        return None

    def damage(self, kind, s):
        pos = self.alnum(s)
        if kind in ("exact", "importer_as_make"):
            return s
        if kind == "unreadable1":
            return self.unreadable(s, pos, 1)
        if kind == "unreadable2":
            return self.unreadable(s, pos, 2) if len(pos) >= 3 else None
        return getattr(self, kind)(s, pos)

    def write_serial(self, s):
        u = self.r.random()
        if u < 0.1:
            return s.lower()
        if u < 0.2:
            return "".join(ch for ch in s if ch not in SEPARATORS)
        return s

    def make(self, make):
        alt = self.spellings.get(make)
        return self.r.choice(alt) if alt and self.r.random() < 0.25 else make

    def model(self, make, model):
        u = self.r.random()
        names = [make] + self.spellings.get(make, [])
        word = min(names, key=len).split()[0]   # "Glock", "S&W", "Ruger"
        core = model[6:] if model.startswith("Model ") else model
        if len(core) > 1 and core[0] == word[0].upper() and core[1].isdigit():
            core = core[1:]   # G19 -> 19
        if u < 0.6:
            return model
        if u < 0.7:
            return model.lower()
        if u < 0.8:
            return "".join(ch for ch in model if ch.isalnum())
        if u < 0.9:
            return "%s %s" % (word, core)
        return core

    def query(self, kind):
        """One query line's fields, or None when the record drawn does not
        lend itself to kind."""
        row = self.rows[self.r.randrange(len(self.rows))]
        make, model, caliber, gtype, serial, _, importer = row[:7]
        if kind == "importer_as_make" and not importer:
            return None
        s = self.damage(kind, serial)
        if s is None:
            return None
        q_make = importer if kind == "importer_as_make" else self.make(make)
        cal = caliber if self.r.random() >= 0.1 else ""
        typ = gtype if self.r.random() >= 0.1 else ""
        truth = ("", "") if kind == "never_issued" else (make, serial)
        return [kind, q_make, self.write_serial(s), self.model(make, model), cal, typ,
                truth[0], truth[1]]


def read_records(path):
    with open(path, newline="", encoding="utf-8") as f:
        rd = csv.reader(f)
        head = next(rd, None)
        if not head or head[:7] != ["make", "model", "caliber", "type", "serial",
                                    "country", "importer"]:
            sys.exit("gen-misreads: %s is not a gen-records.py CSV" % path)
        return [row[:7] for row in rd if len(row) >= 7 and row[4]]


def parse_args():
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("records", help="records CSV written by gen-records.py")
    p.add_argument("-n", "--per-kind", type=int, default=1000, help="queries of each kind")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("-o", "--out", help="output file (default: stdout)")
    a = p.parse_args()
    if a.per_kind < 0:
        p.error("--per-kind must be >= 0")
    return a


def main():
    a = parse_args()
    rows = read_records(a.records)
    if not rows:
        sys.exit("gen-misreads: no records in %s" % a.records)
    m = Misreader(rows, a.seed)
    out = open(a.out, "w", encoding="utf-8") if a.out else sys.stdout
    out.write("\t".join(["kind", "make", "serial", "model", "caliber", "type",
                         "truth_make", "truth_serial"]) + "\n")
    for kind in KINDS:
        made = 0
        for _ in range(a.per_kind * TRIES):
            if made == a.per_kind:
                break
            q = m.query(kind)
            if q:
                out.write("\t".join(f.replace("\t", " ") for f in q) + "\n")
                made += 1
        if made < a.per_kind:
            print("gen-misreads: only %d %s queries" % (made, kind), file=sys.stderr)
    if a.out:
        out.close()


if __name__ == "__main__":
    main()
