/*
 * harness/load/scenario_read.c — the scenario's validated XML tree into
 * plain structs: one reader per top-level element, chosen from a table;
 * defaults for what the file leaves out. The schema has checked types and
 * patterns, so numbers are read without further checks here; what the
 * schema cannot express is checked and reported at the element's line.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/tree.h>

#include "harness/load/scenario_internal.h"
#include "harness/util/grow.h"

/* Reads one stage element: its name and attributes, in document order
   (harness/stages checks them against the registry when it opens them). */
static int
read_stage(pf_scn_stage *g, xmlNode *n)
{
	size_t na = 0;

	g->name = strdup((const char *)n->name);
	g->line = xmlGetLineNo(n);
	if (g->name == NULL)
		return -1;
	for (xmlAttr *a = n->properties; a != NULL; a = a->next)
		na++;
	if ((g->params = calloc(na ? na : 1, sizeof(*g->params))) == NULL)
		return -1;
	for (xmlAttr *a = n->properties; a != NULL; a = a->next) {
		pf_param *p = &g->params[g->nparams++];
		p->key = strdup((const char *)a->name);
		p->value = pf_scn__attr(n, (const char *)a->name);
		p->line = g->line;
		if (p->key == NULL || p->value == NULL)
			return -1;
	}
	return 0;
}

/* A group's feature ids: digits separated by spaces or commas (the schema
   has checked the pattern). */
static int
parse_feature_list(pf_scn_group *g, const char *text)
{
	size_t cap = 0;

	for (const char *p = text; *p != '\0';) {
		if (*p < '0' || *p > '9') {
			p++;
			continue;
		}
		char *end;
		unsigned long id = strtoul(p, &end, 10);
		p = end;
		if (g->n == cap) {
			cap = cap ? 2 * cap : 8;
			int *nf = realloc(g->feat, cap * sizeof(*nf));
			if (nf == NULL)
				return -1;
			g->feat = nf;
		}
		g->feat[g->n++] = id > INT_MAX ? INT_MAX : (int)id;
	}
	return 0;
}

static int
read_importance(pf_scenario *s, xmlNode *n, const char *path, pf_diags *d)
{
	char *v;

	s->imp_on = 1;
	s->imp_line = xmlGetLineNo(n);
	s->imp_metric = pf_scn__attr(n, "metric");
	for (xmlNode *c = n->children; c != NULL; c = c->next) {
		if (pf_scn__is(c, "stages")) {
			s->imp_stages = 1;
			s->imp_stages_line = xmlGetLineNo(c);
			s->imp_stages_stack = pf_scn__attr(c, "stack");
		} else if (pf_scn__is(c, "oracle")) {
			s->imp_oracle = 1;
		} else if (pf_scn__is(c, "features")) {
			pf_scn_featimp *f = realloc(s->fimp,
			    (s->nfimp + 1) * sizeof(*f));
			if (f == NULL)
				return -1;
			s->fimp = f;
			f = &s->fimp[s->nfimp++];
			memset(f, 0, sizeof(*f));
			f->line = xmlGetLineNo(c);
			f->stack = pf_scn__attr(c, "stack");
			f->method = pf_scn__attr(c, "method");
			if (f->method == NULL &&
			    (f->method = strdup("permute")) == NULL)
				return -1;
			f->repeats = 5;
			f->top = 20;
			if ((v = pf_scn__attr(c, "stage")) != NULL)
				f->stage = (size_t)strtoull(v, NULL, 10);
			free(v);
			if ((v = pf_scn__attr(c, "repeats")) != NULL)
				f->repeats = (size_t)strtoull(v, NULL, 10);
			free(v);
			if ((v = pf_scn__attr(c, "top")) != NULL)
				f->top = (size_t)strtoull(v, NULL, 10);
			free(v);
			if ((v = pf_scn__attr(c, "max-share")) != NULL) {
				f->has_max_share = 1;
				f->max_share = strtod(v, NULL);
			}
			free(v);
			if (f->repeats > 1000)
				pf_diags_add(d, path, f->line, "importance "
				    "repeats must be at most 1000");
			for (xmlNode *g = c->children; g != NULL; g = g->next) {
				if (!pf_scn__is(g, "group"))
					continue;
				pf_scn_group *ng = realloc(f->groups,
				    (f->ngroups + 1) * sizeof(*ng));
				if (ng == NULL)
					return -1;
				f->groups = ng;
				ng = &f->groups[f->ngroups++];
				memset(ng, 0, sizeof(*ng));
				ng->line = xmlGetLineNo(g);
				ng->name = pf_scn__attr(g, "name");
				xmlChar *t = xmlNodeGetContent(g);
				int rc = parse_feature_list(ng,
				    t ? (const char *)t : "");
				xmlFree(t);
				if (rc != 0 || ng->name == NULL)
					return -1;
			}
		}
	}
	return 0;
}

