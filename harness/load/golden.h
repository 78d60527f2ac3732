/*
 * harness/load/golden.h — a golden set in memory (DESIGN.md "Golden sets"): the
 * queries (from queries.tsv, or the judged topics), the judgments (a qrels
 * file, or the grades of a candidate file), one document table shared by
 * every stack, and candidate files loaded once and shared read-only.
 */
#ifndef PF_HARNESS_LOAD_GOLDEN_H
#define PF_HARNESS_LOAD_GOLDEN_H

#include <stddef.h>
#include <stdint.h>

#include "harness/util/diags.h"
#include "harness/load/qrels.h"
#include "harness/load/scenario.h"
#include "harness/load/svmlight.h"
#include "metrics/err.h"

struct pf_golden {
	pf_qrels	*qrels;
	size_t		 nq;		/* queries, in golden order */
	char		**qid;
	char		**text;		/* NULL entries when unknown */
	long		*qline;		/* line in queries_path, 0 = none */
	long		*topic;		/* qrels topic per query, -1 = none */
	size_t		 ndims;
	char		**dim_name;	/* ndims */
	char		**dim;		/* nq x ndims */
	const char	*queries_path;
	struct pf_strtab *docs;		/* document index <-> docid */
	struct pf_strtab *qids;		/* query index <-> qid */
	/* the corpus (docs.tsv or docs.jsonl, harness/load/corpus.h): documents
	   0..ncorpus-1 of docs */
	size_t		 ncorpus;
	char		**title, **body;
	const char	*docs_path;
	size_t		 nempty_docs;	/* no token in title or body */
	/* other document fields: nfv (document, name, value) triples */
	struct pf_strtab *fnames;
	size_t		 nfv;
	uint32_t	*fv_doc, *fv_name;
	char		**fv_val;
	struct golden_svm *svm;		/* loaded candidate files */
	size_t		 nsvm;
	size_t		 nunjudged_queries;	/* in queries.tsv, no qrels */
	/* expectations.tsv: qid<TAB>docid<TAB>max_rank */
	size_t		 nexp;
	long		*exp_query;	/* golden query index, -1 = unknown */
	char		**exp_qid, **exp_doc;
	long		*exp_max, *exp_line;
	const char	*exp_path;
	/* annotator agreement (harness/load/label_quality.h); NULL: one label a pair */
	struct pf_labelq *labelq;
};

/* Loads what the scenario's <golden> names; problems go to d. */
int	pf_golden_load(pf_golden **out, const pf_scenario *s, pf_diags *d);
void	pf_golden_free(pf_golden *g);

/*
 * A candidate file, loaded on first request and shared afterwards (one
 * float32 copy of the features for every stack). need_double also keeps
 * the parsed doubles; a file first loaded without them is reloaded.
 */
int	pf_golden_svm(pf_golden *g, const char *path, const char *qfile,
	    int need_double, const pf_svm **out, pf_err *err);

/* Appends a query (line 0 = none); -1 when out of memory. */
int	pf_golden_add_query(pf_golden *g, const char *qid, size_t len,
	    const char *text, size_t tlen, long line);

/* Document index for a docid, added when new (not thread-safe). */
long	pf_golden_doc(pf_golden *g, const char *docid, size_t len);
const char	*pf_golden_docid(const pf_golden *g, uint32_t doc);
/* Query index by qid, -1 if absent. */
long	pf_golden_query(const pf_golden *g, const char *qid);

#endif /* PF_HARNESS_LOAD_GOLDEN_H */
