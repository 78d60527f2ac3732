/*
 * harness/load/svmindex.c — see svmindex.h.
 */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "harness/load/svmindex.h"
#include "harness/load/svmlight_internal.h"
#include "harness/util/grow.h"
#include "harness/util/scan.h"

#define MAX_INDEXED_ID	(1u << 28)	/* a 32 MiB bitmap at most */

void
pf_svm_index_free(pf_svm_index *x)
{
	if (x == NULL)
		return;
	for (size_t k = 0; k < x->nq; k++)
		free(x->qid[k]);
	free(x->qid);
	free(x->off);
	free(x->line);
	free(x->nrows);
	free(x->seen);
	free(x->qfile);
	free(x);
}

static long long
mtime_ns(const struct stat *st)
{
	return (long long)st->st_mtim.tv_sec * 1000000000LL +
	    st->st_mtim.tv_nsec;
}

/* The building index: its arrays' room; with a query file, its groups
   and where the rows are in them. */
typedef struct ib {
	pf_svm_index	*x;
	size_t		 capq, capseen;
	const size_t	*groups;	/* NULL: the rows' qid: */
	size_t		 ngroups, gi, left;
} ib;

/* Room for query nq and for id; -1 when out of memory. */
static int
grow_q(ib *b)
{
	pf_svm_index *x = b->x;
	size_t c = b->capq;

	if (x->nq + 1 < c)
		return 0;
	c = c ? 2 * c : 1024;
	char **q = realloc(x->qid, c * sizeof(*q));
	if (q != NULL)
		x->qid = q;
	unsigned long long *o = realloc(x->off, (c + 1) * sizeof(*o));
	if (o != NULL)
		x->off = o;
	long *l = realloc(x->line, (c + 1) * sizeof(*l));
	if (l != NULL)
		x->line = l;
	size_t *n = realloc(x->nrows, c * sizeof(*n));
	if (n != NULL)
		x->nrows = n;
	if (q == NULL || o == NULL || l == NULL || n == NULL)
		return -1;
	b->capq = c;
	return 0;
}

/* id seen; 1 when past MAX_INDEXED_ID, -1 when out of memory. */
static int
see(ib *b, unsigned long id)
{
	pf_svm_index *x = b->x;

	if (id >= MAX_INDEXED_ID)
		return 1;
	if (id / 8 >= b->capseen) {
		size_t c = b->capseen ? b->capseen : 64;
		while (c <= id / 8)
			c *= 2;
		uint8_t *s = realloc(x->seen, c);
		if (s == NULL)
			return -1;
		memset(s + b->capseen, 0, c - b->capseen);
		x->seen = s;
		b->capseen = c;
	}
	if (!(x->seen[id / 8] & (1u << (id % 8)))) {
		x->seen[id / 8] |= (uint8_t)(1u << (id % 8));
		x->d++;
		x->maxid = id > x->maxid ? (uint32_t)id : x->maxid;
		x->zero |= id == 0;
	}
	return 0;
}

/*
 * One line's row [p, end) (comment cut): its qid into (*q, *ql) and its
 * ids seen. 0: a row; 2: no row (blank); 1: a row the index cannot take
 * (no qid:, or one although a query file gives the groups; an id too
 * large); -1: out of memory.
 */
static int
scan_row(ib *b, const char *p, const char *end, const char **q, size_t *ql)
{
	int first = 1, rc;

	*q = NULL;
	for (;;) {
		while (p < end && pf_is_ws(*p))
			p++;
		if (p >= end)
			break;
		const char *t = p, *colon = NULL;
		while (p < end && !pf_is_ws(*p)) {
			if (*p == ':' && colon == NULL)
				colon = p;
			p++;
		}
		if (first) {	/* the grade */
			first = 0;
			continue;
		}
		if (colon == NULL)
			continue;	/* the read says what is wrong */
		if (colon - t == 3 && memcmp(t, "qid", 3) == 0) {
			*q = colon + 1;
			*ql = (size_t)(p - *q);
			continue;
		}
		unsigned long id = 0;
		const char *d = t;
		for (; d < colon && (unsigned)(*d - '0') < 10 && id <
		    MAX_INDEXED_ID; d++)
			id = id * 10 + (unsigned long)(*d - '0');
		if (d != colon || d == t)
			continue;	/* the read's error, or too large */
		if ((rc = see(b, id)) != 0)
			return rc;
	}
	if (first)
		return 2;
	if (b->groups != NULL)
		return *q != NULL;	/* the whole read's error */
	return *q == NULL || *ql == 0 ? 1 : 0;
}

/* Does the row at hand begin a query? -1 when it is past the groups
   (the whole read's error). */
