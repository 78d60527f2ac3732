/*
 * lgb_text.c — LightGBM text models (save_model("m.txt"), version v2-v4;
 * shared/MODELS.md 2.4): src/io/tree.cpp Tree::ToString and
 * src/boosting/gbdt_model_text.cpp.
 *
 * The file is `key=value` lines: a header opened by a line "tree"
 * (max_feature_idx, num_class, num_tree_per_iteration, objective, ...),
 * then one block per tree opened by "Tree=<i>" and closed by the next
 * block or "end of trees"; what follows (importances, parameters) is not
 * read. Per tree: num_leaves, num_cat, split_feature, threshold,
 * decision_type, left_child, right_child, leaf_value (internal arrays have
 * num_leaves - 1 entries), cat_boundaries and cat_threshold when num_cat >
 * 0. Thresholds and leaf values are %.17g doubles parsed correctly rounded,
 * as LightGBM parses its model file. Children >= 0 are internal nodes, < 0
 * leaf ~c. A file without "end of trees" is refused as truncated.
 *
 * Refused with PF_EFORMAT: several classes (num_class or
 * num_tree_per_iteration > 1), linear trees (is_linear=1), missing type 3,
 * children that do not form a tree, arrays of the wrong length. Errors
 * carry path:line of the offending line.
 */
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness/model/internal.h"
#include "harness/util/grow.h"
#include "harness/util/scan.h"

typedef struct field {
	const char	*v;		/* value, not NUL-terminated */
	size_t		 n;
	long		 line;		/* 0: absent */
} field;

enum {
	K_NUM_LEAVES, K_NUM_CAT, K_SPLIT_FEATURE, K_THRESHOLD, K_DECISION_TYPE,
	K_LEFT, K_RIGHT, K_LEAF_VALUE, K_CAT_BOUNDARIES, K_CAT_THRESHOLD,
	K_IS_LINEAR, NKEYS
};

static const char *const tree_keys[NKEYS] = {
	"num_leaves", "num_cat", "split_feature", "threshold", "decision_type",
	"left_child", "right_child", "leaf_value", "cat_boundaries",
	"cat_threshold", "is_linear"
};

enum { H_MAX_FEATURE_IDX, H_NUM_CLASS, H_NUM_TREE_PER_ITER, H_OBJECTIVE,
	NHKEYS };

static const char *const head_keys[NHKEYS] = {
	"max_feature_idx", "num_class", "num_tree_per_iteration", "objective"
};

typedef struct lctx {
	const char	*path;
	pf_err		*err;
	pf_gbdt		*m;
	size_t		 cap_nodes, cap_leaves, cap_toff, cap_loff, cap_bits;
	size_t		 nbits;		/* cbits words used */
	long		*tmp;		/* integer arrays of one tree */
	double		*dtmp;
	size_t		 cap_tmp;
} lctx;

static int	bad(lctx *, long, const char *, ...)
		    __attribute__((format(printf, 3, 4)));

static int
bad(lctx *c, long line, const char *fmt, ...)
{
	char msg[400];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return pf_err_set(c->err, PF_EFORMAT, c->path, line, "%s", msg);
}

static int
nomem(lctx *c)
{
	return pf_err_set(c->err, PF_ENOMEM, c->path, 0, "out of memory");
}

/* Grows *p (elements of size sz) to hold need elements. */
static int
grow(lctx *c, void **p, size_t *cap, size_t need, size_t sz)
{
	void *np;

	if ((np = pf_grow(*p, cap, need, sz)) == NULL)
		return nomem(c);
	*p = np;
	return PF_OK;
}

