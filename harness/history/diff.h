/*
 * harness/history/diff.h — `preflight diff A B`: what changed between two
 * runs, each a results.json or a run kept in a history (DB#ID, DB#last,
 * DB#last-pass; DB a SQLite file or a postgresql:// URI): the inputs
 * that differ (sha256, path) and the labels, every common stack's metrics
 * paired on the common queries with the statistics of `run` (bootstrap
 * CI, randomization p; Holm over the stacks on the primary metric, BH q
 * on the rest), the queries whose first relevant document moved most
 * (with both top tens), the gates and expectations whose outcome flipped,
 * and the features whose statistics drifted (PSI on the history's
 * quantile sketches, missing-rate jumps). README "preflight diff".
 */
#ifndef PF_HARNESS_HISTORY_DIFF_H
#define PF_HARNESS_HISTORY_DIFF_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "metrics/err.h"
#include "reports/diff.h"

typedef struct pf_diff_opts {
	uint64_t	 seed;		/* the streams' seed ... */
	int		 has_seed;	/* ... else B's own seed */
	size_t		 n_boot, n_perm;	/* 0: 10,000 each */
	size_t		 top;		/* movers per stack; 0: 10 */
	const char	*command;	/* for the method line */
	int		 progress;	/* the comparisons, on stderr */
} pf_diff_opts;

typedef struct pf_diff pf_diff;

/*
 * Reads both sides and compares them. Bad input (a missing or malformed
 * file, a file that is not a results.json, a database that is not there,
 * an unknown run, two runs with no stack, metric or query in common) is
 * PF_EFORMAT, PF_EIO, PF_EDATA or PF_EINVAL with a message naming the side.
 */
int	pf_diff_run(pf_diff **out, const char *a, const char *b,
	    const pf_diff_opts *o, pf_err *err);
const pf_diff_report	*pf_diff_report_of(const pf_diff *d);
void	pf_diff_free(pf_diff *d);	/* NULL is a no-op */

/* The terminal summary. */
void	pf_diff_print(const pf_diff_report *r, FILE *f);

/*
 * dir/diff.json and dir/diff.html, both or neither (dir is created); an
 * output that would overwrite a side's file is refused (PF_EINVAL).
 */
int	pf_diff_write(const pf_diff_report *r, const char *dir, pf_err *err);

#endif /* PF_HARNESS_HISTORY_DIFF_H */
