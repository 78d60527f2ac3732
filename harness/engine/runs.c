/*
 * harness/engine/runs.c — see runs.h.
 */
#include <stdlib.h>
#include <string.h>

#include "harness/engine/eval.h"
#include "harness/engine/runs.h"
#include "harness/util/fileio.h"

int
pf_runs_measure(pf_measured *m, size_t k, const char *path, pf_err *err)
{
	const pf_golden *g = m->golden;
	pf_evalrun_opts eo = {.spec = m->spec, .te = &m->te, .complete = 1};
	pf_stack_result *s = &m->stacks[k];
	pf_evalrun *ev = NULL;
	int rc;

	if ((rc = pf_evalrun_file(&ev, g->qrels, path, &eo, err)) != PF_OK)
		return rc;
	if ((s->present = calloc(m->nq + 1, 1)) == NULL) {
		pf_evalrun_free(ev);
		return pf_err_set(err, PF_ENOMEM, NULL, 0, "out of memory");
	}
	for (size_t q = 0; q < m->nq; q++) {
		if (g->topic[q] < 0)
			continue;
		size_t t = (size_t)g->topic[q];
		memcpy(s->values + q * m->nv, ev->values + t * m->nv, m->nv *
		    sizeof(double));
		s->n[q] = ev->nret[t];
		s->present[q] = ev->in_run[t];
		s->nmissing += !ev->in_run[t];
	}
	s->source = path;
	if (ev->bom)
		pf_warn_bom(path);
	pf_evalrun_free(ev);
	return PF_OK;
}
