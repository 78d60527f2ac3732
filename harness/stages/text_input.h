/*
 * harness/stages/text_input.h — what the text stages (bm25, textfeatures)
 * share: the analyzer their stopwords= and stem= parameters ask for
 * (harness/text/analyzer.h), and the check that every query has text.
 */
#ifndef PF_HARNESS_STAGES_TEXT_INPUT_H
#define PF_HARNESS_STAGES_TEXT_INPUT_H

#include "harness/load/golden.h"
#include "harness/stages/stage.h"
#include "harness/text/analyzer.h"

/* From a stage's stopwords= and stem= parameters, errors at their line. */
int	pf_stage_analyzer(pf_analyzer **out, const pf_stage_cfg *cfg,
	    pf_err *err);

/*
 * PF_EDATA at the first query of g whose text is missing or has no token
 * (path:line of the queries file), naming stage.
 */
int	pf_stage_query_text(const pf_golden *g, const char *stage,
	    pf_err *err);

#endif /* PF_HARNESS_STAGES_TEXT_INPUT_H */
