/* SPDX-License-Identifier: Apache-2.0 */
/* tracectl verify: check a receipt offline against the signer the operator
 * expects (a key, a card, or the pinned peers of a node), and say who
 * signed what, for whom and when. A valid signature by an unexpected key
 * is a failure: the key inside a receipt proves nothing by itself. A file
 * that is no receipt may be an audit export (verify_export.c). */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ctl.h"
#include "../../crypto/cx.h"

#define VERIFY_FILE_MAX PROTO_CONSOLE_FRAME_MAX  /* an export of TN_BATCH_MAX entries fits */

/* What the check found, for either output. */
struct verdict {
	char signer_fingerprint[CX_FP_LEN];
	char signer_key[CX_KEY_TEXT_LEN];
	char signer_peer[TN_NAME_LEN];     /* the pinned peer holding the key */
	char recipient_fingerprint[CX_FP_LEN];
	char from[TN_NAME_LEN];
	char to[TN_NAME_LEN];
	char type[TN_KIND_LEN];
	uint64_t ts;
	char time[32];
};

static const struct proto_field verdict_fields[] = {
	PF_STR_OF(struct verdict, signer_fingerprint, 0),
	PF_STR_OF(struct verdict, signer_key, 0),
	PF_STR_OF(struct verdict, signer_peer, 0),
	PF_STR_OF(struct verdict, recipient_fingerprint, 0),
	PF_STR_OF(struct verdict, from, 0),
	PF_STR_OF(struct verdict, to, 0),
	PF_STR_OF(struct verdict, type, 0),
	PF_U64_OF(struct verdict, ts, 0),  /* a time, not an id: a number */
	PF_STR_OF(struct verdict, time, 0),
};
static const struct proto_schema verdict_schema = PROTO_SCHEMA(struct verdict, verdict_fields);

int ctl_save_receipt(const char *path, const uint8_t *data, uint32_t n)
{
	FILE *f;

	if (!n)
		return ctl_fail("no receipt to write");
	if (!(f = fopen(path, "wx")))
		return ctl_fail("cannot create %s (it must not exist)", path);
	if (fwrite(data, 1, n, f) != n || fclose(f))
		return ctl_fail("cannot write %s", path);
	return 0;
}

/* The whole file at path, less than VERIFY_FILE_MAX bytes (free *buf). */
static int read_file(const char *path, uint8_t **buf, size_t *n)
{
	size_t cap = 0, got;
	uint8_t *b = NULL, *more;
	FILE *f;
	int rc = 0;

	*n = 0;
	if (!(f = fopen(path, "r")))
		return ctl_fail("cannot open %s", path);
	for (;;) {
		if (*n == cap && cap == VERIFY_FILE_MAX) {
			rc = ctl_fail("%s is too large", path);
			break;
		}
		if (*n == cap) {
			cap = cap ? 2 * cap : 1u << 16;
			if (!(more = realloc(b, cap))) {
				rc = ctl_fail("out of memory");
				break;
			}
			b = more;
		}
		if (!(got = fread(b + *n, 1, cap - *n, f)))
			break;
		*n += got;
	}
	fclose(f);
	if (rc)
		free(b);
	else
		*buf = b;
	return rc;
}

/* Is the signer the one expected? Fills v->signer_peer. */
static int check_signer(struct ctl *c, const struct tn_receipt *r, int argc, char **argv,
			struct verdict *v)
{
	uint8_t want[CX_PK_LEN];
	char name[TN_NAME_LEN];
	int given;

	if (ctl_expected_signer(argc, argv, want, name, &given))
		return 1;
	if (given) {
		if (memcmp(want, r->pk, CX_PK_LEN))
			return ctl_fail("INVALID: signed by key %s, not by the key you gave%s%s",
					v->signer_fingerprint, name[0] ? " for " : "", name);
		memcpy(v->signer_peer, name, TN_NAME_LEN);
	} else if (!c->dir) {
		return ctl_fail("verify needs the signer you expect: --key KEY, --card CARD, or "
				"-d DIR (a node whose pinned peers to trust)");
	} else if (ctl_pinned_holder(c, r->pk, v->signer_peer)) {
		return 1;
	} else if (!v->signer_peer[0]) {
		return ctl_fail("INVALID: signed by key %s, which no peer pinned by the node at "
				"%s holds", v->signer_fingerprint, c->dir);
	}
	if (v->signer_peer[0] && strcmp(v->signer_peer, r->hdr.from))
		return ctl_fail("INVALID: the receipt says it comes from %s, but %s signed it",
				v->from, v->signer_peer);
	return 0;
}

