/* SPDX-License-Identifier: Apache-2.0 */
/* PROTOCOL.md against the code: every map reachable from the message
 * registry, the link frames, the receipt and the audit export has a field
 * table there with the same fields, in order, with the same type, presence
 * and limit; and every message type, signing rule, purpose label and drop
 * reason is named. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "vec_util.h"

#define MAX_TABLES 64
#define CELLS 5

struct doc {
	char *text;
	char names[MAX_TABLES][64];   /* the tables checked so far */
	int n;
};

static char *read_doc(void)
{
	char path[512];
	long n;
	char *text;
	FILE *f;

	snprintf(path, sizeof path, "%s/PROTOCOL.md", vec_root());
	assert_non_null(f = fopen(path, "rb"));
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	n = ftell(f);
	rewind(f);
	assert_non_null(text = malloc((size_t)n + 1));
	assert_int_equal(fread(text, 1, (size_t)n, f), (size_t)n);
	text[n] = '\0';
	fclose(f);
	return text;
}

/* Split the table row at p into trimmed cells (backticks removed); the
 * count; *next gets the start of the following line. */
static int cells(const char *p, char out[CELLS][128], const char **next)
{
	const char *end = strchr(p, '\n');
	int n = 0;

	*next = end ? end + 1 : p + strlen(p);
	if (*p != '|')
		return 0;
	for (p++; p < *next && *p != '\n' && n < CELLS; n++) {
		const char *bar = memchr(p, '|', (size_t)(*next - p));
		size_t len = 0;

		if (!bar)
			break;
		while (p < bar && *p == ' ')
			p++;
		for (const char *q = p; q < bar; q++)
			if (*q != '`' && len < 127)
				out[n][len++] = *q;
		while (len && out[n][len - 1] == ' ')
			len--;
		out[n][len] = '\0';
		p = bar + 1;
	}
	return n;
}

static const char *type_word(const struct proto_field *f)
{
	static const char *const words[] = {
		[PF_STR] = "str", [PF_U64] = "uint64", [PF_I64] = "int64", [PF_BOOL] = "bool",
		[PF_BIN] = "bin", [PF_ARR] = "array", [PF_OBJ] = "map", [PF_U32] = "uint32",
		[PF_BLOB] = "bin",
	};

	return words[f->type];
}

/* Optional strings, arrays, blobs and maps are left out when empty; other
 * optional fields are always written (proto/encode.c). */
static const char *presence(const struct proto_field *f)
{
	if (f->flags & PF_REQ)
		return "required";
	if (f->type == PF_STR || f->type == PF_ARR || f->type == PF_BLOB || f->type == PF_OBJ)
		return "optional";
	return "optional, always sent";
}

static void limit(const struct proto_field *f, char out[64])
{
	if (f->type == PF_STR)
		snprintf(out, 64, "≤ %u bytes", f->size - 1);
	else if (f->type == PF_BIN)
		snprintf(out, 64, "%u bytes", f->size);
	else if (f->type == PF_BLOB)
		snprintf(out, 64, "≤ %u bytes", f->max);
	else if (f->type == PF_ARR)
		snprintf(out, 64, "≤ %u items", f->max);
	else
		snprintf(out, 64, "-");
}

static void check_cell(const char *table, const char *key, const char *got, const char *want)
{
	if (strcmp(got, want)) {
		print_error("PROTOCOL.md table '%s', field '%s': '%s', the code says '%s'\n",
			    table, key, got, want);
		fail();
	}
}

/* The table marked "<!-- schema: name -->" lists exactly s's fields. */
static void check_table(const struct doc *d, const char *name, const struct proto_schema *s)
{
	char marker[96], c[CELLS][128], lim[64];
	const char *p, *next;
	uint32_t i = 0;

	snprintf(marker, sizeof marker, "\n<!-- schema: %s -->\n", name);
	if (!(p = strstr(d->text, marker))) {
		print_error("PROTOCOL.md has no table for '%s' (%s)\n", name, s->name);
		fail();
	}
	assert_null(strstr(p + 1, marker));
	p += strlen(marker);
	assert_int_equal(cells(p, c, &next), CELLS);   /* header */
	assert_string_equal(c[0], "field");
	assert_int_equal(cells(next, c, &p), CELLS);   /* separator */
	for (; cells(p, c, &next) == CELLS; p = next, i++) {
		const struct proto_field *f = &s->fields[i];

		if (i == s->n) {
			print_error("PROTOCOL.md table '%s': extra field '%s'\n", name, c[0]);
			fail();
		}
		limit(f, lim);
		check_cell(name, f->key, c[0], f->key);
		check_cell(name, f->key, c[1], type_word(f));
		check_cell(name, f->key, c[2], presence(f));
		check_cell(name, f->key, c[3], lim);
		assert_true(strlen(c[4]) > 0);                   /* a meaning */
	}
	if (i != s->n) {
		print_error("PROTOCOL.md table '%s': field '%s' missing\n", name, s->fields[i].key);
		fail();
	}
}

/* Tables are named after the message, link frame or receipt they describe;
 * a map used in several places has one table; others are named by their
 * path ("stolen_result.results.report"). */
