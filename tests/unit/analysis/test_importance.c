/*
 * test_importance.c — feature importance (harness/analysis/importance.h) on tiny
 * hand-written XGBoost models whose answers are known without running
 * anything: a feature no tree reads has importance exactly 0, a model that
 * reads one feature gives it all the importance, a group whose columns
 * cancel when permuted jointly has importance exactly 0 while each column
 * alone does not, the replacement methods on a 3-document query match
 * NDCG@10 computed by hand, and the results do not depend on the thread
 * count or on the scorer (changed trees only vs the whole model), on the
 * real LETOR data.
 */
#include <math.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include "harness/load/golden.h"
#include "harness/analysis/importance_internal.h"
#include "harness/analysis/importance.h"
#include "harness/model/trees.h"
#include "harness/engine/replay.h"
#include "harness/load/scenario.h"

static char dir[256];

static void
put(const char *name, const char *text)
{
	char p[512];
	FILE *f;

	snprintf(p, sizeof(p), "%s/%s", dir, name);
	cr_assert_not_null(f = fopen(p, "w"), "%s", p);
	fputs(text, f);
	fclose(f);
}

static void
mkdir_tmp(void)
{
	snprintf(dir, sizeof(dir), "/tmp/pf_imp_XXXXXX");
	cr_assert_not_null(mkdtemp(dir));
}

/*
 * One XGBoost 1.7 JSON tree (reg:squarederror) from arrays; node i's
 * children are left[i] and left[i] + 1, leaves have left -1 and val the
 * leaf value.
 */
static void
tree_json(char *buf, size_t sz, int id, int n, const int *left,
    const int *feat, const double *val, const int *dleft)
{
	size_t o = 0;
#define A(...) (o += (size_t)snprintf(buf + o, sz - o, __VA_ARGS__))
#define ARR(name, fmt, expr) do {					\
	A("\"%s\":[", name);						\
	for (int i = 0; i < n; i++)					\
		A("%s" fmt, i ? "," : "", expr);			\
	A("],");							\
} while (0)
	A("{");
	ARR("base_weights", "%g", 0.0);
	A("\"categories\":[],\"categories_nodes\":[],\"categories_segments\""
	    ":[],\"categories_sizes\":[],");
	ARR("default_left", "%d", dleft[i]);
	A("\"id\":%d,", id);
	ARR("left_children", "%d", left[i]);
	ARR("loss_changes", "%g", 0.0);
	ARR("parents", "%d", 2147483647);
	ARR("right_children", "%d", left[i] < 0 ? -1 : left[i] + 1);
	ARR("split_conditions", "%.9g", val[i]);
	ARR("split_indices", "%d", left[i] < 0 ? 0 : feat[i]);
	ARR("split_type", "%d", 0);
	ARR("sum_hessian", "%g", 1.0);
	A("\"tree_param\":{\"num_deleted\":\"0\",\"num_feature\":\"3\","
	    "\"num_nodes\":\"%d\",\"size_leaf_vector\":\"0\"}}", n);
#undef ARR
#undef A
}

/* A model of the given trees (JSON texts) with base_score 0.5. */
static void
model(const char *name, const char *const *trees, int nt)
{
	size_t sz = 1 << 16, o = 0;
	char *b = malloc(sz);

	o += (size_t)snprintf(b + o, sz - o, "{\"learner\":{\"attributes\":{},"
	    "\"feature_names\":[],\"feature_types\":[],\"gradient_booster\":"
	    "{\"model\":{\"gbtree_model_param\":{\"num_parallel_tree\":\"1\","
	    "\"num_trees\":\"%d\",\"size_leaf_vector\":\"0\"},\"tree_info\":[",
	    nt);
	for (int i = 0; i < nt; i++)
		o += (size_t)snprintf(b + o, sz - o, "%s0", i ? "," : "");
	o += (size_t)snprintf(b + o, sz - o, "],\"trees\":[");
	for (int i = 0; i < nt; i++)
		o += (size_t)snprintf(b + o, sz - o, "%s%s", i ? "," : "",
		    trees[i]);
	snprintf(b + o, sz - o, "]},\"name\":\"gbtree\"},"
	    "\"learner_model_param\":{\"base_score\":\"5E-1\","
	    "\"boost_from_average\":\"1\",\"num_class\":\"0\","
	    "\"num_feature\":\"3\",\"num_target\":\"1\"},\"objective\":"
	    "{\"name\":\"reg:squarederror\",\"reg_loss_param\":"
	    "{\"scale_pos_weight\":\"1\"}}},\"version\":[1,7,4]}");
	put(name, b);
	free(b);
}

