/*
 * harness/model/xgb_json.c — XGBoost's JSON model (save_model("m.json")):
 * gbtree, dart and gblinear, read with jansson (../shared/MODELS.md 2.1–2.2).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "harness/model/internal.h"

static json_t *
path_get(json_t *o, const char *const *keys)
{
	for (; *keys != NULL && o != NULL; keys++)
		o = json_object_get(o, *keys);
	return o;
}

static int
bad(pf_err *err, const char *path, const char *what)
{
	return pf_err_set(err, PF_EFORMAT, path, 0, "not an XGBoost JSON model "
	    "this version reads: %s", what);
}

/* A number given as a JSON string ("5E-1", "[5E-1]") or number. */
static int
num_field(json_t *v, double *out)
{
	if (json_is_number(v)) {
		*out = json_number_value(v);
		return 0;
	}
	if (!json_is_string(v))
		return -1;
	const char *s = json_string_value(v);
	char *end;
	if (*s == '[')
		s++;
	*out = strtod(s, &end);
	return end == s ? -1 : 0;
}

static int
int_at(json_t *a, size_t i, long *out)
{
	json_t *v = json_array_get(a, i);

	if (json_is_integer(v))
		*out = (long)json_integer_value(v);
	else if (json_is_boolean(v))
		*out = json_is_true(v);
	else
		return -1;
	return 0;
}

static int
load_trees(pf_gbdt *m, json_t *model, const char *path, pf_err *err)
{
	json_t *trees = json_object_get(model, "trees");
	size_t nt = json_array_size(trees), total = 0;

	if (!json_is_array(trees))
		return bad(err, path, "no gradient_booster.model.trees array");
	if ((m->toff = calloc(nt + 1, sizeof(*m->toff))) == NULL)
		goto nomem;
	for (size_t t = 0; t < nt; t++) {
		json_t *tr = json_array_get(trees, t);
		size_t n = json_array_size(json_object_get(tr,
		    "left_children"));
		m->toff[t] = total;
		total += n;
		if (n == 0)
			return bad(err, path, "a tree without nodes");
	}
	m->toff[nt] = total;
	m->ntrees = nt;
	if ((m->left = malloc(total * sizeof(*m->left))) == NULL ||
	    (m->right = malloc(total * sizeof(*m->right))) == NULL ||
	    (m->feat = malloc(total * sizeof(*m->feat))) == NULL ||
	    (m->cond = malloc(total * sizeof(*m->cond))) == NULL ||
	    (m->defl = malloc(total * sizeof(*m->defl))) == NULL)
		goto nomem;
	for (size_t t = 0; t < nt; t++) {
		json_t *tr = json_array_get(trees, t);
		json_t *lc = json_object_get(tr, "left_children"),
		    *rc = json_object_get(tr, "right_children"),
		    *si = json_object_get(tr, "split_indices"),
		    *sc = json_object_get(tr, "split_conditions"),
		    *dl = json_object_get(tr, "default_left"),
		    *st = json_object_get(tr, "split_type");
		size_t n = m->toff[t + 1] - m->toff[t], o = m->toff[t];
		char what[128];

		if (json_array_size(rc) != n || json_array_size(si) != n ||
		    json_array_size(sc) != n || json_array_size(dl) != n) {
			snprintf(what, sizeof(what), "tree %zu: node arrays of "
			    "different lengths", t);
			return bad(err, path, what);
		}
		for (size_t i = 0; i < n; i++) {
			long l, r, f, d, s = 0;
			double c;
			if (int_at(lc, i, &l) || int_at(rc, i, &r) ||
			    int_at(si, i, &f) || int_at(dl, i, &d) ||
			    !json_is_number(json_array_get(sc, i)) ||
			    (st && int_at(st, i, &s))) {
				snprintf(what, sizeof(what), "tree %zu node "
				    "%zu: a field is not a number", t, i);
				return bad(err, path, what);
			}
			c = json_number_value(json_array_get(sc, i));
			if (s != 0)
				return bad(err, path, "categorical splits are "
				    "not supported");
			if (l != -1 && (l <= (long)i || l >= (long)n ||
			    r != l + 1 || r >= (long)n || f < 0 ||
			    f > 100000000)) {
				snprintf(what, sizeof(what), "tree %zu node "
				    "%zu: bad child or feature index", t, i);
				return bad(err, path, what);
			}
			m->left[o + i] = (int32_t)l;
			m->right[o + i] = (int32_t)r;
			m->feat[o + i] = (int32_t)(l == -1 ? 0 : f);
			m->cond[o + i] = (float)c;
			m->defl[o + i] = d != 0;
			if (l != -1 && (size_t)f + 1 > m->nfeat)
				m->nfeat = (size_t)f + 1;
		}
	}
	return PF_OK;
nomem:
	return pf_err_set(err, PF_ENOMEM, path, 0, "out of memory");
}

