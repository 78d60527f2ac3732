/*
 * metrics/clickmodel.c — click-model parameters, the named presets of
 * METHODS.md §2.3 (exact values, binary / 3-grade / 5-grade), grade
 * mapping, and exact per-list expectations. Simulation lives with the
 * interleaving methods (interleave_methods.c), which read the parameters
 * defined here. No global mutable state; the preset tables are const.
 */
#include <math.h>
#include <string.h>

#include "metrics/clickmodel.h"

/* §2.3, ship exactly these. [scale][preset][grade]; scale 0 = binary,
   1 = 3-grade, 2 = 5-grade. The "random" control preset is 0.5 / 0.0 on
   every grade (the 5-grade row extends the table the same way). */
static const double preset_click[3][4][5] = {
	{ {0.0, 1.0}, {0.05, 0.95}, {0.4, 0.9}, {0.5, 0.5} },
	{ {0.0, 0.5, 1.0}, {0.05, 0.5, 0.95}, {0.4, 0.7, 0.9},
	  {0.5, 0.5, 0.5} },
	{ {0.0, 0.2, 0.4, 0.8, 1.0}, {0.05, 0.3, 0.5, 0.7, 0.95},
	  {0.4, 0.6, 0.7, 0.8, 0.9}, {0.5, 0.5, 0.5, 0.5, 0.5} },
};
static const double preset_stop[3][4][5] = {
	{ {0.0, 0.0}, {0.2, 0.9}, {0.1, 0.5}, {0.0, 0.0} },
	{ {0.0, 0.0, 0.0}, {0.2, 0.5, 0.9}, {0.1, 0.3, 0.5},
	  {0.0, 0.0, 0.0} },
	{ {0.0, 0.0, 0.0, 0.0, 0.0}, {0.2, 0.3, 0.5, 0.7, 0.9},
	  {0.1, 0.2, 0.3, 0.4, 0.5}, {0.0, 0.0, 0.0, 0.0, 0.0} },
};

static const char *const kind_names[] = {
	"dbn", "cascade", "pbm", "uniform1"
};
static const char *const preset_names[] = {
	"perfect", "navigational", "informational", "random"
};

static void
defaults(pf_click_model *cm, pf_cm_kind kind, int ngrades)
{
	memset(cm, 0, sizeof(*cm));
	cm->kind = kind;
	cm->depth = PF_CM_DEPTH;
	cm->ngrades = ngrades;
	cm->gamma = 1.0;
	cm->eta = 1.0;
	cm->src_max_grade = ngrades - 1;
}

int
pf_cm_preset(pf_click_model *out, pf_cm_preset_id p, int ngrades,
    pf_err *err)
{
	int s;

	switch (ngrades) {
	case 2: s = 0; break;
	case 3: s = 1; break;
	case 5: s = 2; break;
	default:
		return pf_err_set(err, PF_EINVAL, NULL, 0, "click model presets "
		    "exist for 2, 3 and 5 grades, not %d", ngrades);
	}
	if ((int)p < 0 || (int)p > (int)PF_CM_RANDOM)
		return pf_err_set(err, PF_EINVAL, NULL, 0,
		    "unknown click model preset %d", (int)p);
	defaults(out, PF_CM_DBN, ngrades);
	for (int g = 0; g < ngrades; g++) {
		out->click[g] = preset_click[s][p][g];
		out->stop[g] = preset_stop[s][p][g];
	}
	return PF_OK;
}

int
pf_cm_preset_for(pf_click_model *out, pf_cm_preset_id p, int32_t max_grade,
    pf_err *err)
{
	int rc, ng = max_grade <= 1 ? 2 : max_grade == 2 ? 3 : 5;

	if (max_grade < 1)
		return pf_err_set(err, PF_EINVAL, NULL, 0, "the top grade must "
		    "be at least 1 for a click model preset, got %ld",
		    (long)max_grade);
	if ((rc = pf_cm_preset(out, p, ng, err)) != PF_OK)
		return rc;
	out->src_max_grade = max_grade;
	return PF_OK;
}

int
pf_cm_custom(pf_click_model *out, pf_cm_kind kind, int ngrades,
    const double *click, const double *stop, pf_err *err)
{
	if (ngrades < 1 || ngrades > PF_CM_MAXGRADES)
		return pf_err_set(err, PF_EINVAL, NULL, 0, "a click model has "
		    "1 to %d grades, not %d", PF_CM_MAXGRADES, ngrades);
	defaults(out, kind, ngrades);
	for (int g = 0; g < ngrades; g++) {
		out->click[g] = click[g];
		out->stop[g] = stop != NULL ? stop[g] : 0.0;
	}
	return pf_cm_check(out, err);
}

static int
is_prob(double x)
{
	return x >= 0.0 && x <= 1.0;	/* false for NaN */
}

