/*
 * xgb_json.c — XGBoost JSON models (save_model("m.json"), format of 1.x to
 * 3.x; shared/MODELS.md 2.1-2.2), parsed with jansson.
 *
 * Read: learner.learner_model_param (base_score, num_feature, num_class,
 * num_target: strings), learner.objective.name, and the booster:
 *   gbtree    model.trees[i]: left_children, right_children, split_indices,
 *             split_conditions, default_left (+ split_type, checked)
 *   dart      gbtree.model as above, plus weight_drop[i]
 *   gblinear  model.weights: num_feature weights then one bias
 * Everything else (stats, base_weights, tree_info of a single group,
 * attributes) is ignored. Leaf values are split_conditions[leaf], already
 * shrunk. The base margin is base_score through the objective's
 * ProbToMargin as XGBoost 1.7.4 computes it in float: -logf(1/b - 1) for
 * binary:logistic and reg:logistic, logf(b) for the log-link objectives,
 * b otherwise (checked against libxgboost for each objective).
 *
 * Dart trees: XGBoost adds (0 + leaf) * weight_drop[i] (float product) per
 * tree; the product is exact to precompute, so it is folded into the leaf
 * values here and every scorer stays a plain sum.
 *
 * Refused with PF_EFORMAT: UBJSON, several output groups (num_class > 1,
 * num_target > 1, vector leaves), categorical splits, trees whose right
 * child is not left + 1 (XGBoost's own predictor relies on it), cycles or
 * out-of-range children.
 */
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "harness/model/internal.h"
#include "harness/util/grow.h"
#include "harness/util/scan.h"

typedef struct jctx {
	const char	*path;
	pf_err		*err;
} jctx;

static int	bad(jctx *, const char *, ...)
		    __attribute__((format(printf, 2, 3)));

static int
bad(jctx *c, const char *fmt, ...)
{
	char msg[400];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return pf_err_set(c->err, PF_EFORMAT, c->path, 0, "%s", msg);
}

static const char *
tname(json_type t)
{
	switch (t) {
	case JSON_OBJECT:
		return "an object";
	case JSON_ARRAY:
		return "an array";
	case JSON_STRING:
		return "a string";
	case JSON_INTEGER:
		return "an integer";
	case JSON_REAL:
		return "a number";
	case JSON_TRUE:
	case JSON_FALSE:
		return "a boolean";
	default:
		return "null";
	}
}

/* obj[key] of the given type, or NULL with the error set. */
static json_t *
member(jctx *c, const json_t *obj, const char *where, const char *key,
    json_type type)
{
	json_t *v = json_object_get(obj, key);

	if (v == NULL) {
		bad(c, "%s: expected a member \"%s\"", where, key);
		return NULL;
	}
	if (json_typeof(v) != type) {
		bad(c, "%s.%s: expected %s, found %s", where, key, tname(type),
		    tname(json_typeof(v)));
		return NULL;
	}
	return v;
}

/* A count stored as a string ("136"), or a plain integer. */
static int
strnum(jctx *c, const json_t *obj, const char *where, const char *key,
    long min, long max, long *out)
{
	json_t *v = json_object_get(obj, key);
	const char *s;

	if (v == NULL)
		return bad(c, "%s: expected a member \"%s\"", where, key);
	if (json_is_integer(v) && json_integer_value(v) >= min &&
	    json_integer_value(v) <= max) {
		*out = (long)json_integer_value(v);
		return PF_OK;
	}
	if (!json_is_string(v) || (s = json_string_value(v),
	    pf_parse_long(s, strlen(s), min, max, out) != 0))
		return bad(c, "%s.%s: expected an integer in [%ld, %ld] "
		    "(as a string), found %s", where, key, min, max,
		    json_is_string(v) ? json_string_value(v) :
		    tname(json_typeof(v)));
	return PF_OK;
}

/* An array of exactly n elements (n == (size_t)-1: any length). */
static json_t *
array(jctx *c, const json_t *obj, const char *where, const char *key,
    size_t n)
{
	json_t *a = member(c, obj, where, key, JSON_ARRAY);

	if (a != NULL && n != (size_t)-1 && json_array_size(a) != n) {
		bad(c, "%s.%s: expected %zu elements, found %zu", where, key,
		    n, json_array_size(a));
		return NULL;
	}
	return a;
}

