/* SPDX-License-Identifier: Apache-2.0 */
/* The clock and percentiles of the benchmark tools. */
#ifndef TN_TOOLS_TIMING_H
#define TN_TOOLS_TIMING_H

#include <stddef.h>

/* CLOCK_MONOTONIC in seconds. */
double tm_now_s(void);
/* Sort n samples in place, ascending, for tm_pct. */
void tm_sort(double *v, size_t n);
/* The p-quantile (0 <= p < 1) of n sorted samples: v[p * n]; 0 if n is 0. */
double tm_pct(const double *v, size_t n, double p);

#endif
