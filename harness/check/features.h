/*
 * harness/check/features.h — know the features of candidate files (README
 * "Know your features"): draft a feature schema from data, check files
 * against a schema (conformance), and compare two schemas (evolution).
 * The schema file itself is harness/load/featschema.h.
 *
 * Conformance rules, each with a count and the first offending examples
 * (path:line, in file order):
 *
 *	out-of-range	 a value below MIN or above MAX, or a category
 *			 feature's value not among its categories (count:
 *			 values)
 *	wrong-type	 a non-integer in an int feature, a value other than
 *			 0 or 1 in a bool feature (count: values)
 *	missing		 a row without a value (absent id:value or nan) for a
 *			 feature whose missing column is "no" (count: values)
 *	query-level	 a query-level feature whose value (missing counts as
 *			 a value) differs within a query (count: (query,
 *			 feature) pairs; the example is the first differing
 *			 row)
 *	undocumented	 a feature id some row has that the schema lacks
 *			 (count: features; the example is its first row)
 *	absent		 a feature the schema describes that no row has
 *			 (count: features; the example is the schema's line)
 *
 * Values are compared as the file writes them (the double parsed), not
 * rounded to float32. Deterministic: the same bytes for any thread count.
 */
#ifndef PF_HARNESS_CHECK_FEATURES_H
#define PF_HARNESS_CHECK_FEATURES_H

#include <stddef.h>
#include <stdio.h>

#include "harness/load/featschema.h"
#include "harness/load/svmlight.h"
#include "harness/load/scenario.h"
#include "harness/util/diags.h"
#include "harness/util/fnames.h"
#include "metrics/err.h"

struct json_t;

/*
 * A candidate file read for these checks: feature ids from the file
 * (svmlight.h's PF_SVM_BASE_AUTO), the double values kept, the groups of
 * qfile — or, when qfile is NULL and the file has no qid:, of PATH.query
 * beside it when that exists (LightGBM's convention).
 */
int	pf_features_read(pf_svm **out, const char *path, const char *qfile,
	    pf_err *err);

/*
 * A schema drafted from the n files: a row for every feature id some row
 * has; type int when every present value is an integer, bool when every
 * one is 0 or 1, else float; range the observed MIN,MAX (0,1 for bool);
 * missing yes when some row lacks it; level query when its value is
 * constant within every query and some query has two rows or more. Names
 * from names when it names the id, else "f<id>". PF_OK or PF_ENOMEM.
 */
int	pf_features_draft(pf_fschema **out, pf_svm *const *files, size_t n,
	    const pf_fnames *names, pf_err *err);
/* The drafted schema in the file format, with a comment naming files. */
void	pf_features_draft_write(const pf_fschema *s, pf_svm *const *files,
	    size_t n, FILE *f);

#define PF_FCHECK_NRULES	6
#define PF_FCHECK_EXAMPLES	5

typedef struct pf_fcheck_rule {
	const char	*id;		/* "out-of-range" ... */
	const char	*what;		/* one line: what it checks */
	size_t		 count;
	size_t		 nex;
	char		 ex[PF_FCHECK_EXAMPLES][384];	/* "path:line: ..." */
} pf_fcheck_rule;

typedef struct pf_fcheck {
	char		*schema;	/* its path */
	size_t		 nfiles, nrows, nqueries, nschema, ndata;
	char		**files;	/* nfiles paths */
	pf_fcheck_rule	 rule[PF_FCHECK_NRULES];
} pf_fcheck;

/* Checks the n files against s into *out. PF_OK or PF_ENOMEM. */
int	pf_features_check(pf_fcheck **out, const pf_fschema *s,
	    pf_svm *const *files, size_t n, pf_err *err);
void	pf_fcheck_free(pf_fcheck *c);
/* Rules that failed (count > 0). */
size_t	pf_fcheck_failed(const pf_fcheck *c);
/* The terminal summary: files, then one line a rule and its examples
   (brief: the counts of the rules on one line). */
void	pf_fcheck_print(const pf_fcheck *c, FILE *f, int brief);
/* As JSON ("schema": "preflight.features-check/1"); NULL: no memory. */
struct json_t	*pf_fcheck_json(const pf_fcheck *c);

/*
 * The scenario s's golden set, checked against its schema: when
 * GOLDEN_DIR/features.schema.tsv exists, the candidate files of the set
 * (the <labels candidates> file, every <candidates file> of its stacks and
 * the golden folder's *.svm files, each once) are read and checked into
 * *out; *out NULL and PF_OK when there is
 * no schema. Errors (an unreadable schema or file) are PF_E* with err set.
 */
int	pf_features_check_scenario(pf_fcheck **out, const pf_scenario *s,
	    pf_err *err);
/*
 * The failed rules of c as problems of d, one an example: "PATH:LINE:
 * feature ...: ... (feature schema rule R: N in all)".
 */
void	pf_fcheck_diags(const pf_fcheck *c, pf_diags *d);

/* Evolution: what changed from one schema to the next. */
enum { PF_FEV_ADDED, PF_FEV_REMOVED, PF_FEV_RETYPED, PF_FEV_RERANGED,
	PF_FEV_NKINDS };

typedef struct pf_fev_change {
	int		 kind;		/* PF_FEV_* */
	long		 id;
	char		 text[384];	/* "feature 7 (name): float -> int" */
} pf_fev_change;

typedef struct pf_fev_reader {
	char		*stack, *model;	/* the stack id, the model path */
	long		 id;		/* the file feature id it splits on */
	int		 kind;		/* PF_FEV_REMOVED or PF_FEV_RETYPED */
	size_t		 nsplit;
} pf_fev_reader;

typedef struct pf_fevolve {
	char		*old_path, *new_path;
	pf_fev_change	*ch;
	size_t		 nch;
	size_t		 count[PF_FEV_NKINDS];
	pf_fev_reader	*rd;		/* models reading removed/retyped */
	size_t		 nrd;
	int		 scenario;	/* a scenario's models were read */
	size_t		 nmodels;
} pf_fevolve;

/*
 * Compares old and new. With s (may be NULL), every gbdt stage of its
 * stacks is loaded and its split features (model feature j = file id j +
 * first-feature) are matched against the removed and retyped features.
 */
int	pf_features_evolve(pf_fevolve **out, const pf_fschema *old,
	    const pf_fschema *new, const pf_scenario *s, pf_err *err);
void	pf_fevolve_free(pf_fevolve *e);
void	pf_fevolve_print(const pf_fevolve *e, FILE *f);
struct json_t	*pf_fevolve_json(const pf_fevolve *e);

#endif /* PF_HARNESS_CHECK_FEATURES_H */
