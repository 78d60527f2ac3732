/*
 * xgb_json.c — XGBoost JSON models (save_model("m.json"), format of 1.x to
 * 3.x; shared/MODELS.md 2.1-2.2), parsed with jansson; the trees are
 * xgb_trees.c's.
 *
 * Read: learner.learner_model_param (base_score, num_feature, num_class,
 * num_target: strings), learner.objective.name, and the booster:
 *   gbtree    model.trees[i] (xgb_trees.c)
 *   dart      gbtree.model as above, plus weight_drop[i]
 *   gblinear  model.weights: num_feature weights then one bias
 * Everything else (attributes, feature names) is ignored. The base margin
 * is base_score through the objective's ProbToMargin as XGBoost 1.7.4
 * computes it in float: -logf(1/b - 1) for binary:logistic and
 * reg:logistic, logf(b) for the log-link objectives, b otherwise (checked
 * against libxgboost for each objective).
 *
 * Refused with PF_EFORMAT: UBJSON, invalid JSON, a key given twice in one
 * object (jansson's JSON_REJECT_DUPLICATES: which one would count?),
 * several output groups (num_class > 1, num_target > 1), a base_score,
 * weight or bias that is not a finite float32, more than PF_GBDT_MAXFEAT
 * features; with PF_EDATA: a base_score outside the objective's domain
 * (its margin would not be finite, e.g. 1 for binary:logistic); and what
 * xgb_trees.c refuses in the trees. Errors name the file and the member
 * ("learner.gradient_booster.model.trees[3].split_conditions[7]").
 */
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "harness/model/internal.h"
#include "harness/util/scan.h"

int
pf_xgb__bad(pf_xgb_ctx *c, int code, const char *fmt, ...)
{
	char msg[400];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return pf_err_set(c->err, code, c->path, 0, "%s", msg);
}

int
pf_xgb__nomem(pf_xgb_ctx *c, size_t n, size_t sz, const char *what)
{
	return pf_err_set(c->err, PF_ENOMEM, c->path, 0, "out of memory: "
	    "cannot allocate %zu %s of %zu bytes each", n, what, sz);
}

const char *
pf_xgb__tname(int t)
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

json_t *
pf_xgb__member(pf_xgb_ctx *c, const json_t *obj, const char *where,
    const char *key, int type)
{
	json_t *v = json_object_get(obj, key);

	if (v == NULL) {
		pf_xgb__bad(c, PF_EFORMAT, "%s: expected a member \"%s\"", where,
		    key);
		return NULL;
	}
	if ((int)json_typeof(v) != type) {
		pf_xgb__bad(c, PF_EFORMAT, "%s.%s: expected %s, found %s", where,
		    key, pf_xgb__tname(type), pf_xgb__tname(json_typeof(v)));
		return NULL;
	}
	return v;
}

int
pf_xgb__strnum(pf_xgb_ctx *c, const json_t *obj, const char *where,
    const char *key, long min, long max, long *out)
{
	json_t *v = json_object_get(obj, key);
	const char *s;

	if (v == NULL)
		return pf_xgb__bad(c, PF_EFORMAT, "%s: expected a member \"%s\"",
		    where, key);
	if (json_is_integer(v) && json_integer_value(v) >= min &&
	    json_integer_value(v) <= max) {
		*out = (long)json_integer_value(v);
		return PF_OK;
	}
	if (!json_is_string(v) || (s = json_string_value(v),
	    pf_parse_long(s, strlen(s), min, max, out) != 0))
		return pf_xgb__bad(c, PF_EFORMAT, "%s.%s: expected an integer in "
		    "[%ld, %ld] (as a string), found %s", where, key, min, max,
		    json_is_string(v) ? json_string_value(v) :
		    pf_xgb__tname(json_typeof(v)));
	return PF_OK;
}

