/* SPDX-License-Identifier: Apache-2.0 */
/* The test vectors of PROTOCOL.md (tests/vectors/NAME.json): every value is
 * recomputed from the vector's inputs and compared byte for byte, every
 * envelope is opened and its message decoded by the registry, and the
 * formulas of the document are checked with plain libsodium calls too. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <sodium.h>

#include "vec_util.h"

#define OK(x) assert_int_equal((x), 0)

/* ---- keys and cards ---- */

static void test_public_keys_come_from_the_seeds(void **state)
{
	struct vec_state *st = *state;
	char text[CX_KEY_TEXT_LEN];
	uint8_t pk[32], sk[64], seed[32], xpk[32], xsk[32];

	for (int i = 0; i < 2; i++) {
		json_t *n = vec_node_json(st, i);

		vec_hex_n(n, "seed", seed, 32);
		OK(crypto_sign_seed_keypair(pk, sk, seed));
		vec_expect(n, "public_key", pk, 32);
		vec_expect(n, "public_key", cx_id_pk(st->id[i]), 32);
		cx_key_format(pk, text);
		assert_string_equal(text, vec_str(n, "key_text"));
		OK(cx_key_parse(vec_str(n, "key_text"), pk));
		vec_expect(n, "public_key", pk, 32);
		/* The text form is RFC 4648 base64url without padding. */
		assert_int_equal(strlen(text), 43);
		assert_int_equal(strspn(text, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
					"0123456789-_"), 43);
		OK(crypto_sign_ed25519_pk_to_curve25519(xpk, pk));
		OK(crypto_sign_ed25519_sk_to_curve25519(xsk, sk));
		vec_expect(n, "x25519_public_key", xpk, 32);
		vec_expect(n, "x25519_secret_key", xsk, 32);
		/* The X25519 secret is SHA-512(seed)[0..32], clamped. */
		crypto_hash_sha512(sk, seed, 32);
		sk[0] &= 248;
		sk[31] = (uint8_t)((sk[31] & 127) | 64);
		assert_memory_equal(sk, xsk, 32);
	}
}

/* The fingerprint by its definition: BLAKE2b-256 of the key, its first 12
 * bytes in upper-case hex, in groups of 4 digits joined by '-'. */
static void fingerprint_by_hand(const uint8_t pk[32], char out[CX_FP_LEN])
{
	static const char digits[] = "0123456789ABCDEF";
	uint8_t h[32];
	size_t o = 0;

	crypto_generichash(h, 32, pk, 32, NULL, 0);
	for (int i = 0; i < 12; i++) {
		if (i && i % 2 == 0)
			out[o++] = '-';
		out[o++] = digits[h[i] >> 4];
		out[o++] = digits[h[i] & 15];
	}
	out[o] = '\0';
}

static void check_card(json_t *n, json_t *c, const uint8_t pk[32])
{
	char line[2 * CX_CARD_LEN], body[CX_CARD_LEN], check[9];
	struct cx_card card = { .pk = { 0 } };
	uint8_t h[32];
	int len;

	memcpy(card.name, vec_str(n, "name"), 4);
	memcpy(card.pk, pk, 32);
	snprintf(card.addr, sizeof card.addr, "%s", vec_str(c, "addr"));
	OK(cx_card_format(&card, line, sizeof line));
	assert_string_equal(line, vec_str(c, "card"));
	/* CHECK: hex of the first 4 bytes of BLAKE2b-256("NAME KEY ADDR"). */
	len = snprintf(body, sizeof body, "%s %s %s", vec_str(n, "name"), vec_str(n, "key_text"),
		       vec_str(c, "addr"));
	crypto_generichash(h, 32, (const uint8_t *)body, (size_t)len, NULL, 0);
	sodium_bin2hex(check, sizeof check, h, 4);
	snprintf(line, sizeof line, "tncard1 %s %s", body, check);
	assert_string_equal(line, vec_str(c, "card"));
	memset(&card, 0, sizeof card);
	OK(cx_card_parse(&card, vec_str(c, "card")));
	assert_memory_equal(card.pk, pk, 32);
	assert_string_equal(card.name, vec_str(n, "name"));
	assert_string_equal(card.addr, vec_str(c, "addr"));
	assert_string_equal(card.fp, vec_str(n, "fingerprint"));
}

