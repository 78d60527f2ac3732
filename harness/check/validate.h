/*
 * harness/check/validate.h — `preflight validate`: checks a golden set (a folder
 * with the conventional file names of DESIGN.md "Golden sets", or the
 * golden set a scenario names) before anyone replays stacks over it.
 *
 * Reading problems (a file that cannot be read, a malformed line, an
 * invalid scenario) stop the check: pf_validate returns PF_EFORMAT or
 * PF_EIO with every problem in the diags. A well-formed set is then held
 * to the stated rules (README "preflight validate"):
 *
 *	duplicate-judgments	 one judgment per (qid, annotator, docid)
 *	unknown-queries		 every judged qid is in queries.tsv
 *	unknown-documents	 every judged docid is in docs.tsv
 *	queries-without-relevant at most max_no_relevant of the queries lack
 *				 a relevant (aggregated grade > 0) document
 *	agreement		 Krippendorff's ordinal alpha >= min_alpha
 *				 when some item has two or more labels
 *	expectations		 expectations.tsv names known queries
 *	feature-schema		 when the golden folder has
 *				 features.schema.tsv: its candidate files
 *				 conform (harness/check/features.h)
 *
 * and summarised: counts, the grade distribution of every annotator,
 * agreement (metrics/labelq.h), and the values of every dimension column
 * of queries.tsv with their counts and missing (empty) values.
 */
#ifndef PF_HARNESS_CHECK_VALIDATE_H
#define PF_HARNESS_CHECK_VALIDATE_H

#include <stddef.h>
#include <stdio.h>

#include "harness/util/diags.h"
#include "harness/load/scenario.h"
#include "metrics/err.h"

typedef struct pf_validate_opts {
	double	max_no_relevant;	/* share of queries; default 0 */
	double	min_alpha;		/* ordinal alpha floor; 0.667 */
} pf_validate_opts;

typedef struct pf_validation pf_validation;

/*
 * Validates target (a golden folder or a scenario file). PF_OK when every
 * file was read (rules may still fail: pf_validation_failed), otherwise
 * the problems are in d and *out is NULL.
 */
int	pf_validate(pf_validation **out, const char *target,
	    const pf_validate_opts *o, pf_diags *d);
/*
 * Validates a golden set already in memory, as `preflight run` has it: g is
 * what pf_golden_load built from the scenario s (so its qrels, if any, have
 * no duplicates and no malformed line: the loader refused those), and
 * target names the scenario in the summary. Nothing is read from disk. s
 * and g are borrowed and must outlive *out. PF_OK or PF_ENOMEM.
 */
int	pf_validate_golden(pf_validation **out, const char *target,
	    const pf_scenario *s, const struct pf_golden *g,
	    const pf_validate_opts *o);
void	pf_validation_free(pf_validation *v);
/* Whether path names a file the check read (an output must not). */
int	pf_validation_reads(const pf_validation *v, const char *path);
/* The golden set's judgments as loaded (aggregated), or NULL when they
   were not (qrels with duplicates). Borrowed from v. */
const pf_qrels	*pf_validation_qrels(const pf_validation *v);
/* Number of rules that failed. */
size_t	pf_validation_failed(const pf_validation *v);
/* The human summary. */
void	pf_validation_print(const pf_validation *v, FILE *f);
/* The summary as JSON ("schema": "preflight.validate/1"), atomically. */
int	pf_validation_write_json(const pf_validation *v, const char *path,
	    pf_err *err);
/* The same summary as a jansson object (new reference; NULL: no memory),
   for `preflight run`'s results.json and report. */
struct json_t	*pf_validation_json(const pf_validation *v);

#endif /* PF_HARNESS_CHECK_VALIDATE_H */
