/*
 * harness/decide/run.c — see run.h.
 */
#include <stdlib.h>

#include <jansson.h>

#include "harness/check/validate.h"
#include "harness/decide/run.h"

void
pf_run_result_free(pf_run_result *x)
{
	if (x == NULL)
		return;
	pf_comparison_free(x->cmp);
	pf_interleaving_free(x->il);
	pf_lboot_free(x->lboot);
	pf_attrib_free(x->attrib);
	pf_imp_all_free(x->imp);
	pf_liftrun_free(x->lift);
	pf_featrun_free(x->feat);
	json_decref(x->validation);
	pf_gate_list_clear(&x->gates);
	pf_expectations_clear(&x->exps);
	pf_decision_free(x->decision);
	free(x);
}

void
pf_run_compare_opts(const pf_scenario *s, pf_compare_opts *out)
{
	*out = (pf_compare_opts){.seed = s->seed, .n_boot = s->n_boot,
	    .n_perm = s->n_perm, .alpha = s->alpha, .tie_tol = s->tie_tol,
	    .min_segment = s->min_segment};
}

/*
 * The checks of `preflight validate` on the golden set g the run loaded
 * from scenario s, for results.json and the report (a failed rule is
 * reported, not a gate). Nothing is read again. The number of failed
 * rules, or -1 when out of memory.
 */
static long
golden_checks(const pf_scenario *s, const pf_golden *g, json_t **out)
{
	pf_validate_opts o = {.max_no_relevant = 0, .min_alpha = 0.667};
	pf_validation *v = NULL;
	long nfailed = -1;

	*out = NULL;
	if (pf_validate_golden(&v, s->path, s, g, &o) == PF_OK &&
	    (*out = pf_validation_json(v)) != NULL)
		nfailed = (long)pf_validation_failed(v);
	pf_validation_free(v);
	return nfailed;
}

int
pf_run_check(const pf_replay *r, pf_diags *d)
{
	const pf_scenario *s = r->scn;
	/* against= gates: the run's history, checked where it is opened */
	pf_gate_defs defs = {s->gates, s->ngates, s->path, s->alpha, 1, NULL,
	    NULL};
	int bad = 0;

	bad |= pf_liftrun_check(r, d) != PF_OK;
	bad |= pf_gates_check(&defs, &r->m, s->il_on, d) != PF_OK;
	bad |= pf_expect_validate(r->golden, d) != PF_OK;
	bad |= pf_importance_check(r, d) != PF_OK;
	return bad ? PF_EFORMAT : PF_OK;
}

/* The analyses, each on what the replay measured. */
static int
analyses(pf_run_result *x, const pf_replay *r, pf_err *err)
{
	const pf_scenario *s = r->scn;
	pf_compare_opts co;
	int rc;

	pf_run_compare_opts(s, &co);
	co.progress = r->progress;
	if ((rc = pf_compare_run(&x->cmp, &r->m, &co, err)) != PF_OK ||
	    (rc = pf_interleave_run(&x->il, &r->m, s, r->progress,
	    err)) != PF_OK ||
	    (rc = pf_lboot_run(&x->lboot, r, err)) != PF_OK ||
	    (rc = pf_attrib_run(&x->attrib, r, err)) != PF_OK ||
	    (rc = pf_importance_all(&x->imp, r, err)) != PF_OK ||
	    (rc = pf_liftrun_run(&x->lift, r, x->cmp, err)) != PF_OK ||
	    (rc = pf_featrun_run(&x->feat, s, err)) != PF_OK)
		return rc;
	x->vfailed = golden_checks(s, r->golden, &x->validation);
	return PF_OK;
}

int
pf_run_analyze(pf_run_result **out, const pf_replay *r,
    const pf_gate_refs *refs, pf_err *err)
{
	const pf_scenario *s = r->scn;
	pf_run_result *x = calloc(1, sizeof(*x));
	pf_compare_opts co;
	pf_gate_defs defs = {s->gates, s->ngates, s->path, s->alpha, 1, refs,
	    &co};
	pf_verdict_rule rule = {s->min_effect, s->alpha, s};
	int rc;

	*out = NULL;
	pf_run_compare_opts(s, &co);
	if (x == NULL)
		return pf_err_set(err, PF_ENOMEM, NULL, 0, "out of memory");
	if ((rc = analyses(x, r, err)) != PF_OK ||
	    (rc = pf_gates_eval(&x->gates, &defs, &r->m, x->cmp, x->il,
	    err)) != PF_OK ||
	    (rc = pf_expect_check(&x->exps, &r->m, err)) != PF_OK)
		goto fail;
	/* every gate result, in the order the outputs list them */
	const pf_gate_list *lists[] = {&x->gates, x->lift ? &x->lift->gates :
	    NULL, x->imp ? &x->imp->gates : NULL, x->feat ? &x->feat->gates :
	    NULL};
	if ((rc = pf_decide(&x->decision, &r->m, x->cmp, lists, 4, &x->exps,
	    &rule, err)) != PF_OK)
		goto fail;
	x->outcome = (pf_outcome){&r->m, x->cmp, x->il, x->lift, x->attrib,
	    x->lboot, x->imp, x->validation, &x->exps, x->decision,
	    x->feat ? x->feat->report : NULL};
	*out = x;
	return PF_OK;
fail:
	pf_run_result_free(x);
	return rc;
}
