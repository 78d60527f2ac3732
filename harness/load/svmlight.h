/*
 * harness/load/svmlight.h — candidate sets with features in LETOR / SVMlight form
 * (MSLR, Yahoo, Istella): `grade qid:Q id:value ... # docid`, and the
 * LightGBM layout (no qid:, a separate .query file of group sizes, no
 * docids).
 *
 * Features are stored once, contiguously (row-major), shared read-only by
 * every stack: float32 with NaN for absent entries (XGBoost's semantics: an
 * absent libsvm entry is missing) and, on request, the double values as
 * parsed with 0.0 for absent entries (LightGBM's semantics). A value must
 * be finite and within float32's range ("inf" or 1e39 is refused at
 * path:line with its feature id), or "nan": an explicit missing value, as
 * both XGBoost and LightGBM read it (NaN in both arrays).
 *
 * The column map: memory follows the features present, not the largest
 * id. With W = largest id present - base + 1 and d = distinct ids present,
 * the matrix is
 *   dense     (id NULL, nf = W, column j = file id j + base) when
 *             W <= 2 d + PF_SVM_SLACK: ids near-contiguous (every LETOR,
 *             MSLR, Yahoo, Istella file);
 *   remapped  (nf = d, id[j] = file id of column j, ascending) otherwise:
 *             hashed feature ids, a file with one feature 4000000.
 * A dense row is so at most twice a remapped one plus PF_SVM_SLACK floats,
 * and keeps the scorers' contiguous column ranges.
 *
 * Rows of one query must be contiguous (as XGBoost and LightGBM require);
 * docids come from the comment's first token or are synthesised as
 * "q<qid>_d<k>" (k = 1-based row within the query). Grades are integers.
 */
#ifndef PF_HARNESS_LOAD_SVMLIGHT_H
#define PF_HARNESS_LOAD_SVMLIGHT_H

#include <stddef.h>
#include <stdint.h>

#include "metrics/err.h"

#define PF_SVM_SLACK	16	/* columns a dense layout may waste beyond 2 d */

typedef struct pf_svm {
	size_t	 nrows, nf;
	int	 base;		/* dense: file id of column 0 (ids >= base) */
	uint32_t *id;		/* nf file ids of the columns, ascending, or
				   NULL: dense, column j = id j + base */
	float	*x32;		/* nrows x nf */
	double	*x64;		/* nrows x nf, or NULL */
	int32_t	*grade;		/* nrows */
	size_t	 nq;
	char	**qid;		/* nq, NUL-terminated */
	size_t	*qoff;		/* nq + 1: rows of query q are qoff[q]..qoff[q+1) */
	char	**docid;	/* nrows */
	long	*line;		/* nrows: the 1-based file line of each row
				   (messages about a row: path:line) */
	char	*path;
} pf_svm;

/*
 * The file's feature ids start at 1 (LETOR, MSLR, SVMlight: the default)
 * or at 0 (the libsvm files XGBoost and LightGBM themselves write), or
 * "from the file": 0 when any row has feature id 0, else 1. pf_svm.base
 * is the answer; a dense matrix's column j is then file id j + base.
 */
enum {
	PF_SVM_BASE_ONE = 0,
	PF_SVM_BASE_ZERO,
	PF_SVM_BASE_AUTO
};

typedef struct pf_svm_opts {
	const char	*query_file;	/* LightGBM group sizes; NULL = qid: */
	int		 feature_base;	/* PF_SVM_BASE_* */
	int		 need_double;	/* also keep x64 */
	int		 progress;	/* MiB read, on stderr */
} pf_svm_opts;

int	pf_svm_load(pf_svm **out, const char *path, const pf_svm_opts *o,
	    pf_err *err);
void	pf_svm_free(pf_svm *s);

#endif /* PF_HARNESS_LOAD_SVMLIGHT_H */
