/*
 * lgb_text.c — LightGBM text models (save_model("m.txt"), version v2-v4;
 * shared/MODELS.md 2.4): src/boosting/gbdt_model_text.cpp; one tree block
 * is lgb_tree.c's.
 *
 * The file is `key=value` lines: a header opened by a line "tree"
 * (max_feature_idx, num_class, num_tree_per_iteration, objective,
 * feature_names, feature_infos, tree_sizes, ...), then one block per tree
 * opened by "Tree=<i>" and closed by the next block or "end of trees";
 * what follows (importances, parameters) is not read. A file without "end
 * of trees" is refused as truncated.
 *
 * Refused, with path:line of the offending line: several classes
 * (num_class or num_tree_per_iteration > 1), a file without any tree
 * (every row would score 0), a key given twice in the header or in one
 * block (what a misspelt Tree= line leaves: two trees' lines in one
 * block), more than PF_GBDT_MAXFEAT features (PF_EFORMAT); tree_sizes,
 * feature_names or feature_infos that do not list one entry per tree or
 * feature (PF_EDATA); and what lgb_tree.c refuses in a tree.
 */
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness/model/internal.h"
#include "harness/util/grow.h"
#include "harness/util/scan.h"

enum { H_MAX_FEATURE_IDX, H_NUM_CLASS, H_NUM_TREE_PER_ITER, H_OBJECTIVE,
	H_FEATURE_NAMES, H_FEATURE_INFOS, H_TREE_SIZES, NHKEYS };

static const char *const head_keys[NHKEYS] = {
	"max_feature_idx", "num_class", "num_tree_per_iteration", "objective",
	"feature_names", "feature_infos", "tree_sizes"
};

int
pf_lgb__bad(pf_lgb_ctx *c, int code, long line, const char *fmt, ...)
{
	char msg[400];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return pf_err_set(c->err, code, c->path, line, "%s", msg);
}

int
pf_lgb__nomem(pf_lgb_ctx *c, long line, size_t n, size_t sz,
    const char *what)
{
	return pf_err_set(c->err, PF_ENOMEM, c->path, line, "out of memory: "
	    "cannot allocate %zu %s of %zu bytes each", n, what, sz);
}

int
pf_lgb__grow(pf_lgb_ctx *c, void **p, size_t *cap, size_t need,
    size_t sz, long line, const char *what)
{
	void *np;

	if ((np = pf_grow(*p, cap, need, sz)) == NULL)
		return pf_lgb__nomem(c, line, need, sz, what);
	*p = np;
	return PF_OK;
}

/* c->tmp and c->dtmp share one capacity. */
int
pf_lgb__tmp(pf_lgb_ctx *c, size_t n)
{
	size_t cap;
	long *t;
	double *d;

	if (n <= c->cap_tmp && c->tmp != NULL)
		return PF_OK;
	if ((cap = pf_grow_cap(c->cap_tmp, n, sizeof(*c->dtmp))) == 0 ||
	    (t = pf_realloc_n(c->tmp, cap, sizeof(*t))) == NULL)
		return pf_lgb__nomem(c, 0, n, sizeof(*t), "array values");
	c->tmp = t;
	if ((d = pf_realloc_n(c->dtmp, cap, sizeof(*d))) == NULL)
		return pf_lgb__nomem(c, 0, n, sizeof(*d), "array values");
	c->dtmp = d;
	c->cap_tmp = cap;
	return PF_OK;
}

size_t
pf_lgb__count(const pf_lgb_field *f)
{
	const char *p = f->v, *end = f->v + f->n;
	size_t k = 0;

	while (p < end) {
		while (p < end && pf_is_ws(*p))
			p++;
		if (p >= end)
			break;
		k++;
		while (p < end && !pf_is_ws(*p))
			p++;
	}
	return k;
}

int
pf_lgb__array(pf_lgb_ctx *c, const pf_lgb_field *f, const char *key,
    size_t want, int dbl, long min, long max)
{
	const char *p = f->v, *end = f->v + f->n;
	size_t k = 0, got;
	int rc;

	if (f->line == 0)
		return pf_lgb__bad(c, PF_EFORMAT, 0, "expected a line %s=... "
		    "in the tree", key);
	/* Counted first: a count the line does not back is never allocated. */
	if ((got = pf_lgb__count(f)) != want)
		return pf_lgb__bad(c, PF_EFORMAT, f->line, "%s: expected %zu "
		    "values, found %zu", key, want, got);
	if ((rc = pf_lgb__tmp(c, want ? want : 1)) != PF_OK)
		return rc;
	for (;;) {
		while (p < end && pf_is_ws(*p))
			p++;
		if (p >= end)
			break;
		const char *s = p;
		while (p < end && !pf_is_ws(*p))
			p++;
		if (dbl ? pf_parse_double(s, (size_t)(p - s), &c->dtmp[k]) :
		    pf_parse_long(s, (size_t)(p - s), min, max, &c->tmp[k]))
			return pf_lgb__bad(c, PF_EFORMAT, f->line, "%s: value "
			    "%zu (\"%.*s\") is not %s", key, k + 1, (int)(p - s >
			    40 ? 40 : p - s), s, dbl ? "a number" :
			    "an integer in range");
		k++;
	}
	return PF_OK;
}

