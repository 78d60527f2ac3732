/*
 * lgb_tree.c — one Tree= block of a LightGBM text model (lgb_text.c reads
 * the file around it): LightGBM's src/io/tree.cpp Tree::Tree(const char *)
 * and Tree::ToString (shared/MODELS.md 2.4).
 *
 * A block holds num_leaves, num_cat, split_feature, threshold,
 * decision_type, left_child, right_child (num_leaves - 1 entries each),
 * leaf_value (num_leaves), and cat_boundaries and cat_threshold when
 * num_cat > 0. Thresholds and leaf values are %.17g doubles parsed
 * correctly rounded, as LightGBM parses its model file. Children >= 0 are
 * internal nodes, < 0 leaf ~c. split_gain, internal_value, internal_weight,
 * internal_count, leaf_weight and leaf_count are not used for scoring but
 * are counted, as LightGBM's own loader does.
 *
 * Every array is counted before anything is allocated for it, so a size
 * that the file does not back (num_leaves=1000000000 above two leaf
 * values, a cat_boundaries end far beyond cat_threshold) is refused by
 * name and never allocated. Refused, at the offending line:
 *   PF_EFORMAT  a value that is not a number or out of range, a NaN or
 *               infinite threshold or leaf value, an array of the wrong
 *               length, children that do not form one tree, missing type
 *               3, categorical splits without num_cat, linear trees;
 *   PF_EDATA    a split on a feature beyond max_feature_idx, num_cat that
 *               is not the number of categorical nodes.
 */
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "harness/model/internal.h"

const char *const pf_lgb__keys[PF_LK_N] = {
	"num_leaves", "num_cat", "split_feature", "threshold", "decision_type",
	"left_child", "right_child", "leaf_value", "cat_boundaries",
	"cat_threshold", "is_linear", "split_gain", "internal_value",
	"internal_weight", "internal_count", "leaf_weight", "leaf_count"
};

/*
 * Checks that the children of a tree form one tree: every internal node
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
 * the index of its set in cat_boundaries, and each of the num_cat sets
 * belongs to one node (LightGBM numbers them as it splits).
 */
static int
cat_sets(pf_lgb_ctx *c, const pf_lgb_field *f, pf_lnode *n, size_t ni,
    size_t ncat, size_t t, long tline)
{
	const pf_lgb_field *fb = &f[PF_LK_CAT_BOUNDARIES];
	const pf_lgb_field *ft = &f[PF_LK_CAT_THRESHOLD];
	pf_gbdt *m = c->m;
	size_t nb, boff = c->nbits, ncnode = 0;
	int rc;

	if (fb->line == 0 || ft->line == 0)
		return pf_lgb__bad(c, PF_EFORMAT, tline, "Tree=%zu: "
		    "num_cat=%zu needs lines cat_boundaries=... and "
		    "cat_threshold=...", t, ncat);
	/* Boundaries, then the bitset words (which reuse tmp), then the
	   boundaries again for the nodes. */
	if ((rc = pf_lgb__array(c, fb, "cat_boundaries", ncat + 1, 0, 0,
	    INT32_MAX)) != PF_OK)
		return rc;
	for (size_t k = 0; k < ncat; k++)
		if (c->tmp[0] != 0 || c->tmp[k] > c->tmp[k + 1])
			return pf_lgb__bad(c, PF_EFORMAT, fb->line,
			    "cat_boundaries: expected 0 and then non-decreasing "
			    "values");
	nb = (size_t)c->tmp[ncat];
	if (pf_lgb__count(ft) != nb)
		return pf_lgb__bad(c, PF_EFORMAT, ft->line, "cat_threshold: "
		    "expected %zu values (the last of cat_boundaries), found %zu",
		    nb, pf_lgb__count(ft));
	if ((rc = pf_lgb__grow(c, (void **)&m->cbits, &c->cap_bits, boff +
	    nb + 1, sizeof(*m->cbits), ft->line, "category bitset words")) !=
	    PF_OK || (rc = pf_lgb__array(c, ft, "cat_threshold", nb, 0, 0,
	    (long)UINT32_MAX)) != PF_OK)
		return rc;
	for (size_t k = 0; k < nb; k++)
		m->cbits[boff + k] = (uint32_t)c->tmp[k];
	c->nbits += nb;
	if ((rc = pf_lgb__array(c, fb, "cat_boundaries", ncat + 1, 0, 0,
	    INT32_MAX)) != PF_OK)
		return rc;
	for (size_t i = 0; i < ni; i++) {
		double ct = n[i].thr;
		if (!(n[i].dt & 1))
			continue;
		if (!(ct >= 0 && ct < (double)ncat) || ct != (double)(long)ct)
			return pf_lgb__bad(c, PF_EFORMAT,
			    f[PF_LK_THRESHOLD].line, "threshold: node %zu is "
			    "categorical, but %.17g is not the index of a "
			    "category set (num_cat=%zu)", i, ct, ncat);
		size_t ci = (size_t)ct;
		n[i].cat_off = (uint32_t)(boff + (size_t)c->tmp[ci]);
		n[i].cat_n = (uint32_t)(c->tmp[ci + 1] - c->tmp[ci]);
		ncnode++;
	}
	if (ncnode != ncat)
		return pf_lgb__bad(c, PF_EDATA, f[PF_LK_NUM_CAT].line,
		    "Tree=%zu: num_cat=%zu, but %zu nodes are categorical "
		    "(decision_type)", t, ncat, ncnode);
	return PF_OK;
}

