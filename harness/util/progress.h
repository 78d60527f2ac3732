/*
 * harness/util/progress.h — one line of progress on stderr for a long
 * phase (the replay, bootstrap and permutations, interleaving, importance,
 * attribution, LSA, a big run file): items done of the total, the rate
 * and the time left, redrawn at most four times a second and replaced by
 * a summary line at the end. Off (every call a no-op) unless the caller
 * says so — the command line turns it on when stderr is a terminal and
 * not --quiet — so it never changes an output file or a test's stderr.
 *
 * pf_progress_step may be called from any thread of an OpenMP loop: the
 * count is atomic, and only the master thread draws.
 */
#ifndef PF_HARNESS_UTIL_PROGRESS_H
#define PF_HARNESS_UTIL_PROGRESS_H

#include <stddef.h>

typedef struct pf_progress {
	int		 on;
	const char	*what, *unit;	/* "bootstrap", "comparisons" */
	size_t		 total, done;
	double		 t0, last;
} pf_progress;

/* Starts a phase of total items (0: unknown). Nothing when !on. Unit
   PF_PROGRESS_BYTES counts bytes and shows MiB. */
#define PF_PROGRESS_BYTES	NULL
void	pf_progress_start(pf_progress *p, int on, const char *what,
	    const char *unit, size_t total);
/* n more items done; thread-safe. */
void	pf_progress_step(pf_progress *p, size_t n);
/* The summary line: "what: N unit in S s". */
void	pf_progress_end(pf_progress *p);

#endif /* PF_HARNESS_UTIL_PROGRESS_H */
