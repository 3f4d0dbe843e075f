/* SPDX-License-Identifier: Apache-2.0 */
/* Two identities in fresh directories for the crypto unit tests; see
 * crypto_pair.h. */
#include <stdlib.h>

#include "crypto_pair.h"
#include "tmpdir.h"

int pair_teardown(void **state)
{
	struct pair *p = *state;

	cx_id_free(p->a);
	cx_id_free(p->b);
	tmpdir_rm(p->da);
	tmpdir_rm(p->db);
	free(p);
	return 0;
}

int pair_setup(void **state)
{
	struct pair *p = calloc(1, sizeof *p);

	if (!p)
		return -1;
	*state = p;
	p->da = tmpdir_new("tn-cx");
	p->db = tmpdir_new("tn-cx");
	if (!p->da || !p->db || cx_id_create(p->da) || cx_id_create(p->db) || cx_id_load(&p->a, p->da) ||
	    cx_id_load(&p->b, p->db)) {
		pair_teardown(state);
		return -1;
	}
	return 0;
}