/* A stump on model feature f: x < thr -> lo, else hi; missing goes left
   when dl. */
static void
stump(char *buf, size_t sz, int id, int f, double thr, double lo, double hi,
    int dl)
{
	const int left[3] = {1, -1, -1}, feat[3] = {f, 0, 0},
	    dleft[3] = {dl, 0, 0};
	const double val[3] = {thr, lo, hi};

	tree_json(buf, sz, id, 3, left, feat, val, dleft);
}

static const char *
scenario(const char *extra)
{
	static char p[512];
	char x[4096];

	snprintf(x, sizeof(x), "<?xml version=\"1.0\"?>\n"
	    "<scenario name=\"imp\" seed=\"11\">\n"
	    " <golden dir=\"%s\" name=\"t\"><labels candidates=\"c.svm\" "
	    "query-file=\"c.svm.query\"/></golden>\n"
	    " <stack id=\"ctl\"><candidates file=\"%s/c.svm\" query-file=\""
	    "%s/c.svm.query\"/></stack>\n"
	    " <stack id=\"a\"><candidates file=\"%s/c.svm\" query-file=\"%s/"
	    "c.svm.query\"/><gbdt model=\"%s/m.json\" first-feature=\"1\"/>"
	    "</stack>\n"
	    " <metrics primary=\"ndcg_cut_10\"><metric name=\"ndcg_cut.10\"/>"
	    "</metrics>\n"
	    " <compare bootstrap=\"200\"/>\n"
	    " %s\n"
	    " <outputs dir=\"%s/out\"/>\n"
	    "</scenario>\n", dir, dir, dir, dir, dir, dir, extra, dir);
	put("s.xml", x);
	snprintf(p, sizeof(p), "%s/s.xml", dir);
	return p;
}

typedef struct fixture {
	pf_diags	 d;
	pf_scenario	*s;
	pf_golden	*g;
	pf_replay	*r;
} fixture;

static void
open_run(fixture *fx, const char *path)
{
	pf_err err = {0};

	memset(fx, 0, sizeof(*fx));
	pf_golden_spec gs;

	if (pf_scenario_load(&fx->s, path, &fx->d) != PF_OK ||
	    (pf_scenario_golden_spec(fx->s, &gs),
	    pf_golden_load(&fx->g, &gs, &fx->d)) != PF_OK ||
	    pf_replay_open(&fx->r, fx->s, fx->g, &fx->d) != PF_OK) {
		pf_diags_print(&fx->d, stderr);
		cr_assert_fail("scenario %s does not load", path);
	}
	cr_assert_eq(pf_replay_run(fx->r, &err), PF_OK, "%s", err.msg);
}

static void
close_run(fixture *fx)
{
	pf_replay_free(fx->r);
	pf_golden_free(fx->g);
	pf_scenario_free(fx->s);
}

static pf_rep_importance *
imp(fixture *fx, const char *method, int fast)
{
	pf_scn_featimp fi = fx->s->fimp[0];
	pf_rep_importance *m = NULL;
	pf_imp_opts o;
	pf_err err = {0};

	pf_imp_opts_init(&o);
	o.fast = fast;
	if (method != NULL)
		fi.method = (char *)method;
	cr_assert_eq(pf_importance_run(&m, fx->r, &fi, &o, &err), PF_OK,
	    "%s: %s", err.where, err.msg);
	return m;
}

static const pf_rep_imp_item *
item(const pf_rep_importance *m, const char *name)
{
	for (size_t i = 0; i < m->nitems; i++)
		if (strcmp(m->items[i].name, name) == 0)
			return &m->items[i];
	cr_assert_fail("no item %s", name);
	return NULL;
}

/* 12 queries x 5 documents, 3 features; grades follow feature 1. */
static void
data_follow_f1(void)
{
	char b[8192];
	size_t o = 0;
	unsigned s = 12345;

	for (int q = 0; q < 12; q++)
		for (int i = 0; i < 5; i++) {
			s = s * 1103515245u + 12345u;
			double f1 = (double)((s >> 8) % 1000) / 1000.0;
			double f2 = (double)((s >> 4) % 97) / 97.0;
			o += (size_t)snprintf(b + o, sizeof(b) - o, "%d 1:%.3f "
			    "2:%.3f 3:%.3f\n", f1 > 0.5 ? 2 : f1 > 0.25, f1, f2,
			    0.1 * q);
		}
	put("c.svm", b);
	put("c.svm.query", "5\n5\n5\n5\n5\n5\n5\n5\n5\n5\n5\n5\n");
}

