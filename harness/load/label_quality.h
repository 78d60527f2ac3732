/*
 * harness/load/label_quality.h — the golden set's label quality for `preflight run`
 * (METHODS.md §6.1): annotator agreement over the qrels' (query, document)
 * pairs with two or more labels (metrics/labelq.h), groups = qrels topics.
 */
#ifndef PF_HARNESS_LOAD_LABEL_QUALITY_H
#define PF_HARNESS_LOAD_LABEL_QUALITY_H

#include <stdio.h>

#include "harness/load/qrels.h"
#include "metrics/labelq.h"

/*
 * *out is NULL when no pair has two or more labels with grade >= 0
 * (negative grades, "pooled but unjudged", are left out); otherwise a new
 * summary to free with pf_goldq_free. PF_OK or PF_ENOMEM.
 */
int	pf_goldq_compute(pf_labelq **out, const pf_qrels *q, pf_err *err);
void	pf_goldq_free(pf_labelq *lq);
/* Topic qids, for pf_labelq_json (borrowed from q; caller frees array). */
const char	**pf_goldq_names(const pf_qrels *q);
/* Annotators and judgments (every line, negative grades included). */
void	pf_goldq_counts(const pf_qrels *q, size_t *nannotators,
	    size_t *njudgments);
/* The terminal line: "golden set: 3 annotators, ... alpha ...". */
void	pf_goldq_print(FILE *f, const pf_labelq *lq, const pf_qrels *q);

#endif /* PF_HARNESS_LOAD_LABEL_QUALITY_H */
