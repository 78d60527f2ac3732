/*
 * harness/check/probe_internal.h — what the probe's files (probe.c, the engine;
 * probe_rows.c, its inputs) share. Not for other modules.
 */
#ifndef PF_HARNESS_CHECK_PROBE_INTERNAL_H
#define PF_HARNESS_CHECK_PROBE_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "harness/model/gbdt.h"
#include "harness/check/probe.h"
#include "harness/load/svmlight.h"

/* Reference rows: n x w doubles, model column j at x[i * w + j]. */
typedef struct pf_probe_rows {
	double	*x;
	size_t	 n, w;
	long	 first;		/* file feature id of column 0 */
} pf_probe_rows;

/*
 * Rows synthesised from the model's splits sp (no feature file): each
 * feature drawn among one value per cell its thresholds cut the axis into,
 * and r->feat[j]'s range derived from them; r->rowname filled.
 * PF_ENOMEM on failure.
 */
int	pf_probe__synth_rows(pf_probe_report *r, pf_probe_rows *c,
	    const pf_gbdt_splits *sp, uint64_t seed);

/*
 * Rows sampled (seeded, c->n of s's rows, in file order) from the feature
 * file s: LightGBM (lgb) reads the doubles with absent = 0, XGBoost and
 * plugins the floats with absent = missing. r->feat[j]'s range is observed
 * over all of s's rows (from sp's thresholds when a feature has no
 * value); r->rowname filled. PF_ENOMEM on failure.
 */
int	pf_probe__file_rows(pf_probe_report *r, pf_probe_rows *c,
	    const pf_svm *s, int lgb, const pf_gbdt_splits *sp, uint64_t seed);

/*
 * The sweep grid of a monotone feature with range f: grid even points from
 * lo to hi and every threshold of thr[0..nthr) strictly inside, sorted and
 * distinct, in a malloc'd *out. PF_ENOMEM on failure.
 */
int	pf_probe__grid(const pf_probe_feat *f, const double *thr, size_t nthr,
	    size_t grid, double **out, size_t *nout);

/*
 * The 1-based line of the first entry of the (already loaded, so valid)
 * feature file at path with a feature id above last; 0 when none or the
 * file cannot be read again.
 */
long	pf_probe__line_beyond(const char *path, long last);

/*
 * The features' names (r->fname: the names file o->names, else the model
 * m's own; a warning on stderr where they differ) and the monotone
 * expectations o->mono resolved to columns (r->mono, r->nmono). Needs
 * r->first and r->nfeat. PF_EDATA for a monotone feature the model does
 * not read or a name nothing knows; the names file's own errors.
 */
int	pf_probe__names(pf_probe_report *r, const pf_gbdt *m,
	    const char *path, const pf_probe_opts *o, pf_err *err);

#endif /* PF_HARNESS_CHECK_PROBE_INTERNAL_H */