Test(importance, one_feature_model_gets_everything)
{
	char t0[4096], t1[4096];
	const char *trees[2] = {t0, t1};
	fixture fx;

	mkdir_tmp();
	data_follow_f1();
	/* both trees read model feature 0 = file id 1 */
	stump(t0, sizeof(t0), 0, 0, 0.5, 0.0, 1.0, 1);
	stump(t1, sizeof(t1), 1, 0, 0.25, 0.0, 0.5, 1);
	model("m.json", trees, 2);
	open_run(&fx, scenario("<importance><features repeats=\"4\"/>"
	    "</importance>"));
	for (int fast = 0; fast < 2; fast++) {
		pf_rep_importance *m = imp(&fx, NULL, fast);
		cr_assert_eq(m->nitems, 3);
		cr_assert_eq(m->nrep, 4);
		const pf_rep_imp_item *f1 = item(m, "f1"), *f2 = item(m, "f2"),
		    *f3 = item(m, "f3");
		for (size_t r = 0; r < m->nrep; r++) {
			/* unread features: the same scores, the same metric */
			cr_assert_eq(m->imp[(size_t)(f2 - m->items) * 4 + r], 0.0);
			cr_assert_eq(m->imp[(size_t)(f3 - m->items) * 4 + r], 0.0);
			cr_assert_gt(m->imp[(size_t)(f1 - m->items) * 4 + r], 0.0);
		}
		cr_assert_eq(f2->mean, 0.0);
		cr_assert_eq(f2->std, 0.0);
		cr_assert_eq(f2->lo, 0.0);
		cr_assert_eq(f2->hi, 0.0);
		cr_assert_eq(f1->share, 1.0);
		cr_assert_eq(f2->share, 0.0);
		/* f3 is 0.1 q: constant inside every query */
		cr_assert(f3->query_level);
		cr_assert(!f1->query_level && !f2->query_level);
		cr_assert_eq(m->baseline, fx.r->m.stacks[1].mean[0]);
		pf_rep_importance_free(m);
	}
	close_run(&fx);
}

/*
 * Columns 1 and 2 are equal in every row; tree 0 adds 1 when f1 >= 0.5,
 * tree 1 subtracts 1 when f2 >= 0.5: every score is 0.5 as long as the
 * two move together. Permuted jointly (one permutation for the group)
 * nothing changes; f1 alone (as the item of a second run) does.
 */
Test(importance, group_is_permuted_jointly)
{
	char t0[4096], t1[4096], b[4096];
	const char *trees[2] = {t0, t1};
	size_t o = 0;
	fixture fx;

	mkdir_tmp();
	for (int q = 0; q < 10; q++)
		for (int i = 0; i < 4; i++) {
			double v = 0.2 + 0.2 * i;	/* 0.2 .. 0.8 */
			/* the last docid ranks first on ties: make it bad */
			o += (size_t)snprintf(b + o, sizeof(b) - o, "%d 1:%.1f "
			    "2:%.1f 3:0.5\n", i == 3 ? 0 : 1 + (i == 0), v, v);
		}
	put("c.svm", b);
	put("c.svm.query", "4\n4\n4\n4\n4\n4\n4\n4\n4\n4\n");
	stump(t0, sizeof(t0), 0, 0, 0.5, 0.0, 1.0, 1);
	stump(t1, sizeof(t1), 1, 1, 0.5, 0.0, -1.0, 1);
	model("m.json", trees, 2);
	open_run(&fx, scenario("<importance><features repeats=\"3\">"
	    "<group name=\"both\">1,2</group></features></importance>"));
	pf_rep_importance *m = imp(&fx, NULL, 1);
	cr_assert_eq(m->nitems, 2);	/* the group, then f3 */
	cr_assert_str_eq(m->items[0].name, "both");
	cr_assert_eq(m->items[0].nfeat, 2);
	for (size_t r = 0; r < 3; r++)
		cr_assert_eq(m->imp[r], 0.0, "repeat %zu: %g", r, m->imp[r]);
	cr_assert_str_eq(m->items[1].name, "f3");
	pf_rep_importance_free(m);
	close_run(&fx);
	/* f1 alone: the trees no longer cancel */
	open_run(&fx, scenario("<importance><features repeats=\"3\"/>"
	    "</importance>"));
	for (int fast = 0; fast < 2; fast++) {
		m = imp(&fx, NULL, fast);
		cr_assert_str_eq(m->items[0].name, "f1");
		cr_assert_neq(m->items[0].mean, 0.0);
		cr_assert_neq(m->items[1].mean, 0.0);
		pf_rep_importance_free(m);
	}
	close_run(&fx);
}

