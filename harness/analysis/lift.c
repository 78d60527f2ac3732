/*
 * harness/analysis/lift.c — see liftrun.h.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness/analysis/lift.h"
#include "harness/load/scenario.h"
#include "metrics/stats.h"

void
pf_liftrun_free(pf_liftrun *lr)
{
	if (lr == NULL)
		return;
	pf_lift_model_free(lr->model);
	pf_lifthist_free(lr->hist);
	pf_gate_list_clear(&lr->gates);
	free(lr);
}

static const char *
lift_metric(const pf_scenario *s)
{
	return s->lift_metric != NULL ? s->lift_metric : s->primary;
}

/* The treatment's stack index, or -1 (unknown id or the control). */
static long
lift_stack(const pf_replay *r)
{
	const pf_scenario *s = r->scn;
	const char *id = s->lift_stack;

	if (id == NULL)
		return s->nstacks > 1 ? 1 : -1;
	for (size_t k = 1; k < s->nstacks; k++)
		if (strcmp(s->stacks[k].id, id) == 0)
			return (long)k;
	return -1;
}

int
pf_liftrun_check(const pf_replay *r, pf_diags *d)
{
	const pf_scenario *s = r->scn;
	const char *m = lift_metric(s);
	pf_lifthist *h = NULL;
	pf_err err = {0};
	int bad = 0;

	if (!s->lift_on)
		return PF_OK;
	if (pf_te_value_index(r->m.spec, m) < 0) {
		pf_diags_add(d, s->path, s->lift_line, "<lift metric='%s'>: "
		    "expected one of the scenario's printed metric names "
		    "(ndcg_cut_10, map, ...)", m);
		bad = 1;
	}
	if (lift_stack(r) < 0) {
		pf_diags_add(d, s->path, s->lift_line, "<lift stack='%s'>: "
		    "expected the id of a treatment stack", s->lift_stack ?
		    s->lift_stack : "");
		bad = 1;
	}
	if (pf_lifthist_load(&h, s->lift_history, m, s->golden_name,
	    s->golden_dir, &err) != PF_OK) {
		pf_diags_add(d, NULL, 0, "%s: %s", err.where[0] ? err.where :
		    s->lift_history, err.msg);
		bad = 1;
	}
	pf_lifthist_free(h);
	return bad ? PF_EFORMAT : PF_OK;
}

/* "+0.88%" */
static void
pct(char *b, size_t sz, double v)
{
	snprintf(b, sz, "%+.2f%%", 100.0 * v);
}

static void
words(pf_liftrun *lr, const pf_replay *r)
{
	const pf_lift_summary *sm = pf_lift_model_summary(lr->model);
	const pf_lift_prediction *p = &lr->pred;
	const char *syn = lr->synthetic ? " (SYNTHETIC history: not real "
	    "experiments)" : "";

	lr->reasons[0] = '\0';
	pf_lift_notes_format(sm, p->reasons, lr->notes, sizeof(lr->notes));
	if (p->reasons & PF_LIFT_R_GATING)
		pf_lift_reasons_format(sm, p->reasons, lr->reasons,
		    sizeof(lr->reasons));
	else if (p->status == PF_LIFT_NOT_CALIBRATED)
		snprintf(lr->reasons, sizeof(lr->reasons), "this change's "
		    "offline delta has no standard error (fewer than two "
		    "judged queries)");
	if (p->status == PF_LIFT_NOT_CALIBRATED) {
		snprintf(lr->headline, sizeof(lr->headline), "Predicted online "
		    "lift of %s: not calibrated: %.480s%s.",
		    r->m.stacks[lr->stack].id, lr->reasons, syn);
		return;
	}
	char m[16], lo[16], hi[16];
	pct(m, sizeof(m), p->mean);
	pct(lo, sizeof(lo), p->pi95[0]);
	pct(hi, sizeof(hi), p->pi95[1]);
	char plan[160] = "";
	if (lr->plan_se > 0 && !isnan(p->p_significant)) {
		char se[16];
		snprintf(se, sizeof(se), "%.2f%%", 100.0 * lr->plan_se);
		snprintf(plan, sizeof(plan), "; a planned A/B of %.0f per arm "
		    "(SE %s) shows a significant win with probability %.2f",
		    lr->plan_traffic, se, p->p_significant);
	}
	/* a calibrated prediction with a note (the slope's CI contains 0)
	   says so: bench/RESULTS.md "decisions", metrics/lift.h */
	char note[sizeof(lr->notes) + 4] = "";
	if (lr->notes[0] != '\0')
		snprintf(note, sizeof(note), " (%s)", lr->notes);
	snprintf(lr->headline, sizeof(lr->headline), "Predicted online "
	    "lift%s%s of %s: %s [95%% PI %s, %s] from %zu past experiments "
	    "on %s%s%s%s%s.",
	    lr->hist->kpi ? " in " : "", lr->hist->kpi ? lr->hist->kpi : "",
	    r->m.stacks[lr->stack].id, m, lo, hi, sm->n, lr->metric,
	    p->status == PF_LIFT_EXTRAPOLATING ? " (extrapolating: this "
	    "offline delta lies outside the history's range)" : "", note,
	    plan, syn);
}

