/*
 * harness/load/lift_history.c — see lifthist.h.
 */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness/util/fileio.h"
#include "harness/util/grow.h"
#include "harness/load/lift_history.h"
#include "harness/util/strtab.h"
#include "metrics/treceval.h"

enum {
	C_ID, C_DATE, C_METRIC, C_GOLDEN, C_X, C_XSE, C_IL, C_ILSE, C_KPI,
	C_Y, C_YSE, C_LAUNCHED, C_N
};

void
pf_lifthist_free(pf_lifthist *h)
{
	if (h == NULL)
		return;
	free(h->path);
	free(h->id);
	free(h->date);
	free(h->line);
	free(h->x);
	free(h->x_se);
	free(h->il);
	free(h->il_se);
	free(h->y);
	free(h->y_se);
	free(h->launched);
	free(h->buf);
	free(h);
}

static char *
trim(char *s)
{
	size_t n;

	while (*s == ' ' || *s == '\t')
		s++;
	n = strlen(s);
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		s[--n] = '\0';
	return s;
}

/*
 * Splits the NUL-terminated line s at commas, in place, into *fv (grown as
 * needed). Quoted fields lose their quotes ("" is one quote). Returns the
 * field count, -1 for an unterminated quote, -2 for text after a closing
 * quote, -3 when out of memory.
 */
static long
split(char *s, char ***fv, size_t *cap)
{
	size_t n = 0;

	for (;;) {
		char *start = s, *w = s, end;
		if (n == *cap) {
			char **v = pf_grow(*fv, cap, n + 1, sizeof(*v));
			if (v == NULL)
				return -3;
			*fv = v;
		}
		while (*s == ' ' || *s == '\t')
			s++;
		if (*s == '"') {
			w = start = s++;
			for (;;) {
				if (*s == '\0')
					return -1;
				if (*s == '"' && s[1] == '"') {
					*w++ = '"';
					s += 2;
				} else if (*s == '"') {
					s++;
					break;
				} else
					*w++ = *s++;
			}
			while (*s == ' ' || *s == '\t')
				s++;
			if (*s != ',' && *s != '\0')
				return -2;
			end = *s;
			*w = '\0';
			(*fv)[n++] = start;
		} else {
			while (*s != ',' && *s != '\0')
				s++;
			end = *s;
			*s = '\0';
			(*fv)[n++] = trim(start);
		}
		if (end == '\0')
			return (long)n;
		s++;
	}
}

static int
number(const char *s, double *out)
{
	char *end;

	if (*s == '\0')
		return -1;
	*out = strtod(s, &end);
	if (*end != '\0')
		return -1;
	return isfinite(*out) ? 0 : -2;
}

/* YYYY-MM-DD, a real calendar day. */
static int
valid_date(const char *s)
{
	static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31,
	    30, 31};
	int y, m, d;

	if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return 0;
	for (int i = 0; i < 10; i++)
		if (i != 4 && i != 7 && !isdigit((unsigned char)s[i]))
			return 0;
	y = atoi(s);
	m = atoi(s + 5);
	d = atoi(s + 8);
	if (m < 1 || m > 12 || d < 1)
		return 0;
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	return d <= mdays[m - 1] + (m == 2 && leap);
}

static int
contains_ci(const char *s, const char *word)
{
	size_t n = strlen(word);

	for (; *s != '\0'; s++) {
		size_t i = 0;
		while (i < n && s[i] != '\0' && tolower((unsigned char)s[i]) ==
		    word[i])
			i++;
		if (i == n)
			return 1;
	}
	return 0;
}

/* The last component of a folder path ("../golden/cranfield/" ->
   "cranfield"), into buf. */
static const char *
basename_of(const char *dir, char *buf, size_t sz)
{
	size_t n;
	const char *b;

	if (dir == NULL)
		return NULL;
	n = strlen(dir);
	while (n > 1 && dir[n - 1] == '/')
		n--;
	b = dir + n;
	while (b > dir && b[-1] != '/')
		b--;
	snprintf(buf, sz, "%.*s", (int)(dir + n - b), b);
	return buf;
}

