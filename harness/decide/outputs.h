/*
 * harness/decide/outputs.h — the files a run leaves behind (DESIGN.md
 * "Outputs") and its lines on the terminal, from one outcome: what was
 * measured, every analysis that ran, and the decision. `run` and
 * `compare` both end here.
 */
#ifndef PF_HARNESS_DECIDE_OUTPUTS_H
#define PF_HARNESS_DECIDE_OUTPUTS_H

#include <stdint.h>
#include <stdio.h>

#include "harness/analysis/attrib.h"
#include "harness/analysis/compare.h"
#include "harness/analysis/importance.h"
#include "harness/analysis/interleave.h"
#include "harness/analysis/label_boot.h"
#include "harness/analysis/lift.h"
#include "harness/decide/expectations.h"
#include "harness/decide/verdict.h"
#include "harness/engine/measured.h"
#include "harness/load/scenario.h"
#include "harness/util/diags.h"
#include "harness/util/fileio.h"
#include "reports/model.h"

/* Everything the outputs show; each analysis NULL when it did not run. */
typedef struct pf_outcome {
	const pf_measured	*m;
	const pf_comparison	*cmp;
	const pf_interleaving	*il;
	const pf_liftrun	*lift;
	const pf_attrib		*attrib;
	const pf_lboot		*lboot;
	const pf_imp_all	*imp;
	const struct json_t	*validation;	/* `validate`'s checks */
	const pf_expectations	*exps;
	const pf_decision	*decision;
	const struct json_t	*features;	/* <features-report>, or NULL */
} pf_outcome;

/* Where the outputs go and where the run came from. */
typedef struct pf_outputs_cfg {
	const char		*name;		/* scenario name, "compare" */
	const char		*source;	/* scenario path, or NULL */
	const pf_scenario	*scn;		/* its stacks and files, or
						   NULL (compare) */
	const char		*golden;	/* golden set, in words */
	uint64_t		 seed;
	const char		*dir;		/* outputs folder */
	const char		*results, *report, *junit;	/* in dir */
	const char		*junit_path;	/* --junit: junit.xml here
						   instead, or NULL */
	int			 runs;		/* one TREC run per stack */
	const char		*command;
	double			 seconds;
	const char		*stamp;		/* the run's time, ISO-8601
						   UTC; NULL: now */
	/* inputs beyond the scenario's (compare: the qrels, the runs) */
	const char *const	*in_role, *const *in_path;
	size_t			 nin;
	/* further outputs already written (open, not committed), e.g.
	   --export-features: pf_outputs_write takes them, commits them with
	   its own, all or none, and zeroes them; NULL = none */
	pf_atomic_file		*extra;
	size_t			 nextra;
} pf_outputs_cfg;

/*
 * results.json, report.html, junit.xml and (with runs) one TREC run per
 * stack, into cfg->dir; nothing is replaced unless all are written.
 */
int	pf_outputs_write(const pf_outputs_cfg *cfg, const pf_outcome *o,
	    pf_err *err);
/* Only junit.xml, at cfg->junit_path (`compare --junit` without -o). */
int	pf_outputs_write_junit(const pf_outputs_cfg *cfg, const pf_outcome *o,
	    pf_err *err);
/*
 * A junit.xml with one error case listing the problems: bad input (failed
 * 0: case scenario.load, type BadInput) or a run that failed after
 * loading (failed 1: a stage or an output; case scenario.run, RunFailed).
 */
void	pf_outputs_junit_error(const char *path, const char *scn,
	    const pf_diags *d, int failed);

/*
 * The writers' model of o (reports/model.h), built once for results.json
 * and report.html; what it allocates is kept in b and freed with
 * pf_report_parts_free.
 */
typedef struct pf_report_parts pf_report_parts;
int	pf_report_build(pf_report *out, pf_report_parts **b,
	    const pf_outputs_cfg *cfg, const pf_outcome *o,
	    const pf_rep_input *inputs, size_t ninputs, const char *stamp,
	    pf_err *err);
void	pf_report_parts_free(pf_report_parts *b);
/*
 * Stack k's gbdt models described for the report (decide/models.c): file
 * name, sha256 prefix (from inputs), format, trees, depth, features; NULL
 * when it has none. Owned by the caller.
 */
char	*pf_report_models(const pf_scenario *s, size_t k,
	    const pf_rep_input *in, size_t nin);

/* The JUnit document of o (REPORTS.md 1.6): gates, then expectations. */
int	pf_outputs_junit(FILE *f, const pf_outputs_cfg *cfg,
	    const pf_outcome *o, const char *stamp, const char *sha,
	    pf_err *err);

/* The per-stack table of means on stdout. */
void	pf_outputs_print_table(const pf_measured *m);
/* Each treatment's primary delta, the gates and the verdict on stdout. */
void	pf_outputs_print_verdict(const pf_outcome *o);
/* --quiet: only broken expectations, failed gates and the verdict. */
void	pf_outputs_print_quiet(const pf_outcome *o);

#endif /* PF_HARNESS_DECIDE_OUTPUTS_H */
