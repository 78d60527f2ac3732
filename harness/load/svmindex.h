/*
 * harness/load/svmindex.h — a candidate file's query index and its share
 * reads (`run --shard`, MPI ranks, `run --mem` blocks): each process reads
 * only the rows of its queries, with the column map of the whole file.
 *
 * The index is one pass over the file (read(2), memchr for lines): per query
 * in file order its qid, byte offset, lines before it and row count, and
 * the feature ids present (a bitmap: their count, the largest, whether id
 * 0 is there). Values are not parsed: a bad value is the error of the
 * process whose share holds its line (the range read's, at path:line).
 *
 * pf_svm_index_layout gives the column map pf_svm_load would lay the whole
 * file out in (svmlight.h: base, dense width or remapped ids), and
 * pf_svm_load_share reads bytes [off, end) and moves its columns to that
 * map, so a share's rows hold the values the whole file's rows hold, in
 * the same columns.
 */
#ifndef PF_HARNESS_LOAD_SVMINDEX_H
#define PF_HARNESS_LOAD_SVMINDEX_H

#include <stddef.h>
#include <stdint.h>

#include "harness/load/svmlight.h"

typedef struct pf_svm_index {
	size_t		 nq;
	char		**qid;		/* nq */
	/* nq + 1: query k's bytes are [off[k], off[k + 1]), after
	   line[k] lines */
	unsigned long long *off;
	long		*line;
	size_t		*nrows;		/* nq */
	size_t		 rows;		/* all queries' */
	size_t		 d;		/* distinct feature ids */
	uint32_t	 maxid;
	int		 zero;		/* an id 0 is there */
	unsigned long long size;	/* the file's bytes and time, */
	long long	 mtime_ns;	/* when indexed */
	uint8_t		*seen;		/* maxid + 1 bits */
	/* LightGBM layout: the query file whose group sizes cut the rows
	   (nrows[k] = group k + 1's size, qid[k] its number, as a whole
	   read names it), its bytes and time when indexed; NULL: qid: */
	char		*qfile;
	unsigned long long qsize;
	long long	 qmtime_ns;
} pf_svm_index;

/*
 * Indexes a plain file with qid: (PF_OK, *out set), or *out NULL and
 * PF_OK when the file cannot be read in shares (gzip, a pipe, a row
 * without qid:, a query met twice, no feature, ids past 2^28): the caller
 * reads it whole, and the whole read reports what is wrong with it.
 * PF_EIO / PF_ENOMEM otherwise.
 */
int	pf_svm_index_build(pf_svm_index **out, const char *path,
	    pf_err *err);
/*
 * The same for a file of the LightGBM layout (rows without qid:, group
 * sizes in qfile): the group file is read (its sizes summed: row counts
 * to rows), then the data file in the one pass, which notes the byte
 * offset and line of each group's first row. *out NULL (read whole: the
 * whole read reports it) when the groups do not cover the rows exactly,
 * a row has qid:, or the query file is bad.
 */
int	pf_svm_index_build_groups(pf_svm_index **out, const char *path,
	    const char *qfile, pf_err *err);
void	pf_svm_index_free(pf_svm_index *x);
/* The blocks the index reads the file in (0: 16 MiB; tests: a few bytes,
   lines then span blocks). Not thread-safe: set before indexing. */
void	pf_svm_index_block_size(size_t n);
static inline size_t
pf_svm_index_rows(const pf_svm_index *x)
{
	return x->rows;
}

/* The whole file's column map (feature_base PF_SVM_BASE_*): base and nf,
   *ids (malloc'd, nf ascending) when remapped, else NULL. -1 when a
   base-1 file has id 0 (the whole read's error) or out of memory. */
int	pf_svm_index_layout(const pf_svm_index *x, int feature_base,
	    int *base, size_t *nf, uint32_t **ids);

/*
 * Queries [k0, k1) of the index read (k0 == k1: no rows, the file's
 * columns) in the whole file's column map. The file (and its query file)
 * must be as indexed (size and modification time): one changed since is
 * PF_EDATA naming it. Errors of the rows: as pf_svm_load_range.
 */
int	pf_svm_load_share(pf_svm **out, const char *path,
	    const pf_svm_index *x, size_t k0, size_t k1, const pf_svm_opts *o,
	    pf_err *err);

#endif /* PF_HARNESS_LOAD_SVMINDEX_H */
