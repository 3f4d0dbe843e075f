/* SPDX-License-Identifier: Apache-2.0 */
/* Key rotation: the next key beside node.key (node.key.next, made and
 * checked as node.key is), its promotion (node.key kept as node.key.old,
 * node.key.next renamed over node.key), and the notice both keys sign
 * ("tracenet/1 rotation" NUL || {node, old_pk, new_pk, ts}). */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cx_int.h"
#include "../proto/proto.h"

#define NEXT_FILE "node.key.next"
#define OLD_FILE "node.key.old"
#define PUB_TMP "node.pub.tmp"

int cx_id_next_create(const char *dir)
{
	return cx__key_create(dir, NEXT_FILE, NULL);
}

int cx_id_next_load(struct cx_id **out, const char *dir)
{
	return cx__key_load(out, dir, NEXT_FILE);
}

int cx_id_next_discard(const char *dir)
{
	char path[PATH_MAX];
	int rc = cx__path(path, dir, NEXT_FILE);

	if (!rc && unlink(path) < 0 && errno != ENOENT)
		rc = cx__errno_err(errno);
	return rc ? rc : cx__sync_dir(dir);
}

/* node.pub through a temporary file, so that it is never half written. */
static int replace_pub(const char *dir, const uint8_t pk[static CX_PK_LEN])
{
	char tmp[PATH_MAX], pub[PATH_MAX];
	int rc;

	if ((rc = cx__path(tmp, dir, PUB_TMP)) || (rc = cx__path(pub, dir, PUB_FILE)))
		return rc;
	unlink(tmp);
	if ((rc = cx__write_pub(tmp, pk)))
		return rc;
	if (rename(tmp, pub) < 0) {
		rc = cx__errno_err(errno);
		unlink(tmp);
	}
	return rc;
}

int cx_id_promote(const char *dir, const struct cx_id *next)
{
	char key[PATH_MAX], nxt[PATH_MAX], old[PATH_MAX];
	int rc;

	if ((rc = cx__path(key, dir, KEY_FILE)) || (rc = cx__path(nxt, dir, NEXT_FILE)) ||
	    (rc = cx__path(old, dir, OLD_FILE)))
		return rc;
	/* node.key stays in place until the rename replaces it atomically: a
	 * crash at any point leaves a node.key that loads. */
	if (unlink(old) < 0 && errno != ENOENT)
		return cx__errno_err(errno);
	if (link(key, old) < 0 || rename(nxt, key) < 0)
		return cx__errno_err(errno);
	if ((rc = replace_pub(dir, next->pk)))
		return rc;
	return cx__sync_dir(dir);
}

/* Sign (id not NULL) or verify (by pk) the notice's body. */
static int body_sig(const struct tn_key_rotation *r, const struct cx_id *id,
		    const uint8_t *pk, uint8_t sig[static CX_SIG_LEN])
{
	struct proto_buf b = { 0 };
	struct cx_part part;
	int rc;

	if (!(rc = proto_encode(&proto_key_rotation_body_schema, r, &b))) {
		part = (struct cx_part){ b.data, b.len };
		rc = id ? cx_sign_for(id, CX_ROTATION, &part, 1, sig) :
			  cx_verify_for(pk, CX_ROTATION, &part, 1, sig);
	}
	proto_buf_free(&b);
	return rc;
}

int cx_rotation_sign(const struct cx_id *old, const struct cx_id *next, struct tn_key_rotation *r)
{
	int rc;

	memcpy(r->old_pk, old->pk, CX_PK_LEN);
	memcpy(r->new_pk, next->pk, CX_PK_LEN);
	if ((rc = body_sig(r, old, NULL, r->sig_old)))
		return rc;
	return body_sig(r, next, NULL, r->sig_new);
}

int cx_rotation_verify(const struct tn_key_rotation *r)
{
	uint8_t x[crypto_scalarmult_curve25519_BYTES], sig[CX_SIG_LEN];
	int rc;

	/* The new key must serve as the old did: Ed25519 and X25519 both. */
	if (!sodium_memcmp(r->old_pk, r->new_pk, CX_PK_LEN) ||
	    crypto_sign_ed25519_pk_to_curve25519(x, r->new_pk) != 0)
		return TN_ERR_INVALID;
	memcpy(sig, r->sig_old, sizeof(sig));
	if ((rc = body_sig(r, NULL, r->old_pk, sig)))
		return rc;
	memcpy(sig, r->sig_new, sizeof(sig));
	return body_sig(r, NULL, r->new_pk, sig);
}