/* trec_eval's ndcg: gain = grade, discount log2(rank + 1) */
static double
ndcg3(int g1, int g2, int g3)
{
	double dcg = g1 + g2 / log2(3.0) + g3 / 2.0;
	double idcg = 2 + 1 / log2(3.0);	/* grades 2, 1, 0 */

	return dcg / idcg;
}

/*
 * One query, documents q1_d1..q1_d3 (ties rank q1_d3 first), one tree:
 * f1 < 0.5 ? (f2 < 0.5 ? 0 : 2) : 1, missing goes right at both splits;
 * base 0.5.
 *   d1 f1 .9 f2 .1 grade 0 -> 1.5;  d2 .1 .9 grade 2 -> 2.5;
 *   d3 .2 .1 grade 1 -> 0.5          baseline order d2 d1 d3.
 */
Test(importance, replacement_by_hand)
{
	const int left[5] = {1, 3, -1, -1, -1}, feat[5] = {0, 1, 0, 0, 0},
	    dl[5] = {0, 0, 0, 0, 0};
	const double val[5] = {0.5, 0.5, 1.0, 0.0, 2.0};
	char t0[4096];
	const char *trees[1] = {t0};
	fixture fx;

	mkdir_tmp();
	put("c.svm", "0 1:0.9 2:0.1\n2 1:0.1 2:0.9\n1 1:0.2 2:0.1\n");
	put("c.svm.query", "3\n");
	tree_json(t0, sizeof(t0), 0, 5, left, feat, val, dl);
	model("m.json", trees, 1);
	open_run(&fx, scenario("<importance><features/></importance>"));
	double base = ndcg3(2, 0, 1);
	struct {
		const char	*method;
		double		 f1, f2;
	} want[] = {
		/* f1 := 0, 0.4 (mean), 0.4 (query mean): all go left:
		   d1 0.5, d2 2.5, d3 0.5 -> d2 d3 d1.
		   f2 := 0 or 0.3667: d1 1.5, d2 0.5, d3 0.5 -> d1 d3 d2 */
		{"zero", base - ndcg3(2, 1, 0), base - ndcg3(0, 1, 2)},
		{"mean", base - ndcg3(2, 1, 0), base - ndcg3(0, 1, 2)},
		{"query-mean", base - ndcg3(2, 1, 0), base - ndcg3(0, 1, 2)},
		/* f1 missing: all right, 1.5 each -> d3 d2 d1;
		   f2 missing: d2 and d3 right, 2.5 -> d3 d2 d1 */
		{"missing", base - ndcg3(1, 2, 0), base - ndcg3(1, 2, 0)},
	};
	cr_assert_float_eq(fx.r->m.stacks[1].mean[0], base, 1e-15);
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++)
		for (int fast = 0; fast < 2; fast++) {
			pf_rep_importance *m = imp(&fx, want[i].method, fast);
			cr_assert_eq(m->nrep, 1);
			cr_assert_float_eq(item(m, "f1")->mean, want[i].f1, 1e-12,
			    "%s f1: %.17g != %.17g", want[i].method,
			    item(m, "f1")->mean, want[i].f1);
			cr_assert_float_eq(item(m, "f2")->mean, want[i].f2, 1e-12,
			    "%s f2: %.17g != %.17g", want[i].method,
			    item(m, "f2")->mean, want[i].f2);
			pf_rep_importance_free(m);
		}
	close_run(&fx);
}

Test(importance, stage_that_does_not_score_from_features_is_refused)
{
	char t0[4096];
	const char *trees[1] = {t0};
	fixture fx;
	pf_rep_importance *m = NULL;
	pf_err err = {0};

	mkdir_tmp();
	data_follow_f1();
	stump(t0, sizeof(t0), 0, 0, 0.5, 0.0, 1.0, 1);
	model("m.json", trees, 1);
	open_run(&fx, scenario("<importance><features stage=\"1\"/>"
	    "</importance>"));
	cr_assert_eq(pf_importance_run(&m, fx.r, &fx.s->fimp[0], NULL, &err),
	    PF_EDATA);
	cr_assert_null(m);
	cr_assert(strstr(err.msg, "'candidates', which does not score from "
	    "features") != NULL, "%s", err.msg);
	cr_assert(strstr(err.where, "s.xml:") != NULL, "%s", err.where);
	close_run(&fx);
}

