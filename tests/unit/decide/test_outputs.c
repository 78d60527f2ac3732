/*
 * test_outputs.c — the files of harness/decide/outputs.h from an outcome
 * built by hand (a golden set, measurements and rankings set here, the
 * comparison from pf_compare_run, gates of every status, the
 * expectations, the decision): results.json carries the decision, the
 * metrics and the per-query values; junit.xml validates against
 * ../shared/schemas/junit-10.xsd with one testcase per gate and a
 * <failure> exactly for the failing ones; report.html is well-formed XML;
 * each run file is in TREC format and holds the stack's rankings; a write
 * that fails replaces nothing; the error suite of a bad input validates.
 */
#include <dirent.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <criterion/criterion.h>
#include <jansson.h>
#include <libxml/parser.h>
#include <libxml/xmlschemas.h>
#include <libxml/xpath.h>

#include "harness/decide/outputs.h"
#include "decide_fixture.h"

TestSuite(outputs, .init = fx_mkdir, .fini = fx_rmdir);

typedef struct world {
	pf_golden	*g;
	pf_measured	 m;
	pf_comparison	*cmp;
	pf_gate_list	 gates;
	pf_expectations	 exps;
	pf_decision	*d;
	pf_outcome	 o;
	pf_outputs_cfg	 cfg;
	const char	*role[1], *in[1];
	char		 out[160];
} world;

/*
 * q1..q3 judged, q4 not; two stacks ranking the same documents in other
 * orders; values set by hand. Gates: one of each status. Expectations:
 * one the treatment breaks.
 */
static void
build(world *w)
{
	static const char *const metrics[] = {"P.1", "ndcg_cut.2", NULL};
	static const char *const ids[] = {"ctl", "trt", NULL};
	static const double v[2][4][2] = {
		{{0, 0.25}, {1, 0.75}, {0, 0.5}, {0, 0}},
		{{1, 0.6}, {1, 1}, {0, 0.625}, {0, 0}},
	};
	pf_compare_opts co = {.seed = 1, .n_boot = 200, .n_perm = 200,
	    .alpha = 0.05, .tie_tol = 1e-9, .min_segment = 10};
	pf_verdict_rule rule = {.min_effect = 0.01, .alpha = 0.05};
	pf_err err = {0};

	memset(w, 0, sizeof(*w));
	w->g = fx_golden("qid\ttext\tkind\nq1\tfirst & <one>\thead\n"
	    "q2\tsecond\ttail\nq3\tthird\thead\nq4\tfourth\ttail\n",
	    "q1 0 a 1\nq1 0 b 0\nq2 0 c 2\nq3 0 e 1\n",
	    "q1\tb\t1\n");
	fx_measured(&w->m, w->g, metrics, ids, "ndcg_cut_2");
	for (size_t k = 0; k < 2; k++)
		for (size_t q = 0; q < 4; q++) {
			w->m.stacks[k].values[q * w->m.nv + fx_vi(&w->m,
			    "P_1")] = v[k][q][0];
			w->m.stacks[k].values[q * w->m.nv + fx_vi(&w->m,
			    "ndcg_cut_2")] = v[k][q][1];
		}
	fx_rank(&w->m, w->g, 0, 0, (const char *[]){"b", "a", NULL});
	fx_rank(&w->m, w->g, 1, 0, (const char *[]){"a", "b", NULL});
	for (size_t k = 0; k < 2; k++) {
		fx_rank(&w->m, w->g, k, 1, (const char *[]){"c", "d", "x",
		    NULL});
		fx_rank(&w->m, w->g, k, 2, (const char *[]){"e", NULL});
		fx_rank(&w->m, w->g, k, 3, (const char *[]){"f", "g", NULL});
	}
	cr_assert_eq(pf_measured_summarize(&w->m, &err), PF_OK);
	cr_assert_eq(pf_compare_run(&w->cmp, &w->m, &co, &err), PF_OK, "%s",
	    err.msg);
	fx_gate(&w->gates, "pass_gate", PF_GATE_PASS, "fine");
	fx_gate(&w->gates, "fail_gate", PF_GATE_FAIL, "delta -0.1 below 0");
	fx_gate(&w->gates, "error_gate", PF_GATE_ERROR, "no <interleave>");
	fx_gate(&w->gates, "skip_gate", PF_GATE_SKIP, "not applicable");
	cr_assert_eq(pf_expect_check(&w->exps, &w->m, &err), PF_OK);
	const pf_gate_list *lists[] = {&w->gates};
	cr_assert_eq(pf_decide(&w->d, &w->m, w->cmp, lists, 1, &w->exps, &rule,
	    &err), PF_OK);
	w->o = (pf_outcome){.m = &w->m, .cmp = w->cmp, .exps = &w->exps,
	    .decision = w->d};
	snprintf(w->out, sizeof(w->out), "%s", fx_path("out"));
	w->role[0] = "qrels";
	w->in[0] = w->g->qrels ? pf_qrels_path(w->g->qrels) : NULL;
	w->cfg = (pf_outputs_cfg){.name = "unit", .source = "unit.xml",
	    .golden = "hand-made", .seed = 7, .dir = w->out,
	    .results = "results.json", .report = "report.html",
	    .junit = "junit.xml", .runs = 1, .command = "preflight unit",
	    .seconds = 1.5, .in_role = w->role, .in_path = w->in, .nin = 1};
}