static int
new_query(ib *b, const char *q, size_t ql)
{
	pf_svm_index *x = b->x;

	if (b->groups == NULL)
		return x->nq == 0 || strlen(x->qid[x->nq - 1]) != ql ||
		    memcmp(q, x->qid[x->nq - 1], ql) != 0;
	if (b->left > 0) {
		b->left--;
		return 0;
	}
	if (b->gi >= b->ngroups)
		return -1;
	b->left = b->groups[b->gi++] - 1;
	return 1;
}

/*
 * The whole lines of text[0..len), the first at byte base of the file
 * (lineno: lines before it): rows counted, queries begun. 1 when the file
 * cannot be indexed, -1 when out of memory.
 */
static int
scan_lines(ib *b, const char *text, size_t len, unsigned long long base,
    long *lineno)
{
	pf_svm_index *x = b->x;
	const char *p = text, *end = text + len;
	int rc;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *le = nl != NULL ? nl : end, *hash, *q;
		size_t ql = 0;
		if ((hash = memchr(p, '#', (size_t)(le - p))) != NULL)
			le = hash;
		if ((rc = scan_row(b, p, le, &q, &ql)) < 0 || rc == 1)
			return rc;
		/* a new query: not the qid of the one before, or the next
		   group (named as a whole read names it: its number) */
		int nw = rc == 0 ? new_query(b, q, ql) : 0;
		if (nw < 0)
			return 1;
		if (nw) {
			char num[24];
			if (b->groups != NULL) {
				ql = (size_t)snprintf(num, sizeof(num), "%zu",
				    b->gi);
				q = num;
			}
			if (grow_q(b) != 0 || (x->qid[x->nq] =
			    strndup(q, ql)) == NULL)
				return -1;
			/* a query starts at its first row's line; blank and
			   comment lines before it belong to the one before */
			x->off[x->nq] = base + (unsigned long long)(p - text);
			x->line[x->nq] = *lineno;
			x->nrows[x->nq] = 0;
			x->nq++;
		}
		if (rc == 0) {
			x->nrows[x->nq - 1]++;
			x->rows++;
		}
		++*lineno;
		p = nl != NULL ? nl + 1 : end;
	}
	return 0;
}

static size_t scan_block = (size_t)16 << 20;

void
pf_svm_index_block_size(size_t n)
{
	scan_block = n > 0 ? n : (size_t)16 << 20;
}

/*
 * Indexes the file read from fd in blocks (read(2), not a mapping: the
 * pages of a file larger than memory are not held), len bytes. 1 when
 * the file cannot be indexed, -1 when out of memory, -2 on a read error.
 */
static int
scan(ib *b, int fd, unsigned long long len)
{
	pf_svm_index *x = b->x;
	size_t cap = scan_block, have = 0;
	char *buf = malloc(cap);
	unsigned long long at = 0, base = 0;	/* read; buf[0]'s offset */
	long lineno = 0;
	int rc = 0;

	if (buf == NULL)
		return -1;
	while (rc == 0 && (at < len || have > 0)) {
		ssize_t r = 0;
		if (at < len) {
			if (have == cap) {	/* a line over a block */
				char *nb = realloc(buf, cap * 2);
				if (nb == NULL) {
					rc = -1;
					break;
				}
				buf = nb;
				cap *= 2;
			}
			r = read(fd, buf + have, cap - have);
			if (r < 0 && errno == EINTR)
				continue;
			if (r <= 0) {
				rc = -2;
				break;
			}
			at += (unsigned long long)r;
		}
		size_t n = have + (size_t)r, skip = 0, upto = n;
		if (at < len) {	/* whole lines only: the rest waits */
			upto = n;
			while (upto > 0 && buf[upto - 1] != '\n')
				upto--;
		}
		if (base == 0 && upto >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) ==
		    0)
			skip = 3;	/* line 1's byte-order mark */
		rc = scan_lines(b, buf + skip, upto - skip, base + skip,
		    &lineno);
		memmove(buf, buf + upto, n - upto);
		have = n - upto;
		base += upto;
		if (at >= len && have == 0)
			break;
	}
	free(buf);
	if (rc != 0)
		return rc;
	if (b->groups != NULL && (b->gi != b->ngroups || b->left != 0))
		return 1;	/* rows and groups disagree: the whole read's */
	if (x->nq > 0) {	/* leading lines go with the first query */
		x->off[0] = 0;
		x->line[0] = 0;
	}
	x->off[x->nq] = len;
	x->line[x->nq] = lineno;
	return 0;
}