int
pf_cm_check(const pf_click_model *cm, pf_err *err)
{
	if ((int)cm->kind < 0 || (int)cm->kind > (int)PF_CM_UNIFORM1)
		return pf_err_set(err, PF_EINVAL, NULL, 0,
		    "unknown click model kind %d", (int)cm->kind);
	if (cm->ngrades < 1 || cm->ngrades > PF_CM_MAXGRADES)
		return pf_err_set(err, PF_EINVAL, NULL, 0, "click model "
		    "ngrades must be 1 to %d, got %d", PF_CM_MAXGRADES,
		    cm->ngrades);
	if (cm->depth < 1)
		return pf_err_set(err, PF_EINVAL, NULL, 0,
		    "click model depth must be at least 1");
	for (int g = 0; g < cm->ngrades; g++) {
		if (!is_prob(cm->click[g]))
			return pf_err_set(err, PF_EINVAL, NULL, 0, "click "
			    "probability for grade %d must be in [0, 1], got "
			    "%g", g, cm->click[g]);
		if (!is_prob(cm->stop[g]))
			return pf_err_set(err, PF_EINVAL, NULL, 0, "stop "
			    "probability for grade %d must be in [0, 1], got "
			    "%g", g, cm->stop[g]);
	}
	if (!is_prob(cm->gamma))
		return pf_err_set(err, PF_EINVAL, NULL, 0, "click model gamma "
		    "must be in [0, 1], got %g", cm->gamma);
	if (!(cm->eta >= 0.0) || !isfinite(cm->eta))
		return pf_err_set(err, PF_EINVAL, NULL, 0, "click model eta "
		    "must be finite and >= 0, got %g", cm->eta);
	if (cm->src_max_grade < 0)
		return pf_err_set(err, PF_EINVAL, NULL, 0, "the data's top "
		    "grade must be >= 0, got %ld", (long)cm->src_max_grade);
	return PF_OK;
}

int
pf_cm_map_grade(const pf_click_model *cm, int32_t grade)
{
	int64_t top = cm->ngrades - 1, src = cm->src_max_grade, g = grade;

	if (g <= 0 || top <= 0)
		return 0;		/* unjudged (negative) is grade 0 */
	if (src <= 0 || src == top)
		return (int)(g < top ? g : top);
	if (g > src)
		g = src;
	/* round(g top / src), halves up, in integers */
	return (int)((2 * g * top + src) / (2 * src));
}

int
pf_cm_is_mapped(const pf_click_model *cm)
{
	return cm->src_max_grade > 0 && cm->src_max_grade != cm->ngrades - 1;
}

const char *
pf_cm_kind_name(pf_cm_kind k)
{
	return (int)k >= 0 && (int)k <= (int)PF_CM_UNIFORM1 ?
	    kind_names[k] : "?";
}

const char *
pf_cm_preset_name(pf_cm_preset_id p)
{
	return (int)p >= 0 && (int)p <= (int)PF_CM_RANDOM ?
	    preset_names[p] : "?";
}

int
pf_cm_kind_from_name(const char *name)
{
	for (int i = 0; i <= (int)PF_CM_UNIFORM1; i++)
		if (strcmp(name, kind_names[i]) == 0)
			return i;
	return -1;
}

int
pf_cm_preset_from_name(const char *name)
{
	for (int i = 0; i <= (int)PF_CM_RANDOM; i++)
		if (strcmp(name, preset_names[i]) == 0)
			return i;
	return -1;
}

/*
 * E[C_r] = P(E_r) a_r; for DBN P(E_{r+1}) = P(E_r) gamma (1 - a_r s_r)
 * (an examined user goes on unless satisfied, then with probability
 * gamma); cascade is s = 1, gamma = 1. P(some click) sums the first
 * clicks: P(reach r with no click) a_r, the reach shrinking by
 * (1 - a_r) gamma.
 */
void
pf_cm_list_expect(const pf_click_model *cm, const int32_t *grade, size_t n,
    pf_cm_expect *out)
{
	size_t m = n < cm->depth ? n : cm->depth;
	double e = 1.0, clicks = 0.0, unj = 0.0, sat = 0.0;
	double none = 1.0;

	memset(out, 0, sizeof(*out));
	if (cm->kind == PF_CM_UNIFORM1) {
		for (size_t r = 0; r < m; r++)
			unj += grade[r] < 0;
		out->clicks = m > 0 ? 1.0 : 0.0;
		out->clicks_unjudged = m > 0 ? unj / (double)m : 0.0;
		out->p_click = out->clicks;
		out->p_sat = NAN;
		return;
	}
	for (size_t r = 0; r < m; r++) {
		int g = pf_cm_map_grade(cm, grade[r]);
		double a = cm->click[g], c;

		if (cm->kind == PF_CM_PBM) {
			c = pow((double)(r + 1), -cm->eta) * a;
			none *= 1.0 - c;
		} else {
			double s = cm->kind == PF_CM_CASCADE ? 1.0 : cm->stop[g];
			double gm = cm->kind == PF_CM_CASCADE ? 1.0 : cm->gamma;

			c = e * a;
			sat += c * s;
			e *= gm * (1.0 - a * s);
		}
		clicks += c;
		if (grade[r] < 0)
			unj += c;
	}
	out->clicks = clicks;
	out->clicks_unjudged = unj;
	if (cm->kind == PF_CM_PBM) {
		out->p_click = 1.0 - none;
		out->p_sat = NAN;
	} else {
		double reach = 1.0, first = 0.0;
		for (size_t r = 0; r < m; r++) {
			int g = pf_cm_map_grade(cm, grade[r]);
			double a = cm->click[g];
			double gm = cm->kind == PF_CM_CASCADE ? 1.0 : cm->gamma;
			first += reach * a;
			reach *= (1.0 - a) * gm;
		}
		out->p_click = first;
		out->p_sat = sat;
	}
}
