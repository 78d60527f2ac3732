/*
 * test_html.c — report.html from a hand-made report model (reports/html.h),
 * read back with libxml2's XPath: well-formed, ids unique (a gate judged on
 * two treatments anchors once; qids with a space or '&' make valid ids),
 * every in-page link resolves, the "Every query" table has one row per
 * judged query in delta order with the dimensions that vary, a dimension
 * with one value is named rather than tabled, the verdict box carries the
 * decision's class and sign, and a negative grade is explained.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>
#include <libxml/parser.h>
#include <libxml/xpath.h>

#include "reports/html.h"

#define NQ	4
#define K	PF_REP_TOPK

static const char *qids[NQ] = {"q 1", "q&2", "3", "4"};
static const char *qtext[NQ] = {"first", "second", "third", "fourth"};
static const unsigned char judged[NQ] = {1, 1, 1, 0};
static const char *dim_name[2] = {"split", "lang"};
static const char *dims[NQ * 2] = {"test", "en", "test", "de", "test", "en",
    "test", "en"};
static const double pv[2 * NQ] = {0.5, 0.2, 0.9, NAN, 0.7, 0.1, 0.9, NAN};
static const double mean[2] = {0.5, 0.5667};
static const size_t nret[NQ] = {10, 10, 10, 0};
static const size_t first_rel[2 * NQ] = {2, 1, 1, 0, 1, 3, 1, 0};
static const char *metrics[1] = {"ndcg_cut_10"};
static const unsigned char is_count[1] = {0};

static xmlDocPtr
render(const pf_report *r)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	pf_err err = {0};
	xmlDocPtr d;

	cr_assert_not_null(f);
	cr_assert_eq(pf_report_write_html(r, f, &err), PF_OK, "%s", err.msg);
	fclose(f);
	d = xmlReadMemory(buf, (int)len, "report.html", NULL, XML_PARSE_NONET);
	cr_assert_not_null(d, "report.html is not well-formed XML");
	free(buf);
	return d;
}

static double
count(xmlDocPtr d, const char *xp)
{
	xmlXPathContextPtr c = xmlXPathNewContext(d);
	char q[1024];

	snprintf(q, sizeof(q), "count(%s)", xp);
	xmlXPathObjectPtr o = xmlXPathEvalExpression((const xmlChar *)q, c);
	cr_assert_not_null(o, "%s", xp);
	double v = o->floatval;
	xmlXPathFreeObject(o);
	xmlXPathFreeContext(c);
	return v;
}

static char *
str(xmlDocPtr d, const char *xp)
{
	xmlXPathContextPtr c = xmlXPathNewContext(d);
	char q[1024];

	snprintf(q, sizeof(q), "string(%s)", xp);
	xmlXPathObjectPtr o = xmlXPathEvalExpression((const xmlChar *)q, c);
	char *s = strdup((const char *)o->stringval);
	xmlXPathFreeObject(o);
	xmlXPathFreeContext(c);
	return s;
}

static const char *top_id[2 * NQ * K];
static int32_t top_grade[2 * NQ * K];
static pf_rep_stack stacks[2];
static pf_rep_delta deltas[1];
static pf_rep_gate gates[3];
static pf_rep_verdict verdicts[1];
static pf_rep_segment segs[3];

static pf_report
model(const char *verdict)
{
	static const char *docs[3] = {"d1", "d2", "d3"};

	for (size_t i = 0; i < 2 * NQ * K; i++) {
		top_id[i] = i % K < 3 && (i / K) % NQ != 3 ? docs[i % K] : NULL;
		top_grade[i] = i % K == 2 ? -1 : i % K == 1 ?
		    PF_REP_UNJUDGED : 1;
	}
	stacks[0] = (pf_rep_stack){"ctl", "control", "bm25", NULL, 0, NULL,
	    NAN, &mean[0], pv, nret, NULL};
	stacks[1] = (pf_rep_stack){"new", "treatment", "bm25 > gbdt", NULL, 0,
	    NULL, NAN, &mean[1], pv + NQ, nret, NULL};
	deltas[0] = (pf_rep_delta){0.5, 0.5667, 0.0667, 0.13, 0.01, 0.1, 0.01,
	    0.02, 0.01, 0, 0.5, 1, 1, 1, NAN};
	gates[0] = (pf_rep_gate){"g1", "g1: new vs ctl", 0, "ok"};
	gates[1] = (pf_rep_gate){"g1", "g1: other vs ctl", 0, "ok"};
	gates[2] = (pf_rep_gate){"g2", "g2: new vs ctl", 1, "failed"};
	verdicts[0] = (pf_rep_verdict){"new", verdict, "because"};
	segs[0] = (pf_rep_segment){"split", "test", "new", 3, 0.53, 0.03,
	    -0.1, 0.2, 0.5, 0, 0};
	segs[1] = (pf_rep_segment){"lang", "en", "new", 2, 0.7, 0.1, 0, 0.2,
	    0.3, 1, 0};
	segs[2] = (pf_rep_segment){"lang", "de", "new", 1, 0.2, -0.1, NAN, NAN,
	    NAN, 1, 0};
	return (pf_report){.title = "t", .scenario = "s.xml",
	    .scenario_sha256 = "ab", .version = "0", .generated = "now",
	    .command = "preflight run s.xml", .golden = "g", .metrics = metrics,
	    .is_count = is_count, .nmetrics = 1, .primary = 0,
	    .primary_name = "ndcg_cut_10", .qids = qids, .qtext = qtext,
	    .judged = judged, .dim_name = dim_name, .dim = dims, .ndims = 2,
	    .nq = NQ, .njudged = 3, .stacks = stacks, .nstacks = 2,
	    .primary_values = pv, .nmovers = 10, .top_id = top_id,
	    .top_grade = top_grade, .first_rel = first_rel, .deltas = deltas,
	    .segs = segs, .nsegs = 3, .method = "m", .verdict = verdict,
	    .verdict_why = "why", .rule = "rule", .verdicts = verdicts,
	    .nverdicts = 1, .gates = gates, .ngates = 3};
}

Test(html, ids_unique_and_links_resolve)
{
	pf_report r = model("REQUEST A SLOT");
	xmlDocPtr d = render(&r);
	xmlXPathContextPtr c = xmlXPathNewContext(d);
	xmlXPathObjectPtr o;

	cr_assert_eq(count(d, "//*[@id='gate-g1']"), 1);
	cr_assert_eq(count(d, "//*[@id='gate-g2']"), 1);
	cr_assert_eq(count(d, "//*[@id='q-q_201']"), 1, "a space is _20");
	cr_assert_eq(count(d, "//*[@id='q-q_262']"), 1, "an & is _26");
	o = xmlXPathEvalExpression((const xmlChar *)"//@id", c);
	for (int i = 0; i < o->nodesetval->nodeNr; i++) {
		xmlChar *v = xmlNodeGetContent(o->nodesetval->nodeTab[i]);
		char q[256];
		snprintf(q, sizeof(q), "//*[@id='%s']", (char *)v);
		cr_expect_eq(count(d, q), 1, "id %s is not unique", (char *)v);
		xmlFree(v);
	}
	xmlXPathFreeObject(o);
	o = xmlXPathEvalExpression((const xmlChar *)"//@href", c);
	int links = 0;
	for (int i = 0; i < o->nodesetval->nodeNr; i++) {
		xmlChar *v = xmlNodeGetContent(o->nodesetval->nodeTab[i]);
		char q[256];
		if (v[0] == '#') {
			snprintf(q, sizeof(q), "//*[@id='%s']", (char *)v + 1);
			cr_expect_eq(count(d, q), 1, "href %s", (char *)v);
			links++;
		}
		xmlFree(v);
	}
	cr_assert_gt(links, 10);
	xmlXPathFreeObject(o);
	xmlXPathFreeContext(c);
	xmlFreeDoc(d);
}

Test(html, every_query_table_in_delta_order)
{
	pf_report r = model("REQUEST A SLOT");
	xmlDocPtr d = render(&r);
	const char *rows = "//*[@id='query-table']//*[local-name()='tr']"
	    "[starts-with(@id,'q-')]";
	char xp[512], *s;

	cr_assert_eq(count(d, rows), 3, "one row per judged query");
	/* deltas: q 1 +0.2, q&2 -0.1, 3 0: most hurt first */
	const char *want[3] = {"q-q_262", "q-3", "q-q_201"};
	for (int i = 0; i < 3; i++) {
		snprintf(xp, sizeof(xp), "(%s)[%d]/@id", rows, i + 1);
		s = str(d, xp);
		cr_expect_str_eq(s, want[i]);
		free(s);
	}
	snprintf(xp, sizeof(xp), "(%s)[1]", rows);
	s = str(d, xp);
	/* q&2: second, de, 0.2000, 0.1000, -0.1000, ranks 1 and 3 */
	cr_expect_str_eq(s, "q&2secondde0.20000.1000\xe2\x96\xbc-0.100013");
	free(s);
	cr_expect_eq(count(d, "//*[@id='query-table']//*[local-name()='th']"
	    "[.='split']"), 0, "split has one value");
	cr_expect_eq(count(d, "//*[@id='query-table']//*[local-name()='th']"
	    "[.='lang']"), 1);
	xmlFreeDoc(d);
}