int
pf_gbdt__load_xgb(pf_gbdt *m, const char *path, const char *text,
    size_t len, pf_err *err)
{
	static const char *const kparam[] = {"learner", "learner_model_param",
	    NULL};
	static const char *const kobj[] = {"learner", "objective", "name",
	    NULL};
	static const char *const kgb[] = {"learner", "gradient_booster", NULL};
	json_error_t je;
	json_t *doc = json_loadb(text, len, 0, &je), *gb, *param;
	double base = 0.5, nf = 0;
	int rc = PF_OK;

	if (doc == NULL)
		return pf_err_set(err, PF_EFORMAT, path, je.line, "invalid JSON: "
		    "%s", je.text);
	m->kind = PF_GBDT_XGBOOST;
	param = path_get(doc, kparam);
	gb = path_get(doc, kgb);
	if (param == NULL || gb == NULL) {
		rc = bad(err, path, "no learner.learner_model_param or "
		    "learner.gradient_booster");
		goto done;
	}
	if (num_field(json_object_get(param, "base_score"), &base) != 0 ||
	    num_field(json_object_get(param, "num_feature"), &nf) != 0 ||
	    !(nf >= 0 && nf < 1e8)) {
		rc = bad(err, path, "base_score or num_feature missing");
		goto done;
	}
	double ncls = 0, ntg = 1;
	num_field(json_object_get(param, "num_class"), &ncls);
	num_field(json_object_get(param, "num_target"), &ntg);
	if (ncls > 1 || ntg > 1) {
		rc = bad(err, path, "multi-class and multi-target models are "
		    "not supported");
		goto done;
	}
	m->nfeat = (size_t)nf;
	json_t *on = path_get(doc, kobj);
	snprintf(m->objective, sizeof(m->objective), "%s",
	    json_is_string(on) ? json_string_value(on) : "");
	/* XGBoost 1.7: base margin in float; logit for logistic objectives */
	float b = (float)base;
	if (strcmp(m->objective, "binary:logistic") == 0 ||
	    strcmp(m->objective, "reg:logistic") == 0)
		m->base = -logf(1.0f / b - 1.0f);
	else
		m->base = b;
	const char *name = json_string_value(json_object_get(gb, "name"));
	if (name == NULL) {
		rc = bad(err, path, "no gradient_booster.name");
	} else if (strcmp(name, "gblinear") == 0) {
		json_t *w = json_object_get(json_object_get(gb, "model"),
		    "weights");
		size_t n = json_array_size(w);
		if (n != m->nfeat + 1) {
			rc = bad(err, path, "gblinear weights are not "
			    "num_feature + 1 numbers");
			goto done;
		}
		m->linear = 1;
		if ((m->w = malloc((n ? n : 1) * sizeof(*m->w))) == NULL) {
			rc = pf_err_set(err, PF_ENOMEM, path, 0,
			    "out of memory");
			goto done;
		}
		for (size_t i = 0; i < n; i++) {
			json_t *v = json_array_get(w, i);
			if (!json_is_number(v)) {
				rc = bad(err, path, "a gblinear weight is not "
				    "a number");
				goto done;
			}
			m->w[i] = (float)json_number_value(v);
		}
		m->bias = m->w[m->nfeat];
	} else if (strcmp(name, "gbtree") == 0) {
		rc = load_trees(m, json_object_get(gb, "model"), path, err);
	} else if (strcmp(name, "dart") == 0) {
		json_t *inner = json_object_get(gb, "gbtree");
		json_t *wd = json_object_get(gb, "weight_drop");
		rc = load_trees(m, json_object_get(inner, "model"), path, err);
		if (rc == PF_OK && json_array_size(wd) != m->ntrees)
			rc = bad(err, path, "dart weight_drop does not match "
			    "the trees");
		if (rc == PF_OK && (m->tweight = malloc((m->ntrees + 1) *
		    sizeof(float))) == NULL)
			rc = pf_err_set(err, PF_ENOMEM, path, 0,
			    "out of memory");
		for (size_t t = 0; rc == PF_OK && t < m->ntrees; t++)
			m->tweight[t] = (float)json_number_value(
			    json_array_get(wd, t));
	} else {
		rc = bad(err, path, "unknown booster (want gbtree, dart or "
		    "gblinear)");
	}
done:
	json_decref(doc);
	return rc;
}
