/*
 * harness/util/diags.c — see diags.h.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "harness/util/diags.h"

void
pf_diags_add(pf_diags *d, const char *file, long line, const char *fmt, ...)
{
	va_list ap;
	char *m;
	size_t k = 0, sz;

	if (d->n == PF_DIAGS_MAX) {
		d->dropped++;
		return;
	}
	m = d->msg[d->n++];
	sz = sizeof(d->msg[0]);
	if (file != NULL && line > 0)
		k = (size_t)snprintf(m, sz, "%s:%ld: ", file, line);
	else if (file != NULL)
		k = (size_t)snprintf(m, sz, "%s: ", file);
	if (k >= sz)
		k = sz - 1;
	va_start(ap, fmt);
	vsnprintf(m + k, sz - k, fmt, ap);
	va_end(ap);
	k = strlen(m);		/* libxml2 messages end in a newline */
	while (k > 0 && (m[k - 1] == '\n' || m[k - 1] == ' '))
		m[--k] = '\0';
}

void
pf_diags_print(const pf_diags *d, FILE *f)
{
	for (size_t i = 0; i < d->n; i++)
		fprintf(f, "preflight: %s\n", d->msg[i]);
	if (d->dropped > 0)
		fprintf(f, "preflight: ... and %zu more\n", d->dropped);
	if (d->n > 1)
		fprintf(f, "preflight: %zu problems\n", d->n + d->dropped);
}

void
pf_err_print(const pf_err *err, FILE *f)
{
	fprintf(f, "preflight: %s%s%s\n", err->where, err->where[0] ? ": " :
	    "", err->msg);
}

void
pf_diags_add_err(pf_diags *d, const pf_err *err)
{
	pf_diags_add(d, err->where[0] ? err->where : NULL, 0, "%s", err->msg);
}
