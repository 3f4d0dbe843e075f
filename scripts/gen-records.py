#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
# Synthetic firearm records for `tracectl record import` (CSV on stdout) and,
# optionally, lost/stolen reports for some of the same guns. Deterministic.
"""Generate N synthetic firearm records as CSV.

Columns: make,model,caliber,type,serial,country,importer, then event groups
eventN_kind,eventN_date,eventN_party,eventN_place,eventN_country,eventN_ref.
Serials are unique per make within a run (and so per make+model+serial).
About --dense-frac (default 30 %) of each maker's guns come in shipments:
20 to 500 consecutive serials in the maker's pattern (log-uniform; the last
group of digits counts up), one model, made within 60 days, imported
together by one importer. They sit next to each other in the CSV. Their
serials come from a part of each maker's number space kept for shipments
(every third block of 1000), so they never meet the scattered serials of
single guns; that is where one misread digit lands on another gun on file.
With --stolen FILE, lost/stolen reports for a fraction of the guns go to FILE
with columns kind,make,model,caliber,serial,date,place,agency,case_ref; some
spell the make or the serial differently, as real reports do.
"""

import argparse
import datetime
import itertools
import math
import random
import sys

END = datetime.date(2024, 12, 31).toordinal()
FIRST = datetime.date(1950, 1, 1).toordinal()
IZHMASH_RENAMED = datetime.date(2013, 1, 1).toordinal()  # became Kalashnikov Concern
MAX_TRANSFERS = 3
# Shipments: runs of RUN_MIN to RUN_MAX consecutive serials (log-uniform),
# made over SHIP_DAYS days.
RUN_MIN, RUN_MAX, SHIP_DAYS = 20, 500, 60
# manufactured, imported, sold, transfers, then exported or destroyed
MAX_EVENTS = 3 + MAX_TRANSFERS + 1
REC_COLS = ["make", "model", "caliber", "type", "serial", "country", "importer"]
EV_COLS = ["kind", "date", "party", "place", "country", "ref"]
STOLEN_COLS = ["kind", "make", "model", "caliber", "serial", "date", "place",
               "agency", "case_ref"]
LETTERS = "ABCDEFGHJKLMNPQRSTUVWXYZ"  # no I or O, as most makers do
DIGITS = "0123456789"

