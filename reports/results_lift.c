/*
 * reports/results_lift.c — the "lift" object of results.json
 * (../shared/METHODS.md §5.4). Lifts stay in the history's unit (relative:
 * 0.0072 is +0.72%). "prediction" is null unless the status is calibrated
 * or extrapolating: no number is written for a model that cannot give one.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "reports/replift.h"

static json_t *
num(double v)
{
	return isfinite(v) ? json_real(v) : json_null();
}

static json_t *
pair(const double v[2])
{
	return json_pack("[oo]", num(v[0]), num(v[1]));
}

static json_t *
coef(const pf_lift_coef *c)
{
	return json_pack("{s:o,s:o,s:o}", "est", num(c->est), "se", num(c->se),
	    "ci95", pair(c->ci95));
}

static const struct {
	unsigned	 bit;
	const char	*code;
} reason_codes[] = {
	{PF_LIFT_R_FEW_ROWS, "few_experiments"},
	{PF_LIFT_R_NO_SPREAD, "offline_deltas_constant"},
	{PF_LIFT_R_SLOPE_ZERO, "slope_ci_contains_zero"},
	{PF_LIFT_R_NOISY_X, "offline_deltas_too_noisy"},
	{PF_LIFT_R_LOO_SIGN, "loo_sign_agreement_low"},
	{PF_LIFT_R_LOO_COVERAGE, "loo_coverage_off"},
	{PF_LIFT_R_LOO_Q2, "loo_q2_not_positive"},
	{PF_LIFT_R_LOO_FRAGILE, "loo_refit_degenerate"},
	{PF_LIFT_R_FAR_X0, "offline_delta_far_outside_history"},
};

static json_t *
validation(const pf_lift_validation *v, const pf_rep_lift *l)
{
	json_t *o = json_pack("{s:I,s:o,s:o,s:o,s:o,s:o}", "n", (json_int_t)v->n,
	    "rmse", num(v->rmse), "q2", num(v->q2), "coverage80",
	    num(v->n ? v->coverage80 : NAN), "coverage95",
	    num(v->n ? v->coverage95 : NAN), "sign_agreement",
	    num(v->n ? v->sign_agreement : NAN));
	json_t *rows = json_array();

	for (size_t j = 0; v->rows != NULL && j < l->n; j++) {
		const pf_lift_val_row *r = &v->rows[j];
		if (!r->predicted)
			continue;
		json_array_append_new(rows, json_pack("{s:s,s:o,s:o,s:o,s:b,s:b}",
		    "id", l->id[j], "pred", num(r->pred), "sd", num(r->sd), "z",
		    num(r->z), "in80", r->in80, "in95", r->in95));
	}
	json_object_set_new(o, "rows", rows);
	return o;
}

json_t *
pf_results_lift_json(const pf_rep_lift *l)
{
	const pf_lift_summary *s = l->sum;
	const pf_lift_prediction *p = l->pred;
	json_t *o = json_object(), *codes = json_array(), *hist = json_array();
	json_t *notes = json_array();

	json_object_set_new(o, "status", json_string(l->status));
	for (size_t i = 0; i < sizeof(reason_codes) / sizeof(reason_codes[0]);
	    i++)
		if (p->reasons & reason_codes[i].bit)
			json_array_append_new(reason_codes[i].bit &
			    PF_LIFT_R_GATING ? codes : notes, json_string(
			    reason_codes[i].code));
	json_object_set_new(o, "reasons", codes);
	json_object_set_new(o, "reasons_text", json_string(l->reasons));
	json_object_set_new(o, "notes", notes);
	json_object_set_new(o, "notes_text", json_string(l->notes != NULL ?
	    l->notes : ""));
	json_object_set_new(o, "headline", json_string(l->headline));
	json_object_set_new(o, "synthetic_history", json_boolean(l->synthetic));
	json_object_set_new(o, "history", json_string(l->history));
	json_object_set_new(o, "offline_metric", json_string(l->metric));
	json_object_set_new(o, "offline_column", json_string(l->xcol));
	json_object_set_new(o, "online_kpi", l->kpi ? json_string(l->kpi) :
	    json_null());
	json_object_set_new(o, "unit", json_string("relative lift "
	    "(0.01 = +1%)"));
	json_object_set_new(o, "treatment", json_string(l->treatment));
	json_object_set_new(o, "control", json_string(l->control));
	json_object_set_new(o, "n_history_used", json_integer((json_int_t)
	    l->n));
	json_object_set_new(o, "n_history_excluded", json_integer((json_int_t)
	    (l->nexcl_metric + l->nexcl_golden)));
	json_object_set_new(o, "offline_delta", num(l->x0));
	json_object_set_new(o, "offline_se", num(l->x0_se));
	if (s->fitted) {
		json_object_set_new(o, "beta0", coef(&s->beta[0]));
		json_object_set_new(o, "beta1", coef(&s->beta[1]));
		json_object_set_new(o, "tau", num(sqrt(s->tau2)));
		json_object_set_new(o, "q_fe", num(s->q_fe));
		json_object_set_new(o, "reliability", num(s->reliability[0]));
		json_object_set_new(o, "slope_corrected",
		    json_boolean(s->corrected));
		json_object_set_new(o, "df", num(s->df));
		json_object_set_new(o, "loo", validation(&s->loo, l));
		json_object_set_new(o, "lfo", validation(&s->lfo, l));
	}
	if (l->has_plan)
		json_object_set_new(o, "planned_ab", json_pack("{s:o,s:o,s:o}",
		    "traffic_per_arm", num(l->plan_traffic), "kpi_cv",
		    num(l->plan_cv), "se", num(l->plan_se)));
	if (p->status == PF_LIFT_NOT_CALIBRATED)
		json_object_set_new(o, "prediction", json_null());
	else
		json_object_set_new(o, "prediction", json_pack("{s:o,s:o,s:o,"
		    "s:o,s:o,s:o,s:s,s:o}", "mean", num(p->mean), "sd",
		    num(p->sd), "pi80", pair(p->pi80), "pi95", pair(p->pi95),
		    "p_positive", num(p->p_positive), "df", num(p->df),
		    "interval", l->interval, "p_significant_win",
		    num(p->p_significant)));
	if (l->has_min)
		json_object_set_new(o, "min_lift", json_pack("{s:o,s:s,s:s}",
		    "threshold", num(l->min), "on", "predicted mean",
		    "status", l->gate_status == 0 ? "pass" : l->gate_status == 1 ?
		    "fail" : "skipped"));
	for (size_t j = 0; j < l->n; j++) {
		json_t *r = json_pack("{s:s,s:o,s:o,s:o}", "id", l->id[j],
		    "offline_delta", num(l->x[j]), "online_lift", num(l->y[j]),
		    "online_se", num(l->y_se[j]));
		if (l->date != NULL)
			json_object_set_new(r, "date", json_string(l->date[j]));
		if (l->x_se != NULL)
			json_object_set_new(r, "offline_se", num(l->x_se[j]));
		json_array_append_new(hist, r);
	}
	json_object_set_new(o, "experiments", hist);
	return o;
}
