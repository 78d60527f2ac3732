/*
 * harness/util/diags.h — a list of problems found while validating (scenario
 * schema, golden-set consistency), reported together rather than one at a
 * time (STYLE.md C3, like tmux's cfg_add_cause).
 */
#ifndef PF_HARNESS_UTIL_DIAGS_H
#define PF_HARNESS_UTIL_DIAGS_H

#include <stddef.h>
#include <stdio.h>

#include "metrics/err.h"

#define PF_DIAGS_MAX	50

typedef struct pf_diags {
	size_t	n;		/* kept, at most PF_DIAGS_MAX */
	size_t	dropped;	/* beyond the cap */
	char	msg[PF_DIAGS_MAX][640];	/* "path:line: what" */
} pf_diags;

void	pf_diags_add(pf_diags *d, const char *file, long line,
	    const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/* Prints one line per problem, "preflight: " first, and a count. */
void	pf_diags_print(const pf_diags *d, FILE *f);

/* err as a problem of d: "WHERE: MSG" (err->where already holds path:line). */
void	pf_diags_add_err(pf_diags *d, const pf_err *err);

/* The one-line form of an error on f: "preflight: WHERE: MSG" (no WHERE
   part when err->where is empty). */
void	pf_err_print(const pf_err *err, FILE *f);

#endif /* PF_HARNESS_UTIL_DIAGS_H */
