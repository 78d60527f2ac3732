/*
 * reports/html_kit.c — see html_kit.h.
 */
#include <math.h>
#include <string.h>

#include "reports/html_kit.h"
#include "reports/svg.h"

void
pf_html_num(FILE *f, const char *fmt, double v)
{
	if (!isfinite(v))
		fputs("n/a", f);
	else if (strcmp(fmt, "%.3f") == 0)
		fprintf(f, "%.3f", v);
	else if (strcmp(fmt, "%+.4f") == 0)
		fprintf(f, "%+.4f", v);
	else if (strcmp(fmt, "%+.2f%%") == 0)
		fprintf(f, "%+.2f%%", v);
	else
		fprintf(f, "%.4f", v);
}

void
pf_html_section(FILE *f, const char *id, const char *title)
{
	fprintf(f, "<section id=\"%s\"><h2>", id);
	pf_xml_text(f, title);
	fputs("</h2>\n", f);
}

void
pf_html_id(FILE *f, const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; p && *p; p++)
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || strchr("-_.:", *p) != NULL)
			fputc(*p, f);
		else
			fprintf(f, "_%02X", *p);
}

const char *
pf_html_mark(int s)
{
	return s > 0 ? "\xe2\x96\xb2 better" : s < 0 ? "\xe2\x96\xbc worse" :
	    "\xc2\xb7 n.s.";
}