json_t *
pf_xgb__array(pf_xgb_ctx *c, const json_t *obj, const char *where,
    const char *key, size_t n)
{
	json_t *a = pf_xgb__member(c, obj, where, key, JSON_ARRAY);

	if (a != NULL && n != (size_t)-1 && json_array_size(a) != n) {
		pf_xgb__bad(c, PF_EFORMAT, "%s.%s: expected %zu elements, found "
		    "%zu", where, key, n, json_array_size(a));
		return NULL;
	}
	return a;
}

int
pf_xgb__long(pf_xgb_ctx *c, const json_t *a, size_t i, const char *where,
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
		return pf_xgb__bad(c, PF_EFORMAT, "%s.%s[%zu]: expected an "
		    "integer in [%ld, %ld], found %s", where, key, i, min, max,
		    json_is_integer(v) ? "one out of range" :
		    pf_xgb__tname(json_typeof(v)));
	*out = (long)json_integer_value(v);
	return PF_OK;
}

int
pf_xgb__float(pf_xgb_ctx *c, const json_t *a, size_t i, const char *where,
    const char *key, float *out)
{
	const json_t *v = json_array_get(a, i);

	if (!json_is_number(v))
		return pf_xgb__bad(c, PF_EFORMAT, "%s.%s[%zu]: expected a number, "
		    "found %s", where, key, i, pf_xgb__tname(json_typeof(v)));
	*out = (float)json_number_value(v);
	if (!isfinite(*out))	/* 1e39 is a finite double, inf in float32 */
		return pf_xgb__bad(c, PF_EFORMAT, "%s.%s[%zu]: %g is not a finite "
		    "float32 (thresholds, leaf values and weights must be "
		    "finite)", where, key, i, json_number_value(v));
	return PF_OK;
}

