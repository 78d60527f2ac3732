/*
 * harness/load/golden.h — a golden set in memory (DESIGN.md "Golden sets"): the
 * queries (from queries.tsv, or the judged topics), the judgments (a qrels
 * file, or the grades of a candidate file), one document table shared by
 * every stack, and candidate files and embeddings loaded once and shared
 * read-only. The stages see the golden set through this header alone.
 */
#ifndef PF_HARNESS_LOAD_GOLDEN_H
#define PF_HARNESS_LOAD_GOLDEN_H

#include <stddef.h>
#include <stdint.h>

#include "harness/load/corpus.h"
#include "harness/load/embeddings.h"
#include "harness/load/featnames.h"	/* the candidates stage's names */
#include "harness/load/qrels.h"
#include "harness/load/svmlight.h"
#include "harness/util/diags.h"
#include "metrics/err.h"

/*
 * What pf_golden_load reads: the files a scenario's <golden> names, paths
 * resolved. Every field but one of qrels/labels may be NULL.
 */
typedef struct pf_golden_spec {
	const char	*source;	/* the file that names the set (the
					   scenario), for messages */
	long		 line;		/* its <golden> line, 0 = none */
	const char	*queries;	/* queries.tsv / queries.jsonl */
	const char	*docs;		/* docs.tsv / docs.jsonl */
	const char	*qrels;		/* TREC qrels ... */
	pf_agg		 agg;		/* ... and how annotators combine */
	const char	*labels;	/* or a candidate file with grades */
	const char	*labels_qfile;	/* its LightGBM .query file */
	const char	*expectations;	/* expectations.tsv */
	int		 progress;	/* big files' reading, on stderr */
	const char	*cache_dir;	/* parsed candidates (run --cache) */
} pf_golden_spec;

typedef struct pf_golden pf_golden;

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
	/* the corpus (docs.tsv or docs.jsonl): documents 0..corpus.n-1 of
	   docs; corpus.n 0 when the set has none */
	pf_corpus	 corpus;
	struct golden_svm *svm;		/* loaded candidate files */
	size_t		 nsvm;
	size_t		 nunjudged_queries;	/* in queries.tsv, no qrels */
	/* judged topics the query list lacks (left out), the first of them
	   and the judgments' file */
	size_t		 norphan_topics;
	const char	*orphan_topic, *judgments_path;
	/* expectations.tsv: qid<TAB>docid<TAB>max_rank */
	size_t		 nexp;
	long		*exp_query;	/* golden query index, -1 = unknown */
	char		**exp_qid, **exp_doc;
	long		*exp_max, *exp_line;
	const char	*exp_path;
	/* annotator agreement (harness/load/label_quality.h); NULL: one
	   label a pair */
	struct pf_labelq *labelq;
	int		 progress;	/* the spec's: for candidate files */
	const char	*cache_dir;	/* the spec's: for candidate files */
	/* pf_golden_set_share: candidate files loaded from now on hold the
	   rows of queries [share_q0, share_q1) only (golden_share.c) */
	int		 share;
	size_t		 share_q0, share_q1;
	unsigned long long share_min;	/* smaller files: read whole */
	/* a file was read in part: the documents of the other queries may
	   be unknown (rules, expectations leave them to their share) */
	int		 share_partial;
	struct golden_sidx *sidx;	/* the files' query indexes */
	size_t		 nsidx;
	/* candidate files read so far (run --check's load line): wall
	   seconds in the reads (parse, or map, and a --cache entry
	   written), how many were parsed and how many mapped from --cache */
	double		 svm_seconds;
	unsigned	 svm_parsed, svm_mapped;
};

/* Loads what spec names; problems go to d (every one, path:line). */
int	pf_golden_load(pf_golden **out, const pf_golden_spec *spec,
	    pf_diags *d);
/*
 * A golden set made of a qrels file alone (`preflight compare`): every
 * topic is a query, in the qrels' (strcmp) order. Takes q.
 */
int	pf_golden_from_qrels(pf_golden **out, pf_qrels *q, pf_err *err);
/*
 * The dimension columns of a queries.tsv (path) given to g, a set without
 * dimensions (`compare --queries`): each query of g takes its row's values,
 * found by qid, or empty cells when the file has no row for it (counted in
 * *nmissing); rows for other qids are ignored. The file is read and
 * checked as a golden set's queries.tsv (problems in d: PF_EFORMAT).
 */
int	pf_golden_add_dims(pf_golden *g, const char *path, size_t *nmissing,
	    pf_diags *d);
void	pf_golden_free(pf_golden *g);
/* The memory of every candidate file loaded so far, into *m. */
void	pf_golden_svm_mem(const pf_golden *g, pf_svm_mem *m);

