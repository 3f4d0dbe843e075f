/* SPDX-License-Identifier: Apache-2.0 */
/* gen_vectors: the test vectors of PROTOCOL.md, made by the real code from
 * fixed seeds, envelope ids, nonces and times. `gen_vectors NAME` prints
 * tests/vectors/NAME.json (keys, link, envelopes, receipt), bytes as
 * lower-case hex; `gen_vectors receipt-file` prints the raw receipt file
 * (tests/vectors/trace_result.receipt). */
#include <fcntl.h>
#include <jansson.h>
#include <limits.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../crypto/cx.h"
#include "../../proto/proto.h"
#include "lib/vec_msgs.h"

#define T0 1767225600000ull /* 2026-01-01T00:00:00Z in ms: HELLO; envelopes follow */

enum { GTM, MEX, NODES };

struct node_v {
	const char *name;
	const char *seed_hex;
	const char *addrs[3];
	uint8_t seed[32];
	struct cx_id *id;
};

static struct node_v nodes[NODES] = {
	[GTM] = { "GTM", "f80952e106593042f72b4290ae47b4e9d23d41d5a58b8e5139b0686e1239bb55",
		  { "203.0.113.7:7401", "tracenet.gt.example:7401", NULL } },
	[MEX] = { "MEX", "2572f962d12bbf99c0935ce561f0863429313c33e0ab8b68ab60324fa7c0b892",
		  { "198.51.100.20:7401", "[2001:db8::7]:7401", NULL } },
};

/* One sealed envelope vector: a message of a type from one node to the other. */
struct vec {
	const char *name;
	enum wire_type type;
	int from;
	const void *msg;
	struct tn_envelope e;     /* sealed: header fields and body */
	struct proto_buf m;       /* the message bytes */
	uint8_t sig[CX_SIG_LEN];
	int sign;
};

static void die(const char *what)
{
	fprintf(stderr, "gen_vectors: %s\n", what);
	exit(1);
}

static void unhex(uint8_t *out, size_t n, const char *text)
{
	size_t len = 0;

	if (sodium_hex2bin(out, n, text, strlen(text), NULL, &len, NULL) || len != n)
		die("bad hex constant");
}

static json_t *hex(const void *p, size_t n)
{
	char *s = malloc(2 * n + 1);
	json_t *j;

	if (!s)
		die("out of memory");
	sodium_bin2hex(s, 2 * n + 1, p, n);
	j = json_string(s);
	free(s);
	return j;
}

/* The JSON view of msgpack bytes (the codec's own rendering: bin as hex). */
static json_t *view(const void *p, size_t n)
{
	struct proto_msg *m = NULL;
	char *text = NULL;
	size_t len = 0;
	FILE *f;
	json_t *j;

	if (proto_msg_parse(&m, p, n) || !(f = open_memstream(&text, &len)))
		die("cannot parse our own msgpack");
	if (proto_msg_json(m, NULL, f) || fclose(f))
		die("cannot render JSON");
	j = json_loads(text, 0, NULL);
	if (!j)
		die("bad JSON from the codec");
	free(text);
	proto_msg_free(m);
	return j;
}

/* An identity from a seed as the node loads it: DIR/node.key, mode 0600. */
static struct cx_id *load_seed(const uint8_t seed[32])
{
	char dir[] = "/tmp/gen_vectors.XXXXXX", path[PATH_MAX];
	struct cx_id *id = NULL;
	int fd;

	if (!mkdtemp(dir))
		die("mkdtemp failed");
	snprintf(path, sizeof path, "%s/node.key", dir);
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, 0600);
	if (fd < 0 || cx_write_all(fd, seed, 32) || close(fd) || cx_id_load(&id, dir))
		die("cannot load an identity from its seed");
	unlink(path);
	rmdir(dir);
	return id;
}

