/*
 * harness/decide/export.c — see export.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness/decide/export.h"
#include "harness/util/fileio.h"

/*
 * One value as text: the parsed double when kept, else the float; the
 * shortest text that reads back the same. NULL for an absent feature.
 */
static const char *
value_text(const pf_feats *f, size_t o, char *num, size_t cap)
{
	float v = f->x32[o];

	if (v != v)	/* absent, or an explicit "nan" (kept in x64) */
		return f->x64 != NULL && f->x64[o] != f->x64[o] ? "nan" : NULL;
	double d = f->x64 != NULL ? f->x64[o] : (double)v;
	for (int prec = 6; prec <= 17; prec++) {
		snprintf(num, cap, "%.*g", prec, d);
		if (f->x64 != NULL ? strtod(num, NULL) == d : strtof(num, NULL) ==
		    v)
			break;
	}
	return num;
}

int
pf_outputs_export_features(const pf_replay *r, const char *stack,
    pf_atomic_file *af, const char *path, pf_err *err)
{
	const pf_golden *g = r->golden;
	const pf_measured *m = &r->m;
	long k = -1;
	int rc;

	for (size_t i = 0; i < m->nstacks; i++)
		if (stack == NULL ? i == 0 : strcmp(m->stacks[i].id, stack) == 0)
			k = (long)i;
	if (k < 0)
		return pf_err_set(err, PF_EINVAL, NULL, 0, "--export-stack: no "
		    "stack '%s'", stack);
	const pf_stack_result *s = &m->stacks[k];
	if ((rc = pf_atomic_open(af, path, err)) != PF_OK)
		return rc;
	fprintf(af->f, "# preflight %s: features of stack '%s' (scenario %s), "
	    "its final candidates per query; grade from the golden set (0 when "
	    "unjudged or negative)\n", PF_VERSION, s->id, r->scn->name);
	for (size_t q = 0; q < m->nq; q++) {
		const pf_feats *f = &r->feats[k][q];
		for (size_t i = 0; i < s->n[q]; i++) {
			const char *id = pf_golden_docid(g, s->doc[q][i]);
			int32_t grade = pf_golden_grade(g, q, id);
			grade = grade > 0 ? grade : 0;
			fprintf(af->f, "%d qid:%s", grade, g->qid[q]);
			for (size_t j = 0; f->x32 != NULL && j < f->nf; j++) {
				size_t o = (size_t)r->row[k][q][i] * f->nf + j;
				char num[40];
				const char *t = value_text(f, o, num,
				    sizeof(num));
				if (t != NULL)
					fprintf(af->f, " %ld:%s",
					    pf_feats_id(f, j), t);
			}
			fprintf(af->f, " # %s\n", id);
		}
	}
	if (ferror(af->f)) {
		pf_atomic_abort(af);
		return pf_err_set(err, PF_EIO, path, 0, "write error");
	}
	return PF_OK;
}
