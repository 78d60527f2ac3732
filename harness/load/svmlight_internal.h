/*
 * harness/load/svmlight_internal.h — what the SVMlight loader's files
 * share: svmlight_parse.c parses the lines of one chunk of the file,
 * svmlight.c cuts the file into chunks and merges them in file order,
 * svmlight_mat.c keeps each chunk's feature matrix while rows arrive and
 * lays the merged matrix out (the column map of svmlight.h). Not for
 * other modules: use svmlight.h.
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
	int		 auto_base;	/* base 0 while reading, 1 at finish
					   unless some id was 0 */
	int		 zero;		/* an id 0 was set */
	int		 exact_w;	/* the first width exactly (merged) */
	size_t		 hint_w;	/* a first width up to it: it */
	int		 auto_one;	/* merged, auto base: base 1 until a
					   chunk has an id 0 */
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

/* Room for rows rows (not begun). -1 when out of memory. */
int	pf_svm__mat_reserve(pf_svm_mat *m, size_t rows);
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
/* No rows, no columns again, its memory kept for the next chunk (a
   remapped one dense again) unless its stride is not hint_w (> 0): then
   freed, the next first widening taking hint_w. -1 when out of memory
   (m then freed). */
int	pf_svm__mat_reset(pf_svm_mat *m, size_t hint_w);

/* What svmlight_absorb.c shares with svmlight_mat.c: the rule of
   svmlight.h, columns [from, to) of row r absent, room for width
   columns, the column of id (made when new; -1 on OOM). */
int	pf_svm__dense_ok(size_t w, size_t d);
void	pf_svm__mat_absent(pf_svm_mat *m, size_t r, size_t from, size_t to);
int	pf_svm__mat_widen(pf_svm_mat *m, size_t width);
long	pf_svm__mat_col(pf_svm_mat *m, long id);

/* The common case of pf_svm__mat_set: a dense column already in use. */
static inline int
pf_svm__mat_set_fast(pf_svm_mat *m, size_t r, long id, double v)
{
	size_t c = (size_t)(id - m->base);

	if (m->colid != NULL || c >= m->w)
		return pf_svm__mat_set(m, r, id, v);
	m->zero |= id == 0;
	m->d += !m->seen[c];
	m->seen[c] = 1;
	m->x32[r * m->cap_w + c] = (float)v;
	if (m->dbl)
		m->x64[r * m->cap_w + c] = v;
	return 0;
}

/* One row of a chunk: its line within the chunk, grade, qid and docid
   (offsets into the chunk's arena; has_q/has_d 0: none given). */
typedef struct pf_svm_row {
	size_t		 line, qo, dof;
	uint32_t	 ql, dl;
	int32_t		 grade;
	unsigned char	 has_q, has_d;
} pf_svm_row;

/*
 * One chunk of the file, parsed on its own (any thread): the rows in file
 * order, their features in a matrix of the chunk's own layout, and the
 * first error met (err.code != 0; err_line counts lines of this chunk
 * from 1; the chunk stops there). The lines checked across rows (queries
 * contiguous, docids unique in a query, group sizes) are left to the
 * merge, which sees the chunks in file order.
 */
typedef struct pf_svm_chunk {
	unsigned long long off, len;	/* bytes of the file */
	size_t		 nlines, nrows, caprows;
	pf_svm_row	*row;
	char		*arena;		/* qids and docids of the rows */
	size_t		 narena, caparena;
	pf_svm_mat	 m;
	pf_err		 err;
	long		 err_line;
} pf_svm_chunk;

/*
 * Parses text[0..len) (whole lines; the last may lack its '\n') into c
 * (zeroed but for off/len; m.base, m.auto_base, m.dbl set). file_start:
 * the text begins the file (a byte-order mark on its line 1 is dropped).
 */
void	pf_svm__parse_chunk(pf_svm_chunk *c, const char *text, size_t len,
	    int file_start, const char *path, const pf_svm_opts *o);
void	pf_svm__chunk_free(pf_svm_chunk *c);

/*
 * Appends the rows of chunks ch[0..n) (in order) to the matrix g being
 * merged: every id of theirs gets its column in g by the rule (widened,
 * remapped, as rows arriving one at a time would make it; the layout
 * depends on the ids present only), then the rows are copied in parallel.
 * -1 when out of memory.
 */
int	pf_svm__mat_absorb(pf_svm_mat *g, pf_svm_chunk *ch, size_t n);

/*
 * The chunks ch[0..n) of one read (line0: lines before the first) put
 * together into s (svmlight_merge.c): queries, grades, docids, and the
 * matrix g their rows were absorbed into (its final layout); or the error
 * at the first line of the file that has one. groups (NULL: the rows'
 * qid:) are the query file's sizes of the range's queries, the first of
 * them the file's group gfirst + 1 (its qid: a whole read's name).
 */
int	pf_svm__assemble(pf_svm *s, pf_svm_chunk *ch, size_t n, long line0,
	    const size_t *groups, size_t ngroups, size_t gfirst,
	    pf_svm_mat *g, const pf_svm_opts *o, const char *path,
	    pf_err *err);

/* A query file's group sizes (one positive integer a line; blank lines
   skipped), malloc'd; errors at path:line. */
int	pf_svm__load_groups(size_t **out, size_t *n, const char *path,
	    pf_err *err);

/*
 * pf_svm_load_range with the groups given (LightGBM layout read in
 * shares, svmindex.c): groups[0..ngroups) cover the range's rows exactly,
 * the first is the file's group gfirst + 1; o->query_file names the file
 * in messages and is not read.
 */
int	pf_svm__load_range_groups(pf_svm **out, const char *path,
	    unsigned long long off, unsigned long long len, long line0,
	    const size_t *groups, size_t ngroups, size_t gfirst,
	    const pf_svm_opts *o, pf_err *err);

#endif /* PF_HARNESS_LOAD_SVMLIGHT_INTERNAL_H */