static void test_cards_and_fingerprints_are_recomputed(void **state)
{
	struct vec_state *st = *state;
	char fp[CX_FP_LEN];
	size_t k;
	json_t *c;

	for (int i = 0; i < 2; i++) {
		json_t *n = vec_node_json(st, i);
		const uint8_t *pk = cx_id_pk(st->id[i]);

		cx_fingerprint(pk, fp);
		assert_string_equal(fp, vec_str(n, "fingerprint"));
		fingerprint_by_hand(pk, fp);
		assert_string_equal(fp, vec_str(n, "fingerprint"));
		assert_true(json_array_size(json_object_get(n, "cards")) >= 2);
		json_array_foreach(json_object_get(n, "cards"), k, c)
			check_card(n, c, pk);
	}
}

static void test_shared_key_is_x25519_then_box_beforenm(void **state)
{
	struct vec_state *st = *state;
	json_t *sh = json_object_get(st->keys, "shared");
	uint8_t xpk[2][32], xsk[2][32], raw[32], key[32];

	for (int i = 0; i < 2; i++) {
		vec_hex_n(vec_node_json(st, i), "x25519_public_key", xpk[i], 32);
		vec_hex_n(vec_node_json(st, i), "x25519_secret_key", xsk[i], 32);
	}
	OK(crypto_scalarmult(raw, xsk[0], xpk[1]));
	vec_expect(sh, "x25519_shared_secret", raw, 32);
	OK(crypto_scalarmult(raw, xsk[1], xpk[0]));
	vec_expect(sh, "x25519_shared_secret", raw, 32);
	OK(crypto_box_beforenm(key, xpk[1], xsk[0]));
	vec_expect(sh, "box_key", key, 32);
	/* beforenm is HSalsa20 of the X25519 secret under a zero input. */
	OK(crypto_core_hsalsa20(key, (const uint8_t[16]){ 0 }, raw, NULL));
	vec_expect(sh, "box_key", key, 32);
	vec_expect(sh, "box_key", st->key[0], 32);
	vec_expect(sh, "box_key", st->key[1], 32);
}

/* ---- link frames ---- */

static void test_link_frames_are_recomputed_and_decode(void **state)
{
	struct vec_state *st = *state;
	struct proto_buf b = { 0 };
	struct proto_framer fr;
	struct proto_msg *m;
	const uint8_t *body;
	size_t len, i;
	char t[8];
	json_t *f;

	json_array_foreach(json_object_get(st->link, "frames"), i, f) {
		const char *type = vec_str(f, "t");
		int hello = !strcmp(type, "hello");
		const struct proto_schema *s = hello ? &proto_hello_schema : &proto_ping_schema;
		struct tn_hello h;

		vec_link_frame(&b, type, s, json_object_get(f, "message"));
		vec_expect(f, "frame", b.data, b.len);
		/* Length first (big-endian), then exactly one msgpack map. */
		assert_int_equal((uint32_t)b.data[0] << 24 | b.data[1] << 16 | b.data[2] << 8 |
				 b.data[3], b.len - 4);
		proto_framer_init(&fr, PROTO_FRAME_MAX_DEFAULT);
		OK(proto_framer_feed(&fr, b.data, b.len));
		assert_int_equal(proto_framer_next(&fr, &body, &len), 1);
		OK(proto_msg_parse(&m, body, len));
		OK(proto_frame_type(m, t, sizeof t));
		assert_string_equal(t, type);
		OK(proto_msg_decode(m, "m", s, &h));
		if (hello) {
			assert_string_equal(h.name, vec_str(f, "from"));
			assert_int_equal(h.version, TN_PROTO_VERSION);
			assert_string_equal(h.suites, "1");
		}
		proto_msg_free(m);
		proto_framer_free(&fr);
	}
	assert_int_equal(i, 4);
	proto_buf_free(&b);
}

/* ---- envelopes ---- */

static void test_every_registry_type_has_a_vector(void **state)
{
	struct vec_state *st = *state;
	json_t *vecs = json_object_get(st->envs, "vectors"), *v;
	size_t i;

	for (int t = 0; t < WIRE_COUNT; t++) {
		int found = 0;

		json_array_foreach(vecs, i, v)
			found += !strcmp(vec_str(v, "type"), wire_types[t].name);
		if (!found)
			print_error("no vector of type %s\n", wire_types[t].name);
		assert_true(found > 0);
	}
}

