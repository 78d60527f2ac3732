/*
 * tests/fuzz/fuzz_docs_jsonl.c — the corpus as docs.jsonl (BEIR-style
 * JSON lines; other string members and those of nested objects become
 * document fields), from any bytes. The body is docs_target.h.
 */
#define DOCS_NAME	"docs.jsonl"
#include "tests/fuzz/docs_target.h"
