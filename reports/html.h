/*
 * reports/html.h — the self-contained HTML report (../shared/REPORTS.md
 * §2): one polyglot (well-formed XML) file, no network, no JavaScript,
 * charts as inline SVG, meaning carried by text and signs as well as
 * colour. Plain data in; the harness fills it.
 */
#ifndef PF_REPORTS_HTML_H
#define PF_REPORTS_HTML_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "metrics/err.h"
#include "reports/model.h"

int	pf_report_write_html(const pf_report *r, FILE *f, pf_err *err);
/* Opens <section id="id"> with an <h2> title (escaped). */
void	pf_html_section(FILE *f, const char *id, const char *title);
/* The "Golden set" section (reports/html_golden.c). */
void	pf_html_golden(FILE *f, const pf_report *r);

#endif /* PF_REPORTS_HTML_H */