/* The sealed map {h, m, s?} from the vector's own values. */
static void sealed_of(json_t *v, struct proto_buf *out)
{
	json_t *o = json_object();

	json_object_set(o, "h", json_object_get(v, "h"));
	json_object_set(o, "m", json_object_get(v, "m"));
	if (json_is_true(json_object_get(v, "signed")))
		json_object_set(o, "s", json_object_get(v, "signature"));
	vec_mp(out, &proto_sealed_schema, o);
	json_decref(o);
}

/* Recompute one vector: message, header, h, signature, sealed map, box
 * (ours and libsodium's crypto_box_easy), envelope and frame. */
static void recompute(struct vec_state *st, json_t *v)
{
	int from = vec_node(st, vec_str(v, "from")), to = vec_node(st, vec_str(v, "to"));
	struct proto_buf m = { 0 }, hdr = { 0 }, b = { 0 };
	const struct proto_schema *s;
	uint8_t h[32], sig[64], fresh[40], xpk[32], xsk[32], *box;
	struct tn_envelope e;
	int type, sign = json_is_true(json_object_get(v, "signed"));

	assert_true((type = wire_type_of(vec_str(v, "type"))) >= 0);
	s = wire_types[type].schema;
	vec_mp(&m, s, json_object_get(v, "message"));
	vec_expect(v, "m", m.data, m.len);
	vec_header(v, &e);
	OK(proto_encode(&proto_env_header_schema, &e, &hdr));
	vec_expect(v, "header_bytes", hdr.data, hdr.len);
	vec_mp(&b, &proto_env_header_schema, json_object_get(v, "header"));
	vec_expect(v, "header_bytes", b.data, b.len);
	cx_hash_for(CX_HEADER, hdr.data, hdr.len, h);
	vec_expect(v, "h", h, 32);
	if (sign) {
		OK(cx_env_sign(&e, st->id[from], cx_id_pk(st->id[to]), m.data, m.len, sig));
		vec_expect(v, "signature", sig, 64);
	} else {
		assert_null(json_object_get(v, "signature"));
	}
	sealed_of(v, &b);
	vec_expect(v, "sealed", b.data, b.len);
	/* The box: crypto_box with the X25519 keys, MAC first. */
	vec_hex_n(vec_node_json(st, to), "x25519_public_key", xpk, 32);
	vec_hex_n(vec_node_json(st, from), "x25519_secret_key", xsk, 32);
	assert_non_null(box = malloc(b.len + 16));
	OK(crypto_box_easy(box, b.data, b.len, e.nonce, xpk, xsk));
	vec_expect(v, "body", box, b.len + 16);
	free(box);
	/* And the real sealing path, given the same id and nonce. */
	memcpy(fresh, e.id, 16);
	memcpy(fresh + 16, e.nonce, 24);
	OK(cx_env_seal_with(&e, st->id[from], st->key[from], cx_id_pk(st->id[to]), m.data, m.len,
			    sign, fresh));
	vec_expect(v, "body", e.body, e.n_body);
	b.len = 0;
	OK(proto_encode(&proto_envelope_schema, &e, &b));
	vec_expect(v, "envelope", b.data, b.len);
	proto_release(&proto_envelope_schema, &e);
	proto_buf_free(&m);
	proto_buf_free(&hdr);
	proto_buf_free(&b);
}

static void test_envelope_vectors_are_recomputed(void **state)
{
	struct vec_state *st = *state;
	json_t *v;
	size_t i;

	json_array_foreach(json_object_get(st->envs, "vectors"), i, v)
		recompute(st, v);
}

/* The link frame {t: "env", m: envelope} of vector v, as built from the
 * vector's header, ttl and body. */
static void frame_of(json_t *v, struct proto_buf *out)
{
	json_t *env = json_deep_copy(json_object_get(v, "header"));

	json_object_set(env, "ttl", json_object_get(v, "ttl"));
	json_object_set(env, "body", json_object_get(v, "body"));
	vec_link_frame(out, "env", &proto_envelope_schema, env);
	json_decref(env);
}

/* Receive one vector as a node does: frame, link frame, envelope, box,
 * signature, the registry's schema and signing rule. */