static struct vec vecs[] = {
	{ "ping", WIRE_PING, GTM, &vm_ping },
	{ "pong", WIRE_PONG, MEX, &vm_ping },
	{ "stolen_query", WIRE_STOLEN_QUERY, GTM, &vm_query },
	{ "stolen_result_hit", WIRE_STOLEN_RESULT, MEX, &vm_result_hit },
	{ "stolen_result_no_hit", WIRE_STOLEN_RESULT, MEX, &vm_result_no_hit },
	{ "trace_request", WIRE_TRACE_REQUEST, GTM, &vm_request },
	{ "trace_ack", WIRE_TRACE_ACK, MEX, &vm_trace_ack },
	{ "trace_result", WIRE_TRACE_RESULT, MEX, &vm_trace_result },
	{ "trace_result_candidates", WIRE_TRACE_RESULT, MEX, &vm_trace_candidates },
	{ "ack", WIRE_ACK, GTM, &vm_ack },
	{ "checkpoint", WIRE_CHECKPOINT, GTM, &vm_checkpoint },
	{ "cosignature", WIRE_COSIGNATURE, MEX, &vm_cosignature },
	{ "checkpoint_get", WIRE_CHECKPOINT_GET, GTM, &vm_checkpoint_get },
	{ "checkpoint_held", WIRE_CHECKPOINT_HELD, MEX, &vm_checkpoint_held },
	{ "blind_set", WIRE_BLIND_SET, MEX, &vm_blind_set },
	{ "blind_query", WIRE_BLIND_QUERY, GTM, &vm_blind_query },
	{ "blind_result", WIRE_BLIND_RESULT, MEX, &vm_blind_result },
	{ "blind_set_get", WIRE_BLIND_SET_GET, GTM, &vm_blind_set_get },
	{ "key_rotation", WIRE_KEY_ROTATION, GTM, &vm_key_rotation },
	{ "stolen_queries", WIRE_STOLEN_QUERIES, GTM, &vm_queries },
	{ "stolen_results", WIRE_STOLEN_RESULTS, MEX, &vm_results },
};
#define N_VECS (sizeof vecs / sizeof vecs[0])

/* ---- sealing ---- */

/* The envelope id and nonce of a vector: BLAKE2b-320 of its name. */
static void id_nonce(const struct vec *v, uint8_t out[40])
{
	char label[64];

	snprintf(label, sizeof label, "tracenet test vector %s", v->name);
	crypto_generichash(out, 40, (const uint8_t *)label, strlen(label), NULL, 0);
}

static void seal(struct vec *v, uint64_t ts)
{
	const struct node_v *from = &nodes[v->from], *to = &nodes[1 - v->from];
	uint8_t key[CX_KEY_LEN], fresh[40];
	struct tn_sealed s;

	v->e = (struct tn_envelope){ .v = TN_PROTO_VERSION, .suite = TN_SUITE_BOX_ED25519,
				     .ts = ts, .ttl = 1 };
	snprintf(v->e.type, sizeof v->e.type, "%s", wire_types[v->type].name);
	memcpy(v->e.from, from->name, sizeof v->e.from);
	memcpy(v->e.to, to->name, sizeof v->e.to);
	v->sign = wire_must_sign(v->type, v->msg);
	id_nonce(v, fresh);
	if (proto_encode(wire_types[v->type].schema, v->msg, &v->m) ||
	    cx_shared_key(from->id, cx_id_pk(to->id), key) ||
	    cx_env_seal_with(&v->e, from->id, key, cx_id_pk(to->id), v->m.data, v->m.len,
			     v->sign, fresh))
		die("cannot seal");
	if (v->sign && cx_env_sign(&v->e, from->id, cx_id_pk(to->id), v->m.data, v->m.len, v->sig))
		die("cannot sign");
	/* The recipient opens it, and finds the same message and signature. */
	if (cx_shared_key(to->id, cx_id_pk(from->id), key) ||
	    cx_env_open(&v->e, key, cx_id_pk(from->id), cx_id_pk(to->id), &s) ||
	    s.n_m != v->m.len || memcmp(s.m, v->m.data, s.n_m) || s.n_s != (v->sign ? 64u : 0u) ||
	    (v->sign && memcmp(s.s, v->sig, CX_SIG_LEN)))
		die("the recipient does not open what was sealed");
	proto_release(&proto_sealed_schema, &s);
	cx_wipe(key, sizeof key);
}

/* ---- output ---- */

/* A link frame {t, m} with its 4-byte length, as node/net/link.c sends it. */
static json_t *link_frame(const char *t, const struct proto_schema *s, const void *obj)
{
	struct proto_buf b = { 0 }, f = { 0 };
	struct proto_writer *w = proto_writer_new(&b);
	json_t *j;

	if (!w || proto_w_map(w, 2) || proto_w_str(w, "t") || proto_w_str(w, t) ||
	    proto_w_str(w, "m") || proto_w_obj(w, s, obj) || proto_frame_write(&f, b.data, b.len))
		die("cannot frame");
	j = hex(f.data, f.len);
	proto_writer_free(w);
	proto_buf_free(&b);
	proto_buf_free(&f);
	return j;
}

