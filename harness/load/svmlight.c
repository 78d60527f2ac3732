/*
 * svmlight.c — LETOR / SVMlight and LightGBM-layout loader (see svmlight.h).
 *
 * One streaming pass with getline: rows are written densely as they are
 * parsed; when a feature id beyond the current width appears, the matrix is
 * re-laid out with the width doubled (amortised O(1) per value). Values are
 * parsed as correctly rounded doubles; the float32 copy is (float)value,
 * which is how XGBoost converts its input.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness/util/grow.h"
#include "harness/util/scan.h"
#include "harness/util/strtab.h"
#include "harness/load/svmlight.h"

void
pf_svm_free(pf_svm *s)
{
	if (s == NULL)
		return;
	free(s->id);
	free(s->x32);
	free(s->x64);
	free(s->grade);
	if (s->qid != NULL)
		for (size_t q = 0; q < s->nq; q++)
			free(s->qid[q]);
	free(s->qid);
	free(s->qoff);
	if (s->docid != NULL)
		for (size_t i = 0; i < s->nrows; i++)
			free(s->docid[i]);
	free(s->docid);
	free(s->path);
	free(s);
}

typedef struct grow {
	size_t	 cap_rows, nf_cap;
} grow;

/* Ensures room for row r and width nf; re-lays out when the width grows. */
static int
ensure(pf_svm *s, grow *g, size_t r, size_t nf, int dbl)
{
	size_t rows, width, bytes;

	if (r < g->cap_rows && nf <= g->nf_cap)
		return 0;
	/* The row capacity is shared by x32, x64, grade and docid. */
	if ((rows = pf_grow_cap(g->cap_rows, r + 1, sizeof(char *))) == 0 ||
	    (width = pf_grow_cap(g->nf_cap, nf, sizeof(double))) == 0 ||
	    pf_mul_size(rows, width, &bytes) != PF_OK ||
	    pf_mul_size(bytes, sizeof(double), &bytes) != PF_OK)
		return -1;
	float *x = malloc(rows * width * sizeof(*x));
	double *y = dbl ? malloc(rows * width * sizeof(*y)) : NULL;
	int32_t *gr = pf_realloc_n(s->grade, rows, sizeof(*gr));
	char **d = pf_realloc_n(s->docid, rows, sizeof(*d));
	if (gr != NULL)
		s->grade = gr;
	if (d != NULL)
		s->docid = d;
	if (x == NULL || (dbl && y == NULL) || gr == NULL || d == NULL) {
		free(x);
		free(y);
		return -1;
	}
	for (size_t i = 0; i < rows; i++) {
		for (size_t j = 0; j < width; j++) {
			int old = i < s->nrows + 1 && i < g->cap_rows &&
			    j < g->nf_cap;
			x[i * width + j] = old ? s->x32[i * g->nf_cap + j] : NAN;
			if (dbl)
				y[i * width + j] = old ? s->x64[i * g->nf_cap +
				    j] : 0.0;
		}
	}
	free(s->x32);
	free(s->x64);
	s->x32 = x;
	s->x64 = y;
	g->cap_rows = rows;
	g->nf_cap = width;
	return 0;
}

static int
add_query(pf_svm *s, size_t *capq, const char *qid, size_t len, size_t row)
{
	if (s->nq + 1 >= *capq) {
		/* qid and qoff share *capq; qoff has one more (the end). */
		size_t c = pf_grow_cap(*capq, s->nq + 2, sizeof(size_t));
		char **q;
		size_t *o;
		if (c == 0 || (q = pf_realloc_n(s->qid, c, sizeof(*q))) == NULL)
			return -1;
		s->qid = q;
		if ((o = pf_realloc_n(s->qoff, c + 1, sizeof(*o))) == NULL)
			return -1;
		s->qoff = o;
		*capq = c;
	}
	if ((s->qid[s->nq] = strndup(qid, len)) == NULL)
		return -1;
	s->qoff[s->nq++] = row;
	return 0;
}

static int
load_groups(size_t **out, size_t *n, const char *path, pf_err *err)
{
	FILE *f = fopen(path, "r");
	char *line = NULL;
	size_t cap = 0, k = 0, capg = 0;
	size_t *g = NULL;
	long lineno = 0;
	ssize_t len;
	int rc = PF_OK;

	*out = NULL;
	if (f == NULL)
		return pf_err_set(err, PF_EIO, path, 0, "cannot open: %s",
		    strerror(errno));
	while ((len = getline(&line, &cap, f)) >= 0) {
		long v;
		const char *fs[2];
		size_t fl[2];

		lineno++;
		int nf = pf_split_ws(line, line + len - (len > 0 &&
		    line[len - 1] == '\n'), fs, fl, 2);
		if (nf == 0)
			continue;
		if (nf != 1 || pf_parse_long(fs[0], fl[0], 1, 1L << 40,
		    &v) != 0) {
			rc = pf_err_set(err, PF_EFORMAT, path, lineno,
			    "expected one positive group size");
			goto done;
		}
		if (k == capg) {
			size_t *ng = pf_grow(g, &capg, k + 1, sizeof(*ng));
			if (ng == NULL) {
				rc = pf_err_set(err, PF_ENOMEM, path, 0,
				    "out of memory");
				goto done;
			}
			g = ng;
		}
		g[k++] = (size_t)v;
	}
	*out = g;
	*n = k;
	g = NULL;
done:
	free(g);
	free(line);
	fclose(f);
	return rc;
}