/* <probe>: the monotone expectations (the schema checked the values). */
static int
read_probe(pf_scenario *s, xmlNode *n)
{
	size_t cap = 0;

	for (xmlNode *c = n->children; c != NULL; c = c->next)
		cap += c->type == XML_ELEMENT_NODE && pf_scn__is(c, "monotone");
	if ((s->mono = calloc(cap ? cap : 1, sizeof(*s->mono))) == NULL)
		return -1;
	for (xmlNode *c = n->children; c != NULL; c = c->next) {
		if (c->type != XML_ELEMENT_NODE || !pf_scn__is(c, "monotone"))
			continue;
		char *f = pf_scn__attr(c, "feature"), *dir = pf_scn__attr(c, "direction");
		pf_scn_monotone *m = &s->mono[s->nmono++];
		m->feat = f ? (size_t)strtoull(f + (f[0] == 'f'), NULL, 10) : 0;
		m->dir = dir && !strcmp(dir, "decreasing") ? -1 : 1;
		m->line = xmlGetLineNo(c);
		free(f);
		free(dir);
	}
	return 0;
}

static int
read_golden(pf_scenario *s, xmlNode *n, long line, pf_diags *d)
{
	char *dir = pf_scn__attr(n, "dir"), *f;

	(void)d;
	s->golden_dir = pf_path_join(s->dir, dir ? dir : ".");
	free(dir);
	s->golden_name = pf_scn__attr(n, "name");
	s->golden_line = line;
	for (xmlNode *c = n->children; c != NULL; c = c->next) {
		if (pf_scn__is(c, "queries")) {
			s->queries = pf_scn__attr_path(c, "file", s->golden_dir);
		} else if (pf_scn__is(c, "docs")) {
			s->docs = pf_scn__attr_path(c, "file", s->golden_dir);
		} else if (pf_scn__is(c, "qrels")) {
			s->qrels = pf_scn__attr_path(c, "file", s->golden_dir);
			f = pf_scn__attr(c, "aggregate");
			s->agg = f == NULL || !strcmp(f, "median") ?
			    PF_AGG_MEDIAN : !strcmp(f, "mean") ? PF_AGG_MEAN :
			    PF_AGG_MAJORITY;
			free(f);
		} else if (pf_scn__is(c, "labels")) {
			s->labels = pf_scn__attr_path(c, "candidates", s->golden_dir);
			s->labels_qfile = pf_scn__attr_path(c, "query-file",
			    s->golden_dir);
		}
	}
	return 0;
}

static int
read_stack(pf_scenario *s, xmlNode *n, long line, pf_diags *d)
{
	size_t cap = s->nstacks;
	pf_scn_stack *k = pf_grow(s->stacks, &cap, s->nstacks + 1,
	    sizeof(*k));

	(void)d;
	if (k == NULL)
		return -1;
	s->stacks = k;
	k = &s->stacks[s->nstacks++];
	memset(k, 0, sizeof(*k));
	k->id = pf_scn__attr(n, "id");
	k->name = pf_scn__attr(n, "name");
	if (k->name == NULL && k->id != NULL)
		k->name = strdup(k->id);
	k->line = line;
	for (xmlNode *c = n->children; c != NULL; c = c->next) {
		if (c->type != XML_ELEMENT_NODE)
			continue;
		size_t gcap = k->nstages;
		pf_scn_stage *g = pf_grow(k->stages, &gcap, k->nstages + 1,
		    sizeof(*g));
		if (g == NULL)
			return -1;
		k->stages = g;
		g = &k->stages[k->nstages++];
		memset(g, 0, sizeof(*g));
		if (read_stage(g, c) != 0)
			return -1;
	}
	return 0;
}

static int
read_metrics(pf_scenario *s, xmlNode *n, long line, pf_diags *d)
{
	(void)d;
	s->metrics_line = line;
	s->primary = pf_scn__attr(n, "primary");
	for (xmlNode *c = n->children; c != NULL; c = c->next) {
		if (!pf_scn__is(c, "metric"))
			continue;
		size_t cap = s->nmetrics;
		char **m = pf_grow(s->metrics, &cap, s->nmetrics + 1,
		    sizeof(*m));
		if (m == NULL)
			return -1;
		s->metrics = m;
		if ((m[s->nmetrics++] = pf_scn__attr(c, "name")) == NULL)
			return -1;
	}
	return 0;
}