static void
destroy(world *w)
{
	pf_decision_free(w->d);
	pf_expectations_clear(&w->exps);
	pf_gate_list_clear(&w->gates);
	pf_comparison_free(w->cmp);
	pf_measured_clear(&w->m);
	pf_golden_free(w->g);
}

static void
write_ok(world *w)
{
	pf_err err = {0};

	cr_assert_eq(pf_outputs_write(&w->cfg, &w->o, &err), PF_OK, "%s: %s",
	    err.where, err.msg);
}

/* out/name as a path (static buffer, one at a time per slot). */
static const char *
out_file(const world *w, const char *name)
{
	static char p[4][256];
	static unsigned next;
	char *s = p[next++ % 4];

	snprintf(s, sizeof(p[0]), "%s/%s", w->out, name);
	return s;
}

Test(outputs, results_json_has_the_decision_metrics_and_per_query_values)
{
	world w;
	json_error_t je;

	build(&w);
	write_ok(&w);
	json_t *doc = json_load_file(out_file(&w, "results.json"), 0, &je);
	cr_assert_not_null(doc, "line %d: %s", je.line, je.text);
	cr_assert_str_eq(json_string_value(json_object_get(json_object_get(
	    doc, "verdict"), "decision")), w.d->verdict);
	cr_assert_str_eq(json_string_value(json_object_get(json_object_get(
	    doc, "verdict"), "why")), w.d->why);
	cr_assert_str_eq(json_string_value(json_object_get(doc, "primary")),
	    "ndcg_cut_2");
	json_t *metrics = json_object_get(doc, "metrics");
	cr_assert_eq(json_array_size(metrics), w.m.nv);
	for (size_t v = 0; v < w.m.nv; v++) {
		char n[64];
		pf_te_value_name(w.m.spec, v, n, sizeof(n));
		cr_assert_str_eq(json_string_value(json_array_get(metrics, v)),
		    n);
	}
	json_t *qids = json_object_get(doc, "queries");
	cr_assert_eq(json_array_size(qids), 4);
	cr_assert_str_eq(json_string_value(json_array_get(qids, 3)), "q4");
	cr_assert_eq(json_integer_value(json_object_get(doc,
	    "judged_queries")), 3);
	json_t *stacks = json_object_get(doc, "stacks");
	cr_assert_eq(json_array_size(stacks), 2);
	/* hand means over q1..q3 */
	static const double mean[2][2] = {{1.0 / 3, 0.5}, {2.0 / 3, 2.225 / 3}};
	static const char *const names[2] = {"P_1", "ndcg_cut_2"};
	for (size_t k = 0; k < 2; k++) {
		json_t *s = json_array_get(stacks, k);
		cr_assert_str_eq(json_string_value(json_object_get(s, "id")),
		    w.m.stacks[k].id);
		for (size_t j = 0; j < 2; j++) {
			size_t v = fx_vi(&w.m, names[j]);
			json_t *mv = json_object_get(json_object_get(s, "mean"),
			    names[j]);
			cr_assert(json_is_number(mv), "%s", names[j]);
			cr_assert_float_eq(json_number_value(mv), mean[k][j],
			    1e-12, "stack %zu %s", k, names[j]);
			json_t *pq = json_object_get(json_object_get(s,
			    "per_query"), names[j]);
			cr_assert_eq(json_array_size(pq), 4);
			for (size_t q = 0; q < 3; q++)
				cr_assert(json_number_value(json_array_get(pq,
				    q)) == w.m.stacks[k].values[q * w.m.nv + v],
				    "stack %zu %s q%zu", k, names[j], q + 1);
			cr_assert(json_is_null(json_array_get(pq, 3)),
			    "the unjudged query has no value");
		}
		json_t *nret = json_object_get(json_object_get(s, "per_query"),
		    "num_ret");
		for (size_t q = 0; q < 4; q++)
			cr_assert_eq(json_integer_value(json_array_get(nret,
			    q)), (json_int_t)w.m.stacks[k].n[q]);
	}
	json_t *gates = json_object_get(doc, "gates");
	static const char *const st[] = {"pass", "fail", "error", "skipped"};
	cr_assert_eq(json_array_size(gates), w.d->gates.n + w.exps.n);
	for (size_t i = 0; i < w.d->gates.n; i++) {
		json_t *g = json_array_get(gates, i);
		cr_assert_str_eq(json_string_value(json_object_get(g, "id")),
		    w.d->gates.v[i].id);
		cr_assert_str_eq(json_string_value(json_object_get(g,
		    "status")), st[w.d->gates.v[i].status]);
	}
	json_decref(doc);
	destroy(&w);
}