static int
elem_long(jctx *c, const json_t *a, size_t i, const char *where,
    const char *key, long min, long max, long *out)
{
	const json_t *v = json_array_get(a, i);

	if (json_is_boolean(v)) {	/* default_left may be written so */
		*out = json_is_true(v);
		if (*out >= min && *out <= max)
			return PF_OK;
	}
	if (!json_is_integer(v) || json_integer_value(v) < min ||
	    json_integer_value(v) > max)
		return bad(c, "%s.%s[%zu]: expected an integer in [%ld, %ld], "
		    "found %s", where, key, i, min, max, json_is_integer(v) ?
		    "one out of range" : tname(json_typeof(v)));
	*out = (long)json_integer_value(v);
	return PF_OK;
}

static int
elem_float(jctx *c, const json_t *a, size_t i, const char *where,
    const char *key, float *out)
{
	const json_t *v = json_array_get(a, i);

	if (!json_is_number(v))
		return bad(c, "%s.%s[%zu]: expected a number, found %s", where,
		    key, i, tname(json_typeof(v)));
	*out = (float)json_number_value(v);
	return PF_OK;
}

/* "5E-1" (1.x, 2.x) or "[5E-1]" (3.x): one float32 value. */
static int
base_score(jctx *c, const json_t *lmp, float *out)
{
	json_t *v = member(c, lmp, "learner.learner_model_param",
	    "base_score", JSON_STRING);
	char buf[64], *end;
	const char *s;
	size_t n;

	if (v == NULL)
		return PF_EFORMAT;
	s = json_string_value(v);
	n = strlen(s);
	if (n >= 2 && s[0] == '[' && s[n - 1] == ']') {
		s++;
		n -= 2;
	}
	if (n == 0 || n >= sizeof(buf) || memchr(s, ',', n) != NULL)
		return bad(c, "learner.learner_model_param.base_score: expected "
		    "one number, found \"%s\"", json_string_value(v));
	memcpy(buf, s, n);
	buf[n] = '\0';
	*out = strtof(buf, &end);	/* correctly rounded, as XGBoost's */
	if (end != buf + n)
		return bad(c, "learner.learner_model_param.base_score: expected "
		    "a number, found \"%s\"", json_string_value(v));
	return PF_OK;
}

/* ObjFunction::ProbToMargin in XGBoost 1.7.4, in float as it computes it. */
static float
prob_to_margin(const char *obj, float b)
{
	static const char *const logit[] = {"binary:logistic",
	    "reg:logistic", NULL};
	static const char *const loglink[] = {"count:poisson", "reg:gamma",
	    "reg:tweedie", "survival:cox", "survival:aft", NULL};

	for (size_t i = 0; logit[i] != NULL; i++)
		if (strcmp(obj, logit[i]) == 0)
			return -logf(1.0f / b - 1.0f);
	for (size_t i = 0; loglink[i] != NULL; i++)
		if (strcmp(obj, loglink[i]) == 0)
			return logf(b);
	return b;
}

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

