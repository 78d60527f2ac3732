/*
 * harness/decide/expectations.c — see expectations.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness/decide/expectations.h"
#include "harness/util/strtab.h"

void
pf_expectations_clear(pf_expectations *e)
{
	free(e->v);
	*e = (pf_expectations){0};
}

int
pf_expect_validate(const pf_golden *g, pf_diags *d)
{
	int bad = 0;

	for (size_t e = 0; e < g->nexp; e++) {
		const char *doc = g->exp_doc[e];
		long k = pf_strtab_find(g->docs, doc, strlen(doc));
		long q = g->exp_query[e];
		/* a process that reads a share of the candidate files
		   (golden.h pf_golden_set_share) may not know the other
		   queries' documents: theirs to check */
		if (k < 0 && q >= 0 && g->share_partial &&
		    ((size_t)q < g->share_q0 || (size_t)q >= g->share_q1))
			continue;
		if (g->exp_query[e] < 0) {
			pf_diags_add(d, g->exp_path, g->exp_line[e], "query "
			    "'%.100s' is not in the golden set", g->exp_qid[e]);
			bad = 1;
		}
		if (k < 0 || (g->corpus.n > 0 && (size_t)k >= g->corpus.n)) {
			pf_diags_add(d, g->exp_path, g->exp_line[e], "document "
			    "'%.100s' is not %s", doc, g->corpus.n > 0 ?
			    "in the corpus" : "among the documents any stack "
			    "can rank");
			bad = 1;
		}
	}
	return bad ? PF_EFORMAT : PF_OK;
}

/* Expectation e on stack k, whose ranking of query q is s's. */
static void
check_one(const pf_golden *g, size_t e, size_t k, const pf_stack_result *s,
    int judged, pf_exp_result *x)
{
	long q = g->exp_query[e];

	x->exp = e;
	x->stack = k;
	snprintf(x->name, sizeof(x->name), "%.100s/%.100s max_rank %ld: %.64s",
	    g->exp_qid[e], g->exp_doc[e], g->exp_max[e], s->id);
	if (q < 0) {
		x->status = PF_GATE_SKIP;
		snprintf(x->message, sizeof(x->message), "query '%.100s' is "
		    "not in the golden set", g->exp_qid[e]);
		return;
	}
	for (size_t i = 0; i < s->n[q] && x->rank == 0; i++)
		if (strcmp(pf_golden_docid(g, s->doc[q][i]), g->exp_doc[e]) == 0)
			x->rank = (long)i + 1;
	int ok = x->rank > 0 && x->rank <= g->exp_max[e];
	x->status = ok ? PF_GATE_PASS : judged ? PF_GATE_FAIL : PF_GATE_SKIP;
	const char *who = ok || judged ? "" : "the control, not judged: ";
	if (x->rank > 0)
		snprintf(x->message, sizeof(x->message), "%s%.100s is at rank "
		    "%ld, %s max_rank %ld", who, g->exp_doc[e], x->rank, ok ?
		    "within" : "beyond", g->exp_max[e]);
	else
		snprintf(x->message, sizeof(x->message), "%s%.100s is not in "
		    "the ranking of query %.100s", who, g->exp_doc[e],
		    g->exp_qid[e]);
	size_t len = (size_t)snprintf(x->details, sizeof(x->details),
	    "expectation: %s:%ld\ntop:", g->exp_path, g->exp_line[e]);
	for (size_t i = 0; i < s->n[q] && i < 10 && len < sizeof(x->details);
	    i++)
		len += (size_t)snprintf(x->details + len, sizeof(x->details) -
		    len, " %zu:%.60s", i + 1, pf_golden_docid(g, s->doc[q][i]));
}

int
pf_expect_check(pf_expectations *out, const pf_measured *m, pf_err *err)
{
	const pf_golden *g = m->golden;

	*out = (pf_expectations){0};
	if (g->nexp == 0 || m->stacks[0].doc == NULL)
		return PF_OK;
	if ((out->v = calloc(g->nexp * m->nstacks, sizeof(*out->v))) == NULL)
		return pf_err_set(err, PF_ENOMEM, NULL, 0, "out of memory");
	for (size_t e = 0; e < g->nexp; e++)
		for (size_t k = 0; k < m->nstacks; k++) {
			pf_exp_result *x = &out->v[out->n++];
			check_one(g, e, k, &m->stacks[k], k > 0 ||
			    m->nstacks == 1, x);
			out->nfailed += x->status == PF_GATE_FAIL;
		}
	return PF_OK;
}
