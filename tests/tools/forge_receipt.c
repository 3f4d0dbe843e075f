/* SPDX-License-Identifier: Apache-2.0 */
/* forge_receipt: the adversary of `tracectl verify`. Re-signs a receipt's
 * header and message with another node's key and puts that key in it, so
 * the signature is valid but the signer is not who the receipt claims. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../crypto/cx.h"
#include "../../proto/rows.h"

int main(int argc, char **argv)
{
	static uint8_t buf[1 << 20];
	struct proto_buf out = { 0 };
	struct tn_receipt r;
	struct cx_id *id;
	size_t n;
	FILE *f;
	int rc = 1;

	if (argc != 4) {
		fprintf(stderr, "usage: forge_receipt IN OUT KEY-DIR\n");
		return 2;
	}
	if (!(f = fopen(argv[1], "rb")))
		return 1;
	n = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	if (cx_init() || proto_decode(&proto_receipt_schema, buf, n, &r, NULL, 0))
		return 1;
	if (!cx_id_load(&id, argv[3]) && !cx_env_sign(&r.hdr, id, r.to_pk, r.m, r.n_m, r.sig)) {
		memcpy(r.pk, cx_id_pk(id), CX_PK_LEN);
		if (!proto_encode(&proto_receipt_schema, &r, &out) && (f = fopen(argv[2], "wb"))) {
			rc = fwrite(out.data, 1, out.len, f) != out.len;
			rc |= fclose(f) != 0;
		}
		cx_id_free(id);
	}
	proto_release(&proto_receipt_schema, &r);
	proto_buf_free(&out);
	return rc;
}