static void receive(struct vec_state *st, json_t *v)
{
	int from = vec_node(st, vec_str(v, "from")), to = vec_node(st, vec_str(v, "to"));
	int type = wire_type_of(vec_str(v, "type")), sign = json_is_true(json_object_get(v, "signed"));
	const struct proto_schema *s = wire_types[type].schema;
	struct proto_buf b = { 0 };
	struct proto_framer fr;
	struct proto_msg *pm;
	struct tn_envelope e;
	struct tn_sealed sd;
	const uint8_t *body;
	size_t len;
	void *msg;
	char t[8];

	frame_of(v, &b);
	vec_expect(v, "frame", b.data, b.len);
	proto_framer_init(&fr, PROTO_FRAME_MAX_DEFAULT);
	OK(proto_framer_feed(&fr, b.data, b.len));
	assert_int_equal(proto_framer_next(&fr, &body, &len), 1);
	OK(proto_msg_parse(&pm, body, len));
	OK(proto_frame_type(pm, t, sizeof t));
	assert_string_equal(t, "env");
	OK(proto_msg_decode(pm, "m", &proto_envelope_schema, &e));
	assert_string_equal(e.to, st->name[to]);
	OK(cx_env_open(&e, st->key[to], cx_id_pk(st->id[from]), cx_id_pk(st->id[to]), &sd));
	vec_expect(v, "m", sd.m, sd.n_m);
	vec_expect(v, "h", sd.h, 32);
	assert_int_equal(sd.n_s, sign ? 64 : 0);
	if (sign) {
		vec_expect(v, "signature", sd.s, 64);
		OK(cx_env_verify(&e, sd.m, sd.n_m, sd.s, cx_id_pk(st->id[from]),
				 cx_id_pk(st->id[to])));
		/* Bound to its recipient: for anyone else it does not check. */
		assert_int_equal(cx_env_verify(&e, sd.m, sd.n_m, sd.s, cx_id_pk(st->id[from]),
					       cx_id_pk(st->id[from])), TN_ERR_BAD_SIG);
	}
	assert_non_null(msg = calloc(1, s->size));
	OK(proto_decode(s, sd.m, sd.n_m, msg, NULL, 0));
	assert_int_equal(wire_must_sign((enum wire_type)type, msg), sign);
	b.len = 0;
	OK(proto_encode(s, msg, &b));
	vec_expect(v, "m", b.data, b.len);
	proto_release(s, msg);
	free(msg);
	proto_release(&proto_sealed_schema, &sd);
	proto_release(&proto_envelope_schema, &e);
	proto_msg_free(pm);
	proto_framer_free(&fr);
	proto_buf_free(&b);
}

static void test_envelope_vectors_open_and_decode(void **state)
{
	struct vec_state *st = *state;
	json_t *v;
	size_t i;

	json_array_foreach(json_object_get(st->envs, "vectors"), i, v)
		receive(st, v);
}

/* PROTOCOL.md's formulas, with libsodium alone (no tracenet function). */
static void test_formulas_hold_with_libsodium_alone(void **state)
{
	struct vec_state *st = *state;
	json_t *v = vec_named(st, "trace_request");
	uint8_t *hdr, *m, *sealed, *body, *buf, h[32], sig[64], to_pk[32], from_pk[32], d[32];
	uint8_t xpk[32], xsk[32], nonce[24];
	size_t nh = vec_hex(json_object_get(v, "header_bytes"), &hdr), n;
	size_t nm = vec_hex(json_object_get(v, "m"), &m);
	size_t nb = vec_hex(json_object_get(v, "body"), &body);

	vec_hex_n(vec_node_json(st, vec_node(st, "GTM")), "public_key", from_pk, 32);
	vec_hex_n(vec_node_json(st, vec_node(st, "MEX")), "public_key", to_pk, 32);
	/* h = BLAKE2b-256("tracenet/1 header" NUL || header map). */
	buf = vec_labelled("tracenet/1 header", &n, hdr, nh, NULL, 0, NULL, 0);
	OK(crypto_generichash(h, 32, buf, n, NULL, 0));
	vec_expect(v, "h", h, 32);
	free(buf);
	/* s = Ed25519("tracenet/1 envelope" NUL || to_pk || h || m). */
	buf = vec_labelled("tracenet/1 envelope", &n, to_pk, 32, h, 32, m, nm);
	vec_expect(v, "signed_bytes", buf, n);
	vec_hex_n(v, "signature", sig, 64);
	OK(crypto_sign_verify_detached(sig, buf, n, from_pk));
	buf[n - 1] ^= 1;
	assert_int_not_equal(crypto_sign_verify_detached(sig, buf, n, from_pk), 0);
	free(buf);
	/* request_digest = BLAKE2b-256("tracenet/1 request" NUL || m). */
	buf = vec_labelled("tracenet/1 request", &n, m, nm, NULL, 0, NULL, 0);
	OK(crypto_generichash(d, 32, buf, n, NULL, 0));
	vec_expect(v, "request_digest", d, 32);
	free(buf);
	/* body = crypto_box_easy(sealed): the recipient opens it with its keys. */
	vec_hex_n(vec_node_json(st, vec_node(st, "GTM")), "x25519_public_key", xpk, 32);
	vec_hex_n(vec_node_json(st, vec_node(st, "MEX")), "x25519_secret_key", xsk, 32);
	vec_hex_n(json_object_get(v, "header"), "nonce", nonce, 24);
	assert_non_null(sealed = malloc(nb));
	OK(crypto_box_open_easy(sealed, body, nb, nonce, xpk, xsk));
	vec_expect(v, "sealed", sealed, nb - 16);
	free(sealed);
	free(hdr);
	free(m);
	free(body);
}