/* "5E-1" (1.x, 2.x) or "[5E-1]" (3.x): one finite float32 value. */
static int
base_score(pf_xgb_ctx *c, const json_t *lmp, float *out)
{
	const char *where = "learner.learner_model_param.base_score";
	json_t *v = pf_xgb__member(c, lmp, "learner.learner_model_param",
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
		return pf_xgb__bad(c, PF_EFORMAT, "%s: expected one number, "
		    "found \"%s\"", where, json_string_value(v));
	memcpy(buf, s, n);
	buf[n] = '\0';
	*out = strtof(buf, &end);	/* correctly rounded, as XGBoost's */
	if (end != buf + n)
		return pf_xgb__bad(c, PF_EFORMAT, "%s: expected a number, found "
		    "\"%s\"", where, json_string_value(v));
	if (!isfinite(*out))
		return pf_xgb__bad(c, PF_EFORMAT, "%s: expected a finite float32, "
		    "found \"%s\"", where, json_string_value(v));
	return PF_OK;
}

/* ObjFunction::ProbToMargin in XGBoost 1.7.4, in float as it computes it. */
/*
 * The objectives XGBoost (1.x to 3.x) writes: the base margin depends on
 * the objective, so a name outside this list (a typo, a custom objective)
 * is refused rather than scored with a guessed base.
 */
static const char *const known_objectives[] = {
	"reg:squarederror", "reg:squaredlogerror", "reg:logistic",
	"reg:pseudohubererror", "reg:absoluteerror", "reg:quantileerror",
	"reg:linear", "reg:gamma", "reg:tweedie", "binary:logistic",
	"binary:logitraw", "binary:hinge", "count:poisson", "survival:cox",
	"survival:aft", "multi:softmax", "multi:softprob", "rank:pairwise",
	"rank:ndcg", "rank:map", NULL
};

static int
known_objective(pf_xgb_ctx *c, const char *obj)
{
	for (size_t i = 0; known_objectives[i] != NULL; i++)
		if (strcmp(obj, known_objectives[i]) == 0)
			return PF_OK;
	return pf_xgb__bad(c, PF_EDATA, "learner.objective.name: \"%.80s\" is "
	    "not an objective XGBoost writes, so its base margin is unknown "
	    "(expected e.g. rank:pairwise, rank:ndcg, binary:logistic or "
	    "reg:squarederror)", obj);
}

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

static int
load_linear(pf_xgb_ctx *c, pf_gbdt *m, const json_t *gb, size_t nf)
{
	const char *where = "learner.gradient_booster.model";
	const json_t *model, *w;

	if ((model = pf_xgb__member(c, gb, "learner.gradient_booster", "model",
	    JSON_OBJECT)) == NULL ||
	    (w = pf_xgb__array(c, model, where, "weights", nf + 1)) == NULL)
		return PF_EFORMAT;
	if ((m->lin_w = malloc((nf ? nf : 1) * sizeof(float))) == NULL)
		return pf_xgb__nomem(c, nf, sizeof(float), "weights");
	for (size_t j = 0; j < nf; j++)
		if (pf_xgb__float(c, w, j, where, "weights", &m->lin_w[j]) !=
		    PF_OK)
			return PF_EFORMAT;
	return pf_xgb__float(c, w, nf, where, "weights", &m->lin_bias);
}

/* jansson's error, and what the model's rules make of it. */
static int
parse_error(pf_xgb_ctx *c, const json_error_t *je, size_t len)
{
	const char *near = strstr(je->text, "near '"), *why = "";

	switch (json_error_code(je)) {
	case json_error_out_of_memory:
		return pf_err_set(c->err, PF_ENOMEM, c->path, 0, "out of memory: "
		    "cannot parse %zu bytes of JSON", len);
	case json_error_duplicate_key:	/* which one would count? */
		why = " (a key may appear once in an object)";
		break;
	case json_error_numeric_overflow:
		why = " (model values must be finite)";
		break;
	case json_error_invalid_syntax:
		if (near != NULL && strchr("NnIi", near[6]) != NULL)
			why = " (NaN and infinities are not JSON numbers, and "
			    "model values must be finite)";
		break;
	default:
		break;
	}
	return pf_err_set(c->err, PF_EFORMAT, c->path, je->line,
	    "invalid JSON (column %d): %s%s", je->column, je->text, why);
}

/* learner.feature_names: one string per feature, or ignored. */
static int
feature_names(pf_gbdt *m, json_t *a)
{
	size_t n = json_is_array(a) ? json_array_size(a) : 0;
	const char **s = calloc(n + 1, sizeof(*s));
	size_t *len = calloc(n + 1, sizeof(*len));
	int rc = s != NULL && len != NULL ? PF_OK : PF_ENOMEM;

	for (size_t j = 0; rc == PF_OK && j < n; j++) {
		json_t *v = json_array_get(a, j);
		if (!json_is_string(v)) {
			n = 0;	/* not names: ignored */
			break;
		}
		s[j] = json_string_value(v);
		len[j] = json_string_length(v);
	}
	if (rc == PF_OK && n > 0)
		rc = pf_gbdt__set_names(m, s, len, n);
	free(s);
	free(len);
	return rc;
}

/*
 * learner_model_param: base_score (into *bs), num_feature (into *nf), one
 * output (num_class <= 1, num_target <= 1).
 */
static int
model_params(pf_xgb_ctx *c, const json_t *lmp, float *bs, long *nf)
{
	const char *where = "learner.learner_model_param";
	long ncls, ntg = 1;

	if (base_score(c, lmp, bs) != PF_OK ||
	    pf_xgb__strnum(c, lmp, where, "num_feature", 0, INT32_MAX, nf) !=
	    PF_OK ||
	    pf_xgb__strnum(c, lmp, where, "num_class", 0, INT32_MAX, &ncls) !=
	    PF_OK)
		return PF_EFORMAT;
	if (json_object_get(lmp, "num_target") != NULL &&
	    pf_xgb__strnum(c, lmp, where, "num_target", 0, INT32_MAX, &ntg) !=
	    PF_OK)
		return PF_EFORMAT;
	if (ncls > 1 || ntg > 1)
		return pf_xgb__bad(c, PF_EFORMAT, "models with several outputs "
		    "(num_class %ld, num_target %ld) are not supported: one "
		    "margin per row", ncls, ntg);
	if ((size_t)*nf > PF_GBDT_MAXFEAT)
		return pf_xgb__bad(c, PF_EFORMAT, "%s.num_feature: %ld features "
		    "per row (%zu bytes) asked for: at most %zu are supported",
		    where, *nf, (size_t)*nf * sizeof(float), PF_GBDT_MAXFEAT);
	return PF_OK;
}

int
pf_gbdt__load_xgb(pf_gbdt *m, const char *buf, size_t len, const char *path,
    pf_err *err)
{
	pf_xgb_ctx c = {path, err};
	json_error_t je;
	json_t *root, *lr, *lmp, *obj, *gb, *name;
	const char *bname;
	long nf;
	float bs = 0.5f;
	int rc = PF_EFORMAT;

	/* UBJSON also opens with '{', then a type marker, never '"'. */
	const char *p = buf;
	while (p < buf + len && strchr(" \t\r\n", *p) != NULL && *p != '\0')
		p++;
	if (p + 1 < buf + len && *p == '{' && strchr("\" \t\r\n}", p[1]) ==
	    NULL)
		return pf_xgb__bad(&c, PF_EFORMAT, "UBJSON models are not "
		    "supported: save the model as .json");
	if ((root = json_loadb(buf, len, JSON_REJECT_DUPLICATES, &je)) == NULL)
		return parse_error(&c, &je, len);
	if (!json_is_object(root)) {
		pf_xgb__bad(&c, PF_EFORMAT, "expected a JSON object at the top "
		    "level");
		goto done;
	}
	if ((lr = pf_xgb__member(&c, root, "model", "learner",
	    JSON_OBJECT)) == NULL ||
	    (lmp = pf_xgb__member(&c, lr, "learner", "learner_model_param",
	    JSON_OBJECT)) == NULL ||
	    (obj = pf_xgb__member(&c, lr, "learner", "objective",
	    JSON_OBJECT)) == NULL ||
	    (name = pf_xgb__member(&c, obj, "learner.objective", "name",
	    JSON_STRING)) == NULL ||
	    (gb = pf_xgb__member(&c, lr, "learner", "gradient_booster",
	    JSON_OBJECT)) == NULL || model_params(&c, lmp, &bs, &nf) != PF_OK)
		goto done;
	if ((m->objective = strdup(json_string_value(name))) == NULL) {
		rc = pf_xgb__nomem(&c, strlen(json_string_value(name)) + 1, 1,
		    "bytes of objective");
		goto done;
	}
	if (known_objective(&c, m->objective) != PF_OK) {
		rc = PF_EDATA;
		goto done;
	}
	m->kind = PF_GBDT_XGBOOST;
	m->nfeat = (size_t)nf;
	m->base = prob_to_margin(m->objective, bs);
	if (!isfinite(m->base)) {	/* e.g. 1 for binary:logistic */
		rc = pf_xgb__bad(&c, PF_EDATA, "learner.learner_model_param."
		    "base_score: %g is outside what objective \"%s\" accepts "
		    "(its base margin would be %g)", (double)bs, m->objective,
		    (double)m->base);
		goto done;
	}
	if (feature_names(m, json_object_get(lr, "feature_names")) != PF_OK) {
		rc = pf_xgb__nomem(&c, m->nfeat, sizeof(char *),
		    "feature names");
		goto done;
	}
	if ((name = pf_xgb__member(&c, gb, "learner.gradient_booster", "name",
	    JSON_STRING)) == NULL)
		goto done;
	bname = json_string_value(name);
	if (strcmp(bname, "gbtree") == 0 || strcmp(bname, "dart") == 0)
		rc = pf_xgb__trees(&c, m, gb, bname[0] == 'd');
	else if (strcmp(bname, "gblinear") == 0)
		rc = load_linear(&c, m, gb, (size_t)nf);
	else
		pf_xgb__bad(&c, PF_EFORMAT, "learner.gradient_booster.name: "
		    "expected gbtree, dart or gblinear, found \"%s\"", bname);
	if (rc == PF_OK)
		snprintf(m->booster, sizeof(m->booster), "%s", bname);
done:
	json_decref(root);
	return rc;
}
