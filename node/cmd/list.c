/* SPDX-License-Identifier: Apache-2.0 */
/* Listings: the rows a store walk yields, deep-copied into the array of
 * the command's reply, which is sent once the walk is over. */
#include <assert.h>

#include "cmd.h"

int cmd_list(struct console_req *r, const void *args, cmd_walk_fn walk)
{
	const struct proto_schema *s = tn_cmds[console_cmd(r)].reply;
	struct cmd_list l = { .args = args, .f = &s->fields[0] };
	struct store_txn *t;
	int rc;

	assert(s->n == 1 && l.f->type == PF_ARR);
	if (!(l.list = console_alloc(r, s, s->size)))
		return TN_ERR_NOMEM;
	if ((rc = store_read_begin(console_node(r)->store, &t)))
		return rc;
	rc = walk(t, &l);
	store_read_end(t);
	if (rc < 0)
		return rc;
	console_ok(r, s, l.list);
	return 0;
}

int cmd_list_add(struct cmd_list *l, const void *row, void **added)
{
	char *list = l->list;
	void **items = (void **)(list + l->f->off);
	uint32_t *n = (uint32_t *)(list + l->f->cnt_off);
	int rc = node_collect(items, n, &l->cap, l->f->sub, row);

	if (!rc && added)
		*added = (char *)*items + (size_t)(*n - 1) * l->f->sub->size;
	return rc;
}
