/*
 * harness/load/scenario.c — see scenario.h. Three passes: libxml2 parses (no
 * network, no entity expansion), the compiled-in XSD validates, then the
 * tree is read into structs with the checks the schema cannot express
 * (reserved elements). Stage elements are kept as names and parameters:
 * the stage registry (harness/stages) checks them when the replay opens
 * them, so the loader knows nothing of stages.
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlschemas.h>

#include "harness/util/grow.h"
#include "harness/load/scenario.h"
#include "scenario_xsd.h"

const char *
pf_scenario_xsd(size_t *len)
{
	*len = sizeof(scenario_xsd_bytes);
	return (const char *)scenario_xsd_bytes;
}

void
pf_scenario_golden_spec(const pf_scenario *s, pf_golden_spec *out)
{
	*out = (pf_golden_spec){.source = s->path, .line = s->golden_line,
	    .queries = s->queries, .docs = s->docs, .qrels = s->qrels,
	    .agg = s->agg, .labels = s->labels,
	    .labels_qfile = s->labels_qfile, .expectations = s->expectations};
}

typedef struct errctx {
	pf_diags	*d;
	const char	*path;
} errctx;

static void
on_xml_error(void *user, xmlErrorPtr e)
{
	errctx *c = user;

	if (e == NULL || e->level == XML_ERR_WARNING)
		return;
	pf_diags_add(c->d, c->path, e->line > 0 ? e->line : 0, "%s",
	    e->message ? e->message : "invalid");
}

static char *
attr(xmlNode *n, const char *name)
{
	xmlChar *v = xmlGetProp(n, (const xmlChar *)name);
	char *s;

	if (v == NULL)
		return NULL;
	s = strdup((const char *)v);
	xmlFree(v);
	return s;
}

static int
is(xmlNode *n, const char *name)
{
	return n->type == XML_ELEMENT_NODE &&
	    strcmp((const char *)n->name, name) == 0;
}

static void
free_stack(pf_scn_stack *k)
{
	for (size_t i = 0; i < k->nstages; i++) {
		pf_scn_stage *g = &k->stages[i];
		for (size_t j = 0; j < g->nparams; j++) {
			free((char *)g->params[j].key);
			free((char *)g->params[j].value);
		}
		free(g->params);
		free(g->name);
	}
	free(k->stages);
	free(k->id);
	free(k->name);
}

void
pf_scenario_free(pf_scenario *s)
{
	if (s == NULL)
		return;
	for (size_t i = 0; i < s->nstacks; i++)
		free_stack(&s->stacks[i]);
	free(s->stacks);
	for (size_t i = 0; i < s->ngates; i++) {
		free(s->gates[i].id);
		free(s->gates[i].metric);
		free(s->gates[i].stack);
	}
	free(s->gates);
	free(s->report);
	free(s->il_method);
	free(s->il_preset);
	free(s->il_model);
	free(s->il_mode);
	free(s->il_click);
	free(s->il_stop);
	for (size_t i = 0; i < s->nfimp; i++) {
		pf_scn_featimp *f = &s->fimp[i];
		for (size_t j = 0; j < f->ngroups; j++) {
			free(f->groups[j].name);
			free(f->groups[j].feat);
		}
		free(f->groups);
		free(f->stack);
		free(f->method);
	}
	free(s->fimp);
	free(s->imp_metric);
	free(s->imp_stages_stack);
	free(s->mono);
	free(s->lift_history);
	free(s->lift_metric);
	free(s->lift_stack);
	free(s->expectations);
	free(s->junit);
	for (size_t i = 0; i < s->nmetrics; i++)
		free(s->metrics[i]);
	free(s->metrics);
	free(s->path);
	free(s->dir);
	free(s->name);
	free(s->golden_dir);
	free(s->golden_name);
	free(s->queries);
	free(s->docs);
	free(s->qrels);
	free(s->labels);
	free(s->labels_qfile);
	free(s->primary);
	free(s->out_dir);
	free(s->results);
	free(s);
}

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
		p->value = attr(n, (const char *)a->name);
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
	s->imp_metric = attr(n, "metric");
	for (xmlNode *c = n->children; c != NULL; c = c->next) {
		if (is(c, "stages")) {
			s->imp_stages = 1;
			s->imp_stages_line = xmlGetLineNo(c);
			s->imp_stages_stack = attr(c, "stack");
		} else if (is(c, "oracle")) {
			s->imp_oracle = 1;
		} else if (is(c, "features")) {
			pf_scn_featimp *f = realloc(s->fimp,
			    (s->nfimp + 1) * sizeof(*f));
			if (f == NULL)
				return -1;
			s->fimp = f;
			f = &s->fimp[s->nfimp++];
			memset(f, 0, sizeof(*f));
			f->line = xmlGetLineNo(c);
			f->stack = attr(c, "stack");
			f->method = attr(c, "method");
			if (f->method == NULL &&
			    (f->method = strdup("permute")) == NULL)
				return -1;
			f->repeats = 5;
			f->top = 20;
			if ((v = attr(c, "stage")) != NULL)
				f->stage = (size_t)strtoull(v, NULL, 10);
			free(v);
			if ((v = attr(c, "repeats")) != NULL)
				f->repeats = (size_t)strtoull(v, NULL, 10);
			free(v);
			if ((v = attr(c, "top")) != NULL)
				f->top = (size_t)strtoull(v, NULL, 10);
			free(v);
			if ((v = attr(c, "max-share")) != NULL) {
				f->has_max_share = 1;
				f->max_share = strtod(v, NULL);
			}
			free(v);
			if (f->repeats > 1000)
				pf_diags_add(d, path, f->line, "importance "
				    "repeats must be at most 1000");
			for (xmlNode *g = c->children; g != NULL; g = g->next) {
				if (!is(g, "group"))
					continue;
				pf_scn_group *ng = realloc(f->groups,
				    (f->ngroups + 1) * sizeof(*ng));
				if (ng == NULL)
					return -1;
				f->groups = ng;
				ng = &f->groups[f->ngroups++];
				memset(ng, 0, sizeof(*ng));
				ng->line = xmlGetLineNo(g);
				ng->name = attr(g, "name");
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
		cap += c->type == XML_ELEMENT_NODE && is(c, "monotone");
	if ((s->mono = calloc(cap ? cap : 1, sizeof(*s->mono))) == NULL)
		return -1;
	for (xmlNode *c = n->children; c != NULL; c = c->next) {
		if (c->type != XML_ELEMENT_NODE || !is(c, "monotone"))
			continue;
		char *f = attr(c, "feature"), *dir = attr(c, "direction");
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
read_tree(pf_scenario *s, xmlNode *root, pf_diags *d)
{
	const char *path = s->path;
	char *v;

	s->name = attr(root, "name");
	if ((v = attr(root, "seed")) != NULL) {
		s->seed = strtoull(v, NULL, 10);
		free(v);
	} else {
		s->seed = 1;
	}
	s->runs = 1;
	s->n_boot = 10000;
	s->n_perm = 10000;
	s->alpha = 0.05;
	s->tie_tol = 1e-9;
	s->min_segment = 10;
	for (xmlNode *n = root->children; n != NULL; n = n->next) {
		if (n->type != XML_ELEMENT_NODE)
			continue;
		long line = xmlGetLineNo(n);
		if (is(n, "golden")) {
			char *dir = attr(n, "dir");
			s->golden_dir = pf_path_join(s->dir, dir ? dir : ".");
			free(dir);
			s->golden_name = attr(n, "name");
			s->golden_line = line;
			for (xmlNode *c = n->children; c != NULL; c = c->next) {
				char *f;
				if (is(c, "queries")) {
					f = attr(c, "file");
					s->queries = pf_path_join(s->golden_dir, f);
					free(f);
				} else if (is(c, "docs")) {
					f = attr(c, "file");
					s->docs = pf_path_join(s->golden_dir, f);
					free(f);
				} else if (is(c, "qrels")) {
					f = attr(c, "file");
					s->qrels = pf_path_join(s->golden_dir, f);
					free(f);
					f = attr(c, "aggregate");
					s->agg = f == NULL || !strcmp(f, "median") ?
					    PF_AGG_MEDIAN : !strcmp(f, "mean") ?
					    PF_AGG_MEAN : PF_AGG_MAJORITY;
					free(f);
				} else if (is(c, "labels")) {
					f = attr(c, "candidates");
					s->labels = pf_path_join(s->golden_dir, f);
					free(f);
					f = attr(c, "query-file");
					s->labels_qfile = pf_path_join(
					    s->golden_dir, f);
					free(f);
				}
			}
		} else if (is(n, "stack")) {
			pf_scn_stack *k = realloc(s->stacks,
			    (s->nstacks + 1) * sizeof(*k));
			if (k == NULL)
				return -1;
			s->stacks = k;
			k = &s->stacks[s->nstacks++];
			memset(k, 0, sizeof(*k));
			k->id = attr(n, "id");
			k->name = attr(n, "name");
			if (k->name == NULL && k->id != NULL)
				k->name = strdup(k->id);
			k->line = line;
			for (xmlNode *c = n->children; c != NULL; c = c->next) {
				if (c->type != XML_ELEMENT_NODE)
					continue;
				pf_scn_stage *g = realloc(k->stages,
				    (k->nstages + 1) * sizeof(*g));
				if (g == NULL)
					return -1;
				k->stages = g;
				g = &k->stages[k->nstages++];
				memset(g, 0, sizeof(*g));
				if (read_stage(g, c) != 0)
					return -1;
			}
		} else if (is(n, "metrics")) {
			s->metrics_line = line;
			s->primary = attr(n, "primary");
			for (xmlNode *c = n->children; c != NULL; c = c->next) {
				if (!is(c, "metric"))
					continue;
				char **m = realloc(s->metrics,
				    (s->nmetrics + 1) * sizeof(*m));
				if (m == NULL)
					return -1;
				s->metrics = m;
				if ((m[s->nmetrics++] = attr(c, "name")) == NULL)
					return -1;
			}
		} else if (is(n, "outputs")) {
			char *dir = attr(n, "dir");
			s->out_dir = pf_path_join(s->dir, dir ? dir : "out");
			free(dir);
			s->results = attr(n, "results");
			s->report = attr(n, "report");
			s->junit = attr(n, "junit");
			if ((v = attr(n, "runs")) != NULL) {
				s->runs = strcmp(v, "true") == 0 ||
				    strcmp(v, "1") == 0;
				free(v);
			}
		} else if (is(n, "compare")) {
			if ((v = attr(n, "bootstrap")) != NULL)
				s->n_boot = (size_t)strtoull(v, NULL, 10);
			free(v);
			if ((v = attr(n, "permutations")) != NULL)
				s->n_perm = (size_t)strtoull(v, NULL, 10);
			free(v);
			if ((v = attr(n, "alpha")) != NULL)
				s->alpha = strtod(v, NULL);
			free(v);
			if ((v = attr(n, "tie-tolerance")) != NULL)
				s->tie_tol = strtod(v, NULL);
			free(v);
			if ((v = attr(n, "min-effect")) != NULL)
				s->min_effect = strtod(v, NULL);
			free(v);
			if ((v = attr(n, "min-segment")) != NULL)
				s->min_segment = (size_t)strtoull(v, NULL, 10);
			free(v);
			v = attr(n, "label-bootstrap");
			s->label_boot = v != NULL && (!strcmp(v, "true") ||
			    !strcmp(v, "1"));
			free(v);
		} else if (is(n, "gates")) {
			for (xmlNode *c = n->children; c != NULL; c = c->next) {
				if (is(c, "expectations")) {
					char *f = attr(c, "file");
					s->expectations = pf_path_join(
					    s->golden_dir ? s->golden_dir : s->dir,
					    f);
					free(f);
					continue;
				}
				if (!is(c, "gate"))
					continue;
				pf_scn_gate *g = realloc(s->gates,
				    (s->ngates + 1) * sizeof(*g));
				if (g == NULL)
					return -1;
				s->gates = g;
				g = &s->gates[s->ngates++];
				memset(g, 0, sizeof(*g));
				g->line = xmlGetLineNo(c);
				g->id = attr(c, "id");
				g->metric = attr(c, "metric");
				g->stack = attr(c, "stack");
				if ((v = attr(c, "min")) != NULL) {
					g->has_min = 1;
					g->min = strtod(v, NULL);
				}
				free(v);
				if ((v = attr(c, "min-delta")) != NULL) {
					g->has_min_delta = 1;
					g->min_delta = strtod(v, NULL);
				}
				free(v);
				if ((v = attr(c, "on")) != NULL)
					g->on_ci = strcmp(v, "ci-lower") == 0;
				free(v);
				if ((v = attr(c, "significant")) != NULL)
					g->significant = !strcmp(v, "true") ||
					    !strcmp(v, "1");
				free(v);
				if (g->has_min + g->has_min_delta +
				    g->significant != 1)
					pf_diags_add(d, path, g->line, "gate "
					    "'%s' needs exactly one of min, "
					    "min-delta, significant=\"true\"",
					    g->id ? g->id : "");
			}
		} else if (is(n, "interleave")) {
			s->il_on = 1;
			s->il_method = attr(n, "method");
			s->il_preset = attr(n, "preset");
			s->il_model = attr(n, "model");
			s->il_mode = attr(n, "mode");
			s->il_click = attr(n, "click");
			s->il_stop = attr(n, "stop");
			if (s->il_stop != NULL && s->il_click == NULL)
				pf_diags_add(d, path, line, "interleave stop= "
				    "needs click= as well");
			s->il_impr = 1000;
			s->il_k = 10;
			s->il_depth = 10;
			if ((v = attr(n, "impressions")) != NULL)
				s->il_impr = (size_t)strtoull(v, NULL, 10);
			free(v);
			if ((v = attr(n, "k")) != NULL)
				s->il_k = (size_t)strtoull(v, NULL, 10);
			free(v);
			if ((v = attr(n, "depth")) != NULL)
				s->il_depth = (size_t)strtoull(v, NULL, 10);
			free(v);
			if (s->il_k > 256)
				pf_diags_add(d, path, line, "interleave k must "
				    "be at most 256");
		} else if (is(n, "importance")) {
			if (read_importance(s, n, path, d) != 0)
				return -1;
		} else if (is(n, "probe")) {
			if (read_probe(s, n) != 0)
				return -1;
		} else if (is(n, "lift")) {
			s->lift_on = 1;
			s->lift_line = line;
			s->lift_metric = attr(n, "metric");
			s->lift_stack = attr(n, "stack");
			v = attr(n, "history");
			s->lift_history = pf_path_join(s->dir, v);
			free(v);
			if ((v = attr(n, "min-lift")) != NULL) {
				s->lift_has_min = 1;
				s->lift_min = strtod(v, NULL);
			}
			free(v);
			if ((v = attr(n, "synthetic")) != NULL)
				s->lift_synthetic = !strcmp(v, "true") ||
				    !strcmp(v, "1");
			free(v);
			if (s->lift_history == NULL)
				return -1;
		}
	}
	if (s->out_dir == NULL)
		s->out_dir = pf_path_join(s->dir, "out");
	if (s->results == NULL)
		s->results = strdup("results.json");
	if (s->report == NULL)
		s->report = strdup("report.html");
	if (s->junit == NULL)
		s->junit = strdup("junit.xml");

	if (s->nmetrics == 0) {		/* the default metric set */
		static const char *const def[] = {"ndcg_cut.5,10",
		    "ndcg_exp_cut.5,10", "map", "recip_rank", "P.10",
		    "judged.10"};
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

