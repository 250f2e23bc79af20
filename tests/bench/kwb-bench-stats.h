/* kwb-bench-stats.h — the median the benchmarks report
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Benchmarks time each side a few times, alternated, and print medians:
 * one slow run on a shared machine moves a median, not a mean.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The median of N values (N > 0); VALUES is sorted in place. */
double kwb_bench_median (double *values,
                         guint   n);

G_END_DECLS
