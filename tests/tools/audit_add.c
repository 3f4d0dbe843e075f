/* SPDX-License-Identifier: Apache-2.0 */
/* audit_add: append entries to a stopped node's audit log, chained and
 * hashed as the node does, with the fields given (any time, user, officer,
 * case or peer), so that the filters and exports can be tested on entries
 * the console cannot make on demand, and in any number. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../crypto/cx.h"
#include "../../store/store.h"

static void hash(const void *m, size_t n, uint8_t out[32])
{
	cx_hash(m, n, out);
}

struct appends {
	struct tn_audit a;
	long n;
};

static int append(struct store_txn *t, void *arg)
{
	struct appends *ap = arg;
	int rc = 0;

	for (long i = 0; i < ap->n && !rc; i++)
		rc = store_audit_append(t, &ap->a, hash);
	return rc;
}

/* FIELD=VALUE arguments into a. */
static int fields(struct tn_audit *a, int argc, char **argv)
{
	for (int i = 0; i < argc; i++) {
		char key[32], *eq = strchr(argv[i], '=');

		if (!eq || eq - argv[i] >= (long)sizeof(key)) {
			fprintf(stderr, "audit_add: '%s' is not FIELD=VALUE\n", argv[i]);
			return 2;
		}
		snprintf(key, sizeof(key), "%.*s", (int)(eq - argv[i]), argv[i]);
		if (proto_field_set(&proto_audit_schema, a, key, eq + 1)) {
			fprintf(stderr, "audit_add: bad field '%s'\n", argv[i]);
			return 2;
		}
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct appends ap = { .n = 1 };
	struct store *s;
	int rc;

	if (argc > 3 && !strcmp(argv[1], "-n")) {
		ap.n = strtol(argv[2], NULL, 10);
		argv += 2;
		argc -= 2;
	}
	if (argc < 2 || ap.n < 1) {
		fprintf(stderr, "usage: audit_add [-n COUNT] NODE-DIR [FIELD=VALUE]... (ts=MS "
				"dir=in type=stolen_query peer=MEX user=ana officer=O-1 "
				"case_ref=C-9)\n");
		return 2;
	}
	if (fields(&ap.a, argc - 2, argv + 2))
		return 2;
	if (cx_init() || store_open(&s, argv[1], 0, 0)) {
		fprintf(stderr, "audit_add: cannot open the store of %s\n", argv[1]);
		return 1;
	}
	if ((rc = store_write(s, append, &ap)))
		fprintf(stderr, "audit_add: %s\n", tn_strerror(rc));
	else
		printf("%llu\n", (unsigned long long)ap.a.seq);
	store_close(s);
	return rc ? 1 : 0;
}
