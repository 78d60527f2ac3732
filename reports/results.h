/*
 * reports/results.h — results.json, the complete machine-readable record of
 * a run (DESIGN.md "Outputs"). Plain data in, JSON out (jansson); the
 * schema is versioned ("schema": "preflight.results/1") and documented in
 * README "results.json".
 */
#ifndef PF_REPORTS_RESULTS_H
#define PF_REPORTS_RESULTS_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "metrics/err.h"
#include "reports/html.h"

#define PF_RESULTS_SCHEMA	"preflight.results/1"

typedef struct pf_res_input {
	const char	*role;		/* "scenario", "qrels", "model", ... */
	const char	*path;
	char		 sha256[65];	/* lowercase hex */
	uint64_t	 bytes;
} pf_res_input;

typedef struct pf_res_stage {
	const char	*stage;
	const char	*const *keys;	/* parameters as in the scenario */
	const char	*const *values;
	size_t		 nparams;
} pf_res_stage;

typedef struct pf_res_stack {
	const char		*id, *name;
	const pf_res_stage	*stages;
	size_t			 nstages;
	const double		*mean;		/* nv */
	const double		*values;	/* nq x nv */
	const size_t		*nret;		/* nq */
	const char		*run;		/* run file written, or NULL */
} pf_res_stack;

typedef struct pf_results {
	const char		*preflight_version;
	const char		*scenario_name;
	uint64_t		 seed;
	int			 threads;
	const pf_res_input	*inputs;
	size_t			 ninputs;
	const char		*const *metrics;	/* nv printed names */
	const unsigned char	*is_count;		/* nv */
	size_t			 nv;
	const char		*primary;
	const char		*const *qids;		/* nq */
	const unsigned char	*judged;		/* nq */
	size_t			 nq, njudged;
	const pf_res_stack	*stacks;		/* the first is the control */
	size_t			 nstacks;
	/* the comparison, or NULL: (nstacks - 1) x nv */
	const pf_rep_delta	*deltas;
	const char		*verdict, *verdict_why, *rule;
	const pf_rep_gate	*gates;
	size_t			 ngates;
	const pf_rep_segment	*segs;
	size_t			 nsegs;
	const pf_rep_il		*il;		/* nstacks - 1, or NULL */
	const pf_rep_il		*ilsegs;	/* per dimension value */
	size_t			 nilsegs;
	const char		*il_setup;
	pf_rep_analyses		 an;		/* as the report's */
} pf_results;

/* Writes the JSON document to f (sorted keys off: the order above). */
int	pf_results_write_json(const pf_results *r, FILE *f, pf_err *err);

#endif /* PF_REPORTS_RESULTS_H */
