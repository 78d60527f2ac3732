/*
 * test_junit.c — the JUnit writer's output validates against the Jenkins
 * JUnit XSD in ../shared/schemas (REPORTS.md §1.7), including the nasty
 * strings, the cap on details and %.3f times; counts add up.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <criterion/criterion.h>
#include <libxml/parser.h>
#include <libxml/xmlschemas.h>
#include <libxml/xpath.h>

#include "reports/junit.h"

static char *
write_mem(const pf_junit *j, size_t *len)
{
	char *buf = NULL;
	FILE *f = open_memstream(&buf, len);
	pf_err err = {0};

	cr_assert_not_null(f);
	cr_assert_eq(pf_junit_write(j, f, &err), PF_OK, "%s", err.msg);
	fclose(f);
	return buf;
}

static int nerrors;
static void
on_err(void *u, xmlErrorPtr e)
{
	(void)u;
	nerrors++;
	cr_log_error("line %d: %s", e->line, e->message);
}

/* 0 when valid against junit-10.xsd; skips when shared/ is absent. */
static void
assert_valid(const char *xml, size_t len)
{
	char xsd[1024];
	snprintf(xsd, sizeof(xsd), "%s/schemas/junit-10.xsd", SHARED_DIR);
	if (access(xsd, R_OK) != 0)
		cr_skip_test("%s not found (shared/ absent)", xsd);
	xmlSchemaParserCtxtPtr pc = xmlSchemaNewParserCtxt(xsd);
	xmlSchemaPtr s = xmlSchemaParse(pc);
	xmlSchemaValidCtxtPtr vc = xmlSchemaNewValidCtxt(s);
	xmlDocPtr d = xmlReadMemory(xml, (int)len, "junit.xml", NULL,
	    XML_PARSE_NONET);
	cr_assert_not_null(d, "not well-formed:\n%s", xml);
	nerrors = 0;
	xmlSchemaSetValidStructuredErrors(vc, on_err, NULL);
	cr_assert_eq(xmlSchemaValidateDoc(vc, d), 0, "invalid:\n%.2000s", xml);
	xmlFreeDoc(d);
	xmlSchemaFreeValidCtxt(vc);
	xmlSchemaFree(s);
	xmlSchemaFreeParserCtxt(pc);
}

Test(junit, nasty_strings_stay_valid)
{
	char *big = malloc(1 << 20);
	memset(big, 'x', (1 << 20) - 1);
	big[(1 << 20) - 1] = '\0';
	const char *nasty = "q <1> & \"two\"\n\tthree \x01 bad \xff\xfe utf8 ]]> "
	    "\xed\xa0\x80 end";
	const char *pn[] = {"preflight.version", "scenario"};
	const char *pv[] = {"0.1.0", nasty};
	pf_ju_case cases[] = {
		{"g1: ndcg_cut_10 delta, b vs a", PF_JU_PASS, NULL, NULL, NULL,
		    0.00049},
		{nasty, PF_JU_FAIL, "GateFailed", nasty, big, 0.0},
		{"g3: lift, b vs a", PF_JU_SKIP, NULL, "not calibrated: 4 "
		    "past launches, need 8", NULL, 0.0},
		{"g4: err, b vs a", PF_JU_ERROR, "EvaluationError",
		    "stage failed on 3 queries\nsecond line", NULL, 0.0},
	};
	pf_ju_suite s = {"t.gates", "preflight.t.gates", "s.xml",
	    "2026-11-22T10:15:00", "ci", 0.00049, cases, 4, pn, pv, 2, nasty};
	pf_junit j = {"preflight t", &s, 1};
	size_t len;
	char *xml = write_mem(&j, &len);

	assert_valid(xml, len);
	cr_assert_lt(len, 3 * PF_JUNIT_DETAIL_CAP + 8192, "details not capped");
	cr_assert_not_null(strstr(xml, "time=\"0.000\""));
	cr_assert_not_null(strstr(xml, "[truncated]"));
	cr_assert_null(strstr(xml, "\x01"));
	cr_assert_not_null(strstr(xml, "tests=\"4\" failures=\"1\" "
	    "errors=\"1\" skipped=\"1\""));
	cr_assert_eq(pf_junit_failures(&j), 1);
	free(xml);
	free(big);
}

Test(junit, clean_replaces_controls_and_bad_utf8)
{
	char *c = pf_xml_clean("a\x01" "b\xc3\xa9" "c\xc3" "d\te\n", 0);
	cr_assert_str_eq(c, "a\xef\xbf\xbd" "b\xc3\xa9" "c\xef\xbf\xbd" "d\te\n");
	free(c);
	c = pf_xml_clean("\xc3\xa9\xc3\xa9\xc3\xa9", 5);	/* cut on a boundary */
	cr_assert_str_eq(c, "\xc3\xa9\xc3\xa9 [truncated]");
	free(c);
}

Test(junit, empty_document_is_valid)
{
	pf_ju_case c = {"scenario.load", PF_JU_ERROR, "BadInput",
	    "s.xml:3: Element 'cutoff': The attribute 'k' is required", NULL,
	    0.0};
	pf_ju_suite s = {"s.load", "preflight.s.load", "s.xml",
	    "2026-11-22T10:15:00", NULL, 0.0, &c, 1, NULL, NULL, 0, NULL};
	pf_junit j = {"preflight s", &s, 1};
	size_t len;
	char *xml = write_mem(&j, &len);

	assert_valid(xml, len);
	free(xml);
}
