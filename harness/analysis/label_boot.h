/*
 * harness/analysis/label_boot.h — `<compare label-bootstrap="true">`: the nested
 * (queries, then labels) bootstrap of metrics/labelboot.h for every
 * treatment against the control on the primary metric, from the replayed
 * rankings and the qrels' per-annotator labels (METHODS.md §6.2).
 */
#ifndef PF_HARNESS_ANALYSIS_LABEL_BOOT_H
#define PF_HARNESS_ANALYSIS_LABEL_BOOT_H

#include <stdio.h>

#include "harness/engine/replay.h"
#include "metrics/labelboot.h"

typedef struct pf_lboot {
	size_t		 nt;		/* treatments: stacks 1..nt */
	size_t		 value;		/* the primary's value index */
	size_t		 n_boot;
	pf_lb_result	*res;		/* nt */
} pf_lboot;

/* PF_OK (*out NULL when the scenario does not ask or nothing ranks). */
int	pf_lboot_run(pf_lboot **out, const pf_replay *r, pf_err *err);
void	pf_lboot_free(pf_lboot *lb);
/* One line per treatment: the three CIs and the flip rate. */
void	pf_lboot_print(FILE *f, const pf_lboot *lb, const pf_replay *r);

#endif /* PF_HARNESS_ANALYSIS_LABEL_BOOT_H */