/* The arrays LightGBM writes but scoring does not use: counted only. */
static int
aux_counts(pf_lgb_ctx *c, const pf_lgb_field *f, size_t ni, size_t nl)
{
	static const int keys[] = {PF_LK_SPLIT_GAIN, PF_LK_INTERNAL_VALUE,
	    PF_LK_INTERNAL_WEIGHT, PF_LK_INTERNAL_COUNT, PF_LK_LEAF_WEIGHT,
	    PF_LK_LEAF_COUNT};

	if (nl == 1)	/* LightGBM reads only leaf_value of a single leaf */
		return PF_OK;
	for (size_t k = 0; k < sizeof(keys) / sizeof(*keys); k++) {
		const pf_lgb_field *a = &f[keys[k]];
		size_t want = keys[k] >= PF_LK_LEAF_WEIGHT ? nl : ni, got;
		if (a->line != 0 && (got = pf_lgb__count(a)) != want)
			return pf_lgb__bad(c, PF_EFORMAT, a->line, "%s: "
			    "expected %zu values, found %zu",
			    pf_lgb__keys[keys[k]], want, got);
	}
	return PF_OK;
}

/* The internal nodes n[0..ni) of tree t from their arrays in f. */
static int
nodes(pf_lgb_ctx *c, const pf_lgb_field *f, pf_lnode *n, size_t ni,
    size_t nl, size_t t, long tline)
{
	static const int need[5] = {PF_LK_THRESHOLD, PF_LK_DECISION_TYPE,
	    PF_LK_SPLIT_FEATURE, PF_LK_LEFT, PF_LK_RIGHT};
	size_t nf = c->m->nfeat;
	int rc;

	for (int k = 0; k < 5; k++)
		if (f[need[k]].line == 0)
			return pf_lgb__bad(c, PF_EFORMAT, tline, "Tree=%zu: "
			    "expected a line %s=...", t, pf_lgb__keys[need[k]]);
	if ((rc = pf_lgb__array(c, &f[PF_LK_THRESHOLD], "threshold", ni,
	    1, 0, 0)) != PF_OK)
		return rc;
	for (size_t i = 0; i < ni; i++) {
		if (!isfinite(c->dtmp[i]))
			return pf_lgb__bad(c, PF_EFORMAT,
			    f[PF_LK_THRESHOLD].line, "threshold: value %zu is %g "
			    "(thresholds must be finite numbers)", i + 1,
			    c->dtmp[i]);
		n[i].thr = c->dtmp[i];
		n[i].cat_off = n[i].cat_n = 0;
	}
	if ((rc = pf_lgb__array(c, &f[PF_LK_DECISION_TYPE],
	    "decision_type", ni, 0, 0, 15)) != PF_OK)
		return rc;
	for (size_t i = 0; i < ni; i++) {
		n[i].dt = (uint8_t)c->tmp[i];
		if (((n[i].dt >> 2) & 3) == 3)
			return pf_lgb__bad(c, PF_EFORMAT,
			    f[PF_LK_DECISION_TYPE].line, "decision_type: node %zu "
			    "has missing type 3 (expected 0 None, 1 Zero or 2 NaN)",
			    i);
	}
	if ((rc = pf_lgb__array(c, &f[PF_LK_SPLIT_FEATURE],
	    "split_feature", ni, 0, 0, INT32_MAX - 1)) != PF_OK)
		return rc;
	for (size_t i = 0; i < ni; i++) {
		if ((size_t)c->tmp[i] >= nf)
			return pf_lgb__bad(c, PF_EDATA,
			    f[PF_LK_SPLIT_FEATURE].line, "split_feature: node %zu "
			    "splits on feature %ld, beyond max_feature_idx=%ld", i,
			    c->tmp[i], (long)nf - 1);
		n[i].feat = (uint32_t)c->tmp[i];
	}
	for (int k = 0; k < 2; k++) {
		const char *key = k ? "right_child" : "left_child";
		if ((rc = pf_lgb__array(c, &f[k ? PF_LK_RIGHT : PF_LK_LEFT],
		    key, ni, 0, -(long)nl, (long)ni - 1)) != PF_OK)
			return rc;
		for (size_t i = 0; i < ni; i++)
			n[i].child[k] = (int32_t)c->tmp[i];
	}
	return aux_counts(c, f, ni, nl);
}