int
pf_lgb__scalar(pf_lgb_ctx *c, const pf_lgb_field *f, const char *key,
    long min, long max, long *out)
{
	if (f->line == 0)
		return pf_lgb__bad(c, PF_EFORMAT, 0, "expected a line %s=...",
		    key);
	if (pf_parse_long(f->v, f->n, min, max, out) != 0)
		return pf_lgb__bad(c, PF_EFORMAT, f->line, "%s: expected an "
		    "integer in [%ld, %ld], found \"%.*s\"", key, min, max,
		    (int)(f->n > 40 ? 40 : f->n), f->v);
	return PF_OK;
}

/* Is [s, e) "key=..."? Then *v is the value. */
static int
is_key(const char *s, const char *e, const char *key, const char **v)
{
	size_t k = strlen(key);

	if ((size_t)(e - s) > k && memcmp(s, key, k) == 0 && s[k] == '=') {
		*v = s + k + 1;
		return 1;
	}
	return 0;
}

/*
 * feature_names=: the model's names, unless they are LightGBM's defaults
 * (Column_<j> for feature j: a model trained without names).
 */
static int
names(pf_lgb_ctx *c, const pf_lgb_field *f)
{
	size_t n = f->line ? pf_lgb__count(f) : 0, k = 0, dflt = 0;
	const char **s, *p = f->v, *end;
	size_t *len;
	int rc = PF_OK;

	if (n == 0)
		return PF_OK;	/* no feature_names= line (f->v NULL): no names */
	s = calloc(n + 1, sizeof(*s));
	len = calloc(n + 1, sizeof(*len));
	end = f->v + f->n;

	if (s == NULL || len == NULL)
		rc = PF_ENOMEM;
	while (rc == PF_OK && k < n) {
		while (p < end && pf_is_ws(*p))
			p++;
		s[k] = p;
		while (p < end && !pf_is_ws(*p))
			p++;
		len[k] = (size_t)(p - s[k]);
		char d[32];
		int dl = snprintf(d, sizeof(d), "Column_%zu", k);
		dflt += len[k] == (size_t)dl && memcmp(s[k], d, len[k]) == 0;
		k++;
	}
	if (rc == PF_OK && dflt < n)
		rc = pf_gbdt__set_names(c->m, s, len, n);
	free(s);
	free(len);
	return rc == PF_OK ? PF_OK : pf_lgb__nomem(c, f->line, n, sizeof(*s),
	    "feature names");
}

/* The header's counts and what they promise (at the first Tree= line). */
static int
header(pf_lgb_ctx *c, const pf_lgb_field *h)
{
	static const int lists[2] = {H_FEATURE_NAMES, H_FEATURE_INFOS};
	pf_gbdt *m = c->m;
	long v, mfi;
	int rc;

	if ((rc = pf_lgb__scalar(c, &h[H_MAX_FEATURE_IDX],
	    "max_feature_idx", -1, INT32_MAX - 1, &mfi)) != PF_OK)
		return rc;
	m->nfeat = (size_t)(mfi + 1);
	if (m->nfeat > PF_GBDT_MAXFEAT)
		return pf_lgb__bad(c, PF_EFORMAT, h[H_MAX_FEATURE_IDX].line,
		    "max_feature_idx=%ld asks for %zu features per row (%zu "
		    "bytes): at most %zu are supported", mfi, m->nfeat,
		    m->nfeat * sizeof(double), PF_GBDT_MAXFEAT);
	for (int k = 0; k < 2; k++) {
		const pf_lgb_field *l = &h[lists[k]];
		size_t got;
		if (l->line != 0 && (got = pf_lgb__count(l)) != m->nfeat)
			return pf_lgb__bad(c, PF_EDATA, l->line, "%s: %zu "
			    "entries, but max_feature_idx=%ld makes %zu features",
			    head_keys[lists[k]], got, mfi, m->nfeat);
	}
	if ((rc = names(c, &h[H_FEATURE_NAMES])) != PF_OK)
		return rc;
	if (h[H_NUM_CLASS].line != 0) {
		if ((rc = pf_lgb__scalar(c, &h[H_NUM_CLASS], "num_class", 1,
		    INT32_MAX, &v)) != PF_OK)
			return rc;
		if (v > 1)
			return pf_lgb__bad(c, PF_EFORMAT, h[H_NUM_CLASS].line,
			    "num_class=%ld: multi-class models are not supported: "
			    "one score per row", v);
	}
	if (h[H_NUM_TREE_PER_ITER].line != 0) {
		if ((rc = pf_lgb__scalar(c, &h[H_NUM_TREE_PER_ITER],
		    "num_tree_per_iteration", 1, INT32_MAX, &v)) != PF_OK)
			return rc;
		if (v > 1)
			return pf_lgb__bad(c, PF_EFORMAT,
			    h[H_NUM_TREE_PER_ITER].line, "num_tree_per_iteration="
			    "%ld: several trees per iteration are not supported: "
			    "one score per row", v);
	}
	if ((m->objective = strndup(h[H_OBJECTIVE].v, h[H_OBJECTIVE].n)) ==
	    NULL)
		return pf_lgb__nomem(c, 0, h[H_OBJECTIVE].n + 1, 1,
		    "bytes of objective");
	return PF_OK;
}

