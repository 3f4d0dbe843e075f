/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests of crypto/ TLS 1.3 sessions, pumped through memory: pinned
 * handshakes both ways, data, refusals of unpinned keys, and closing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../../crypto/cx.h"
#include "tmpdir.h"

struct tls_fix {
	char *dir[3];
	struct cx_id *id[3]; /* client, server, stranger */
};

static int tls_teardown(void **state)
{
	struct tls_fix *f = *state;

	for (int i = 0; i < 3; i++) {
		cx_id_free(f->id[i]);
		tmpdir_rm(f->dir[i]);
	}
	free(f);
	return 0;
}

static int tls_setup(void **state)
{
	struct tls_fix *f = calloc(1, sizeof *f);

	if (!f)
		return -1;
	*state = f;
	for (int i = 0; i < 3; i++) {
		f->dir[i] = tmpdir_new("tn-cx");
		if (!f->dir[i] || cx_id_create(f->dir[i]) || cx_id_load(&f->id[i], f->dir[i])) {
			tls_teardown(state);
			return -1;
		}
	}
	return 0;
}

static int pin_calls;

/* arg is the one key to accept. */
static int pin_one(void *arg, const uint8_t pk[CX_PK_LEN])
{
	pin_calls++;
	return memcmp(arg, pk, CX_PK_LEN) != 0;
}

struct link {
	struct cx_tls_ctx *cctx, *sctx;
	struct cx_tls *c, *s;
	int rc_c, rc_s;
};

/* Client pins cpin, server pins spin. */
static void link_open(struct link *l, struct tls_fix *f, const uint8_t *cpin,
		      const uint8_t *spin)
{
	memset(l, 0, sizeof *l);
	assert_int_equal(cx_tls_ctx_new(&l->cctx, f->id[0], pin_one, (void *)cpin), 0);
	assert_int_equal(cx_tls_ctx_new(&l->sctx, f->id[1], pin_one, (void *)spin), 0);
	assert_int_equal(cx_tls_new(&l->c, l->cctx, 0), 0);
	assert_int_equal(cx_tls_new(&l->s, l->sctx, 1), 0);
}

static void link_close(struct link *l)
{
	cx_tls_free(l->c);
	cx_tls_free(l->s);
	cx_tls_ctx_free(l->cctx);
	cx_tls_ctx_free(l->sctx);
	(void)cx_tls_error(); /* leave OpenSSL's queue empty */
}

/* Move everything from one session's output to the other's input. */
static size_t move(struct cx_tls *from, struct cx_tls *to)
{
	struct proto_buf b = { 0 };
	size_t n;

	assert_int_equal(cx_tls_drain(from, &b), 0);
	n = b.len;
	if (n)
		assert_int_equal(cx_tls_feed(to, b.data, b.len), 0);
	proto_buf_free(&b);
	return n;
}

static void pump(struct link *l)
{
	for (int i = 0; i < 16; i++) {
		if (l->rc_c == 0)
			l->rc_c = cx_tls_handshake(l->c);
		move(l->c, l->s);
		if (l->rc_s == 0)
			l->rc_s = cx_tls_handshake(l->s);
		move(l->s, l->c);
		if (l->rc_c && l->rc_s)
			return;
	}
}

/* Read everything available into out, which has room for want bytes. */
static size_t read_all(struct cx_tls *t, uint8_t *out, size_t want)
{
	size_t got = 0;
	int r;

	while ((r = cx_tls_read(t, out + got, want - got)) > 0)
		got += (size_t)r;
	assert_int_equal(r, 0);
	return got;
}

static void test_tls_handshake_completes_when_both_pin(void **state)
{
	struct tls_fix *f = *state;
	uint8_t pk[CX_PK_LEN];
	struct link l;

	link_open(&l, f, cx_id_pk(f->id[1]), cx_id_pk(f->id[0]));
	assert_int_equal(cx_tls_peer_pk(l.c, pk), TN_ERR_AGAIN);
	pump(&l);
	assert_int_equal(l.rc_c, 1);
	assert_int_equal(l.rc_s, 1);
	assert_int_equal(cx_tls_peer_pk(l.c, pk), 0);
	assert_memory_equal(pk, cx_id_pk(f->id[1]), CX_PK_LEN);
	assert_int_equal(cx_tls_peer_pk(l.s, pk), 0);
	assert_memory_equal(pk, cx_id_pk(f->id[0]), CX_PK_LEN);
	assert_int_equal(cx_tls_handshake(l.c), 1);
	link_close(&l);
}