static int
load_tree(jctx *c, pf_gbdt *m, const json_t *t, size_t ti, float w,
    int dart, uint32_t **dep, uint32_t **stack, size_t *cap)
{
	char where[96];
	const json_t *L, *R, *F, *C, *D, *S;
	const json_t *tp;
	pf_xnode *xn;
	long nn, v, sz, depth;
	size_t off = m->toff[ti];

	snprintf(where, sizeof(where),
	    "learner.gradient_booster.model.trees[%zu]", ti);
	if (!json_is_object(t))
		return bad(c, "%s: expected an object, found %s", where,
		    tname(json_typeof(t)));
	if ((tp = member(c, t, where, "tree_param", JSON_OBJECT)) == NULL)
		return PF_EFORMAT;
	if (strnum(c, tp, where, "num_nodes", 1, INT32_MAX, &nn) != PF_OK)
		return PF_EFORMAT;
	if (json_object_get(tp, "size_leaf_vector") != NULL) {
		if (strnum(c, tp, where, "size_leaf_vector", 0, INT32_MAX,
		    &sz) != PF_OK)
			return PF_EFORMAT;
		if (sz > 1)
			return bad(c, "%s: vector leaves (multi-target trees) "
			    "are not supported", where);
	}
	if ((L = array(c, t, where, "left_children", (size_t)nn)) == NULL ||
	    (R = array(c, t, where, "right_children", (size_t)nn)) == NULL ||
	    (F = array(c, t, where, "split_indices", (size_t)nn)) == NULL ||
	    (C = array(c, t, where, "split_conditions", (size_t)nn)) == NULL ||
	    (D = array(c, t, where, "default_left", (size_t)nn)) == NULL)
		return PF_EFORMAT;
	if ((S = json_object_get(t, "split_type")) != NULL) {
		if ((S = array(c, t, where, "split_type", (size_t)nn)) == NULL)
			return PF_EFORMAT;
		for (size_t i = 0; i < (size_t)nn; i++) {
			if (elem_long(c, S, i, where, "split_type", 0, 1, &v))
				return PF_EFORMAT;
			if (v != 0 && json_integer_value(json_array_get(L, i))
			    != -1)
				return bad(c, "%s: node %zu is a categorical "
				    "split, which is not supported", where, i);
		}
	}
	/* Grow the node pool. */
	if ((xn = pf_grow(m->xn, &cap[0], off + (size_t)nn,
	    sizeof(*xn))) == NULL)
		return pf_err_set(c->err, PF_ENOMEM, c->path, 0,
		    "out of memory");
	m->xn = xn;
	if ((size_t)nn > cap[1]) {
		free(*dep);
		free(*stack);
		*dep = malloc((size_t)nn * sizeof(**dep));
		*stack = malloc((size_t)nn * sizeof(**stack));
		if (*dep == NULL || *stack == NULL)
			return pf_err_set(c->err, PF_ENOMEM, c->path, 0,
			    "out of memory");
		cap[1] = (size_t)nn;
	}
	for (size_t i = 0; i < (size_t)nn; i++) {
		pf_xnode *x = &m->xn[off + i];
		long l, r, f, dl;
		if (elem_long(c, L, i, where, "left_children", -1, nn - 1, &l) ||
		    elem_long(c, R, i, where, "right_children", -1, nn - 1,
		    &r) || elem_long(c, F, i, where, "split_indices", 0,
		    INT32_MAX, &f) || elem_long(c, D, i, where, "default_left",
		    0, 1, &dl) || elem_float(c, C, i, where, "split_conditions",
		    &x->val))
			return PF_EFORMAT;
		if ((l == -1) != (r == -1) || (l != -1 && r != l + 1))
			return bad(c, "%s: node %zu: expected right_children = "
			    "left_children + 1 (or both -1), found %ld and %ld",
			    where, i, l, r);
		x->left = (int32_t)l;
		x->feat = l < 0 ? 0 : (uint32_t)f;
		x->dleft = (uint32_t)dl;
		if (l >= 0 && (size_t)f + 1 > m->nfeat)
			m->nfeat = (size_t)f + 1;
		if (l < 0 && dart)	/* XGBoost: out += (0 + leaf) * w */
			x->val = (0.0f + x->val) * w;
	}
	if ((depth = xtree_depth(m->xn + off, (size_t)nn, *dep, *stack)) < 0)
		return bad(c, "%s: the children do not form a tree rooted at "
		    "node 0", where);
	if (depth > m->maxdepth)
		m->maxdepth = (int)depth;
	m->toff[ti + 1] = off + (size_t)nn;
	return PF_OK;
}

static int
load_trees(jctx *c, pf_gbdt *m, const json_t *gb, int dart)
{
	const char *where = "learner.gradient_booster.model";
	const json_t *model, *trees, *mp, *wd = NULL;
	uint32_t *dep = NULL, *stack = NULL;
	size_t cap[2] = {0, 0}, nt;
	long ntl;
	int rc = PF_OK;

	if (dart) {
		const json_t *inner;
		if ((wd = array(c, gb, "learner.gradient_booster",
		    "weight_drop", (size_t)-1)) == NULL ||
		    (inner = member(c, gb, "learner.gradient_booster", "gbtree",
		    JSON_OBJECT)) == NULL)
			return PF_EFORMAT;
		gb = inner;
	}
	if ((model = member(c, gb, "learner.gradient_booster", "model",
	    JSON_OBJECT)) == NULL ||
	    (trees = array(c, model, where, "trees", (size_t)-1)) == NULL)
		return PF_EFORMAT;
	nt = json_array_size(trees);
	if ((mp = json_object_get(model, "gbtree_model_param")) != NULL &&
	    json_is_object(mp) && json_object_get(mp, "num_trees") != NULL) {
		if (strnum(c, mp, where, "num_trees", 0, LONG_MAX, &ntl) != PF_OK)
			return PF_EFORMAT;
		if ((size_t)ntl != nt)
			return bad(c, "%s: gbtree_model_param.num_trees says %ld, "
			    "found %zu trees", where, ntl, nt);
	}
	if (wd != NULL && json_array_size(wd) != nt)
		return bad(c, "learner.gradient_booster.weight_drop: expected "
		    "%zu elements (one per tree), found %zu", nt,
		    json_array_size(wd));
	if ((m->toff = calloc(nt + 1, sizeof(*m->toff))) == NULL)
		return pf_err_set(c->err, PF_ENOMEM, c->path, 0, "out of memory");
	m->ntrees = nt;
	for (size_t i = 0; i < nt && rc == PF_OK; i++) {
		float w = 1.0f;
		if (wd != NULL)
			rc = elem_float(c, wd, i, "learner.gradient_booster",
			    "weight_drop", &w);
		if (rc == PF_OK)
			rc = load_tree(c, m, json_array_get(trees, i), i, w,
			    wd != NULL, &dep, &stack, cap);
	}
	free(dep);
	free(stack);
	return rc;
}

