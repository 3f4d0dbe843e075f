/* SPDX-License-Identifier: Apache-2.0 */
/* TLS 1.3 over memory BIOs: a context with a self-signed certificate made
 * from the node's Ed25519 key, and sessions that accept a peer only when its
 * certificate key passes the pin callback. No sockets, no threads. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include "cx_int.h"

#define CERT_CN "tracenet"
#define CERT_DAYS (20 * 365)

struct cx_tls_ctx {
	SSL_CTX *ssl;
	cx_pin_fn pin;
	void *pin_arg;
};

struct cx_tls {
	SSL *ssl;          /* owns both BIOs */
	BIO *rbio;         /* bytes from the peer, filled by cx_tls_feed */
	BIO *wbio;         /* bytes for the peer, emptied by cx_tls_drain */
	cx_pin_fn pin;     /* copied, so the context may go first */
	void *pin_arg;
	int leaf;          /* 0 not seen yet, 1 an Ed25519 key, -1 anything else */
	int pinned;        /* 0 not checked yet, 1 accepted, -1 refused */
	int done;          /* handshake complete with a pinned peer */
	int err;           /* sticky error once the session has failed */
	uint8_t peer_pk[CX_PK_LEN];
};

/* Self-signed X.509v3 certificate for key; only its key matters, since
 * peers pin keys and ignore the chain. */
static int make_cert(EVP_PKEY *key, X509 **out)
{
	X509 *x = X509_new();
	X509_NAME *name;
	uint64_t serial;
	int ret = TN_ERR_TLS;

	if (!x)
		goto out;
	cx_random(&serial, sizeof serial);
	name = X509_get_subject_name(x);
	if (X509_set_version(x, X509_VERSION_3) != 1 ||
	    ASN1_INTEGER_set_uint64(X509_get_serialNumber(x), serial >> 1) != 1 ||
	    !X509_gmtime_adj(X509_getm_notBefore(x), -86400) ||
	    !X509_time_adj_ex(X509_getm_notAfter(x), CERT_DAYS, 0, NULL) ||
	    X509_set_pubkey(x, key) != 1 ||
	    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
				       (const unsigned char *)CERT_CN, -1, -1, 0) != 1 ||
	    X509_set_issuer_name(x, name) != 1 ||
	    X509_sign(x, key, NULL) <= 0) /* no digest for Ed25519 */
		goto out;
	*out = x;
	x = NULL;
	ret = 0;
out:
	X509_free(x);
	return ret;
}

/* 1 if the leaf certificate holds an Ed25519 key (kept in peer_pk). */
static int read_leaf(struct cx_tls *t, X509 *leaf)
{
	EVP_PKEY *k = leaf ? X509_get0_pubkey(leaf) : NULL;
	size_t len = CX_PK_LEN;

	if (!k || !EVP_PKEY_is_a(k, "ED25519"))
		return -1;
	if (EVP_PKEY_get_raw_public_key(k, t->peer_pk, &len) != 1 || len != CX_PK_LEN)
		return -1;
	return 1;
}

/* Chain errors (self-signed, unknown issuer, dates) are ignored: only the
 * leaf's Ed25519 key counts. A server asks whether it is pinned only once
 * the handshake is complete, after CertificateVerify proved the client
 * holds the key: a prober showing a key it does not hold fails the same
 * way whether that key is pinned or not, so it learns nothing of our pins.
 * A client asks at once, so it never shows its own certificate to a
 * server it did not mean to reach. */
static int verify_cb(int ok, X509_STORE_CTX *xs)
{
	SSL *ssl = X509_STORE_CTX_get_ex_data(xs, SSL_get_ex_data_X509_STORE_CTX_idx());
	struct cx_tls *t = ssl ? SSL_get_app_data(ssl) : NULL;

	if (!t)
		return 0;
	if (t->leaf == 0)
		t->leaf = read_leaf(t, X509_STORE_CTX_get0_cert(xs));
	if (t->leaf > 0 && !SSL_is_server(ssl) && t->pinned == 0)
		t->pinned = t->pin(t->pin_arg, t->peer_pk) == 0 ? 1 : -1;
	if (t->leaf < 0 || t->pinned < 0) {
		X509_STORE_CTX_set_error(xs, X509_V_ERR_CERT_REJECTED);
		return 0;
	}
	if (!ok)
		X509_STORE_CTX_set_error(xs, X509_V_OK);
	return 1;
}

