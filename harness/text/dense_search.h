/*
 * harness/text/dense_search.h — exact top-k retrieval over float32 embeddings, every
 * query against every document (the dense stage, bench/dense.sh).
 *
 * Scores are exact in the sense that they do not depend on BLAS, block
 * sizes or the thread count: the score of (q, d) is
 *   ip:     sum_i (double)q[i] * (double)d[i], i = 0..dim-1 in order
 *   cosine: ip(q, d) / (|q| |d|), norms the same way in double; 0 when a
 *           norm is 0
 * and ties are broken by a caller-given rank (the engine's docid order).
 *
 * How: all queries x documents in tiles with one cblas_sgemm per tile,
 * called outside any OpenMP region (the OpenMP build of OpenBLAS then
 * threads the product itself); after each tile an OpenMP loop over its
 * queries keeps, per query, every document whose float32 score is within
 * twice the float32 rounding bound (4 (dim + 4) 2^-24 |q| max|d|) of the
 * current k-th best, then rescores those exactly in double and keeps the
 * top k. The float32 product only selects candidates, so the exact top k
 * is always among them and the output is byte-identical for any thread
 * count and block size. Memory per query grows with the number of
 * documents within rounding distance of its k-th score (all of them, if
 * they all tie).
 */
#ifndef PF_HARNESS_TEXT_DENSE_SEARCH_H
#define PF_HARNESS_TEXT_DENSE_SEARCH_H

#include <stddef.h>
#include <stdint.h>

#include "metrics/err.h"

typedef enum pf_dense_metric {
	PF_DENSE_IP,
	PF_DENSE_COSINE
} pf_dense_metric;

/*
 * q: nq x dim, d: nd x dim, float32 row-major, all finite. tie: nd
 * distinct ranks; among equal scores the larger rank comes first. Writes
 * min(k, nd) results per query, best first, at doc_out[i * k ...] and
 * score_out[i * k ...] (caller-allocated nq * k each).
 */
int	pf_dense_topk(const float *q, size_t nq, const float *d, size_t nd,
	    size_t dim, pf_dense_metric metric, const uint32_t *tie, size_t k,
	    uint32_t *doc_out, double *score_out, pf_err *err);

/* The exact score of one pair, as defined above (for tests and checks). */
double	pf_dense_score(const float *q, const float *d, size_t dim,
	    pf_dense_metric metric);

#endif /* PF_HARNESS_TEXT_DENSE_SEARCH_H */
