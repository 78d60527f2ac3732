/*
 * xgb_trees.c — the trees of an XGBoost JSON model (gbtree, and dart's
 * inner gbtree); xgb_json.c reads the rest of the document.
 *
 * Read: model.trees[i]: left_children, right_children, split_indices,
 * split_conditions, default_left (+ split_type, checked), and tree_info,
 * iteration_indptr (2.0+) and gbtree_model_param.num_trees, checked.
 * parents, loss_changes, sum_hessian and base_weights are not used, but
 * their lengths are checked when present. Leaf values are
 * split_conditions[leaf], already shrunk.
 *
 * Dart trees: XGBoost adds (0 + leaf) * weight_drop[i] (float product) per
 * tree; the product is exact to precompute, so it is folded into the leaf
 * values here and every scorer stays a plain sum.
 *
 * Refused with PF_EFORMAT: no trees (every row would score base_score),
 * vector leaves (multi-target), categorical splits, a threshold or leaf
 * value (after weight_drop) that is not a finite float32, an array whose
 * length is not num_nodes, trees whose right child is not left + 1
 * (XGBoost's own predictor relies on it), cycles or out-of-range children.
 * With PF_EDATA: a split on a feature >= num_feature, a tree whose id is
 * not its place in trees (XGBoost orders trees by id), tree_info or
 * weight_drop not one per tree, tree_info naming a second output group,
 * iteration_indptr or num_trees that do not cover the trees.
 */
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "harness/model/internal.h"
#include "harness/util/grow.h"

/*
 * Depth of the tree n[0..nn), or -1 when a child is out of range or a node
 * is reached twice (a cycle or a shared child). dep and stack are scratch
 * of nn entries each; dep[i] = depth of node i + 1, 0 = not reached.
 */
static long
xtree_depth(const pf_xnode *n, size_t nn, uint32_t *dep, uint32_t *stack)
{
	size_t sp = 0;
	uint32_t depth = 0;

	memset(dep, 0, nn * sizeof(*dep));
	stack[sp++] = 0;
	dep[0] = 1;
	while (sp > 0) {
		uint32_t i = stack[--sp], d = dep[i];
		int32_t l = n[i].left;

		if (d > depth)
			depth = d;
		if (l < 0)
			continue;
		if (l == 0 || (size_t)l + 1 >= nn)
			return -1;
		for (uint32_t k = 0; k < 2; k++) {
			uint32_t ch = (uint32_t)l + k;
			if (dep[ch] != 0)
				return -1;
			dep[ch] = d + 1;
			stack[sp++] = ch;	/* each node once: sp <= nn */
		}
	}
	return (long)depth - 1;
}

/* The node arrays of one tree, num_nodes elements each. */
typedef struct xarrays {
	const json_t	*L, *R, *F, *C, *D;
	long		 nn;
} xarrays;

/* Tree ti's id, tree_param and arrays, checked against num_nodes. */
static int
tree_arrays(pf_xgb_ctx *c, const json_t *t, const char *where, size_t ti,
    xarrays *a)
{
	static const char *const aux[] = {"parents", "loss_changes",
	    "sum_hessian", "base_weights"};
	const json_t *tp, *S, *id;
	long sz, v;

	if (!json_is_object(t))
		return pf_xgb__bad(c, PF_EFORMAT, "%s: expected an object, found "
		    "%s", where, pf_xgb__tname(json_typeof(t)));
	/* XGBoost puts each tree at trees[id]: another order sums the
	   leaves in another order, and weight_drop[i] would not be its. */
	if ((id = json_object_get(t, "id")) != NULL && !json_is_integer(id))
		return pf_xgb__bad(c, PF_EFORMAT, "%s.id: expected an integer, "
		    "found %s", where, pf_xgb__tname(json_typeof(id)));
	if (id != NULL && json_integer_value(id) != (json_int_t)ti)
		return pf_xgb__bad(c, PF_EDATA, "%s.id: expected %zu (the tree's "
		    "place in trees), found %" JSON_INTEGER_FORMAT, where, ti,
		    json_integer_value(id));
	if ((tp = pf_xgb__member(c, t, where, "tree_param", JSON_OBJECT)) ==
	    NULL || pf_xgb__strnum(c, tp, where, "num_nodes", 1, INT32_MAX,
	    &a->nn) != PF_OK)
		return PF_EFORMAT;
	if (json_object_get(tp, "size_leaf_vector") != NULL) {
		if (pf_xgb__strnum(c, tp, where, "size_leaf_vector", 0,
		    INT32_MAX, &sz) != PF_OK)
			return PF_EFORMAT;
		if (sz > 1)
			return pf_xgb__bad(c, PF_EFORMAT, "%s: vector leaves "
			    "(multi-target trees) are not supported", where);
	}
	size_t nn = (size_t)a->nn;
	if ((a->L = pf_xgb__array(c, t, where, "left_children", nn)) == NULL ||
	    (a->R = pf_xgb__array(c, t, where, "right_children", nn)) == NULL ||
	    (a->F = pf_xgb__array(c, t, where, "split_indices", nn)) == NULL ||
	    (a->C = pf_xgb__array(c, t, where, "split_conditions", nn)) ==
	    NULL || (a->D = pf_xgb__array(c, t, where, "default_left", nn)) ==
	    NULL)
		return PF_EFORMAT;
	/* Not used for scoring, but one per node all the same. */
	for (size_t k = 0; k < sizeof(aux) / sizeof(*aux); k++)
		if (json_object_get(t, aux[k]) != NULL &&
		    pf_xgb__array(c, t, where, aux[k], nn) == NULL)
			return PF_EFORMAT;
	if ((S = json_object_get(t, "split_type")) != NULL) {
		if ((S = pf_xgb__array(c, t, where, "split_type", nn)) == NULL)
			return PF_EFORMAT;
		for (size_t i = 0; i < nn; i++) {
			if (pf_xgb__long(c, S, i, where, "split_type", 0, 1, &v))
				return PF_EFORMAT;
			if (v != 0 && json_integer_value(json_array_get(a->L,
			    i)) != -1)
				return pf_xgb__bad(c, PF_EFORMAT, "%s: node %zu is "
				    "a categorical split, which is not supported",
				    where, i);
		}
	}
	return PF_OK;
}