static int nxsd;

static void
count_xsd_error(void *u, xmlErrorPtr e)
{
	(void)u;
	nxsd++;
	cr_log_error("%s:%d: %s", e->file ? e->file : "", e->line, e->message);
}

/* Problems of the file at path against junit-10.xsd (skips without it). */
static int
junit_problems(const char *path)
{
	char xsd[512];

	snprintf(xsd, sizeof(xsd), "%s/schemas/junit-10.xsd", SHARED_DIR);
	if (access(xsd, R_OK) != 0)
		cr_skip_test("%s absent: no shared/ beside the checkout", xsd);
	xmlSchemaParserCtxtPtr pc = xmlSchemaNewParserCtxt(xsd);
	xmlSchemaPtr schema = xmlSchemaParse(pc);
	cr_assert_not_null(schema);
	xmlSchemaValidCtxtPtr vc = xmlSchemaNewValidCtxt(schema);
	nxsd = 0;
	xmlSchemaSetValidStructuredErrors(vc, count_xsd_error, NULL);
	int rc = xmlSchemaValidateFile(vc, path, 0);
	xmlSchemaFreeValidCtxt(vc);
	xmlSchemaFree(schema);
	xmlSchemaFreeParserCtxt(pc);
	return rc != 0 ? (nxsd ? nxsd : 1) : 0;
}

/* The number of nodes expr selects in doc. */
static int
nodes(xmlDocPtr doc, const char *expr)
{
	xmlXPathContextPtr c = xmlXPathNewContext(doc);
	xmlXPathObjectPtr o = xmlXPathEvalExpression((const xmlChar *)expr, c);
	int n;

	cr_assert_not_null(o, "%s", expr);
	n = o->nodesetval ? o->nodesetval->nodeNr : 0;
	xmlXPathFreeObject(o);
	xmlXPathFreeContext(c);
	return n;
}

