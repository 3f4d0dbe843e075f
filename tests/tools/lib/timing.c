/* SPDX-License-Identifier: Apache-2.0 */
/* The clock and percentiles of the benchmark tools; see timing.h. */
#include <stdlib.h>
#include <time.h>

#include "timing.h"

double tm_now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

void tm_sort(double *v, size_t n)
{
	qsort(v, n, sizeof(*v), cmp_double);
}

double tm_pct(const double *v, size_t n, double p)
{
	size_t i = (size_t)(p * (double)n);

	if (!n)
		return 0;
	return v[i < n ? i : n - 1];
}