/* Node i of tree ti (where) from the arrays a, into x. */
static int
node(pf_xgb_ctx *c, const pf_gbdt *m, const xarrays *a, size_t i,
    const char *where, size_t ti, float w, int dart, pf_xnode *x)
{
	long l, r, f, dl, nn = a->nn;

	if (pf_xgb__long(c, a->L, i, where, "left_children", -1, nn - 1, &l) ||
	    pf_xgb__long(c, a->R, i, where, "right_children", -1, nn - 1, &r) ||
	    pf_xgb__long(c, a->F, i, where, "split_indices", 0, INT32_MAX,
	    &f) || pf_xgb__long(c, a->D, i, where, "default_left", 0, 1, &dl) ||
	    pf_xgb__float(c, a->C, i, where, "split_conditions", &x->val))
		return PF_EFORMAT;
	if ((l == -1) != (r == -1) || (l != -1 && r != l + 1))
		return pf_xgb__bad(c, PF_EFORMAT, "%s: node %zu: expected "
		    "right_children = left_children + 1 (or both -1), found %ld "
		    "and %ld", where, i, l, r);
	if (l >= 0 && (size_t)f >= m->nfeat)
		return pf_xgb__bad(c, PF_EDATA, "%s: node %zu splits on feature "
		    "%ld, but num_feature is %zu", where, i, f, m->nfeat);
	x->left = (int32_t)l;
	x->feat = l < 0 ? 0 : (uint32_t)f;
	x->dleft = (uint32_t)dl;
	if (l < 0 && dart) {	/* XGBoost: out += (0 + leaf) * w */
		x->val = (0.0f + x->val) * w;
		if (!isfinite(x->val))
			return pf_xgb__bad(c, PF_EFORMAT, "%s: leaf %zu times "
			    "weight_drop[%zu] (%g) is not a finite float32",
			    where, i, ti, (double)w);
	}
	return PF_OK;
}

static int
load_tree(pf_xgb_ctx *c, pf_gbdt *m, const json_t *t, size_t ti, float w,
    int dart, uint32_t **dep, uint32_t **stack, size_t *cap)
{
	char where[96];
	xarrays a;
	pf_xnode *xn;
	size_t off = m->toff[ti], nn;
	long depth;
	int rc;

	snprintf(where, sizeof(where),
	    "learner.gradient_booster.model.trees[%zu]", ti);
	if ((rc = tree_arrays(c, t, where, ti, &a)) != PF_OK)
		return rc;
	nn = (size_t)a.nn;
	/* Grow the node pool. */
	if ((xn = pf_grow(m->xn, &cap[0], off + nn, sizeof(*xn))) == NULL)
		return pf_xgb__nomem(c, off + nn, sizeof(*xn), "tree nodes");
	m->xn = xn;
	if (nn > cap[1]) {
		free(*dep);
		free(*stack);
		*dep = malloc(nn * sizeof(**dep));
		*stack = malloc(nn * sizeof(**stack));
		if (*dep == NULL || *stack == NULL)
			return pf_xgb__nomem(c, 2 * nn, sizeof(**dep),
			    "node depths");
		cap[1] = nn;
	}
	for (size_t i = 0; i < nn; i++)
		if ((rc = node(c, m, &a, i, where, ti, w, dart,
		    &m->xn[off + i])) != PF_OK)
			return rc;
	if ((depth = xtree_depth(m->xn + off, nn, *dep, *stack)) < 0)
		return pf_xgb__bad(c, PF_EFORMAT, "%s: the children do not form a "
		    "tree rooted at node 0", where);
	if (depth > m->maxdepth)
		m->maxdepth = (int)depth;
	m->toff[ti + 1] = off + nn;
	return PF_OK;
}

