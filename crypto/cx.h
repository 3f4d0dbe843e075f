/* SPDX-License-Identifier: Apache-2.0 */
/* cx: node identity (Ed25519), key files, signatures, per-peer sealing
 * keys (X25519 derived from Ed25519), node cards, and TLS 1.3 sessions
 * over memory buffers with pinned peer keys. Only this module includes
 * libsodium and OpenSSL. */
#ifndef TN_CX_H
#define TN_CX_H

#include <stddef.h>
#include <stdint.h>

#include "../proto/wire.h"

#define CX_KEY_FILE "node.key"   /* in the node directory */
#define CX_PK_LEN 32
#define CX_SIG_LEN 64
#define CX_KEY_LEN 32     /* precomputed crypto_box shared key */
#define CX_NONCE_LEN 24
#define CX_MAC_LEN 16
#define CX_FP_LEN 32      /* printable fingerprint, NUL included */
#define CX_CARD_LEN 256
#define CX_ADDR_LEN 64
#define CX_KEY_TEXT_LEN 44 /* a public key in URL-safe base64, NUL included */

struct cx_id;

/* Initialise libsodium and OpenSSL; call once before anything else. */
int cx_init(void) TN_WUR;

/* ---- identity ---- */

/* Generate a key pair and write it to dir/node.key (0600, O_EXCL) and
 * dir/node.pub. Fails with TN_ERR_EXISTS if a key is already there. */
int cx_id_create(const char *dir) TN_WUR;
/* Load dir/node.key; TN_ERR_PERM if the file is readable by others. The
 * secret lives in guarded memory. */
int cx_id_load(struct cx_id **out, const char *dir) TN_WUR;
/* Wipe and free an identity. */
void cx_id_free(struct cx_id *id);
/* The identity's Ed25519 public key. */
const uint8_t *cx_id_pk(const struct cx_id *id);
/* Printable fingerprint of a public key ("3F2A-91C0-...": 12 bytes of BLAKE2b in hex). */
void cx_fingerprint(const uint8_t pk[static CX_PK_LEN], char out[static CX_FP_LEN]);

/* ---- key rotation (rotate.c) ---- */

/* Make the next key pair in dir/node.key.next (0600, O_EXCL). */
int cx_id_next_create(const char *dir) TN_WUR;
/* Load dir/node.key.next (TN_ERR_NOT_FOUND when there is none). */
int cx_id_next_load(struct cx_id **out, const char *dir) TN_WUR;
/* Remove dir/node.key.next (a key never announced). */
int cx_id_next_discard(const char *dir) TN_WUR;
/* Make next (loaded from node.key.next) the node's key: node.key is kept
 * as node.key.old, node.key.next renamed over node.key, node.pub rewritten. */
int cx_id_promote(const char *dir, const struct cx_id *next) TN_WUR;
/* Fill r's old_pk and new_pk and both signatures of its body (node and ts
 * set by the caller), by old and by next ("tracenet/1 rotation"). */
int cx_rotation_sign(const struct cx_id *old, const struct cx_id *next,
		     struct tn_key_rotation *r) TN_WUR;
/* 0 when sig_old is old_pk's and sig_new is new_pk's signature of r's
 * body, TN_ERR_BAD_SIG when one is not, TN_ERR_INVALID when new_pk is
 * old_pk or not usable for both Ed25519 and X25519. */
int cx_rotation_verify(const struct tn_key_rotation *r) TN_WUR;

/* ---- file descriptors ---- */

/* Write all n bytes to fd, retrying on EINTR; 0 or a TN_ERR_* code. */
int cx_write_all(int fd, const void *p, size_t n) TN_WUR;
/* Read exactly n bytes from fd; TN_ERR_INVALID if it ends first. */
int cx_read_all(int fd, void *p, size_t n) TN_WUR;

/* ---- signatures and digests, each labelled with its purpose ---- */

/* What a hash or signature is for; its label is hashed or signed first. */
enum cx_purpose {
	CX_HEADER,      /* h: an envelope's authenticated header */
	CX_REQUEST,     /* request_digest: a signed trace request message */
	CX_ENVELOPE,    /* a message with legal weight: to_pk || h || m */
	CX_CHECKPOINT,  /* a node's signed audit checkpoint */
	CX_ROTATION,    /* a node's key rotation notice, by the old and the new key */
	CX_EXPORT,      /* a signed extract of the audit log */
	CX_ANCHOR,      /* where the front of the audit log was cut (retention) */
	CX_COSIGN,      /* a witness's signature of another node's checkpoint */
	CX_PURPOSES
};

