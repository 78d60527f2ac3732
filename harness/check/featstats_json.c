/*
 * harness/check/featstats_json.c — the --json forms of `features stats`
 * and `features skew` (featstats.h), and the skew thresholds. Members are
 * documented in README "Know your features"; doubles are written with 17
 * significant digits by the writer (pf_json_write_file), NaN as null.
 */
#include <math.h>

#include "harness/check/featstats.h"

static json_t *
real(double x)
{
	return isfinite(x) ? json_real(x) : json_null();
}

static json_t *
col_json(const pf_fst *t, size_t i)
{
	const pf_fst_feat *x = &t->f[i];
	json_t *o = json_object(), *q = json_object(), *sk = json_array(),
	    *g = json_object();
	char k[32];

	if (o == NULL || q == NULL || sk == NULL || g == NULL) {
		json_decref(o);
		json_decref(q);
		json_decref(sk);
		json_decref(g);
		return NULL;
	}
	for (size_t j = 0; j < PF_FST_NPCT; j++) {
		snprintf(k, sizeof(k), "%g", pf_fst_pct[j]);
		json_object_set_new(q, k, real(x->pct[j]));
	}
	for (size_t j = 0; j < PF_FS_NQUANT; j++)
		json_array_append_new(sk, real(x->c.q[j]));
	for (size_t j = 0; j < t->ngrades; j++) {
		snprintf(k, sizeof(k), "%d", (int)t->grades[j]);
		json_object_set_new(g, k, real(t->gmean[i * t->ngrades + j]));
	}
	json_object_set_new(o, "id", json_integer(x->id));
	json_object_set_new(o, "name", json_string(x->name));
	json_object_set_new(o, "count", json_integer((json_int_t)x->c.rows));
	json_object_set_new(o, "missing", json_integer((json_int_t)
	    x->c.missing));
	json_object_set_new(o, "missing_rate", real((double)x->c.missing /
	    (double)x->c.rows));
	json_object_set_new(o, "zero_rate", real((double)x->c.zeros /
	    (double)(x->c.rows - x->c.missing)));
	json_object_set_new(o, "min", real(x->c.min));
	json_object_set_new(o, "max", real(x->c.max));
	json_object_set_new(o, "mean", real(x->c.mean));
	json_object_set_new(o, "sd", real(x->c.sd));
	json_object_set_new(o, "quantiles", q);
	json_object_set_new(o, "sketch", sk);
	json_object_set_new(o, "distinct", json_integer((json_int_t)
	    x->c.distinct));
	json_object_set_new(o, "distinct_at_least", json_boolean(
	    x->c.distinct_more));
	json_object_set_new(o, "mean_by_grade", g);
	json_object_set_new(o, "cluster", x->cluster >= 0 ?
	    json_integer(x->cluster + 1) : json_null());
	return o;
}

static json_t *
file_json(const pf_fst *t)
{
	json_t *o = json_object(), *fs = json_array(), *cl = json_array();

	if (o == NULL || fs == NULL || cl == NULL) {
		json_decref(o);
		json_decref(fs);
		json_decref(cl);
		return NULL;
	}
	json_object_set_new(o, "file", json_string(t->path));
	json_object_set_new(o, "rows", json_integer((json_int_t)t->nrows));
	json_object_set_new(o, "queries", json_integer((json_int_t)t->nq));
	for (size_t i = 0; i < t->nf; i++) {
		json_t *c = col_json(t, i);
		if (c == NULL || json_array_append_new(fs, c) != 0) {
			json_decref(o);
			json_decref(fs);
			json_decref(cl);
			return NULL;
		}
	}
	json_object_set_new(o, "features", fs);
	for (size_t c = 0; t->rho != NULL && c < t->nclusters; c++) {
		json_t *m = json_array();
		for (size_t i = 0; m != NULL && i < t->nf; i++)
			if (t->f[i].cluster == (int)c)
				json_array_append_new(m,
				    json_string(t->f[i].name));
		json_array_append_new(cl, m);
	}
	json_object_set_new(o, "cluster_threshold", json_real(
	    PF_FS_CLUSTER_RHO));
	json_object_set_new(o, "clusters", cl);
	return o;
}

