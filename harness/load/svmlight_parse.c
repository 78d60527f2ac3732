/*
 * svmlight_parse.c — the lines of one chunk of an SVMlight / LETOR file
 * (svmlight_internal.h): grade, qid:, id:value pairs and the comment's
 * docid of each row, checked as far as one line allows. Values are parsed
 * as correctly rounded doubles; the float32 copy is (float)value, which is
 * how XGBoost converts its input, so a value float32 cannot hold is
 * refused here, at its line, rather than becoming an infinite score later.
 *
 * Each chunk runs on its own thread; errors carry the chunk's own line
 * numbers, turned into the file's by the merge (svmlight.c).
 */
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "harness/util/fileio.h"
#include "harness/util/grow.h"
#include "harness/util/scan.h"
#include "harness/load/svmlight_internal.h"

/* One chunk being parsed. */
typedef struct cp {
	pf_svm_chunk		*c;
	const pf_svm_opts	*o;
	const char		*path;
	const char		*lim;		/* the chunk's text ends here */
	long			 lineno;	/* within the chunk */
	int			 base;		/* smallest id accepted */
} cp;

void
pf_svm__chunk_free(pf_svm_chunk *c)
{
	free(c->row);
	free(c->arena);
	pf_svm__mat_free(&c->m);
	c->row = NULL;
	c->arena = NULL;
	c->nrows = c->caprows = c->narena = c->caparena = 0;
}

