/*
 * reports/html_kit.h — what every preflight HTML page shares (report.html,
 * diff.html): the base of the style block, numbers printed the pages' way
 * ("n/a" for a value that is not finite), a section heading, the sign
 * marks that carry a result without colour (REPORTS.md §2.3).
 */
#ifndef PF_REPORTS_HTML_KIT_H
#define PF_REPORTS_HTML_KIT_H

#include <stdio.h>

/* The shared CSS; a page appends its own rules to the literal. */
#define PF_HTML_STYLE							\
	"body{font-family:DejaVu Sans,Arial,sans-serif;max-width:1100px;" \
	"margin:0 auto;padding:1em;color:#111}"				\
	"table{border-collapse:collapse;margin:.5em 0}"			\
	"th,td{border:1px solid #ccc;padding:.2em .5em;text-align:right}" \
	"th[scope=row],td.l{text-align:left}"				\
	".gain{color:#0072B2}.loss{color:#D55E00}.ns{color:#555}"	\
	"@media print{section{page-break-before:always}}"

/* v with fmt, one of "%.3f", "%+.4f", "%+.2f%%", else "%.4f"; n/a. */
void	pf_html_num(FILE *f, const char *fmt, double v);
/* <section id="ID"><h2>TITLE</h2>, the title escaped. */
void	pf_html_section(FILE *f, const char *id, const char *title);
/*
 * s as an id fragment: letters, digits and - _ . : as they are, every
 * other byte as _XX (hex), so a qid or stack id makes a valid, unique id.
 */
void	pf_html_id(FILE *f, const char *s);
/* "▲ better" (s > 0), "▼ worse" (s < 0), "· n.s." (0). */
const char	*pf_html_mark(int s);

#endif /* PF_REPORTS_HTML_KIT_H */
