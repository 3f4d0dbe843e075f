/* SPDX-License-Identifier: Apache-2.0 */
/* libFuzzer target for normalization and field checks: serial and make
 * folding (bounds, alphabet, idempotence), dates and countries against
 * independent reference implementations. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../proto/proto.h"

/* fuzz-needs: proto_norm_serial proto_norm_make proto_date_check proto_country_check proto_date_diff */

static void check(int ok, const char *what, const char *in)
{
	if (!ok) {
		fprintf(stderr, "fuzz_norm: %s (input \"%s\")\n", what, in);
		abort();
	}
}

static int is_lower(char c)
{
	return c >= 'a' && c <= 'z';
}

static int drops(char c)
{
	return c == ' ' || c == '\t' || c == '-' || c == '.' || c == '/';
}

/* Output buffers are exactly cap bytes on the heap, so ASan sees overruns. */
typedef int (*norm_fn)(const char *, char *, size_t);

static int norm(norm_fn fn, const char *in, size_t cap, char **out)
{
	*out = malloc(cap ? cap : 1);
	if (!*out)
		abort();
	return fn(in, *out, cap);
}

static void check_norm_result(const char *in, int rc, const char *out, size_t cap)
{
	check(rc == TN_ERR_INVALID || rc > 0, "bad return code", in);
	if (rc < 0)
		return;
	check((size_t)rc < cap, "length not below cap", in);
	check(strlen(out) == (size_t)rc, "length differs from return", in);
}

static void check_serial(const char *in, size_t cap)
{
	char *out, *again, *wide;
	int rc = norm(proto_norm_serial, in, cap, &out), rc2;

	check_norm_result(in, rc, out, cap);
	if (rc > 0) {
		for (int i = 0; i < rc; i++)
			check(!is_lower(out[i]) && !drops(out[i]), "serial keeps folded char", in);
		rc2 = norm(proto_norm_serial, out, cap, &again);
		check(rc2 == rc && !strcmp(out, again), "serial not idempotent", in);
		free(again);
		rc2 = norm(proto_norm_serial, in, 4096, &wide);
		check(rc2 == rc && !strcmp(out, wide), "serial depends on cap", in);
		free(wide);
	}
	free(out);
}

static void check_make(const char *in, size_t cap)
{
	char *out, *again, *wide;
	int rc = norm(proto_norm_make, in, cap, &out), rc2;

	check_norm_result(in, rc, out, cap);
	if (rc > 0) {
		for (int i = 0; i < rc; i++)
			check((out[i] >= 'A' && out[i] <= 'Z') || (out[i] >= '0' && out[i] <= '9'),
			      "make keeps a non-alphanumeric", in);
		rc2 = norm(proto_norm_make, out, cap, &again);
		check(rc2 == rc && !strcmp(out, again), "make not idempotent", in);
		free(again);
		rc2 = norm(proto_norm_make, in, 4096, &wide);
		check(rc2 == rc && !strcmp(out, wide), "make depends on cap", in);
		free(wide);
	}
	free(out);
}

/* Reference calendar: a different algorithm from the one under test. */
static int leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int ref_date(const char *s, int *y, int *m, int *d)
{
	static const int dim[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

	if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return -1;
	for (int i = 0; i < 10; i++)
		if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
			return -1;
	*y = atoi(s);
	*m = atoi(s + 5);
	*d = atoi(s + 8);
	if (*m < 1 || *m > 12 || *d < 1)
		return -1;
	return *d <= dim[*m - 1] + (*m == 2 && leap(*y)) ? 0 : -1;
}

static long ref_days(int y, int m, int d)
{
	static const int before[12] = { 0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334 };
	long py = y - 1;

	return py * 365 + py / 4 - py / 100 + py / 400 + before[m - 1] + (m > 2 && leap(y)) + d;
}

static void check_dates(const char *a, const char *b)
{
	int ya, ma, da, yb, mb, db;
	int ok_a = proto_date_check(a) == 0, ok_b = proto_date_check(b) == 0;
	int ref_a = ref_date(a, &ya, &ma, &da) == 0, ref_b = ref_date(b, &yb, &mb, &db) == 0;
	int32_t diff = proto_date_diff(a, b);

	check(!ok_a || ref_a, "date_check accepts a non-date", a);
	check(!ref_a || ya < 1900 || ya > 2100 || ok_a, "date_check refuses a real date", a);
	if (!ok_a || !ok_b) {
		check(diff == INT32_MIN, "date_diff of a non-date", a);
		return;
	}
	check(ref_b, "date_check accepts a non-date", b);
	check(diff == ref_days(yb, mb, db) - ref_days(ya, ma, da), "date_diff wrong", a);
	check(proto_date_diff(b, a) == -diff, "date_diff not antisymmetric", a);
	check(proto_date_diff(a, a) == 0, "date_diff of a day with itself", a);
}

static void check_country(const char *s)
{
	int ref = strlen(s) == 3;

	for (int i = 0; ref && i < 3; i++)
		ref = s[i] >= 'A' && s[i] <= 'Z';
	check((proto_country_check(s) == 0) == ref, "country_check disagrees", s);
}

/* Input: a cap byte, then up to two NUL-terminated strings split at '\n'. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *a, *b, *nl;
	size_t cap;

	if (size < 1)
		return 0;
	cap = data[0] % 80;
	a = malloc(size);
	if (!a)
		abort();
	memcpy(a, data + 1, size - 1);
	a[size - 1] = '\0';
	nl = strchr(a, '\n');
	b = nl ? nl + 1 : a;
	if (nl)
		*nl = '\0';
	check_serial(a, cap);
	check_make(a, cap);
	check_serial(a, TN_SERIAL_LEN);
	check_make(a, TN_MAKE_LEN);
	check_country(a);
	check_dates(a, b);
	check_dates(b, a);
	free(a);
	return 0;
}