static int
read_outputs(pf_scenario *s, xmlNode *n, long line, pf_diags *d)
{
	char *dir = pf_scn__attr(n, "dir");

	(void)line;
	(void)d;
	s->out_dir = pf_path_join(s->dir, dir ? dir : "out");
	free(dir);
	s->results = pf_scn__attr(n, "results");
	s->report = pf_scn__attr(n, "report");
	s->junit = pf_scn__attr(n, "junit");
	s->runs = pf_scn__attr_bool(n, "runs", s->runs);
	return 0;
}

static int
read_compare(pf_scenario *s, xmlNode *n, long line, pf_diags *d)
{
	(void)line;
	(void)d;
	pf_scn__attr_size(n, "bootstrap", &s->n_boot);
	pf_scn__attr_size(n, "permutations", &s->n_perm);
	pf_scn__attr_double(n, "alpha", NULL, &s->alpha);
	pf_scn__attr_double(n, "tie-tolerance", NULL, &s->tie_tol);
	pf_scn__attr_double(n, "min-effect", NULL, &s->min_effect);
	pf_scn__attr_size(n, "min-segment", &s->min_segment);
	s->label_boot = pf_scn__attr_bool(n, "label-bootstrap", 0);
	return 0;
}

/* One <gate>: exactly one of min, min-delta, significant. */
static int
read_gate(pf_scenario *s, xmlNode *c, pf_diags *d)
{
	size_t cap = s->ngates;
	pf_scn_gate *g = pf_grow(s->gates, &cap, s->ngates + 1, sizeof(*g));
	char *v;

	if (g == NULL)
		return -1;
	s->gates = g;
	g = &s->gates[s->ngates++];
	memset(g, 0, sizeof(*g));
	g->line = xmlGetLineNo(c);
	g->id = pf_scn__attr(c, "id");
	g->metric = pf_scn__attr(c, "metric");
	g->stack = pf_scn__attr(c, "stack");
	pf_scn__attr_double(c, "min", &g->has_min, &g->min);
	pf_scn__attr_double(c, "min-delta", &g->has_min_delta, &g->min_delta);
	if ((v = pf_scn__attr(c, "on")) != NULL)
		g->on_ci = strcmp(v, "ci-lower") == 0;
	free(v);
	g->significant = pf_scn__attr_bool(c, "significant", 0);
	g->against = pf_scn__attr(c, "against");
	if (g->has_min + g->has_min_delta + g->significant != 1)
		pf_diags_add(d, s->path, g->line, "gate '%s' needs exactly one "
		    "of min, min-delta, significant=\"true\"", g->id ? g->id :
		    "");
	else if (g->against != NULL && !g->has_min_delta)
		pf_diags_add(d, s->path, g->line, "gate '%s': against=\"%s\" "
		    "takes min-delta (on the estimate or the CI lower bound)",
		    g->id ? g->id : "", g->against);
	return 0;
}

int
pf_scenario__read_gates(pf_scenario *s, xmlNode *n, pf_diags *d)
{
	for (xmlNode *c = n->children; c != NULL; c = c->next) {
		if (pf_scn__is(c, "expectations")) {
			free(s->expectations);
			s->expectations = pf_scn__attr_path(c, "file", s->golden_dir ?
			    s->golden_dir : s->dir);
		} else if (pf_scn__is(c, "gate") && read_gate(s, c, d) != 0)
			return -1;
		else if (pf_scn__is(c, "feature-gate") &&
		    pf_scenario__read_feature_gate(s, c, d) != 0)
			return -1;
	}
	return 0;
}

static int
read_gates(pf_scenario *s, xmlNode *n, long line, pf_diags *d)
{
	(void)line;
	return pf_scenario__read_gates(s, n, d);
}