# Makers: (make as written in records, other spellings seen in reports,
# country, factory, serial pattern (L letter, D digit, other kept), weight,
# models [(model, caliber, type, first year, (country, factory) when made
# elsewhere than the maker's main plant)]).
MAKERS = [
    ("Glock", ["Glock Ges.m.b.H.", "GLOCK GmbH", "glock"], "AUT", "Deutsch-Wagram",
     "LLLDDD", 14,
     [("G17", "9mm", "pistol", 1982, None), ("G19", "9mm", "pistol", 1988, None),
      ("G26", "9mm", "pistol", 1995, None), ("G43X", "9mm", "pistol", 2019, None),
      ("G45", "9mm", "pistol", 2018, None), ("G22", ".40 S&W", "pistol", 1990, None),
      ("G21", ".45 ACP", "pistol", 1990, None)]),
    ("Smith & Wesson", ["S&W", "Smith and Wesson", "SMITH & WESSON"], "USA",
     "Springfield, MA", "LLLDDDD", 8,
     [("M&P9", "9mm", "pistol", 2005, None), ("M&P Shield", "9mm", "pistol", 2012, None),
      ("SD9VE", "9mm", "pistol", 2014, None),
      ("Model 686", ".357 Magnum", "revolver", 1981, None),
      ("Model 642", ".38 Special", "revolver", 1990, None),
      ("M&P15", "5.56x45mm", "rifle", 2006, None)]),
    ("Sturm, Ruger & Co.", ["Ruger", "Sturm Ruger", "RUGER"], "USA", "Prescott, AZ",
     "DDD-DDDDD", 7,
     [("10/22", ".22 LR", "rifle", 1964, None), ("LCP", ".380 ACP", "pistol", 2008, None),
      ("SR9", "9mm", "pistol", 2007, None), ("Security-9", "9mm", "pistol", 2018, None),
      ("Mini-14", "5.56x45mm", "rifle", 1973, None),
      ("GP100", ".357 Magnum", "revolver", 1985, None)]),
    ("Colt's Manufacturing Company", ["Colt", "COLT", "Colt's Manufacturing"], "USA",
     "West Hartford, CT", "LLDDDDDD", 3,
     [("AR-15", "5.56x45mm", "rifle", 1964, None),
      ("M1911A1", ".45 ACP", "pistol", 1965, None),
      ("Python", ".357 Magnum", "revolver", 1965, None),
      ("Cobra", ".38 Special", "revolver", 2017, None)]),
    ("Beretta", ["Pietro Beretta", "BERETTA", "Beretta USA"], "ITA",
     "Gardone Val Trompia", "LDDDDDDZ", 7,
     [("92FS", "9mm", "pistol", 1976, None), ("PX4 Storm", "9mm", "pistol", 2004, None),
      ("APX", "9mm", "pistol", 2017, None), ("M9A3", "9mm", "pistol", 2015, None),
      ("1301 Tactical", "12 gauge", "shotgun", 2014, None)]),
    ("Taurus", ["Forjas Taurus", "TAURUS", "Taurus Armas"], "BRA", "São Leopoldo",
     "LLLDDDDD", 12,
     [("G2C", "9mm", "pistol", 2018, None), ("G3", "9mm", "pistol", 2019, None),
      ("PT92", "9mm", "pistol", 1983, None), ("Model 85", ".38 Special", "revolver", 1980, None),
      ("TX22", ".22 LR", "pistol", 2019, None)]),
    ("SIG Sauer", ["SIG-Sauer", "SIG", "Sig Sauer Inc."], "USA", "Newington, NH",
     "DDLDDDDDD", 5,
     [("P320", "9mm", "pistol", 2014, None), ("P365", "9mm", "pistol", 2018, None),
      ("P226", "9mm", "pistol", 1984, ("DEU", "Eckernförde")), ("MCX", "5.56x45mm", "rifle", 2015, None)]),
    ("Česká zbrojovka", ["CZ", "Ceska Zbrojovka", "CZ-USA"], "CZE", "Uherský Brod",
     "LDDDDDD", 6,
     [("CZ 75 B", "9mm", "pistol", 1975, None), ("P-10 C", "9mm", "pistol", 2017, None),
      ("Scorpion EVO 3 S1", "9mm", "carbine", 2009, None),
      ("CZ 527", ".223 Rem", "rifle", 1990, None)]),
    ("FN Herstal", ["FN", "Fabrique Nationale", "FNH"], "BEL", "Herstal",
     "DDDLLDDDDD", 4,
     [("FAL", "7.62x51mm", "rifle", 1953, None), ("FN 509", "9mm", "pistol", 2017, None),
      ("Five-seveN", "5.7x28mm", "pistol", 2000, None),
      ("P90", "5.7x28mm", "submachine gun", 1990, None),
      ("Hi-Power", "9mm", "pistol", 1960, None)]),
    ("Kalashnikov Concern", ["Izhmash", "Kalashnikov", "KALASHNIKOV"], "RUS", "Izhevsk",
     "DDDDDDDD", 4,
     [("AK-47", "7.62x39mm", "rifle", 1950, None), ("AKM", "7.62x39mm", "rifle", 1959, None),
      ("AK-74", "5.45x39mm", "rifle", 1974, None),
      ("Saiga-12", "12 gauge", "shotgun", 1997, None)]),
    ("Norinco", ["China North Industries", "NORINCO", "China North Industries Corp."],
     "CHN", "Beijing", "DDDDDDDD", 3,
     [("Type 56", "7.62x39mm", "rifle", 1956, None),
      ("Type 54", "7.62x25mm", "pistol", 1954, None),
      ("Hawk 982", "12 gauge", "shotgun", 2000, None)]),
    ("Remington Arms", ["Remington", "REMINGTON", "Remington Arms Company"], "USA",
     "Ilion, NY", "LDDDDDDL", 5,
     [("870 Express", "12 gauge", "shotgun", 1950, None),
      ("700", ".308 Win", "rifle", 1962, None),
      ("1100", "12 gauge", "shotgun", 1963, None), ("RP9", "9mm", "pistol", 2016, None)]),
    ("O.F. Mossberg & Sons", ["Mossberg", "MOSSBERG", "Mossberg and Sons"], "USA",
     "North Haven, CT", "LDDDDDDD", 6,
     [("500", "12 gauge", "shotgun", 1961, None), ("590A1", "12 gauge", "shotgun", 1987, None),
      ("Maverick 88", "12 gauge", "shotgun", 1989, None),
      ("MC1sc", "9mm", "pistol", 2019, None)]),
    ("Heckler & Koch", ["H&K", "HK", "Heckler und Koch"], "DEU", "Oberndorf am Neckar",
     "DD-DDDDDD", 2,
     [("USP", "9mm", "pistol", 1993, None), ("VP9", "9mm", "pistol", 2014, None),
      ("MP5", "9mm", "submachine gun", 1966, None), ("G36", "5.56x45mm", "rifle", 1997, None),
      ("HK416", "5.56x45mm", "rifle", 2005, None)]),
    ("Walther", ["Carl Walther GmbH", "WALTHER", "Walther Arms"], "DEU", "Ulm",
     "LLLDDDD", 3,
     [("PPQ M2", "9mm", "pistol", 2013, None), ("PPK/S", ".380 ACP", "pistol", 1968, None),
      ("P22", ".22 LR", "pistol", 2002, None), ("PDP", "9mm", "pistol", 2021, None)]),
    ("Bersa", ["Bersa S.A.", "BERSA"], "ARG", "Ramos Mejía", "LDDDDDD", 6,
     [("Thunder 380", ".380 ACP", "pistol", 1995, None),
      ("Thunder 9 Pro", "9mm", "pistol", 2003, None), ("TPR9", "9mm", "pistol", 2015, None)]),
    ("IWI", ["Israel Weapon Industries", "I.W.I."], "ISR", "Ramat HaSharon", "LLDDDDDD", 4,
     [("Jericho 941", "9mm", "pistol", 1990, None), ("Masada", "9mm", "pistol", 2019, None),
      ("Tavor X95", "5.56x45mm", "rifle", 2009, None),
      ("UZI", "9mm", "submachine gun", 1954, None)]),
    ("Zastava Arms", ["Zastava", "ZASTAVA"], "SRB", "Kragujevac", "DDDDDDD", 2,
     [("M70", "7.62x39mm", "rifle", 1970, None), ("M57", "7.62x25mm", "pistol", 1957, None),
      ("M88A", "9mm", "pistol", 1990, None), ("PAP M92", "7.62x39mm", "rifle", 1992, None)]),
    ("Springfield Armory", ["Springfield", "SPRINGFIELD ARMORY"], "USA", "Geneseo, IL",
     "LLDDDDDD", 3,
     [("Hellcat", "9mm", "pistol", 2019, ("HRV", "Karlovac")),
      ("XD-9", "9mm", "pistol", 2002, ("HRV", "Karlovac")),
      ("1911 Mil-Spec", ".45 ACP", "pistol", 1985, None),
      ("M1A", "7.62x51mm", "rifle", 1974, None)]),
    ("Hi-Point Firearms", ["Hi-Point", "HI POINT"], "USA", "Mansfield, OH", "LDDDDDD", 2,
     [("C9", "9mm", "pistol", 1993, None), ("995TS", "9mm", "carbine", 2014, None),
      ("JHP", ".45 ACP", "pistol", 1996, None)]),
    ("Steyr Arms", ["Steyr", "Steyr Mannlicher"], "AUT", "Steyr", "DDDDDD", 1,
     [("AUG", "5.56x45mm", "rifle", 1978, None), ("M9-A1", "9mm", "pistol", 2009, None)]),
]

