/*
 * reports/trend_fmt.c — see trend_fmt.h.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "reports/model.h"
#include "reports/trend_fmt.h"

const char *
pf_tf_status(int status)
{
	switch (status) {
	case PF_TG_MET: return "MET";
	case PF_TG_MISSED: return "MISSED";
	case PF_TG_UNKNOWN: return "unknown";
	default: return "\xe2\x80\x94";
	}
}

void
pf_tf_goal(char *buf, size_t sz, const pf_trend_series *s,
    const pf_trend_point *p)
{
	const char *d = s->against ? " delta" : "";
	int lo = isfinite(p->gmin), hi = isfinite(p->gmax), n;

	if (lo && hi)
		n = snprintf(buf, sz, "%s%s in [%.4f, %.4f]", s->metric, d,
		    pf_nz(p->gmin, 4), pf_nz(p->gmax, 4));
	else if (lo || hi)
		n = snprintf(buf, sz, "%s%s %s %.4f", s->metric, d, lo ? ">=" :
		    "<=", pf_nz(lo ? p->gmin : p->gmax, 4));
	else
		n = snprintf(buf, sz, "%s%s", s->metric, d);
	if (s->against != NULL && n >= 0 && (size_t)n < sz)
		snprintf(buf + n, sz - (size_t)n, " against %s", s->against);
}

double
pf_tf_margin(const pf_trend_point *p)
{
	double m = NAN;

	if (!isfinite(p->value))
		return NAN;
	if (isfinite(p->gmin))
		m = p->value - p->gmin;
	if (isfinite(p->gmax) && !(m <= p->gmax - p->value))
		m = p->gmax - p->value;
	return m;
}

void
pf_tf_night(char *buf, size_t sz, const pf_trend *t, size_t i)
{
	const pf_trend_night *n = &t->night[i];

	snprintf(buf, sz, "night %zu (run %lld, %.10s)", i + 1,
	    (long long)n->run, n->time ? n->time : "");
}

int
pf_tf_repeat(const pf_trend *t, size_t j)
{
	for (size_t k = 0; k < j; k++)
		if (!strcmp(t->series[k].metric, t->series[j].metric) &&
		    !strcmp(t->series[k].stack, t->series[j].stack))
			return 1;
	return 0;
}

void
pf_tf_num(FILE *f, int sign, double v)
{
	if (!isfinite(v))
		fputs("n/a", f);
	else
		fprintf(f, sign ? "%+.4f" : "%.4f", pf_nz(v, 4));
}

void
pf_tf_ci(FILE *f, int sign, double lo, double hi)
{
	fputc('[', f);
	pf_tf_num(f, sign, lo);
	fputs(", ", f);
	pf_tf_num(f, sign, hi);
	fputc(']', f);
}
