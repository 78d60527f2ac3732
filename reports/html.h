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
/* The "Features" section, when the scenario asks (html_features.c). */
void	pf_html_features(FILE *f, const pf_report *r);
/* The "Golden set" section (reports/html_golden.c). */
void	pf_html_golden(FILE *f, const pf_report *r);
/* The verdict box (reports/html_verdict.c). */
void	pf_html_verdict(FILE *f, const pf_report *r);
/* The "Every query" table, rows id q-QID (reports/html_queries.c). */
void	pf_html_query_table(FILE *f, const pf_report *r);
/* Whether dimension d takes more than one value over the judged queries. */
int	pf_html_dim_varies(const pf_report *r, size_t d);
/* Whether any query has a text. */
int	pf_html_has_text(const pf_report *r);
/* Treatment k's most improved and most hurt queries (html_movers.c). */
void	pf_html_movers(FILE *f, const pf_report *r, size_t k);
/* <a href="#q-QID">QID</a>. */
void	pf_html_qlink(FILE *f, const char *qid);

#endif /* PF_REPORTS_HTML_H */
