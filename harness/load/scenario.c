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

#include "harness/load/scenario.h"
#include "harness/load/scenario_internal.h"
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
	pf_gates_free(s->gates, s->ngates);
	pf_scenario__free_features(s);
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
	for (size_t i = 0; i < s->ngoals; i++) {
		free(s->goals[i].metric);
		free(s->goals[i].stack);
		free(s->goals[i].against);
	}
	free(s->goals);
	free(s->history_db);
	free(s->history_labels);
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

/*
 * Parses path (no network, no entities) and validates it against the
 * compiled-in schema: the document, or NULL with every problem in d.
 */
static xmlDoc *
parse_valid(const char *path, pf_diags *d)
{
	xmlDoc *doc = NULL;
	xmlSchemaParserCtxt *pc = NULL;
	xmlSchema *schema = NULL;
	xmlSchemaValidCtxt *vc = NULL;
	errctx ec = {d, path};
	size_t n0 = d->n + d->dropped, xlen;
	const char *xsd = pf_scenario_xsd(&xlen);

	xmlSetStructuredErrorFunc(&ec, on_xml_error);
	doc = xmlReadFile(path, NULL, XML_PARSE_NONET | XML_PARSE_NOBLANKS |
	    XML_PARSE_BIG_LINES);
	if (doc == NULL) {
		if (d->n + d->dropped == n0)
			pf_diags_add(d, path, 0, "cannot read the file: %s",
			    strerror(errno));
		goto done;
	}
	if (doc->intSubset != NULL || doc->extSubset != NULL) {
		xmlDtd *dt = doc->intSubset ? doc->intSubset : doc->extSubset;
		pf_diags_add(d, path, xmlGetLineNo((xmlNode *)dt), "a DOCTYPE "
		    "(and with it entities and external DTDs) is not allowed "
		    "here: remove it");
		xmlFreeDoc(doc);
		doc = NULL;
		goto done;
	}
	if ((pc = xmlSchemaNewMemParserCtxt(xsd, (int)xlen)) == NULL ||
	    (schema = xmlSchemaParse(pc)) == NULL ||
	    (vc = xmlSchemaNewValidCtxt(schema)) == NULL) {
		pf_diags_add(d, path, 0, "internal error: the compiled-in "
		    "schema does not load");
		xmlFreeDoc(doc);
		doc = NULL;
		goto done;
	}
	xmlSchemaSetValidStructuredErrors(vc, on_xml_error, &ec);
	if (xmlSchemaValidateDoc(vc, doc) != 0) {
		if (d->n + d->dropped == n0)
			pf_diags_add(d, path, 0, "does not match the schema");
		xmlFreeDoc(doc);
		doc = NULL;
	}
done:
	xmlSetStructuredErrorFunc(NULL, NULL);
	xmlSchemaFreeValidCtxt(vc);
	xmlSchemaFree(schema);
	xmlSchemaFreeParserCtxt(pc);
	return doc;
}

/* A new scenario for path: its path and folder set. */
static pf_scenario *
scenario_new(const char *path)
{
	pf_scenario *s = calloc(1, sizeof(*s));
	const char *slash = strrchr(path, '/');

	if (s == NULL || (s->path = strdup(path)) == NULL ||
	    (s->dir = slash ? strndup(path, (size_t)(slash - path + (slash ==
	    path))) : strdup(".")) == NULL) {
		pf_scenario_free(s);
		return NULL;
	}
	return s;
}

static int
is_root(xmlDoc *doc, const char *name, const char *path, pf_diags *d)
{
	xmlNode *root = xmlDocGetRootElement(doc);

	if (root != NULL && strcmp((const char *)root->name, name) == 0)
		return 1;
	pf_diags_add(d, path, root ? xmlGetLineNo(root) : 0, "expected a "
	    "<%s> document, got <%s>", name, root ? (const char *)root->name :
	    "");
	return 0;
}

int
pf_scenario_load(pf_scenario **out, const char *path, pf_diags *d)
{
	pf_scenario *s = NULL;
	xmlDoc *doc = NULL;
	size_t n0 = d->n + d->dropped;
	int rc = PF_EFORMAT;

	*out = NULL;
	if ((s = scenario_new(path)) == NULL)
		goto nomem;
	if ((doc = parse_valid(path, d)) == NULL ||
	    !is_root(doc, "scenario", path, d))
		goto done;
	if (pf_scenario__read(s, xmlDocGetRootElement(doc), d) != 0)
		goto nomem;
	if (d->n + d->dropped == n0)
		rc = PF_OK;
	goto done;
nomem:
	pf_diags_add(d, path, 0, "out of memory");
	rc = PF_ENOMEM;
done:
	xmlFreeDoc(doc);
	if (rc != PF_OK)
		pf_scenario_free(s);
	else
		*out = s;
	return rc;
}

int
pf_gates_load(pf_scn_gate **out, size_t *n, const char *path, pf_diags *d)
{
	pf_scenario *s = NULL;
	xmlDoc *doc = NULL;
	size_t n0 = d->n + d->dropped;
	int rc = PF_EFORMAT;

	*out = NULL;
	*n = 0;
	if ((s = scenario_new(path)) == NULL)
		goto nomem;
	if ((doc = parse_valid(path, d)) == NULL ||
	    !is_root(doc, "gates", path, d))
		goto done;
	if (pf_scenario__read_gates(s, xmlDocGetRootElement(doc), d) != 0)
		goto nomem;
	if (s->expectations != NULL)
		pf_diags_add(d, path, 0, "<expectations> need a golden set: "
		    "put them in a scenario and use preflight run");
	for (size_t i = 0; i < s->nfgates; i++)
		pf_diags_add(d, path, s->fgates[i].line, "<feature-gate> needs "
		    "a stack's candidates: put it in a scenario and use "
		    "preflight run");
	if (d->n + d->dropped != n0)
		goto done;
	*out = s->gates;
	*n = s->ngates;
	s->gates = NULL;
	s->ngates = 0;
	rc = PF_OK;
	goto done;
nomem:
	pf_diags_add(d, path, 0, "out of memory");
	rc = PF_ENOMEM;
done:
	xmlFreeDoc(doc);
	pf_scenario_free(s);
	return rc;
}

void
pf_gates_free(pf_scn_gate *g, size_t n)
{
	for (size_t i = 0; g != NULL && i < n; i++) {
		free(g[i].id);
		free(g[i].metric);
		free(g[i].stack);
		free(g[i].against);
	}
	free(g);
}
