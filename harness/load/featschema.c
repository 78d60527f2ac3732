/*
 * harness/load/featschema.c — the feature schema file (featschema.h): read
 * whole (one line a feature: thousands at most), parsed a line at a time
 * into rows, then sorted by id; repeated ids and names are found with one
 * string table each, so the check stays O(n) for hashed-feature ids.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness/load/featschema.h"
#include "harness/util/fileio.h"
#include "harness/util/grow.h"
#include "harness/util/scan.h"
#include "harness/util/strtab.h"

#define NCOL	7

static const char *const col_name[NCOL] = {"id", "name", "type", "range",
	"missing", "level", "description"};

typedef struct sc_ctx {
	const char	*path;
	pf_fschema	*s;
	size_t		 cap;
	pf_strtab	*ids, *names;
	long		*idline, *nameline;	/* first line of each, by key */
	size_t		 idcap, namecap;
	pf_err		*err;
} sc_ctx;

static int
is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

static int
clip(size_t len)
{
	return len > 40 ? 40 : (int)len;
}

void
pf_fschema_free(pf_fschema *s)
{
	if (s == NULL)
		return;
	for (size_t i = 0; i < s->n; i++) {
		free(s->row[i].name);
		free(s->row[i].cat);
		free(s->row[i].desc);
	}
	free(s->row);
	free(s->path);
	free(s);
}

const char *
pf_fschema_type_name(int type)
{
	static const char *const n[] = {"float", "int", "bool", "category"};

	return type >= 0 && type <= PF_FT_CATEGORY ? n[type] : "?";
}

/* Splits [s, e) at tabs into at most max fields; the number of fields. */
static size_t
split_tabs(const char *s, const char *e, const char **f, size_t *fl,
    size_t max)
{
	size_t n = 0;

	for (const char *p = s;; p++) {
		if (p == e || *p == '\t') {
			if (n < max) {
				f[n] = s;
				fl[n] = (size_t)(p - s);
			}
			n++;
			s = p + 1;
			if (p == e)
				break;
		}
	}
	return n;
}

static int
is_word(const char *f, size_t fl, const char *w)
{
	return fl == strlen(w) && memcmp(f, w, fl) == 0;
}