/* ---- witnessed checkpoints ---- */

/* BLAKE2b-256(prefix || a || b), b NULL for a leaf. */
static void tree_hash(uint8_t prefix, const uint8_t a[32], const uint8_t *b, uint8_t out[32])
{
	uint8_t buf[65] = { prefix };

	memcpy(buf + 1, a, 32);
	if (b)
		memcpy(buf + 33, b, 32);
	OK(crypto_generichash(out, 32, buf, b ? 65 : 33, NULL, 0));
}

/* RFC 9162 2.1.4.2 for 0 < m < n: path (k hashes, room for k + 1) shows
 * that the tree head old of m leaves starts the head new of n leaves. */
static int consistent(uint64_t m, const uint8_t old[32], uint64_t n, const uint8_t new[32],
		      uint8_t (*path)[32], size_t k)
{
	uint8_t fr[32], sr[32];
	uint64_t fn = m - 1, sn = n - 1;

	if ((m & (m - 1)) == 0) {       /* a power of two: old itself starts the path */
		memmove(path + 1, path, k * 32);
		memcpy(path[0], old, 32);
		k++;
	}
	while (fn & 1) {
		fn >>= 1;
		sn >>= 1;
	}
	memcpy(fr, path[0], 32);
	memcpy(sr, path[0], 32);
	for (size_t i = 1; i < k; i++, fn >>= 1, sn >>= 1) {
		if (!sn)
			return 0;
		if ((fn & 1) || fn == sn) {
			tree_hash(1, path[i], fr, fr);
			tree_hash(1, path[i], sr, sr);
			while (!(fn & 1) && fn) {
				fn >>= 1;
				sn >>= 1;
			}
		} else {
			tree_hash(1, sr, path[i], sr);
		}
	}
	return !memcmp(fr, old, 32) && !memcmp(sr, new, 32) && !sn;
}

/* The tree heads of the vector's five entries from the definitions, the
 * proof from three to five, and both signatures of the checkpoint body,
 * with libsodium alone. */