# Per country: cities, ports of entry, dealers, importers, the licensing
# authority (prefix of permit numbers) and the police that take reports.
COUNTRIES = {
    "GTM": dict(
        cities=["Ciudad de Guatemala", "Mixco", "Villa Nueva", "Quetzaltenango",
                "Escuintla", "Cobán", "Huehuetenango", "Chiquimula", "Puerto Barrios",
                "Flores", "Antigua Guatemala", "Zacapa"],
        ports=["Puerto Quetzal", "Santo Tomás de Castilla", "Aeropuerto La Aurora"],
        dealers=["Armería El Quetzal", "Armería La Montaña", "Casa del Cazador",
                 "Armas y Municiones del Sur", "Tiro Deportivo Guatemala",
                 "Armería Central", "Armería Los Altos", "Armería Oriente"],
        importers=["Importadora de Armas de Centroamérica, S.A.",
                   "Distribuidora Militar y Deportiva, S.A.", "Armas de Guatemala, S.A."],
        authority="DIGECAM", police="Policía Nacional Civil", police_ref="PNC"),
    "MEX": dict(
        cities=["Ciudad de México", "Guadalajara", "Monterrey", "Tijuana", "Ciudad Juárez",
                "Culiacán", "Tapachula", "Puebla", "Hermosillo", "Mérida"],
        ports=["Manzanillo", "Veracruz", "Aeropuerto Internacional de la Ciudad de México"],
        dealers=["SEDENA Dirección de Comercialización de Armamento y Municiones"],
        importers=["SEDENA Dirección de Comercialización de Armamento y Municiones"],
        authority="SEDENA", police="Fiscalía General de la República", police_ref="FGR"),
    "USA": dict(
        cities=["Houston, TX", "Phoenix, AZ", "San Antonio, TX", "Tucson, AZ", "Dallas, TX",
                "Los Angeles, CA", "Miami, FL", "Atlanta, GA", "El Paso, TX", "Laredo, TX"],
        ports=["Port of Houston", "Port of Miami", "Port of Newark"],
        dealers=["Lone Star Guns LLC", "Desert Sportsman Supply", "Gulf Coast Firearms",
                 "Palmetto Outdoor Supply", "Border Country Pawn & Gun",
                 "Peach State Shooting Sports"],
        importers=["Century International Arms", "Interstate Arms Corp.",
                   "Global Sporting Imports LLC"],
        authority="ATF", police="Police Department", police_ref="PD"),
    "SLV": dict(
        cities=["San Salvador", "Santa Ana", "San Miguel", "Soyapango", "Santa Tecla"],
        ports=["Puerto de Acajutla", "Aeropuerto Internacional de El Salvador"],
        dealers=["Armería La Salvadoreña", "Armas y Deportes El Volcán", "Armería Cuscatlán"],
        importers=["Importaciones Tácticas, S.A. de C.V."],
        authority="MDN", police="Policía Nacional Civil", police_ref="PNC"),
    "HND": dict(
        cities=["Tegucigalpa", "San Pedro Sula", "La Ceiba", "Choluteca", "Comayagua"],
        ports=["Puerto Cortés", "Aeropuerto Internacional Toncontín"],
        dealers=["Armería Catracha", "Casa de Armas del Norte", "Armería Morazán"],
        importers=["Importadora Hondureña de Armas, S.A."],
        authority="DAEM", police="Policía Nacional de Honduras", police_ref="PNH"),
    "BLZ": dict(
        cities=["Belize City", "Belmopan", "Orange Walk", "San Ignacio", "Corozal"],
        ports=["Port of Belize", "Philip S. W. Goldson International Airport"],
        dealers=["Belize Sporting Goods Ltd.", "Cayo Outdoor Supply"],
        importers=["Caribbean Arms Import Ltd."],
        authority="BPD", police="Belize Police Department", police_ref="BPD"),
}

