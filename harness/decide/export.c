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

long
pf_outputs_export_stack(const pf_replay *r, const char *stack)
{
	const pf_measured *m = &r->m;

	for (size_t i = 0; i < m->nstacks; i++)
		if (stack == NULL ? i == 0 : strcmp(m->stacks[i].id, stack) == 0)
			return (long)i;
	return -1;
}

int
pf_outputs_export_rows(const pf_replay *r, long k, size_t q0, size_t q1,
    FILE *f)
{
	const pf_golden *g = r->golden;
	const pf_stack_result *s = &r->m.stacks[k];

	for (size_t q = q0; q < q1; q++) {
		const pf_feats *ft = &r->feats[k][q];
		for (size_t i = 0; i < s->n[q]; i++) {
			const char *id = pf_golden_docid(g, s->doc[q][i]);
			int32_t grade = pf_golden_grade(g, q, id);
			grade = grade > 0 ? grade : 0;
			fprintf(f, "%d qid:%s", grade, g->qid[q]);
			for (size_t j = 0; ft->x32 != NULL && j < ft->nf; j++) {
				size_t o = (size_t)r->row[k][q][i] * ft->nf + j;
				char num[40];
				const char *t = value_text(ft, o, num,
				    sizeof(num));
				if (t != NULL)
					fprintf(f, " %ld:%s",
					    pf_feats_id(ft, j), t);
			}
			fprintf(f, " # %s\n", id);
		}
	}
	return ferror(f) ? -1 : 0;
}

int
pf_outputs_export_features(const pf_replay *r, const char *stack,
    const char *rows, size_t nrows, pf_atomic_file *af, const char *path,
    pf_err *err)
{
	long k = pf_outputs_export_stack(r, stack);
	int rc, bad;

	if (k < 0)
		return pf_err_set(err, PF_EINVAL, NULL, 0, "--export-stack: no "
		    "stack '%s'", stack);
	if ((rc = pf_atomic_open(af, path, err)) != PF_OK)
		return rc;
	fprintf(af->f, "# preflight %s: features of stack '%s' (scenario %s), "
	    "its final candidates per query; grade from the golden set (0 when "
	    "unjudged or negative)\n", PF_VERSION, r->m.stacks[k].id,
	    r->scn->name);
	if (rows != NULL)
		bad = fwrite(rows, 1, nrows, af->f) != nrows;
	else
		bad = pf_outputs_export_rows(r, k, 0, r->m.nq, af->f) != 0;
	if (bad || ferror(af->f)) {
		pf_atomic_abort(af);
		return pf_err_set(err, PF_EIO, path, 0, "write error");
	}
	return PF_OK;
}