static int
oom(cp *l)
{
	return pf_err_set(&l->c->err, PF_ENOMEM, l->path, l->lineno,
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
check_value(cp *l, long id, const char *t, size_t len, double v)
{
	if (isnan(v))
		return PF_OK;
	if (isinf(v))
		return pf_err_set(&l->c->err, PF_EFORMAT, l->path, l->lineno,
		    "feature %ld: value '%.*s' is infinite (expected a finite "
		    "number; 'nan' or leaving the feature out marks it missing)",
		    id, clip(len, 40), t);
	if (isinf((float)v))
		return pf_err_set(&l->c->err, PF_EFORMAT, l->path, l->lineno,
		    "feature %ld: value '%.*s' overflows float32 (largest "
		    "%g), the precision features are kept and scored in", id,
		    clip(len, 40), t, (double)FLT_MAX);
	return PF_OK;
}

/* One id:value token [t, e) of row r (colon at c). */
static int
feature(cp *l, size_t r, const char *t, const char *c, const char *e,
    long *last)
{
	long id;
	double v;
	int rc;

	if (pf_parse_long(t, (size_t)(c - t), l->base, INT32_MAX, &id) != 0)
		return pf_err_set(&l->c->err, PF_EFORMAT, l->path, l->lineno,
		    "feature id '%.*s' is not an integer >= %d%s",
		    clip((size_t)(c - t), 20), t, l->base,
		    l->o->feature_base == PF_SVM_BASE_ONE ? " (feature ids "
		    "start at 1 here; a zero-based file: feature-base=\"0\")" :
		    "");
	if (id <= *last)
		return pf_err_set(&l->c->err, PF_EFORMAT, l->path, l->lineno,
		    "feature ids must increase along a line (%ld after %ld)",
		    id, *last);
	*last = id;
	if (pf_parse_double(c + 1, (size_t)(e - c - 1), &v) != 0)
		return pf_err_set(&l->c->err, PF_EFORMAT, l->path, l->lineno,
		    "feature %ld: value '%.*s' is not a number", id,
		    clip((size_t)(e - c - 1), 40), c + 1);
	if (!isfinite(v) || isinf((float)v)) {
		if ((rc = check_value(l, id, c + 1, (size_t)(e - c - 1), v)) !=
		    PF_OK)
			return rc;
	}
	return pf_svm__mat_set_fast(&l->c->m, r, id, v) != 0 ? oom(l) : PF_OK;
}

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define SWAR_DIGITS 1
static const uint64_t pow10_u64[8] = {
	1, 10, 100, 1000, 10000, 100000, 1000000, 10000000,
};

/*
 * The leading decimal digits of the 8 bytes at p, 8 at a time (SWAR, no
 * branch per digit): their count (0..8) returned, their value in *val.
 * Reads p[0..8): the caller keeps that within the chunk. A byte's
 * subtraction borrows only from a lower byte that is not a digit, and the
 * + 0x76 test carries only out of one: the bytes up to the first non-digit
 * are exact.
 */
static inline unsigned
digits8(const char *p, uint64_t *val)
{
	uint64_t x, t, nondig;
	unsigned n;

	memcpy(&x, p, sizeof(x));
	t = x - UINT64_C(0x3030303030303030);
	nondig = ((t + UINT64_C(0x7676767676767676)) | t) &
	    UINT64_C(0x8080808080808080);
	n = nondig != 0 ? (unsigned)__builtin_ctzll(nondig) / 8 : 8;
	if (n == 0) {
		*val = 0;
		return 0;
	}
	t <<= 8 * (8 - n);	/* the digits at the top, zeros below */
	t = t * 10 + (t >> 8);
	t = (((t & UINT64_C(0x000000FF000000FF)) *
	    (100 + (UINT64_C(1000000) << 32))) +
	    (((t >> 16) & UINT64_C(0x000000FF000000FF)) *
	    (1 + (UINT64_C(10000) << 32)))) >> 32;
	*val = (uint32_t)t;
	return n;
}

/*
 * The row being read by swar_feature: its float32 values, the chunk's
 * seen bytes and width (w 0: none of this, the row takes the general
 * path: doubles kept, or the matrix remapped), and the distinct ids it
 * added (dd, flushed into m->d before any other path touches the matrix).
 * Kept in registers, not reloaded from the matrix at every value.
 */
typedef struct rowc {
	float		*x;
	unsigned char	*seen;
	size_t		 w, dd;
	long		 base;
} rowc;

static void
row_open(cp *l, size_t r, rowc *rc)
{
	pf_svm_mat *m = &l->c->m;
	int ok = m->colid == NULL && !m->dbl;

	*rc = (rowc){.x = ok ? m->x32 + r * m->cap_w : NULL, .seen = m->seen,
	    .w = ok ? m->w : 0, .base = m->base};
}

static void
row_flush(cp *l, rowc *rc)
{
	l->c->m.d += rc->dd;
	rc->dd = 0;
}

/*
 * fast_feature's common case, at least 32 bytes before the chunk's end:
 * an id of 1..7 digits whose dense column is in use (and not id 0), ':',
 * a sign, up to 7 digits, '.', up to 7 digits. The mantissa (< 10^14 <
 * 2^53) and the count of fraction digits are the ones the byte loop of
 * fast_feature reads, so the value is the same division, and a float32
 * cannot overflow; it is set as pf_svm__mat_set_fast sets it. 1: read (*pp
 * past it), 0: not this shape (nothing done).
 */
static inline int
swar_feature(rowc *rc, const char **pp, const char *end, long *last)
{
	const char *p = *pp;
	uint64_t id, ip, fp = 0;
	unsigned n, n1, n2 = 0;
	int neg = 0;

	n = digits8(p, &id);
	if (n == 0 || n == 8 || p + n >= end || p[n] != ':' ||
	    (long)id <= *last || (long)id < rc->base || id == 0 ||
	    (uint64_t)((long)id - rc->base) >= rc->w)
		return 0;
	p += n + 1;
	if (*p == '-' || *p == '+')
		neg = *p++ == '-';
	if ((n1 = digits8(p, &ip)) == 8)
		return 0;
	p += n1;
	if (*p == '.') {
		if ((n2 = digits8(++p, &fp)) == 8)
			return 0;
		p += n2;
	}
	if (n1 + n2 == 0 || p > end || (p < end && !pf_is_ws(*p)))
		return 0;
	double v = (double)(ip * pow10_u64[n2] + fp);
	v = n2 > 0 ? v / pf_pow10_exact[n2] : v;
	size_t c = (size_t)((long)id - rc->base);
	*last = (long)id;
	*pp = p;
	rc->dd += !rc->seen[c];
	rc->seen[c] = 1;
	rc->x[c] = (float)(neg ? -v : v);
	return 1;
}
#endif

/*
 * The common token, digits ':' a plain decimal, read in one pass: the id
 * as pf_parse_long and the value as pf_parse_double's exact fast path
 * would read them. 1 when *p was such a token (set, *p past it), 0 when
 * not (nothing read: the general path reads it, errors included), -1 on
 * OOM.
 */
static int
fast_feature(cp *l, size_t r, const char **pp, const char *end, long *last)
{
	const char *p = *pp;
	long id = 0;
	int nd = 0;

	while (p < end && (unsigned)(*p - '0') < 10 && nd < 10) {
		id = id * 10 + (*p++ - '0');
		nd++;
	}
	if (nd == 0 || p >= end || *p != ':' || id < l->base ||
	    id > INT32_MAX || id <= *last)
		return 0;
	p++;
	uint64_t m = 0;
	int neg = 0, sig = 0, frac = 0, any = 0;
	if (p < end && (*p == '-' || *p == '+'))
		neg = *p++ == '-';
	for (; p < end && (unsigned)(*p - '0') < 10; p++, any = 1) {
		m = m * 10 + (uint64_t)(*p - '0');
		sig += m != 0;
	}
	if (p < end && *p == '.')
		for (p++; p < end && (unsigned)(*p - '0') < 10; p++, any = 1) {
			m = m * 10 + (uint64_t)(*p - '0');
			sig += m != 0;
			frac++;
		}
	if (!any || sig > 19 || frac > 22 || m > ((uint64_t)1 << 53) ||
	    (p < end && !pf_is_ws(*p)))
		return 0;
	double v = (double)m;
	v = frac > 0 ? v / pf_pow10_exact[frac] : v;
	v = neg ? -v : v;
	if (isinf((float)v))
		return 0;
	*last = id;
	*pp = p;
	return pf_svm__mat_set_fast(&l->c->m, r, id, v) != 0 ? -1 : 1;
}

/* The id:value pairs and qid: of row r, [p, end) after the grade. */
static int
features(cp *l, size_t r, const char *p, const char *end, const char **qid,
    size_t *qid_len)
{
	long last = -1;
	int rc;
#ifdef SWAR_DIGITS
	rowc row;
	int stale = 1;	/* row to be opened (again) */
#endif

	for (;;) {
		while (p < end && pf_is_ws(*p))
			p++;
		if (p >= end)
			break;
#ifdef SWAR_DIGITS
		if (l->lim - p >= 32) {
			if (stale)
				row_open(l, r, &row);
			stale = 0;
			if (row.w > 0 && swar_feature(&row, &p, end, &last))
				continue;
		}
		if (!stale)	/* the matrix may change below */
			row_flush(l, &row);
		stale = 1;
#endif
		if ((rc = fast_feature(l, r, &p, end, &last)) > 0)
			continue;
		if (rc < 0)
			return oom(l);
		const char *t = p, *colon = NULL;
		/* The token's end and its first colon in one pass. */
		while (p < end && !pf_is_ws(*p)) {
			if (*p == ':' && colon == NULL)
				colon = p;
			p++;
		}
		if (colon == NULL)
			return pf_err_set(&l->c->err, PF_EFORMAT, l->path,
			    l->lineno, "expected id:value, got '%.*s'",
			    clip((size_t)(p - t), 40), t);
		if (colon - t == 3 && memcmp(t, "qid", 3) == 0) {
			*qid = colon + 1;
			*qid_len = (size_t)(p - *qid);
			if (*qid_len == 0)
				return pf_err_set(&l->c->err, PF_EFORMAT,
				    l->path, l->lineno, "empty qid");
			continue;
		}
		if ((rc = feature(l, r, t, colon, p, &last)) != PF_OK)
			return rc;
	}
#ifdef SWAR_DIGITS
	if (!stale)
		row_flush(l, &row);
#endif
	return PF_OK;
}

/* Copies s[0..n) into the chunk's arena; its offset in *off. */
static int
keep(cp *l, const char *s, size_t n, size_t *off)
{
	pf_svm_chunk *c = l->c;

	if (c->narena + n > c->caparena) {
		char *a = pf_grow(c->arena, &c->caparena, c->narena + n, 1);
		if (a == NULL)
			return -1;
		c->arena = a;
	}
	memcpy(c->arena + c->narena, s, n);
	*off = c->narena;
	c->narena += n;
	return 0;
}

/* One line [p, end) without its '\n': a row, or nothing (blank, comment). */
static int
parse_line(cp *l, const char *p, const char *end)
{
	pf_svm_chunk *c = l->c;
	const char *hash, *qid = NULL, *doc = NULL;
	size_t qid_len = 0, doc_len = 0, r = c->nrows;
	long grade;
	int rc;

	if ((hash = memchr(p, '#', (size_t)(end - p))) != NULL) {
		const char *fs[1];
		size_t fl[1];
		if (pf_split_ws(hash + 1, end, fs, fl, 1) > 0) {
			doc = fs[0];
			doc_len = fl[0];
		}
		end = hash;
	}
	while (p < end && pf_is_ws(*p))
		p++;
	if (p == end)
		return PF_OK;
	const char *t = p;
	while (p < end && !pf_is_ws(*p))
		p++;
	if (pf_parse_long(t, (size_t)(p - t), INT32_MIN, INT32_MAX,
	    &grade) != 0)
		return pf_err_set(&c->err, PF_EFORMAT, l->path, l->lineno,
		    "grade '%.*s' is not an integer", clip((size_t)(p - t), 40),
		    t);
	if (r >= c->caprows) {
		pf_svm_row *nr = pf_grow(c->row, &c->caprows, r + 1,
		    sizeof(*nr));
		if (nr == NULL)
			return oom(l);
		c->row = nr;
	}
	if (pf_svm__mat_row(&c->m) != 0)
		return oom(l);
	if ((rc = features(l, r, p, end, &qid, &qid_len)) != PF_OK)
		return rc;
	if (qid_len > UINT32_MAX || doc_len > UINT32_MAX)
		return pf_err_set(&c->err, PF_EFORMAT, l->path, l->lineno,
		    "qid or docid longer than 4 GiB");
	pf_svm_row *w = &c->row[r];
	*w = (pf_svm_row){.line = (size_t)l->lineno, .grade = (int32_t)grade,
	    .ql = (uint32_t)qid_len, .dl = (uint32_t)doc_len,
	    .has_q = qid != NULL, .has_d = doc != NULL};
	if ((qid != NULL && keep(l, qid, qid_len, &w->qo) != 0) ||
	    (doc != NULL && keep(l, doc, doc_len, &w->dof) != 0))
		return oom(l);
	c->nrows++;
	return PF_OK;
}

void
pf_svm__parse_chunk(pf_svm_chunk *c, const char *text, size_t len,
    int file_start, const char *path, const pf_svm_opts *o)
{
	cp l = {.c = c, .o = o, .path = path, .lim = text + len,
	    .base = c->m.base};
	const char *p = text, *end = text + len;
	/* NUL bytes are rare: find the first once, not per line. */
	const char *nul = memchr(text, '\0', len);

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *le = nl != NULL ? nl : end;

		l.lineno++;
		if (file_start && l.lineno == 1) {
			char *t = (char *)(uintptr_t)p;
			size_t tn = (size_t)(le - p);
			/* the byte-order mark of line 1, with its warning */
			if (pf_text_line(&t, &tn, 1, path, &c->err) != PF_OK)
				break;
			p = t;
		}
		if (nul != NULL && nul < le) {
			if (nul >= p) {
				pf_err_set(&c->err, PF_EFORMAT, path,
				    l.lineno, "NUL byte in the line "
				    "(expected text)");
				break;
			}
			nul = memchr(le, '\0', (size_t)(end - le));
		}
		if (parse_line(&l, p, le) != PF_OK)
			break;
		p = nl != NULL ? nl + 1 : end;
	}
	if (c->err.code != PF_OK)
		c->err_line = l.lineno;
	c->nlines = (size_t)l.lineno;
}
