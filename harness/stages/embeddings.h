/*
 * harness/stages/embeddings.h — the embedding parameters the dense stage
 * and textfeatures share: PREFIX "docs", "doc-ids", "queries",
 * "query-ids" (paths, resolved against the scenario's folder) and
 * "metric" (ip, the default, or cosine). The files are read and checked by
 * the golden set (pf_golden_embeddings, harness/load/embeddings.h).
 */
#ifndef PF_HARNESS_STAGES_EMBEDDINGS_H
#define PF_HARNESS_STAGES_EMBEDDINGS_H

#include "harness/load/golden.h"
#include "harness/stages/stage.h"
#include "harness/text/dense_search.h"

/*
 * prefix "" for the dense stage, "dense-" for textfeatures. PF_OK with a
 * new *out (free with pf_emb_free) and *metric, or an error with the
 * scenario line or the file in err.
 */
int	pf_stage_embeddings(pf_emb **out, pf_dense_metric *metric,
	    const pf_stage_cfg *cfg, const char *prefix, pf_err *err);

#endif /* PF_HARNESS_STAGES_EMBEDDINGS_H */