static int
cmp_strp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* A qid met twice (not contiguous: the whole read's error). */
static int
has_repeat(const pf_svm_index *x)
{
	char **s = malloc((x->nq + 1) * sizeof(*s));
	int rep = 0;

	if (s == NULL)
		return -1;
	memcpy(s, x->qid, x->nq * sizeof(*s));
	qsort(s, x->nq, sizeof(*s), cmp_strp);
	for (size_t k = 1; k < x->nq && !rep; k++)
		rep = strcmp(s[k - 1], s[k]) == 0;
	free(s);
	return rep;
}

/* The query file's groups into b (its size and time into x): 0; 1 when
   it cannot be read or is bad (the whole read's error), -1 on OOM. */
static int
read_groups(ib *b, size_t **groups, const char *qfile)
{
	struct stat st;
	pf_err e = {0};
	int rc;

	if (stat(qfile, &st) != 0 || !S_ISREG(st.st_mode))
		return 1;
	b->x->qsize = (unsigned long long)st.st_size;
	b->x->qmtime_ns = mtime_ns(&st);
	if ((rc = pf_svm__load_groups(groups, &b->ngroups, qfile, &e)) !=
	    PF_OK)
		return rc == PF_ENOMEM ? -1 : 1;
	if (*groups == NULL || b->ngroups == 0)
		return 1;	/* no group: the whole read's error */
	if ((b->x->qfile = strdup(qfile)) == NULL)
		return -1;
	b->groups = *groups;
	return 0;
}

int
pf_svm_index_build(pf_svm_index **out, const char *path, pf_err *err)
{
	return pf_svm_index_build_groups(out, path, NULL, err);
}

int
pf_svm_index_build_groups(pf_svm_index **out, const char *path,
    const char *qfile, pf_err *err)
{
	struct stat st;
	ib b = {0};
	size_t *groups = NULL;
	unsigned char magic[2];
	int fd, rc = PF_OK, r;

	*out = NULL;
	if ((fd = open(path, O_RDONLY)) < 0)
		return pf_err_set(err, PF_EIO, path, 0, "cannot open: %s",
		    strerror(errno));
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size < 2 ||
	    pread(fd, magic, 2, 0) != 2 || (magic[0] == 0x1f &&
	    magic[1] == 0x8b))
		goto done;	/* a pipe, (nearly) empty, gzip: read whole */
	posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
	if ((b.x = calloc(1, sizeof(*b.x))) == NULL) {
		rc = pf_err_set(err, PF_ENOMEM, path, 0, "out of memory");
		goto done;
	}
	b.x->size = (unsigned long long)st.st_size;
	b.x->mtime_ns = mtime_ns(&st);
	r = qfile != NULL ? read_groups(&b, &groups, qfile) : 0;
	if (r == 0)
		r = scan(&b, fd, b.x->size);
	/* groups name their queries once each; qid: may repeat one */
	if (r == 0 && qfile == NULL && (r = has_repeat(b.x)) < 0)
		r = -1;
	if (r == -1) {
		rc = pf_err_set(err, PF_ENOMEM, path, 0, "out of memory");
		goto done;
	}
	if (r == -2) {
		rc = pf_err_set(err, PF_EIO, path, 0, "read error: %s",
		    strerror(errno));
		goto done;
	}
	if (r == 0 && b.x->nq > 0 && b.x->d > 0) {
		*out = b.x;
		b.x = NULL;
	}
done:
	close(fd);
	free(groups);
	pf_svm_index_free(b.x);
	return rc;
}

int
pf_svm_index_layout(const pf_svm_index *x, int feature_base, int *base,
    size_t *nf, uint32_t **ids)
{
	*ids = NULL;
	*base = feature_base == PF_SVM_BASE_ZERO ? 0 :
	    feature_base == PF_SVM_BASE_ONE ? 1 : !x->zero;
	if (*base == 1 && x->zero)
		return -1;
	size_t w = (size_t)x->maxid - (size_t)*base + 1;
	if (pf_svm__dense_ok(w, x->d)) {
		*nf = w;
		return 0;
	}
	if ((*ids = malloc(x->d * sizeof(**ids))) == NULL)
		return -1;
	*nf = 0;
	for (uint32_t id = 0; id <= x->maxid; id++)
		if (x->seen[id / 8] & (1u << (id % 8)))
			(*ids)[(*nf)++] = id;
	return 0;
}

/* The column of file id in the map (base, nf, ids); -1 when none. */
static long
col_of(int base, size_t nf, const uint32_t *ids, uint32_t id)
{
	if (ids == NULL)
		return id >= (uint32_t)base && id - (uint32_t)base < nf ?
		    (long)(id - (uint32_t)base) : -1;
	size_t lo = 0, hi = nf;
	while (lo < hi) {
		size_t m = lo + (hi - lo) / 2;
		if (ids[m] < id)
			lo = m + 1;
		else
			hi = m;
	}
	return lo < nf && ids[lo] == id ? (long)lo : -1;
}

/* s's rows moved to the map (base, nf, ids: taken). -1 on OOM or an id
   the index did not see (the file changed). */