static void test_checkpoint_formulas_hold_with_libsodium_alone(void **state)
{
	struct vec_state *st = *state;
	json_t *v = vec_named(st, "checkpoint"), *cv = vec_named(st, "cosignature");
	json_t *cp = json_object_get(json_object_get(v, "message"), "cp");
	uint8_t e[5][32], l[5][32], n12[32], n34[32], r3[32], r5[32], t[32], path[8][32];
	uint8_t pk[2][32], sig[64], *body, *proof, *buf;
	char text[40];
	size_t nb, np, n;

	for (int i = 0; i < 5; i++) {
		snprintf(text, sizeof text, "tracenet test vector entry %d", i + 1);
		OK(crypto_generichash(e[i], 32, (const uint8_t *)text, strlen(text), NULL, 0));
		assert_int_equal(vec_hex(json_array_get(json_object_get(v, "entries"), i), &buf), 32);
		assert_memory_equal(buf, e[i], 32);
		free(buf);
		tree_hash(0, e[i], NULL, l[i]);
	}
	/* Heads of 3 and 5 leaves: ((1 2) 3) and (((1 2) (3 4)) 5). */
	tree_hash(1, l[0], l[1], n12);
	tree_hash(1, l[2], l[3], n34);
	tree_hash(1, n12, l[2], r3);
	tree_hash(1, n12, n34, t);
	tree_hash(1, t, l[4], r5);
	vec_expect(v, "from_root", r3, 32);
	vec_expect(cp, "root", r5, 32);
	vec_expect(cp, "head", e[4], 32);
	/* PROOF(3, D[0:5]) = leaf 3, leaf 4, node (1 2), leaf 5; and it checks. */
	np = vec_hex(json_object_get(json_object_get(v, "message"), "proof"), &proof);
	assert_int_equal(np, 4 * 32);
	assert_memory_equal(proof, l[2], 32);
	assert_memory_equal(proof + 32, l[3], 32);
	assert_memory_equal(proof + 64, n12, 32);
	assert_memory_equal(proof + 96, l[4], 32);
	memcpy(path, proof, np);
	assert_true(consistent(3, r3, 5, r5, path, 4));
	memcpy(path, proof, np);
	assert_false(consistent(3, r3, 5, n34, path, 4));
	/* The node signs label || body, the witness cosigns the same body. */
	vec_hex_n(vec_node_json(st, vec_node(st, "GTM")), "public_key", pk[0], 32);
	vec_hex_n(vec_node_json(st, vec_node(st, "MEX")), "public_key", pk[1], 32);
	nb = vec_hex(json_object_get(v, "checkpoint_body"), &body);
	vec_expect(cv, "checkpoint_body", body, nb);
	buf = vec_labelled("tracenet/1 checkpoint", &n, body, nb, NULL, 0, NULL, 0);
	vec_hex_n(cp, "sig", sig, 64);
	OK(crypto_sign_verify_detached(sig, buf, n, pk[0]));
	free(buf);
	buf = vec_labelled("tracenet/1 cosignature", &n, body, nb, NULL, 0, NULL, 0);
	vec_hex_n(json_object_get(cv, "message"), "sig", sig, 64);
	OK(crypto_sign_verify_detached(sig, buf, n, pk[1]));
	assert_int_not_equal(crypto_sign_verify_detached(sig, buf, n, pk[0]), 0);
	free(buf);
	free(body);
	free(proof);
}

/* ---- key rotation ---- */

/* The new key from its seed, and both signatures of the notice's body
 * (label NUL || body) by the old key of keys.json and the new one, with
 * libsodium alone; neither checks under the other key. */
static void test_rotation_formulas_hold_with_libsodium_alone(void **state)
{
	struct vec_state *st = *state;
	json_t *v = vec_named(st, "key_rotation"), *m = json_object_get(v, "message");
	uint8_t seed[32], pk[32], sk[64], old[32], sig_old[64], sig_new[64], *body, *buf;
	size_t nb, n;

	vec_hex_n(v, "new_seed", seed, 32);
	OK(crypto_sign_seed_keypair(pk, sk, seed));
	vec_expect(m, "new_pk", pk, 32);
	vec_hex_n(vec_node_json(st, vec_node(st, "GTM")), "public_key", old, 32);
	vec_expect(m, "old_pk", old, 32);
	vec_hex_n(m, "sig_old", sig_old, 64);
	vec_hex_n(m, "sig_new", sig_new, 64);
	nb = vec_hex(json_object_get(v, "rotation_body"), &body);
	buf = vec_labelled("tracenet/1 rotation", &n, body, nb, NULL, 0, NULL, 0);
	OK(crypto_sign_verify_detached(sig_old, buf, n, old));
	OK(crypto_sign_verify_detached(sig_new, buf, n, pk));
	assert_int_not_equal(crypto_sign_verify_detached(sig_old, buf, n, pk), 0);
	assert_int_not_equal(crypto_sign_verify_detached(sig_new, buf, n, old), 0);
	free(buf);
	buf = vec_labelled("tracenet/1 envelope", &n, body, nb, NULL, 0, NULL, 0);
	assert_int_not_equal(crypto_sign_verify_detached(sig_old, buf, n, old), 0);
	free(buf);
	free(body);
	sodium_memzero(sk, sizeof sk);
}

/* ---- the receipt ---- */