Test(outputs,
    junit_is_valid_with_a_case_per_gate_and_a_failure_only_where_one_failed)
{
	world w;
	char q[512];

	build(&w);
	write_ok(&w);
	const char *path = out_file(&w, "junit.xml");
	cr_assert_eq(junit_problems(path), 0);
	xmlDocPtr doc = xmlReadFile(path, NULL, XML_PARSE_NONET);
	cr_assert_not_null(doc);
	cr_assert_eq(nodes(doc, "//testsuite[@name='unit.gates']/testcase"),
	    (int)w.d->gates.n);
	for (size_t i = 0; i < w.d->gates.n; i++) {
		const pf_gate_result *g = &w.d->gates.v[i];
		static const char *const child[] = {"failure", "error",
		    "skipped"};
		static const int when[] = {PF_GATE_FAIL, PF_GATE_ERROR,
		    PF_GATE_SKIP};
		for (size_t c = 0; c < 3; c++) {
			snprintf(q, sizeof(q), "//testsuite[@name='unit.gates']"
			    "/testcase[@classname='preflight.unit.gates' and "
			    "@name='%s']/%s", g->name, child[c]);
			cr_assert_eq(nodes(doc, q), g->status == when[c], "%s",
			    q);
		}
		snprintf(q, sizeof(q), "//testcase[@name='%s']", g->name);
		cr_assert_eq(nodes(doc, q), 1, "%s", q);
	}
	/* the failing gate's message, and its details as the text */
	cr_assert_eq(nodes(doc, "//testcase[starts-with(@name,'fail_gate')]/"
	    "failure[@type='GateFailed' and @message='delta -0.1 below 0']"),
	    1);
	cr_assert_eq(nodes(doc, "//failure[contains(., '<&> \"quoted\"')]"),
	    1);
	/* the expectations: one case per (expectation, stack); the
	   control keeps b at rank 1, the treatment drops it to 2 */
	cr_assert_eq(w.exps.n, 2);
	cr_assert_eq(w.exps.nfailed, 1);
	cr_assert_eq(nodes(doc, "//testsuite[@name='unit.expectations']/"
	    "testcase"), 2);
	cr_assert_eq(nodes(doc, "//testsuite[@name='unit.expectations']/"
	    "testcase[@name='q1/b max_rank 1: trt']/failure"
	    "[@type='ExpectationFailed']"), 1);
	cr_assert_eq(nodes(doc, "//testsuite[@name='unit.expectations']/"
	    "testcase[@name='q1/b max_rank 1: ctl' and not(*)]"), 1);
	/* the totals agree: 2 failures (a gate, an expectation), 1 error */
	cr_assert_eq(nodes(doc, "//failure"), 2);
	cr_assert_eq(nodes(doc, "/testsuites[@failures='2' and @errors='1' "
	    "and @tests='6']"), 1);
	cr_assert_eq(pf_decision_exit(w.d), 1);
	xmlFreeDoc(doc);
	destroy(&w);
}

Test(outputs, report_html_is_well_formed_xml)
{
	world w;

	build(&w);
	write_ok(&w);
	xmlDocPtr doc = xmlReadFile(out_file(&w, "report.html"), NULL,
	    XML_PARSE_NONET);
	cr_assert_not_null(doc, "report.html is not well-formed");
	/* the verdict, and the text of q1 (the most improved query)
	   escaped, not lost */
	cr_assert_geq(nodes(doc, "//*[@id='verdict']"), 1);
	cr_assert_geq(nodes(doc, "//*[contains(text(), 'first & <one>')]"), 1);
	xmlFreeDoc(doc);
	destroy(&w);
}

