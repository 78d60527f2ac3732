/*
 * test_scenario.c — the scenario schema and the stage registry agree (every
 * stage element of the XSD is a registered stage with exactly the
 * registry's parameters, and the reverse), and the loader reads defaults,
 * resolves paths, and reports every problem with its line.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <criterion/criterion.h>
#include <libxml/parser.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>

#include "harness/load/scenario.h"
#include "harness/stages/stage.h"

static xmlDoc *
xsd_doc(void)
{
	size_t len;
	const char *x = pf_scenario_xsd(&len);
	xmlDoc *d = xmlReadMemory(x, (int)len, "scenario.xsd", NULL,
	    XML_PARSE_NONET);

	cr_assert_not_null(d);
	return d;
}

static int
count(xmlXPathContext *c, const char *expr)
{
	xmlXPathObject *o = xmlXPathEvalExpression((const xmlChar *)expr, c);
	int n;

	cr_assert_not_null(o, "%s", expr);
	n = o->nodesetval ? o->nodesetval->nodeNr : 0;
	xmlXPathFreeObject(o);
	return n;
}

Test(scenario, schema_and_registry_agree)
{
	xmlDoc *d = xsd_doc();
	xmlXPathContext *c = xmlXPathNewContext(d);
	char q[512];
	size_t nreg = 0;

	xmlXPathRegisterNs(c, (const xmlChar *)"xs",
	    (const xmlChar *)"http://www.w3.org/2001/XMLSchema");
	for (size_t i = 0; pf_stage_registry[i] != NULL; i++, nreg++) {
		const pf_stage_ops *s = pf_stage_registry[i];
		int np = 0;
		cr_assert_eq(s->abi, PF_STAGE_ABI);
		snprintf(q, sizeof(q), "//xs:complexType[@name='stackType']"
		    "/xs:choice/xs:element[@name='%s']", s->name);
		cr_assert_eq(count(c, q), 1, "stage %s not in the schema",
		    s->name);
		for (const pf_stage_param_doc *p = s->params; p->name; p++) {
			np++;
			snprintf(q, sizeof(q), "//xs:complexType[@name="
			    "'stackType']/xs:choice/xs:element[@name='%s']"
			    "//xs:attribute[@name='%s'%s]", s->name, p->name,
			    p->required ? " and @use='required'" : "");
			cr_assert_eq(count(c, q), 1, "%s/@%s: schema differs",
			    s->name, p->name);
		}
		snprintf(q, sizeof(q), "//xs:complexType[@name='stackType']"
		    "/xs:choice/xs:element[@name='%s']//xs:attribute",
		    s->name);
		cr_assert_eq(count(c, q), np, "stage %s: the schema has other "
		    "attributes than the registry", s->name);
	}
	/* gbdt is in the schema; the registry has it once the model
	   library is built in, so allow the schema one extra at most */
	int nxsd = count(c, "//xs:complexType[@name='stackType']/xs:choice/"
	    "xs:element");
	cr_assert(nxsd == (int)nreg || (nxsd == (int)nreg + 1 &&
	    pf_stage_find("gbdt") == NULL), "schema %d, registry %zu", nxsd,
	    nreg);
	xmlXPathFreeContext(c);
	xmlFreeDoc(d);
}

static const char *
write_tmp(const char *name, const char *text)
{
	static char path[128];
	snprintf(path, sizeof(path), "/tmp/pf_scn_%d_%s", (int)getpid(), name);
	FILE *f = fopen(path, "w");
	cr_assert_not_null(f);
	fputs(text, f);
	fclose(f);
	return path;
}

Test(scenario, defaults_and_paths)
{
	pf_diags d = {0};
	pf_scenario *s;
	const char *p = write_tmp("ok.xml",
	    "<scenario name=\"t\">\n"
	    " <golden dir=\"g\"><qrels file=\"q.txt\" aggregate=\"mean\"/>"
	    "</golden>\n"
	    " <stack id=\"a\"><candidates file=\"c.svm\"/></stack>\n"
	    " <stack id=\"b\" name=\"B\"><candidates file=\"c.svm\"/>"
	    "<cutoff k=\"3\"/></stack>\n"
	    "</scenario>\n");

	cr_assert_eq(pf_scenario_load(&s, p, &d), PF_OK, "%s", d.msg[0]);
	cr_assert_str_eq(s->dir, "/tmp");
	cr_assert_str_eq(s->golden_dir, "/tmp/g");
	cr_assert_str_eq(s->qrels, "/tmp/g/q.txt");
	cr_assert_eq(s->agg, PF_AGG_MEAN);
	cr_assert_eq(s->seed, 1);
	cr_assert_eq(s->nstacks, 2);
	cr_assert_str_eq(s->stacks[0].name, "a");
	cr_assert_str_eq(s->stacks[1].name, "B");
	cr_assert_eq(s->stacks[1].nstages, 2);
	cr_assert_eq(s->stacks[1].stages[1].line, 4);
	cr_assert_str_eq(s->stacks[1].stages[1].params[0].value, "3");
	cr_assert_str_eq(s->out_dir, "/tmp/out");
	cr_assert_str_eq(s->primary, "ndcg_cut_10");
	cr_assert_gt(s->nmetrics, 0);
	pf_scenario_free(s);
}

