/* SPDX-License-Identifier: Apache-2.0 */
/* Whom a signed file must come from, for tracectl verify of receipts and
 * audit exports alike: the key or card the operator gives, or the pinned
 * peers of the node at -d DIR. */
#include <string.h>

#include "ctl.h"
#include "../../crypto/cx.h"

int ctl_pinned_holder(struct ctl *c, const uint8_t pk[CX_PK_LEN], char name[TN_NAME_LEN])
{
	struct tn_peer_list l = { 0 };
	struct proto_msg *m;
	uint8_t k[CX_PK_LEN];
	int rc;

	name[0] = '\0';
	if (ctl_call(c, CMD_PEER_LIST, NULL, &m))
		return 1;
	if ((rc = proto_msg_decode(m, "data", &proto_peer_list_schema, &l)) == 0)
		for (uint32_t i = 0; i < l.n; i++)
			if (!cx_key_parse(l.peers[i].key, k) && !memcmp(k, pk, CX_PK_LEN))
				memcpy(name, l.peers[i].name, TN_NAME_LEN);
	proto_release(&proto_peer_list_schema, &l);
	proto_msg_free(m);
	return rc ? ctl_fail("cannot read the peer list of %s", c->dir) : 0;
}

int ctl_expected_signer(int argc, char **argv, uint8_t pk[CX_PK_LEN], char name[TN_NAME_LEN],
			int *given)
{
	char text[CX_CARD_LEN];
	struct cx_card card;

	*given = 0;
	name[0] = '\0';
	if (argc == 0)
		return 0;
	*given = 1;
	if (argc == 2 && !strcmp(argv[0], "--key"))
		return cx_key_parse(argv[1], pk) ? ctl_fail("--key %s is not a public key (as in "
							   "a card: 43 characters)", argv[1]) : 0;
	if (argc != 2 || strcmp(argv[0], "--card"))
		return ctl_fail("usage: verify " CTL_VERIFY_USAGE);
	if (ctl_read_card(1, argv + 1, text, sizeof(text)))
		return 1;
	text[strcspn(text, "\r\n")] = '\0';
	if (cx_card_parse(&card, text))
		return ctl_fail("--card: not a valid node card (tncard1 NAME KEY ADDR CHECK)");
	memcpy(pk, card.pk, CX_PK_LEN);
	memcpy(name, card.name, TN_NAME_LEN);
	return 0;
}
