/* SPDX-License-Identifier: Apache-2.0 */
/* The serial index's size under its old key (serial, make) and its new one
 * (folded serial, make, serial), rebuilt from a store's records in a
 * scratch LMDB environment, for bench_match --index-size. */
#ifndef TN_TOOLS_MATCH_INDEX_H
#define TN_TOOLS_MATCH_INDEX_H

struct store;

/* Build both indexes from st's records and print their bytes per record
 * as one JSON object. 0, or 1 after a message on stderr. */
int match_index_size(struct store *st);

#endif