static json_t *encoded(const struct proto_schema *s, const void *obj, int as_view)
{
	struct proto_buf b = { 0 };
	json_t *j;

	if (proto_encode(s, obj, &b))
		die("cannot encode");
	j = as_view ? view(b.data, b.len) : hex(b.data, b.len);
	proto_buf_free(&b);
	return j;
}

static json_t *keys_json(void)
{
	json_t *out = json_object(), *list = json_array(), *pair = json_object();
	uint8_t xpk[2][32], xsk[2][32], raw[32], key[CX_KEY_LEN], key2[CX_KEY_LEN];

	for (int i = 0; i < NODES; i++) {
		const struct node_v *n = &nodes[i];
		const uint8_t *pk = cx_id_pk(n->id);
		json_t *o = json_object(), *cards = json_array();
		char text[CX_KEY_TEXT_LEN], fp[CX_FP_LEN], line[CX_CARD_LEN];
		uint8_t sk[64], pk2[32];

		cx_key_format(pk, text);
		cx_fingerprint(pk, fp);
		if (crypto_sign_seed_keypair(pk2, sk, n->seed) ||
		    crypto_sign_ed25519_pk_to_curve25519(xpk[i], pk) ||
		    crypto_sign_ed25519_sk_to_curve25519(xsk[i], sk))
			die("cannot derive X25519 keys");
		for (int a = 0; n->addrs[a]; a++) {
			struct cx_card c = { .pk = { 0 } };

			memcpy(c.name, n->name, sizeof c.name);
			memcpy(c.pk, pk, CX_PK_LEN);
			snprintf(c.addr, sizeof c.addr, "%s", n->addrs[a]);
			if (cx_card_format(&c, line, sizeof line))
				die("cannot format a card");
			json_array_append_new(cards, json_pack("{s:s, s:s}", "addr", n->addrs[a],
								"card", line));
		}
		json_object_set_new(o, "name", json_string(n->name));
		json_object_set_new(o, "seed", hex(n->seed, 32));
		json_object_set_new(o, "public_key", hex(pk, 32));
		json_object_set_new(o, "key_text", json_string(text));
		json_object_set_new(o, "fingerprint", json_string(fp));
		json_object_set_new(o, "x25519_public_key", hex(xpk[i], 32));
		json_object_set_new(o, "x25519_secret_key", hex(xsk[i], 32));
		json_object_set_new(o, "cards", cards);
		json_array_append_new(list, o);
		sodium_memzero(sk, sizeof sk);
	}
	if (crypto_scalarmult(raw, xsk[GTM], xpk[MEX]) ||
	    cx_shared_key(nodes[GTM].id, cx_id_pk(nodes[MEX].id), key) ||
	    cx_shared_key(nodes[MEX].id, cx_id_pk(nodes[GTM].id), key2) || memcmp(key, key2, 32))
		die("the two sides do not share a key");
	json_object_set_new(pair, "nodes", json_pack("[s, s]", "GTM", "MEX"));
	json_object_set_new(pair, "x25519_shared_secret", hex(raw, 32));
	json_object_set_new(pair, "box_key", hex(key, 32));
	json_object_set_new(out, "nodes", list);
	json_object_set_new(out, "shared", pair);
	return out;
}

static json_t *hello_json(int i, uint64_t ts)
{
	struct tn_hello h = { .version = TN_PROTO_VERSION, .suites = "1", .ts = ts,
			      .features = "ping," TN_FEATURE_ASKS };

	memcpy(h.name, nodes[i].name, sizeof h.name);
	return json_pack("{s:s, s:s, s:o, s:o}", "from", nodes[i].name, "t", "hello", "message",
			 encoded(&proto_hello_schema, &h, 1), "frame",
			 link_frame("hello", &proto_hello_schema, &h));
}

static json_t *link_json(void)
{
	struct tn_ping p = { .seq = 1 };
	json_t *frames = json_array();

	json_array_append_new(frames, hello_json(GTM, T0));
	json_array_append_new(frames, hello_json(MEX, T0 + 3));
	for (int i = 0; i < 2; i++)
		json_array_append_new(frames, json_pack(
			"{s:s, s:s, s:o, s:o}", "from", nodes[i].name, "t", i ? "pong" : "ping",
			"message", encoded(&proto_ping_schema, &p, 1),
			"frame", link_frame(i ? "pong" : "ping", &proto_ping_schema, &p)));
	return json_pack("{s:o}", "frames", frames);
}