int
pf_scenario_load(pf_scenario **out, const char *path, pf_diags *d)
{
	pf_scenario *s = NULL;
	xmlDoc *doc = NULL;
	xmlSchemaParserCtxt *pc = NULL;
	xmlSchema *schema = NULL;
	xmlSchemaValidCtxt *vc = NULL;
	errctx ec = {d, path};
	size_t n0 = d->n + d->dropped;
	int rc = PF_EFORMAT;

	*out = NULL;
	if ((s = calloc(1, sizeof(*s))) == NULL ||
	    (s->path = strdup(path)) == NULL)
		goto nomem;
	const char *slash = strrchr(path, '/');
	s->dir = slash ? strndup(path, (size_t)(slash - path + (slash ==
	    path))) : strdup(".");
	if (s->dir == NULL)
		goto nomem;

	xmlSetStructuredErrorFunc(&ec, on_xml_error);
	doc = xmlReadFile(path, NULL, XML_PARSE_NONET | XML_PARSE_NOBLANKS |
	    XML_PARSE_BIG_LINES);
	if (doc == NULL) {
		if (d->n + d->dropped == n0)
			pf_diags_add(d, path, 0, "cannot read the scenario: %s",
			    strerror(errno));
		goto done;
	}
	size_t xlen;
	const char *xsd = pf_scenario_xsd(&xlen);
	if ((pc = xmlSchemaNewMemParserCtxt(xsd, (int)xlen)) == NULL ||
	    (schema = xmlSchemaParse(pc)) == NULL ||
	    (vc = xmlSchemaNewValidCtxt(schema)) == NULL) {
		pf_diags_add(d, path, 0, "internal error: the compiled-in "
		    "schema does not load");
		goto done;
	}
	xmlSchemaSetValidStructuredErrors(vc, on_xml_error, &ec);
	if (xmlSchemaValidateDoc(vc, doc) != 0) {
		if (d->n + d->dropped == n0)
			pf_diags_add(d, path, 0, "does not match the schema");
		goto done;
	}
	if (read_tree(s, xmlDocGetRootElement(doc), d) != 0)
		goto nomem;
	if (d->n + d->dropped == n0)
		rc = PF_OK;
	goto done;
nomem:
	pf_diags_add(d, path, 0, "out of memory");
	rc = PF_ENOMEM;
done:
	xmlSetStructuredErrorFunc(NULL, NULL);
	xmlSchemaFreeValidCtxt(vc);
	xmlSchemaFree(schema);
	xmlSchemaFreeParserCtxt(pc);
	xmlFreeDoc(doc);
	if (rc != PF_OK)
		pf_scenario_free(s);
	else
		*out = s;
	return rc;
}
