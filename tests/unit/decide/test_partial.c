/*
 * tests/unit/decide/test_partial.c — the query ranges of shards (worked
 * by hand: 112 queries in 3 shards are 38, 37, 37) and the refusals of a
 * set of parts: not a part, truncated, a shard missing or twice, another
 * run's part.
 */
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "harness/decide/partial.h"

Test(partial, ranges_by_hand)
{
	size_t q0, q1;

	pf_part_range(112, 0, 3, &q0, &q1);
	cr_assert(q0 == 0 && q1 == 38);
	pf_part_range(112, 1, 3, &q0, &q1);
	cr_assert(q0 == 38 && q1 == 75);
	pf_part_range(112, 2, 3, &q0, &q1);
	cr_assert(q0 == 75 && q1 == 112);
	pf_part_range(2, 2, 3, &q0, &q1);	/* more shards than queries */
	cr_assert(q0 == 2 && q1 == 2);
	pf_part_range(5, 0, 1, &q0, &q1);
	cr_assert(q0 == 0 && q1 == 5);
}

Test(partial, ranges_cover_in_order_sizes_within_one)
{
	for (size_t nq = 0; nq < 40; nq++)
		for (size_t n = 1; n < 9; n++) {
			size_t at = 0, lo = (size_t)-1, hi = 0, q0, q1;
			for (size_t i = 0; i < n; i++) {
				pf_part_range(nq, i, n, &q0, &q1);
				cr_assert_eq(q0, at, "nq %zu n %zu i %zu", nq, n,
				    i);
				lo = q1 - q0 < lo ? q1 - q0 : lo;
				hi = q1 - q0 > hi ? q1 - q0 : hi;
				at = q1;
			}
			cr_assert_eq(at, nq);
			cr_assert_leq(hi - lo, 1);
		}
}

/* A part of shard i of n over nq queries, with an empty body. */
static void
mk(pf_part *p, size_t i, size_t n, size_t nq, const char *sha,
    const char *where)
{
	char hdr[512], *buf;
	size_t q0, q1, hl, len;
	uint32_t order = 0x01020304u, h32;
	pf_err err = {0};

	pf_part_range(nq, i, n, &q0, &q1);
	hl = (size_t)snprintf(hdr, sizeof(hdr), "{\"format\": "
	    "\"preflight.partial/2\", \"shard\": %zu, \"shards\": %zu, "
	    "\"queries\": [%zu, %zu], \"nq\": %zu, \"scenario_sha256\": "
	    "\"%s\"}", i, n, q0, q1, nq, sha);
	len = 8 + 4 + 4 + hl;
	buf = malloc(len);
	memcpy(buf, "PFPART\0\2", 8);
	memcpy(buf + 8, &order, 4);
	h32 = (uint32_t)hl;
	memcpy(buf + 12, &h32, 4);
	memcpy(buf + 16, hdr, hl);
	cr_assert_eq(pf_part_parse(p, buf, len, where, &err), PF_OK, "%s",
	    err.msg);
}

Test(partial, a_set_in_any_order)
{
	pf_part p[3];
	pf_err err = {0};

	mk(&p[0], 2, 3, 10, "a", "p2");
	mk(&p[1], 0, 3, 10, "a", "p0");
	mk(&p[2], 1, 3, 10, "a", "p1");
	cr_assert_eq(pf_part_check_set(p, 3, &err), PF_OK, "%s", err.msg);
	cr_assert(p[0].shard == 0 && p[1].shard == 1 && p[2].shard == 2);
	cr_assert(p[1].q0 == 4 && p[1].q1 == 7);
	for (int i = 0; i < 3; i++)
		pf_part_clear(&p[i]);
}

Test(partial, missing_twice_other_run)
{
	pf_part p[3];
	pf_err err = {0};

	mk(&p[0], 0, 3, 10, "a", "p0");
	mk(&p[1], 2, 3, 10, "a", "p2");
	cr_assert_eq(pf_part_check_set(p, 2, &err), PF_EFORMAT);
	cr_assert(strstr(err.msg, "shard 1/3 is missing") != NULL, "%s",
	    err.msg);
	pf_part_clear(&p[1]);
	memset(&err, 0, sizeof(err));
	mk(&p[1], 0, 3, 10, "a", "p0b");
	mk(&p[2], 1, 3, 10, "a", "p1");
	cr_assert_eq(pf_part_check_set(p, 3, &err), PF_EFORMAT);
	cr_assert(strstr(err.msg, "shard 0/3 twice") != NULL, "%s", err.msg);
	pf_part_clear(&p[1]);
	memset(&err, 0, sizeof(err));
	mk(&p[1], 2, 3, 10, "b", "p2");
	cr_assert_eq(pf_part_check_set(p, 3, &err), PF_EFORMAT);
	cr_assert(strstr(err.msg, "their 'scenario_sha256' differ") != NULL,
	    "%s", err.msg);
	for (int i = 0; i < 3; i++)
		pf_part_clear(&p[i]);
}

Test(partial, not_a_part_and_truncated)
{
	pf_part p;
	pf_err err = {0};
	char *junk = strdup("hello, world");

	cr_assert_eq(pf_part_parse(&p, junk, strlen(junk), "j", &err),
	    PF_EFORMAT);
	cr_assert(strstr(err.msg, "not a preflight partial result") != NULL,
	    "%s", err.msg);
	pf_part_clear(&p);
	memset(&err, 0, sizeof(err));
	char *cut = malloc(20);
	memcpy(cut, "PFPART\0\2\4\3\2\1\xff\0\0\0xxxx", 20);
	cr_assert_eq(pf_part_parse(&p, cut, 20, "c", &err), PF_EFORMAT);
	cr_assert(strstr(err.msg, "ends early") != NULL, "%s", err.msg);
	pf_part_clear(&p);
}
