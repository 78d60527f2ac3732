/*
 * tests/fuzz/fuzz_weights.c — the linear stage's weights file ("bias B"
 * and "<feature id> <weight>" lines; harness/stages/linear.c) from any
 * bytes, opened through the stage registry as a scenario's <linear
 * weights=...> would be, then scoring three candidates whose feature rows
 * hold present, missing (NaN) and absent columns, with the file ids
 * starting at 0 or 1 (the input's size picks). An infinite score is
 * the engine's to refuse (it checks every stage's scores), so only the
 * sanitizers judge the scoring here.
 */
#include <assert.h>
#include <math.h>
#include <stdlib.h>

#include "harness/stages/stage.h"
#include "tests/fuzz/input.h"

int	LLVMFuzzerInitialize(int *argc, char ***argv);
int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static fuzz_file in;
static pf_arena *scratch;
static const pf_stage_ops *ops;

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_file_open(&in, NULL);
	if ((scratch = pf_arena_new(1 << 12)) == NULL ||
	    (ops = pf_stage_find("linear")) == NULL)
		abort();
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const float x[] = {1.0f, 2.0f, 3.0f, NAN, 5.0f, 4.0f, 0.1f,
	    NAN, -1e30f};
	pf_param p[1] = {{"weights", in.path, 8}};
	pf_stage_cfg cfg = {"fuzz.xml", 7, "/", p, 1, NULL, 0, 0, NULL};
	pf_cands c = {0};
	pf_err err = {0};
	void *st = NULL;

	fuzz_file_set(&in, data, size);
	int rc = ops->open(&st, &cfg, &err);
	fuzz_say_err("weights", rc, &err);
	if (rc != PF_OK) {
		assert(st == NULL && err.code != PF_OK);
		return 0;
	}
	if (pf_cands_reserve(&c, 3) != PF_OK)
		abort();
	for (uint32_t i = 0; i < 3; i++) {
		c.doc[i] = i;
		c.row[i] = 2 - i;
		c.score[i] = 0.0;
	}
	c.n = 3;
	c.feats = (pf_feats){.x32 = x, .nf = 3, .base = (int)(size & 1)};
	pf_query q = {0, "q1", "x"};
	(void)ops->process(st, &q, &c, scratch, &err);
	ops->close(st);
	pf_cands_free(&c);
	return 0;
}