static void test_tls_data_round_trips_both_ways(void **state)
{
	struct tls_fix *f = *state;
	enum { BIG = 100 * 1024 };
	uint8_t *big = malloc(BIG), *out = malloc(BIG + 1), small[64];
	struct link l;

	assert_non_null(big);
	assert_non_null(out);
	cx_random(big, BIG);
	link_open(&l, f, cx_id_pk(f->id[1]), cx_id_pk(f->id[0]));
	assert_int_equal(cx_tls_write(l.c, "early", 5), TN_ERR_AGAIN);
	pump(&l);
	assert_int_equal(cx_tls_read(l.s, small, sizeof small), 0);

	assert_int_equal(cx_tls_write(l.c, "hello server", 12), 0);
	move(l.c, l.s);
	assert_int_equal(read_all(l.s, small, sizeof small), 12);
	assert_memory_equal(small, "hello server", 12);

	assert_int_equal(cx_tls_write(l.s, big, BIG), 0);
	move(l.s, l.c);
	assert_int_equal(read_all(l.c, out, BIG + 1), BIG);
	assert_memory_equal(out, big, BIG);

	assert_int_equal(cx_tls_write(l.c, big, BIG), 0);
	assert_int_equal(cx_tls_write(l.c, "!", 1), 0);
	move(l.c, l.s);
	assert_int_equal(read_all(l.s, out, BIG + 1), BIG + 1);
	assert_memory_equal(out, big, BIG);
	assert_int_equal(out[BIG], '!');
	link_close(&l);
	free(big);
	free(out);
}

static void test_tls_server_refuses_unpinned_client(void **state)
{
	struct tls_fix *f = *state;
	uint8_t pk[CX_PK_LEN], buf[16];
	struct link l;

	/* The server only knows the stranger. */
	link_open(&l, f, cx_id_pk(f->id[1]), cx_id_pk(f->id[2]));
	pin_calls = 0;
	pump(&l);
	assert_int_equal(l.rc_s, TN_ERR_UNKNOWN_PEER);
	assert_true(pin_calls >= 2);
	assert_int_equal(cx_tls_peer_pk(l.s, pk), TN_ERR_UNKNOWN_PEER);
	assert_int_equal(cx_tls_write(l.s, "x", 1), TN_ERR_UNKNOWN_PEER);
	assert_true(strlen(cx_tls_error()) > 0);
	/* TLS 1.3 clients finish first; the server then hangs up without a
	 * word (no alert that would tell a prober why). */
	assert_int_equal(l.rc_c, 1);
	assert_int_equal(cx_tls_read(l.c, buf, sizeof buf), 0);
	link_close(&l);
}

/* The server asks whether a client's key is pinned only once the client's
 * whole last flight is in (Certificate, CertificateVerify, Finished): a
 * prober showing a key it does not hold is refused by the signature check
 * before the pin is consulted, so pinned and unpinned keys look the same. */
static void test_tls_server_asks_the_pin_only_after_the_proof(void **state)
{
	struct tls_fix *f = *state;
	struct proto_buf flight = { 0 };
	struct link l;
	size_t at = 0;
	int rc = 0;

	link_open(&l, f, cx_id_pk(f->id[1]), cx_id_pk(f->id[2]));
	assert_int_equal(cx_tls_handshake(l.c), 0);          /* ClientHello */
	move(l.c, l.s);
	assert_int_equal(cx_tls_handshake(l.s), 0);          /* server's flight */
	move(l.s, l.c);
	assert_int_equal(cx_tls_handshake(l.c), 1);          /* client done */
	assert_int_equal(cx_tls_drain(l.c, &flight), 0);
	assert_true(flight.len > 100);
	pin_calls = 0;
	for (size_t i = 0; i < flight.len && !rc; i++) {
		assert_int_equal(cx_tls_feed(l.s, flight.data + i, 1), 0);
		rc = cx_tls_handshake(l.s);
		if (pin_calls && !at)
			at = i + 1;
	}
	assert_int_equal(rc, TN_ERR_UNKNOWN_PEER);
	assert_int_equal(pin_calls, 1);
	assert_int_equal(at, flight.len);
	proto_buf_free(&flight);
	link_close(&l);
}

