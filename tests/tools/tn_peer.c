/* SPDX-License-Identifier: Apache-2.0 */
/* tn_peer: a test peer with a real node identity that speaks (or abuses) the
 * link protocol over a blocking socket, runs one scenario (lib/tp_sc_*.c)
 * against a node and exits 0 when the node reacted as it should. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/tp.h"

#define ENV(...) ST_UP, 10, { __VA_ARGS__ }
static const struct scenario scenarios[] = {
	{ "hello-ping", sc_hello_ping, "HELLO, link ping: expect pong", ST_UP, 10 },
	{ "env-ping", sc_env, "sealed ping envelope: expect a pong envelope", ENV(.want = 1) },
	{ "env-ping-signed", sc_env, "same, signed: expect a pong", ENV(.want = 1, .sign = 1) },
	{ "replay", sc_env, "one envelope twice: expect one pong", ENV(.want = 1, .replays = 1) },
	{ "env-save", sc_env_save, "FILE: a ping envelope, answered, kept in FILE", ENV(.want = 1) },
	{ "bad-digest", sc_bad_digest, "answer the node's trace request with a wrong digest: acked",
	  ST_UP, 20 },
	{ "reused-ref", sc_reused_ref, "two trace requests under one ref: the second answered "
	  "conflict", ST_UP, 20 },
	{ "short-answer", sc_short_answer, "answer the node's stolen query one result short, "
	  "twice: the second dropped", ST_UP, 30 },
	{ "asks", sc_asks, "answer the node's stolen_queries with a hit among others and a qid "
	  "nobody asked; ask it a hit and a miss; then 1200 items: each as PROTOCOL.md 10.3.2 says",
	  ST_UP, 40, { 0 }, "ping," TN_FEATURE_ASKS },
	{ "env-resend", sc_env_resend, "FILE: that envelope again: no pong", ENV(.want = 0) },
	{ "stale", sc_env, "ts 10 min ago: no pong", ENV(.skew_ms = -600000) },
	{ "future", sc_env, "ts in 10 min: no pong", ENV(.skew_ms = 600000) },
	{ "forged-from", sc_env, "from = --other (pinned): no pong", ENV(.from_other = 1) },
	{ "not-for-me", sc_env, "to = --other or ZZZ: no pong", ENV(.to_other = 1) },
	{ "bad-box", sc_env, "one body byte flipped: no pong", ENV(.flip = 1) },
	{ "unknown-type", sc_env, "type no_such_type: no pong", ENV(.type = "no_such_type") },
	{ "unsolicited", sc_env, "a stolen_result nobody asked for: dropped",
	  ENV(.type = "stolen_result") },
	{ "bad-sig", sc_env, "signed by --other-id DIR: no pong", ENV(.sign_other = 1) },
	{ "garbage-frame", sc_garbage_frame, "non-msgpack frame: link survives", ST_UP, 10 },
	{ "garbage", sc_garbage, "raw bytes under TLS: expect close", ST_UP, 10 },
	{ "oversize", sc_oversize, "frame header of 64 MiB: expect close", ST_UP, 10 },
	{ "wrong-hello-name", sc_wrong_hello_name, "HELLO as --other: close", ST_TLS, 10 },
	{ "bad-version", sc_bad_version, "HELLO version 42: expect close", ST_TLS, 10 },
	{ "bad-suites", sc_bad_suites, "HELLO with suites 12,21: expect close", ST_TLS, 10 },
	{ "frame-before-hello", sc_frame_before_hello, "ping first: close", ST_TLS, 10 },
	{ "no-hello", sc_no_hello, "TLS, then silence: close (10 s)", ST_TLS, 20 },
	{ "unpinned", sc_unpinned, "key not pinned: refused in TLS", ST_TCP, 10 },
	{ "slowloris", sc_slowloris, "half a ClientHello: close (10 s)", ST_TCP, 20 },
	{ "truncated-then-silence", sc_truncated, "half a frame: close (30 s)", ST_UP, 50 },
	{ "flood", sc_flood, "[N] N pings at once: N pongs", ST_UP, 120 },
	{ "rst-handshake", sc_rst_handshake, "[N] ClientHello + RST: survives", ST_TCP, 30 },
	{ "rst-flood", sc_rst_flood, "[N] pings + RST: node survives", ST_UP, 60 },
	{ "rst-stalled", sc_rst_stalled, "[N] pongs unread + RST: survives", ST_UP, 60 },
	{ "witness", sc_witness, "checkpoints of our log, good and bad: each answered as the "
	  "witness's rules say; then what the node holds", ST_UP, 30 },
	{ "witness-answer", sc_witness_answer, "MODE: answer the node's checkpoint_get with none, "
	  "forged, rewritten or behind (--other-id: the node's dir) or (silent) nothing", ST_UP,
	  30 },
	{ "cosignatures", sc_cosignatures, "answers to the node's checkpoints, refused (twice) and "
	  "cosigning one it never made: each acked", ST_UP, 30 },
	{ NULL, NULL, NULL, ST_TCP, 0, { 0 } },
};
#undef ENV

/* ---- main ---- */

static int usage(void)
{
	fprintf(stderr, "usage: tn_peer DIR HOST:PORT SCENARIO [ARGS] [--name NAME] "
			"[--pin-card CARD] [--other NAME] [--other-id DIR] [--timeout S]\n"
			"       tn_peer --list\nscenarios:\n");
	for (const struct scenario *s = scenarios; s->name; s++)
		fprintf(stderr, "  %-24s %s\n", s->name, s->help);
	return 2;
}

