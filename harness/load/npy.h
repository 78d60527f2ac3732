/*
 * harness/load/npy.h — NumPy .npy files of float32 (the embeddings of the dense
 * stage and of `preflight embed`) and their ids files.
 *
 * Read: format versions 1, 2 and 3 (3 is 2 with a UTF-8 header), dtype
 * '<f4' only, C order, 1-D (n,) or 2-D (rows, cols) shapes; the file must
 * hold exactly the bytes the header announces. Anything else (another
 * dtype such as '<f8' or '>f4', Fortran order, a bad magic or header, a
 * truncated file, bytes after the data) is a PF_EFORMAT error naming the
 * file. Write: version 1 (the header of a 1-D or 2-D float32 array is
 * short), padded with spaces so the data starts on a 64-byte boundary, as
 * numpy writes it; through a temporary file renamed at the end.
 *
 * An ids file holds one id per line, in row order: line i + 1 is the id of
 * row i. No blank lines, no whitespace inside an id; a final CR is dropped.
 */
#ifndef PF_HARNESS_LOAD_NPY_H
#define PF_HARNESS_LOAD_NPY_H

#include <stddef.h>

#include "metrics/err.h"

typedef struct pf_npy {
	float	*data;		/* rows x cols, row-major (pf_malloc_big) */
	size_t	 rows, cols;	/* a 1-D array of n values: rows n, cols 1 */
	int	 ndim;		/* 1 or 2 */
} pf_npy;

int	pf_npy_read(pf_npy **out, const char *path, pf_err *err);
void	pf_npy_free(pf_npy *a);		/* NULL is a no-op */
/* Writes x (rows x cols, row-major) as shape (rows,) when ndim == 1 (cols
   must be 1) or (rows, cols) when ndim == 2. */
int	pf_npy_write(const char *path, const float *x, size_t rows,
	    size_t cols, int ndim, pf_err *err);

typedef struct pf_ids {
	char	*buf;		/* the file, ids NUL-terminated in place */
	char	**id;		/* n borrowed pointers into buf */
	size_t	 n;
} pf_ids;

int	pf_ids_read(pf_ids **out, const char *path, pf_err *err);
void	pf_ids_free(pf_ids *ids);	/* NULL is a no-op */
int	pf_ids_write(const char *path, const char *const *id, size_t n,
	    pf_err *err);

#endif /* PF_HARNESS_LOAD_NPY_H */
