/*
 * harness/engine/measured.c — see measured.h.
 */
#include <stdlib.h>
#include <string.h>

#include "harness/engine/measured.h"

int
pf_measured_init(pf_measured *m, const pf_golden *g, pf_te_spec *spec,
    size_t nstacks, pf_err *err)
{
	size_t nq = g->nq, nv = pf_te_spec_nvalues(spec);

	memset(m, 0, sizeof(*m));
	m->golden = g;
	m->spec = spec;
	m->nq = nq;
	m->nv = nv;
	m->primary = -1;
	pf_te_opts_init(&m->te);
	int32_t mg = g->qrels != NULL ? pf_qrels_max_grade(g->qrels) : 0;
	m->te.max_grade = mg > 0 ? mg : 1;
	if ((m->judged = calloc(nq + 1, 1)) == NULL ||
	    (m->stacks = calloc(nstacks + 1, sizeof(*m->stacks))) == NULL)
		goto nomem;
	m->nstacks = nstacks;
	for (size_t q = 0; q < nq; q++) {
		m->judged[q] = g->topic[q] >= 0;
		m->njudged += m->judged[q];
	}
	for (size_t k = 0; k < nstacks; k++) {
		pf_stack_result *s = &m->stacks[k];
		if ((s->values = calloc(nq * nv + 1, sizeof(double))) == NULL ||
		    (s->mean = calloc(nv + 1, sizeof(double))) == NULL ||
		    (s->n = calloc(nq + 1, sizeof(size_t))) == NULL)
			goto nomem;
	}
	return PF_OK;
nomem:
	return pf_err_set(err, PF_ENOMEM, NULL, 0, "out of memory");
}

int
pf_measured_summarize(pf_measured *m, pf_err *err)
{
	double *rows = malloc((m->njudged * m->nv + 1) * sizeof(double));

	if (rows == NULL)
		return pf_err_set(err, PF_ENOMEM, NULL, 0, "out of memory");
	for (size_t k = 0; k < m->nstacks; k++) {
		size_t j = 0;
		for (size_t q = 0; q < m->nq; q++)
			if (m->judged[q])
				memcpy(rows + (j++) * m->nv, m->stacks[k].values +
				    q * m->nv, m->nv * sizeof(double));
		pf_te_summarize(m->spec, rows, j, m->stacks[k].mean);
	}
	free(rows);
	return PF_OK;
}

void
pf_measured_common(pf_measured *m)
{
	m->njudged = 0;
	for (size_t q = 0; q < m->nq; q++) {
		for (size_t k = 0; k < m->nstacks; k++)
			if (m->stacks[k].present != NULL &&
			    !m->stacks[k].present[q])
				m->judged[q] = 0;
		m->njudged += m->judged[q];
	}
}

void
pf_measured_clear(pf_measured *m)
{
	for (size_t k = 0; m->stacks != NULL && k < m->nstacks; k++) {
		pf_stack_result *s = &m->stacks[k];
		for (size_t q = 0; q < m->nq; q++) {
			if (s->doc != NULL)
				free(s->doc[q]);
			if (s->score != NULL)
				free(s->score[q]);
		}
		free(s->doc);
		free(s->score);
		free(s->values);
		free(s->mean);
		free(s->n);
		free(s->present);
	}
	free(m->stacks);
	free(m->judged);
	pf_te_spec_free(m->spec);
	memset(m, 0, sizeof(*m));
}
