/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests of the rate limit of drop log lines: a burst is logged, the
 * rest counted, and their number said once the window is over, so drops
 * never go quiet and never flood the log. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "../../node/log.c"

#define T0 1700000000000ull

static void test_a_burst_is_logged_then_the_rest_counted(void **state)
{
	struct node_ratelog r = { 0 };
	int logged = 0;

	(void)state;
	for (int i = 0; i < 1000; i++)
		logged += node_ratelog_allow(&r, T0 + (uint64_t)i);
	assert_int_equal(logged, NODE_LOG_BURST);
	assert_int_equal(r.suppressed, 1000 - NODE_LOG_BURST);
	/* Nothing is said before the window is over ... */
	assert_int_equal(node_ratelog_due(&r, T0 + NODE_LOG_WINDOW_MS - 1), 0);
	/* ... then the count of what was not logged, once. */
	assert_int_equal(node_ratelog_due(&r, T0 + NODE_LOG_WINDOW_MS), 1000 - NODE_LOG_BURST);
	assert_int_equal(node_ratelog_due(&r, T0 + 2 * NODE_LOG_WINDOW_MS), 0);
	assert_true(node_ratelog_allow(&r, T0 + NODE_LOG_WINDOW_MS + 1));
}

static void test_a_quiet_source_is_logged_every_time(void **state)
{
	struct node_ratelog r = { 0 };

	(void)state;
	for (uint64_t i = 0; i < 100; i++)
		assert_true(node_ratelog_allow(&r, T0 + i * NODE_LOG_WINDOW_MS / 5));
	assert_int_equal(r.suppressed, 0);
	assert_int_equal(node_ratelog_due(&r, T0 + 1000 * NODE_LOG_WINDOW_MS), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_a_burst_is_logged_then_the_rest_counted),
		cmocka_unit_test(test_a_quiet_source_is_logged_every_time),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
