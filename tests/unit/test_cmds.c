/* SPDX-License-Identifier: Apache-2.0 */
/* The registry of console commands: wire names that other tools speak,
 * lookups, and the shapes the daemon's shared paths rely on. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "../../proto/proto.h"

/* The console protocol as tracectl, the tests and other tools speak it. */
static const char *const wire_names[] = {
	"status", "backup", "card", "key.rotate", "record.add", "record.show", "record.find",
	"record.match", "record.event",
	"record.import", "stolen.report", "stolen.recover", "stolen.list", "stolen.rekey", "peer.add",
	"peer.list", "peer.remove", "peer.ping", "peer.policy", "audit", "audit.verify",
	"audit.export", "audit.retain", "audit.checkpoint", "stats",
	"query.stolen", "alerts", "trace.request", "trace.list", "trace.show", "trace.wait",
	"inbox", "approve", "deny", "receipt", "metrics",
};

static void test_registry_holds_every_wire_name_once(void **state)
{
	(void)state;
	assert_int_equal(CMD_COUNT, sizeof(wire_names) / sizeof(wire_names[0]));
	for (size_t i = 0; i < sizeof(wire_names) / sizeof(wire_names[0]); i++) {
		int c = tn_cmd_of(wire_names[i]);

		assert_true(c >= 0 && c < CMD_COUNT);
		assert_string_equal(tn_cmds[c].name, wire_names[i]);
	}
}

static void test_lookup_finds_each_row_by_its_own_name(void **state)
{
	(void)state;
	for (int c = 0; c < CMD_COUNT; c++) {
		assert_non_null(tn_cmds[c].name);
		assert_int_equal(tn_cmd_of(tn_cmds[c].name), c);
	}
}

static void test_lookup_refuses_unknown_and_near_names(void **state)
{
	(void)state;
	assert_int_equal(tn_cmd_of("record.delete"), TN_ERR_UNKNOWN_CMD);
	assert_int_equal(tn_cmd_of("record add"), TN_ERR_UNKNOWN_CMD);
	assert_int_equal(tn_cmd_of("Status"), TN_ERR_UNKNOWN_CMD);
	assert_int_equal(tn_cmd_of(""), TN_ERR_UNKNOWN_CMD);
}

static void test_rows_carry_their_schemas(void **state)
{
	(void)state;
	assert_ptr_equal(tn_cmds[CMD_RECORD_ADD].args, &proto_record_schema);
	assert_ptr_equal(tn_cmds[CMD_RECORD_IMPORT].reply, &proto_import_result_schema);
	assert_null(tn_cmds[CMD_STATUS].args);
	assert_ptr_equal(tn_cmds[CMD_AUDIT_VERIFY].args, &proto_audit_verify_arg_schema);
	assert_null(tn_cmds[CMD_PEER_REMOVE].reply);
	assert_ptr_equal(tn_cmds[CMD_APPROVE].reply, tn_cmds[CMD_DENY].reply);
}

static void test_only_commands_that_commit_are_marked_writes(void **state)
{
	static const enum tn_cmd reads[] = {
		CMD_STATUS, CMD_CARD, CMD_RECORD_SHOW, CMD_RECORD_FIND, CMD_STOLEN_LIST,
		CMD_PEER_LIST, CMD_PEER_PING, CMD_AUDIT, CMD_AUDIT_VERIFY, CMD_ALERTS,
		CMD_TRACE_LIST, CMD_INBOX,
	};

	(void)state;
	for (size_t i = 0; i < sizeof(reads) / sizeof(reads[0]); i++)
		assert_false(tn_cmds[reads[i]].flags & CMD_WRITES);
	assert_true(tn_cmds[CMD_RECORD_ADD].flags & CMD_WRITES);
	assert_true(tn_cmds[CMD_TRACE_SHOW].flags & CMD_WRITES);   /* audits the view */
}

/* Each command needs exactly one role; searches, reviews and the node's
 * administration each need their own. */
static void test_every_command_needs_one_role(void **state)
{
	(void)state;
	for (int c = 0; c < CMD_COUNT; c++) {
		unsigned role = tn_cmds[c].role;

		assert_true(role && !(role & (role - 1)) && role <= ROLE_ALL);
	}
	assert_int_equal(tn_cmds[CMD_QUERY_STOLEN].role, ROLE_QUERY);
	assert_int_equal(tn_cmds[CMD_TRACE_REQUEST].role, ROLE_QUERY);
	assert_int_equal(tn_cmds[CMD_APPROVE].role, ROLE_REVIEW);
	assert_int_equal(tn_cmds[CMD_PEER_ADD].role, ROLE_ADMIN);
	assert_int_equal(tn_cmds[CMD_RECORD_IMPORT].role, ROLE_ADMIN);
	assert_int_equal(tn_cmds[CMD_RECORD_ADD].role, ROLE_RECORD);
	assert_int_equal(tn_cmds[CMD_AUDIT].role, ROLE_READ);
	assert_string_equal(tn_role_names[ROLE_BIT_REVIEW], "review");
}

/* The daemon fills listings through the reply's one array field. */
static void test_listing_replies_are_one_array(void **state)
{
	static const enum tn_cmd lists[] = {
		CMD_RECORD_FIND, CMD_STOLEN_LIST, CMD_TRACE_LIST, CMD_INBOX,
	};

	(void)state;
	for (size_t i = 0; i < sizeof(lists) / sizeof(lists[0]); i++) {
		const struct proto_schema *s = tn_cmds[lists[i]].reply;

		assert_int_equal(s->n, 1);
		assert_int_equal(s->fields[0].type, PF_ARR);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_registry_holds_every_wire_name_once),
		cmocka_unit_test(test_lookup_finds_each_row_by_its_own_name),
		cmocka_unit_test(test_lookup_refuses_unknown_and_near_names),
		cmocka_unit_test(test_rows_carry_their_schemas),
		cmocka_unit_test(test_only_commands_that_commit_are_marked_writes),
		cmocka_unit_test(test_listing_replies_are_one_array),
		cmocka_unit_test(test_every_command_needs_one_role),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