/* The fitted line and the 95% band of an exact delta, for the chart. */
static void
band(pf_liftrun *lr)
{
	const pf_lift_summary *sm = pf_lift_model_summary(lr->model);
	double lo = fmin(sm->x_min[0], lr->x0), hi = fmax(sm->x_max[0], lr->x0);

	lr->nband = 0;
	if (lr->pred.status == PF_LIFT_NOT_CALIBRATED || !(hi > lo))
		return;
	for (size_t i = 0; i < PF_LIFTRUN_BAND; i++) {
		double x = lo + (hi - lo) * (double)i / (PF_LIFTRUN_BAND - 1),
		    zero = 0.0;
		pf_lift_prediction p;
		if (pf_lift_predict(lr->model, &x, &zero, 0.0, &p, NULL) !=
		    PF_OK || p.status == PF_LIFT_NOT_CALIBRATED)
			continue;
		lr->band_x[lr->nband] = x;
		lr->band_mean[lr->nband] = p.mean;
		lr->band_lo[lr->nband] = p.pi95[0];
		lr->band_hi[lr->nband++] = p.pi95[1];
	}
}

static int
add_gate(pf_liftrun *lr, const pf_replay *r, pf_err *err)
{
	const pf_scenario *s = r->scn;
	const pf_lift_prediction *p = &lr->pred;
	const pf_lift_summary *sm = pf_lift_model_summary(lr->model);
	pf_gate_result *g = pf_gate_add(&lr->gates);
	char m[16], lo[16], hi[16], mn[16];

	if (g == NULL)
		return pf_err_set(err, PF_ENOMEM, NULL, 0, "out of memory");
	snprintf(g->id, sizeof(g->id), "min_lift");
	g->line = s->lift_line;
	g->stack = lr->stack;
	snprintf(g->name, sizeof(g->name), "min_lift: predicted online lift, "
	    "%s vs %s", r->m.stacks[lr->stack].id, r->m.stacks[0].id);
	pct(mn, sizeof(mn), s->lift_min);
	if (p->status == PF_LIFT_NOT_CALIBRATED) {
		g->status = PF_GATE_SKIP;
		snprintf(g->message, sizeof(g->message), "lift model not "
		    "calibrated: %.480s", lr->reasons);
	} else {
		int fail = !(p->mean >= s->lift_min);
		pct(m, sizeof(m), p->mean);
		pct(lo, sizeof(lo), p->pi95[0]);
		pct(hi, sizeof(hi), p->pi95[1]);
		g->status = fail ? PF_GATE_FAIL : PF_GATE_PASS;
		snprintf(g->message, sizeof(g->message), "predicted online "
		    "lift %s [95%% PI %s, %s] %s %s%s%s%s", m, lo, hi, fail ?
		    "below" : "at or above", mn, p->status ==
		    PF_LIFT_EXTRAPOLATING ? " (extrapolating)" : "",
		    p->reasons & PF_LIFT_R_SLOPE_ZERO ? " (the slope's 95% "
		    "CI contains 0: the prediction leans on the history's "
		    "mean lift)" : "", lr->synthetic ? " (synthetic history)" :
		    "");
	}
	lr->gate_status = g->status;
	snprintf(g->details, sizeof(g->details), "gate:      min_lift "
	    "(%s:%ld), on the predicted mean lift\nhistory:   %s, %zu "
	    "experiments used (%zu other metric, %zu other golden set)%s\n"
	    "offline:   %s delta %+.4f (SE %.4f), %s vs %s\n"
	    "model:     slope %.4g [95%% CI %.4g, %.4g], tau %.4g, LOO 80%% "
	    "coverage %.2f, sign agreement %.2f\nreport:    "
	    "report.html#gate-min_lift", s->path, s->lift_line,
	    lr->hist->path, lr->hist->n, lr->hist->nexcl_metric,
	    lr->hist->nexcl_golden, lr->synthetic ? ", SYNTHETIC" : "",
	    lr->metric, lr->x0, lr->x0_se, r->m.stacks[lr->stack].id,
	    r->m.stacks[0].id, sm->beta[1].est, sm->beta[1].ci95[0],
	    sm->beta[1].ci95[1], sqrt(sm->tau2), sm->loo.coverage80,
	    sm->loo.sign_agreement);
	return PF_OK;
}

