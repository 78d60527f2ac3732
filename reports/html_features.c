/*
 * reports/html_features.c — the "Features" section of report.html, from
 * the <features-report> JSON a run keeps (harness/analysis/featrun.h;
 * the members README "Know your features" lists): the statistics of the
 * stack's candidates, one row a feature, its correlation clusters, and,
 * with a reference file, the skew table (largest drift first, the first
 * MAX_SKEW rows), the shared-row mismatch rate and the largest
 * differences. Written only when the scenario asks (nav entry likewise).
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "reports/html.h"
#include "reports/html_kit.h"
#include "reports/svg.h"

#define MAX_SKEW	30	/* skew rows shown; results.json has all */
#define MAX_GRADES	6	/* grade means shown */

static double
num(const json_t *o, const char *k)
{
	const json_t *v = json_object_get(o, k);

	return json_is_number(v) ? json_number_value(v) : NAN;
}

enum { G4, PCT, F4, G3, INT };

/* One number in a cell: %.4g, a percentage, %.4f, %.3g or an integer. */
static void
cell(FILE *f, double v, int form)
{
	fputs("<td>", f);
	if (isnan(v))
		fputs("\xe2\x80\x93", f);	/* en dash */
	else if (form == PCT)
		fprintf(f, "%.1f%%", 100 * v);
	else if (form == F4)
		fprintf(f, "%.4f", v);
	else if (form == G3)
		fprintf(f, "%.3g", v);
	else if (form == INT)
		fprintf(f, "%.0f", v);
	else
		fprintf(f, "%.4g", v);
	fputs("</td>", f);
}

/* "min ... max", or a dash where the file lacks the feature. */
static void
range(FILE *f, double lo, double hi)
{
	if (isnan(lo) || isnan(hi))
		fputs("<td>\xe2\x80\x93</td>", f);
	else
		fprintf(f, "<td>%.4g \xe2\x80\xa6 %.4g</td>", lo, hi);
}

static void
name_cell(FILE *f, const json_t *x)
{
	fputs("<th scope=\"row\">", f);
	pf_xml_text(f, json_string_value(json_object_get(x, "name")));
	fputs("</th>", f);
}

static void
stats_table(FILE *f, const json_t *file)
{
	const json_t *fs = json_object_get(file, "features"), *x, *cl;
	const char *key;
	json_t *v;
	size_t i, ng = 0;

	fprintf(f, "<p>");
	pf_xml_text(f, json_string_value(json_object_get(file, "file")));
	fprintf(f, ": %lld rows, %lld queries, %zu features.</p>\n",
	    (long long)json_integer_value(json_object_get(file, "rows")),
	    (long long)json_integer_value(json_object_get(file, "queries")),
	    json_array_size(fs));
	fputs("<details><summary>Statistics, one row a feature</summary>\n"
	    "<table><tr><th scope=\"col\">feature</th><th scope=\"col\">"
	    "missing</th><th scope=\"col\">zero</th><th scope=\"col\">min</th>"
	    "<th scope=\"col\">median</th><th scope=\"col\">max</th>"
	    "<th scope=\"col\">mean</th><th scope=\"col\">sd</th>"
	    "<th scope=\"col\">distinct</th><th scope=\"col\">cluster</th>",
	    f);
	x = json_array_get(fs, 0);
	json_object_foreach((json_t *)json_object_get(x, "mean_by_grade"),
	    key, v) {
		if (ng++ == MAX_GRADES)
			break;
		fputs("<th scope=\"col\">mean, grade ", f);
		pf_xml_text(f, key);
		fputs("</th>", f);
	}
	fputs("</tr>\n", f);
	json_array_foreach(fs, i, x) {
		size_t g = 0;
		fputs("<tr>", f);
		name_cell(f, x);
		cell(f, num(x, "missing_rate"), PCT);
		cell(f, num(x, "zero_rate"), PCT);
		cell(f, num(x, "min"), G4);
		cell(f, num(json_object_get(x, "quantiles"), "0.5"), G4);
		cell(f, num(x, "max"), G4);
		cell(f, num(x, "mean"), G4);
		cell(f, num(x, "sd"), G4);
		fprintf(f, "<td>%s%lld</td>", json_is_true(json_object_get(x,
		    "distinct_at_least")) ? "\xe2\x89\xa5 " : "", (long long)
		    json_integer_value(json_object_get(x, "distinct")));
		cell(f, num(x, "cluster"), INT);
		json_object_foreach((json_t *)json_object_get(x,
		    "mean_by_grade"), key, v) {
			if (g++ == ng)
				break;
			cell(f, json_is_number(v) ? json_number_value(v) : NAN,
			    G4);
		}
		fputs("</tr>\n", f);
	}
	fputs("</table></details>\n", f);
	cl = json_object_get(file, "clusters");
	fprintf(f, "<p>Correlation clusters (|Spearman| \xe2\x89\xa5 %.2f; "
	    "permutation importance should permute each jointly): %zu.</p>\n",
	    num(file, "cluster_threshold"), json_array_size(cl));
	if (json_array_size(cl) == 0)
		return;
	fputs("<ol>", f);
	json_array_foreach(cl, i, x) {
		size_t j;
		fputs("<li>", f);
		json_array_foreach(x, j, v) {
			if (j > 0)
				fputs(", ", f);
			pf_xml_text(f, json_string_value(v));
		}
		fputs("</li>", f);
	}
	fputs("</ol>\n", f);
}