/* Reads field c as a number; 1 when the cell is empty and may be. */
static int
cell_num(char **fv, const int *col, int c, const char *name, int empty_ok,
    double *out, const char *path, long line, pf_err *err)
{
	const char *s = fv[col[c]];
	int rc;

	if (*s == '\0' && empty_ok) {
		*out = NAN;
		return 1;
	}
	if ((rc = number(s, out)) != 0)
		return pf_err_set(err, PF_EFORMAT, path, line, "%s: expected %s"
		    "number, found '%.40s'", name, rc == -2 ? "a finite " :
		    "a ", s);
	return PF_OK;
}

static int
se_num(char **fv, const int *col, int c, const char *name, int zero_ok,
    int empty_ok, double *out, const char *path, long line, pf_err *err)
{
	int rc = cell_num(fv, col, c, name, empty_ok, out, path, line, err);

	if (rc != PF_OK)
		return rc < 0 ? rc : PF_OK;
	if (zero_ok ? *out < 0.0 : *out <= 0.0)
		return pf_err_set(err, PF_EFORMAT, path, line, "%s: expected a "
		    "standard error %s 0, found '%.40s'", name, zero_ok ? ">=" :
		    ">", fv[col[c]]);
	return PF_OK;
}

/* Whether column name is METRIC_se in any spelling of the metric
   ("ndcg_cut_10_se" for nDCG@10). */
static int
se_of(const char *name, const char *metric)
{
	size_t n = strlen(name);
	char b[160];

	if (n < 4 || n - 3 >= sizeof(b) || strcmp(name + n - 3, "_se") != 0)
		return 0;
	memcpy(b, name, n - 3);
	b[n - 3] = '\0';
	return pf_te_same_value(b, metric);
}

static int
header(char **fv, long nf, const char *metric, int *col, char *secol,
    size_t secolsz, pf_lifthist *h, const char *path, long line,
    pf_err *err)
{
	static const char *const names[C_N] = {"launch_id", "date",
	    "offline_metric", "golden_set", "offline_delta", "offline_se",
	    "interleave_delta", "interleave_se", "online_kpi", "online_lift",
	    "online_se", "launched"};
	int wide = -1, wide_se = -1;

	snprintf(secol, secolsz, "%s_se", metric);
	for (int c = 0; c < C_N; c++)
		col[c] = -1;
	for (long i = 0; i < nf; i++) {
		for (long j = 0; j < i; j++)
			if (strcmp(fv[i], fv[j]) == 0)
				return pf_err_set(err, PF_EFORMAT, path, line,
				    "column '%.60s' appears twice", fv[i]);
		if (pf_te_same_value(fv[i], metric))
			wide = (int)i;
		else if (se_of(fv[i], metric))
			wide_se = (int)i;
		else if (strcmp(fv[i], "experiment_id") == 0)
			col[C_ID] = col[C_ID] < 0 ? (int)i : col[C_ID];
		for (int c = 0; c < C_N; c++)
			if (strcmp(fv[i], names[c]) == 0)
				col[c] = (int)i;
	}
	if (wide_se >= 0)	/* messages name the column as spelled */
		snprintf(secol, secolsz, "%s", fv[wide_se]);
	if (wide >= 0) {	/* a column named by the metric wins */
		col[C_X] = wide;
		col[C_XSE] = wide_se;
		col[C_METRIC] = -1;
		h->xcol = metric;
	} else
		h->xcol = "offline_delta";
	const char *miss = col[C_ID] < 0 ? "launch_id" : col[C_X] < 0 ?
	    "offline_delta" : col[C_Y] < 0 ? "online_lift" : col[C_YSE] < 0 ?
	    "online_se" : NULL;
	if (miss != NULL)
		return pf_err_set(err, PF_EFORMAT, path, line, "missing column "
		    "'%s' (needed: launch_id, online_lift, online_se and the "
		    "offline delta as offline_delta or a column named %.60s)",
		    miss, metric);
	return PF_OK;
}

