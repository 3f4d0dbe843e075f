/* SPDX-License-Identifier: Apache-2.0 */
/* traffic_add's model: partners and their pace, guns, dealers, result
 * statuses and time-to-crime, each drawn from a seeded generator. */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "traffic.h"

uint64_t rng_next(struct rng *r)
{
	uint64_t z = (r->s += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

struct rng rng_for(uint64_t seed, uint32_t kind, uint64_t i)
{
	struct rng r = { seed * 0x100000001b3ull ^ ((uint64_t)kind << 56) ^ i };

	rng_next(&r);
	return r;
}

double rng_unit(struct rng *r)
{
	return (double)(rng_next(r) >> 11) / 9007199254740992.0;
}

uint32_t rng_below(struct rng *r, uint32_t n)
{
	return n ? (uint32_t)(rng_unit(r) * n) : 0;
}

double rng_lognormal(struct rng *r, double median, double sigma)
{
	double u = rng_unit(r), v = rng_unit(r);
	double z = sqrt(-2.0 * log(1.0 - u)) * cos(2.0 * M_PI * v);

	return median * exp(sigma * z);
}

/* The cumulative weights of the last (n, s) asked, kept: draws repeat them. */
uint32_t rng_zipf(struct rng *r, uint32_t n, double s)
{
	static double cum[4][256];
	static uint32_t cn[4];
	static double cs[4];
	uint32_t t, i, lo = 0, hi;
	double x;

	for (t = 0; t < 4 && cn[t] && !(cn[t] == n && cs[t] == s); t++)
		;
	if (t == 4 || n > 256)
		return 0;
	if (!cn[t]) {
		for (i = 0; i < n; i++)
			cum[t][i] = (i ? cum[t][i - 1] : 0) + pow(i + 1, -s);
		cn[t] = n;
		cs[t] = s;
	}
	x = rng_unit(r) * cum[t][n - 1];
	for (hi = n - 1; lo < hi;) {
		i = (lo + hi) / 2;
		if (x < cum[t][i])
			hi = i;
		else
			lo = i + 1;
	}
	return lo;
}

/* Real ISO 3166-1 alpha-3 codes, the likeliest trace partners first. */
static const char *const countries[] = {
	"USA", "MEX", "BRA", "AUT", "ITA", "DEU", "TUR", "CZE", "BEL", "ESP", "HND", "SLV",
	"COL", "ARG", "CAN", "FRA", "GBR", "ISR", "RUS", "CRI", "PAN", "NIC", "BLZ", "DOM",
	"PER", "CHL", "ECU", "VEN", "BOL", "PRY", "URY", "JAM", "TTO", "ZAF", "NGA", "KEN",
	"EGY", "MAR", "UKR", "POL", "HRV", "SRB", "BIH", "BGR", "ROU", "HUN", "SVK", "SVN",
	"GRC", "PRT", "NLD", "SWE", "NOR", "FIN", "DNK", "CHE", "IRL", "AUS", "NZL", "JPN",
	"KOR", "PHL", "THA", "IDN", "MYS", "IND", "PAK", "SGP", "GTM",
};
#define N_COUNTRIES (sizeof(countries) / sizeof(countries[0]))

int traffic_peers(struct peer_way *p, uint32_t n, uint64_t seed, const char *ours)
{
	uint32_t k = 0;

	for (uint32_t i = 0; i < N_COUNTRIES && k < n; i++) {
		struct rng r = rng_for(seed, 1, i);
		struct peer_way *w = &p[k];
		double x = rng_unit(&r);

		if (!strcmp(countries[i], ours))
			continue;
		memset(w, 0, sizeof(*w));
		snprintf(w->name, sizeof(w->name), "%s", countries[i]);
		/* One in four answers at once, most review within days, some
		 * take about ten, and the third partner is chronically late. */
		w->pace = k == 2 ? PACE_LATE : x < 0.25 ? PACE_FAST : x < 0.75 ? PACE_NORMAL : PACE_SLOW;
		static const double med[] = { 3, 4 * 1440, 10 * 1440, 24 * 1440 };
		static const double sig[] = { 0.8, 0.6, 0.5, 0.4 };
		w->median_min = med[w->pace];
		w->sigma = sig[w->pace];
		w->review = w->pace != PACE_FAST;
		w->keep_days = (uint32_t[]){ 730, 1095, 1825 }[rng_below(&r, 3)];
		w->we_review = rng_unit(&r) < 0.7;
		k++;
	}
	return (int)k;
}

uint32_t traffic_pick_peer(struct rng *r, uint32_t n)
{
	return rng_zipf(r, n, 0.9);
}

const char *const traffic_status_names[ST_N] = {
	"completed", "partial", "no_record", "unmarked_or_obliterated", "destroyed_on_record",
	"declined",
};

int traffic_status(struct rng *r)
{
	static const double share[ST_N] = { 0.55, 0.10, 0.20, 0.05, 0.02, 0.08 };
	double x = rng_unit(r);

	for (int i = 0; i < ST_N - 1; i++)
		if ((x -= share[i]) < 0)
			return i;
	return ST_DECLINED;
}

int32_t traffic_time_to_crime(struct rng *r)
{
	double d;

	if (rng_unit(r) < 0.12)
		d = -120.0 * log(1.0 - rng_unit(r));      /* straw purchases, fast diversion */
	else
		d = rng_lognormal(r, 3300, 0.9);          /* the gun's long legal life */
	return d > 21900 ? 21900 : (int32_t)d;
}

struct maker {
	const char *country, *make, *model, *caliber, *type;
	int weight;
};

static const struct maker makers[] = {
	{ "USA", "Smith & Wesson", "M&P9", "9mm", "pistol", 14 },
	{ "USA", "Ruger", "LCP", ".380 ACP", "pistol", 10 },
	{ "USA", "Colt", "AR-15", "5.56x45mm", "rifle", 8 },
	{ "USA", "Remington", "870", "12 gauge", "shotgun", 4 },
	{ "USA", "Hi-Point", "C9", "9mm", "pistol", 4 },
	{ "AUT", "Glock", "19", "9mm", "pistol", 14 },
	{ "AUT", "Steyr", "M9-A1", "9mm", "pistol", 2 },
	{ "ITA", "Beretta", "92FS", "9mm", "pistol", 10 },
	{ "DEU", "Walther", "PPK", ".380 ACP", "pistol", 4 },
	{ "DEU", "Heckler & Koch", "USP", ".40 S&W", "pistol", 3 },
	{ "BRA", "Taurus", "PT111", "9mm", "pistol", 10 },
	{ "BRA", "Rossi", "R462", ".357 Magnum", "revolver", 3 },
	{ "TUR", "Canik", "TP9", "9mm", "pistol", 5 },
	{ "CZE", "Ceska Zbrojovka", "CZ 75", "9mm", "pistol", 5 },
	{ "BEL", "FN Herstal", "Five-seveN", "5.7x28mm", "pistol", 3 },
	{ "ESP", "Llama", "Max-I", ".45 ACP", "pistol", 2 },
	{ "RUS", "Kalashnikov", "AKM", "7.62x39mm", "rifle", 3 },
	{ "ISR", "IWI", "Jericho 941", "9mm", "pistol", 2 },
};
#define N_MAKERS (sizeof(makers) / sizeof(makers[0]))

int traffic_makes_guns(const char *country)
{
	for (size_t i = 0; i < N_MAKERS; i++)
		if (!strcmp(makers[i].country, country))
			return 1;
	return 0;
}

static const struct maker *pick_maker(struct rng *r, const char *origin)
{
	int total = 0, x;
	size_t i;

	for (i = 0; i < N_MAKERS; i++)
		total += !origin[0] || !strcmp(makers[i].country, origin) ? makers[i].weight : 0;
	x = (int)rng_below(r, (uint32_t)total);
	for (i = 0; i < N_MAKERS; i++) {
		if (origin[0] && strcmp(makers[i].country, origin))
			continue;
		if ((x -= makers[i].weight) < 0)
			break;
	}
	return &makers[i < N_MAKERS ? i : 0];
}

void traffic_firearm(struct rng *r, struct tn_firearm *f, char origin[TN_NAME_LEN])
{
	const struct maker *m = pick_maker(r, origin);

	snprintf(origin, TN_NAME_LEN, "%s", m->country);
	snprintf(f->make, sizeof(f->make), "%s", m->make);
	snprintf(f->model, sizeof(f->model), "%s", m->model);
	snprintf(f->caliber, sizeof(f->caliber), "%s", m->caliber);
	snprintf(f->type, sizeof(f->type), "%s", m->type);
	snprintf(f->serial, sizeof(f->serial), "%c%c%c%06u", 'A' + (int)rng_below(r, 26),
		 'A' + (int)rng_below(r, 26), 'A' + (int)rng_below(r, 26), rng_below(r, 1000000));
	snprintf(f->country_of_origin, sizeof(f->country_of_origin), "%s", m->country);
}

void traffic_dealer(struct rng *r, const char *country, struct tn_event *e)
{
	static const char *const first[] = { "Central", "Frontier", "Liberty", "Eagle", "Sierra",
		"Del Norte", "Pioneer", "Capital", "Coastal", "Highland", "Union", "Royal" };
	static const char *const last[] = { "Gun Shop", "Armory", "Sporting Goods", "Outdoors",
		"Firearms", "Pawn", "Tactical", "Hunting Supply" };
	uint32_t k = rng_zipf(r, 120, 1.1);   /* a few dealers sell most traced guns */

	snprintf(e->party, sizeof(e->party), "%s %s %u (%s)", first[k % 12], last[(k / 12) % 8],
		 k + 1, country);
	snprintf(e->place, sizeof(e->place), "%s city %u", country, 1 + k % 17);
	snprintf(e->ref, sizeof(e->ref), "FFL-%s-%05u", country, 1000 + k * 37);
}

void traffic_case(struct rng *r, struct tn_trace_request *q, uint64_t n)
{
	static const char *const crimes[] = { "homicide", "homicide", "armed_robbery",
		"armed_robbery", "drug_trafficking", "drug_trafficking", "possession",
		"possession", "possession", "assault", "kidnapping", "extortion", "trafficking" };
	static const char *const places[] = { "Zona 1", "Zona 18", "Mixco", "Villa Nueva",
		"Escuintla", "Quetzaltenango", "Puerto Barrios", "Coban", "Huehuetenango" };

	snprintf(q->crime, sizeof(q->crime), "%s", crimes[rng_below(r, 13)]);
	snprintf(q->case_ref, sizeof(q->case_ref), "MP-%06llu", (unsigned long long)n);
	snprintf(q->agency, sizeof(q->agency), "PNC DEIC");
	snprintf(q->recovered_at, sizeof(q->recovered_at), "%s", places[rng_below(r, 9)]);
	snprintf(q->grounds, sizeof(q->grounds), "recovered in a %s investigation", q->crime);
	snprintf(q->possessor, sizeof(q->possessor), "P-%07u", rng_below(r, 10000000));
}

void traffic_date(uint64_t ms, char out[TN_DATE_LEN])
{
	time_t s = (time_t)(ms / 1000);
	struct tm tm;

	gmtime_r(&s, &tm);
	strftime(out, TN_DATE_LEN, "%Y-%m-%d", &tm);
}
