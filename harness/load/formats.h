/*
 * harness/load/formats.h — the qrels and run formats other tools write,
 * recognised by their content and turned into TREC text, so one parser
 * (qrels_parse.c, engine/eval_parse.c) checks every judgment and score the
 * same way and a converted file evaluates exactly as its TREC twin:
 *
 *   JSON qrels   ranx / ir_measures / pytrec_eval: {"q1": {"d1": 1}}
 *                (integer grades; 1.0 is 1, 1.5 an error)
 *   JSON run     {"q1": {"d1": 1.5}} (finite numbers; the tag is the
 *                file's name without .json and .gz)
 *   BEIR qrels   TSV with the header "query-id<TAB>corpus-id<TAB>score"
 *                (BEIR's qrels/test.tsv); one judgment a line
 *
 * JSON is recognised by its first non-space byte '{' (no TREC line starts
 * so) or a .json name; BEIR by its header line. Ids must be non-empty and
 * free of whitespace (TREC's fields are whitespace-separated); duplicate
 * JSON keys are refused (jansson's JSON_REJECT_DUPLICATES). A converted
 * BEIR file keeps its line numbers (the header becomes a '#' comment), so
 * the TREC parser's messages point at the right line; JSON errors carry
 * jansson's line and column, or name the query and document.
 */
#ifndef PF_HARNESS_LOAD_FORMATS_H
#define PF_HARNESS_LOAD_FORMATS_H

#include <stddef.h>

#include "metrics/err.h"

typedef enum pf_textfmt {
	PF_FMT_TREC = 0,
	PF_FMT_JSON,
	PF_FMT_BEIR
} pf_textfmt;

/* The format of qrels text buf[0..len) read from path (BOM dropped). */
pf_textfmt	pf_qrels_format(const char *path, const char *buf, size_t len);
/* Whether run text starting with buf[0..len) (a prefix will do) from path
   is a JSON run. */
int		pf_run_is_json(const char *path, const char *buf, size_t len);

/*
 * buf[0..len) of path in format fmt (not PF_FMT_TREC) as TREC qrels text
 * "qid 0 docid grade\n", NUL-terminated, in a malloc'd *out of *outlen
 * bytes. PF_EFORMAT naming path (and the line, the query or the document).
 */
int	pf_qrels_to_trec(char **out, size_t *outlen, pf_textfmt fmt,
	    const char *buf, size_t len, const char *path, pf_err *err);
/*
 * A JSON run as TREC run text "qid Q0 docid rank score tag\n" (rank: the
 * document's place in its query's object; score in %.17g, which reads
 * back to the same double), tag from path's name.
 */
int	pf_json_run_to_trec(char **out, size_t *outlen, const char *buf,
	    size_t len, const char *path, pf_err *err);

#endif /* PF_HARNESS_LOAD_FORMATS_H */