/* The name under [node] in DIR/tracenet.conf. */
static int conf_name(const char *dir, char out[static TN_NAME_LEN])
{
	char path[4096], line[256], v[8];
	FILE *f;
	int rc = TN_ERR_NOT_FOUND;

	snprintf(path, sizeof(path), "%s/tracenet.conf", dir);
	if (!(f = fopen(path, "r")))
		return TN_ERR_IO;
	while (rc && fgets(line, sizeof(line), f))
		if (sscanf(line, " name = %7s", v) == 1 && strlen(v) == 3) {
			memcpy(out, v, TN_NAME_LEN);
			rc = 0;
		}
	fclose(f);
	return rc;
}

struct args {
	char *pos[8];
	int npos, timeout_s;
	const char *name, *card, *other_dir;
};

static int parse_args(struct tp *t, struct args *a, int argc, char **argv)
{
	struct cx_card c;

	for (int i = 1; i < argc; i++) {
		const char *o = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;

		if (strncmp(o, "--", 2)) {
			if (a->npos == (int)(sizeof(a->pos) / sizeof(a->pos[0])))
				return -1;
			a->pos[a->npos++] = argv[i];
			continue;
		}
		if (!v)
			return -1;
		i++;
		if (!strcmp(o, "--name"))
			a->name = v;
		else if (!strcmp(o, "--pin-card"))
			a->card = v;
		else if (!strcmp(o, "--other"))
			t->other = v;
		else if (!strcmp(o, "--other-id"))
			a->other_dir = v;
		else if (!strcmp(o, "--timeout"))
			a->timeout_s = atoi(v);
		else
			return -1;
	}
	if (a->card) {
		if (cx_card_parse(&c, a->card))
			return -1;
		memcpy(t->pin_pk, c.pk, CX_PK_LEN);
		t->have_pin = 1;
	}
	return a->npos >= 3 ? 0 : -1;
}

/* Identity, name and TLS context from the node directory. */
static int setup(struct tp *t, const struct args *a)
{
	const char *dir = a->pos[0];
	int rc;

	if ((rc = cx_init()) || (rc = cx_id_load(&t->id, dir)))
		return fprintf(stderr, "tn_peer: %s: %s\n", dir, tn_strerror(rc)), rc;
	if (a->other_dir && (rc = cx_id_load(&t->other_id, a->other_dir)))
		return fprintf(stderr, "tn_peer: %s: %s\n", a->other_dir, tn_strerror(rc)), rc;
	if (a->name)
		snprintf(t->name, sizeof(t->name), "%s", a->name);
	else if ((rc = conf_name(dir, t->name)))
		return fprintf(stderr, "tn_peer: no name in %s/tracenet.conf\n", dir), rc;
	if ((rc = cx_tls_ctx_new(&t->ctx, t->id, tp_pin, t)))
		return fprintf(stderr, "tn_peer: TLS context: %s\n", cx_tls_error()), rc;
	return 0;
}

static void teardown(struct tp *t)
{
	if (t->tls && !t->eof && !cx_tls_close(t->tls))
		(void)tp_flush(t);
	if (t->fd >= 0)
		close(t->fd);
	cx_tls_free(t->tls);
	cx_tls_ctx_free(t->ctx);
	cx_id_free(t->id);
	cx_id_free(t->other_id);
	proto_framer_free(&t->in);
	proto_buf_free(&t->out);
	proto_buf_free(&t->scratch);
	proto_buf_free(&t->copy);
}

static int run(struct tp *t)
{
	int rc = tp_reach(t, t->sc->stage);

	if (rc == TN_ERR_INVALID || rc == TN_ERR_IO)
		return tp_say(t, 1, "cannot connect to %s: %s", t->addr,
			      rc == TN_ERR_INVALID ? "not a numeric HOST:PORT" : strerror(errno));
	if (rc)
		return tp_say(t, 1, "no %s with the node: %s", t->tls ? "HELLO" : "TLS",
			      tp_ended(rc));
	return t->sc->fn(t);
}

int main(int argc, char **argv)
{
	struct tp t = { .fd = -1, .answer_pings = 1 };
	struct args a = { .npos = 0 };
	int rc = 2;

	if (argc == 2 && !strcmp(argv[1], "--list")) {
		for (t.sc = scenarios; t.sc->name; t.sc++)
			printf("%s\n", t.sc->name);
		return 0;
	}
	if (parse_args(&t, &a, argc, argv))
		return usage();
	for (t.sc = scenarios; t.sc->name && strcmp(t.sc->name, a.pos[2]); t.sc++)
		;
	if (!t.sc->name)
		return usage();
	t.scenario = t.sc->name;
	t.addr = a.pos[1];
	t.argc = a.npos - 3;
	t.argv = a.pos + 3;
	t.start = tp_mono_ms();
	t.deadline = t.start + 1000 * (a.timeout_s > 0 ? a.timeout_s : t.sc->timeout_s);
	cx_random(&t.seq, sizeof(t.seq));
	t.seq >>= 16;
	if (!setup(&t, &a))
		rc = run(&t);
	teardown(&t);
	return rc;
}
