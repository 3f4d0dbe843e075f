/* SPDX-License-Identifier: Apache-2.0 */
/* Helpers of the test-vector unit tests; see vec_util.h. */
#include <fcntl.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>
#include <sodium.h>

#include "tmpdir.h"
#include "vec_util.h"

#define OK(x) assert_int_equal((x), 0)
#define THIS_FILE "tests/unit/vec_util.c"

static int is_root(const char *dir)
{
	char path[PATH_MAX];

	snprintf(path, sizeof path, "%s/tests/vectors/keys.json", dir);
	return access(path, R_OK) == 0;
}

/* From the compiler's __FILE__ (relative to the root when built by make,
 * run from the root by scripts/run-tests.sh), else TN_SRC_ROOT, else
 * upwards from the test binary (build/tests/ or build/asan/tests/). */
const char *vec_root(void)
{
	static char root[PATH_MAX];
	const char *env = getenv("TN_SRC_ROOT");
	size_t n = strlen(__FILE__) - strlen(THIS_FILE);
	ssize_t len;

	if (root[0])
		return root;
	snprintf(root, sizeof root, "%.*s", (int)n, __FILE__);
	if (!root[0])
		snprintf(root, sizeof root, ".");
	if (is_root(root))
		return root;
	if (env && is_root(env))
		return strcpy(root, env);
	len = readlink("/proc/self/exe", root, sizeof root - 1);
	root[len > 0 ? len : 0] = '\0';
	for (char *slash; (slash = strrchr(root, '/')) && slash != root;) {
		*slash = '\0';
		if (is_root(root))
			return root;
	}
	root[0] = '\0';
	return NULL;
}

json_t *vec_load(const char *name, json_t **doc)
{
	char path[PATH_MAX];
	json_error_t err;
	const char *root = vec_root();

	assert_non_null(root);
	snprintf(path, sizeof path, "%s/tests/vectors/%s.json", root, name);
	*doc = json_load_file(path, 0, &err);
	if (!*doc)
		print_error("%s: %s (line %d)\n", path, err.text, err.line);
	assert_non_null(*doc);
	assert_string_equal(json_string_value(json_object_get(*doc, "protocol")), "tracenet/1");
	assert_non_null(json_object_get(*doc, name));
	return json_object_get(*doc, name);
}

size_t vec_hex(json_t *v, uint8_t **out)
{
	const char *s = json_string_value(v);
	size_t n, len = 0;

	assert_non_null(s);
	n = strlen(s);
	assert_true(n % 2 == 0);
	for (size_t i = 0; i < n; i++)
		assert_non_null(strchr("0123456789abcdef", s[i]));
	*out = malloc(n / 2 + 1);
	assert_non_null(*out);
	OK(sodium_hex2bin(*out, n / 2 + 1, s, n, NULL, &len, NULL));
	assert_int_equal(len, n / 2);
	return len;
}

void vec_hex_n(json_t *o, const char *key, uint8_t *out, size_t n)
{
	uint8_t *b;

	assert_int_equal(vec_hex(json_object_get(o, key), &b), n);
	memcpy(out, b, n);
	free(b);
}

void vec_expect(json_t *o, const char *key, const void *p, size_t n)
{
	const char *name = json_string_value(json_object_get(o, "name"));
	uint8_t *want;
	size_t wn;

	if (!json_object_get(o, key)) {
		print_error("vector %s: no '%s'\n", name ? name : "?", key);
		fail();
	}
	wn = vec_hex(json_object_get(o, key), &want);
	if (wn != n || memcmp(want, p, n)) {
		print_error("vector %s: '%s' differs from the recomputed value\n",
			    name ? name : "?", key);
		free(want);
		fail();
	}
	free(want);
}

static const struct proto_field *field_of(const struct proto_schema *s, const char *key)
{
	for (uint32_t i = 0; i < s->n; i++)
		if (!strcmp(s->fields[i].key, key))
			return &s->fields[i];
	print_error("%s: no field '%s'\n", s->name, key);
	fail();
	return NULL;
}

static void mp_value(struct proto_writer *w, const struct proto_field *f, json_t *v)
{
	uint8_t *b;
	size_t n, i;
	json_t *item;

	switch (f->type) {
	case PF_STR:
		assert_true(json_is_string(v));
		OK(proto_w_str(w, json_string_value(v)));
		return;
	case PF_U64:
	case PF_U32:
	case PF_I64:
		assert_true(json_is_integer(v));
		OK(proto_w_i64(w, json_integer_value(v)));
		return;
	case PF_BOOL:
		assert_true(json_is_boolean(v));
		OK(proto_w_bool(w, json_is_true(v)));
		return;
	case PF_BIN:
	case PF_BLOB:
		n = vec_hex(v, &b);
		OK(proto_w_bin(w, b, n));
		free(b);
		return;
	case PF_ARR:
		assert_true(json_is_array(v));
		OK(proto_w_array(w, (uint32_t)json_array_size(v)));
		json_array_foreach(v, i, item)
			vec_mp_obj(w, f->sub, item);
		return;
	case PF_OBJ:
		vec_mp_obj(w, f->sub, v);
		return;
	}
	fail();
}

