/*
 * svmlight_merge.c — the chunks of an SVMlight file put together in file
 * order (svmlight_internal.h): the rules that span rows (a query's rows
 * contiguous, its docids unique, the query file's group sizes), the
 * docids, and the merged matrix.
 *
 * The queries are cut in one pass over the rows in order (a compare of
 * each row's qid with the previous one); the docids of each query are
 * checked and copied in parallel over queries. Of all errors, the one at
 * the first line of the file is reported — a chunk's own (grade, value,
 * NUL byte), a query rule, a duplicate docid — whichever thread met it, so
 * the message is that of a one-line-at-a-time read for any thread count.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness/util/grow.h"
#include "harness/util/strtab.h"
#include "harness/load/svmlight_internal.h"

/* The merge: rows so far, queries so far. */
typedef struct mg {
	pf_svm			*s;
	const pf_svm_opts	*o;
	const char		*path;
	long			 lineno;	/* of the row at hand */
	size_t			 capq;
	const size_t		*groups;
	size_t			 ngroups, gi, in_group;
	size_t			 gfirst;	/* groups[0]'s number - 1 */
	pf_strtab		*seen_q;
	pf_err			*err;
} mg;

static int
oom(mg *l)
{
	return pf_err_set(l->err, PF_ENOMEM, l->path, l->lineno,
	    "out of memory");
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

/*
 * A row without qid: and no query file: name the attribute that gives one,
 * and the conventional PATH.query when it lies beside the file.
 */
static int
no_qid(mg *l)
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

/* Row r's query: the next group of the query file, or its qid:. */
static int
group_row(mg *l, const char *qid, size_t qid_len, size_t r)
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
			snprintf(qbuf, sizeof(qbuf), "%zu", l->gfirst +
			    l->gi + 1);
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

/* The width of a quoted token in a message: at most max bytes. */
static int
clip(size_t len, int max)
{
	return len > (size_t)max ? max : (int)len;
}

/* Per row while the docids are checked: the comment's token or NULL, and
   the file line. */
typedef struct rowdoc {
	const char	*doc;
	size_t		 len;
	long		 line;
} rowdoc;

/*
 * The docids of query q: the comment's first token or "q<qid>_d<k>",
 * unique within the query. The first duplicate's row, or SIZE_MAX; -1 in
 * *fail on OOM.
 */
static size_t
query_docids(pf_svm *s, size_t q, const rowdoc *rd, int *fail)
{
	pf_strtab *seen = NULL;
	char buf[256];
	int named = 0;

	for (size_t r = s->qoff[q]; r < s->qoff[q + 1] && !named; r++)
		named = rd[r].doc != NULL;
	if (!named && strlen(s->qid[q]) < 200) {
		/* "q<qid>_d<k>" for k = 1, 2, ...: distinct by construction
		   (when buf holds them whole) */
		for (size_t r = s->qoff[q]; r < s->qoff[q + 1]; r++) {
			snprintf(buf, sizeof(buf), "q%s_d%zu", s->qid[q],
			    r - s->qoff[q] + 1);
			if ((s->docid[r] = strdup(buf)) == NULL) {
				*fail = 1;
				break;
			}
		}
		return SIZE_MAX;
	}
	if ((seen = pf_strtab_new()) == NULL) {
		*fail = 1;
		return SIZE_MAX;
	}
	for (size_t r = s->qoff[q]; r < s->qoff[q + 1]; r++) {
		const char *doc = rd[r].doc;
		size_t len = rd[r].len;
		if (doc == NULL) {
			snprintf(buf, sizeof(buf), "q%s_d%zu", s->qid[q],
			    r - s->qoff[q] + 1);
			doc = buf;
			len = strlen(buf);
		}
		if (pf_strtab_find(seen, doc, len) >= 0) {
			pf_strtab_free(seen);
			return r;
		}
		if (pf_strtab_intern(seen, doc, len) < 0 ||
		    (s->docid[r] = strndup(doc, len)) == NULL) {
			*fail = 1;
			break;
		}
	}
	pf_strtab_free(seen);
	return SIZE_MAX;
}

/* The docids of rows [0, s->qoff[s->nq]); an error at the first
   duplicate's line, unless a line before stop_line has one. */
static int
docids(mg *l, const rowdoc *rd, long stop_line)
{
	pf_svm *s = l->s;
	size_t nq = s->nq, first = SIZE_MAX;
	int fail = 0;

	#pragma omp parallel for schedule(dynamic, 16) reduction(|:fail) \
	    reduction(min:first)
	for (size_t q = 0; q < nq; q++) {
		size_t r = query_docids(s, q, rd, &fail);
		first = r < first ? r : first;
	}
	if (first != SIZE_MAX && (stop_line <= 0 || rd[first].line <
	    stop_line)) {
		size_t q = 0;
		while (s->qoff[q + 1] <= first)
			q++;
		char buf[256];
		const char *doc = rd[first].doc;
		size_t len = rd[first].len;
		if (doc == NULL) {
			snprintf(buf, sizeof(buf), "q%s_d%zu", s->qid[q],
			    first - s->qoff[q] + 1);
			doc = buf;
			len = strlen(buf);
		}
		return pf_err_set(l->err, PF_EFORMAT, l->path, rd[first].line,
		    "duplicate docid '%.*s' in query '%s'", clip(len, 100),
		    doc, s->qid[q]);
	}
	if (fail)
		return pf_err_set(l->err, PF_ENOMEM, l->path, 0,
		    "out of memory");
	return PF_OK;
}

/*
 * The rows of the chunks in order into the queries of s; stops at the
 * first error in file order (a chunk's own, or a query rule), which it
 * leaves in l->err with its line in *stop_line. Fills rd, s->grade and s->line.
 */
static void
cut_queries(mg *l, pf_svm_chunk *ch, size_t n, long line0, rowdoc *rd,
    long *stop_line)
{
	pf_svm *s = l->s;
	long lines = line0;
	size_t r = 0;

	*stop_line = 0;
	for (size_t k = 0; k < n; k++) {
		const pf_svm_chunk *c = &ch[k];
		for (size_t i = 0; i < c->nrows; i++, r++) {
			const pf_svm_row *w = &c->row[i];
			l->lineno = lines + (long)w->line;
			if (group_row(l, w->has_q ? c->arena + w->qo : NULL,
			    w->ql, r) != PF_OK) {
				*stop_line = l->lineno;
				s->nrows = r;
				return;
			}
			s->grade[r] = w->grade;
			s->line[r] = l->lineno;
			rd[r] = (rowdoc){w->has_d ? c->arena + w->dof : NULL,
			    w->dl, l->lineno};
		}
		if (c->err.code != PF_OK) {
			*stop_line = c->err_line > 0 ? lines + c->err_line : 0;
			pf_err_set(l->err, c->err.code, l->path, *stop_line,
			    "%s", c->err.msg);
			s->nrows = r;
			return;
		}
		lines += (long)c->nlines;
	}
	l->lineno = lines;
	s->nrows = r;
}

int
pf_svm__assemble(pf_svm *s, pf_svm_chunk *ch, size_t n, long line0,
    const size_t *groups, size_t ngroups, size_t gfirst, pf_svm_mat *g,
    const pf_svm_opts *o, const char *path, pf_err *err)
{
	mg l = {.s = s, .o = o, .path = path, .groups = groups,
	    .ngroups = ngroups, .gfirst = gfirst, .err = err};
	size_t total = 0;
	rowdoc *rd = NULL;
	long stop = 0;
	int rc;

	for (size_t k = 0; k < n; k++)
		total += ch[k].nrows;
	if ((rd = malloc((total + 1) * sizeof(*rd))) == NULL ||
	    (s->grade = malloc((total + 1) * sizeof(*s->grade))) == NULL ||
	    (s->line = malloc((total + 1) * sizeof(*s->line))) == NULL ||
	    (s->docid = calloc(total + 1, sizeof(*s->docid))) == NULL ||
	    (l.seen_q = pf_strtab_new()) == NULL) {
		rc = oom(&l);
		goto done;
	}
	pf_err_clear(err);
	cut_queries(&l, ch, n, line0, rd, &stop);
	if (s->nq == 0 || s->qoff == NULL) {
		/* no query: nothing for the docids to check */
	} else
		s->qoff[s->nq] = s->nrows;
	rc = s->nq > 0 ? docids(&l, rd, err->code != PF_OK ? stop : 0) :
	    PF_OK;
	if (rc != PF_OK || (rc = err->code) != PF_OK)
		goto done;
	if (groups != NULL && (l.gi != ngroups || l.in_group != 0)) {
		rc = pf_err_set(err, PF_EFORMAT, path, l.lineno,
		    "the file ends inside group %zu of %zu of '%s' (rows and "
		    "group sizes disagree)", l.gi, ngroups, o->query_file);
		goto done;
	}
	if (s->nrows == 0) {
		rc = pf_err_set(err, PF_EFORMAT, path, 0, "no rows");
		goto done;
	}
	if (pf_svm__mat_finish(g, s) != 0)
		rc = oom(&l);
done:
	if (rc != PF_OK)
		s->nrows = total;	/* pf_svm_free frees every docid */
	pf_strtab_free(l.seen_q);
	free(rd);
	return rc;
}
