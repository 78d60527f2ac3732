/*
 * metrics/internal.h — internals shared by metrics/ sources; never included
 * from another folder (STYLE.md C1).
 */
#ifndef PF_METRICS_INTERNAL_H
#define PF_METRICS_INTERNAL_H

#include <stddef.h>

#include "metrics/treceval.h"

/* trec_eval's measure table order, which is also the output order. */
enum te_measure {
	TE_RUNID, TE_NUM_Q, TE_NUM_RET, TE_NUM_REL, TE_NUM_REL_RET, TE_MAP,
	TE_GM_MAP, TE_RPREC, TE_BPREF, TE_RECIP_RANK, TE_IPREC, TE_P,
	TE_RELSTRING, TE_RECALL, TE_INFAP, TE_NDCG, TE_NDCG_CUT, TE_MAP_CUT,
	TE_SUCCESS, TE_NDCG_EXP, TE_NDCG_EXP_CUT, TE_ERR, TE_JUDGED, TE_NMEAS
};

enum te_kind {
	TE_K_NONE,	/* no parameters */
	TE_K_LONGS,	/* cutoffs: "5,10" */
	TE_K_FLOATS,	/* recall levels: ".1,.5" */
	TE_K_GAINS,	/* level=gain pairs: "1=3,2=9" */
	TE_K_LONG1	/* one cutoff, no value slot (relstring) */
};

#define TE_MAXP		64	/* parameters per measure */
#define TE_NLOG		4096	/* tabulated log2(rank + 1) */

struct pf_te_spec {
	unsigned char	on[TE_NMEAS];
	unsigned char	given[TE_NMEAS];	/* parameters given explicitly */
	char		raw[TE_NMEAS][128];	/* parameter text as given */
	double		p[TE_NMEAS][TE_MAXP];	/* sorted ascending */
	int		np[TE_NMEAS];
	int		glevel[TE_MAXP];	/* ndcg gains: level -> gain */
	double		gain[TE_MAXP];
	int		ngain;
	size_t		off[TE_NMEAS];		/* first value slot */
	size_t		nvalues;
	int		finished;
	double		log2r[TE_NLOG];		/* log2(i + 2), 0-based rank i */
};

#endif /* PF_METRICS_INTERNAL_H */
