/*
 * harness/load/svmlight_internal.h — what the SVMlight loader's two files
 * share: svmlight.c parses lines, svmlight_mat.c keeps the feature matrix
 * while rows arrive and chooses its final layout (the column map of
 * svmlight.h). Not for other modules: use svmlight.h.
 */
#ifndef PF_HARNESS_LOAD_SVMLIGHT_INTERNAL_H
#define PF_HARNESS_LOAD_SVMLIGHT_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "harness/load/svmlight.h"

/*
 * The matrix being read: row-major, row stride cap_w, rows 0..rows-1 begun
 * (every column of a begun row is a value or absent: NaN in x32, 0.0 in
 * x64). While colid is NULL it is dense (column c = id c + base) and keeps
 * the rule of svmlight.h (width <= 2 x distinct ids + PF_SVM_SLACK); the
 * first id that would break it turns it remapped: columns in first-seen
 * order, colid[c] their ids, found through an open-addressing hash.
 */
typedef struct pf_svm_mat {
	int		 base, dbl;	/* dbl: keep x64 too */
	size_t		 rows, cap_rows;
	size_t		 w, cap_w;	/* columns in use; row stride */
	float		*x32;
	double		*x64;
	size_t		 d;		/* distinct ids so far */
	unsigned char	*seen;		/* dense: cap_w, column has a value */
	uint32_t	*colid;		/* remapped: cap_w ids; NULL: dense */
	uint32_t	*hkey, *hcol;	/* remapped: hcap slots, hcol empty =
					   UINT32_MAX */
	size_t		 hcap;
	unsigned	 hbits;		/* hcap = 1 << hbits */
} pf_svm_mat;

/* Begins row m->rows with every feature absent. -1 when out of memory. */
int	pf_svm__mat_row(pf_svm_mat *m);
/* Sets feature id (>= base) of row r (begun) to v. -1 when out of memory. */
int	pf_svm__mat_set(pf_svm_mat *m, size_t r, long id, double v);
/*
 * The final layout by the rule, into s (nf, id, x32, x64, base); m is
 * left empty. -1 when out of memory (m still valid, freed by the caller).
 */
int	pf_svm__mat_finish(pf_svm_mat *m, pf_svm *s);
void	pf_svm__mat_free(pf_svm_mat *m);

#endif /* PF_HARNESS_LOAD_SVMLIGHT_INTERNAL_H */