/*
 * tree_info (each tree's output group) and, from XGBoost 2.0,
 * iteration_indptr (where each boosting round's trees start): with one
 * output every tree is in group 0, and the rounds cover the nt trees.
 */
static int
tree_groups(pf_xgb_ctx *c, const json_t *model, size_t nt)
{
	const char *where = "learner.gradient_booster.model";
	const json_t *ti, *ip;
	long v, prev = 0;

	if ((ti = pf_xgb__array(c, model, where, "tree_info", (size_t)-1)) ==
	    NULL)
		return PF_EFORMAT;
	if (json_array_size(ti) != nt)
		return pf_xgb__bad(c, PF_EDATA, "%s.tree_info: expected %zu "
		    "elements (one per tree), found %zu", where, nt,
		    json_array_size(ti));
	for (size_t i = 0; i < nt; i++) {
		if (pf_xgb__long(c, ti, i, where, "tree_info", 0, INT32_MAX, &v))
			return PF_EFORMAT;
		if (v != 0)
			return pf_xgb__bad(c, PF_EDATA, "%s.tree_info[%zu]: the "
			    "tree is in output group %ld, but the model has one "
			    "output", where, i, v);
	}
	if (json_object_get(model, "iteration_indptr") == NULL)
		return PF_OK;
	if ((ip = pf_xgb__array(c, model, where, "iteration_indptr",
	    (size_t)-1)) == NULL)
		return PF_EFORMAT;
	for (size_t i = 0; i < json_array_size(ip); i++) {
		if (pf_xgb__long(c, ip, i, where, "iteration_indptr", 0,
		    INT32_MAX, &v))
			return PF_EFORMAT;
		if ((i == 0 && v != 0) || v < prev)
			return pf_xgb__bad(c, PF_EDATA, "%s.iteration_indptr[%zu]: "
			    "expected 0 and then non-decreasing tree offsets, "
			    "found %ld", where, i, v);
		prev = v;
	}
	if ((size_t)prev != nt)
		return pf_xgb__bad(c, PF_EDATA, "%s.iteration_indptr: the rounds "
		    "end at tree %ld, but there are %zu trees", where, prev, nt);
	return PF_OK;
}

int
pf_xgb__trees(pf_xgb_ctx *c, pf_gbdt *m, const json_t *gb, int dart)
{
	const char *where = "learner.gradient_booster.model";
	const char *gwhere = "learner.gradient_booster";
	const json_t *model, *trees, *mp, *wd = NULL;
	uint32_t *dep = NULL, *stack = NULL;
	size_t cap[2] = {0, 0}, nt;
	long ntl;
	int rc = PF_OK;

	if (dart) {
		const json_t *inner;
		if ((wd = pf_xgb__array(c, gb, gwhere, "weight_drop",
		    (size_t)-1)) == NULL || (inner = pf_xgb__member(c, gb,
		    gwhere, "gbtree", JSON_OBJECT)) == NULL)
			return PF_EFORMAT;
		gb = inner;
	}
	if ((model = pf_xgb__member(c, gb, gwhere, "model", JSON_OBJECT)) ==
	    NULL || (trees = pf_xgb__array(c, model, where, "trees",
	    (size_t)-1)) == NULL)
		return PF_EFORMAT;
	if ((nt = json_array_size(trees)) == 0)
		return pf_xgb__bad(c, PF_EFORMAT, "%s.trees: no trees (a model "
		    "without trees would score every row base_score)", where);
	if ((mp = json_object_get(model, "gbtree_model_param")) != NULL &&
	    json_is_object(mp) && json_object_get(mp, "num_trees") != NULL) {
		if (pf_xgb__strnum(c, mp, where, "num_trees", 0, LONG_MAX,
		    &ntl) != PF_OK)
			return PF_EFORMAT;
		if ((size_t)ntl != nt)
			return pf_xgb__bad(c, PF_EDATA, "%s: gbtree_model_param."
			    "num_trees says %ld, found %zu trees", where, ntl, nt);
	}
	if (wd != NULL && json_array_size(wd) != nt)
		return pf_xgb__bad(c, PF_EDATA, "%s.weight_drop: expected %zu "
		    "elements (one per tree), found %zu", gwhere, nt,
		    json_array_size(wd));
	if ((rc = tree_groups(c, model, nt)) != PF_OK)
		return rc;
	if ((m->toff = calloc(nt + 1, sizeof(*m->toff))) == NULL)
		return pf_xgb__nomem(c, nt + 1, sizeof(*m->toff),
		    "tree offsets");
	m->ntrees = nt;
	for (size_t i = 0; i < nt && rc == PF_OK; i++) {
		float w = 1.0f;
		if (wd != NULL)
			rc = pf_xgb__float(c, wd, i, gwhere, "weight_drop", &w);
		if (rc == PF_OK)
			rc = load_tree(c, m, json_array_get(trees, i), i, w,
			    wd != NULL, &dep, &stack, cap);
	}
	free(dep);
	free(stack);
	return rc;
}