static int
alloc_rows(pf_lifthist *h, size_t cap, const int *col)
{
	size_t c = cap + 1;

	h->id = calloc(c, sizeof(*h->id));
	h->line = calloc(c, sizeof(*h->line));
	h->x = calloc(c, sizeof(double));
	h->y = calloc(c, sizeof(double));
	h->y_se = calloc(c, sizeof(double));
	h->launched = calloc(c, sizeof(int));
	if (col[C_DATE] >= 0)
		h->date = calloc(c, sizeof(*h->date));
	if (col[C_XSE] >= 0)
		h->x_se = calloc(c, sizeof(double));
	if (col[C_IL] >= 0) {
		h->il = calloc(c, sizeof(double));
		h->il_se = calloc(c, sizeof(double));
	}
	return h->id == NULL || h->line == NULL || h->x == NULL ||
	    h->y == NULL || h->y_se == NULL || h->launched == NULL ||
	    (col[C_DATE] >= 0 && h->date == NULL) || (col[C_XSE] >= 0 &&
	    h->x_se == NULL) || (col[C_IL] >= 0 && (h->il == NULL ||
	    h->il_se == NULL)) ? -1 : 0;
}

/* One data row into h (or counted as excluded). */
static int
row(pf_lifthist *h, char **fv, const int *col, const char *metric,
    const char *secol, const char *golden, const char *gbase, pf_strtab *ids,
    long *first, const char *path, long line, pf_err *err)
{
	size_t j = h->n;
	double v;
	int rc;

	if (col[C_DATE] >= 0 && !valid_date(fv[col[C_DATE]]))
		return pf_err_set(err, PF_EFORMAT, path, line, "date: expected "
		    "YYYY-MM-DD, found '%.40s'", fv[col[C_DATE]]);
	if ((rc = cell_num(fv, col, C_X, h->xcol, 0, &h->x[j], path, line,
	    err)) != PF_OK ||
	    (rc = cell_num(fv, col, C_Y, "online_lift", 0, &h->y[j], path,
	    line, err)) != PF_OK ||
	    (rc = se_num(fv, col, C_YSE, "online_se", 0, 0, &h->y_se[j], path,
	    line, err)) != PF_OK)
		return rc;
	if (col[C_XSE] >= 0 && (rc = se_num(fv, col, C_XSE,
	    strcmp(h->xcol, "offline_delta") == 0 ? "offline_se" : secol, 1, 0,
	    &h->x_se[j], path, line, err)) != PF_OK)
		return rc;
	if (col[C_IL] >= 0) {
		h->il_se[j] = NAN;
		if ((rc = cell_num(fv, col, C_IL, "interleave_delta", 1,
		    &h->il[j], path, line, err)) < 0 || (col[C_ILSE] >= 0 &&
		    (rc = se_num(fv, col, C_ILSE, "interleave_se", 1, 1,
		    &h->il_se[j], path, line, err)) < 0))
			return rc;
	}
	h->launched[j] = -1;
	if (col[C_LAUNCHED] >= 0) {
		const char *s = fv[col[C_LAUNCHED]];
		if (*s != '\0' && (rc = number(s, &v)) == 0 && (v == 0 ||
		    v == 1))
			h->launched[j] = (int)v;
		else if (*s != '\0')
			return pf_err_set(err, PF_EFORMAT, path, line, "launched: "
			    "expected 0, 1 or nothing, found '%.40s'", s);
	}
	/* the filters, after the checks: a bad row is bad wherever it is */
	if (col[C_METRIC] >= 0 && !pf_te_same_value(fv[col[C_METRIC]],
	    metric)) {
		h->nexcl_metric++;
		return PF_OK;
	}
	if (col[C_GOLDEN] >= 0 && (golden != NULL || gbase != NULL) &&
	    !(golden != NULL && strcmp(fv[col[C_GOLDEN]], golden) == 0) &&
	    !(gbase != NULL && strcmp(fv[col[C_GOLDEN]], gbase) == 0)) {
		h->nexcl_golden++;
		return PF_OK;
	}
	if (col[C_KPI] >= 0) {
		const char *k = fv[col[C_KPI]];
		if (h->kpi == NULL)
			h->kpi = k;
		else if (strcmp(h->kpi, k) != 0)
			return pf_err_set(err, PF_EDATA, path, line, "online_kpi "
			    "'%.60s' differs from '%.60s' of line %ld: one history "
			    "per online KPI", k, h->kpi, h->line[0]);
	}
	const char *id = fv[col[C_ID]];
	if (*id == '\0')
		return pf_err_set(err, PF_EFORMAT, path, line, "launch_id: "
		    "expected an id, found an empty field");
	size_t before = pf_strtab_count(ids);
	long k = pf_strtab_intern(ids, id, strlen(id));
	if (k < 0)
		return pf_err_set(err, PF_ENOMEM, NULL, 0, "out of memory");
	if ((size_t)k < before)
		return pf_err_set(err, PF_EFORMAT, path, line, "launch_id "
		    "'%.60s' already on line %ld", id, first[k]);
	first[k] = line;
	h->id[j] = id;
	if (h->date != NULL)
		h->date[j] = fv[col[C_DATE]];
	h->line[j] = line;
	h->n++;
	return PF_OK;
}