static int
read_interleave(pf_scenario *s, xmlNode *n, long line, pf_diags *d)
{
	s->il_on = 1;
	s->il_method = pf_scn__attr(n, "method");
	s->il_preset = pf_scn__attr(n, "preset");
	s->il_model = pf_scn__attr(n, "model");
	s->il_mode = pf_scn__attr(n, "mode");
	s->il_click = pf_scn__attr(n, "click");
	s->il_stop = pf_scn__attr(n, "stop");
	if (s->il_stop != NULL && s->il_click == NULL)
		pf_diags_add(d, s->path, line, "interleave stop= needs click= "
		    "as well");
	s->il_impr = 1000;
	s->il_k = 10;
	s->il_depth = 10;
	pf_scn__attr_size(n, "impressions", &s->il_impr);
	pf_scn__attr_size(n, "k", &s->il_k);
	pf_scn__attr_size(n, "depth", &s->il_depth);
	if (s->il_k > 256)
		pf_diags_add(d, s->path, line, "interleave k must be at most "
		    "256");
	return 0;
}

static int
read_importance_el(pf_scenario *s, xmlNode *n, long line, pf_diags *d)
{
	(void)line;
	return read_importance(s, n, s->path, d);
}

static int
read_probe_el(pf_scenario *s, xmlNode *n, long line, pf_diags *d)
{
	(void)line;
	(void)d;
	return read_probe(s, n);
}

static int
read_lift(pf_scenario *s, xmlNode *n, long line, pf_diags *d)
{
	int has_cv = 0;

	s->lift_on = 1;
	s->lift_line = line;
	s->lift_metric = pf_scn__attr(n, "metric");
	s->lift_stack = pf_scn__attr(n, "stack");
	s->lift_history = pf_scn__attr_path(n, "history", s->dir);
	pf_scn__attr_double(n, "min-lift", &s->lift_has_min, &s->lift_min);
	s->lift_synthetic = pf_scn__attr_bool(n, "synthetic", 0);
	pf_scn__attr_double(n, "ab-traffic", &s->lift_has_ab, &s->lift_ab_traffic);
	pf_scn__attr_double(n, "ab-kpi-cv", &has_cv, &s->lift_ab_cv);
	if (s->lift_has_ab != has_cv)
		pf_diags_add(d, s->path, line, "<lift>: %s needs %s as well "
		    "(the planned A/B's traffic per arm and its KPI's "
		    "coefficient of variation)", has_cv ? "ab-kpi-cv" :
		    "ab-traffic", has_cv ? "ab-traffic" : "ab-kpi-cv");
	return s->lift_history == NULL ? -1 : 0;
}

/*
 * A relative goal's against: "label:KEY=VALUE", the key as a run label's
 * ([A-Za-z0-9_.-]+; the value may be empty). 0 when well-formed.
 */
static int
check_against(const char *a)
{
	size_t k;

	if (strncmp(a, "label:", 6) != 0)
		return -1;
	a += 6;
	k = strspn(a, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "0123456789_.-");
	return k > 0 && a[k] == '=' ? 0 : -1;
}

/* One <goal>'s rules: absolute (min, max) or relative (min-delta,
   max-delta with against), never both. */
static void
check_goal(pf_scenario *s, const pf_scn_goal *g, pf_diags *d)
{
	int abs = g->has_min || g->has_max;
	int rel = g->has_min_delta || g->has_max_delta;

	if (abs && (rel || g->against != NULL))
		pf_diags_add(d, s->path, g->line, "goal '%s': min and max are "
		    "for the stack's mean, min-delta, max-delta and against for "
		    "a delta against a labelled run; give one kind", g->metric);
	else if (rel && g->against == NULL)
		pf_diags_add(d, s->path, g->line, "goal '%s': min-delta and "
		    "max-delta need against=\"label:KEY=VALUE\" (the run to "
		    "compare with)", g->metric);
	else if (!abs && !rel)
		pf_diags_add(d, s->path, g->line, "goal '%s' needs min, max, or "
		    "min-delta or max-delta with against", g->metric);
	else if (g->against != NULL && check_against(g->against) != 0)
		pf_diags_add(d, s->path, g->line, "goal '%s': against='%s': "
		    "expected label:KEY=VALUE (a run label, KEY of letters, "
		    "digits, '_', '.', '-')", g->metric, g->against);
	else if (g->has_min && g->has_max && g->min > g->max)
		pf_diags_add(d, s->path, g->line, "goal '%s': min %g is "
		    "above max %g", g->metric, g->min, g->max);
	else if (g->has_min_delta && g->has_max_delta &&
	    g->min_delta > g->max_delta)
		pf_diags_add(d, s->path, g->line, "goal '%s': min-delta %g is "
		    "above max-delta %g", g->metric, g->min_delta,
		    g->max_delta);
}

