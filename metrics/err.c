/*
 * err.c — pf_err helpers. No I/O: the CLI decides how to print.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "metrics/err.h"

int
pf_err_set(pf_err *err, int code, const char *file, long line,
    const char *fmt, ...)
{
	va_list ap;

	if (err == NULL)
		return code;
	err->code = code;
	if (file == NULL || *file == '\0')
		err->where[0] = '\0';
	else if (line > 0)
		snprintf(err->where, sizeof(err->where), "%s:%ld", file, line);
	else
		snprintf(err->where, sizeof(err->where), "%s", file);
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	return code;
}

int
pf_err_nomem(pf_err *err, const char *file, size_t n, size_t size,
    const char *what)
{
	size_t total;

	if (pf_mul_size(n, size, &total) != PF_OK)
		return pf_err_set(err, PF_ENOMEM, file, 0, "out of memory: "
		    "cannot allocate %zu %s of %zu bytes each (more than %zu "
		    "bytes)", n, what, size, (size_t)-1);
	return pf_err_set(err, PF_ENOMEM, file, 0, "out of memory: cannot "
	    "allocate %zu %s of %zu bytes each (%zu bytes)", n, what, size,
	    total);
}

void
pf_err_clear(pf_err *err)
{
	if (err == NULL)
		return;
	err->code = 0;
	err->where[0] = '\0';
	err->msg[0] = '\0';
}

void
pf_err_copy(pf_err *dst, const pf_err *src)
{
	if (dst == NULL || src == NULL || dst == src)
		return;
	memcpy(dst, src, sizeof(*dst));
}