/* label NUL || to_pk || h || m: what the sender signs. */
static json_t *signed_bytes(const struct vec *v, const uint8_t h[32])
{
	const char *label = cx_label(CX_ENVELOPE);
	size_t ln = strlen(label) + 1, n = ln + 32 + 32 + v->m.len;
	uint8_t *b = malloc(n);
	json_t *j;

	if (!b)
		die("out of memory");
	memcpy(b, label, ln);
	memcpy(b + ln, cx_id_pk(nodes[1 - v->from].id), 32);
	memcpy(b + ln + 32, h, 32);
	memcpy(b + ln + 64, v->m.data, v->m.len);
	j = hex(b, n);
	free(b);
	return j;
}

/* What the checkpoint vectors add: the log's entry hashes, the tree head
 * the proof starts from, and the checkpoint's signed body. */
static void checkpoint_json(json_t *o)
{
	json_t *entries = json_array();

	for (int i = 0; i < VM_ENTRIES; i++)
		json_array_append_new(entries, hex(vm_entries[i], 32));
	json_object_set_new(o, "entries", entries);
	json_object_set_new(o, "from_root", hex(vm_from_root, 32));
	json_object_set_new(o, "checkpoint_body",
			    encoded(&proto_checkpoint_body_schema, &vm_checkpoint.cp, 0));
}

/* What the rotation vector adds: the new key's seed and the body both
 * keys sign. */
static void rotation_json(json_t *o)
{
	uint8_t seed[32];

	memset(seed, VM_ROTATION_SEED, sizeof seed);
	json_object_set_new(o, "new_seed", hex(seed, 32));
	json_object_set_new(o, "rotation_body",
			    encoded(&proto_key_rotation_body_schema, &vm_key_rotation, 0));
}

static json_t *vector_json(const struct vec *v)
{
	struct proto_buf hdr = { 0 };
	uint8_t h[32], key[CX_KEY_LEN], *plain;
	size_t n = v->e.n_body - CX_MAC_LEN;
	json_t *o = json_object();

	if (proto_encode(&proto_env_header_schema, &v->e, &hdr) || !(plain = malloc(n)) ||
	    cx_shared_key(nodes[1 - v->from].id, cx_id_pk(nodes[v->from].id), key) ||
	    cx_open(key, v->e.nonce, v->e.body, v->e.n_body, plain))
		die("cannot rebuild a vector");
	cx_hash_for(CX_HEADER, hdr.data, hdr.len, h);
	json_object_set_new(o, "name", json_string(v->name));
	json_object_set_new(o, "type", json_string(v->e.type));
	json_object_set_new(o, "from", json_string(v->e.from));
	json_object_set_new(o, "to", json_string(v->e.to));
	json_object_set_new(o, "header", view(hdr.data, hdr.len));
	json_object_set_new(o, "ttl", json_integer(v->e.ttl));
	json_object_set_new(o, "message", view(v->m.data, v->m.len));
	json_object_set_new(o, "signed", json_boolean(v->sign));
	json_object_set_new(o, "m", hex(v->m.data, v->m.len));
	if (v->type == WIRE_TRACE_REQUEST) {
		uint8_t d[32];

		cx_hash_for(CX_REQUEST, v->m.data, v->m.len, d);
		json_object_set_new(o, "request_digest", hex(d, 32));
	}
	if (v->type >= WIRE_CHECKPOINT && v->type != WIRE_CHECKPOINT_GET &&
	    v->type != WIRE_KEY_ROTATION)
		checkpoint_json(o);
	if (v->type == WIRE_KEY_ROTATION)
		rotation_json(o);
	json_object_set_new(o, "header_bytes", hex(hdr.data, hdr.len));
	json_object_set_new(o, "h", hex(h, 32));
	if (v->sign) {
		json_object_set_new(o, "signed_bytes", signed_bytes(v, h));
		json_object_set_new(o, "signature", hex(v->sig, CX_SIG_LEN));
	}
	json_object_set_new(o, "sealed", hex(plain, n));
	json_object_set_new(o, "body", hex(v->e.body, v->e.n_body));
	json_object_set_new(o, "envelope", encoded(&proto_envelope_schema, &v->e, 0));
	json_object_set_new(o, "frame", link_frame("env", &proto_envelope_schema, &v->e));
	cx_wipe(key, sizeof key);
	free(plain);
	proto_buf_free(&hdr);
	return o;
}

