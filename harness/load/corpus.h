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
 * duplicate ids. The loaders know nothing of the golden set: the corpus
 * interns its docids into the document table it is given, the queries go
 * to a sink (harness/load/golden.c holds both).
 */
#ifndef PF_HARNESS_LOAD_CORPUS_H
#define PF_HARNESS_LOAD_CORPUS_H

#include <stddef.h>
#include <stdint.h>

#include "harness/util/diags.h"

struct pf_strtab;

/* The documents of a corpus file; the golden set holds one. */
typedef struct pf_corpus {
	const char	*path;		/* the file (borrowed), NULL: none */
	size_t		 n;		/* documents 0..n-1 of the document
					   table the loader interned into */
	char		**title, **body;
	/* other document fields: nfv (document, name, value) triples */
	struct pf_strtab *fnames;
	size_t		 nfv;
	uint32_t	*fv_doc, *fv_name;
	char		**fv_val;
	size_t		 cap, fcap;	/* capacities of the arrays above */
} pf_corpus;

/*
 * Reads path into c (empty before), interning every docid into docs in
 * file order, so document i of the corpus is index i of docs when docs
 * starts empty. 0, or -1 when out of memory (problems go to d).
 */
int	pf_corpus_load(pf_corpus *c, const char *path, struct pf_strtab *docs,
	    pf_diags *d);
/* Frees what c holds and empties it (c itself is the caller's). */
void	pf_corpus_clear(pf_corpus *c);

/*
 * The values of document field name: a borrowed array of c->n strings,
 * NULL where a document has none; NULL when no document has the field (or
 * out of memory: *nomem set). Free the array with free().
 */
const char	**pf_corpus_field(const pf_corpus *c, const char *name,
		    int *nomem);

/*
 * Where queries.jsonl's queries go, one call per query in file order:
 * 0 taken, 1 a duplicate qid (reported by the loader at its line), -1 out
 * of memory (stops the load).
 */
typedef int	(*pf_query_sink)(void *ctx, const char *qid, size_t len,
		    const char *text, size_t tlen, long line);
/* 0, or -1 when out of memory (problems go to d). */
int	pf_queries_load_jsonl(const char *path, pf_query_sink add, void *ctx,
	    pf_diags *d);

#endif /* PF_HARNESS_LOAD_CORPUS_H */
