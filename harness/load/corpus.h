/*
 * harness/load/corpus.h — the text files of a golden set (DESIGN.md "Golden
 * sets"): the corpus as docs.tsv or BEIR-style docs.jsonl, and queries as
 * BEIR-style queries.jsonl. The format follows the extension: ".jsonl"
 * is JSON lines, anything else TSV.
 *
 * docs.tsv: docid<TAB>title<TAB>body, one document a line, no header;
 *   or a first line "docid<TAB>title<TAB>body<TAB>name..." naming extra
 *   columns, which become document fields (e.g. a dedupe key).
 * docs.jsonl: one object a line, {"_id": "...", "title": "...", "text":
 *   "..."}: "_id" a non-empty string, "text" a string, "title" a string
 *   (optional, default empty); every other string member is a document
 *   field, and so are the string members of an object member, named
 *   "member.name" (BEIR's "metadata": {"url": ...} is "metadata.url").
 * queries.jsonl: one object a line, {"_id": "...", "text": "..."}.
 *
 * Errors (into the diags, "path:line: what"): invalid JSON, not an
 * object, a missing or non-string "_id"/"text", a non-string "title",
 * duplicate ids.
 */
#ifndef PF_HARNESS_LOAD_CORPUS_H
#define PF_HARNESS_LOAD_CORPUS_H

#include "harness/util/diags.h"
#include "harness/load/golden.h"

/* 0, or -1 when out of memory (problems go to d). */
int	pf_corpus_load(pf_golden *g, const char *path, pf_diags *d);
int	pf_queries_load_jsonl(pf_golden *g, const char *path, pf_diags *d);

/*
 * The values of document field name: a borrowed array of g->ncorpus
 * strings, NULL where a document has none; NULL when no document has the
 * field (or out of memory: *nomem set). Free the array with free().
 */
const char	**pf_corpus_field(const pf_golden *g, const char *name,
		    int *nomem);

/*
 * Every judged docid must be in the corpus, when there is one: one
 * path:line diagnostic per missing docid, PF_EFORMAT when any. `run`
 * calls it after pf_golden_load; `validate` counts them as a rule instead.
 */
int	pf_corpus_check_qrels(const pf_golden *g, pf_diags *d);

/*
 * For a stage that needs query text: PF_EDATA at the first query whose
 * text is missing or has no token (path:line of the queries file).
 */
int	pf_corpus_check_queries(const pf_golden *g, const char *stage,
	    pf_err *err);

/* 1 when a text has no token (harness/text/analyzer.h). */
int	pf_text_empty(const char *s);

#endif /* PF_HARNESS_LOAD_CORPUS_H */
