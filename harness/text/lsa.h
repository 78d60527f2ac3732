/*
 * harness/text/lsa.h — LSA embeddings for a corpus and its queries (`preflight
 * embed --lsa`): a baseline dense retriever from text alone, not a
 * state-of-the-art encoder.
 *
 *  1. TF-IDF: tokens of title + body as the text stages see them
 *     (harness/text/analyzer.h, optional small stopword list), weight
 *     (1 + ln tf) idf with the Lucene idf ln(1 + (N - df + 0.5)/(df + 0.5))
 *     of bm25 and textfeatures; each row scaled to unit length.
 *  2. Truncated SVD A ~ U S V^T of the documents x terms matrix by a
 *     randomized range finder (Halko, Martinsson, Tropp 2011): l = 2 dim
 *     columns (dim + 10 when dim < 10; at most min(docs, terms), when the
 *     SVD is exact up to rounding), a uniform [-1, 1) test matrix
 *     from Philox (seed), 4 power iterations with QR (LAPACK dgeqrf/dorgqr)
 *     between products, then LAPACK dgesdd of the small l-column factor.
 *     Each singular vector pair is signed so that the entry of V with the
 *     largest magnitude (the first such) is positive. Components with
 *     s <= 1e-9 s_1 are dropped (the corpus has lower rank than dim).
 *  3. Documents: the rows of U; queries folded in: q V S^-1, with q the
 *     query's unit TF-IDF row (terms outside the corpus ignored). A
 *     document's own row folded in the same way gives its row of U.
 *
 * The sparse products run in OpenMP loops over rows (each output entry
 * summed in a fixed order) and LAPACK is called with OpenBLAS set to one
 * thread, so the output is byte-identical for any thread count.
 */
#ifndef PF_HARNESS_TEXT_LSA_H
#define PF_HARNESS_TEXT_LSA_H

#include <stddef.h>
#include <stdint.h>

#include "metrics/err.h"

typedef struct pf_lsa_opts {
	size_t		dim;		/* components wanted */
	int		stop;		/* drop the small stopword list */
	uint64_t	seed;
	int		progress;	/* the phases on stderr */
} pf_lsa_opts;

typedef struct pf_lsa {
	size_t	 k;		/* components kept (<= dim) */
	size_t	 ndocs, nq, nterms;
	float	*docs;		/* ndocs x k, row-major */
	float	*queries;	/* nq x k */
	float	*sigma;		/* k, descending */
} pf_lsa;

int	pf_lsa_build(pf_lsa **out, char *const *title, char *const *body,
	    size_t ndocs, char *const *qtext, size_t nq,
	    const pf_lsa_opts *o, pf_err *err);
void	pf_lsa_free(pf_lsa *m);		/* NULL is a no-op */

#endif /* PF_HARNESS_TEXT_LSA_H */
