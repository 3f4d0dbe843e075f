/* SPDX-License-Identifier: Apache-2.0 */
/* Normalized forms of serial numbers and makes, the keys of the serial
 * index: case, spacing and punctuation folded, common make spellings merged. */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "proto.h"

struct make_alias {
	const char *key;  /* squashed spelling: upper-case ASCII alphanumerics */
	const char *make; /* canonical make */
};

/* Sorted by key (strcmp order) for bsearch; canonical makes are never keys
 * that map elsewhere, so normalizing twice changes nothing. Keys are the
 * squashed input, so "Smith and Wesson" arrives as SMITHANDWESSON and
 * "Ceska zbrojovka" with its accents dropped as ESKZBROJOVKA. */
static const struct make_alias aliases[] = {
	{ "BERETTAUSA", "BERETTA" },
	{ "BERSASA", "BERSA" },
	{ "BROWNINGARMS", "BROWNING" },
	{ "BROWNINGARMSCOMPANY", "BROWNING" },
	{ "BUSHMASTERFIREARMS", "BUSHMASTER" },
	{ "CARLWALTHER", "WALTHER" },
	{ "CARLWALTHERGMBH", "WALTHER" },
	{ "CESKAZBROJOVKA", "CZ" },
	{ "CESKAZBROJOVKAAS", "CZ" },
	{ "CESKAZBROJOVKAUHERSKYBROD", "CZ" },
	{ "CHINANORTHINDUSTRIES", "NORINCO" },
	{ "CHINANORTHINDUSTRIESCORP", "NORINCO" },
	{ "CHINANORTHINDUSTRIESCORPORATION", "NORINCO" },
	{ "COLTS", "COLT" },
	{ "COLTSMANUFACTURING", "COLT" },
	{ "COLTSMANUFACTURINGCO", "COLT" },
	{ "COLTSMANUFACTURINGCOMPANY", "COLT" },
	{ "COLTSMANUFACTURINGCOMPANYLLC", "COLT" },
	{ "COLTSMFGCO", "COLT" },
	{ "CZUB", "CZ" },
	{ "CZUSA", "CZ" },
	{ "ESKZBROJOVKA", "CZ" },
	{ "FABBRICADARMIPIETROBERETTA", "BERETTA" },
	{ "FABRIQUENATIONALE", "FNHERSTAL" },
	{ "FABRIQUENATIONALEDHERSTAL", "FNHERSTAL" },
	{ "FABRIQUENATIONALEHERSTAL", "FNHERSTAL" },
	{ "FN", "FNHERSTAL" },
	{ "FNH", "FNHERSTAL" },
	{ "FORJASTAURUS", "TAURUS" },
	{ "FORJASTAURUSSA", "TAURUS" },
	{ "GLOCKGESMBH", "GLOCK" },
	{ "GLOCKGMBH", "GLOCK" },
	{ "GLOCKINC", "GLOCK" },
	{ "HECKLERANDKOCH", "HECKLERKOCH" },
	{ "HECKLERKOCHGMBH", "HECKLERKOCH" },
	{ "HECKLERUNDKOCH", "HECKLERKOCH" },
	{ "HENRYREPEATINGARMS", "HENRY" },
	{ "HIPOINTFIREARMS", "HIPOINT" },
	{ "HK", "HECKLERKOCH" },
	{ "ISRAELWEAPONINDUSTRIES", "IWI" },
	{ "IZHEVSKMECHANICALPLANT", "BAIKAL" },
	{ "IZHMASH", "KALASHNIKOV" },
	{ "KALASHNIKOVCONCERN", "KALASHNIKOV" },
	{ "KELTECCNCINDUSTRIES", "KELTEC" },
	{ "MARLINFIREARMS", "MARLIN" },
	{ "MOSSBERGANDSONS", "MOSSBERG" },
	{ "MOSSBERGSONS", "MOSSBERG" },
	{ "OFMOSSBERG", "MOSSBERG" },
	{ "OFMOSSBERGANDSONS", "MOSSBERG" },
	{ "OFMOSSBERGSONS", "MOSSBERG" },
	{ "PIETROBERETTA", "BERETTA" },
	{ "REMINGTONARMS", "REMINGTON" },
	{ "REMINGTONARMSCO", "REMINGTON" },
	{ "REMINGTONARMSCOMPANY", "REMINGTON" },
	{ "SAVAGEARMS", "SAVAGE" },
	{ "SIG", "SIGSAUER" },
	{ "SIGARMS", "SIGSAUER" },
	{ "SIGSAUERGMBH", "SIGSAUER" },
	{ "SIGSAUERINC", "SIGSAUER" },
	{ "SMITHANDWESSON", "SMITHWESSON" },
	{ "SMITHWESSONBRANDS", "SMITHWESSON" },
	{ "SMITHWESSONINC", "SMITHWESSON" },
	{ "SPRINGFIELD", "SPRINGFIELDARMORY" },
	{ "STEYRARMS", "STEYR" },
	{ "STEYRMANNLICHER", "STEYR" },
	{ "STURMRUGER", "RUGER" },
	{ "STURMRUGERANDCO", "RUGER" },
	{ "STURMRUGERANDCOMPANY", "RUGER" },
	{ "STURMRUGERCO", "RUGER" },
	{ "STURMRUGERCOINC", "RUGER" },
	{ "STURMRUGERCOMPANY", "RUGER" },
	{ "SW", "SMITHWESSON" },
	{ "TAURUSARMAS", "TAURUS" },
	{ "TAURUSINTERNATIONAL", "TAURUS" },
	{ "WALTHERARMS", "WALTHER" },
	{ "ZASTAVAARMS", "ZASTAVA" },
	{ "ZASTAVAORUZJE", "ZASTAVA" },
};

