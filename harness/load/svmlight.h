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
 * "q<qid>_d<k>" (k = 1-based row within the query), unique within their
 * query (a duplicate is refused at its path:line). Grades are integers.
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
	void	*map;		/* a cache entry the arrays point into
				   (pf_svm_load_cached), or NULL */
	size_t	 maplen;
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
	int		 threads;	/* 0: OpenMP's (--threads) */
	size_t		 chunk_bytes;	/* 0: up to 8 MiB (tests: small) */
} pf_svm_opts;

/*
 * Reads the file in parallel: chunks cut at line boundaries, each parsed
 * on its own thread, merged in file order (svmlight_merge.c). The result
 * and any error (the one at the first line of the file that has one, at
 * path:line) are those of reading a line at a time, for any thread count
 * and chunk size. gzip is inflated on the way (one reader, parsing in
 * parallel).
 */
int	pf_svm_load(pf_svm **out, const char *path, const pf_svm_opts *o,
	    pf_err *err);

/*
 * The rows of bytes [off, off + len) of a plain file only (len
 * PF_SVM_TO_END: to its end): off must start a line and the range end one
 * (or the file); line numbers in errors count from line0 + 1. The column
 * map is that of the rows read. With a query file, its groups must cover
 * exactly the range's rows. A gzip file or a pipe: PF_EINVAL unless the
 * range is the whole file.
 */
#define PF_SVM_TO_END	(~0ULL)
int	pf_svm_load_range(pf_svm **out, const char *path,
	    unsigned long long off, unsigned long long len, long line0,
	    const pf_svm_opts *o, pf_err *err);
void	pf_svm_free(pf_svm *s);

/*
 * pf_svm_load, and when o names no query file, LightGBM's convention:
 * PATH.query beside PATH (a regular file) gives the groups — unless the
 * file names its queries itself (a load with it fails on qid:), then the
 * file is read alone. For the commands given bare files (features).
 */
int	pf_svm_load_beside(pf_svm **out, const char *path,
	    const pf_svm_opts *o, pf_err *err);

/*
 * pf_svm_load through the parsed-candidates cache in dir (`run --cache`;
 * dir NULL: no cache): an entry keyed by the file's sha256 and the parse
 * options (query file's sha256, feature base, need_double) is mapped back
 * (mmap) when its checksums and sizes check out; else (missing, stale,
 * corrupt: a warning on stderr for the last two) the file is parsed and
 * the entry (re)written, temporary name then rename. A cache that cannot
 * be written is warned about, never an error. svmcache.c has the format.
 */
int	pf_svm_load_cached(pf_svm **out, const char *path,
	    const pf_svm_opts *o, const char *dir, pf_err *err);

/*
 * Keeps the cache in dir under max bytes (`run --cache-max`): removes its
 * least recently used entries (by modification time: a load that maps an
 * entry touches it, a parse writes it) until the rest total at most max,
 * never one used at or after *since (this run's). *removed and *freed say
 * what went. PF_OK, or PF_EIO naming the folder or the entry.
 */
struct timespec;
int	pf_svm_cache_prune(const char *dir, unsigned long long max,
	    const struct timespec *since, size_t *removed,
	    unsigned long long *freed, pf_err *err);

/* Memory a loaded file holds (added to *m: bytes summed, sizes maxed). */
typedef struct pf_svm_mem {
	size_t	 x32, x64;	/* the feature matrices */
	size_t	 other;		/* grades, qids, docids, offsets */
	size_t	 rows, nf, qrows;	/* largest file, widest, largest query */
} pf_svm_mem;
void	pf_svm_mem_add(const pf_svm *s, pf_svm_mem *m);

#endif /* PF_HARNESS_LOAD_SVMLIGHT_H */
