/*
 * harness/util/jsonfile.h — write a jansson document to a file the safe way:
 * a temporary name in the same folder, renamed over the target once
 * complete (harness/util/fileio.h), so a failed write never leaves half a file.
 */
#ifndef PF_HARNESS_UTIL_JSONFILE_H
#define PF_HARNESS_UTIL_JSONFILE_H

#include <jansson.h>

#include "metrics/err.h"

/*
 * Writes doc (indented by one, doubles with 17 significant digits, a final
 * newline) to path and takes the reference: doc is released in every case,
 * and a NULL doc is PF_ENOMEM (the builder ran out of memory).
 */
int	pf_json_write_file(json_t *doc, const char *path, pf_err *err);

#endif /* PF_HARNESS_UTIL_JSONFILE_H */