/* Longest alias key plus NUL; longer squashed makes cannot be aliases. */
#define ALIAS_KEY_MAX 40

static int alias_cmp(const void *k, const void *e)
{
	return strcmp(k, ((const struct make_alias *)e)->key);
}

static int is_upper(unsigned char ch)
{
	return ch >= 'A' && ch <= 'Z';
}

static int is_lower(unsigned char ch)
{
	return ch >= 'a' && ch <= 'z';
}

static int is_alnum(unsigned char ch)
{
	return is_upper(ch) || is_lower(ch) || (ch >= '0' && ch <= '9');
}

static unsigned char upper(unsigned char ch)
{
	return is_lower(ch) ? (unsigned char)(ch - 'a' + 'A') : ch;
}

static int serial_drops(unsigned char ch)
{
	return ch == ' ' || ch == '\t' || ch == '-' || ch == '.' || ch == '/';
}

int proto_norm_serial(const char *in, char *out, size_t cap)
{
	size_t n = 0;

	if (!in || !out || !cap)
		return TN_ERR_INVALID;
	if (cap > INT_MAX)
		cap = INT_MAX;
	for (const unsigned char *p = (const unsigned char *)in; *p; p++) {
		if (serial_drops(*p))
			continue;
		if (n + 1 >= cap)
			return TN_ERR_INVALID;
		out[n++] = (char)upper(*p);
	}
	out[n] = '\0';
	return n ? (int)n : TN_ERR_INVALID;
}

int proto_serial_ok(const char *serial)
{
	for (const unsigned char *p = (const unsigned char *)serial; *p; p++)
		if (!serial_drops(*p))
			return 1;
	return 0;
}

int proto_make_ok(const char *make)
{
	for (const unsigned char *p = (const unsigned char *)make; *p; p++)
		if (is_alnum(*p))
			return 1;
	return 0;
}

/* Upper-case ASCII alphanumerics of in, written to out; the squashed length,
 * or TN_ERR_INVALID when it does not fit in cap. */
static int squash(const char *in, char *out, size_t cap)
{
	size_t n = 0;

	for (const unsigned char *p = (const unsigned char *)in; *p; p++) {
		if (!is_alnum(*p))
			continue;
		if (n + 1 >= cap)
			return TN_ERR_INVALID;
		out[n++] = (char)upper(*p);
	}
	out[n] = '\0';
	return (int)n;
}

static int put(const char *s, char *out, size_t cap)
{
	size_t n = strlen(s);

	if (n >= cap)
		return TN_ERR_INVALID;
	memcpy(out, s, n + 1);
	return (int)n;
}

int proto_norm_make(const char *in, char *out, size_t cap)
{
	const struct make_alias *a;
	char key[ALIAS_KEY_MAX];
	int n;

	if (!in || !out || !cap)
		return TN_ERR_INVALID;
	n = squash(in, key, sizeof key);
	if (n < 0) /* too long to be an alias: squash straight into out */
		return squash(in, out, cap > INT_MAX ? INT_MAX : cap);
	if (n == 0)
		return TN_ERR_INVALID;
	a = bsearch(key, aliases, sizeof aliases / sizeof aliases[0],
		    sizeof aliases[0], alias_cmp);
	return put(a ? a->make : key, out, cap);
}
