/* harness/util/jsonfile.c — see jsonfile.h. */
#include <stdio.h>

#include "harness/util/fileio.h"
#include "harness/util/jsonfile.h"

int
pf_json_write_file(json_t *doc, const char *path, pf_err *err)
{
	pf_atomic_file af = {0};
	int rc;

	if (doc == NULL)
		return pf_err_set(err, PF_ENOMEM, path, 0, "out of memory");
	if ((rc = pf_atomic_open(&af, path, err)) == PF_OK) {
		if (json_dumpf(doc, af.f, JSON_INDENT(1) |
		    JSON_REAL_PRECISION(17)) != 0 || fputc('\n', af.f) == EOF)
			rc = pf_err_set(err, PF_EIO, path, 0, "cannot write");
		else
			rc = pf_atomic_commit(&af, err);
	}
	pf_atomic_abort(&af);
	json_decref(doc);
	return rc;
}