/*
 * A LETOR model on rank.test: 1 vs 2 threads, fast (changed trees) vs full
 * (the whole model re-scored by the stage), the same importance bits.
 * gbdt: the stage's attributes after "<gbdt "; simd: the model takes the
 * SIMD changed-trees form, whose tables are also computed per worker.
 */
static void
letor_fast_vs_full(const char *gbdt, int repeats, int simd)
{
	char src[400], x[4096];
	pf_rep_importance *m[4];
	fixture fx;

	mkdir_tmp();
	snprintf(src, sizeof(src), "%s/golden/letor", SOURCE_DIR);
	snprintf(x, sizeof(x), "<?xml version=\"1.0\"?>\n"
	    "<scenario name=\"imp\" seed=\"3\">\n"
	    " <golden dir=\"%s\" name=\"t\"><labels candidates=\"rank.test\" "
	    "query-file=\"rank.test.query\"/></golden>\n"
	    " <stack id=\"ctl\"><candidates file=\"%s/rank.test\" query-file="
	    "\"%s/rank.test.query\"/></stack>\n"
	    " <stack id=\"a\"><candidates file=\"%s/rank.test\" query-file=\""
	    "%s/rank.test.query\"/><gbdt %s/></stack>\n"
	    " <metrics primary=\"ndcg_cut_10\"><metric name=\"ndcg_cut.10\"/>"
	    "<metric name=\"map\"/></metrics>\n"
	    " <compare bootstrap=\"100\"/>\n"
	    " <importance metric=\"map\"><features repeats=\"%d\"><group "
	    "name=\"g\">1 8 9</group></features></importance>\n"
	    " <outputs dir=\"%s/out\"/>\n</scenario>\n", src, src, src, src,
	    src, gbdt, repeats, dir);
	put("s.xml", x);
	snprintf(x, sizeof(x), "%s/s.xml", dir);
	open_run(&fx, x);
	int nt = omp_get_max_threads();
	omp_set_num_threads(1);
	m[0] = imp(&fx, NULL, 1);
	omp_set_num_threads(2);
	m[1] = imp(&fx, NULL, 1);
	m[2] = imp(&fx, NULL, 0);
	/* the changed-tree tables computed by each worker, not shared */
	size_t budget = pf_imp_fast_item_bytes;
	pf_imp_fast_item_bytes = 0;
	m[3] = simd ? imp(&fx, NULL, 1) : NULL;
	pf_imp_fast_item_bytes = budget;
	omp_set_num_threads(nt);
	cr_assert_str_eq(m[0]->metric, "map");
	size_t nz = 0;
	for (int k = 1; k < (simd ? 4 : 3); k++) {
		cr_assert_eq(m[k]->nitems, m[0]->nitems);
		cr_assert_eq(memcmp(m[k]->imp, m[0]->imp, m[0]->nitems *
		    m[0]->nrep * sizeof(double)), 0, "run %d differs", k);
		for (size_t i = 0; i < m[0]->nitems; i++) {
			cr_assert_eq(memcmp(&m[k]->items[i].lo,
			    &m[0]->items[i].lo, sizeof(double)), 0);
			cr_assert_eq(memcmp(&m[k]->items[i].hi,
			    &m[0]->items[i].hi, sizeof(double)), 0);
		}
	}
	for (size_t i = 0; i < m[0]->nitems; i++)
		nz += m[0]->items[i].mean != 0.0;
	cr_assert_gt(nz, 10, "only %zu features matter", nz);
	cr_assert_eq(m[0]->fast, 1);
	cr_assert_eq(m[2]->fast, 0);
	for (int k = 0; k < 4; k++)
		pf_rep_importance_free(m[k]);
	/* replacement by missing: NaN follows each split's default */
	m[0] = imp(&fx, "missing", 1);
	m[1] = imp(&fx, "missing", 0);
	cr_assert_eq(memcmp(m[1]->imp, m[0]->imp, m[0]->nitems *
	    sizeof(double)), 0, "missing: fast != full");
	pf_rep_importance_free(m[0]);
	pf_rep_importance_free(m[1]);
	close_run(&fx);
}

