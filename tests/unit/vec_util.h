/* SPDX-License-Identifier: Apache-2.0 */
/* Helpers of the test-vector unit tests: find the repository root (for
 * tests/vectors/NAME.json and PROTOCOL.md), read hex, build msgpack from a
 * vector's JSON view of a message (walking the JSON in its own key order,
 * typing each value by the message's schema; bin fields are hex strings),
 * and a group fixture holding every vector file and both identities. */
#ifndef TN_TESTS_VEC_UTIL_H
#define TN_TESTS_VEC_UTIL_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "../../crypto/cx.h"
#include "../../proto/proto.h"

/* The repository root (where PROTOCOL.md and tests/vectors are), or NULL. */
const char *vec_root(void);

/* The section NAME of tests/vectors/NAME.json; *doc gets the whole
 * document, which the caller frees with json_decref. */
json_t *vec_load(const char *name, json_t **doc);

/* The bytes of hex string v (malloc'd into *out, at least 1 byte); their
 * count. Fails the test if v is not lower-case hex. */
size_t vec_hex(json_t *v, uint8_t **out);

/* Decode hex string o[key] into exactly n bytes at out. */
void vec_hex_n(json_t *o, const char *key, uint8_t *out, size_t n);

/* Fail the test, naming o's "name" and key, unless o[key] is the hex of
 * p (n bytes). */
void vec_expect(json_t *o, const char *key, const void *p, size_t n);

/* Append map o as msgpack, its fields typed by schema s. */
void vec_mp_obj(struct proto_writer *w, const struct proto_schema *s, json_t *o);

/* The msgpack of map o under schema s, into out (cleared first). */
void vec_mp(struct proto_buf *out, const struct proto_schema *s, json_t *o);

/* A link frame {t, m: map} with its 4-byte length, into out. */
void vec_link_frame(struct proto_buf *out, const char *t, const struct proto_schema *s,
		    json_t *m);

/* An identity whose node.key is the 32-byte seed, loaded by cx_id_load
 * from a fresh directory (*dir, removed with tmpdir_rm). */
struct cx_id *vec_identity(const uint8_t seed[32], char **dir);

/* The string o[key]; fails the test if there is none. */
const char *vec_str(json_t *o, const char *key);

/* label NUL || a || b || c in one malloc'd buffer of *n bytes. */
uint8_t *vec_labelled(const char *label, size_t *n, const void *a, size_t na,
		      const void *b, size_t nb, const void *c, size_t nc);

/* e's routing header (id, nonce and ttl included) from envelope vector v. */
void vec_header(json_t *v, struct tn_envelope *e);

/* ---- a cmocka group fixture: every vector file and both identities ---- */

struct vec_state {
	json_t *docs[4];
	json_t *keys, *link, *envs, *receipt;   /* the sections of docs */
	struct cx_id *id[2];                    /* the nodes of keys.json */
	char *dir[2];
	const char *name[2];
	uint8_t key[2][CX_KEY_LEN];             /* each side's shared key with the other */
};

/* Group setup and teardown: *state is a struct vec_state. */
int vec_setup(void **state);
int vec_teardown(void **state);

/* The index (0 or 1) of the node called name. */
int vec_node(const struct vec_state *st, const char *name);
/* Node i of keys.json. */
json_t *vec_node_json(const struct vec_state *st, int i);
/* The envelope vector called name. */
json_t *vec_named(const struct vec_state *st, const char *name);

#endif
