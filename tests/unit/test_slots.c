/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests of the handshake slots: one address holds at most its share,
 * and when every slot is taken a newcomer takes the oldest slot of the
 * address holding the most, so pinned peers can always get in. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "../../node/net/slots.c"

static struct sockaddr_storage v4(uint8_t last)
{
	struct sockaddr_storage sa = { 0 };
	struct sockaddr_in *in = (struct sockaddr_in *)&sa;

	in->sin_family = AF_INET;
	in->sin_addr.s_addr = htonl(0x7f000000u | last);
	return sa;
}

static struct sockaddr_storage v6(uint8_t net, uint8_t host)
{
	struct sockaddr_storage sa = { 0 };
	struct sockaddr_in6 *in = (struct sockaddr_in6 *)&sa;

	in->sin6_family = AF_INET6;
	in->sin6_addr.s6_addr[0] = 0x20;
	in->sin6_addr.s6_addr[7] = net;
	in->sin6_addr.s6_addr[15] = host;
	return sa;
}

static int owners[LINK_HANDSHAKES_MAX * 4];

static void test_one_address_holds_at_most_its_share(void **state)
{
	struct slots s = { 0 };
	struct sockaddr_storage a = v4(2), b = v4(3);
	void *evict;

	(void)state;
	for (int i = 0; i < LINK_HANDSHAKES_PER_SOURCE; i++)
		assert_int_equal(slots_take(&s, &owners[i], &a, (uint64_t)i, &evict), 0);
	assert_int_equal(slots_take(&s, &owners[100], &a, 100, &evict), TN_ERR_LIMIT);
	assert_int_equal(slots_take(&s, &owners[101], &b, 101, &evict), 0);
	assert_null(evict);
	slots_give(&s, &owners[0]);
	assert_int_equal(slots_take(&s, &owners[102], &a, 102, &evict), 0);
}

static void test_an_ipv6_slash64_counts_as_one_address(void **state)
{
	struct slots s = { 0 };
	struct sockaddr_storage a;
	void *evict;

	(void)state;
	for (int i = 0; i < LINK_HANDSHAKES_PER_SOURCE; i++) {
		a = v6(1, (uint8_t)i);
		assert_int_equal(slots_take(&s, &owners[i], &a, (uint64_t)i, &evict), 0);
	}
	a = v6(1, 200);
	assert_int_equal(slots_take(&s, &owners[100], &a, 100, &evict), TN_ERR_LIMIT);
	a = v6(2, 200);
	assert_int_equal(slots_take(&s, &owners[101], &a, 101, &evict), 0);
}

/* Eight addresses fill every slot; a ninth still gets in, taking the
 * oldest slot of the busiest address, and an address cannot push out one
 * that holds fewer slots than itself. */
static void test_a_full_table_gives_way_to_a_newcomer(void **state)
{
	struct slots s = { 0 };
	struct sockaddr_storage a;
	void *evict;
	int k = 0;

	(void)state;
	for (int src = 0; src < LINK_HANDSHAKES_MAX / LINK_HANDSHAKES_PER_SOURCE; src++)
		for (int i = 0; i < LINK_HANDSHAKES_PER_SOURCE; i++, k++) {
			a = v4((uint8_t)(10 + src));
			assert_int_equal(slots_take(&s, &owners[k], &a, (uint64_t)k, &evict), 0);
		}
	a = v4(99);
	assert_int_equal(slots_take(&s, &owners[k], &a, (uint64_t)k, &evict), 0);
	assert_ptr_equal(evict, &owners[0]);      /* the oldest of a busiest address */
	slots_give(&s, evict);
	/* Address 10 now holds 7, the others 8: it takes from one of them. */
	a = v4(10);
	assert_int_equal(slots_take(&s, &owners[k + 1], &a, (uint64_t)k + 1, &evict), 0);
	assert_ptr_equal(evict, &owners[LINK_HANDSHAKES_PER_SOURCE]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_one_address_holds_at_most_its_share),
		cmocka_unit_test(test_an_ipv6_slash64_counts_as_one_address),
		cmocka_unit_test(test_a_full_table_gives_way_to_a_newcomer),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
