/* SPDX-License-Identifier: Apache-2.0 */
/* libFuzzer target: the node configuration parser (inih + our key table).
 * fuzz-sources: node/config.c node/addr.c node/log.c */
#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "../../node/node.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct node_config c;
	char why[256], *text = malloc(size + 1);

	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	if (node_config_parse(&c, text, "fuzz", why, sizeof(why)) == 0) {
		assert(proto_country_check(c.name) == 0);
		assert(c.map_size && c.map_max >= c.map_size);
		assert(c.max_frame >= 1024 && c.max_frame <= (64u << 20));
		assert(c.listen[sizeof(c.listen) - 1] == '\0');
		if (c.advertise[0]) {
			char addr[CX_ADDR_LEN];

			assert(node_advertise(c.advertise, 7401, addr) == 0);
			assert(cx_card_addr_ok(addr) && !node_addr_wildcard(addr));
		}
	}
	free(text);
	return 0;
}
