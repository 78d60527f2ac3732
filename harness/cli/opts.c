/*
 * harness/cli/opts.c — see opts.h. getopt_long does the parsing; this file
 * builds its tables from a subcommand's pf_opt rows, refuses abbreviated
 * long options (getopt_long accepts any unambiguous prefix, so a typo
 * could silently mean another option, and adding an option could change
 * what an old command line meant), and turns every failure into one
 * message with the nearest valid names.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cblas.h>
#include <omp.h>

#include "harness/cli/opts.h"
#include "harness/util/scan.h"

void
pf_opts_init(pf_opts *p, const pf_cmd_doc *doc, int argc, char **argv)
{
	size_t n = 0, s = 0;

	memset(p, 0, sizeof(*p));
	p->doc = doc;
	p->argc = argc;
	p->argv = argv;
	p->so[s++] = ':';	/* a missing value returns ':' */
	for (const pf_opt *o = doc->opts; o->id != 0 && n < PF_OPTS_MAX; o++) {
		if (o->lname != NULL)
			p->lo[n++] = (struct option){o->lname, o->arg ?
			    required_argument : no_argument, NULL, o->id};
		if (o->id < 128) {
			p->so[s++] = (char)o->id;
			if (o->arg != NULL)
				p->so[s++] = ':';
		}
	}
	p->so[s] = '\0';
	optind = 0;	/* glibc: start afresh, also for a second parse */
	opterr = 0;	/* every message is ours */
}

/* Levenshtein distance of a and b, each cut at 63 bytes. */
static int
distance(const char *a, const char *b)
{
	int row[64], la = (int)strnlen(a, 63), lb = (int)strnlen(b, 63);

	for (int j = 0; j <= lb; j++)
		row[j] = j;
	for (int i = 1; i <= la; i++) {
		int diag = row[0];
		row[0] = i;
		for (int j = 1; j <= lb; j++) {
			int up = row[j], best = diag + (a[i - 1] != b[j - 1]);
			if (up + 1 < best)
				best = up + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			diag = up;
			row[j] = best;
		}
	}
	return row[lb];
}

void
pf_opts_suggest(const char *name, const char *prefix,
    const char *const *names, char *buf, size_t bufsz)
{
	int len = (int)strlen(name), lim = len / 3 > 2 ? len / 3 : 2;
	int best = 1 << 20, score[64];
	size_t n = 0, used = 0;

	for (; names[n] != NULL && n < 64; n++) {
		int d = distance(name, names[n]);
		/* an abbreviation is the closest, whatever its length */
		if (len > 0 && strncmp(names[n], name, (size_t)len) == 0)
			d = 0;
		else if (d > lim)
			d = -1;
		score[n] = d;
		if (d >= 0 && d < best)
			best = d;
	}
	if (bufsz > 0)
		buf[0] = '\0';
	for (size_t i = 0, shown = 0; i < n && shown < 3; i++) {
		if (score[i] < 0 || score[i] > best + 1)
			continue;
		int w = snprintf(buf + used, bufsz - used, "%s%s%s",
		    shown++ ? ", " : " (did you mean ", prefix, names[i]);
		if (w < 0 || (size_t)w >= bufsz - used)
			return;
		used += (size_t)w;
	}
	if (used > 0)
		snprintf(buf + used, bufsz - used, "?)");
}

int
pf_opts_fail(const pf_cmd_doc *doc, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "preflight %s: ", doc->name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\npreflight %s: see 'preflight help %s'\n",
	    doc->name, doc->name);
	return PF_OPTS_ERROR;
}

/* The row of id, or NULL. */
static const pf_opt *
row(const pf_cmd_doc *doc, int id)
{
	for (const pf_opt *o = doc->opts; o->id != 0; o++)
		if (o->id == id)
			return o;
	return NULL;
}

/* An unknown long option: "--name[=v]" in tok. */
static int
unknown_long(const pf_opts *p, const char *tok)
{
	const char *names[PF_OPTS_MAX + 1];
	char name[64], hint[256];
	size_t n = 0, l = strcspn(tok + 2, "=");

	for (const pf_opt *o = p->doc->opts; o->id != 0 && n < PF_OPTS_MAX;
	    o++)
		if (o->lname != NULL)
			names[n++] = o->lname;
	names[n] = NULL;
	snprintf(name, sizeof(name), "%.*s", (int)(l < 63 ? l : 63), tok + 2);
	pf_opts_suggest(name, "--", names, hint, sizeof(hint));
	return pf_opts_fail(p->doc, "unknown option '--%s'%s", name, hint);
}

/* An unknown short option c; "-quiet" suggests "--quiet". */
static int
unknown_short(const pf_opts *p, int c)
{
	const char *tok = NULL;

	for (int i = optind; i >= optind - 1 && i >= 1; i--)
		if (i < p->argc && p->argv[i][0] == '-' &&
		    p->argv[i][1] != '-' && strchr(p->argv[i] + 1, c) != NULL) {
			tok = p->argv[i];
			break;
		}
	if (tok != NULL && strlen(tok) > 2) {
		const char *names[PF_OPTS_MAX + 1];
		char hint[256];
		size_t n = 0;
		for (const pf_opt *o = p->doc->opts; o->id != 0 &&
		    n < PF_OPTS_MAX; o++)
			if (o->lname != NULL)
				names[n++] = o->lname;
		names[n] = NULL;
		pf_opts_suggest(tok + 1, "--", names, hint, sizeof(hint));
		return pf_opts_fail(p->doc, "unknown option '-%c' in '%s'%s",
		    c, tok, hint);
	}
	return pf_opts_fail(p->doc, "unknown option '-%c'", c);
}