json_t *
pf_fst_json(const pf_fst *const *t, size_t n)
{
	json_t *o = json_object(), *a = json_array();

	if (o == NULL || a == NULL) {
		json_decref(o);
		json_decref(a);
		return NULL;
	}
	for (size_t i = 0; i < n; i++) {
		json_t *f = file_json(t[i]);
		if (f == NULL || json_array_append_new(a, f) != 0) {
			json_decref(o);
			json_decref(a);
			return NULL;
		}
	}
	json_object_set_new(o, "files", a);
	return json_object_size(o) == 1 ? o : (json_decref(o), NULL);
}

int
pf_fsk_pass_psi(const pf_fsk *k, double max_psi)
{
	for (size_t i = 0; !isnan(max_psi) && i < k->nf; i++)
		if (k->f[i].psi > max_psi)
			return 0;
	return 1;
}

int
pf_fsk_pass_mismatch(const pf_fsk *k, double max_mismatch)
{
	return isnan(max_mismatch) || !(k->mismatch_rate > max_mismatch);
}

static json_t *
feat_json(const pf_fsk_feat *x)
{
	json_t *o = json_object();

	if (o == NULL)
		return NULL;
	json_object_set_new(o, "id", json_integer(x->id));
	json_object_set_new(o, "name", json_string(x->name));
	json_object_set_new(o, "in", json_string(x->in == 3 ? "both" :
	    x->in == 1 ? "a" : "b"));
	json_object_set_new(o, "psi", real(x->psi));
	json_object_set_new(o, "ks_d", real(x->ks_d));
	json_object_set_new(o, "ks_p", real(x->ks_p));
	json_object_set_new(o, "ks_q", real(x->ks_q));
	json_object_set_new(o, "missing_rate_a", real(x->miss_a));
	json_object_set_new(o, "missing_rate_b", real(x->miss_b));
	json_object_set_new(o, "min_a", real(x->a ? x->a->min : NAN));
	json_object_set_new(o, "max_a", real(x->a ? x->a->max : NAN));
	json_object_set_new(o, "min_b", real(x->b ? x->b->min : NAN));
	json_object_set_new(o, "max_b", real(x->b ? x->b->max : NAN));
	json_object_set_new(o, "mismatched_rows", json_integer(
	    (json_int_t)x->mismatch));
	return o;
}

json_t *
pf_fsk_json(const pf_fsk *k, const pf_svm *sa, const pf_svm *sb,
    double max_psi, double max_mismatch)
{
	json_t *o = json_object(), *fs = json_array(), *d = json_array();

	if (o == NULL || fs == NULL || d == NULL) {
		json_decref(o);
		json_decref(fs);
		json_decref(d);
		return NULL;
	}
	json_object_set_new(o, "a", json_string(sa->path));
	json_object_set_new(o, "b", json_string(sb->path));
	json_object_set_new(o, "rows_a", json_integer((json_int_t)sa->nrows));
	json_object_set_new(o, "rows_b", json_integer((json_int_t)sb->nrows));
	for (size_t i = 0; i < k->nf; i++)
		json_array_append_new(fs, feat_json(&k->f[i]));
	json_object_set_new(o, "features", fs);
	json_object_set_new(o, "shared_rows", json_integer((json_int_t)
	    k->shared));
	json_object_set_new(o, "mismatched_rows", json_integer((json_int_t)
	    k->mismatched));
	json_object_set_new(o, "mismatch_rate", real(k->mismatch_rate));
	for (size_t i = 0; i < k->ndiff; i++) {
		const pf_fsk_diff *x = &k->diff[i];
		json_t *e = json_object();
		json_object_set_new(e, "qid", json_string(x->qid));
		json_object_set_new(e, "docid", json_string(x->docid));
		json_object_set_new(e, "feature", json_string(
		    k->f[x->feat].name));
		json_object_set_new(e, "a", real(x->a));
		json_object_set_new(e, "b", real(x->b));
		json_array_append_new(d, e);
	}
	json_object_set_new(o, "largest_differences", d);
	json_object_set_new(o, "max_psi", real(max_psi));
	json_object_set_new(o, "max_mismatch", real(max_mismatch));
	json_object_set_new(o, "pass", json_boolean(pf_fsk_pass_psi(k,
	    max_psi) && pf_fsk_pass_mismatch(k, max_mismatch)));
	return o;
}
