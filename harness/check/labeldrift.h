/*
 * harness/check/labeldrift.h — label drift between two versions of a
 * golden set's judgments (`preflight validate A --against B`, README
 * "Know your features" / "preflight validate"): B is the reference (the
 * earlier version), A the current one. Compared on aggregated judgments,
 * one grade per (qid, docid) pair (the golden set's aggregation):
 *
 *   grades	pairs per grade in each, and the PSI of A's grade
 *		distribution against B's (metrics/drift.h, pf_drift_psi_counts);
 *   pairs	pairs in both, relabelled (their grade changed; the first
 *		examples in A's order), added (only in A), removed (only in B);
 *   queries	judged queries added (only in A) and removed (only in B).
 */
#ifndef PF_HARNESS_CHECK_LABELDRIFT_H
#define PF_HARNESS_CHECK_LABELDRIFT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "harness/load/qrels.h"
#include "metrics/err.h"

struct json_t;

#define PF_LDRIFT_EXAMPLES	5

typedef struct pf_ldrift {
	char	*ref_name, *cur_name;	/* what was compared (paths) */
	int32_t	*grade;			/* ngrades distinct, ascending */
	size_t	 ngrades;
	size_t	*nref, *ncur;		/* pairs per grade */
	double	 psi;
	size_t	 npairs_ref, npairs_cur, ncommon, nrelabel, nadded, nremoved;
	size_t	 nex;
	char	 ex[PF_LDRIFT_EXAMPLES][320];	/* "qid docid: 2 -> 0" */
	size_t	 nq_ref, nq_cur, nq_added, nq_removed;
	size_t	 nqa_ex, nqr_ex;
	char	 qadded[PF_LDRIFT_EXAMPLES][128];
	char	 qremoved[PF_LDRIFT_EXAMPLES][128];
} pf_ldrift;

/* The drift from ref to cur into *out. PF_OK or PF_ENOMEM. */
int	pf_ldrift_compute(pf_ldrift **out, const pf_qrels *ref,
	    const char *ref_name, const pf_qrels *cur, const char *cur_name,
	    pf_err *err);
void	pf_ldrift_free(pf_ldrift *d);
void	pf_ldrift_print(const pf_ldrift *d, FILE *f);
/* As JSON (validate's "label_drift"); NULL: no memory. */
struct json_t	*pf_ldrift_json(const pf_ldrift *d);

#endif /* PF_HARNESS_CHECK_LABELDRIFT_H */