int
pf_svm_load(pf_svm **out, const char *path, const pf_svm_opts *o,
    pf_err *err)
{
	pf_svm *s = NULL;
	FILE *f = NULL;
	char *line = NULL;
	size_t cap = 0, capq = 0, *groups = NULL, ngroups = 0, gi = 0,
	    in_group = 0;
	grow g = {0, 0};
	long lineno = 0;
	ssize_t len;
	int rc = PF_OK, base = o->base ? o->base : 1;
	pf_strtab *seen_q = NULL, *seen_d = NULL;
	char msg[256];
	size_t nf_used = o->min_features;

	*out = NULL;
	if (o->query_file != NULL &&
	    (rc = load_groups(&groups, &ngroups, o->query_file, err)) != PF_OK)
		return rc;
	if ((s = calloc(1, sizeof(*s))) == NULL ||
	    (s->path = strdup(path)) == NULL ||
	    (seen_q = pf_strtab_new()) == NULL)
		goto nomem;
	s->base = base;
	if ((f = fopen(path, "r")) == NULL) {
		rc = pf_err_set(err, PF_EIO, path, 0, "cannot open: %s",
		    strerror(errno));
		goto done;
	}
	while ((len = getline(&line, &cap, f)) >= 0) {
		const char *p = line, *end = line + len, *hash;
		const char *qid = NULL, *doc = NULL;
		size_t qid_len = 0, doc_len = 0, r = s->nrows;
		char qbuf[32];
		long grade, last = -1;

		lineno++;
		if ((hash = memchr(p, '#', (size_t)(end - p))) != NULL) {
			const char *fs[1];
			size_t fl[1];
			if (pf_split_ws(hash + 1, end - (end[-1] == '\n'), fs,
			    fl, 1) > 0) {
				doc = fs[0];
				doc_len = fl[0];
			}
			end = hash;
		}
		while (p < end && (pf_is_ws(*p) || *p == '\n'))
			p++;
		if (p == end)
			continue;
		/* grade */
		const char *t = p;
		while (p < end && !pf_is_ws(*p) && *p != '\n')
			p++;
		if (pf_parse_long(t, (size_t)(p - t), INT32_MIN, INT32_MAX,
		    &grade) != 0) {
			rc = pf_err_set(err, PF_EFORMAT, path, lineno,
			    "grade '%.*s' is not an integer", (int)(p - t) > 40 ?
			    40 : (int)(p - t), t);
			goto done;
		}
		if (ensure(s, &g, r, nf_used, o->need_double) != 0)
			goto nomem;
		s->grade[r] = (int32_t)grade;
		s->docid[r] = NULL;
		for (size_t j = 0; j < g.nf_cap; j++) {
			s->x32[r * g.nf_cap + j] = NAN;
			if (o->need_double)
				s->x64[r * g.nf_cap + j] = 0.0;
		}
		/* id:value pairs, and qid: */
		for (;;) {
			while (p < end && (pf_is_ws(*p) || *p == '\n'))
				p++;
			if (p >= end)
				break;
			t = p;
			while (p < end && !pf_is_ws(*p) && *p != '\n')
				p++;
			const char *colon = memchr(t, ':', (size_t)(p - t));
			if (colon == NULL) {
				rc = pf_err_set(err, PF_EFORMAT, path, lineno,
				    "expected id:value, got '%.*s'",
				    (int)(p - t) > 40 ? 40 : (int)(p - t), t);
				goto done;
			}
			if (colon - t == 3 && memcmp(t, "qid", 3) == 0) {
				qid = colon + 1;
				qid_len = (size_t)(p - qid);
				if (qid_len == 0) {
					rc = pf_err_set(err, PF_EFORMAT, path,
					    lineno, "empty qid");
					goto done;
				}
				continue;
			}
			long id;
			double v;
			if (pf_parse_long(t, (size_t)(colon - t), base,
			    INT32_MAX, &id) != 0) {
				rc = pf_err_set(err, PF_EFORMAT, path, lineno,
				    "feature id '%.*s' is not an integer >= %d",
				    (int)(colon - t) > 20 ? 20 : (int)(colon - t),
				    t, base);
				goto done;
			}
			if (id <= last) {
				rc = pf_err_set(err, PF_EFORMAT, path, lineno,
				    "feature ids must increase along a line "
				    "(%ld after %ld)", id, last);
				goto done;
			}
			last = id;
			if (pf_parse_double(colon + 1, (size_t)(p - colon - 1),
			    &v) != 0) {
				rc = pf_err_set(err, PF_EFORMAT, path, lineno,
				    "feature %ld: value '%.*s' is not a number",
				    id, (int)(p - colon - 1) > 40 ? 40 :
				    (int)(p - colon - 1), colon + 1);
				goto done;
			}
			size_t col = (size_t)(id - base);
			if (col + 1 > nf_used)
				nf_used = col + 1;
			if (ensure(s, &g, r, nf_used, o->need_double) != 0)
				goto nomem;
			s->x32[r * g.nf_cap + col] = (float)v;
			if (o->need_double)
				s->x64[r * g.nf_cap + col] = v;
		}
		/* Query grouping. */
		if (groups != NULL) {
			if (qid != NULL) {
				rc = pf_err_set(err, PF_EFORMAT, path, lineno,
				    "qid: given although a query file names the "
				    "groups");
				goto done;
			}
			if (in_group == 0) {
				if (gi >= ngroups) {
					rc = pf_err_set(err, PF_EFORMAT, path,
					    lineno, "more rows than the %zu "
					    "groups of '%s' hold", ngroups,
					    o->query_file);
					goto done;
				}
				snprintf(qbuf, sizeof(qbuf), "%zu", gi + 1);
				if (add_query(s, &capq, qbuf, strlen(qbuf), r))
					goto nomem;
				in_group = groups[gi++];
			}
			in_group--;
		} else {
			if (qid == NULL) {
				rc = pf_err_set(err, PF_EFORMAT, path, lineno,
				    "expected qid:Q after the grade (or give "
				    "a query file of group sizes)");
				goto done;
			}
			if (s->nq == 0 || strlen(s->qid[s->nq - 1]) !=
			    qid_len || memcmp(s->qid[s->nq - 1], qid,
			    qid_len) != 0) {
				if (pf_strtab_find(seen_q, qid, qid_len) >= 0) {
					rc = pf_err_set(err, PF_EFORMAT, path,
					    lineno, "rows of query '%.*s' are "
					    "not contiguous", (int)qid_len,
					    qid);
					goto done;
				}
				if (pf_strtab_intern(seen_q, qid, qid_len) < 0 ||
				    add_query(s, &capq, qid, qid_len, r) != 0)
					goto nomem;
			}
		}
		/* Docid: the comment's first token, or synthesised. */
		size_t q = s->nq - 1, k = r - s->qoff[q];
		if (k == 0) {
			pf_strtab_free(seen_d);
			if ((seen_d = pf_strtab_new()) == NULL)
				goto nomem;
		}
		if (doc == NULL) {
			snprintf(msg, sizeof(msg), "q%s_d%zu", s->qid[q], k + 1);
			doc = msg;
			doc_len = strlen(msg);
		}
		if (pf_strtab_find(seen_d, doc, doc_len) >= 0) {
			rc = pf_err_set(err, PF_EFORMAT, path, lineno,
			    "duplicate docid '%.*s' in query '%s'",
			    (int)doc_len > 100 ? 100 : (int)doc_len, doc,
			    s->qid[q]);
			goto done;
		}
		if (pf_strtab_intern(seen_d, doc, doc_len) < 0 ||
		    (s->docid[r] = strndup(doc, doc_len)) == NULL)
			goto nomem;
		s->nrows++;
	}
	if (ferror(f)) {
		rc = pf_err_set(err, PF_EIO, path, 0, "read error");
		goto done;
	}
	if (groups != NULL && (gi != ngroups || in_group != 0)) {
		rc = pf_err_set(err, PF_EFORMAT, path, lineno,
		    "the file ends inside group %zu of %zu of '%s' (rows and "
		    "group sizes disagree)", gi, ngroups, o->query_file);
		goto done;
	}
	if (s->nrows == 0) {
		rc = pf_err_set(err, PF_EFORMAT, path, 0, "no rows");
		goto done;
	}
	/* Compact to the used width. */
	if (g.nf_cap != nf_used) {
		size_t w = nf_used;
		for (size_t i = 0; i < s->nrows; i++) {
			memmove(s->x32 + i * w, s->x32 + i * g.nf_cap,
			    w * sizeof(float));
			if (o->need_double)
				memmove(s->x64 + i * w, s->x64 + i * g.nf_cap,
				    w * sizeof(double));
		}
	}
	s->nf = nf_used;
	s->qoff[s->nq] = s->nrows;
	*out = s;
	s = NULL;
	goto done;
nomem:
	rc = pf_err_set(err, PF_ENOMEM, path, lineno, "out of memory");
done:
	if (f != NULL)
		fclose(f);
	free(line);
	free(groups);
	pf_strtab_free(seen_q);
	pf_strtab_free(seen_d);
	pf_svm_free(s);
	return rc;
}