/* One piece of the signed bytes. */
struct cx_part {
	const void *p;
	size_t n;
};

/* The label of a purpose ("tracenet/1 envelope"), used with its NUL. */
const char *cx_label(enum cx_purpose p);
/* BLAKE2b-256 of label NUL || m. */
void cx_hash_for(enum cx_purpose p, const void *m, size_t n, uint8_t out[static 32]);
/* Ed25519 signature of label NUL || parts, in order. */
int cx_sign_for(const struct cx_id *id, enum cx_purpose p, const struct cx_part *parts,
		size_t n_parts, uint8_t sig[static CX_SIG_LEN]) TN_WUR;
/* 0 if sig is pk's signature of label NUL || parts, else TN_ERR_BAD_SIG. */
int cx_verify_for(const uint8_t pk[static CX_PK_LEN], enum cx_purpose p,
		  const struct cx_part *parts, size_t n_parts,
		  const uint8_t sig[static CX_SIG_LEN]) TN_WUR;

/* ---- signed audit documents ---- */

struct tn_audit;
struct tn_audit_anchor;
struct tn_audit_export;

/* An audit entry's hash: BLAKE2b-256(prev || msgpack of the entry without
 * its hash), as the audit log chains them. */
int cx_audit_hash(const struct tn_audit *a, uint8_t out[static 32]) TN_WUR;
/* Sign x's body (every field but sig) as id's export: fills x->sig. */
int cx_export_sign(const struct cx_id *id, struct tn_audit_export *x) TN_WUR;
/* Sign the checkpoint's body ("tracenet/1 checkpoint") into cp->sig. */
int cx_checkpoint_sign(const struct cx_id *id, struct tn_checkpoint *cp) TN_WUR;
/* 0 if cp->sig is pk's signature of cp's body, else TN_ERR_BAD_SIG. */
int cx_checkpoint_verify(const uint8_t pk[static CX_PK_LEN], const struct tn_checkpoint *cp) TN_WUR;
/* A witness's signature of cp's body ("tracenet/1 cosignature"). */
int cx_cosign(const struct cx_id *id, const struct tn_checkpoint *cp,
	      uint8_t sig[static CX_SIG_LEN]) TN_WUR;
/* 0 if sig is witness pk's cosignature of cp, else TN_ERR_BAD_SIG. */
int cx_cosign_verify(const uint8_t pk[static CX_PK_LEN], const struct tn_checkpoint *cp,
		     const uint8_t sig[static CX_SIG_LEN]) TN_WUR;
/* Sign the anchor's body ("tracenet/1 audit anchor") into a->sig. */
int cx_anchor_sign(const struct cx_id *id, struct tn_audit_anchor *a) TN_WUR;
/* 0 if a->sig is pk's signature of the anchor's body, else TN_ERR_BAD_SIG. */
int cx_anchor_verify(const uint8_t pk[static CX_PK_LEN], const struct tn_audit_anchor *a) TN_WUR;
/* One problem an export check found, in a line; seq names the entry (0:
 * the export itself). */
typedef void (*cx_export_problem_fn)(void *arg, uint64_t seq, const char *what);
/* Check an export by itself: its signature and its anchor's by x->key,
 * then each entry's hash, its place (ascending, not before the anchor,
 * not after the head) and its link to the entry, anchor or start before
 * it, and the head's hash. Calls fn for each problem; returns how many
 * there were, or a negative error. Whether x->key is the node's key is
 * for the caller to decide. */
int cx_export_check(const struct tn_audit_export *x, cx_export_problem_fn fn, void *arg) TN_WUR;

/* ---- sealing (crypto_box with precomputed keys) ---- */

/* Shared key between us and peer_pk (Ed25519 keys converted to X25519);
 * compute once per peer. TN_ERR_CRYPTO for a bad peer key. */
int cx_shared_key(const struct cx_id *id, const uint8_t peer_pk[static CX_PK_LEN],
		  uint8_t key[static CX_KEY_LEN]) TN_WUR;
