/*
 * metrics/err.h — the error object every fallible preflight function fills.
 *
 * Functions return PF_OK (0) or a negative PF_E* code; the message travels in
 * a caller-owned pf_err (STYLE.md C3). It lives in metrics/ because it is the
 * lowest layer: harness/ and reports/ include it, metrics/ needs nothing else.
 */
#ifndef PF_METRICS_ERR_H
#define PF_METRICS_ERR_H

#include <stddef.h>

#define PF_OK		0
#define PF_EFORMAT	(-1)	/* malformed input: bad line, bad value */
#define PF_EIO		(-2)	/* cannot open, read or write a file */
#define PF_ENOMEM	(-3)	/* allocation failed or size overflow */
#define PF_EINVAL	(-4)	/* bad argument or option from the user */
#define PF_EDATA	(-5)	/* inputs are well-formed but inconsistent */
#define PF_ESTAGE	(-6)	/* a stage failed (NaN score, plugin error) */

typedef struct pf_err {
	int	code;		/* PF_E*; PF_OK when nothing went wrong */
	char	where[256];	/* "golden/web/qrels.txt:1043", or "" */
	char	msg[512];	/* one line, lowercase, no trailing newline */
} pf_err;

/*
 * Records an error and returns code, so error sites are one statement.
 * file may be NULL; line <= 0 means "no line". err may be NULL (the error is
 * then only returned).
 */
int	pf_err_set(pf_err *err, int code, const char *file, long line,
	    const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/*
 * PF_ENOMEM naming what was asked for: "out of memory: cannot allocate N
 * WHAT of SIZE bytes each (TOTAL bytes)" (N x SIZE may overflow: then
 * "more than SIZE_MAX bytes"), so a size an input drives is visible.
 */
int	pf_err_nomem(pf_err *err, const char *file, size_t n, size_t size,
	    const char *what);

/* Clears err to PF_OK with empty strings. */
void	pf_err_clear(pf_err *err);

/* Copies src into dst (both may be the same object). */
void	pf_err_copy(pf_err *dst, const pf_err *src);

/* Overflow-checked size multiplication: PF_OK or PF_ENOMEM (STYLE.md C7). */
static inline int
pf_mul_size(size_t a, size_t b, size_t *out)
{
	return __builtin_mul_overflow(a, b, out) ? PF_ENOMEM : PF_OK;
}

#endif /* PF_METRICS_ERR_H */