static int ctx_config(SSL_CTX *s)
{
	if (SSL_CTX_set_min_proto_version(s, TLS1_3_VERSION) != 1 ||
	    SSL_CTX_set_max_proto_version(s, TLS1_3_VERSION) != 1 ||
	    SSL_CTX_set_num_tickets(s, 0) != 1 ||
	    SSL_CTX_set1_sigalgs_list(s, "ed25519") != 1 ||
	    SSL_CTX_set1_client_sigalgs_list(s, "ed25519") != 1)
		return TN_ERR_TLS;
	SSL_CTX_set_options(s, SSL_OP_NO_TICKET | SSL_OP_NO_RENEGOTIATION);
	SSL_CTX_set_session_cache_mode(s, SSL_SESS_CACHE_OFF);
	SSL_CTX_set_verify(s, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, verify_cb);
	return 0;
}

int cx_tls_ctx_new(struct cx_tls_ctx **out, const struct cx_id *id,
		   cx_pin_fn pin, void *pin_arg)
{
	struct cx_tls_ctx *c = NULL;
	EVP_PKEY *key = NULL;
	X509 *cert = NULL;
	int ret = TN_ERR_INVALID;

	*out = NULL;
	if (!pin)
		goto out;
	ret = TN_ERR_NOMEM;
	c = calloc(1, sizeof *c);
	if (!c)
		goto out;
	ret = TN_ERR_TLS;
	/* OpenSSL keeps its copy of the seed in memory it wipes on free. */
	key = EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, NULL, id->seed, sizeof id->seed);
	if (!key || make_cert(key, &cert))
		goto out;
	c->ssl = SSL_CTX_new(TLS_method());
	if (!c->ssl || ctx_config(c->ssl) ||
	    SSL_CTX_use_certificate(c->ssl, cert) != 1 ||
	    SSL_CTX_use_PrivateKey(c->ssl, key) != 1 ||
	    SSL_CTX_check_private_key(c->ssl) != 1)
		goto out;
	c->pin = pin;
	c->pin_arg = pin_arg;
	*out = c;
	c = NULL;
	ret = 0;
out:
	X509_free(cert);
	EVP_PKEY_free(key);
	cx_tls_ctx_free(c);
	return ret;
}

void cx_tls_ctx_free(struct cx_tls_ctx *ctx)
{
	if (!ctx)
		return;
	SSL_CTX_free(ctx->ssl);
	free(ctx);
}

int cx_tls_new(struct cx_tls **out, struct cx_tls_ctx *ctx, int is_server)
{
	struct cx_tls *t = calloc(1, sizeof *t);
	BIO *r = BIO_new(BIO_s_mem()), *w = BIO_new(BIO_s_mem());
	SSL *ssl = SSL_new(ctx->ssl);
	int ret = TN_ERR_NOMEM;

	*out = NULL;
	if (!t || !r || !w || !ssl || SSL_set_app_data(ssl, t) != 1)
		goto out;
	SSL_set_bio(ssl, r, w);
	if (is_server)
		SSL_set_accept_state(ssl);
	else
		SSL_set_connect_state(ssl);
	t->ssl = ssl;
	t->rbio = r;
	t->wbio = w;
	t->pin = ctx->pin;
	t->pin_arg = ctx->pin_arg;
	*out = t;
	return 0;
out:
	SSL_free(ssl);
	BIO_free(r);
	BIO_free(w);
	free(t);
	return ret;
}

void cx_tls_free(struct cx_tls *t)
{
	if (!t)
		return;
	SSL_free(t->ssl);
	free(t);
}