static int
relayout(pf_svm *s, int base, size_t nf, uint32_t *ids)
{
	size_t n, nr = s->nrows;
	float *x32 = NULL;
	double *x64 = NULL;
	long *col = malloc((s->nf + 1) * sizeof(*col));

	if (col == NULL || pf_mul_size(nr, nf, &n) != PF_OK ||
	    (x32 = malloc((n ? n : 1) * sizeof(*x32))) == NULL ||
	    (s->x64 != NULL && (x64 = malloc((n ? n : 1) *
	    sizeof(*x64))) == NULL))
		goto fail;
	for (size_t j = 0; j < s->nf; j++)
		if ((col[j] = col_of(base, nf, ids, s->id ? s->id[j] :
		    (uint32_t)((long)j + s->base))) < 0)
			goto fail;
	for (size_t i = 0; i < n; i++)
		x32[i] = NAN;
	for (size_t i = 0; x64 != NULL && i < n; i++)
		x64[i] = 0.0;
	for (size_t r = 0; r < nr; r++)
		for (size_t j = 0; j < s->nf; j++) {
			x32[r * nf + (size_t)col[j]] = s->x32[r * s->nf + j];
			if (x64 != NULL)
				x64[r * nf + (size_t)col[j]] =
				    s->x64[r * s->nf + j];
		}
	free(col);
	free(s->x32);
	free(s->x64);
	free(s->id);
	s->x32 = x32;
	s->x64 = x64;
	s->id = ids;
	s->nf = nf;
	s->base = base;
	return 0;
fail:
	free(col);
	free(x32);
	free(x64);
	free(ids);
	return -1;
}

/* A file of no rows. */
static int
empty(pf_svm **out, const char *path, int dbl, pf_err *err)
{
	pf_svm *s = calloc(1, sizeof(*s));

	if (s == NULL || (s->path = strdup(path)) == NULL ||
	    (s->qoff = calloc(1, sizeof(*s->qoff))) == NULL ||
	    (s->x32 = malloc(sizeof(*s->x32))) == NULL ||
	    (dbl && (s->x64 = malloc(sizeof(*s->x64))) == NULL)) {
		pf_svm_free(s);
		return pf_err_set(err, PF_ENOMEM, path, 0, "out of memory");
	}
	*out = s;
	return PF_OK;
}

int
pf_svm_load_share(pf_svm **out, const char *path, const pf_svm_index *x,
    size_t k0, size_t k1, const pf_svm_opts *o, pf_err *err)
{
	struct stat st;
	pf_svm *s = NULL;
	uint32_t *ids;
	size_t nf;
	int base, rc;

	*out = NULL;
	if (stat(path, &st) != 0)
		return pf_err_set(err, PF_EIO, path, 0, "cannot open");
	if ((unsigned long long)st.st_size != x->size ||
	    mtime_ns(&st) != x->mtime_ns)
		return pf_err_set(err, PF_EDATA, path, 0, "the file changed "
		    "while the run read it (%llu bytes when indexed, %llu "
		    "now): rerun when it is written", x->size,
		    (unsigned long long)st.st_size);
	if (x->qfile != NULL && stat(x->qfile, &st) != 0)
		st.st_size = 0;
	if (x->qfile != NULL && ((unsigned long long)st.st_size != x->qsize ||
	    mtime_ns(&st) != x->qmtime_ns))
		return pf_err_set(err, PF_EDATA, x->qfile, 0, "the query file "
		    "of %s changed while the run read it (%llu bytes when "
		    "indexed, %llu now): rerun when it is written", path,
		    x->qsize, (unsigned long long)st.st_size);
	if (pf_svm_index_layout(x, o->feature_base, &base, &nf, &ids) != 0)
		return pf_err_set(err, PF_ENOMEM, path, 0, "out of memory");
	unsigned long long off = x->off[k0], len = x->off[k1] - off;
	if (k0 == k1)	/* no query: no row, nothing read */
		rc = empty(&s, path, o->need_double, err);
	else if (x->qfile != NULL)	/* the groups of [k0, k1) */
		rc = pf_svm__load_range_groups(&s, path, off, len,
		    x->line[k0], x->nrows + k0, k1 - k0, k0, o, err);
	else
		rc = pf_svm_load_range(&s, path, off, len, x->line[k0], o,
		    err);
	if (rc != PF_OK) {
		free(ids);
		return rc;
	}
	if (relayout(s, base, nf, ids) != 0) {
		pf_svm_free(s);
		return pf_err_set(err, PF_EDATA, path, 0, "the file changed "
		    "while the run read it (a feature id that was not there "
		    "when indexed, or out of memory)");
	}
	*out = s;
	return PF_OK;
}