/* c->tmp and c->dtmp share one capacity. */
static int
need_tmp(lctx *c, size_t n)
{
	size_t cap;
	long *t;
	double *d;

	if (n <= c->cap_tmp && c->tmp != NULL)
		return PF_OK;
	if ((cap = pf_grow_cap(c->cap_tmp, n, sizeof(*c->dtmp))) == 0 ||
	    (t = pf_realloc_n(c->tmp, cap, sizeof(*t))) == NULL)
		return nomem(c);
	c->tmp = t;
	if ((d = pf_realloc_n(c->dtmp, cap, sizeof(*d))) == NULL)
		return nomem(c);
	c->dtmp = d;
	c->cap_tmp = cap;
	return PF_OK;
}

/*
 * Parses exactly want whitespace-separated numbers of field f: integers
 * in [min, max] into c->tmp, or doubles into c->dtmp (dbl).
 */
static int
parse_array(lctx *c, const field *f, const char *key, size_t want, int dbl,
    long min, long max)
{
	const char *p = f->v, *end = f->v + f->n;
	size_t k = 0;

	if (f->line == 0)
		return bad(c, 0, "expected a line %s=... in the tree", key);
	if (need_tmp(c, want ? want : 1) != PF_OK)
		return PF_ENOMEM;
	for (;;) {
		while (p < end && pf_is_ws(*p))
			p++;
		if (p >= end)
			break;
		const char *s = p;
		while (p < end && !pf_is_ws(*p))
			p++;
		if (k == want)
			return bad(c, f->line, "%s: expected %zu values, found "
			    "more", key, want);
		if (dbl ? pf_parse_double(s, (size_t)(p - s), &c->dtmp[k]) :
		    pf_parse_long(s, (size_t)(p - s), min, max, &c->tmp[k]))
			return bad(c, f->line, "%s: value %zu (\"%.*s\") is not "
			    "%s", key, k + 1, (int)(p - s > 40 ? 40 : p - s), s,
			    dbl ? "a number" : "an integer in range");
		k++;
	}
	if (k != want)
		return bad(c, f->line, "%s: expected %zu values, found %zu", key,
		    want, k);
	return PF_OK;
}

static int
scalar(lctx *c, const field *f, const char *key, long min, long max,
    long *out)
{
	if (f->line == 0)
		return bad(c, 0, "expected a line %s=...", key);
	if (pf_parse_long(f->v, f->n, min, max, out) != 0)
		return bad(c, f->line, "%s: expected an integer in [%ld, %ld], "
		    "found \"%.*s\"", key, min, max, (int)(f->n > 40 ? 40 :
		    f->n), f->v);
	return PF_OK;
}

/*
 * Checks that the children of tree t form one tree: every internal node
 * and every leaf reached exactly once from node 0. Returns the depth or -1.
 */
static long
ltree_depth(const pf_lnode *n, size_t ni, size_t nl, uint32_t *dep,
    uint32_t *stack, uint8_t *leafseen)
{
	size_t sp = 0;
	uint32_t depth = 0;

	memset(dep, 0, ni * sizeof(*dep));
	memset(leafseen, 0, nl);
	stack[sp++] = 0;
	dep[0] = 1;
	while (sp > 0) {
		uint32_t i = stack[--sp], d = dep[i];
		for (int k = 0; k < 2; k++) {
			int32_t ch = n[i].child[k];
			if (ch < 0) {
				if ((size_t)~ch >= nl || leafseen[~ch])
					return -1;
				leafseen[~ch] = 1;
				if (d > depth)
					depth = d;
			} else {
				if ((size_t)ch >= ni || dep[ch] != 0)
					return -1;
				dep[ch] = d + 1;
				stack[sp++] = (uint32_t)ch;
			}
		}
	}
	for (size_t i = 0; i < nl; i++)
		if (!leafseen[i])
			return -1;
	return (long)depth;
}

/*
 * Categorical splits of one tree: the bitset words (cat_threshold) go to
 * m->cbits after those of earlier trees; a categorical node's threshold is
 * the index of its set in cat_boundaries.
 */