/* A finite number filling [f, f + fl). */
static int
finite_num(const char *f, size_t fl, double *out)
{
	return pf_parse_double(f, fl, out) == 0 && isfinite(*out) ? 0 : -1;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* The categories "a|b|c" of row r. */
static int
parse_cats(sc_ctx *c, pf_fschema_row *r, const char *f, size_t fl, long line)
{
	size_t n = 1, k = 0;

	for (size_t i = 0; i < fl; i++)
		n += f[i] == '|';
	if ((r->cat = malloc(n * sizeof(*r->cat))) == NULL)
		return pf_err_set(c->err, PF_ENOMEM, c->path, line,
		    "out of memory");
	for (const char *s = f, *p = f;; p++) {
		if (p == f + fl || *p == '|') {
			if (finite_num(s, (size_t)(p - s), &r->cat[k]) != 0)
				return pf_err_set(c->err, PF_EFORMAT, c->path,
				    line, "feature %ld: expected the categories "
				    "as finite numbers separated by '|' in "
				    "column 4 (range), got '%.*s'", r->id,
				    clip((size_t)(p - s)), s);
			k++;
			s = p + 1;
			if (p == f + fl)
				break;
		}
	}
	qsort(r->cat, n, sizeof(*r->cat), cmp_double);
	for (size_t i = 1; i < n; i++)
		if (r->cat[i] == r->cat[i - 1])
			return pf_err_set(c->err, PF_EFORMAT, c->path, line,
			    "feature %ld: category %g listed twice in column 4 "
			    "(range): expected each value once", r->id,
			    r->cat[i]);
	r->ncat = n;
	return PF_OK;
}

/* The range column of row r (its type known). */
static int
parse_range(sc_ctx *c, pf_fschema_row *r, const char *f, size_t fl, long line)
{
	const char *comma;

	r->min = -INFINITY;
	r->max = INFINITY;
	if (r->type == PF_FT_CATEGORY) {
		if (is_word(f, fl, "-") || fl == 0)
			return pf_err_set(c->err, PF_EFORMAT, c->path, line,
			    "feature %ld: a category feature needs its "
			    "values in column 4 (range), e.g. '1|2|3'", r->id);
		return parse_cats(c, r, f, fl, line);
	}
	if (is_word(f, fl, "-"))
		return PF_OK;
	if ((comma = memchr(f, ',', fl)) == NULL ||
	    (comma > f && finite_num(f, (size_t)(comma - f), &r->min) != 0) ||
	    (comma + 1 < f + fl && finite_num(comma + 1,
	    (size_t)(f + fl - comma - 1), &r->max) != 0))
		return pf_err_set(c->err, PF_EFORMAT, c->path, line,
		    "feature %ld: expected MIN,MAX (finite numbers, either "
		    "side may be empty) or '-' in column 4 (range), got "
		    "'%.*s'", r->id, clip(fl), f);
	if (r->min > r->max)
		return pf_err_set(c->err, PF_EFORMAT, c->path, line,
		    "feature %ld: range '%.*s' has MIN above MAX", r->id,
		    clip(fl), f);
	if (r->type == PF_FT_BOOL && !(r->min == 0 && r->max == 1))
		return pf_err_set(c->err, PF_EFORMAT, c->path, line,
		    "feature %ld: a bool feature's range is '-' or 0,1, got "
		    "'%.*s'", r->id, clip(fl), f);
	return PF_OK;
}

static int
check_header(sc_ctx *c, const char *s, const char *e, long line)
{
	const char *f[NCOL + 1];
	size_t fl[NCOL + 1], n = split_tabs(s, e, f, fl, NCOL + 1);

	for (size_t i = 0; i < NCOL; i++)
		if (n != NCOL || !is_word(f[i], fl[i], col_name[i]))
			return pf_err_set(c->err, PF_EFORMAT, c->path, line,
			    "expected the header '%s' (tab-separated) as the "
			    "first line that is not a comment",
			    "id<TAB>name<TAB>type<TAB>range<TAB>missing<TAB>"
			    "level<TAB>description");
	return PF_OK;
}

/* The id, name, type, missing and level columns into r. */
static int
parse_fields(sc_ctx *c, pf_fschema_row *r, const char **f, const size_t *fl,
    long line)
{
	static const char *const types[] = {"float", "int", "bool",
	    "category"};

	if (pf_parse_long(f[0], fl[0], 0, INT32_MAX, &r->id) != 0)
		return pf_err_set(c->err, PF_EFORMAT, c->path, line, "expected "
		    "a feature id (an integer 0..2147483647, the candidate "
		    "file's id) in column 1, got '%.*s'", clip(fl[0]), f[0]);
	if (fl[1] == 0 || is_space(f[1][0]) || is_space(f[1][fl[1] - 1]))
		return pf_err_set(c->err, PF_EFORMAT, c->path, line, "feature "
		    "%ld: expected a name in column 2 (not empty, no leading "
		    "or trailing space)", r->id);
	r->type = -1;
	for (int t = 0; t <= PF_FT_CATEGORY; t++)
		if (is_word(f[2], fl[2], types[t]))
			r->type = t;
	if (r->type < 0)
		return pf_err_set(c->err, PF_EFORMAT, c->path, line, "feature "
		    "%ld: expected float, int, bool or category in column 3 "
		    "(type), got '%.*s'", r->id, clip(fl[2]), f[2]);
	if (!is_word(f[4], fl[4], "yes") && !is_word(f[4], fl[4], "no"))
		return pf_err_set(c->err, PF_EFORMAT, c->path, line, "feature "
		    "%ld: expected yes or no in column 5 (missing allowed), "
		    "got '%.*s'", r->id, clip(fl[4]), f[4]);
	r->missing_ok = is_word(f[4], fl[4], "yes");
	if (!is_word(f[5], fl[5], "query") && !is_word(f[5], fl[5], "doc"))
		return pf_err_set(c->err, PF_EFORMAT, c->path, line, "feature "
		    "%ld: expected query or doc in column 6 (level), got "
		    "'%.*s'", r->id, clip(fl[5]), f[5]);
	r->query_level = is_word(f[5], fl[5], "query");
	return PF_OK;
}

/* One feature line [s, e) (CR dropped). */
static int
parse_row(sc_ctx *c, const char *s, const char *e, long line)
{
	const char *f[NCOL + 1];
	size_t fl[NCOL + 1], n = split_tabs(s, e, f, fl, NCOL + 1);
	pf_fschema_row *r;
	int rc;

	if (n != NCOL)
		return pf_err_set(c->err, PF_EFORMAT, c->path, line, "expected "
		    "7 tab-separated fields (id, name, type, range, missing, "
		    "level, description), got %zu", n);
	if (c->s->n == c->cap) {
		pf_fschema_row *g = pf_grow(c->s->row, &c->cap, c->s->n + 1,
		    sizeof(*g));
		if (g == NULL)
			return pf_err_set(c->err, PF_ENOMEM, c->path, line,
			    "out of memory");
		c->s->row = g;
	}
	r = &c->s->row[c->s->n++];
	*r = (pf_fschema_row){.line = line};
	if ((rc = parse_fields(c, r, f, fl, line)) != PF_OK ||
	    (rc = parse_range(c, r, f[3], fl[3], line)) != PF_OK)
		return rc;
	if ((r->name = strndup(f[1], fl[1])) == NULL ||
	    (r->desc = strndup(f[6], fl[6])) == NULL)
		return pf_err_set(c->err, PF_ENOMEM, c->path, line,
		    "out of memory");
	char key[24];	/* "012" and "12" are one id */
	int kl = snprintf(key, sizeof(key), "%ld", r->id);
	long at = pf_strtab_seen(c->ids, &c->idline, &c->idcap, key,
	    (size_t)kl, line);
	if (at > 0)
		return pf_err_set(c->err, PF_EFORMAT, c->path, line, "feature "
		    "%ld described twice (first at line %ld): expected one "
		    "line a feature", r->id, at);
	if (at == 0 && (at = pf_strtab_seen(c->names, &c->nameline,
	    &c->namecap, f[1], fl[1], line)) > 0)
		return pf_err_set(c->err, PF_EFORMAT, c->path, line, "name "
		    "'%.*s' given twice (first at line %ld, feature %ld here): "
		    "expected a different name for each feature", (int)fl[1],
		    f[1], at, r->id);
	if (at < 0)
		return pf_err_set(c->err, PF_ENOMEM, c->path, line,
		    "out of memory");
	return PF_OK;
}

static int
cmp_row(const void *a, const void *b)
{
	const pf_fschema_row *x = a, *y = b;

	return (x->id > y->id) - (x->id < y->id);
}

int
pf_fschema_load(pf_fschema **out, const char *path, pf_err *err)
{
	sc_ctx c = {.path = path, .err = err};
	char *buf = NULL;
	size_t len;
	long line = 0;
	int rc, header = 0;

	*out = NULL;
	if ((rc = pf_read_text(&buf, &len, path, err)) != PF_OK)
		return rc;
	if ((c.s = calloc(1, sizeof(*c.s))) == NULL ||
	    (c.s->path = strdup(path)) == NULL ||
	    (c.ids = pf_strtab_new()) == NULL ||
	    (c.names = pf_strtab_new()) == NULL) {
		rc = pf_err_set(err, PF_ENOMEM, path, 0, "out of memory");
		goto done;
	}
	const char *p = buf, *end = buf + len, *ln, *le;
	while ((le = pf_take_content_line(&p, end, &ln, &line)) != NULL) {
		rc = header ? parse_row(&c, ln, le, line) :
		    check_header(&c, ln, le, line);
		if (rc != PF_OK)
			goto done;
		header = 1;
	}
	if (c.s->n == 0) {
		rc = pf_err_set(err, PF_EFORMAT, path, line > 0 ? line : 1,
		    header ? "no features: expected one line a feature "
		    "after the header" : "empty: expected the header "
		    "'id<TAB>name<TAB>type<TAB>range<TAB>missing<TAB>level"
		    "<TAB>description' and one line a feature");
		goto done;
	}
	qsort(c.s->row, c.s->n, sizeof(*c.s->row), cmp_row);
	*out = c.s;
	c.s = NULL;
	rc = PF_OK;
done:
	pf_fschema_free(c.s);
	pf_strtab_free(c.ids);
	pf_strtab_free(c.names);
	free(c.idline);
	free(c.nameline);
	free(buf);
	return rc;
}

const pf_fschema_row *
pf_fschema_find(const pf_fschema *s, long id)
{
	size_t lo = 0, hi = s->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (s->row[mid].id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < s->n && s->row[lo].id == id ? &s->row[lo] : NULL;
}

int
pf_fschema_in_cats(const pf_fschema_row *r, double v)
{
	return bsearch(&v, r->cat, r->ncat, sizeof(*r->cat), cmp_double) !=
	    NULL;
}

void
pf_fschema_num(char *buf, size_t sz, double v)
{
	char *end;

	snprintf(buf, sz, "%.15g", v);
	if (strtod(buf, &end) != v)
		snprintf(buf, sz, "%.17g", v);
}

void
pf_fschema_range_text(const pf_fschema_row *r, char *buf, size_t sz)
{
	size_t k = 0;
	char a[32], b[32];

	if (r->type == PF_FT_CATEGORY) {
		buf[0] = '\0';
		for (size_t i = 0; i < r->ncat && k + 1 < sz; i++) {
			pf_fschema_num(a, sizeof(a), r->cat[i]);
			int w = snprintf(buf + k, sz - k, "%s%s", i ? "|" : "",
			    a);
			k += w > 0 ? (size_t)w : 0;
		}
		return;
	}
	if (isinf(r->min) && isinf(r->max)) {
		snprintf(buf, sz, "-");
		return;
	}
	a[0] = b[0] = '\0';
	if (!isinf(r->min))
		pf_fschema_num(a, sizeof(a), r->min);
	if (!isinf(r->max))
		pf_fschema_num(b, sizeof(b), r->max);
	snprintf(buf, sz, "%s,%s", a, b);
}

void
pf_fschema_write_row(const pf_fschema_row *r, FILE *f)
{
	char range[1024];

	pf_fschema_range_text(r, range, sizeof(range));
	fprintf(f, "%ld\t%s\t%s\t%s\t%s\t%s\t%s\n", r->id, r->name,
	    pf_fschema_type_name(r->type), range, r->missing_ok ? "yes" : "no",
	    r->query_level ? "query" : "doc", r->desc != NULL ? r->desc : "");
}
