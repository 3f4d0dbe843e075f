/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests of crypto/'s whole-buffer reads and writes on a descriptor,
 * shared by the key files and tracectl's console socket. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <unistd.h>

#include <cmocka.h>

#include "../../crypto/cx.h"

static void test_write_all_then_read_all_round_trips_through_a_pipe(void **state)
{
	uint8_t in[1000], out[1000];
	int fd[2];

	(void)state;
	cx_random(in, sizeof in);
	assert_int_equal(pipe(fd), 0);
	assert_int_equal(cx_write_all(fd[1], in, sizeof in), 0);
	assert_int_equal(cx_read_all(fd[0], out, sizeof out), 0);
	assert_memory_equal(in, out, sizeof in);
	close(fd[0]);
	close(fd[1]);
}

static void test_read_all_refuses_input_that_ends_early(void **state)
{
	uint8_t buf[8];
	int fd[2];

	(void)state;
	assert_int_equal(pipe(fd), 0);
	assert_int_equal(cx_write_all(fd[1], "abc", 3), 0);
	close(fd[1]);
	assert_int_equal(cx_read_all(fd[0], buf, sizeof buf), TN_ERR_INVALID);
	close(fd[0]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_write_all_then_read_all_round_trips_through_a_pipe),
		cmocka_unit_test(test_read_all_refuses_input_that_ends_early),
	};

	assert_int_equal(cx_init(), 0);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