static int
cat_sets(lctx *c, field *f, pf_lnode *n, size_t ni, size_t ncat, size_t t,
    long tline)
{
	pf_gbdt *m = c->m;
	size_t nb, boff = c->nbits;

	if (f[K_CAT_BOUNDARIES].line == 0 || f[K_CAT_THRESHOLD].line == 0)
		return bad(c, tline, "Tree=%zu: num_cat=%zu needs lines "
		    "cat_boundaries=... and cat_threshold=...", t, ncat);
	/* Boundaries, then the bitset words (which reuse tmp), then the
	   boundaries again for the nodes. */
	if (parse_array(c, &f[K_CAT_BOUNDARIES], "cat_boundaries", ncat + 1, 0,
	    0, INT32_MAX))
		return PF_EFORMAT;
	nb = (size_t)c->tmp[ncat];
	if (grow(c, (void **)&m->cbits, &c->cap_bits, boff + nb + 1,
	    sizeof(*m->cbits)))
		return PF_ENOMEM;
	if (parse_array(c, &f[K_CAT_THRESHOLD], "cat_threshold", nb, 0, 0,
	    (long)UINT32_MAX))
		return PF_EFORMAT;
	for (size_t k = 0; k < nb; k++)
		m->cbits[boff + k] = (uint32_t)c->tmp[k];
	c->nbits += nb;
	if (parse_array(c, &f[K_CAT_BOUNDARIES], "cat_boundaries", ncat + 1, 0,
	    0, INT32_MAX))
		return PF_EFORMAT;
	for (size_t k = 0; k < ncat; k++)
		if (c->tmp[0] != 0 || c->tmp[k] > c->tmp[k + 1])
			return bad(c, f[K_CAT_BOUNDARIES].line, "cat_boundaries: "
			    "expected 0 and then non-decreasing values");
	for (size_t i = 0; i < ni; i++) {
		double ct = n[i].thr;
		if (!(n[i].dt & 1))
			continue;
		if (!(ct >= 0 && ct < (double)ncat) || ct != (double)(long)ct)
			return bad(c, f[K_THRESHOLD].line, "threshold: node %zu "
			    "is categorical, but %.17g is not the index of a "
			    "category set (num_cat=%zu)", i, ct, ncat);
		size_t ci = (size_t)ct;
		n[i].cat_off = (uint32_t)(boff + (size_t)c->tmp[ci]);
		n[i].cat_n = (uint32_t)(c->tmp[ci + 1] - c->tmp[ci]);
	}
	return PF_OK;
}

