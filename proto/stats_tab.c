/* SPDX-License-Identifier: Apache-2.0 */
/* The counted rows of the stats computation: an array of rows and an
 * open-addressing hash over their keys. */
#include <stdlib.h>
#include <string.h>

#include "stats_int.h"

static uint32_t hash(const uint8_t *p, size_t n)
{
	uint32_t h = 2166136261u;

	for (size_t i = 0; i < n; i++)
		h = (h ^ p[i]) * 16777619u;
	return h;
}

/* The slot holding key, or the empty one where it belongs. */
static uint32_t *slot_of(struct stats__tab *t, const void *key)
{
	uint32_t mask = t->n_slots - 1, i = hash(key, t->klen) & mask;

	while (t->slots[i] &&
	       memcmp(t->rows + (size_t)(t->slots[i] - 1) * t->size, key, t->klen))
		i = (i + 1) & mask;
	return &t->slots[i];
}

/* Twice the slots (at least 64), every row placed again. */
static int rehash(struct stats__tab *t)
{
	uint32_t n = t->n_slots ? t->n_slots * 2 : 64;
	uint32_t *slots = calloc(n, sizeof(*slots));

	if (!slots)
		return TN_ERR_NOMEM;
	free(t->slots);
	t->slots = slots;
	t->n_slots = n;
	for (uint32_t i = 0; i < t->n; i++)
		*slot_of(t, t->rows + (size_t)i * t->size) = i + 1;
	return 0;
}

void *stats__tab_get(struct stats__tab *t, const void *key)
{
	uint32_t *s;
	uint8_t *row;

	if ((uint64_t)(t->n + 1) * 2 > t->n_slots && rehash(t))
		return NULL;
	s = slot_of(t, key);
	if (*s)
		return t->rows + (size_t)(*s - 1) * t->size;
	if (proto_grow((void **)&t->rows, t->n, &t->cap, t->size))
		return NULL;
	row = t->rows + (size_t)t->n * t->size;
	memset(row, 0, t->size);
	memcpy(row, key, t->klen);
	*s = ++t->n;
	return row;
}

void stats__tab_free(struct stats__tab *t)
{
	free(t->rows);
	free(t->slots);
	t->rows = NULL;
	t->slots = NULL;
	t->n = t->cap = t->n_slots = 0;
}

int stats__vals_add(struct stats__vals *l, uint32_t v)
{
	if (proto_grow((void **)&l->v, l->n, &l->cap, sizeof(*l->v)))
		return TN_ERR_NOMEM;
	l->v[l->n++] = v;
	return 0;
}