static void test_tls_client_refuses_unpinned_server(void **state)
{
	struct tls_fix *f = *state;
	uint8_t pk[CX_PK_LEN];
	struct link l;

	/* The client only knows the stranger. */
	link_open(&l, f, cx_id_pk(f->id[2]), cx_id_pk(f->id[0]));
	pump(&l);
	assert_int_equal(l.rc_c, TN_ERR_UNKNOWN_PEER);
	assert_int_equal(l.rc_s, TN_ERR_TLS);
	assert_int_equal(cx_tls_peer_pk(l.c, pk), TN_ERR_UNKNOWN_PEER);
	assert_int_equal(cx_tls_handshake(l.c), TN_ERR_UNKNOWN_PEER);
	link_close(&l);
}

static void test_tls_close_makes_peer_read_closed(void **state)
{
	struct tls_fix *f = *state;
	uint8_t buf[16];
	struct link l;

	link_open(&l, f, cx_id_pk(f->id[1]), cx_id_pk(f->id[0]));
	assert_int_equal(cx_tls_close(l.c), TN_ERR_AGAIN); /* no session yet */
	pump(&l);
	assert_int_equal(cx_tls_write(l.c, "bye", 3), 0);
	assert_int_equal(cx_tls_close(l.c), 0);
	assert_int_equal(cx_tls_close(l.c), 0); /* again: harmless, sends nothing */
	assert_true(move(l.c, l.s) > 0);
	/* Data sent before the close_notify still arrives, then the close. */
	assert_int_equal(cx_tls_read(l.s, buf, sizeof buf), 3);
	assert_memory_equal(buf, "bye", 3);
	assert_int_equal(cx_tls_read(l.s, buf, sizeof buf), TN_ERR_CLOSED);
	assert_int_equal(cx_tls_read(l.s, buf, sizeof buf), TN_ERR_CLOSED);
	/* The server answers with its own close_notify. */
	assert_int_equal(cx_tls_close(l.s), 0);
	assert_true(move(l.s, l.c) > 0);
	assert_int_equal(cx_tls_read(l.c, buf, sizeof buf), TN_ERR_CLOSED);
	assert_int_equal(cx_tls_close(l.c), 0);
	link_close(&l);
}

static void test_tls_refuses_garbage_and_close_keeps_the_error(void **state)
{
	struct tls_fix *f = *state;
	static const char junk[] = "GET / HTTP/1.1\r\n\r\n";
	struct link l;

	link_open(&l, f, cx_id_pk(f->id[1]), cx_id_pk(f->id[0]));
	assert_int_equal(cx_tls_feed(l.s, junk, sizeof junk - 1), 0);
	assert_int_equal(cx_tls_handshake(l.s), TN_ERR_TLS);
	assert_int_equal(cx_tls_close(l.s), TN_ERR_TLS);
	link_close(&l);
}

static void test_tls_ctx_needs_pin(void **state)
{
	struct tls_fix *f = *state;
	struct cx_tls_ctx *ctx = (void *)1;

	assert_int_equal(cx_tls_ctx_new(&ctx, f->id[0], NULL, NULL), TN_ERR_INVALID);
	assert_null(ctx);
}

int main(void)
{
	const struct CMUnitTest tls[] = {
		cmocka_unit_test(test_tls_handshake_completes_when_both_pin),
		cmocka_unit_test(test_tls_data_round_trips_both_ways),
		cmocka_unit_test(test_tls_server_refuses_unpinned_client),
		cmocka_unit_test(test_tls_server_asks_the_pin_only_after_the_proof),
		cmocka_unit_test(test_tls_client_refuses_unpinned_server),
		cmocka_unit_test(test_tls_close_makes_peer_read_closed),
		cmocka_unit_test(test_tls_refuses_garbage_and_close_keeps_the_error),
		cmocka_unit_test(test_tls_ctx_needs_pin),
	};

	if (cx_init() != 0)
		return 1;
	return cmocka_run_group_tests_name("crypto_tls", tls, tls_setup, tls_teardown);
}