/*
 * Every judged docid must be in the corpus, when there is one: one
 * path:line diagnostic per missing docid, PF_EFORMAT when any. `run`
 * calls it after pf_golden_load; `validate` counts them as a rule instead.
 */
int	pf_golden_check_judged_docs(const pf_golden *g, pf_diags *d);

/*
 * A candidate file, loaded on first request and shared afterwards (one
 * float32 copy of the features for every stack). need_double also keeps
 * the parsed doubles; a file first loaded without them is read again and
 * its first copy (the same pointer: stages opened before see it) takes
 * the doubles, so its float32 rows are held once (a copy mapped from the
 * --cache stays apart). The same file spelled two ways ("dir/./f") is one.
 * pf_golden_svm reads its feature base from the file (PF_SVM_BASE_AUTO);
 * pf_golden_svm_base takes one (PF_SVM_BASE_*), a load of its own when it
 * differs.
 */
int	pf_golden_svm(pf_golden *g, const char *path, const char *qfile,
	    int need_double, const pf_svm **out, pf_err *err);
int	pf_golden_svm_base(pf_golden *g, const char *path, const char *qfile,
	    int need_double, int feature_base, const pf_svm **out,
	    pf_err *err);

/*
 * The golden document index of each row of v, a file pf_golden_svm gave:
 * its docids interned in g's document table once, in row order, and
 * shared by every stage that reads v (borrowed: valid until v is dropped
 * or g freed). Not thread-safe (it may intern). PF_ENOMEM.
 */
int	pf_golden_svm_docs(pf_golden *g, const pf_svm *v,
	    const uint32_t **out, pf_err *err);

/*
 * Candidate files loaded after this read only the rows of golden queries
 * [q0, q1) (a shard, an MPI rank, a `run --mem` block): each file is
 * indexed once (load/svmindex.h: kept in g for the next share) and the
 * bytes from its first to its last query of the range are read, in the
 * whole file's column map, so each of those queries' rows holds what a
 * whole read gives it. When the file's query order differs from the golden
 * set's, the bytes between are read too (correct, only larger). A file
 * of the LightGBM layout is indexed through its query file (its groups'
 * first rows' offsets). gzip (no seeking), a pipe or a file the index
 * cannot take (load/svmindex.h) is read whole. pf_golden_drop_svm forgets the files loaded
 * (stages that point into them must be closed first).
 */
void	pf_golden_set_share(pf_golden *g, size_t q0, size_t q1);
void	pf_golden_drop_svm(pf_golden *g);
/* pf_golden_svm_base's share read: PF_OK with *out NULL when the file is
   to be read whole. */
int	pf_golden__svm_share(pf_golden *g, const char *path,
	    const char *qfile, const pf_svm_opts *o, pf_svm **out,
	    pf_err *err);
void	pf_golden__sidx_free(pf_golden *g);
struct pf_svm_index;
const struct pf_svm_index *pf_golden__index_find(const pf_golden *g,
	    const char *path, const char *qfile);
/*
 * run --mem, after the stages opened on a share: *share the bytes the
 * files read in shares would hold whole (their rows x columns at the
 * precision loaded, and the rows' grades, lines and docids), *whole those
 * of the files read whole (held now). Files share_min bytes or smaller are
 * read whole without an index.
 */
void	pf_golden_share_bytes(const pf_golden *g, size_t *share,
	    size_t *whole);

/*
 * Document and query embeddings of g's documents and queries
 * (harness/load/embeddings.h): a new pf_emb the caller frees with
 * pf_emb_free. Implemented in load/embeddings.c.
 */
int	pf_golden_embeddings(pf_golden *g, const pf_emb_files *files,
	    pf_emb **out, pf_err *err);

/* Appends a query (line 0 = none): 0, 1 when the qid is already there,
   -1 when out of memory. */
int	pf_golden_add_query(pf_golden *g, const char *qid, size_t len,
	    const char *text, size_t tlen, long line);

/* Document index for a docid, added when new (not thread-safe). */
long	pf_golden_doc(pf_golden *g, const char *docid, size_t len);
const char	*pf_golden_docid(const pf_golden *g, uint32_t doc);
/* Document index of a docid already known, -1 if absent (read-only). */
long	pf_golden_find_doc(const pf_golden *g, const char *docid, size_t len);
/* Query index by qid, -1 if absent. */
long	pf_golden_query(const pf_golden *g, const char *qid);
/* The values of a corpus document field (pf_corpus_field). */
const char	**pf_golden_doc_field(const pf_golden *g, const char *name,
		    int *nomem);
/* The judgment grade of docid for query q, or PF_GOLDEN_UNJUDGED. */
#define PF_GOLDEN_UNJUDGED	INT32_MIN
int32_t	pf_golden_grade(const pf_golden *g, size_t q, const char *docid);

#endif /* PF_HARNESS_LOAD_GOLDEN_H */
