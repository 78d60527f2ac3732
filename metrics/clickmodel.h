/*
 * metrics/clickmodel.h — click models for offline interleaving simulation
 * (../shared/METHODS.md §2). Pure: no I/O, no allocation, no global state.
 *
 * One parameter set, four kinds (r = 1-based position, g = grade on the
 * model's scale, a(g) = click[g], s(g) = stop[g]):
 *
 *  - PF_CM_DBN (Chapelle & Zhang 2009): E_1 = 1; an examined result is
 *    clicked with probability a(g); a clicked result satisfies (the user
 *    stops) with probability s(g); an unsatisfied user examines the next
 *    result with probability gamma. With gamma = 1 this is the "cascade
 *    with click and stop probabilities" of the online-LTR literature; the
 *    named presets are exactly that (§2.1, §2.3).
 *  - PF_CM_CASCADE (Craswell et al. 2008): DBN with s = 1 and gamma = 1 —
 *    scan from the top, click with probability a(g), stop at the first
 *    click; stop[] and gamma are ignored.
 *  - PF_CM_PBM (examination hypothesis): position r is clicked with
 *    probability theta_r a(g), theta_r = r^-eta, independently of the
 *    other positions; stop[] and gamma are ignored.
 *  - PF_CM_UNIFORM1: exactly one click, on a position drawn uniformly from
 *    the first min(n, depth) results, whatever the grades: §1.2's "random
 *    clicker", the user of METHODS.md §8 item 1.
 *
 * Every kind sees only the first `depth` positions (default 10).
 *
 * Grades. Data grades are integers 0..src_max_grade (the golden set's top
 * grade G); a negative grade means unjudged and counts as grade 0 (the
 * simulation standard, §2.3). A grade above G counts as G. When G equals
 * the model's top grade G' = ngrades - 1 the mapping is the identity;
 * otherwise g' = round(g G' / G), halves rounded up — so 0..3 (four
 * grades) onto the 5-grade presets is 0, 1, 3, 4, and 0..2 onto the
 * binary presets is 0, 1, 1. pf_cm_is_mapped() says when that happened,
 * so the report can say so (§2.3).
 *
 * Named presets (§2.3, exact values) exist for 2, 3 and 5 grades:
 * perfect, navigational, informational, and the "random" control preset
 * (click 0.5, stop 0, every grade: any unbiased interleaving method has
 * E[outcome] = 0 under it). pf_cm_preset_for() picks the preset scale for
 * a golden set's top grade: G = 1 -> 2 grades, G = 2 -> 3 grades, G >= 3
 * -> 5 grades (G = 3 keeps its four grades distinct; G > 4 is lossy).
 */
#ifndef PF_METRICS_CLICKMODEL_H
#define PF_METRICS_CLICKMODEL_H

#include <stddef.h>
#include <stdint.h>

#include "metrics/err.h"

#define PF_CM_MAXGRADES	16	/* grades on a custom scale */
#define PF_CM_DEPTH	10	/* default examination depth */

typedef enum pf_cm_kind {
	PF_CM_DBN,
	PF_CM_CASCADE,
	PF_CM_PBM,
	PF_CM_UNIFORM1
} pf_cm_kind;

typedef enum pf_cm_preset_id {
	PF_CM_PERFECT,
	PF_CM_NAVIGATIONAL,
	PF_CM_INFORMATIONAL,
	PF_CM_RANDOM
} pf_cm_preset_id;

typedef struct pf_click_model {
	pf_cm_kind	kind;
	size_t		depth;			/* positions examined at most */
	int		ngrades;		/* model scale: grades 0..ngrades-1 */
	double		click[PF_CM_MAXGRADES];	/* a(g) = P(click | examined, g) */
	double		stop[PF_CM_MAXGRADES];	/* s(g) = P(stop | click, g) */
	double		gamma;			/* DBN: P(go on | not satisfied) */
	double		eta;			/* PBM: theta_r = r^-eta */
	int32_t		src_max_grade;		/* G of the data (see above) */
} pf_click_model;

/*
 * Fills out with a named preset on an ngrades-point scale (2, 3 or 5):
 * kind PF_CM_DBN, gamma 1, eta 1, depth 10, src_max_grade ngrades - 1.
 * Change kind afterwards for cascade or PBM with the preset's
 * attractiveness. PF_EINVAL for another scale or an unknown preset.
 */
int	pf_cm_preset(pf_click_model *out, pf_cm_preset_id p, int ngrades,
	    pf_err *err);

/*
 * The same preset on the scale chosen for data whose top grade is
 * max_grade (>= 1), with the mapping set (src_max_grade = max_grade).
 */
int	pf_cm_preset_for(pf_click_model *out, pf_cm_preset_id p,
	    int32_t max_grade, pf_err *err);

/*
 * Custom parameters: kind, ngrades (1..PF_CM_MAXGRADES) and the click and
 * stop vectors (stop may be NULL: all 0); gamma 1, eta 1, depth 10,
 * src_max_grade ngrades - 1. Checked with pf_cm_check.
 */
int	pf_cm_custom(pf_click_model *out, pf_cm_kind kind, int ngrades,
	    const double *click, const double *stop, pf_err *err);

/*
 * Checks every field: probabilities finite and in [0, 1], gamma in
 * [0, 1], eta finite and >= 0, depth >= 1, 1 <= ngrades <=
 * PF_CM_MAXGRADES, src_max_grade >= 0. PF_EINVAL naming the field.
 */
int	pf_cm_check(const pf_click_model *cm, pf_err *err);

/* The model-scale grade for a data grade (see the mapping above). */
int	pf_cm_map_grade(const pf_click_model *cm, int32_t grade);

/* Whether data grades are rescaled (src_max_grade != ngrades - 1). */
int	pf_cm_is_mapped(const pf_click_model *cm);

/* Names for scenarios and reports: "dbn", "cascade", "pbm", "uniform1";
   "perfect", "navigational", "informational", "random". Lookups return
   -1 for an unknown name. */
const char	*pf_cm_kind_name(pf_cm_kind k);
const char	*pf_cm_preset_name(pf_cm_preset_id p);
int		 pf_cm_kind_from_name(const char *name);
int		 pf_cm_preset_from_name(const char *name);

/*
 * Exact expectations for one ranked list shown alone (§2.4 item 3, the
 * simulated A/B under the same click model): grade[i] is the data grade
 * of position i (negative: unjudged). Pure; thread-safe.
 */
typedef struct pf_cm_expect {
	double	clicks;			/* E[number of clicks] */
	double	clicks_unjudged;	/* E[clicks on unjudged documents] */
	double	p_click;		/* P(at least one click) */
	double	p_sat;			/* DBN/cascade: P(the user stops
					   satisfied); NaN for PBM, UNIFORM1 */
} pf_cm_expect;

void	pf_cm_list_expect(const pf_click_model *cm, const int32_t *grade,
	    size_t n, pf_cm_expect *out);

#endif /* PF_METRICS_CLICKMODEL_H */
