/*
 * harness/load/featnames.h — a feature names file (README "Formats"), the
 * `names` of <candidates file="..." names="features.tsv"/>:
 *
 *   id<TAB>name[<TAB>query]
 *
 * one feature a line; id is the candidate file's feature id (the number
 * before ':' in its rows), an integer 0 .. 2^31 - 1; name is not empty and
 * has no leading or trailing whitespace; the optional third column is the
 * word `query`, marking a query-level feature (one value for every document
 * of a query; feature importance permutes it across queries). Blank lines
 * and lines starting with '#' are skipped. The shared text rules apply
 * (pf_read_text: a byte-order mark dropped with a warning, NUL refused,
 * CRLF accepted, gzip inflated).
 *
 * Refused (PF_EFORMAT at path:line, "what was expected"): a line without 2
 * or 3 tab-separated fields, an id that is not such an integer, an empty
 * name, a third column other than `query`, an id or a name given twice
 * (at the second, naming the first's line), a file with no names.
 */
#ifndef PF_HARNESS_LOAD_FEATNAMES_H
#define PF_HARNESS_LOAD_FEATNAMES_H

#include "harness/util/fnames.h"
#include "metrics/err.h"

/* The names of path into *out (sorted by id; caller frees with
   pf_fnames_free). */
int	pf_featnames_load(pf_fnames **out, const char *path, pf_err *err);

#endif /* PF_HARNESS_LOAD_FEATNAMES_H */
