/*
 * tests/fuzz/fuzz_lift.c — the CSV history of past A/B tests
 * (harness/load/lift_history.h) from any bytes, loaded as a scenario
 * predicting ndcg_cut_10 on the cranfield golden set loads it. A history
 * that loads is then calibrated and asked for a prediction as
 * harness/analysis/lift.c does (metrics/lift.h): a thin, flat or wild
 * history must give "not calibrated" or numbers, never a crash.
 */
#include <assert.h>
#include <math.h>

#include "harness/load/lift_history.h"
#include "metrics/lift.h"
#include "tests/fuzz/input.h"

int	LLVMFuzzerInitialize(int *argc, char ***argv);
int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static fuzz_file in;

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_one_thread();
	fuzz_file_open(&in, NULL);
	return 0;
}

static void
calibrate(const pf_lifthist *lh)
{
	pf_lift_history h = {lh->n, 1, lh->x, lh->x_se, lh->y, lh->y_se,
	    lh->date};
	pf_lift_model *m = NULL;
	pf_lift_prediction p;
	pf_err err = {0};
	const double x0 = 0.01, x0_se = 0.005;

	if (pf_lift_fit(&m, &h, NULL, &err) == PF_OK) {
		const pf_lift_summary *sm = pf_lift_model_summary(m);
		char why[1024];
		assert(sm->n == lh->n);
		pf_lift_reasons_format(sm, sm->reasons, why, sizeof(why));
		pf_lift_notes_format(sm, sm->reasons, why, sizeof(why));
		assert(sm->calibrated ==
		    ((sm->reasons & PF_LIFT_R_GATING) == 0));
		(void)pf_lift_predict(m, &x0, &x0_se, 0.002, &p, &err);
	}
	pf_lift_model_free(m);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	pf_lifthist *h = NULL;
	pf_err err = {0};

	fuzz_file_set(&in, data, size);
	int rc = pf_lifthist_load(&h, in.path, "ndcg_cut_10", "cranfield",
	    "golden/cranfield", &err);
	fuzz_say_err("lift history", rc, &err);
	if (rc != PF_OK) {
		assert(h == NULL && err.code != PF_OK);
		return 0;
	}
	for (size_t i = 0; i < h->n; i++) {
		assert(h->id[i] != NULL && h->line[i] > 0);
		assert(isfinite(h->x[i]) && isfinite(h->y[i]));
		assert(h->y_se[i] > 0 && (h->x_se == NULL || h->x_se[i] >= 0));
	}
	calibrate(h);
	pf_lifthist_free(h);
	return 0;
}
