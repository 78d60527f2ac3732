/*
 * tests/fuzz/fuzz_scenario.c — scenario files (harness/load/scenario.h)
 * from any bytes, the full load: libxml2's parse, the compiled-in schema,
 * then the tree read into structs with the checks the schema cannot make.
 * A document whose root is <gates> (not <scenario>) goes through the
 * gates-file loader of `compare --gates` instead. A scenario that loads
 * has its stage elements checked against the stage registry, as `run`
 * does before opening them, and its golden set described.
 */
#include <assert.h>
#include <string.h>

#include "harness/load/scenario.h"
#include "harness/stages/stage.h"
#include "tests/fuzz/input.h"

int	LLVMFuzzerInitialize(int *argc, char ***argv);
int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static fuzz_file in;

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_file_open(&in, NULL);
	return 0;
}

static void
check(const pf_scenario *s)
{
	pf_golden_spec spec;
	pf_diags d = {0};

	assert(s->nstacks >= 2 && s->path != NULL && s->dir != NULL);
	pf_scenario_golden_spec(s, &spec);
	assert(spec.qrels != NULL || spec.labels != NULL);
	for (size_t k = 0; k < s->nstacks; k++) {
		const pf_scn_stack *st = &s->stacks[k];
		assert(st->id != NULL && st->name != NULL);
		for (size_t i = 0; i < st->nstages; i++)
			(void)pf_stage_check(st->stages[i].name,
			    st->stages[i].params, st->stages[i].nparams,
			    s->path, st->stages[i].line, &d);
	}
	for (size_t i = 0; i < s->ngates; i++)
		assert(s->gates[i].id != NULL && s->gates[i].metric != NULL);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	pf_scenario *s = NULL;
	pf_scn_gate *g = NULL;
	size_t ng = 0;
	pf_diags d = {0};
	const char *root = memchr(data, '<', size);

	fuzz_file_set(&in, data, size);
	/* the first element, past any <?xml ...?> and comments */
	while (root != NULL && (size_t)(root - (const char *)data) + 1 < size &&
	    (root[1] == '?' || root[1] == '!'))
		root = memchr(root + 1, '<', size - (size_t)(root + 1 -
		    (const char *)data));
	if (root != NULL && size - (size_t)(root - (const char *)data) >= 6 &&
	    memcmp(root, "<gates", 6) == 0) {
		int rc = pf_gates_load(&g, &ng, in.path, &d);
		fuzz_say_diags("gates", rc, &d);
		if (rc != PF_OK)
			assert(d.n > 0);
		pf_gates_free(g, ng);
		return 0;
	}
	int rc = pf_scenario_load(&s, in.path, &d);
	fuzz_say_diags("scenario", rc, &d);
	if (rc == PF_OK)
		check(s);
	else
		assert(s == NULL && d.n > 0);
	pf_scenario_free(s);
	return 0;
}