int cx_tls_feed(struct cx_tls *t, const void *data, size_t n)
{
	const uint8_t *p = data;

	while (n) {
		int chunk = n > INT_MAX ? INT_MAX : (int)n;
		int w = BIO_write(t->rbio, p, chunk);

		if (w <= 0)
			return TN_ERR_NOMEM;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/* Map a failed SSL call: 0 when it only wants more input, otherwise the
 * error, which sticks to the session. */
static int tls_fail(struct cx_tls *t, int r)
{
	switch (SSL_get_error(t->ssl, r)) {
	case SSL_ERROR_WANT_READ:
	case SSL_ERROR_WANT_WRITE:
		return 0;
	case SSL_ERROR_ZERO_RETURN:
		t->err = TN_ERR_CLOSED;
		break;
	default:
		t->err = t->pinned < 0 ? TN_ERR_UNKNOWN_PEER : TN_ERR_TLS;
		break;
	}
	return t->err;
}

int cx_tls_handshake(struct cx_tls *t)
{
	int r;

	if (t->err)
		return t->err;
	if (t->done)
		return 1;
	ERR_clear_error();
	r = SSL_do_handshake(t->ssl);
	if (r != 1)
		return tls_fail(t, r);
	/* The peer proved it holds its key: now, and only now, is it pinned? */
	if (t->pinned == 0)
		t->pinned = t->leaf > 0 && t->pin(t->pin_arg, t->peer_pk) == 0 ? 1 : -1;
	if (t->pinned < 0) {
		t->err = TN_ERR_UNKNOWN_PEER;
		return t->err;
	}
	t->done = 1;
	return 1;
}

int cx_tls_read(struct cx_tls *t, void *buf, size_t cap)
{
	size_t got = 0;
	int r;

	if (t->err)
		return t->err;
	if (!t->done) {
		r = cx_tls_handshake(t);
		if (r <= 0)
			return r;
	}
	if (cap == 0)
		return 0;
	ERR_clear_error();
	r = SSL_read_ex(t->ssl, buf, cap > INT_MAX ? INT_MAX : cap, &got);
	if (r != 1)
		return tls_fail(t, r);
	return (int)got;
}

int cx_tls_write(struct cx_tls *t, const void *data, size_t n)
{
	size_t done = 0;
	int r;

	if (t->err)
		return t->err;
	if (!t->done)
		return TN_ERR_AGAIN;
	if (n == 0)
		return 0;
	ERR_clear_error();
	/* Without partial writes, and with a memory BIO that always takes
	 * everything, SSL_write_ex encrypts all n bytes or fails. */
	r = SSL_write_ex(t->ssl, data, n, &done);
	if (r != 1) {
		r = tls_fail(t, r);
		return r ? r : TN_ERR_AGAIN;
	}
	return done == n ? 0 : TN_ERR_TLS;
}

/* Queue our close_notify (taken with cx_tls_drain). Also answers a peer's
 * close_notify, which left TN_ERR_CLOSED on the session. Calling it again
 * is harmless. Before the handshake there is nothing to close politely:
 * TN_ERR_AGAIN, as for cx_tls_write. */
int cx_tls_close(struct cx_tls *t)
{
	int r;

	if (t->err && t->err != TN_ERR_CLOSED)
		return t->err;
	if (!t->done)
		return TN_ERR_AGAIN;
	ERR_clear_error();
	/* 0: sent, the peer's close_notify not seen yet; 1: both sent. A
	 * repeated call waits for the peer's (WANT_READ), which is not an error. */
	r = SSL_shutdown(t->ssl);
	if (r >= 0)
		return 0;
	return tls_fail(t, r);
}

int cx_tls_drain(struct cx_tls *t, struct proto_buf *out)
{
	size_t pending;

	while ((pending = BIO_ctrl_pending(t->wbio)) > 0) {
		int chunk = pending > INT_MAX ? INT_MAX : (int)pending;
		int ret = proto_buf_reserve(out, (size_t)chunk);
		int r;

		if (ret)
			return ret;
		r = BIO_read(t->wbio, out->data + out->len, chunk);
		if (r <= 0)
			return TN_ERR_TLS;
		out->len += (size_t)r;
	}
	return 0;
}

int cx_tls_peer_pk(const struct cx_tls *t, uint8_t pk[static CX_PK_LEN])
{
	if (!t->done)
		return t->pinned < 0 ? TN_ERR_UNKNOWN_PEER : TN_ERR_AGAIN;
	memcpy(pk, t->peer_pk, CX_PK_LEN);
	return 0;
}

const char *cx_tls_error(void)
{
	static char line[512];
	size_t off = 0;
	unsigned long e;

	line[0] = '\0';
	while ((e = ERR_get_error()) != 0) {
		const char *lib = ERR_lib_error_string(e);
		const char *why = ERR_reason_error_string(e);
		int n;

		if (off >= sizeof line - 1)
			continue;
		n = snprintf(line + off, sizeof line - off, "%s%s: %s", off ? "; " : "",
			     lib ? lib : "OpenSSL", why ? why : "unknown error");
		if (n > 0)
			off += (size_t)n < sizeof line - off ? (size_t)n : sizeof line - off - 1;
	}
	return off ? line : "no TLS error recorded";
}