/* The leaf values of tree t into c->dtmp, all finite. */
static int
leaves(pf_lgb_ctx *c, const pf_lgb_field *f, size_t nl, size_t t,
    long tline)
{
	const pf_lgb_field *lv = &f[PF_LK_LEAF_VALUE];
	size_t got;
	int rc;

	if (lv->line == 0)
		return pf_lgb__bad(c, PF_EFORMAT, tline, "Tree=%zu: expected "
		    "a line leaf_value=...", t);
	if ((got = pf_lgb__count(lv)) != nl)	/* num_leaves is a promise */
		return pf_lgb__bad(c, PF_EFORMAT, lv->line, "leaf_value: "
		    "expected %zu values (num_leaves=%zu at line %ld), found %zu",
		    nl, nl, f[PF_LK_NUM_LEAVES].line, got);
	if ((rc = pf_lgb__array(c, lv, "leaf_value", nl, 1, 0, 0)) !=
	    PF_OK)
		return rc;
	for (size_t i = 0; i < nl; i++)
		if (!isfinite(c->dtmp[i]))
			return pf_lgb__bad(c, PF_EFORMAT, lv->line,
			    "leaf_value: value %zu is %g (leaf values must be "
			    "finite numbers)", i + 1, c->dtmp[i]);
	return PF_OK;
}

int
pf_lgb__tree(pf_lgb_ctx *c, pf_lgb_field *f, long tline)
{
	pf_gbdt *m = c->m;
	size_t t = m->ntrees, ni, nl, noff, loff;
	long v, ncat = 0, depth = 0;
	pf_lnode *n;
	int rc;

	if (f[PF_LK_NUM_LEAVES].line == 0)
		return pf_lgb__bad(c, PF_EFORMAT, tline, "Tree=%zu: expected "
		    "a line num_leaves=...", t);
	if ((rc = pf_lgb__scalar(c, &f[PF_LK_NUM_LEAVES], "num_leaves", 1,
	    INT32_MAX, &v)) != PF_OK)
		return rc;
	nl = (size_t)v;
	ni = nl - 1;
	if (f[PF_LK_IS_LINEAR].line != 0) {
		if ((rc = pf_lgb__scalar(c, &f[PF_LK_IS_LINEAR], "is_linear",
		    0, 1, &v)) != PF_OK)
			return rc;
		if (v != 0)
			return pf_lgb__bad(c, PF_EFORMAT,
			    f[PF_LK_IS_LINEAR].line, "Tree=%zu: linear trees "
			    "(is_linear=1) are not supported", t);
	}
	if (f[PF_LK_NUM_CAT].line != 0 && (rc = pf_lgb__scalar(c,
	    &f[PF_LK_NUM_CAT], "num_cat", 0, INT32_MAX - 1, &ncat)) != PF_OK)
		return rc;
	/* The leaf values are counted against num_leaves before the pools
	   grow by it. */
	if ((rc = leaves(c, f, nl, t, tline)) != PF_OK)
		return rc;
	if ((rc = pf_lgb__grow(c, (void **)&m->toff, &c->cap_toff, t + 2,
	    sizeof(*m->toff), tline, "tree offsets")) != PF_OK ||
	    (rc = pf_lgb__grow(c, (void **)&m->loff, &c->cap_loff, t + 2,
	    sizeof(*m->loff), tline, "tree offsets")) != PF_OK)
		return rc;
	if (t == 0)
		m->toff[0] = m->loff[0] = 0;
	noff = m->toff[t];
	loff = m->loff[t];
	if ((rc = pf_lgb__grow(c, (void **)&m->ln, &c->cap_nodes, noff + ni,
	    sizeof(*m->ln), tline, "tree nodes")) != PF_OK ||
	    (rc = pf_lgb__grow(c, (void **)&m->leaf, &c->cap_leaves, loff +
	    nl, sizeof(*m->leaf), tline, "leaf values")) != PF_OK)
		return rc;
	memcpy(m->leaf + loff, c->dtmp, nl * sizeof(double));
	n = m->ln + noff;
	if (ni > 0) {
		if ((rc = nodes(c, f, n, ni, nl, t, tline)) != PF_OK)
			return rc;
		/* Scratch for the shape check: dep, stack (ni each), leaves. */
		if ((rc = pf_lgb__tmp(c, ni + nl)) != PF_OK)
			return rc;
		uint32_t *dep = (uint32_t *)c->tmp, *stack = dep + ni;
		if ((depth = ltree_depth(n, ni, nl, dep, stack,
		    (uint8_t *)(stack + ni))) < 0)
			return pf_lgb__bad(c, PF_EFORMAT, f[PF_LK_LEFT].line,
			    "Tree=%zu: left_child and right_child do not form a "
			    "tree with %zu leaves", t, nl);
	}
	for (size_t i = 0; i < ni; i++)
		if ((n[i].dt & 1) && ncat == 0)
			return pf_lgb__bad(c, PF_EFORMAT,
			    f[PF_LK_DECISION_TYPE].line, "decision_type: node %zu "
			    "is categorical but num_cat is 0", i);
	if (ncat > 0 && (rc = cat_sets(c, f, n, ni, (size_t)ncat, t, tline)) !=
	    PF_OK)
		return rc;
	if (depth > m->maxdepth)
		m->maxdepth = (int)depth;
	m->toff[t + 1] = noff + ni;
	m->loff[t + 1] = loff + nl;
	m->ntrees = t + 1;
	return PF_OK;
}