Test(outputs, run_files_are_trec_runs_of_each_stacks_rankings)
{
	world w;
	char line[512];

	build(&w);
	write_ok(&w);
	for (size_t k = 0; k < 2; k++) {
		const pf_stack_result *s = &w.m.stacks[k];
		char run[64];
		snprintf(run, sizeof(run), "%s.run", s->id);
		FILE *f = fopen(out_file(&w, run), "r");
		cr_assert_not_null(f, "%s", run);
		for (size_t q = 0; q < w.m.nq; q++)
			for (size_t i = 0; i < s->n[q]; i++) {
				char qid[64], q0[8], doc[64], tag[64], extra[8];
				unsigned long rank;
				double score;
				cr_assert_not_null(fgets(line, sizeof(line), f),
				    "%s: line missing", run);
				cr_assert_eq(sscanf(line, "%63s %7s %63s %lu "
				    "%lf %63s %7s", qid, q0, doc, &rank, &score,
				    tag, extra), 6, "%s: %s", run, line);
				cr_assert_str_eq(qid, w.g->qid[q]);
				cr_assert_str_eq(q0, "Q0");
				cr_assert_str_eq(doc, pf_golden_docid(w.g,
				    s->doc[q][i]));
				cr_assert_eq(rank, i + 1);
				cr_assert(score == s->score[q][i], "%s", line);
				cr_assert_str_eq(tag, s->id);
			}
		cr_assert_null(fgets(line, sizeof(line), f), "%s: extra %s",
		    run, line);
		fclose(f);
	}
	destroy(&w);
}

/* The whole file at path (NUL-terminated), *len its size. */
static char *
slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *b;
	long n;

	cr_assert_not_null(f, "%s", path);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	cr_assert_not_null(b = malloc((size_t)n + 1));
	cr_assert_eq(fread(b, 1, (size_t)n, f), (size_t)n);
	b[n] = '\0';
	fclose(f);
	*len = (size_t)n;
	return b;
}

static const char *const outputs_[] = {"ctl.run", "trt.run",
    "results.json", "report.html", "junit.xml"};
#define NOUT	5

/* Another run of the same outcome: every output's bytes change (the
   seed, the command, the time, every score). */
static void
change_everything(world *w)
{
	w->cfg.command = "preflight unit --again";
	w->cfg.seconds = 99.25;
	w->cfg.seed = 8;
	for (size_t k = 0; k < w->m.nstacks; k++)
		for (size_t q = 0; q < w->m.nq; q++)
			for (size_t i = 0; i < w->m.stacks[k].n[q]; i++)
				w->m.stacks[k].score[q][i] += 0.5;
}

/*
 * Writes once, then again with everything changed after turning output
 * `blocked` into a directory: the second write must fail naming it,
 * leave no temporary file, and leave every other file as the first write
 * left it.
 */
static void
assert_failed_write_replaces_nothing(const char *blocked)
{
	world w;
	char *before[NOUT];
	size_t len[NOUT];
	pf_err err = {0};

	build(&w);
	write_ok(&w);
	for (size_t i = 0; i < NOUT; i++)
		before[i] = slurp(out_file(&w, outputs_[i]), &len[i]);
	char bp[256];
	snprintf(bp, sizeof(bp), "%s", out_file(&w, blocked));
	cr_assert_eq(unlink(bp), 0);
	cr_assert_eq(mkdir(bp, 0755), 0);
	change_everything(&w);
	cr_assert_neq(pf_outputs_write(&w.cfg, &w.o, &err), PF_OK);
	cr_assert_eq(err.code, PF_EIO, "%s", err.msg);
	cr_assert(strstr(err.where, bp) != NULL, "where '%s', want %s",
	    err.where, bp);
	DIR *dp = opendir(w.out);
	for (struct dirent *e; (e = readdir(dp)) != NULL; )
		cr_assert_null(strstr(e->d_name, ".tmp"), "left behind: %s",
		    e->d_name);
	closedir(dp);
	for (size_t i = 0; i < NOUT; i++) {
		if (strcmp(outputs_[i], blocked) == 0)
			continue;
		size_t n;
		char *now = slurp(out_file(&w, outputs_[i]), &n);
		cr_assert(n == len[i] && memcmp(now, before[i], n) == 0,
		    "%s was replaced by a write that failed", outputs_[i]);
		free(now);
	}
	/* the check has teeth: unblocked, the same write changes them */
	cr_assert_eq(rmdir(bp), 0);
	write_ok(&w);
	for (size_t i = 0; i < NOUT; i++) {
		size_t n;
		char *now = slurp(out_file(&w, outputs_[i]), &n);
		cr_assert(n != len[i] || memcmp(now, before[i], n) != 0,
		    "%s did not change", outputs_[i]);
		free(now);
		free(before[i]);
	}
	destroy(&w);
}

