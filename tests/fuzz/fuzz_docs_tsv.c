/*
 * tests/fuzz/fuzz_docs_tsv.c — the corpus as docs.tsv (docid, title and
 * body a line, or a header naming extra columns as document fields), from
 * any bytes. The body is docs_target.h.
 */
#define DOCS_NAME	"docs.tsv"
#include "tests/fuzz/docs_target.h"
