/*
 * svmlight.c — LETOR / SVMlight and LightGBM-layout loader (see svmlight.h).
 *
 * One streaming pass a line at a time (pf_reader: gzip inflated on the
 * way), each line's values going into the matrix
 * of svmlight_mat.c as they are parsed (dense while the ids allow it, the
 * column map chosen at the end). Values are parsed as correctly rounded
 * doubles; the float32 copy is (float)value, which is how XGBoost converts
 * its input, so a value float32 cannot hold is refused here, at its line,
 * rather than becoming an infinite score later.
 */
#include <errno.h>
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness/util/fileio.h"
#include "harness/util/grow.h"
#include "harness/util/progress.h"
#include "harness/util/scan.h"
#include "harness/util/strtab.h"
#include "harness/load/svmlight_internal.h"

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
	free(s->line);
	free(s->path);
	free(s);
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
	pf_reader *f = NULL;
	char *t;
	size_t tn, k = 0, capg = 0;
	size_t *g = NULL;
	long lineno = 0;
	int rc;

	*out = NULL;
	if ((rc = pf_reader_open(&f, path, err)) != PF_OK)
		return rc;
	while ((rc = pf_reader_line(f, &t, &tn, err)) == 1) {
		long v;
		const char *fs[2];
		size_t fl[2];

		if ((rc = pf_text_line(&t, &tn, ++lineno, path, err)) != PF_OK)
			goto done;
		int nf = pf_split_ws(t, t + tn - (tn > 0 && t[tn - 1] == '\n'),
		    fs, fl, 2);
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
	if (rc != 0)
		goto done;
	*out = g;
	*n = k;
	g = NULL;
done:
	free(g);
	pf_reader_close(f);
	return rc;
}


/* One load: the file, the matrix, the queries and the docids so far. */
typedef struct ld {
	pf_svm			*s;
	const pf_svm_opts	*o;
	const char		*path;
	long			 lineno;
	pf_svm_mat		 m;
	size_t			 caprows, capq;
	size_t			*groups, ngroups, gi, in_group;
	pf_strtab		*seen_q, *seen_d;
	pf_err			*err;
} ld;

static int
oom(ld *l)
{
	return pf_err_set(l->err, PF_ENOMEM, l->path, l->lineno,
	    "out of memory");
}

/* The width of a quoted token in a message: at most max bytes. */
static int
clip(size_t len, int max)
{
	return len > (size_t)max ? max : (int)len;
}

/*
 * A value every scorer can read: finite, and finite as float32; or NaN,
 * an explicit missing value (XGBoost and LightGBM read "nan" so: the same
 * as absent for XGBoost and linear, LightGBM's missing rather than its
 * absent-is-zero).
 */
static int
check_value(ld *l, long id, const char *t, size_t len, double v)
{
	if (isnan(v))
		return PF_OK;
	if (isinf(v))
		return pf_err_set(l->err, PF_EFORMAT, l->path, l->lineno,
		    "feature %ld: value '%.*s' is infinite (expected a finite "
		    "number; 'nan' or leaving the feature out marks it missing)",
		    id, clip(len, 40), t);
	if (isinf((float)v))
		return pf_err_set(l->err, PF_EFORMAT, l->path, l->lineno,
		    "feature %ld: value '%.*s' overflows float32 (largest "
		    "%g), the precision features are kept and scored in", id,
		    clip(len, 40), t, (double)FLT_MAX);
	return PF_OK;
}

/* One id:value token [t, e) of row r (colon at c). */
static int
feature(ld *l, size_t r, const char *t, const char *c, const char *e,
    long *last)
{
	long id;
	double v;
	int rc;

	if (pf_parse_long(t, (size_t)(c - t), l->s->base, INT32_MAX,
	    &id) != 0)
		return pf_err_set(l->err, PF_EFORMAT, l->path, l->lineno,
		    "feature id '%.*s' is not an integer >= %d%s",
		    clip((size_t)(c - t), 20), t, l->s->base,
		    l->o->feature_base == PF_SVM_BASE_ONE ? " (feature ids "
		    "start at 1 here; a zero-based file: feature-base=\"0\")" :
		    "");
	if (id <= *last)
		return pf_err_set(l->err, PF_EFORMAT, l->path, l->lineno,
		    "feature ids must increase along a line (%ld after %ld)",
		    id, *last);
	*last = id;
	if (pf_parse_double(c + 1, (size_t)(e - c - 1), &v) != 0)
		return pf_err_set(l->err, PF_EFORMAT, l->path, l->lineno,
		    "feature %ld: value '%.*s' is not a number", id,
		    clip((size_t)(e - c - 1), 40), c + 1);
	if ((rc = check_value(l, id, c + 1, (size_t)(e - c - 1), v)) != PF_OK)
		return rc;
	return pf_svm__mat_set(&l->m, r, id, v) != 0 ? oom(l) : PF_OK;
}