void vec_mp_obj(struct proto_writer *w, const struct proto_schema *s, json_t *o)
{
	const char *key;
	json_t *v;

	assert_true(json_is_object(o));
	OK(proto_w_map(w, (uint32_t)json_object_size(o)));
	json_object_foreach(o, key, v) {
		OK(proto_w_str(w, key));
		mp_value(w, field_of(s, key), v);
	}
}

void vec_mp(struct proto_buf *out, const struct proto_schema *s, json_t *o)
{
	struct proto_writer *w = proto_writer_new(out);

	assert_non_null(w);
	out->len = 0;
	vec_mp_obj(w, s, o);
	proto_writer_free(w);
}

void vec_link_frame(struct proto_buf *out, const char *t, const struct proto_schema *s,
		    json_t *m)
{
	struct proto_buf b = { 0 };
	struct proto_writer *w = proto_writer_new(&b);

	assert_non_null(w);
	OK(proto_w_map(w, 2));
	OK(proto_w_str(w, "t"));
	OK(proto_w_str(w, t));
	OK(proto_w_str(w, "m"));
	vec_mp_obj(w, s, m);
	out->len = 0;
	OK(proto_frame_write(out, b.data, b.len));
	proto_writer_free(w);
	proto_buf_free(&b);
}

struct cx_id *vec_identity(const uint8_t seed[32], char **dir)
{
	char path[PATH_MAX];
	struct cx_id *id = NULL;
	int fd;

	*dir = tmpdir_new("tn-vec");
	assert_non_null(*dir);
	snprintf(path, sizeof path, "%s/node.key", *dir);
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, 0600);
	assert_true(fd >= 0);
	OK(fchmod(fd, 0600));
	assert_int_equal(write(fd, seed, 32), 32);
	OK(close(fd));
	OK(cx_id_load(&id, *dir));
	return id;
}

const char *vec_str(json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));

	if (!s)
		print_error("no string '%s'\n", key);
	assert_non_null(s);
	return s;
}

uint8_t *vec_labelled(const char *label, size_t *n, const void *a, size_t na,
		      const void *b, size_t nb, const void *c, size_t nc)
{
	size_t ln = strlen(label) + 1;
	uint8_t *p = malloc(ln + na + nb + nc);

	assert_non_null(p);
	memcpy(p, label, ln);
	memcpy(p + ln, a, na);
	if (nb)
		memcpy(p + ln + na, b, nb);
	if (nc)
		memcpy(p + ln + na + nb, c, nc);
	*n = ln + na + nb + nc;
	return p;
}

void vec_header(json_t *v, struct tn_envelope *e)
{
	json_t *h = json_object_get(v, "header");

	memset(e, 0, sizeof *e);
	e->v = (uint32_t)json_integer_value(json_object_get(h, "v"));
	e->suite = (uint32_t)json_integer_value(json_object_get(h, "suite"));
	snprintf(e->type, sizeof e->type, "%s", vec_str(h, "type"));
	snprintf(e->from, sizeof e->from, "%s", vec_str(h, "from"));
	snprintf(e->to, sizeof e->to, "%s", vec_str(h, "to"));
	vec_hex_n(h, "id", e->id, TN_ID_LEN);
	e->ts = (uint64_t)json_integer_value(json_object_get(h, "ts"));
	vec_hex_n(h, "nonce", e->nonce, TN_NONCE_LEN);
	e->ttl = (uint32_t)json_integer_value(json_object_get(v, "ttl"));
	assert_string_equal(e->type, vec_str(v, "type"));
}

/* ---- fixture ---- */

int vec_teardown(void **state)
{
	struct vec_state *st = *state;

	for (int i = 0; i < 2; i++) {
		cx_id_free(st->id[i]);
		if (st->dir[i])
			tmpdir_rm(st->dir[i]);
	}
	for (int i = 0; i < 4; i++)
		json_decref(st->docs[i]);
	free(st);
	return 0;
}

int vec_setup(void **state)
{
	struct vec_state *st = calloc(1, sizeof *st);
	uint8_t seed[32];

	assert_non_null(st);
	*state = st;
	st->keys = vec_load("keys", &st->docs[0]);
	st->link = vec_load("link", &st->docs[1]);
	st->envs = vec_load("envelopes", &st->docs[2]);
	st->receipt = vec_load("receipt", &st->docs[3]);
	for (int i = 0; i < 2; i++) {
		st->name[i] = vec_str(vec_node_json(st, i), "name");
		vec_hex_n(vec_node_json(st, i), "seed", seed, 32);
		st->id[i] = vec_identity(seed, &st->dir[i]);
	}
	for (int i = 0; i < 2; i++)
		OK(cx_shared_key(st->id[i], cx_id_pk(st->id[1 - i]), st->key[i]));
	return 0;
}

int vec_node(const struct vec_state *st, const char *name)
{
	assert_non_null(name);
	for (int i = 0; i < 2; i++)
		if (!strcmp(st->name[i], name))
			return i;
	fail();
	return -1;
}

json_t *vec_node_json(const struct vec_state *st, int i)
{
	return json_array_get(json_object_get(st->keys, "nodes"), (size_t)i);
}

json_t *vec_named(const struct vec_state *st, const char *name)
{
	json_t *v;
	size_t i;

	json_array_foreach(json_object_get(st->envs, "vectors"), i, v)
		if (!strcmp(vec_str(v, "name"), name))
			return v;
	print_error("no vector '%s'\n", name);
	fail();
	return NULL;
}