static void
skew_table(FILE *f, const json_t *k)
{
	const json_t *fs = json_object_get(k, "features"), *x;
	size_t i;

	fputs("<h3>Skew against the reference</h3>\n<p>", f);
	pf_xml_text(f, json_string_value(json_object_get(k, "b")));
	fputs(" against ", f);
	pf_xml_text(f, json_string_value(json_object_get(k, "a")));
	fputs(", largest drift first (PSI 0.1 moderate, 0.25 large; KS q: "
	    "Benjamini\xe2\x80\x93Hochberg across features).</p>\n"
	    "<table><tr><th scope=\"col\">feature</th><th scope=\"col\">PSI"
	    "</th><th scope=\"col\">KS D</th><th scope=\"col\">KS q</th>"
	    "<th scope=\"col\">missing, ref.</th><th scope=\"col\">missing"
	    "</th><th scope=\"col\">range, ref.</th><th scope=\"col\">range"
	    "</th></tr>\n", f);
	json_array_foreach(fs, i, x) {
		if (i == MAX_SKEW)
			break;
		double psi = num(x, "psi");
		fprintf(f, "<tr class=\"%s\">", psi > 0.25 ? "loss" : "");
		name_cell(f, x);
		cell(f, psi, F4);
		cell(f, num(x, "ks_d"), F4);
		cell(f, num(x, "ks_q"), G3);
		cell(f, num(x, "missing_rate_a"), PCT);
		cell(f, num(x, "missing_rate_b"), PCT);
		range(f, num(x, "min_a"), num(x, "max_a"));
		range(f, num(x, "min_b"), num(x, "max_b"));
		fputs("</tr>\n", f);
	}
	fputs("</table>\n", f);
	if (json_array_size(fs) > MAX_SKEW)
		fprintf(f, "<p>%zu more in results.json.</p>\n",
		    json_array_size(fs) - MAX_SKEW);
	long long shared = json_integer_value(json_object_get(k,
	    "shared_rows"));
	if (shared == 0) {
		fputs("<p>No rows shared by (qid, docid).</p>\n", f);
		return;
	}
	fprintf(f, "<p>Rows shared by (qid, docid): %lld; differing: %lld "
	    "(%.2f%%).</p>\n", shared, (long long)json_integer_value(
	    json_object_get(k, "mismatched_rows")), 100 * num(k,
	    "mismatch_rate"));
}

void
pf_html_features(FILE *f, const pf_report *r)
{
	const json_t *o = r->an.features, *files;

	if (o == NULL)
		return;
	pf_html_section(f, "features", "Features");
	fputs("<p>The candidates of stack ", f);
	pf_xml_text(f, json_string_value(json_object_get(o, "stack")));
	fputs(" (<code>preflight features stats</code>; README \"Know your "
	    "features\").</p>\n", f);
	files = json_object_get(json_object_get(o, "stats"), "files");
	if (json_array_size(files) > 0)
		stats_table(f, json_array_get(files, 0));
	if (json_object_get(o, "skew") != NULL)
		skew_table(f, json_object_get(o, "skew"));
	fputs("</section>\n", f);
}
