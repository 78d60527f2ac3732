/*
 * harness/decide/perquery.c — see perquery.h. Every field comes from the
 * golden set's TSVs (qids and dimension values hold no tab or newline) or
 * is a stack id or a metric name, so no quoting is needed.
 */
#include <stdio.h>

#include "harness/decide/perquery.h"

/* The table of m to f; nonzero when a write failed. */
static int
write_table(const pf_measured *m, FILE *f)
{
	const pf_golden *g = m->golden;
	char name[160];
	int bad = 0;

	fputs("stack\tqid\tmetric\tvalue\tjudged", f);
	for (size_t d = 0; d < g->ndims; d++)
		fprintf(f, "\t%s", g->dim_name[d]);
	fputc('\n', f);
	for (size_t k = 0; k < m->nstacks; k++) {
		const pf_stack_result *s = &m->stacks[k];
		for (size_t q = 0; q < m->nq && !bad; q++) {
			for (size_t v = 0; v < m->nv; v++) {
				pf_te_value_name(m->spec, v, name, sizeof(name));
				fprintf(f, "%s\t%s\t%s\t", s->id, g->qid[q],
				    name);
				if (m->judged[q])
					fprintf(f, "%.17g", s->values[q * m->nv +
					    v]);
				fprintf(f, "\t%d", m->judged[q] != 0);
				for (size_t d = 0; d < g->ndims; d++)
					fprintf(f, "\t%s", g->dim[q * g->ndims +
					    d] ? g->dim[q * g->ndims + d] : "");
				fputc('\n', f);
			}
			bad = ferror(f);
		}
	}
	return bad || ferror(f);
}

int
pf_outputs_per_query(const pf_measured *m, pf_atomic_file *af,
    const char *path, pf_err *err)
{
	int rc;

	if ((rc = pf_atomic_open(af, path, err)) != PF_OK)
		return rc;
	if (write_table(m, af->f) != 0) {
		pf_atomic_abort(af);
		return pf_err_set(err, PF_EIO, path, 0, "cannot write");
	}
	return PF_OK;
}