/* Encrypt m (n bytes) into c (n + CX_MAC_LEN bytes). */
void cx_seal(const uint8_t key[static CX_KEY_LEN], const uint8_t nonce[static CX_NONCE_LEN],
	     const void *m, size_t n, uint8_t *c);
/* Decrypt c (n bytes, n >= CX_MAC_LEN) into m (n - CX_MAC_LEN bytes);
 * TN_ERR_BAD_BOX if it does not authenticate. */
int cx_open(const uint8_t key[static CX_KEY_LEN], const uint8_t nonce[static CX_NONCE_LEN],
	    const uint8_t *c, size_t n, uint8_t *m) TN_WUR;
/* Fill buf with random bytes. */
void cx_random(void *buf, size_t n);
/* Constant-time equality of n bytes: 0 if equal. */
int cx_memcmp(const void *a, const void *b, size_t n);
/* Wipe n bytes. */
void cx_wipe(void *p, size_t n);
/* n bytes for a secret, in locked memory between guard pages (NULL when
 * out of memory); cx_secret_free wipes and frees it. */
void *cx_secret_new(size_t n);
void cx_secret_free(void *p);
/* BLAKE2b-256 of m. */
void cx_hash(const void *m, size_t n, uint8_t out[static 32]);

/* ---- replay window ---- */

#define CX_REPLAY_BUCKETS 18  /* of span/10 each: the span, the future skew, spares */

struct cx_replay_bucket {
	uint64_t epoch;           /* ts / (span / 10) of every id inside */
	uint64_t *fp;             /* keyed hashes of id and ts; 0: free */
	uint32_t cap, n;
};

/* The envelope ids of one peer seen within span_ms, at most max of them. */
struct cx_replay {
	struct cx_replay_bucket b[CX_REPLAY_BUCKETS];
	size_t n, max;
	uint64_t span_ms;
	uint64_t probes;          /* slots compared so far (cost accounting) */
	uint8_t key[16];          /* SipHash key */
};

/* An empty window for at most max ids over span_ms. */
void cx_replay_init(struct cx_replay *r, size_t max, uint64_t span_ms);
/* 0 if id is new (and remembers it), TN_ERR_REPLAY if seen, TN_ERR_LIMIT
 * if the window is full of unexpired ids. */
int cx_replay_check(struct cx_replay *r, const uint8_t id[static TN_ID_LEN], uint64_t ts,
		    uint64_t now) TN_WUR;
/* Bytes the window holds for its ids now. */
size_t cx_replay_bytes(const struct cx_replay *r);
/* Free the window's memory (it is empty again). */
void cx_replay_free(struct cx_replay *r);

/* ---- node cards ---- */

/* What a node gives its neighbours out of band. */
struct cx_card {
	char name[TN_NAME_LEN];
	uint8_t pk[CX_PK_LEN];
	char addr[CX_ADDR_LEN];      /* host:port, [v6]:port */
	char fp[CX_FP_LEN];
};

/* A public key from its text form (URL-safe base64, no padding, as in
 * cards); TN_ERR_INVALID unless it is a usable Ed25519 key. */
int cx_key_parse(const char *text, uint8_t pk[static CX_PK_LEN]) TN_WUR;
/* The text form of a public key. */
void cx_key_format(const uint8_t pk[static CX_PK_LEN], char out[static CX_KEY_TEXT_LEN]);
/* One-line text form: "tncard1 NAME KEY ADDR CHECK". */
int cx_card_format(const struct cx_card *c, char *out, size_t cap) TN_WUR;
/* Parse and check a card (name, key, address, checksum). */
int cx_card_parse(struct cx_card *c, const char *text) TN_WUR;
/* Non-zero if a is a card address: host:port with a DNS name or dotted
 * IPv4 host, or [IPv6]:port. */
int cx_card_addr_ok(const char *a);

/* ---- TLS 1.3 with pinned Ed25519 keys, over memory buffers ---- */

struct cx_tls_ctx;
struct cx_tls;

/* Return 0 to accept a peer presenting pk, non-zero to refuse it. */
typedef int (*cx_pin_fn)(void *arg, const uint8_t pk[CX_PK_LEN]);