Test(importance, letor_threads_and_fast_path_agree)
{
	char g[512];

	snprintf(g, sizeof(g), "model=\"%s/golden/letor/xgb_pairwise_letor."
	    "json\" first-feature=\"1\"", SOURCE_DIR);
	letor_fast_vs_full(g, 2, 1);
}

/* The same for LightGBM's LETOR model (raw scores summed in double). */
Test(importance, letor_lightgbm_fast_path_agrees)
{
	char g[512];

	snprintf(g, sizeof(g), "model=\"%s/golden/letor/lgb_lambdarank_letor."
	    "txt\"", SOURCE_DIR);
	letor_fast_vs_full(g, 1, 0);
}

/*
 * The fast path's premise, on every XGBoost fixture model with trees:
 * base + each tree's value, added in tree order in float32, is the
 * predictor's margin bit for bit (random rows with missing values).
 */
Test(importance, tree_by_tree_sum_is_the_margin)
{
	const char *names[] = {"xgb_depth2.json", "xgb_depth7.json",
	    "xgb_depth10.json", "xgb_dart.json", "xgb_lossguide.json",
	    "xgb_stumps.json"};
	unsigned s = 99;

	for (size_t k = 0; k < sizeof(names) / sizeof(names[0]); k++) {
		char p[512];
		pf_gbdt *g = NULL;
		pf_err err = {0};
		snprintf(p, sizeof(p), "%s/gbdt/%s", FIXTURES, names[k]);
		cr_assert_eq(pf_gbdt_load(&g, p, &err), PF_OK, "%s", err.msg);
		cr_assert(pf_gbdt_trees_ok(g), "%s", names[k]);
		size_t nf = pf_gbdt_nfeatures(g), T = pf_gbdt_ntrees(g);
		float *x = malloc(64 * nf * sizeof(float));
		double out[64];
		for (size_t i = 0; i < 64 * nf; i++) {
			s = s * 1103515245u + 12345u;
			x[i] = (s >> 16) % 10 == 0 ? NAN :
			    (float)((int)((s >> 8) % 2000) - 1000) / 250.0f;
		}
		pf_gbdt_predict_f32(g, x, 64, nf, nf, out);
		for (size_t r = 0; r < 64; r++) {
			float acc = pf_gbdt_base_f32(g), acc2 = acc;
			/* the patched walk, feature 1 patched to its own value */
			uint32_t pf = 1;
			float pv = x[r * nf + 1];
			for (size_t t = 0; t < T; t++) {
				acc += pf_gbdt_tree_value_f32(g, t, x + r * nf,
				    nf);
				acc2 += pf_gbdt_tree_value_patched_f32(g, t,
				    x + r * nf, nf, &pf, &pv, nf > 1);
			}
			cr_assert_eq((double)acc, out[r], "%s row %zu: %a != %a",
			    names[k], r, (double)acc, out[r]);
			cr_assert_eq((double)acc2, out[r], "%s row %zu patched",
			    names[k], r);
		}
		free(x);
		pf_gbdt_free(g);
	}
}

/*
 * The SIMD form (trees.h pf_gbdt_imp_*), on every XGBoost fixture model it
 * applies to (depths 1-7, so every lookup width of the kernel): the kept
 * leaves give the predictor's margins, and re-walking only the trees that
 * split on a feature, with that feature's column shuffled (missing values
 * included), gives the predictor's margins of the changed rows, bit for
 * bit; 61 rows, so the last group of 16 is partial.
 */