GENERIC = dict(
    cities=["Capital City", "North City", "South City", "East City", "West City"],
    ports=["Main Port", "International Airport"],
    dealers=["Licensed Dealer No. 1", "Licensed Dealer No. 2", "Licensed Dealer No. 3"],
    importers=["National Arms Import Co."],
    authority="NFA", police="National Police", police_ref="NP")

NEIGHBOURS = {
    "GTM": "MEX,SLV,HND,BLZ", "MEX": "GTM,USA,BLZ", "USA": "MEX,CAN",
    "SLV": "GTM,HND", "HND": "GTM,SLV,NIC", "BLZ": "GTM,MEX",
}

BORDER_POSTS = {
    ("GTM", "MEX"): "Tecún Umán", ("GTM", "SLV"): "Pedro de Alvarado",
    ("GTM", "HND"): "Agua Caliente", ("GTM", "BLZ"): "Melchor de Mencos",
    ("MEX", "GTM"): "Ciudad Hidalgo", ("MEX", "USA"): "Nuevo Laredo",
    ("USA", "MEX"): "Laredo, TX", ("SLV", "GTM"): "La Hachadura",
    ("HND", "GTM"): "Corinto", ("BLZ", "GTM"): "Benque Viejo del Carmen",
}


class SerialSpace:
    """Unique serials for one maker, written in its pattern: a number v is
    spelt with the pattern's last run of digits least significant, so v and
    v + 1 are consecutive serials of a production line. The space is cut in
    blocks of BLOCK numbers; every RUN_EVERY-th block is kept for shipments
    (run(): consecutive serials, blocks taken in a scrambled order), the
    others hold single guns (next(): a counter sent through an affine
    permutation of their numbers), so the two never meet."""

    BLOCK = 1000
    RUN_EVERY = 3

    def __init__(self, pattern, rnd):
        self.runs, self.size = [], 1
        for ch in pattern:
            kind = ch if ch in "LD" else "="
            if self.runs and self.runs[-1][0] == kind and kind != "=":
                self.runs[-1][1] += 1
            else:
                self.runs.append([kind, 1, ch])
        self.fmt = "".join("%s" if k != "=" else lit.replace("%", "%%")
                           for k, _, lit in self.runs)
        # (radix, names or None for digits, width, slot in fmt), least
        # significant first: the last run of digits, then the others from
        # the end of the pattern.
        parts = []
        for kind, n, _ in self.runs:
            if kind == "D":
                parts.append((10 ** n, None, n, len(parts)))
            elif kind == "L":
                names = ["".join(t) for t in itertools.product(LETTERS, repeat=n)]
                parts.append((len(names), names, n, len(parts)))
        self.slots = len(parts)
        last_d = max((i for i, p in enumerate(parts) if p[1] is None), default=len(parts) - 1)
        self.parts = [parts[last_d]] + [p for i, p in reversed(list(enumerate(parts)))
                                        if i != last_d]
        for radix, _, _, _ in self.parts:
            self.size *= radix
        self.block = math.gcd(self.BLOCK, self.size)
        blocks = self.size // self.block
        self.n_run_blocks = (blocks + self.RUN_EVERY - 1) // self.RUN_EVERY
        self.single = self.size - self.n_run_blocks * self.block
        self.mul, self.add = self.affine(self.single, rnd)
        self.run_mul, self.run_add = self.affine(self.n_run_blocks, rnd)
        self.count = 0
        self.run_blocks = 0      # run blocks opened so far
        self.run_at = self.run_end = 0

    @staticmethod
    def affine(n, rnd):
        """Multiplier and offset of a permutation of range(n)."""
        mul = max(1, int(n * (0.3 + 0.6 * rnd())))
        while math.gcd(mul, n) != 1:
            mul += 1
        return mul, int(n * rnd())

    def spell(self, v):
        out = [None] * self.slots
        for radix, names, width, slot in self.parts:
            v, r = divmod(v, radix)
            out[slot] = names[r] if names else "%0*d" % (width, r)
        return self.fmt % tuple(out)

    def next(self):
        """A serial of a single gun."""
        if self.count >= self.single:
            sys.exit("gen-records: serial space of a maker exhausted; lower N")
        i = (self.count * self.mul + self.add) % self.single
        self.count += 1
        # i numbers the blocks not kept for runs: skip one every RUN_EVERY.
        b, off = divmod(i, self.block)
        b += b // (self.RUN_EVERY - 1) + 1
        return self.spell(b * self.block + off)

    def run(self, n):
        """n consecutive serials of one shipment (fewer when n is larger
        than a block)."""
        n = min(n, self.block)
        if self.run_end - self.run_at < n:
            if self.run_blocks >= self.n_run_blocks:
                sys.exit("gen-records: shipment serials of a maker exhausted; lower N")
            b = (self.run_blocks * self.run_mul + self.run_add) % self.n_run_blocks
            self.run_blocks += 1
            self.run_at = b * self.RUN_EVERY * self.block
            self.run_end = self.run_at + self.block
        first = self.run_at
        self.run_at += n
        return [self.spell(v) for v in range(first, first + n)]


