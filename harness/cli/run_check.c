/*
 * harness/cli/run_check.c — `preflight run --check`: the feature schema
 * check and the report of what a run would do (scenario, files, stages,
 * the memory estimate and whether it would stream), without replaying.
 */
#include <stdio.h>
#include <stdlib.h>

#include <omp.h>

#include "harness/cli/run_internal.h"
#include "harness/cli/run_mem.h"
#include "harness/check/features.h"
#include "harness/decide/memest.h"

/*
 * run --check: the golden set's candidate files against its feature
 * schema, when it has one (harness/check/features.h). A violation is bad
 * input, as --check's other findings: its examples on stderr, exit 2
 * (--check writes no junit.xml).
 */
static int
features_check(const pf_scenario *s)
{
	pf_fcheck *fc = NULL;
	pf_diags *d = calloc(1, sizeof(*d));
	pf_err err = {0};
	int rc = 0;

	if (d == NULL)
		return -1;
	if (pf_features_check_scenario(&fc, s, &err) != PF_OK) {
		pf_diags_add_err(d, &err);
		rc = -1;
	} else if (fc != NULL && pf_fcheck_failed(fc) > 0) {
		pf_fcheck_diags(fc, d);
		rc = -1;
	}
	if (rc != 0)
		pf_diags_print(d, stderr);
	pf_fcheck_free(fc);
	free(d);
	return rc;
}

/* run --check: what a run would do, without replaying. */
int
pf_run__check_only(const run_args *a, const pf_replay *r)
{
	const pf_scenario *s = r->scn;
	pf_err err = {0};
	size_t nst = 0;

	if (pf_attrib_check(r, &err) != PF_OK) {
		pf_err_print(&err, stderr);
		return 2;
	}
	if (features_check(s) != 0)
		return 2;
	for (size_t k = 0; k < s->nstacks; k++)
		nst += s->stacks[k].nstages;
	printf("%s: OK: %zu queries (%zu judged), %zu stacks, %zu stages, %zu "
	    "metric values\n", a->path, r->m.nq, r->m.njudged, s->nstacks, nst,
	    r->m.nv);
	/* Timings: the line bench/load.sh reads (README "run --check"). */
	const pf_golden *g = r->golden;
	printf("load: %.3f s (candidate files: %.3f s, %u parsed, %u mapped "
	    "from the cache)\n", a->load_s, g->svm_seconds, g->svm_parsed,
	    g->svm_mapped);
	pf_memest est;
	pf_memest_of(r, omp_get_max_threads(), &est);
	pf_memest_print(stdout, &est);
	pf_run_mem_print_check(stdout, est.x32 + est.x64 + est.other, r->m.nq,
	    a->mem, pf_run_mem_may(&(pf_dist){0}, s, 0, a->history,
	    a->export), s->nfimp > 0);
	return 0;
}