static int
missing_value(const pf_opts *p)
{
	const pf_opt *o = row(p->doc, optopt);
	const char *tok = optind >= 1 && optind - 1 < p->argc ?
	    p->argv[optind - 1] : "";

	if (o == NULL)
		return pf_opts_fail(p->doc, "an option needs a value");
	if (strncmp(tok, "--", 2) == 0 && o->lname != NULL)
		return pf_opts_fail(p->doc, "--%s needs a value (%s)",
		    o->lname, o->arg);
	return pf_opts_fail(p->doc, "-%c needs a value (%s)", (char)o->id,
	    o->arg);
}

int
pf_opts_long(const pf_opts *p, const char *opt, long min, long max,
    const char *what, long *out)
{
	const char *v = p->val ? p->val : "";

	if (pf_parse_long(v, strlen(v), min, max, out) != 0)
		return pf_opts_fail(p->doc, "%s needs %s, got '%s'", opt, what,
		    v);
	return 0;
}

int
pf_opts_next(pf_opts *p)
{
	for (;;) {
		int li = -1, c = getopt_long(p->argc, p->argv, p->so, p->lo,
		    &li);
		long n;

		p->val = optarg;
		if (c == -1) {
			p->pos = (const char **)p->argv + optind;
			p->npos = p->argc - optind;
			return PF_OPTS_END;
		}
		if (c == ':')
			return missing_value(p);
		if (c == '?' && optopt == 0)
			return unknown_long(p, p->argv[optind - 1]);
		if (c == '?' && strncmp(p->argv[optind - 1], "--", 2) == 0)
			return pf_opts_fail(p->doc, "%.*s takes no value",
			    (int)strcspn(p->argv[optind - 1], "="),
			    p->argv[optind - 1]);
		if (c == '?')
			return unknown_short(p, optopt);
		if (li >= 0) {	/* matched whole, not abbreviated */
			const char *tok = p->argv[optind - 1];
			if (p->lo[li].has_arg && optarg == tok)
				tok = p->argv[optind - 2];
			if (strcspn(tok + 2, "=") != strlen(p->lo[li].name))
				return unknown_long(p, tok);
		}
		if (c == PF_OPT_HELP) {
			pf_opts_usage(p->doc, stdout);
			return PF_OPTS_EXIT0;
		}
		if (c != PF_OPT_THREADS)
			return c;
		if (pf_opts_long(p, "--threads", 1, 4096, "an integer >= 1",
		    &n) != 0)
			return PF_OPTS_ERROR;
		omp_set_num_threads((int)n);
		openblas_set_num_threads((int)n);
	}
}

/* help from column 27, words wrapped before column 80 ('\n' a space). */
static void
wrap(const char *h, FILE *f)
{
	size_t col = 26;

	while (*h != '\0') {
		size_t w = strcspn(h, " \n");
		if (col > 26 && col + 1 + w > 79) {
			fprintf(f, "\n%26s", "");
			col = 26;
		} else if (col > 26) {
			fputc(' ', f);
			col++;
		}
		fwrite(h, 1, w, f);
		col += w;
		h += w;
		h += strspn(h, " \n");
	}
	fputc('\n', f);
}

/* One option's row of the usage. */
static void
usage_row(const pf_opt *o, FILE *f)
{
	char left[64];
	int l;

	if (o->lname != NULL && o->id < 128)
		l = snprintf(left, sizeof(left), "-%c, --%s%s%s", o->id,
		    o->lname, o->arg ? " " : "", o->arg ? o->arg : "");
	else if (o->lname != NULL)
		l = snprintf(left, sizeof(left), "    --%s%s%s", o->lname,
		    o->arg ? " " : "", o->arg ? o->arg : "");
	else
		l = snprintf(left, sizeof(left), "-%c%s%s", o->id,
		    o->arg ? " " : "", o->arg ? o->arg : "");
	fprintf(f, "  %s", left);
	if (l > 22)
		fprintf(f, "\n%26s", "");
	else
		fprintf(f, "%*s", 24 - l, "");
	wrap(o->help, f);
}

void
pf_opts_usage(const pf_cmd_doc *doc, FILE *f)
{
	fprintf(f, "usage: preflight %s %s\n", doc->name, doc->synopsis);
	if (doc->about != NULL)
		fputs(doc->about, f);
	if (doc->opts != NULL && doc->opts[0].id != 0)
		fputs("options:\n", f);
	for (const pf_opt *o = doc->opts; o != NULL && o->id != 0; o++)
		usage_row(o, f);
	if (doc->tail != NULL)
		fputs(doc->tail, f);
}

int
pf_opts_progress(int quiet)
{
	const char *e = getenv("PF_PROGRESS");

	if (quiet || (e != NULL && strcmp(e, "0") == 0))
		return 0;
	return (e != NULL && strcmp(e, "1") == 0) || isatty(2);
}

void
pf_opts_cmdline(char *buf, size_t bufsz, int argc, char **argv)
{
	size_t cl = 0;

	if (bufsz > 0)
		buf[0] = '\0';
	for (int i = 0; i < argc && cl < bufsz; i++) {
		int w = snprintf(buf + cl, bufsz - cl, "%s%s", i ? " " :
		    "preflight ", argv[i]);
		cl += w > 0 ? (size_t)w : 0;
	}
}