def q(s):
    """A CSV field: quoted when it holds a comma, quote or line break."""
    if any(ch in s for ch in ',"\r\n'):
        return '"' + s.replace('"', '""') + '"'
    return s


def q_all(v):
    if isinstance(v, list):
        return [q(x) for x in v]
    return q(v)


def parse_args():
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("n", type=int, help="number of records")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--country", default="GTM", help="country of the node (ISO alpha-3)")
    p.add_argument("--stolen", metavar="FILE", help="also write lost/stolen reports here")
    p.add_argument("--stolen-frac", type=float, default=0.01)
    p.add_argument("--dense-frac", type=float, default=0.3,
                   help="share of the guns that come in shipments of consecutive "
                        "serials (default 0.3)")
    p.add_argument("--export-to", metavar="LIST",
                   help="comma-separated destinations of exports "
                        "(default: the country's neighbours)")
    a = p.parse_args()
    if a.n < 0:
        p.error("N must be >= 0")
    a.country = a.country.upper()
    if len(a.country) != 3 or not a.country.isalpha() or not a.country.isascii():
        p.error("--country must be an ISO 3166-1 alpha-3 code")
    exp = a.export_to if a.export_to is not None else NEIGHBOURS.get(a.country, "")
    a.export_to = [c.strip().upper() for c in exp.split(",")
                   if c.strip() and c.strip().upper() != a.country]
    for c in a.export_to:
        if len(c) != 3 or not c.isalpha() or not c.isascii():
            p.error("bad country in --export-to: %r" % c)
    if not 0 <= a.stolen_frac <= 1:
        p.error("--stolen-frac must be between 0 and 1")
    if not 0 <= a.dense_frac <= 1:
        p.error("--dense-frac must be between 0 and 1")
    return a