static void test_receipt_is_recomputed_and_verifies(void **state)
{
	struct vec_state *st = *state;
	json_t *r = json_object_get(st->receipt, "receipt");
	json_t *v = vec_named(st, vec_str(st->receipt, "vector"));
	struct proto_buf b = { 0 };
	struct tn_receipt rc;
	struct tn_trace_result res;
	char path[512];
	uint8_t file[4096], h[32], *buf;
	size_t n, nf;
	FILE *f;

	/* The file's bytes: built from the JSON view, and as committed. */
	vec_mp(&b, &proto_receipt_schema, r);
	vec_expect(st->receipt, "bytes", b.data, b.len);
	snprintf(path, sizeof path, "%s/tests/vectors/%s.receipt", vec_root(),
		 vec_str(st->receipt, "vector"));
	assert_non_null(f = fopen(path, "rb"));
	nf = fread(file, 1, sizeof file, f);
	fclose(f);
	vec_expect(st->receipt, "bytes", file, nf);
	/* The same message, signature and header as the envelope vector. */
	OK(proto_decode(&proto_receipt_schema, file, nf, &rc, NULL, 0));
	vec_expect(v, "m", rc.m, rc.n_m);
	vec_expect(v, "signature", rc.sig, 64);
	assert_memory_equal(rc.pk, cx_id_pk(st->id[vec_node(st, vec_str(st->receipt, "signer"))]), 32);
	assert_memory_equal(rc.to_pk,
			    cx_id_pk(st->id[vec_node(st, vec_str(st->receipt, "recipient"))]), 32);
	OK(cx_env_verify(&rc.hdr, rc.m, rc.n_m, rc.sig, rc.pk, rc.to_pk));
	/* A third party: h from the hdr map as re-encoded, then Ed25519. */
	b.len = 0;
	OK(proto_encode(&proto_env_header_schema, &rc.hdr, &b));
	vec_expect(v, "header_bytes", b.data, b.len);
	buf = vec_labelled("tracenet/1 header", &n, b.data, b.len, NULL, 0, NULL, 0);
	OK(crypto_generichash(h, 32, buf, n, NULL, 0));
	free(buf);
	buf = vec_labelled("tracenet/1 envelope", &n, rc.to_pk, 32, h, 32, rc.m, rc.n_m);
	OK(crypto_sign_verify_detached(rc.sig, buf, n, rc.pk));
	free(buf);
	/* Any change breaks it: the message, or the header's time. */
	rc.m[rc.n_m - 1] ^= 1;
	assert_int_equal(cx_env_verify(&rc.hdr, rc.m, rc.n_m, rc.sig, rc.pk, rc.to_pk),
			 TN_ERR_BAD_SIG);
	rc.m[rc.n_m - 1] ^= 1;
	rc.hdr.ts++;
	assert_int_equal(cx_env_verify(&rc.hdr, rc.m, rc.n_m, rc.sig, rc.pk, rc.to_pk),
			 TN_ERR_BAD_SIG);
	/* The result names the request it answers by its digest. */
	OK(proto_decode(&proto_trace_result_schema, rc.m, rc.n_m, &res, NULL, 0));
	vec_expect(vec_named(st, "trace_request"), "request_digest", res.request_digest, 32);
	proto_release(&proto_trace_result_schema, &res);
	proto_release(&proto_receipt_schema, &rc);
	proto_buf_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_public_keys_come_from_the_seeds),
		cmocka_unit_test(test_cards_and_fingerprints_are_recomputed),
		cmocka_unit_test(test_shared_key_is_x25519_then_box_beforenm),
		cmocka_unit_test(test_link_frames_are_recomputed_and_decode),
		cmocka_unit_test(test_every_registry_type_has_a_vector),
		cmocka_unit_test(test_envelope_vectors_are_recomputed),
		cmocka_unit_test(test_envelope_vectors_open_and_decode),
		cmocka_unit_test(test_formulas_hold_with_libsodium_alone),
		cmocka_unit_test(test_checkpoint_formulas_hold_with_libsodium_alone),
		cmocka_unit_test(test_rotation_formulas_hold_with_libsodium_alone),
		cmocka_unit_test(test_receipt_is_recomputed_and_verifies),
	};

	if (cx_init() != 0)
		return 1;
	return cmocka_run_group_tests_name("vectors", tests, vec_setup, vec_teardown);
}
