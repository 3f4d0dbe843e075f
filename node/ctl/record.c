/* SPDX-License-Identifier: Apache-2.0 */
/* tracectl status and record commands. */
#include "ctl.h"

static int record_show(struct ctl *c, int argc, char **argv)
{
	struct tn_id_arg a = { 0 };

	if (argc != 1)
		return ctl_fail("usage: record show ID");
	if (ctl_parse_id("record", argv[0], &a.id))
		return 1;
	return ctl_run(c, CMD_RECORD_SHOW, &a, ctl_print_record);
}

static int record_event(struct ctl *c, int argc, char **argv)
{
	struct tn_event_arg a = { 0 };

	if (argc < 1)
		return ctl_fail("usage: record event ID --kind KIND --date DATE ...");
	if (ctl_parse_id("record", argv[0], &a.id) ||
	    ctl_opts(&proto_event_schema, &a.event, argc - 1, argv + 1))
		return 1;
	if (!a.event.kind[0])
		return ctl_fail("--kind KIND is required (manufactured, imported, sold, transferred, "
				"exported, destroyed, stolen, lost or recovered)");
	if (!a.event.date[0])
		return ctl_fail("--date YYYY-MM-DD is required");
	return ctl_run(c, CMD_RECORD_EVENT, &a, ctl_print_record);
}

/* record find --fuzzy: ranked candidates for a serial as it was read. */
static int record_match(struct ctl *c, int argc, char **argv)
{
	struct tn_match_arg a = { 0 };

	if (ctl_opts(&proto_match_arg_schema, &a, argc, argv))
		return 1;
	if (!a.serial[0])
		return ctl_fail("usage: record find --fuzzy --serial S [--make M] [--model M] "
				"[--caliber C] [--type T] [--limit K]");
	return ctl_run(c, CMD_RECORD_MATCH, &a, ctl_print_cand_list);
}

static int record_find(struct ctl *c, int argc, char **argv)
{
	struct tn_find_arg a = { 0 };

	if (ctl_flag(&argc, argv, "--fuzzy"))
		return record_match(c, argc, argv);
	if (ctl_opts(&proto_find_arg_schema, &a, argc, argv))
		return 1;
	if (!a.serial[0])
		return ctl_fail("usage: record find --serial S [--make M] [--fuzzy]");
	return ctl_run(c, CMD_RECORD_FIND, &a, ctl_print_records);
}

static int record_import(struct ctl *c, int argc, char **argv)
{
	if (argc != 1)
		return ctl_fail("usage: record import FILE.csv (- for standard input)");
	return ctl_import(c, argv[0]);
}

const struct ctl_cmd ctl_status_cmds[] = {
	{ "status", NULL, "", CMD_STATUS, NULL },
	{ NULL },
};

const struct ctl_cmd ctl_record_cmds[] = {
	{ "record add", NULL,
	  "--make M --serial S [--model --caliber --type --country --importer]",
	  CMD_RECORD_ADD, ctl_print_record },
	{ "record show", record_show, "ID" },
	{ "record find", record_find,
	  "--serial S [--make M] [--fuzzy [--model --caliber --type --limit K]]" },
	{ "record event", record_event,
	  "ID --kind KIND --date YYYY-MM-DD [--party --place --country --ref]" },
	{ "record import", record_import, "FILE.csv" },
	{ NULL },
};
