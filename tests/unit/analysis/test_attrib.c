/*
 * test_attrib.c — the stage alignment of harness/analysis/attrib.h
 * (pf_attrib__align) on hand-made stacks: slot-wise for equal names,
 * pass-through slots for extra treatment stages (the Cranfield demo),
 * a replaced stage, a removed one, the longest common subsequence when
 * names repeat, and the refusal past MAXSLOTS. (Players, the hybrids and
 * the oracle are checked end to end in tests/e2e/attrib_stages.sh.)
 */
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "harness/analysis/attrib_internal.h"

static pf_scn_stack
stack_of(const char *const *names, size_t n)
{
	pf_scn_stack s = {0};

	s.id = "x";
	s.stages = calloc(n + 1, sizeof(*s.stages));
	cr_assert(s.stages != NULL);
	for (size_t i = 0; i < n; i++)
		s.stages[i].name = (char *)names[i];
	s.nstages = n;
	return s;
}

/* want: pairs (ctl, trt) per slot, -1 = none */
static void
check(const char *const *c, size_t nc, const char *const *t, size_t nt,
    const long (*want)[2], size_t nwant)
{
	pf_scn_stack a = stack_of(c, nc), b = stack_of(t, nt);
	pf_attrib_pair p = {0};

	cr_assert_eq(pf_attrib__align(&p, &a, &b), 0);
	cr_assert_eq(p.nslots, nwant, "%zu slots, want %zu", p.nslots, nwant);
	for (size_t j = 0; j < nwant; j++) {
		cr_assert(p.slots[j].ctl == want[j][0] &&
		    p.slots[j].trt == want[j][1], "slot %zu: (%ld, %ld), want "
		    "(%ld, %ld)", j, p.slots[j].ctl, p.slots[j].trt, want[j][0],
		    want[j][1]);
		cr_assert_str_eq(p.slots[j].control, want[j][0] >= 0 ?
		    c[want[j][0]] : "");
		cr_assert_str_eq(p.slots[j].treatment, want[j][1] >= 0 ?
		    t[want[j][1]] : "");
	}
	free(p.slots);
	free(a.stages);
	free(b.stages);
}

Test(attrib, same_names_align_slot_by_slot)
{
	const char *c[] = {"candidates", "linear", "rules"};
	const long w[][2] = {{0, 0}, {1, 1}, {2, 2}};

	check(c, 3, c, 3, w, 3);
}

Test(attrib, extra_treatment_stages_pass_through_in_the_control)
{
	const char *c[] = {"bm25"}, *t[] = {"bm25", "textfeatures", "gbdt"};
	const long w[][2] = {{0, 0}, {-1, 1}, {-1, 2}};

	check(c, 1, t, 3, w, 3);
}

Test(attrib, a_replaced_stage_is_one_slot)
{
	const char *c[] = {"candidates", "linear"}, *t[] = {"bm25", "linear"};
	const long w[][2] = {{0, 0}, {1, 1}};

	check(c, 2, t, 2, w, 2);
}

Test(attrib, a_removed_stage_has_no_treatment_stage)
{
	const char *c[] = {"candidates", "rules", "linear"};
	const char *t[] = {"candidates", "linear"};
	const long w[][2] = {{0, 0}, {1, -1}, {2, 1}};

	check(c, 3, t, 2, w, 3);
}

Test(attrib, repeated_names_match_the_longest_common_subsequence)
{
	/* the control's cutoff matches the treatment's cutoff, not a linear */
	const char *c[] = {"candidates", "linear", "cutoff"};
	const char *t[] = {"candidates", "linear", "linear", "cutoff"};
	const long w[][2] = {{0, 0}, {1, 1}, {-1, 2}, {2, 3}};

	check(c, 3, t, 4, w, 4);
}

Test(attrib, too_many_stages_are_refused)
{
	const char *names[MAXSLOTS + 1];
	pf_scn_stack a, b;
	pf_attrib_pair p = {0};

	for (size_t i = 0; i <= MAXSLOTS; i++)
		names[i] = "linear";
	a = stack_of(names, MAXSLOTS / 2 + 1);
	b = stack_of(names, MAXSLOTS / 2);
	cr_assert_eq(pf_attrib__align(&p, &a, &b), -1);
	free(p.slots);
	free(a.stages);
	free(b.stages);
}