def header():
    cols = list(REC_COLS)
    for i in range(1, MAX_EVENTS + 1):
        cols += ["event%d_%s" % (i, c) for c in EV_COLS]
    return cols


class Generator:
    """Guns and reports as CSV lines; every table string is quoted once here,
    the strings made per gun (serials, dates, permits) never need it."""

    def __init__(self, args):
        self.rnd = random.Random(args.seed).random
        self.country = args.country
        self.c = {k: q_all(v) for k, v in COUNTRIES.get(args.country, GENERIC).items()}
        self.export_to = args.export_to
        self.border = {k: q(v) for k, v in BORDER_POSTS.items()}
        self.dates = [datetime.date.fromordinal(d).isoformat()
                      for d in range(FIRST, END + 1)]
        self.makers = []
        for name, variants, country, factory, pattern, _, models in MAKERS:
            self.makers.append((q(name), q_all(variants), country, q(factory),
                                [(q(m), q(cal), q(t), year,
                                  (where[0], q(where[1])) if where else None)
                                 for m, cal, t, year, where in models],
                                SerialSpace(pattern, self.rnd)))
        self.pick = [i for i, m in enumerate(MAKERS) for _ in range(m[5])]
        self.izhmash = q("Izhmash")
        self.owner_seq = self.case_seq = self.permit_seq = 0
        # A shipment starts with the chance that puts dense_frac of the
        # guns in shipments: f = q E / (q E + 1 - q), E the mean run.
        f, mean = args.dense_frac, (RUN_MAX - RUN_MIN) / math.log(RUN_MAX / RUN_MIN)
        self.ship_start = f / (mean * (1 - f) + f) if f < 1 else 1.0
        self.ship = None

    def choice(self, seq):
        return seq[int(self.rnd() * len(seq))]

    def permit(self, kind, ordinal):
        self.permit_seq += 1
        return "%s-%s-%s-%06d" % (self.c["authority"], kind,
                                  self.dates[min(ordinal, END) - FIRST][:4],
                                  self.permit_seq % 1000000)

    def owner(self):
        self.owner_seq += 1
        return "owner %s-%08X" % (self.country, (self.owner_seq * 2654435761) & 0xFFFFFFFF)

    def made_on(self, first_year):
        start = datetime.date(max(first_year, 1965), 1, 1).toordinal()
        span = END - 400 - start
        return start + int(span * (1 - self.rnd() ** 1.6))

    def domestic(self, ev, d, importer):
        """Sale, private transfers, then maybe export or destruction."""
        rnd, c, choice = self.rnd, self.c, self.choice
        if rnd() < 0.92:
            d += 5 + int(rnd() * 700)
            ev.append(("sold", d, choice(c["dealers"]), choice(c["cities"]), "",
                       self.permit("REG", d)))
            n = 0
            while n < MAX_TRANSFERS and rnd() < 0.3:
                d += 30 + int(rnd() * 3000)
                ev.append(("transferred", d, self.owner(), choice(c["cities"]), "",
                           self.permit("TR", d)))
                n += 1
        u = rnd()
        if u < 0.025 and self.export_to:
            d += 10 + int(rnd() * 2000)
            to = choice(self.export_to)
            place = self.border.get((self.country, to)) or choice(c["ports"])
            ev.append(("exported", d, importer or choice(c["dealers"]), place, to,
                       self.permit("EXP", d)))
        elif u > 0.99:
            d += 100 + int(rnd() * 5000)
            ev.append(("destroyed", d, c["authority"], choice(c["cities"]), "",
                       self.permit("DES", d)))

    def events(self, make, factory, origin, made, ship=None):
        """Events of one gun in date order, none after END; and its importer.
        A gun of a shipment is imported with it: ship is (importer, day)."""
        rnd, c = self.rnd, self.c
        ev = [("manufactured", made, make, factory, "", "")]
        d, importer = made, ""
        if origin != self.country:
            if ship:
                importer, d = ship
            else:
                d += 20 + int(rnd() * 380)
                importer = self.choice(c["importers"])
            ev.append(("imported", d, importer, self.choice(c["ports"]), origin,
                       self.permit("IMP", d)))
        self.domestic(ev, d, importer)
        while ev[-1][1] > END:
            ev.pop()
        if len(ev) < 2 or ev[1][0] != "imported":
            importer = ""
        return ev, importer

    def shipment(self):
        """Start a shipment: one maker's model, consecutive serials, made
        within SHIP_DAYS and imported together by one importer."""
        maker = self.makers[self.choice(self.pick)]
        model = self.choice(maker[4])
        n = int(RUN_MIN * (RUN_MAX / RUN_MIN) ** self.rnd())
        made = self.made_on(model[3])
        ship = (self.choice(self.c["importers"]), made + SHIP_DAYS + 20 + int(self.rnd() * 380))
        self.ship = [maker, model, made, ship, maker[5].run(n), 0]

    def gun(self):
        """One record: (CSV line, maker, events, its first five fields)."""
        if not self.ship and self.rnd() < self.ship_start:
            self.shipment()
        if self.ship:
            maker, (model, caliber, gtype, _, where), made, ship, serials, i = self.ship
            made += i * SHIP_DAYS // len(serials)
            serial = serials[i]
            self.ship[5] += 1
            if self.ship[5] == len(serials):
                self.ship = None
        else:
            maker = self.makers[self.choice(self.pick)]
            model, caliber, gtype, first_year, where = self.choice(maker[4])
            made, ship, serial = self.made_on(first_year), None, maker[5].next()
        origin, factory = where or (maker[2], maker[3])
        make = maker[0]
        if make == "Kalashnikov Concern" and made < IZHMASH_RENAMED:
            make = self.izhmash
        ev, importer = self.events(make, factory, origin, made, ship)
        head = (make, model, caliber, gtype, serial)
        dates = self.dates
        parts = [",".join(head), origin, importer]
        for kind, d, party, place, country, ref in ev:
            parts.append("%s,%s,%s,%s,%s,%s" % (kind, dates[d - FIRST], party, place,
                                                country, ref))
        return ",".join(parts) + "," * (6 * (MAX_EVENTS - len(ev))) + "\n", maker, ev, head

    def stolen(self, head, maker, ev):
        """A lost/stolen report line for this gun, or None."""
        rnd = self.rnd
        last = ev[-1]
        if last[0] in ("exported", "destroyed") or last[1] >= END - 1:
            return None
        d = last[1] + 1 + int(rnd() * (END - last[1] - 1))
        self.case_seq += 1
        make = head[0] if rnd() < 0.7 else self.choice(maker[1])
        serial = head[4]
        u = rnd()
        if u < 0.1:
            serial = serial.lower()
        elif u < 0.2:
            serial = serial.replace("-", "")
        elif u < 0.25 and len(serial) > 4:
            serial = serial[:3] + " " + serial[3:]
        place = last[3] if last[0] in ("sold", "transferred") else self.choice(self.c["cities"])
        date = self.dates[d - FIRST]
        return "%s,%s,%s,%s,%s,%s,%s,%s,%s-%s-%06d\n" % (
            "stolen" if rnd() < 0.85 else "lost", make, head[1], head[2], serial, date,
            place, self.c["police"], self.c["police_ref"], date[:4],
            self.case_seq % 1000000)


def open_out(target):
    return open(target, "w", encoding="utf-8", newline="", buffering=1 << 20,
                closefd=not isinstance(target, int))


def main():
    args = parse_args()
    g = Generator(args)
    out = open_out(sys.stdout.fileno())
    out.write(",".join(header()) + "\n")
    rep_out = None
    if args.stolen:
        rep_out = open_out(args.stolen)
        rep_out.write(",".join(STOLEN_COLS) + "\n")
    rnd, frac, batch = g.rnd, args.stolen_frac, []
    for _ in range(args.n):
        line, maker, ev, head = g.gun()
        batch.append(line)
        if rep_out and rnd() < frac:
            rep = g.stolen(head, maker, ev)
            if rep:
                rep_out.write(rep)
        if len(batch) == 4096:
            out.write("".join(batch))
            batch = []
    out.write("".join(batch))
    out.close()
    if rep_out:
        rep_out.close()


if __name__ == "__main__":
    try:
        main()
    except BrokenPipeError:
        sys.stderr.close()
        sys.exit(1)