/* What must hold once every tree is read ("end of trees" at line eline). */
static int
trees_done(pf_lgb_ctx *c, const pf_lgb_field *h, long eline)
{
	const pf_lgb_field *ts = &h[H_TREE_SIZES];
	size_t nt = c->m->ntrees, got;

	if (nt == 0)
		return pf_lgb__bad(c, PF_EFORMAT, eline, "no trees: expected "
		    "a block opened by a line Tree=0 before \"end of trees\" (a "
		    "model without trees would score every row 0)");
	if (ts->line != 0 && (got = pf_lgb__count(ts)) != nt)
		return pf_lgb__bad(c, PF_EDATA, ts->line, "tree_sizes: %zu "
		    "entries, but the file has %zu trees (Tree= blocks)", got,
		    nt);
	return PF_OK;
}

/*
 * A line key=value of the header (intree 0) or of the current tree block:
 * kept in tab when it is one of the keys read, refused when it is there
 * already.
 */
static int
keep(pf_lgb_ctx *c, pf_lgb_field *tab, int intree, const char *s,
    const char *eq, const char *e, long line)
{
	const char *const *keys = intree ? pf_lgb__keys : head_keys;
	int nk = intree ? PF_LK_N : NHKEYS;
	size_t kn = (size_t)(eq - s);

	for (int k = 0; k < nk; k++) {
		if (kn != strlen(keys[k]) || memcmp(s, keys[k], kn) != 0)
			continue;
		if (tab[k].line != 0 && intree)
			return pf_lgb__bad(c, PF_EFORMAT, line, "%s= again "
			    "in the block of Tree=%zu (first at line %ld): is a "
			    "line Tree=%zu missing or misspelt?", keys[k],
			    c->m->ntrees, tab[k].line, c->m->ntrees + 1);
		if (tab[k].line != 0)
			return pf_lgb__bad(c, PF_EFORMAT, line, "%s= again "
			    "in the header (first at line %ld)", keys[k],
			    tab[k].line);
		tab[k].v = eq + 1;
		tab[k].n = (size_t)(e - eq - 1);
		tab[k].line = line;
	}
	return PF_OK;
}

int
pf_gbdt__load_lgb(pf_gbdt *m, const char *buf, size_t len, const char *path,
    pf_err *err)
{
	pf_lgb_ctx c = {.path = path, .err = err, .m = m};
	pf_lgb_field h[NHKEYS], f[PF_LK_N];
	const char *p = buf, *end = buf + len, *v = NULL;
	long line = 0, tline = 0;
	int intree = 0, done = 0, rc = PF_OK;

	memset(h, 0, sizeof(h));
	memset(f, 0, sizeof(f));
	m->kind = PF_GBDT_LIGHTGBM;
	snprintf(m->booster, sizeof(m->booster), "gbdt");
	h[H_OBJECTIVE].v = "";
	while (p < end && !done && rc == PF_OK) {
		const char *s = p, *e = memchr(p, '\n', (size_t)(end - p));
		p = e != NULL ? e + 1 : end;
		if (e == NULL)
			e = end;
		if (e > s && e[-1] == '\r')
			e--;
		line++;
		if (line == 1) {
			if (e - s != 4 || memcmp(s, "tree", 4) != 0)
				rc = pf_lgb__bad(&c, PF_EFORMAT, 1, "expected "
				    "the line \"tree\" that opens a LightGBM text "
				    "model");
			continue;
		}
		if (is_key(s, e, "Tree", &v) || ((size_t)(e - s) == 12 &&
		    memcmp(s, "end of trees", 12) == 0)) {
			if ((rc = intree ? pf_lgb__tree(&c, f, tline) :
			    header(&c, h)) != PF_OK)
				break;
			if (s[0] == 'e') {
				rc = trees_done(&c, h, line);
				done = 1;
				break;
			}
			long ti;
			if (pf_parse_long(v, (size_t)(e - v), 0, LONG_MAX, &ti) !=
			    0 || (size_t)ti != m->ntrees) {
				rc = pf_lgb__bad(&c, PF_EFORMAT, line, "expected "
				    "Tree=%zu, found \"%.*s\"", m->ntrees,
				    (int)(e - s > 40 ? 40 : e - s), s);
				break;
			}
			intree = 1;
			tline = line;
			memset(f, 0, sizeof(f));
			continue;
		}
		const char *eq = memchr(s, '=', (size_t)(e - s));
		if (eq != NULL)		/* else blank or free-form */
			rc = keep(&c, intree ? f : h, intree, s, eq, e, line);
	}
	if (rc == PF_OK && !done)
		rc = pf_lgb__bad(&c, PF_EFORMAT, line, "expected a line \"end "
		    "of trees\" before the end of the file (truncated model?)");
	free(c.tmp);
	free(c.dtmp);
	return rc;
}
