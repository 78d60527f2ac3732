/*
 * reports/labelq_json.h — the label-quality summary (metrics/labelq.h) as a
 * JSON object: results.json's "golden_quality" and the agreement part of
 * `preflight validate --json`. Schema in README "Golden-set quality".
 */
#ifndef PF_REPORTS_LABELQ_JSON_H
#define PF_REPORTS_LABELQ_JSON_H

#include <stddef.h>

#include <jansson.h>

#include "metrics/labelq.h"

/* How many most-confusing queries the report and JSON name. */
#define PF_LABELQ_WORST	10

/* A new object; group_name[g] names group g (a qid). NULL on OOM. */
json_t	*pf_labelq_json(const pf_labelq *q, const char *const *group_name);
/*
 * results.json's "golden_quality": {annotators, judgments, agreement},
 * agreement = pf_labelq_json or null (q NULL: one label a pair).
 */
json_t	*pf_golden_quality_json(const pf_labelq *q,
	    const char *const *group_name, size_t nannotators,
	    size_t njudgments);

struct pf_lb_result;
/*
 * results.json's "label_bootstrap": the primary metric's three CIs per
 * treatment (res[i]: treatment[i] against control); null when res is NULL.
 */
json_t	*pf_lboot_json(const struct pf_lb_result *res, size_t nt,
	    const char *const *treatment, const char *control,
	    const char *metric, size_t B);

#endif /* PF_REPORTS_LABELQ_JSON_H */