Test(html, one_valued_dimension_named_not_tabled)
{
	pf_report r = model("INCONCLUSIVE");
	xmlDocPtr d = render(&r);
	char *s = str(d, "//*[@id='segments-one-valued']");

	cr_expect(strstr(s, "split = test") != NULL, "%s", s);
	free(s);
	cr_expect_eq(count(d, "//*[@id='segments']//*[local-name()='td']"
	    "[.='split']"), 0);
	cr_expect_eq(count(d, "//*[@id='segments']//*[local-name()='td']"
	    "[.='de']"), 1);
	cr_expect_eq(count(d, "//*[local-name()='th'][normalize-space(.)"
	    "='']"), 0, "no empty header cell");
	xmlFreeDoc(d);
}

Test(html, verdict_box_links_each_gate_once)
{
	pf_report r = model("DO NOT REQUEST");
	xmlDocPtr d = render(&r);
	char *s = str(d, "//*[@id='verdict-gates']");

	cr_expect_eq(count(d, "//*[@id='verdict-gates']/*[local-name()='a']"),
	    2);
	cr_expect_str_eq(s, "Gates and expectations: g1 pass, g2 FAIL.");
	free(s);
	xmlFreeDoc(d);
}

Test(html, verdict_box_signed_by_decision)
{
	const char *v[3] = {"REQUEST A SLOT", "DO NOT REQUEST", "INCONCLUSIVE"};
	const char *cls[3] = {"vbox v-request", "vbox v-refuse",
	    "vbox v-inconclusive"};
	const char *sign[3] = {"\xe2\x96\xb2", "\xe2\x96\xbc", "="};

	for (int i = 0; i < 3; i++) {
		pf_report r = model(v[i]);
		xmlDocPtr d = render(&r);
		char *c = str(d, "//*[@id='verdict-box']/@class"),
		    *s = str(d, "//*[@class='vsign']"),
		    *t = str(d, "//*[@id='verdict']"),
		    *who = str(d, "//*[@id='verdict-who']");
		cr_expect_str_eq(c, cls[i]);
		cr_expect_str_eq(s, sign[i]);
		cr_expect_str_eq(t, v[i]);
		cr_expect(strstr(who, "new") && strstr(who, "control ctl"),
		    "%s", who);
		free(c);
		free(s);
		free(t);
		free(who);
		xmlFreeDoc(d);
	}
}

Test(html, movers_split_and_negative_grades_explained)
{
	pf_report r = model("REQUEST A SLOT");
	xmlDocPtr d = render(&r);
	char *s = str(d, "//*[local-name()='p'][contains(., 'negative "
	    "grade')]");

	cr_expect(strstr(s, "below non-relevant") != NULL, "%s", s);
	free(s);
	/* one improved (q 1) and one hurt (q&2) of 3 judged (n/2 = 1) */
	s = str(d, "//*[local-name()='h5'][1]");
	cr_expect(strstr(s, "Improved: the 1 query") != NULL, "%s", s);
	free(s);
	s = str(d, "//*[local-name()='h5'][1]/following-sibling::*[1]//"
	    "*[local-name()='a']");
	cr_expect_str_eq(s, "q 1");
	free(s);
	xmlFreeDoc(d);
}
