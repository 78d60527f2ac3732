/*
 * harness/history/diff_internal.h — between diff's files: one side of a
 * diff read into memory the same way whether it came from a results.json
 * (diff_file.c) or a history (diff_db.c), so the comparison (diff.c,
 * diff_parts.c) cannot tell them apart. Everything a side holds lives in
 * its arena.
 */
#ifndef PF_HARNESS_HISTORY_DIFF_INTERNAL_H
#define PF_HARNESS_HISTORY_DIFF_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "harness/history/diff.h"
#include "harness/util/arena.h"

typedef struct pf_dinput {
	const char	*role, *path, *sha;
} pf_dinput;

typedef struct pf_dgate {
	const char	*name, *kind, *status, *message;
} pf_dgate;

typedef struct pf_dfeat {
	const char	*stack, *name;
	long		 feature;
	double		 count, missing_rate, mean;
	double		 q[PF_DIFF_NQUANT];	/* NaN: no present value */
} pf_dfeat;

typedef struct pf_dside {
	pf_arena	*a;
	pf_diff_runinfo	 info;		/* strings in a */
	const char	*primary;	/* NULL: none */
	const char	**metric;	/* nm printed names */
	size_t		 nm;
	const char	**stack;	/* ns ids, the control first */
	size_t		 ns;
	const char	**qid;		/* nq */
	size_t		 nq;
	double		*value;		/* ns x nm x nq; NaN: no value */
	double		*mean;		/* ns x nm; NaN: not reported */
	const char	**top;		/* ns x nq x PF_DIFF_TOPK, or NULL */
	pf_dinput	*in;
	size_t		 nin;
	pf_dgate	*gate;
	size_t		 ng;
	pf_dfeat	*fs;		/* NULL: not kept (a results.json) */
	size_t		 nfs;
	const char	**lkey, **lval;	/* labels; NULL: not kept */
	size_t		 nl;
} pf_dside;

/* Where a side's values of stack s, metric m start (nq of them). */
static inline double *
pf_dside_values(const pf_dside *d, size_t s, size_t m)
{
	return d->value + (s * d->nm + m) * d->nq;
}

/* Index of name among n strings, or -1. */
long	pf_dside_find(const char *const *v, size_t n, const char *name);

/* A side spec: a file path, or DB#RUN (RUN: an id, last, last-pass). */
int	pf_dside_is_db(const char *spec);

/*
 * Reads a results.json (`run` or `compare` wrote it) into d. Errors name
 * the file: cannot open, invalid JSON (with its line), not a results.json,
 * a member of the wrong shape.
 */
int	pf_dside_from_file(pf_dside *d, const char *path, pf_err *err);

/*
 * Reads run DB#RUN from a history into d. last-pass: the last run whose
 * gates all passed, of the other side's scenario when other is not NULL
 * (and before its run when it is a run of the same database), else of
 * the newest run's scenario. Errors name the database and the run.
 */
int	pf_dside_from_db(pf_dside *d, const char *spec, const pf_dside *other,
	    pf_err *err);

void	pf_dside_free(pf_dside *d);

/* n zeroed objects of size in a (overflow-checked); NULL: no memory. */
void	*pf_diff_alloc(pf_arena *a, size_t n, size_t size);
/* A copy of s in a; NULL for NULL or when out of memory. */
char	*pf_diff_strdup(pf_arena *a, const char *s);

/* A diff: both sides, and the report (its arrays and strings in ar). */
#define PF_DIFF_MAXNOTES	8
struct pf_diff {
	pf_dside	 a, b;
	pf_arena	*ar;
	pf_diff_report	 rep;
	const char	*notes[PF_DIFF_MAXNOTES];
	pf_diff_opts	 o;
};

/* The parts of the report built apart from the metrics (diff_parts.c):
   PF_OK or PF_ENOMEM. */
int	pf_diff_part_inputs(pf_diff *x, pf_err *err);
int	pf_diff_part_labels(pf_diff *x, pf_err *err);
int	pf_diff_part_flips(pf_diff *x, pf_err *err);
int	pf_diff_part_drift(pf_diff *x, pf_err *err);
/* Adds a one-line warning to the report (the first PF_DIFF_MAXNOTES). */
void	pf_diff_note(pf_diff *x, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));

#endif /* PF_HARNESS_HISTORY_DIFF_INTERNAL_H */
