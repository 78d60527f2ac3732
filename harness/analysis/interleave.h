/*
 * harness/analysis/interleave.h — the scenario's <interleave>: a simulated
 * interleaving experiment of every treatment (B) with the control (A) over
 * the replayed rankings, clicks from a click model driven by the golden
 * grades (metrics/interleave.h, metrics/clickmodel.h; METHODS.md §2), the
 * outcome per query summarised with a bootstrap CI, overall and per
 * dimension value of queries.tsv. Team-draft multileaving runs every stack
 * in one list.
 */
#ifndef PF_HARNESS_ANALYSIS_INTERLEAVE_H
#define PF_HARNESS_ANALYSIS_INTERLEAVE_H

#include <stddef.h>

#include "harness/engine/measured.h"
#include "harness/load/scenario.h"
#include "metrics/clickmodel.h"
#include "metrics/interleave.h"

/* The interleaving outcome of one treatment on one dimension value. */
typedef struct pf_il_segment {
	size_t		 dim, treatment;
	const char	*value;
	pf_il_summary	 sum;
} pf_il_segment;

typedef struct pf_interleaving {
	size_t		 nt;		/* treatments: stacks 1..nt */
	pf_il_summary	*il;		/* nt */
	pf_click_model	 cm;
	pf_il_opts	 opts;
	int		 rescaled;	/* grades mapped onto the preset scale */
	pf_il_segment	*segs;
	size_t		 nsegs;
	size_t		 nshort;	/* team-draft: judged queries where a
					   list shorter than k meets a longer
					   one (its bias) */
	char		 setup[512];	/* the method and click model, in
					   words */
} pf_interleaving;

/*
 * Runs s's <interleave> on m's rankings (*out NULL when the scenario has
 * none, there is no treatment or m has no rankings); with progress, the
 * simulated queries on stderr (util/progress.h). Errors: a custom click
 * model that does not fit the grades (s's path), PF_ENOMEM.
 */
int	pf_interleave_run(pf_interleaving **out, const pf_measured *m,
	    const pf_scenario *s, int progress, pf_err *err);
void	pf_interleaving_free(pf_interleaving *il);

#endif /* PF_HARNESS_ANALYSIS_INTERLEAVE_H */