static int
finish_tree(lctx *c, field *f, long tline)
{
	pf_gbdt *m = c->m;
	size_t t = m->ntrees, ni, nl, noff, loff;
	long v, ncat = 0, depth = 0;
	pf_lnode *n;

	if (f[K_NUM_LEAVES].line == 0)
		return bad(c, tline, "Tree=%zu: expected a line num_leaves=...",
		    t);
	if (scalar(c, &f[K_NUM_LEAVES], "num_leaves", 1, INT32_MAX, &v))
		return PF_EFORMAT;
	nl = (size_t)v;
	ni = nl - 1;
	if (f[K_IS_LINEAR].line != 0) {
		if (scalar(c, &f[K_IS_LINEAR], "is_linear", 0, 1, &v))
			return PF_EFORMAT;
		if (v != 0)
			return bad(c, f[K_IS_LINEAR].line, "Tree=%zu: linear "
			    "trees (is_linear=1) are not supported", t);
	}
	if (f[K_NUM_CAT].line != 0 && scalar(c, &f[K_NUM_CAT], "num_cat", 0,
	    INT32_MAX - 1, &ncat))
		return PF_EFORMAT;
	if (grow(c, (void **)&m->toff, &c->cap_toff, t + 2, sizeof(*m->toff))
	    || grow(c, (void **)&m->loff, &c->cap_loff, t + 2,
	    sizeof(*m->loff)))
		return PF_ENOMEM;
	if (t == 0)
		m->toff[0] = m->loff[0] = 0;
	noff = m->toff[t];
	loff = m->loff[t];
	if (grow(c, (void **)&m->ln, &c->cap_nodes, noff + ni, sizeof(*m->ln)) ||
	    grow(c, (void **)&m->leaf, &c->cap_leaves, loff + nl,
	    sizeof(*m->leaf)))
		return PF_ENOMEM;
	if (f[K_LEAF_VALUE].line == 0)
		return bad(c, tline, "Tree=%zu: expected a line leaf_value=...",
		    t);
	if (parse_array(c, &f[K_LEAF_VALUE], "leaf_value", nl, 1, 0, 0))
		return PF_EFORMAT;
	memcpy(m->leaf + loff, c->dtmp, nl * sizeof(double));
	n = m->ln + noff;
	if (ni > 0) {
		for (int k = 0; k < 5; k++) {
			static const int key[5] = {K_THRESHOLD, K_DECISION_TYPE,
			    K_SPLIT_FEATURE, K_LEFT, K_RIGHT};
			if (f[key[k]].line == 0)
				return bad(c, tline, "Tree=%zu: expected a line "
				    "%s=...", t, tree_keys[key[k]]);
		}
		if (parse_array(c, &f[K_THRESHOLD], "threshold", ni, 1, 0, 0))
			return PF_EFORMAT;
		for (size_t i = 0; i < ni; i++) {
			n[i].thr = c->dtmp[i];
			n[i].cat_off = n[i].cat_n = 0;
		}
		if (parse_array(c, &f[K_DECISION_TYPE], "decision_type", ni, 0,
		    0, 15))
			return PF_EFORMAT;
		for (size_t i = 0; i < ni; i++) {
			n[i].dt = (uint8_t)c->tmp[i];
			if (((n[i].dt >> 2) & 3) == 3)
				return bad(c, f[K_DECISION_TYPE].line,
				    "decision_type: node %zu has missing type 3 "
				    "(expected 0 None, 1 Zero or 2 NaN)", i);
		}
		if (parse_array(c, &f[K_SPLIT_FEATURE], "split_feature", ni, 0,
		    0, INT32_MAX - 1))
			return PF_EFORMAT;
		for (size_t i = 0; i < ni; i++) {
			n[i].feat = (uint32_t)c->tmp[i];
			if ((size_t)c->tmp[i] + 1 > m->nfeat)
				m->nfeat = (size_t)c->tmp[i] + 1;
		}
		for (int k = 0; k < 2; k++) {
			const char *key = k ? "right_child" : "left_child";
			if (parse_array(c, &f[k ? K_RIGHT : K_LEFT], key, ni, 0,
			    -(long)nl, (long)ni - 1))
				return PF_EFORMAT;
			for (size_t i = 0; i < ni; i++)
				n[i].child[k] = (int32_t)c->tmp[i];
		}
		/* Scratch for the shape check: dep, stack (ni each), leaves. */
		if (need_tmp(c, ni + nl) != PF_OK)
			return PF_ENOMEM;
		uint32_t *dep = (uint32_t *)c->tmp, *stack = dep + ni;
		if ((depth = ltree_depth(n, ni, nl, dep, stack,
		    (uint8_t *)(stack + ni))) < 0)
			return bad(c, f[K_LEFT].line, "Tree=%zu: left_child and "
			    "right_child do not form a tree with %zu leaves", t,
			    nl);
	}
	if (ncat > 0 && cat_sets(c, f, n, ni, (size_t)ncat, t, tline) != PF_OK)
		return PF_EFORMAT;
	for (size_t i = 0; i < ni; i++)
		if ((n[i].dt & 1) && ncat == 0)
			return bad(c, f[K_DECISION_TYPE].line, "decision_type: "
			    "node %zu is categorical but num_cat is 0", i);
	if (depth > m->maxdepth)
		m->maxdepth = (int)depth;
	m->toff[t + 1] = noff + ni;
	m->loff[t + 1] = loff + nl;
	m->ntrees = t + 1;
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

static int
header(lctx *c, field *h)
{
	pf_gbdt *m = c->m;
	long v;

	if (scalar(c, &h[H_MAX_FEATURE_IDX], "max_feature_idx", -1,
	    INT32_MAX - 1, &v))
		return PF_EFORMAT;
	m->nfeat = (size_t)(v + 1);
	if (h[H_NUM_CLASS].line != 0) {
		if (scalar(c, &h[H_NUM_CLASS], "num_class", 1, INT32_MAX, &v))
			return PF_EFORMAT;
		if (v > 1)
			return bad(c, h[H_NUM_CLASS].line, "num_class=%ld: "
			    "multi-class models are not supported: one score "
			    "per row", v);
	}
	if (h[H_NUM_TREE_PER_ITER].line != 0) {
		if (scalar(c, &h[H_NUM_TREE_PER_ITER], "num_tree_per_iteration",
		    1, INT32_MAX, &v))
			return PF_EFORMAT;
		if (v > 1)
			return bad(c, h[H_NUM_TREE_PER_ITER].line,
			    "num_tree_per_iteration=%ld: several trees per "
			    "iteration are not supported: one score per row", v);
	}
	if ((m->objective = strndup(h[H_OBJECTIVE].v, h[H_OBJECTIVE].n)) ==
	    NULL)
		return nomem(c);
	return PF_OK;
}

int
pf_gbdt__load_lgb(pf_gbdt *m, const char *buf, size_t len, const char *path,
    pf_err *err)
{
	lctx c = {.path = path, .err = err, .m = m};
	field h[NHKEYS], f[NKEYS];
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
				rc = bad(&c, 1, "expected the line \"tree\" that "
				    "opens a LightGBM text model");
			continue;
		}
		if (is_key(s, e, "Tree", &v) ||
		    ((size_t)(e - s) == 12 && memcmp(s, "end of trees", 12) ==
		    0)) {
			if (!intree)
				rc = header(&c, h);
			else
				rc = finish_tree(&c, f, tline);
			if (rc != PF_OK)
				break;
			if (s[0] == 'e') {
				done = 1;
				break;
			}
			long ti;
			if (pf_parse_long(v, (size_t)(e - v), 0, LONG_MAX, &ti) !=
			    0 || (size_t)ti != m->ntrees) {
				rc = bad(&c, line, "expected Tree=%zu, found "
				    "\"%.*s\"", m->ntrees, (int)(e - s > 40 ? 40 :
				    e - s), s);
				break;
			}
			intree = 1;
			tline = line;
			memset(f, 0, sizeof(f));
			continue;
		}
		const char *eq = memchr(s, '=', (size_t)(e - s));
		if (eq == NULL)
			continue;	/* blank or free-form lines */
		field *tab = intree ? f : h;
		const char *const *keys = intree ? tree_keys : head_keys;
		int nk = intree ? NKEYS : NHKEYS;
		for (int k = 0; k < nk; k++)
			if ((size_t)(eq - s) == strlen(keys[k]) &&
			    memcmp(s, keys[k], (size_t)(eq - s)) == 0) {
				tab[k].v = eq + 1;
				tab[k].n = (size_t)(e - eq - 1);
				tab[k].line = line;
			}
	}
	if (rc == PF_OK && !done)
		rc = bad(&c, line, "expected a line \"end of trees\" before the "
		    "end of the file (truncated model?)");
	if (rc == PF_OK && m->toff == NULL) {	/* no trees at all */
		if ((m->toff = calloc(1, sizeof(*m->toff))) == NULL ||
		    (m->loff = calloc(1, sizeof(*m->loff))) == NULL)
			rc = nomem(&c);
	}
	free(c.tmp);
	free(c.dtmp);
	return rc;
}