int
pf_lifthist_load(pf_lifthist **out, const char *path, const char *metric,
    const char *golden, const char *golden_dir, pf_err *err)
{
	pf_lifthist *h = calloc(1, sizeof(*h));
	pf_strtab *ids = pf_strtab_new();
	char **fv = NULL, secol[192], gb[256];
	size_t cap = 0, len = 0, nlines = 1;
	long *first = NULL, nf = 0, line = 0;
	int col[C_N], have_header = 0, rc = PF_OK;
	const char *gbase = basename_of(golden_dir, gb, sizeof(gb));

	*out = NULL;
	if (h == NULL || ids == NULL || (h->path = strdup(path)) == NULL) {
		rc = pf_err_set(err, PF_ENOMEM, NULL, 0, "out of memory");
		goto done;
	}
	if ((rc = pf_read_text(&h->buf, &len, path, err)) != PF_OK)
		goto done;
	for (size_t i = 0; i < len; i++)
		nlines += h->buf[i] == '\n';
	if ((first = calloc(nlines + 1, sizeof(*first))) == NULL) {
		rc = pf_err_set(err, PF_ENOMEM, NULL, 0, "out of memory");
		goto done;
	}
	char *p = h->buf, *end = h->buf + len;
	if (len >= 3 && (unsigned char)p[0] == 0xef &&
	    (unsigned char)p[1] == 0xbb && (unsigned char)p[2] == 0xbf)
		p += 3;		/* a UTF-8 byte order mark */
	while (p < end) {
		char *eol = memchr(p, '\n', (size_t)(end - p)), *next;
		line++;
		if (eol == NULL)
			eol = end;	/* the NUL after the last byte */
		next = eol < end ? eol + 1 : end;
		if (memchr(p, '\0', (size_t)(eol - p)) != NULL) {
			rc = pf_err_set(err, PF_EFORMAT, path, line, "expected "
			    "text, found a NUL byte");
			goto done;
		}
		*eol = '\0';
		if (eol > p && eol[-1] == '\r')
			eol[-1] = '\0';
		char *t = p;
		p = next;
		while (*t == ' ' || *t == '\t')
			t++;
		if (*t == '#') {
			if (contains_ci(t, "synthetic"))
				h->synthetic = 1;
			continue;
		}
		if (*t == '\0')
			continue;
		long n = split(t, &fv, &cap);
		if (n < 0) {
			rc = n == -3 ? pf_err_set(err, PF_ENOMEM, NULL, 0, "out "
			    "of memory") : pf_err_set(err, PF_EFORMAT, path, line,
			    "%s", n == -1 ? "a quoted field does not end on its "
			    "line" : "expected ',' after a closing quote");
			goto done;
		}
		if (!have_header) {
			if ((rc = header(fv, n, metric, col, secol,
			    sizeof(secol), h, path, line, err)) != PF_OK)
				goto done;
			if (alloc_rows(h, nlines, col) != 0) {
				rc = pf_err_set(err, PF_ENOMEM, NULL, 0, "out of "
				    "memory");
				goto done;
			}
			nf = n;
			have_header = 1;
			continue;
		}
		if (n != nf) {
			rc = pf_err_set(err, PF_EFORMAT, path, line, "expected %ld "
			    "fields as in the header, found %ld", nf, n);
			goto done;
		}
		if ((rc = row(h, fv, col, metric, secol, golden, gbase, ids,
		    first, path, line, err)) != PF_OK)
			goto done;
	}
	if (!have_header)
		rc = pf_err_set(err, PF_EFORMAT, path, line > 0 ? line : 1,
		    "expected a header row (launch_id,...,online_lift,online_se)"
		    ", found an empty history");
done:
	free(fv);
	free(first);
	pf_strtab_free(ids);
	if (rc != PF_OK)
		pf_lifthist_free(h);
	else
		*out = h;
	return rc;
}