Test(importance, simd_changed_trees_match_the_predictor)
{
	const char *names[] = {"xgb_depth2.json", "xgb_depth7.json",
	    "xgb_dart.json", "xgb_lossguide.json", "xgb_stumps.json"};
	const size_t n = 61, n16 = 64;
	unsigned s = 7;
	int tried = 0;

	for (size_t k = 0; k < sizeof(names) / sizeof(names[0]); k++) {
		char p[512];
		pf_gbdt *g = NULL;
		pf_err err = {0};
		snprintf(p, sizeof(p), "%s/gbdt/%s", FIXTURES, names[k]);
		cr_assert_eq(pf_gbdt_load(&g, p, &err), PF_OK, "%s", err.msg);
		size_t nf = pf_gbdt_nfeatures(g), T = pf_gbdt_ntrees(g);
		if (!pf_gbdt_imp_ok(g, nf)) {	/* no AVX-512 here */
			pf_gbdt_free(g);
			continue;
		}
		tried++;
		size_t st = pf_gbdt_imp_stride(g);
		float *x = malloc(n * nf * sizeof(float));
		float *x2 = malloc(n * nf * sizeof(float));
		float *xt = malloc(n16 * pf_gbdt_imp_width(g) * sizeof(float));
		uint8_t *idx = malloc(n16 * T);
		int32_t *tch = aligned_alloc(64, T * st * sizeof(int32_t));
		uint32_t *slot = calloc(T, sizeof(*slot));
		unsigned char *fm = calloc(nf, 1);
		float acc[64], pv[64];
		double out[64];
		for (size_t i = 0; i < n * nf; i++) {
			s = s * 1103515245u + 12345u;
			x[i] = (s >> 16) % 10 == 0 ? NAN :
			    (float)((int)((s >> 8) % 2000) - 1000) / 250.0f;
		}
		int nan = pf_gbdt_imp_transpose(g, x, nf, n, xt);
		pf_gbdt_imp_leaves(g, xt, n, nan, idx, acc);
		pf_gbdt_predict_f32(g, x, n, nf, nf, out);
		for (size_t r = 0; r < n; r++)
			cr_assert_eq((double)acc[r], out[r], "%s row %zu kept",
			    names[k], r);
		for (uint32_t j = 0; j < nf; j++) {
			for (size_t t = 0; t < T; t++) {
				memset(fm, 0, nf);
				pf_gbdt_tree_features(g, t, fm);
				slot[t] = fm[j] ? (uint32_t)t + 1 : 0;
			}
			memset(fm, 0, nf);
			fm[j] = 1;
			for (size_t t = 0; t < T; t++)
				if (slot[t])
					pf_gbdt_imp_touch(g, t, fm, tch + t * st);
			memcpy(x2, x, n * nf * sizeof(float));
			for (size_t r = 0; r < n16; r++)
				pv[r] = r < n ? x[((r * 7 + 3) % n) * nf + j] : 0.0f;
			for (size_t r = 0; r < n; r++)
				x2[r * nf + j] = pv[r];
			pf_gbdt_imp_score(g, xt, n, 1, idx, slot, tch, &j, pv, 1,
			    acc);
			pf_gbdt_predict_f32(g, x2, n, nf, nf, out);
			for (size_t r = 0; r < n; r++)
				cr_assert_eq((double)acc[r], out[r],
				    "%s feature %u row %zu: %a != %a", names[k],
				    j, r, (double)acc[r], out[r]);
		}
		free(x);
		free(x2);
		free(xt);
		free(idx);
		free(tch);
		free(slot);
		free(fm);
		pf_gbdt_free(g);
	}
	if (tried == 0)
		cr_log_info("no AVX-512: the SIMD form was not tried");
}

/* The splits' values as the merge gathers them (partial.c's fill: each
   range's own queries). */
static void
gather(pf_imp_part *all, const pf_imp_part *p, size_t nq, size_t q0,
    size_t q1)
{
	if (p->npq == 0)
		return;
	if (all->pq == NULL) {
		all->pq = calloc(p->npq + 1, sizeof(double));
		all->bq = calloc(nq + 1, sizeof(double));
		all->npq = p->npq;
		all->ql = malloc(p->nitems + 1);
		all->nitems = p->nitems;
		memcpy(all->ql, p->ql, p->nitems);
	}
	cr_assert_eq(all->npq, p->npq);
	cr_assert_eq(memcmp(all->ql, p->ql, p->nitems), 0);
	for (size_t t = 0; t < p->npq / nq; t++)
		memcpy(all->pq + t * nq + q0, p->pq + t * nq + q0, (q1 - q0) *
		    sizeof(double));
	memcpy(all->bq + q0, p->bq + q0, (q1 - q0) * sizeof(double));
}

/*
 * The distributed path (cli/dist.h) in the library: the queries cut into
 * n ranges, each range's summary (importance.h pf_imp_summary) from its
 * rows only, merged in reverse order, serialised and read back; each
 * range's tasks against the combined summary; the values gathered and
 * summarised without rows. Every result is the one-process result, bit
 * for bit, for a query-level feature (f3 = 0.1 q, which the model reads:
 * its permutation takes other ranges' queries' values) and for method
 * mean (the global means: exact sums across ranges).
 */