/* The id:value pairs and qid: of row r, [p, end) after the grade. */
static int
features(ld *l, size_t r, const char *p, const char *end, const char **qid,
    size_t *qid_len)
{
	long last = -1;
	int rc;

	for (;;) {
		while (p < end && (pf_is_ws(*p) || *p == '\n'))
			p++;
		if (p >= end)
			return PF_OK;
		const char *t = p;
		while (p < end && !pf_is_ws(*p) && *p != '\n')
			p++;
		const char *colon = memchr(t, ':', (size_t)(p - t));
		if (colon == NULL)
			return pf_err_set(l->err, PF_EFORMAT, l->path, l->lineno,
			    "expected id:value, got '%.*s'",
			    clip((size_t)(p - t), 40), t);
		if (colon - t == 3 && memcmp(t, "qid", 3) == 0) {
			*qid = colon + 1;
			*qid_len = (size_t)(p - *qid);
			if (*qid_len == 0)
				return pf_err_set(l->err, PF_EFORMAT, l->path,
				    l->lineno, "empty qid");
			continue;
		}
		if ((rc = feature(l, r, t, colon, p, &last)) != PF_OK)
			return rc;
	}
}

/* Row r's query: the next group of the query file, or its qid:. */
/*
 * A row without qid: and no query file: name the attribute that gives one,
 * and the conventional PATH.query when it lies beside the file.
 */
static int
no_qid(ld *l)
{
	char q[4096];
	FILE *f;

	snprintf(q, sizeof(q), "%s.query", l->path);
	if (l->o->query_file == NULL && (f = fopen(q, "r")) != NULL) {
		const char *b = strrchr(q, '/');
		fclose(f);
		return pf_err_set(l->err, PF_EFORMAT, l->path, l->lineno,
		    "expected qid:Q after the grade (or give a query file of "
		    "group sizes: query-file=\"%s\" is beside it)",
		    b != NULL ? b + 1 : q);
	}
	return pf_err_set(l->err, PF_EFORMAT, l->path, l->lineno,
	    "expected qid:Q after the grade (or give a query file of group "
	    "sizes: the query-file attribute)");
}

static int
group_row(ld *l, const char *qid, size_t qid_len, size_t r)
{
	pf_svm *s = l->s;
	char qbuf[32];

	if (l->groups != NULL) {
		if (qid != NULL)
			return pf_err_set(l->err, PF_EFORMAT, l->path, l->lineno,
			    "qid: given although a query file names the "
			    "groups");
		if (l->in_group == 0) {
			if (l->gi >= l->ngroups)
				return pf_err_set(l->err, PF_EFORMAT, l->path,
				    l->lineno, "more rows than the %zu groups "
				    "of '%s' hold", l->ngroups,
				    l->o->query_file);
			snprintf(qbuf, sizeof(qbuf), "%zu", l->gi + 1);
			if (add_query(s, &l->capq, qbuf, strlen(qbuf), r))
				return oom(l);
			l->in_group = l->groups[l->gi++];
		}
		l->in_group--;
		return PF_OK;
	}
	if (qid == NULL)
		return no_qid(l);
	if (s->nq > 0 && strlen(s->qid[s->nq - 1]) == qid_len &&
	    memcmp(s->qid[s->nq - 1], qid, qid_len) == 0)
		return PF_OK;
	if (pf_strtab_find(l->seen_q, qid, qid_len) >= 0)
		return pf_err_set(l->err, PF_EFORMAT, l->path, l->lineno,
		    "rows of query '%.*s' are not contiguous", (int)qid_len,
		    qid);
	if (pf_strtab_intern(l->seen_q, qid, qid_len) < 0 ||
	    add_query(s, &l->capq, qid, qid_len, r) != 0)
		return oom(l);
	return PF_OK;
}

/* Row r's docid: the comment's first token, or synthesised. */
static int
row_docid(ld *l, size_t r, const char *doc, size_t doc_len)
{
	pf_svm *s = l->s;
	size_t q = s->nq - 1, k = r - s->qoff[q];
	char buf[256];

	if (k == 0) {
		pf_strtab_free(l->seen_d);
		if ((l->seen_d = pf_strtab_new()) == NULL)
			return oom(l);
	}
	if (doc == NULL) {
		snprintf(buf, sizeof(buf), "q%s_d%zu", s->qid[q], k + 1);
		doc = buf;
		doc_len = strlen(buf);
	}
	if (pf_strtab_find(l->seen_d, doc, doc_len) >= 0)
		return pf_err_set(l->err, PF_EFORMAT, l->path, l->lineno,
		    "duplicate docid '%.*s' in query '%s'", clip(doc_len, 100),
		    doc, s->qid[q]);
	if (pf_strtab_intern(l->seen_d, doc, doc_len) < 0 ||
	    (s->docid[r] = strndup(doc, doc_len)) == NULL)
		return oom(l);
	return PF_OK;
}