/* <candidates names=...>: the schema takes a path and the stage gets it as
   a parameter; an empty one is refused at its line. */
Test(scenario, candidates_names_is_a_path_the_schema_accepts)
{
	pf_diags d = {0};
	pf_scenario *s;
	const char *p = write_tmp("names.xml",
	    "<scenario name=\"t\">\n"
	    " <golden dir=\"g\"><qrels file=\"q.txt\"/></golden>\n"
	    " <stack id=\"a\"><candidates file=\"c.svm\" "
	    "names=\"features.tsv\"/></stack>\n"
	    " <stack id=\"b\"><candidates file=\"c.svm\"/></stack>\n"
	    "</scenario>\n");

	cr_assert_eq(pf_scenario_load(&s, p, &d), PF_OK, "%s", d.msg[0]);
	const pf_scn_stage *sg = &s->stacks[0].stages[0];
	cr_assert_eq(sg->nparams, 2);
	cr_assert_str_eq(sg->params[1].key, "names");
	cr_assert_str_eq(sg->params[1].value, "features.tsv");
	pf_scenario_free(s);
	p = write_tmp("names_empty.xml",
	    "<scenario name=\"t\">\n"
	    " <golden dir=\"g\"><qrels file=\"q.txt\"/></golden>\n"
	    " <stack id=\"a\"><candidates file=\"c.svm\" names=\"\"/>"
	    "</stack>\n"
	    " <stack id=\"b\"><candidates file=\"c.svm\"/></stack>\n"
	    "</scenario>\n");
	memset(&d, 0, sizeof(d));
	cr_assert_eq(pf_scenario_load(&s, p, &d), PF_EFORMAT);
	cr_assert_not_null(strstr(d.msg[0], "names_empty.xml:3:"), "%s",
	    d.msg[0]);
	cr_assert_not_null(strstr(d.msg[0], "'names'"), "%s", d.msg[0]);
}

Test(scenario, every_problem_is_reported_with_its_line)
{
	pf_diags d = {0};
	pf_scenario *s;
	const char *p = write_tmp("bad.xml",
	    "<scenario name=\"t\">\n"
	    " <golden><qrels file=\"q.txt\"/></golden>\n"
	    " <stack id=\"a\"><candidates/></stack>\n"
	    " <stack id=\"b\"><cutoff k=\"0\"/></stack>\n"
	    " <interleave/>\n"
	    "</scenario>\n");

	cr_assert_eq(pf_scenario_load(&s, p, &d), PF_EFORMAT);
	cr_assert_null(s);
	cr_assert_geq(d.n, 2, "only %zu problems", d.n);
	cr_assert_not_null(strstr(d.msg[0], "bad.xml:3:"), "%s", d.msg[0]);
	cr_assert_not_null(strstr(d.msg[1], "bad.xml:4:"), "%s", d.msg[1]);
}

Test(scenario, importance_and_lift_are_read)
{
	pf_diags d = {0};
	pf_scenario *s;
	const char *p = write_tmp("imp.xml",
	    "<scenario name=\"t\">\n"
	    " <golden><qrels file=\"q.txt\"/></golden>\n"
	    " <stack id=\"a\"><candidates file=\"c\"/></stack>\n"
	    " <stack id=\"b\"><candidates file=\"c\"/></stack>\n"
	    " <importance metric=\"map\">\n"
	    "  <features stack=\"b\" stage=\"1\" repeats=\"3\">\n"
	    "   <group name=\"g1\"> 4, 7 12</group>\n"
	    "  </features>\n"
	    "  <stages/><oracle/>\n"
	    " </importance>\n"
	    " <lift history=\"h.csv\" metric=\"ndcg_cut_10\" min-lift=\"0\"\n"
	    "   ab-traffic=\"250000\" ab-kpi-cv=\"1.5\"/>\n"
	    "</scenario>\n");

	cr_assert_eq(pf_scenario_load(&s, p, &d), PF_OK, "%s",
	    d.n ? d.msg[0] : "");
	cr_assert(s->imp_on && s->imp_stages && s->imp_oracle);
	cr_assert_str_eq(s->imp_metric, "map");
	cr_assert_eq(s->nfimp, 1);
	cr_assert_str_eq(s->fimp[0].stack, "b");
	cr_assert_str_eq(s->fimp[0].method, "permute");
	cr_assert_eq(s->fimp[0].stage, 1);
	cr_assert_eq(s->fimp[0].repeats, 3);
	cr_assert_eq(s->fimp[0].top, 20);
	cr_assert_eq(s->fimp[0].ngroups, 1);
	cr_assert_eq(s->fimp[0].groups[0].n, 3);
	cr_assert_eq(s->fimp[0].groups[0].feat[0], 4);
	cr_assert_eq(s->fimp[0].groups[0].feat[2], 12);
	cr_assert(s->lift_on && s->lift_has_min && !s->lift_synthetic);
	cr_assert_not_null(strstr(s->lift_history, "h.csv"));
	cr_assert(s->lift_has_ab);
	cr_assert_eq(s->lift_ab_traffic, 250000.0);
	cr_assert_eq(s->lift_ab_cv, 1.5);
	pf_scenario_free(s);
}
