/*
 * metrics/lift_validate.c — leave-one-out and leave-future-out validation
 * of the lift model (lift.h, METHODS.md §5.5): every row predicted by a
 * refit on the rows it may see, with the plug-in interval of §5.3.
 */
#include <math.h>
#include <string.h>

#include "metrics/lift_internal.h"

static int
sign3(double v)
{
	return (v > 0) - (v < 0);
}

/*
 * Validation: for each row j, refit on the rows train(j) chooses and
 * predict y_j. loo != 0: every other row; else the rows dated before j's.
 */
void
pf_lift_i_validate(const pf_lift_history *h, int intercept, int loo,
    size_t *idx, const struct work *wk, struct tcache *tc,
    pf_lift_val_row *rows, pf_lift_validation *out)
{
	size_t n = h->n, k = h->npred, npred = 0, in80 = 0, in95 = 0, sg = 0;
	double sse = 0.0, sst = 0.0, ybar = 0.0, ymax = 0.0;
	struct fit f;

	for (size_t j = 0; j < n; j++) {
		pf_lift_val_row *r = &rows[j];
		size_t m = 0;
		double mu, var, t90, t975;

		for (size_t i = 0; i < n; i++)
			if (loo ? i != j : strcmp(h->date[i], h->date[j]) < 0)
				idx[m++] = i;
		r->predicted = 0;
		r->pred = r->sd = r->df = r->z = NAN;
		r->in80 = r->in95 = 0;
		pf_lift_i_fit_rows(h, intercept, idx, m, wk, &f);
		if (!f.ok)
			continue;
		pf_lift_i_fit_predict(&f, h->x + j * k, h->x_se ? h->x_se + j * k :
		    NULL, &mu, &var);
		var += h->y_se[j] * h->y_se[j];
		pf_lift_i_tq(tc, f.df, &t90, &t975);
		r->predicted = 1;
		r->pred = mu;
		r->sd = sqrt(var);
		r->df = f.df;
		r->z = (h->y[j] - mu) / r->sd;
		r->in80 = fabs(r->z) <= t90;
		r->in95 = fabs(r->z) <= t975;
		npred++;
		in80 += (size_t)r->in80;
		in95 += (size_t)r->in95;
		sg += sign3(mu) == sign3(h->y[j]);
		ybar += h->y[j];
	}
	memset(out, 0, sizeof(*out));
	out->rows = rows;
	out->n = npred;
	out->n_in80 = in80;
	out->n_in95 = in95;
	out->n_sign = sg;
	if (npred == 0) {
		out->rmse = out->q2 = out->coverage80 = out->coverage95 =
		    out->sign_agreement = NAN;
		return;
	}
	ybar /= (double)npred;
	for (size_t j = 0; j < n; j++)
		if (rows[j].predicted) {
			double e = h->y[j] - rows[j].pred, c = h->y[j] - ybar;
			sse += e * e;
			sst += c * c;
			ymax = fmax(ymax, fabs(h->y[j]));
		}
	out->rmse = sqrt(sse / (double)npred);
	/* Lifts that do not vary (to rounding) leave Q^2 undefined. */
	out->q2 = sst > 1e-24 * ymax * ymax * (double)npred ? 1.0 - sse /
	    sst : NAN;
	out->coverage80 = (double)in80 / (double)npred;
	out->coverage95 = (double)in95 / (double)npred;
	out->sign_agreement = (double)sg / (double)npred;
}