/* Context with a self-signed certificate made from id's key; every
 * session requires the peer's certificate key to pass pin(). */
int cx_tls_ctx_new(struct cx_tls_ctx **out, const struct cx_id *id,
		   cx_pin_fn pin, void *pin_arg) TN_WUR;
/* Free a context. */
void cx_tls_ctx_free(struct cx_tls_ctx *ctx);
/* New session, client or server side. */
int cx_tls_new(struct cx_tls **out, struct cx_tls_ctx *ctx, int is_server) TN_WUR;
/* Free a session. */
void cx_tls_free(struct cx_tls *t);
/* Give the session bytes received from the socket. */
int cx_tls_feed(struct cx_tls *t, const void *data, size_t n) TN_WUR;
/* Advance the handshake: 1 when done, 0 when it needs more input, or an
 * error (TN_ERR_UNKNOWN_PEER when pin() refused the peer). */
int cx_tls_handshake(struct cx_tls *t) TN_WUR;
/* Read decrypted bytes: count, 0 when none are ready, TN_ERR_CLOSED on a
 * close_notify, or an error. */
int cx_tls_read(struct cx_tls *t, void *buf, size_t cap) TN_WUR;
/* Queue a close_notify for the peer (then drain). */
int cx_tls_close(struct cx_tls *t);
/* Encrypt n bytes for sending. */
int cx_tls_write(struct cx_tls *t, const void *data, size_t n) TN_WUR;
/* Take the bytes waiting to go to the socket: appended to out. */
int cx_tls_drain(struct cx_tls *t, struct proto_buf *out) TN_WUR;
/* The peer's verified key (valid once the handshake is done). */
int cx_tls_peer_pk(const struct cx_tls *t, uint8_t pk[static CX_PK_LEN]) TN_WUR;
/* ---- envelopes (see DESIGN.md "Envelope") ---- */

/* Seal message m (n bytes) for the node whose key is to_pk into e: e's
 * routing header (v, suite, type, from, to, ts, ttl) is set by the caller;
 * id and nonce are drawn here. The box holds h, the labelled hash of the
 * authenticated header, m, and when sign is set the sender's signature
 * (CX_ENVELOPE) over to_pk || h || m. */
int cx_env_seal(struct tn_envelope *e, const struct cx_id *id, const uint8_t key[static CX_KEY_LEN],
		const uint8_t to_pk[static CX_PK_LEN], const void *m, size_t n, int sign) TN_WUR;
/* cx_env_seal with the envelope id and nonce given (test vectors). */
int cx_env_seal_with(struct tn_envelope *e, const struct cx_id *id,
		     const uint8_t key[static CX_KEY_LEN], const uint8_t to_pk[static CX_PK_LEN],
		     const void *m, size_t n, int sign, const uint8_t id_nonce[static 40]) TN_WUR;
/* Open e with the shared key; checks h, and any signature as from_pk's for
 * the recipient to_pk. On success out holds the decoded box (release with
 * proto_release(&proto_sealed_schema, out)); out->n_s is 0 for unsigned. */
int cx_env_open(const struct tn_envelope *e, const uint8_t key[static CX_KEY_LEN],
		const uint8_t from_pk[static CX_PK_LEN], const uint8_t to_pk[static CX_PK_LEN],
		struct tn_sealed *out) TN_WUR;
/* The signature a sealed envelope with header hdr and message m carries,
 * made by id for to_pk (receipts, vectors). */
int cx_env_sign(const struct tn_envelope *hdr, const struct cx_id *id,
		const uint8_t to_pk[static CX_PK_LEN], const void *m, size_t n,
		uint8_t sig[static CX_SIG_LEN]) TN_WUR;
/* Check a receipt: header + message + signature of from_pk for to_pk,
 * verifiable by anyone holding both public keys. */
int cx_env_verify(const struct tn_envelope *hdr, const void *m, size_t n,
		  const uint8_t sig[static CX_SIG_LEN], const uint8_t from_pk[static CX_PK_LEN],
		  const uint8_t to_pk[static CX_PK_LEN]) TN_WUR;

/* One line describing the last TLS error (drains OpenSSL's queue). */
const char *cx_tls_error(void);

#include "cx_oprf.h"

#endif