int
pf_liftrun_run(pf_liftrun **out, const pf_replay *r, const pf_comparison *a,
    pf_err *err)
{
	const pf_scenario *s = r->scn;
	pf_liftrun *lr;
	long k = lift_stack(r), v;
	int rc;

	*out = NULL;
	if (!s->lift_on || r->m.nstacks < 2)
		return PF_OK;
	if ((lr = calloc(1, sizeof(*lr))) == NULL)
		return pf_err_set(err, PF_ENOMEM, NULL, 0, "out of memory");
	*out = lr;	/* the caller frees it, even on error */
	lr->metric = lift_metric(s);
	v = pf_te_value_index(r->m.spec, lr->metric);
	if (k < 0 || v < 0)
		return pf_err_set(err, PF_EINVAL, s->path, s->lift_line, "<lift>: "
		    "no treatment stack or metric to predict the lift of");
	lr->stack = (size_t)k;
	lr->value = (size_t)v;
	lr->has_min = s->lift_has_min;
	lr->min = s->lift_min;
	if ((rc = pf_lifthist_load(&lr->hist, s->lift_history, lr->metric,
	    s->golden_name, s->golden_dir, err)) != PF_OK)
		return rc;
	lr->synthetic = s->lift_synthetic || lr->hist->synthetic;
	lr->plan_se = s->lift_has_ab ? pf_lift_plan_se(s->lift_ab_traffic,
	    s->lift_ab_cv) : 0.0;
	if (isnan(lr->plan_se))
		lr->plan_se = 0.0;	/* the schema keeps traffic >= 2, cv > 0 */
	lr->plan_traffic = s->lift_ab_traffic;
	lr->plan_cv = s->lift_ab_cv;

	/* this change: the paired comparison's delta and its t-based SE */
	const pf_cmp *c = pf_compare_at(a, lr->stack, lr->value);
	double tq = pf_stats_t_quantile(1.0 - s->alpha / 2.0, c->df);
	lr->x0 = c->delta;
	lr->x0_se = c->t_hi > c->t_lo ? (c->t_hi - c->t_lo) / (2.0 * tq) : 0.0;

	pf_lift_history h = {lr->hist->n, 1, lr->hist->x, lr->hist->x_se,
	    lr->hist->y, lr->hist->y_se, lr->hist->date};
	if ((rc = pf_lift_fit(&lr->model, &h, NULL, err)) != PF_OK)
		return rc;
	if (!isfinite(lr->x0) || !isfinite(lr->x0_se)) {
		/* fewer than two judged queries: nothing to predict from */
		lr->pred = (pf_lift_prediction){PF_LIFT_NOT_CALIBRATED, 0,
		    NAN, NAN, NAN, {NAN, NAN}, {NAN, NAN},
		    NAN, NAN};
	} else if ((rc = pf_lift_predict(lr->model, &lr->x0, &lr->x0_se,
	    lr->plan_se, &lr->pred, err)) != PF_OK)
		return rc;
	words(lr, r);
	band(lr);
	if (s->lift_has_min)
		return add_gate(lr, r, err);
	return PF_OK;
}

void
pf_liftrun_report(const pf_liftrun *lr, const pf_measured *m,
    pf_rep_lift *out)
{
	const pf_lifthist *h = lr->hist;

	*out = (pf_rep_lift){.history = h->path, .metric = lr->metric,
	    .xcol = h->xcol, .kpi = h->kpi, .control = m->stacks[0].id,
	    .treatment = m->stacks[lr->stack].id, .synthetic = lr->synthetic,
	    .n = h->n, .nexcl_metric = h->nexcl_metric,
	    .nexcl_golden = h->nexcl_golden, .id = h->id, .date = h->date,
	    .x = h->x, .x_se = h->x_se, .y = h->y, .y_se = h->y_se,
	    .launched = h->launched, .sum = pf_lift_model_summary(lr->model),
	    .pred = &lr->pred, .x0 = lr->x0, .x0_se = lr->x0_se,
	    .has_plan = lr->plan_se > 0, .plan_traffic = lr->plan_traffic,
	    .plan_cv = lr->plan_cv, .plan_se = lr->plan_se,
	    .interval = "tau2_confidence_distribution",
	    .nband = lr->nband, .band_x = lr->band_x,
	    .band_mean = lr->band_mean, .band_lo = lr->band_lo,
	    .band_hi = lr->band_hi,
	    .status = lr->pred.status == PF_LIFT_CALIBRATED ? "calibrated" :
	    lr->pred.status == PF_LIFT_EXTRAPOLATING ? "extrapolating" :
	    "not_calibrated", .reasons = lr->reasons, .notes = lr->notes,
	    .headline = lr->headline, .has_min = lr->has_min,
	    .min = lr->min, .gate_status = lr->has_min ? lr->gate_status :
	    -1};
}
