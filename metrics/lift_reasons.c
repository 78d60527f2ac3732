/*
 * metrics/lift_reasons.c — the "not calibrated" reasons of the lift model
 * (lift.h), and its notes, as one line of sentences.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>

#include "metrics/lift_internal.h"

/* Appends to buf like snprintf at offset *len; *len counts what was needed. */
static void
appendf(char *buf, size_t bufsz, size_t *len, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void
appendf(char *buf, size_t bufsz, size_t *len, const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = vsnprintf(*len < bufsz ? buf + *len : NULL,
	    *len < bufsz ? bufsz - *len : 0, fmt, ap);
	va_end(ap);
	if (r > 0)
		*len += (size_t)r;
}

size_t
pf_lift_reasons_format(const pf_lift_summary *s, unsigned reasons,
    char *buf, size_t bufsz)
{
	size_t len = 0, need = PF_LIFT_MIN_ROWS;
	const char *sep = "";

	if (bufsz > 0)
		buf[0] = '\0';
	if (s->npred >= 2 && 10 * s->npred > need)
		need = 10 * s->npred;
	reasons &= PF_LIFT_R_GATING;	/* notes: pf_lift_notes_format */
#define SEP()	(appendf(buf, bufsz, &len, "%s", sep), sep = "; ")
	if (reasons & PF_LIFT_R_FEW_ROWS) {
		SEP();
		appendf(buf, bufsz, &len, "only %zu past experiments, at least "
		    "%zu are needed", s->n, need);
	}
	if (reasons & PF_LIFT_R_NO_SPREAD) {
		SEP();
		appendf(buf, bufsz, &len, "the past offline deltas do not vary%s",
		    s->npred > 1 ? " (or are collinear)" : "");
	}
	if (reasons & PF_LIFT_R_NOISY_X) {
		SEP();
		appendf(buf, bufsz, &len, "offline deltas too noisy relative to "
		    "their spread (reliability");
		for (size_t c = 0; c < s->npred; c++)
			appendf(buf, bufsz, &len, "%s%.2f", c ? ", " : " ",
			    s->reliability[c]);
		appendf(buf, bufsz, &len, ", below %.2f)", PF_LIFT_MIN_LAMBDA);
	}
	if (reasons & PF_LIFT_R_LOO_SIGN) {
		SEP();
		appendf(buf, bufsz, &len, "leave-one-out predictions have the "
		    "right sign in only %zu of %zu experiments (70%% needed)",
		    s->loo.n_sign, s->loo.n);
	}
	if (reasons & PF_LIFT_R_LOO_COVERAGE) {
		SEP();
		appendf(buf, bufsz, &len, "leave-one-out 80%% intervals cover "
		    "%zu of %zu experiments (%.0f%%, below 60%%)",
		    s->loo.n_in80, s->loo.n, 100.0 * s->loo.coverage80);
	}
	if (reasons & PF_LIFT_R_LOO_Q2) {
		SEP();
		if (isnan(s->loo.q2))
			appendf(buf, bufsz, &len, "leave-one-out Q2 is undefined "
			    "(the online lifts do not vary)");
		else
			appendf(buf, bufsz, &len, "leave-one-out predictions do "
			    "no better than the mean lift (Q2 = %.2f)",
			    s->loo.q2);
	}
	if (reasons & PF_LIFT_R_LOO_FRAGILE) {
		SEP();
		appendf(buf, bufsz, &len, "leaving out one experiment leaves "
		    "no usable relation in %zu of %zu cases", s->n - s->loo.n,
		    s->n);
	}
	if (reasons & PF_LIFT_R_FAR_X0) {
		SEP();
		appendf(buf, bufsz, &len, "this change's offline delta lies "
		    "far outside the history's range");
		for (size_t c = 0; c < s->npred; c++)
			appendf(buf, bufsz, &len, "%s[%.4g, %.4g]", c ? ", " :
			    " ", s->x_min[c], s->x_max[c]);
	}
#undef SEP
	return len;
}

size_t
pf_lift_notes_format(const pf_lift_summary *s, unsigned reasons, char *buf,
    size_t bufsz)
{
	size_t len = 0;

	if (bufsz > 0)
		buf[0] = '\0';
	if (reasons & PF_LIFT_R_SLOPE_ZERO) {
		/* bench/RESULTS.md "decisions": not a reason (lift.h) */
		appendf(buf, bufsz, &len, "%s offline-to-online slope's "
		    "95%% CI", s->npred > 1 ? "an" : "the");
		for (size_t c = 0; c < s->npred; c++)
			appendf(buf, bufsz, &len, "%s[%.4g, %.4g]", c ? ", " :
			    " ", s->beta[1 + c].ci95[0],
			    s->beta[1 + c].ci95[1]);
		appendf(buf, bufsz, &len, " contains 0: the history does not "
		    "show that %s moves the online lift; the prediction leans "
		    "on the history's mean lift", s->npred > 1 ?
		    "every offline delta" : "the offline delta");
	}
	return len;
}