/* One line [p, end) of the file: a row, or nothing (blank, comment). */
static int
parse_line(ld *l, const char *p, const char *end)
{
	pf_svm *s = l->s;
	const char *hash, *qid = NULL, *doc = NULL;
	size_t qid_len = 0, doc_len = 0, r = s->nrows;
	long grade;
	int rc;

	if ((hash = memchr(p, '#', (size_t)(end - p))) != NULL) {
		const char *fs[1];
		size_t fl[1];
		if (pf_split_ws(hash + 1, end - (end[-1] == '\n'), fs, fl,
		    1) > 0) {
			doc = fs[0];
			doc_len = fl[0];
		}
		end = hash;
	}
	while (p < end && (pf_is_ws(*p) || *p == '\n'))
		p++;
	if (p == end)
		return PF_OK;
	const char *t = p;
	while (p < end && !pf_is_ws(*p) && *p != '\n')
		p++;
	if (pf_parse_long(t, (size_t)(p - t), INT32_MIN, INT32_MAX,
	    &grade) != 0)
		return pf_err_set(l->err, PF_EFORMAT, l->path, l->lineno,
		    "grade '%.*s' is not an integer", clip((size_t)(p - t), 40),
		    t);
	if (r >= l->caprows) {	/* grade, docid, line share the capacity */
		size_t c = pf_grow_cap(l->caprows, r + 1, sizeof(char *));
		int32_t *gr;
		char **d;
		long *ln;
		if (c == 0 || (gr = pf_realloc_n(s->grade, c,
		    sizeof(*gr))) == NULL)
			return oom(l);
		s->grade = gr;
		if ((d = pf_realloc_n(s->docid, c, sizeof(*d))) == NULL)
			return oom(l);
		s->docid = d;
		if ((ln = pf_realloc_n(s->line, c, sizeof(*ln))) == NULL)
			return oom(l);
		s->line = ln;
		l->caprows = c;
	}
	s->grade[r] = (int32_t)grade;
	s->docid[r] = NULL;
	s->line[r] = l->lineno;
	if (pf_svm__mat_row(&l->m) != 0)
		return oom(l);
	if ((rc = features(l, r, p, end, &qid, &qid_len)) != PF_OK ||
	    (rc = group_row(l, qid, qid_len, r)) != PF_OK ||
	    (rc = row_docid(l, r, doc, doc_len)) != PF_OK)
		return rc;
	s->nrows++;
	return PF_OK;
}

int
pf_svm_load(pf_svm **out, const char *path, const pf_svm_opts *o,
    pf_err *err)
{
	ld l = {.o = o, .path = path, .err = err};
	pf_reader *f = NULL;
	pf_progress pg = {0};
	char *t;
	size_t tn;
	int rc = PF_OK;

	*out = NULL;
	if (o->query_file != NULL && (rc = load_groups(&l.groups, &l.ngroups,
	    o->query_file, err)) != PF_OK)
		return rc;
	if ((l.s = calloc(1, sizeof(*l.s))) == NULL ||
	    (l.s->path = strdup(path)) == NULL ||
	    (l.seen_q = pf_strtab_new()) == NULL)
		goto nomem;
	l.s->base = l.m.base = o->feature_base == PF_SVM_BASE_ONE ? 1 : 0;
	l.m.auto_base = o->feature_base == PF_SVM_BASE_AUTO;
	l.m.dbl = o->need_double;
	if ((rc = pf_reader_open(&f, path, err)) != PF_OK)
		goto done;
	long long size = pf_reader_plain_size(f);	/* -1: gzip */
	pf_progress_start(&pg, o->progress, path, PF_PROGRESS_BYTES,
	    size > 0 ? (size_t)size : 0);
	while ((rc = pf_reader_line(f, &t, &tn, err)) == 1) {
		pf_progress_step(&pg, tn + 1);	/* the line and its \n */
		if ((rc = pf_text_line(&t, &tn, ++l.lineno, path, err)) !=
		    PF_OK || (rc = parse_line(&l, t, t + tn)) != PF_OK)
			goto done;
	}
	if (rc != PF_OK)
		goto done;
	if (l.groups != NULL && (l.gi != l.ngroups || l.in_group != 0)) {
		rc = pf_err_set(err, PF_EFORMAT, path, l.lineno,
		    "the file ends inside group %zu of %zu of '%s' (rows and "
		    "group sizes disagree)", l.gi, l.ngroups, o->query_file);
		goto done;
	}
	if (l.s->nrows == 0) {
		rc = pf_err_set(err, PF_EFORMAT, path, 0, "no rows");
		goto done;
	}
	if (pf_svm__mat_finish(&l.m, l.s) != 0)
		goto nomem;
	l.s->qoff[l.s->nq] = l.s->nrows;
	*out = l.s;
	l.s = NULL;
	goto done;
nomem:
	rc = pf_err_set(err, PF_ENOMEM, path, l.lineno, "out of memory");
done:
	pf_progress_end(&pg);
	pf_reader_close(f);
	free(l.groups);
	pf_strtab_free(l.seen_q);
	pf_strtab_free(l.seen_d);
	pf_svm__mat_free(&l.m);
	pf_svm_free(l.s);
	return rc;
}