Test(outputs, a_write_that_fails_on_the_first_output_replaces_nothing)
{
	assert_failed_write_replaces_nothing("ctl.run");
}

/*
 * All or nothing (util/fileio.h pf_atomic_commit_all): when the last
 * rename fails (junit.xml is a directory, so rename(2) fails with EISDIR)
 * the outputs already renamed are put back, so the runs, results.json and
 * report.html stay the old run's, beside the old junit.xml.
 */
Test(outputs, a_write_that_fails_on_the_last_output_replaces_nothing)
{
	assert_failed_write_replaces_nothing("junit.xml");
}

Test(outputs, a_read_only_folder_fails_the_write_and_keeps_the_old_files)
{
	world w;
	char *before;
	size_t len, n;
	pf_err err = {0};

	if (geteuid() == 0)
		cr_skip_test("root writes into read-only folders");
	build(&w);
	write_ok(&w);
	before = slurp(out_file(&w, "results.json"), &len);
	cr_assert_eq(chmod(w.out, 0555), 0);
	change_everything(&w);
	int rc = pf_outputs_write(&w.cfg, &w.o, &err);
	chmod(w.out, 0755);
	cr_assert_eq(rc, PF_EIO, "%s", err.msg);
	cr_assert(strstr(err.where, w.out) != NULL, "%s", err.where);
	char *now = slurp(out_file(&w, "results.json"), &n);
	cr_assert(n == len && memcmp(now, before, n) == 0);
	free(now);
	free(before);
	destroy(&w);
}

Test(outputs, a_folder_that_cannot_be_created_is_an_error_naming_it)
{
	world w;
	pf_err err = {0};

	build(&w);
	/* a file where a parent folder should be */
	fx_put("plain", "x");
	snprintf(w.out, sizeof(w.out), "%s/sub", fx_path("plain"));
	cr_assert_neq(pf_outputs_write(&w.cfg, &w.o, &err), PF_OK);
	cr_assert(strstr(err.where, fx_path("plain")) != NULL, "%s: %s",
	    err.where, err.msg);
	destroy(&w);
}

Test(outputs, the_error_suite_of_a_bad_input_validates_and_lists_every_problem)
{
	pf_diags *d = calloc(1, sizeof(*d));
	const char *path = fx_path("bad.xml");

	cr_assert_not_null(d);
	pf_diags_add(d, "s.xml", 3, "stack 'b' must start with a retrieval "
	    "stage");
	pf_diags_add(d, "s.xml", 9, "metric 'x<y' & \x01 unknown");
	pf_outputs_junit_error(path, "s.xml", d, 0);
	cr_assert_eq(junit_problems(path), 0);
	xmlDocPtr doc = xmlReadFile(path, NULL, XML_PARSE_NONET);
	cr_assert_not_null(doc);
	cr_assert_eq(nodes(doc, "//testcase"), 1);
	cr_assert_eq(nodes(doc, "//testcase[@name='scenario.load']/error"
	    "[@message=\"s.xml:3: stack 'b' must start with a retrieval "
	    "stage\"]"), 1);
	cr_assert_eq(nodes(doc, "//error[contains(., 's.xml:9: metric') and "
	    "contains(., \"s.xml:3: stack 'b'\")]"), 1);
	cr_assert_eq(nodes(doc, "//failure"), 0);
	cr_assert_eq(nodes(doc, "/testsuites[@errors='1' and @tests='1']"), 1);
	xmlFreeDoc(doc);

	/* no problem listed: still a valid file saying the input was bad */
	*d = (pf_diags){0};
	pf_outputs_junit_error(path, "s.xml", d, 0);
	cr_assert_eq(junit_problems(path), 0);
	cr_assert_not_null(doc = xmlReadFile(path, NULL, XML_PARSE_NONET));
	cr_assert_eq(nodes(doc, "//error[@message='bad input']"), 1);
	xmlFreeDoc(doc);
	free(d);
}