Test(importance, shares_give_the_one_process_bits)
{
	char t0[4096], t1[4096];
	const char *trees[2] = {t0, t1};
	const char *methods[2] = {NULL, "mean"};
	fixture fx;
	pf_err err = {0};

	mkdir_tmp();
	data_follow_f1();
	/* f1 ranks the documents the right way round in queries with
	   f3 < 0.55 and the wrong way in the others: f3 matters, through
	   the interaction only (a per-query shift reorders nothing) */
	const int left[7] = {1, 3, 5, -1, -1, -1, -1},
	    feat[7] = {2, 0, 0, 0, 0, 0, 0}, dl[7] = {0};
	const double val[7] = {0.55, 0.5, 0.5, 0.0, 2.0, 1.0, 0.0};
	stump(t0, sizeof(t0), 0, 0, 0.25, 0.0, 0.5, 1);
	tree_json(t1, sizeof(t1), 1, 7, left, feat, val, dl);
	model("m.json", trees, 2);
	open_run(&fx, scenario("<importance><features repeats=\"3\"/>"
	    "</importance>"));
	size_t nq = fx.r->m.nq;
	pf_scn_featimp orig = fx.s->fimp[0];	/* (pf_importance_summarize
						   reads the scenario's) */
	for (int mi = 0; mi < 2; mi++) {
		pf_rep_importance *one = imp(&fx, methods[mi], 1);
		cr_assert(mi == 1 || item(one, "f3")->query_level);
		cr_assert_neq(item(one, "f3")->mean, 0.0);
		for (size_t n = 1; n <= 5; n += 2) {
			pf_scn_featimp fi = fx.s->fimp[0];
			pf_imp_summary sum = {0}, back = {0};
			pf_imp_part all = {0};
			size_t q0, q1;
			if (methods[mi] != NULL)
				fi.method = (char *)methods[mi];
			fx.s->fimp[0] = fi;
			for (size_t i = n; i-- > 0;) {
				pf_imp_summary one_sum = {0};
				q0 = i * nq / n;
				q1 = (i + 1) * nq / n;
				cr_assert_eq(pf_importance_summarize(fx.r, q0, q1,
				    &one_sum, &err), PF_OK, "%s", err.msg);
				cr_assert_eq(pf_imp_summary_merge(&sum, &one_sum,
				    &err), PF_OK, "%s", err.msg);
				pf_imp_summary_free(&one_sum);
			}
			char *b1, *b2;
			size_t l1, l2;
			cr_assert_eq(pf_imp_summary_encode(&sum, &b1, &l1), PF_OK);
			cr_assert_eq(pf_imp_summary_decode(&back, b1, l1), PF_OK);
			cr_assert_eq(pf_imp_summary_encode(&back, &b2, &l2), PF_OK);
			cr_assert(l1 == l2 && memcmp(b1, b2, l1) == 0);
			cr_assert_neq(pf_imp_summary_decode(&back, b1, l1 - 1),
			    PF_OK);
			free(b1);
			free(b2);
			for (size_t i = 0; i < n; i++) {
				pf_rep_importance *m = NULL;
				pf_imp_part p = {0};
				pf_imp_opts o;
				pf_imp_opts_init(&o);
				o.q0 = q0 = i * nq / n;
				o.q1 = q1 = (i + 1) * nq / n;
				o.sum = &sum;
				o.out = &p;
				cr_assert_eq(pf_importance_run(&m, fx.r, &fi, &o,
				    &err), PF_OK, "%s", err.msg);
				cr_assert_null(m);
				gather(&all, &p, nq, q0, q1);
				pf_imp_part_clear(&p);
			}
			pf_imp_opts o;
			pf_imp_opts_init(&o);
			o.in = &all;
			pf_rep_importance *m = NULL;
			cr_assert_eq(pf_importance_run(&m, fx.r, &fi, &o, &err),
			    PF_OK, "%s", err.msg);
			cr_assert_eq(m->nitems, one->nitems);
			cr_assert_eq(memcmp(m->imp, one->imp, one->nitems *
			    one->nrep * sizeof(double)), 0, "%s, %zu ranges",
			    methods[mi] ? methods[mi] : "permute", n);
			for (size_t t = 0; t < one->nitems; t++) {
				cr_assert_eq(m->items[t].query_level,
				    one->items[t].query_level);
				cr_assert_eq(memcmp(&m->items[t].lo,
				    &one->items[t].lo, sizeof(double)), 0);
			}
			cr_assert_eq(memcmp(&m->baseline, &one->baseline,
			    sizeof(double)), 0);
			pf_rep_importance_free(m);
			pf_imp_part_clear(&all);
			pf_imp_summary_free(&sum);
			pf_imp_summary_free(&back);
		}
		pf_rep_importance_free(one);
	}
	fx.s->fimp[0] = orig;
	close_run(&fx);
}