static int
load_linear(jctx *c, pf_gbdt *m, const json_t *gb, size_t nf)
{
	const char *where = "learner.gradient_booster.model";
	const json_t *model, *w;

	if ((model = member(c, gb, "learner.gradient_booster", "model",
	    JSON_OBJECT)) == NULL ||
	    (w = array(c, model, where, "weights", nf + 1)) == NULL)
		return PF_EFORMAT;
	if ((m->lin_w = malloc((nf ? nf : 1) * sizeof(float))) == NULL)
		return pf_err_set(c->err, PF_ENOMEM, c->path, 0, "out of memory");
	for (size_t j = 0; j < nf; j++)
		if (elem_float(c, w, j, where, "weights", &m->lin_w[j]) != PF_OK)
			return PF_EFORMAT;
	return elem_float(c, w, nf, where, "weights", &m->lin_bias);
}

int
pf_gbdt__load_xgb(pf_gbdt *m, const char *buf, size_t len, const char *path,
    pf_err *err)
{
	jctx c = {path, err};
	json_error_t je;
	json_t *root, *lr, *lmp, *obj, *gb, *name;
	const char *bname;
	long nf, ncls, ntg = 1;
	float bs = 0.5f;
	int rc = PF_EFORMAT;

	/* UBJSON also opens with '{', then a type marker, never '"'. */
	const char *p = buf;
	while (p < buf + len && strchr(" \t\r\n", *p) != NULL && *p != '\0')
		p++;
	if (p + 1 < buf + len && *p == '{' && strchr("\" \t\r\n}", p[1]) ==
	    NULL)
		return bad(&c, "UBJSON models are not supported: save the "
		    "model as .json");
	if ((root = json_loadb(buf, len, 0, &je)) == NULL)
		return pf_err_set(err, PF_EFORMAT, path, je.line,
		    "invalid JSON (column %d): %s", je.column, je.text);
	if (!json_is_object(root)) {
		bad(&c, "expected a JSON object at the top level");
		goto done;
	}
	if ((lr = member(&c, root, "model", "learner", JSON_OBJECT)) == NULL ||
	    (lmp = member(&c, lr, "learner", "learner_model_param",
	    JSON_OBJECT)) == NULL ||
	    (obj = member(&c, lr, "learner", "objective", JSON_OBJECT)) ==
	    NULL ||
	    (name = member(&c, obj, "learner.objective", "name",
	    JSON_STRING)) == NULL ||
	    (gb = member(&c, lr, "learner", "gradient_booster",
	    JSON_OBJECT)) == NULL || base_score(&c, lmp, &bs) != PF_OK ||
	    strnum(&c, lmp, "learner.learner_model_param", "num_feature", 0,
	    INT32_MAX, &nf) != PF_OK ||
	    strnum(&c, lmp, "learner.learner_model_param", "num_class", 0,
	    INT32_MAX, &ncls) != PF_OK)
		goto done;
	if (json_object_get(lmp, "num_target") != NULL &&
	    strnum(&c, lmp, "learner.learner_model_param", "num_target", 0,
	    INT32_MAX, &ntg) != PF_OK)
		goto done;
	if (ncls > 1 || ntg > 1) {
		bad(&c, "models with several outputs (num_class %ld, "
		    "num_target %ld) are not supported: one margin per row",
		    ncls, ntg);
		goto done;
	}
	if ((m->objective = strdup(json_string_value(name))) == NULL) {
		rc = pf_err_set(err, PF_ENOMEM, path, 0, "out of memory");
		goto done;
	}
	m->kind = PF_GBDT_XGBOOST;
	m->nfeat = (size_t)nf;
	m->base = prob_to_margin(m->objective, bs);
	if ((name = member(&c, gb, "learner.gradient_booster", "name",
	    JSON_STRING)) == NULL)
		goto done;
	bname = json_string_value(name);
	if (strcmp(bname, "gbtree") == 0 || strcmp(bname, "dart") == 0)
		rc = load_trees(&c, m, gb, bname[0] == 'd');
	else if (strcmp(bname, "gblinear") == 0)
		rc = load_linear(&c, m, gb, (size_t)nf);
	else
		bad(&c, "learner.gradient_booster.name: expected gbtree, dart "
		    "or gblinear, found \"%s\"", bname);
	if (rc == PF_OK)
		snprintf(m->booster, sizeof(m->booster), "%s", bname);
done:
	json_decref(root);
	return rc;
}