static void describe(const struct tn_receipt *r, struct verdict *v)
{
	time_t when = (time_t)(r->hdr.ts / 1000);
	struct tm tm;

	memset(v, 0, sizeof(*v));
	cx_fingerprint(r->pk, v->signer_fingerprint);
	cx_key_format(r->pk, v->signer_key);
	cx_fingerprint(r->to_pk, v->recipient_fingerprint);
	memcpy(v->from, r->hdr.from, sizeof(v->from));
	memcpy(v->to, r->hdr.to, sizeof(v->to));
	memcpy(v->type, r->hdr.type, sizeof(v->type));
	v->ts = r->hdr.ts;
	proto_strcpy(v->time, sizeof(v->time), "?");
	if (gmtime_r(&when, &tm))
		strftime(v->time, sizeof(v->time), "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* {verdict, message: the signed message decoded by its type's schema}, as
 * JSON of one shape per type. */
static int print_json(const struct verdict *v, const struct tn_receipt *r)
{
	int type = wire_type_of(r->hdr.type);
	const struct proto_schema *s;
	void *msg;
	int rc;

	if (type < 0)
		return type;
	s = wire_types[type].schema;
	if (!(msg = calloc(1, s->size)))
		return TN_ERR_NOMEM;
	rc = proto_decode(s, r->m, r->n_m, msg, NULL, 0);
	if (!rc)
		rc = proto_json_write_pair("verdict", &verdict_schema, v, "message", s, msg, stdout);
	proto_release(s, msg);
	free(msg);
	return rc;
}

static int print_text(const struct verdict *v, const struct tn_receipt *r)
{
	struct proto_msg *m = NULL;
	int rc;

	printf("valid signature by %s (key fingerprint %s) on a %s from %s to %s (key "
	       "fingerprint %s), sent %s\n", v->signer_peer[0] ? v->signer_peer : "the key given",
	       v->signer_fingerprint, ctl_str(v->type), ctl_str(v->from), ctl_str(v->to),
	       v->recipient_fingerprint, v->time);
	rc = proto_msg_parse(&m, r->m, r->n_m) || proto_msg_print(m, NULL, stdout);
	proto_msg_free(m);
	return rc;
}

static int verify_receipt(struct ctl *c, const struct tn_receipt *r, int argc, char **argv)
{
	struct verdict v;

	describe(r, &v);
	if (cx_init() || cx_env_verify(&r->hdr, r->m, r->n_m, r->sig, r->pk, r->to_pk))
		return ctl_fail("INVALID: the signature does not match this message");
	if (check_signer(c, r, argc, argv, &v))
		return 1;
	return (c->json ? print_json(&v, r) : print_text(&v, r)) ?
	       ctl_fail("the signed message does not decode") : 0;
}

/* A receipt, else an audit export, read from the file's bytes. */
static int verify(struct ctl *c, int argc, char **argv)
{
	char why_r[128], why_x[128];
	struct tn_audit_export x;
	struct tn_receipt r;
	uint8_t *buf = NULL;
	size_t n;
	int rc;

	if (argc < 1)
		return ctl_fail("usage: verify " CTL_VERIFY_USAGE);
	if (read_file(argv[0], &buf, &n))
		return 1;
	if (!proto_decode(&proto_receipt_schema, buf, n, &r, why_r, sizeof(why_r))) {
		rc = verify_receipt(c, &r, argc - 1, argv + 1);
		proto_release(&proto_receipt_schema, &r);
	} else if (!proto_decode(&proto_audit_export_schema, buf, n, &x, why_x, sizeof(why_x))) {
		rc = ctl_verify_export(c, &x, argc - 1, argv + 1);
		proto_release(&proto_audit_export_schema, &x);
	} else {
		rc = ctl_fail("%s is neither a receipt (%s) nor an audit export (%s)", argv[0],
			      why_r, why_x);
	}
	free(buf);
	return rc;
}

const struct ctl_cmd ctl_verify_cmds[] = {
	{ "verify", verify, CTL_VERIFY_USAGE " (a receipt or an audit export, offline; or -d DIR: "
	  "the signer must be a pinned peer, or that node for an export)" },
	{ NULL },
};
