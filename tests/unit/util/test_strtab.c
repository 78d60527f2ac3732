/*
 * test_strtab.c — pf_strtab_intern_many (util/strtab.h) gives the ids that
 * interning the same strings one at a time gives: into an empty table and
 * into one holding some of them already, with repeats within the batch,
 * across the table's growth; the strings read back by id.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "harness/util/strtab.h"

#define N	5000

static void
check(size_t before)
{
	pf_strtab *one = pf_strtab_new(), *many = pf_strtab_new();
	static char buf[N][16];
	const char *s[N];
	size_t len[N];
	uint64_t h[N];
	uint32_t ids[N];

	cr_assert(one != NULL && many != NULL);
	for (size_t i = 0; i < N; i++) {
		/* every third string repeats an earlier one */
		snprintf(buf[i], sizeof(buf[i]), "d%zu", i % 3 ? i : i / 2);
		s[i] = buf[i];
		len[i] = strlen(buf[i]);
		h[i] = pf_hash_bytes(s[i], len[i]);
	}
	for (size_t i = 0; i < before; i++) {	/* some known already */
		cr_assert_geq(pf_strtab_intern(one, s[N - 1 - i],
		    len[N - 1 - i]), 0);
		cr_assert_geq(pf_strtab_intern(many, s[N - 1 - i],
		    len[N - 1 - i]), 0);
	}
	cr_assert_eq(pf_strtab_intern_many(many, s, len, h, N, ids), 0);
	for (size_t i = 0; i < N; i++) {
		long id = pf_strtab_intern(one, s[i], len[i]);
		cr_assert_eq((long)ids[i], id, "string %zu", i);
		cr_assert_str_eq(pf_strtab_str(many, ids[i]), s[i]);
	}
	cr_assert_eq(pf_strtab_count(many), pf_strtab_count(one));
	cr_assert_eq(pf_strtab_intern_many(many, s, len, h, 0, ids), 0);
	pf_strtab_free(one);
	pf_strtab_free(many);
}

Test(strtab, intern_many_empty) { check(0); }
Test(strtab, intern_many_some_known) { check(700); }