/* <goals>: each <goal>, absolute or relative (check_goal). */
static int
read_goals(pf_scenario *s, xmlNode *n, long line, pf_diags *d)
{
	size_t cap = s->ngoals;

	(void)line;
	for (xmlNode *c = n->children; c != NULL; c = c->next) {
		pf_scn_goal *g;
		if (!pf_scn__is(c, "goal"))
			continue;
		if ((g = pf_grow(s->goals, &cap, s->ngoals + 1,
		    sizeof(*g))) == NULL)
			return -1;
		s->goals = g;
		g = &s->goals[s->ngoals++];
		memset(g, 0, sizeof(*g));
		g->line = xmlGetLineNo(c);
		g->stack = pf_scn__attr(c, "stack");
		g->against = pf_scn__attr(c, "against");
		pf_scn__attr_double(c, "min", &g->has_min, &g->min);
		pf_scn__attr_double(c, "max", &g->has_max, &g->max);
		pf_scn__attr_double(c, "min-delta", &g->has_min_delta, &g->min_delta);
		pf_scn__attr_double(c, "max-delta", &g->has_max_delta, &g->max_delta);
		if ((g->metric = pf_scn__attr(c, "metric")) == NULL)
			return -1;
		check_goal(s, g, d);
	}
	return 0;
}

/* <history db labels>: a path resolves against the scenario's folder, a
   postgresql:// URI is kept as it is. */
static int
read_history(pf_scenario *s, xmlNode *n, long line, pf_diags *d)
{
	char *db = pf_scn__attr(n, "db");

	(void)d;
	s->history_line = line;
	s->history_labels = pf_scn__attr(n, "labels");
	if (db == NULL)
		return -1;
	if (strncmp(db, "postgresql://", 13) == 0 ||
	    strncmp(db, "postgres://", 11) == 0) {
		s->history_db = db;
		return 0;
	}
	s->history_db = pf_path_join(s->dir, db);
	free(db);
	return s->history_db == NULL ? -1 : 0;
}

/* What the file leaves out. */
static int
defaults(pf_scenario *s)
{
	static const char *const def[] = {"ndcg_cut.5,10", "ndcg_exp_cut.5,10",
	    "map", "recip_rank", "P.10", "judged.10"};

	if (s->out_dir == NULL)
		s->out_dir = pf_path_join(s->dir, "out");
	if (s->results == NULL)
		s->results = strdup("results.json");
	if (s->report == NULL)
		s->report = strdup("report.html");
	if (s->junit == NULL)
		s->junit = strdup("junit.xml");
	if (s->nmetrics == 0) {		/* the default metric set */
		s->nmetrics = sizeof(def) / sizeof(*def);
		if ((s->metrics = calloc(s->nmetrics, sizeof(char *))) == NULL)
			return -1;
		for (size_t i = 0; i < s->nmetrics; i++)
			if ((s->metrics[i] = strdup(def[i])) == NULL)
				return -1;
	}
	if (s->primary == NULL)
		s->primary = strdup("ndcg_cut_10");
	return s->name && s->golden_dir && s->out_dir && s->results &&
	    s->report && s->junit && s->primary ? 0 : -1;
}

static const struct element {
	const char	*name;
	int		(*read)(pf_scenario *, xmlNode *, long, pf_diags *);
} elements[] = {
	{"golden", read_golden},
	{"stack", read_stack},
	{"metrics", read_metrics},
	{"outputs", read_outputs},
	{"compare", read_compare},
	{"gates", read_gates},
	{"interleave", read_interleave},
	{"importance", read_importance_el},
	{"probe", read_probe_el},
	{"features-report", pf_scenario__read_features_report},
	{"lift", read_lift},
	{"goals", read_goals},
	{"history", read_history},
};

int
pf_scenario__read(pf_scenario *s, xmlNode *root, pf_diags *d)
{
	char *v;

	s->name = pf_scn__attr(root, "name");
	s->seed = 1;
	if ((v = pf_scn__attr(root, "seed")) != NULL)
		s->seed = strtoull(v, NULL, 10);
	free(v);
	s->runs = 1;
	s->n_boot = 10000;
	s->n_perm = 10000;
	s->alpha = 0.05;
	s->tie_tol = 1e-9;
	s->min_segment = 10;
	for (xmlNode *n = root->children; n != NULL; n = n->next) {
		if (n->type != XML_ELEMENT_NODE)
			continue;
		for (size_t i = 0; i < sizeof(elements) / sizeof(*elements);
		    i++)
			if (pf_scn__is(n, elements[i].name) && elements[i].read(s, n,
			    xmlGetLineNo(n), d) != 0)
				return -1;
	}
	return defaults(s);
}
