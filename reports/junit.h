/*
 * reports/junit.h — JUnit XML as CI tools read it (../shared/REPORTS.md
 * §1.6): testsuites > testsuite (one per category: gates, expectations) >
 * testcase with failure / error / skipped. Written with libxml2's
 * xmlTextWriter; every data-derived string is sanitised first (C0 controls
 * and invalid UTF-8 become U+FFFD) and details are capped.
 */
#ifndef PF_REPORTS_JUNIT_H
#define PF_REPORTS_JUNIT_H

#include <stddef.h>
#include <stdio.h>

#include "metrics/err.h"

#define PF_JUNIT_DETAIL_CAP	8192	/* bytes per failure text */

typedef enum pf_ju_status {
	PF_JU_PASS, PF_JU_FAIL, PF_JU_ERROR, PF_JU_SKIP
} pf_ju_status;

typedef struct pf_ju_case {
	const char	*name;		/* stable across runs: no numbers */
	pf_ju_status	 status;
	const char	*type;		/* GateFailed, EvaluationError, ... */
	const char	*message;	/* one line (failure, error, skipped) */
	const char	*details;	/* more lines, or NULL */
	double		 time;		/* seconds; negative: left out */
} pf_ju_case;

typedef struct pf_ju_suite {
	const char		*name;		/* "SCENARIO.gates" */
	const char		*classname;	/* "preflight.SCENARIO.gates" */
	const char		*file;		/* scenario or expectations path */
	const char		*timestamp;	/* UTC, 2026-11-22T10:15:00 */
	const char		*hostname;	/* NULL: gethostname() */
	double			 time;
	const pf_ju_case	*cases;
	size_t			 ncases;
	const char *const	*prop_name;
	const char *const	*prop_value;
	size_t			 nprops;
	const char		*system_out;	/* or NULL */
} pf_ju_suite;

typedef struct pf_junit {
	const char		*name;		/* "preflight SCENARIO" */
	const pf_ju_suite	*suites;
	size_t			 nsuites;
} pf_junit;

/* Writes the document to f. */
int	pf_junit_write(const pf_junit *j, FILE *f, pf_err *err);

/* Number of cases with a failure (the exit code is 1 iff this is > 0). */
size_t	pf_junit_failures(const pf_junit *j);

/*
 * A copy of s fit for XML: C0 controls other than tab, newline and CR and
 * invalid UTF-8 become U+FFFD; at most cap bytes (0 = no cap), cut on a
 * character boundary with " [truncated]" appended. Caller frees.
 */
char	*pf_xml_clean(const char *s, size_t cap);

#endif /* PF_REPORTS_JUNIT_H */