static json_t *envelopes_json(void)
{
	json_t *list = json_array();

	for (size_t i = 0; i < N_VECS; i++)
		json_array_append_new(list, vector_json(&vecs[i]));
	return json_pack("{s:o}", "vectors", list);
}

static const struct vec *vec_named(const char *name)
{
	for (size_t i = 0; i < N_VECS; i++)
		if (!strcmp(vecs[i].name, name))
			return &vecs[i];
	die("no such vector");
	return NULL;
}

/* What the recipient of the trace_result keeps (node/net/env.c env_receipt). */
static void receipt_bytes(struct proto_buf *out)
{
	const struct vec *v = vec_named("trace_result");
	struct tn_receipt r = { .hdr = v->e, .n_m = (uint32_t)v->m.len, .m = v->m.data };

	r.hdr.n_body = 0;
	r.hdr.body = NULL;
	memcpy(r.pk, cx_id_pk(nodes[v->from].id), 32);
	memcpy(r.to_pk, cx_id_pk(nodes[1 - v->from].id), 32);
	memcpy(r.sig, v->sig, CX_SIG_LEN);
	if (proto_encode(&proto_receipt_schema, &r, out))
		die("cannot encode the receipt");
}

static json_t *receipt_json(void)
{
	struct proto_buf b = { 0 };
	json_t *j;

	receipt_bytes(&b);
	j = json_pack("{s:s, s:s, s:s, s:o, s:o}", "vector", "trace_result", "signer", "MEX",
		      "recipient", "GTM", "receipt", view(b.data, b.len), "bytes",
		      hex(b.data, b.len));
	proto_buf_free(&b);
	return j;
}

static void teardown(void)
{
	for (size_t i = 0; i < N_VECS; i++) {
		proto_release(&proto_envelope_schema, &vecs[i].e);
		proto_buf_free(&vecs[i].m);
	}
	for (int i = 0; i < NODES; i++)
		cx_id_free(nodes[i].id);
}

static void setup(void)
{
	uint8_t next_seed[32];
	struct cx_id *next;

	if (cx_init())
		die("cannot initialise the crypto module");
	for (int i = 0; i < NODES; i++) {
		unhex(nodes[i].seed, 32, nodes[i].seed_hex);
		nodes[i].id = load_seed(nodes[i].seed);
	}
	memset(next_seed, VM_ROTATION_SEED, sizeof next_seed);
	next = load_seed(next_seed);
	if (vec_msgs_init() || vec_blind_init() || vec_msgs_sign(nodes[GTM].id, nodes[MEX].id) ||
	    vec_rotation_sign(nodes[GTM].id, next))
		die("cannot build the messages");
	cx_id_free(next);
	for (size_t i = 0; i < N_VECS; i++)
		seal(&vecs[i], T0 + 1000 * (i + 1));
}

int main(int argc, char **argv)
{
	static const char *const names[] = { "keys", "link", "envelopes", "receipt" };
	json_t *(*const fns[])(void) = { keys_json, link_json, envelopes_json, receipt_json };
	struct proto_buf b = { 0 };
	json_t *j = NULL;
	int rc = 1;

	if (argc != 2)
		die("usage: gen_vectors keys|link|envelopes|receipt|receipt-file");
	setup();
	if (!strcmp(argv[1], "receipt-file")) {
		receipt_bytes(&b);
		rc = fwrite(b.data, 1, b.len, stdout) != b.len || fflush(stdout);
		proto_buf_free(&b);
	}
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (!strcmp(argv[1], names[i]))
			j = json_pack("{s:s, s:s, s:o}", "protocol", "tracenet/1", "generator",
				      "tests/tools/gen_vectors.c", names[i], fns[i]());
	if (j) {
		rc = json_dumpf(j, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER) || puts("") < 0;
		json_decref(j);
	} else if (strcmp(argv[1], "receipt-file")) {
		fprintf(stderr, "gen_vectors: usage: gen_vectors "
			"keys|link|envelopes|receipt|receipt-file\n");
	}
	teardown();
	return rc;
}
