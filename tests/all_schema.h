/* SPDX-License-Identifier: Apache-2.0 */
/* A schema with every field type, independent of the message tables: shared
 * by the codec unit tests and the decode fuzz target. */
#ifndef TN_TESTS_ALL_SCHEMA_H
#define TN_TESTS_ALL_SCHEMA_H

#include <stdbool.h>
#include <stdint.h>

#include "../proto/proto.h"

struct t_inner {
	char name[8];
	int64_t v;
};

struct t_all {
	uint64_t u;
	int64_t i;
	uint32_t w;
	bool b;
	uint8_t key[4];
	char s[8];
	struct t_inner obj;
	uint32_t n;
	struct t_inner *arr;
	uint32_t n_blob;
	uint8_t *blob;
};

static const struct proto_field inner_fields[] = {
	PF_STR_OF(struct t_inner, name, PF_REQ),
	PF_I64_OF(struct t_inner, v, 0),
};
static const struct proto_schema inner_schema = PROTO_SCHEMA(struct t_inner, inner_fields);

static const struct proto_field all_fields[] = {
	PF_U64_OF(struct t_all, u, 0),
	PF_I64_OF(struct t_all, i, 0),
	PF_U32_OF(struct t_all, w, 0),
	PF_BOOL_OF(struct t_all, b, 0),
	PF_BIN_OF(struct t_all, key, 0),
	PF_STR_OF(struct t_all, s, 0),
	PF_OBJ_OF(struct t_all, obj, 0, inner_schema),
	PF_ARR_OF(struct t_all, arr, n, 3, 0, inner_schema),
	PF_BLOB_OF(struct t_all, blob, n_blob, 8, 0),
};
static const struct proto_schema all_schema = PROTO_SCHEMA(struct t_all, all_fields);

#endif
