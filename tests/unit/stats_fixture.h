/* SPDX-License-Identifier: Apache-2.0 */
/* Synthetic statistics for the report's tests: any number of peers and
 * months, every status, hostile and long names. */
#ifndef TN_STATS_FIXTURE_H
#define TN_STATS_FIXTURE_H

#include "../../proto/proto.h"

#define STATS_FIXTURE_PEERS_MAX 60
#define STATS_FIXTURE_STATUSES 10

/* Fill s (zeroed by the caller) with peers peers (0: an empty period) and
 * months months from 2025-12; release with proto_release. */
int stats_fixture(struct tn_stats *s, int peers, int months);

#endif