static const char *known_name(const struct proto_schema *s)
{
	static const struct { const struct proto_schema *s; const char *name; } known[] = {
		{ &proto_hello_schema, "hello" },     { &proto_ping_schema, "ping" },
		{ &proto_envelope_schema, "envelope" }, { &proto_env_header_schema, "header" },
		{ &proto_sealed_schema, "sealed" },   { &proto_receipt_schema, "receipt" },
		{ &proto_event_schema, "event" },
		{ &proto_audit_export_schema, "audit_export" },
		{ &proto_audit_anchor_schema, "audit_anchor" },
		{ &proto_audit_schema, "audit_entry" },
		{ &proto_audit_arg_schema, "audit_filter" },
		{ &proto_checkpoint_schema, "audit_checkpoint" },
	};

	for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
		if (known[i].s == s)
			return known[i].name;
	for (int t = 0; t < WIRE_COUNT; t++)
		if (wire_types[t].schema == s)
			return wire_types[t].name;
	return NULL;
}

static void walk(struct doc *d, const char *name, const struct proto_schema *s)
{
	for (int i = 0; i < d->n; i++)
		if (!strcmp(d->names[i], name))
			return;
	assert_true(d->n < MAX_TABLES);
	check_table(d, name, s);
	snprintf(d->names[d->n++], sizeof d->names[0], "%s", name);
	for (uint32_t i = 0; i < s->n; i++) {
		const struct proto_field *f = &s->fields[i];
		char sub[64];

		if (!f->sub)
			continue;
		if (known_name(f->sub))
			snprintf(sub, sizeof sub, "%s", known_name(f->sub));
		else
			snprintf(sub, sizeof sub, "%s.%s", name, f->key);
		walk(d, sub, f->sub);
	}
}

/* Walk every map from the link frames, the receipt, the audit export and
 * the registry. */
static void walk_all(struct doc *d)
{
	const struct proto_schema *roots[] = {
		&proto_hello_schema, &proto_ping_schema, &proto_envelope_schema,
		&proto_env_header_schema, &proto_sealed_schema, &proto_receipt_schema,
		&proto_audit_export_schema,
	};

	for (size_t i = 0; i < sizeof roots / sizeof roots[0]; i++)
		walk(d, known_name(roots[i]), roots[i]);
	for (int t = 0; t < WIRE_COUNT; t++)
		walk(d, known_name(wire_types[t].schema), wire_types[t].schema);
}

static void test_every_map_has_its_field_table(void **state)
{
	struct doc *d = *state;

	walk_all(d);
	assert_true(d->n >= 15);
}

/* No table describes a map the code does not have. */
static void test_no_table_is_stale(void **state)
{
	struct doc *d = *state;
	const char *tag = "\n<!-- schema: ";

	walk_all(d);
	for (const char *p = strstr(d->text, tag); p; p = strstr(p + 1, tag)) {
		const char *name = p + strlen(tag), *end = strstr(name, " -->");
		int found = 0;

		assert_non_null(end);
		for (int i = 0; i < d->n; i++)
			found |= strlen(d->names[i]) == (size_t)(end - name) &&
				 !strncmp(d->names[i], name, (size_t)(end - name));
		if (!found)
			print_error("PROTOCOL.md: table '%.*s' matches no map of the code\n",
				    (int)(end - name), name);
		assert_true(found);
	}
}

static const char *const sign_words[] = {
	[WIRE_SIGN_NEVER] = "never", [WIRE_SIGN_ALWAYS] = "always", [WIRE_SIGN_WHEN] = "when",
};

/* The registry table (10.1): one row per type, with its signing rule. */
static void test_registry_table_has_every_type_and_rule(void **state)
{
	struct doc *d = *state;
	const char *reg = strstr(d->text, "### 10.1 The registry");
	char c[CELLS][128];
	const char *p, *next;

	assert_non_null(reg);
	for (int t = 0; t < WIRE_COUNT; t++) {
		int found = 0;

		for (p = strstr(reg, "\n|") + 1; cells(p, c, &next) >= 4; p = next) {
			const char *word = sign_words[wire_types[t].sign];

			if (strcmp(c[0], wire_types[t].name))
				continue;
			found = 1;
			if (strncmp(c[3], word, strlen(word)))
				check_cell("registry", c[0], c[3], word);
		}
		if (!found)
			print_error("PROTOCOL.md registry: no row for '%s'\n", wire_types[t].name);
		assert_true(found);
	}
}

static void test_labels_and_drop_reasons_are_named(void **state)
{
	static const char *const reasons[] = {
#define REASON(r) #r,
		TN_DROP_REASONS(REASON)
#undef REASON
	};
	struct doc *d = *state;
	char want[96];

	for (int p = 0; p < CX_PURPOSES; p++) {
		snprintf(want, sizeof want, "| `%s` |", cx_label((enum cx_purpose)p));
		if (!strstr(d->text, want))
			print_error("PROTOCOL.md: no row for the label '%s'\n", want);
		assert_non_null(strstr(d->text, want));
	}
	for (size_t i = 0; i < sizeof reasons / sizeof reasons[0]; i++) {
		snprintf(want, sizeof want, "| `%s` |", reasons[i]);
		if (!strstr(d->text, want))
			print_error("PROTOCOL.md: no row for the drop reason '%s'\n", reasons[i]);
		assert_non_null(strstr(d->text, want));
	}
}

static int setup(void **state)
{
	struct doc *d = calloc(1, sizeof *d);

	assert_non_null(d);
	d->text = read_doc();
	*state = d;
	return 0;
}

static int teardown(void **state)
{
	struct doc *d = *state;

	free(d->text);
	free(d);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_map_has_its_field_table),
		cmocka_unit_test(test_no_table_is_stale),
		cmocka_unit_test(test_registry_table_has_every_type_and_rule),
		cmocka_unit_test(test_labels_and_drop_reasons_are_named),
	};

	return cmocka_run_group_tests_name("protocol_doc", tests, setup, teardown);
}
