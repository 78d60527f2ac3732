/*
 * harness/check/featstats_print.c — the terminal reports of
 * `preflight features stats` and `features skew` (featstats.h): one line
 * a feature, numbers with 4 significant digits ("-" where undefined); the
 * JSON (featstats_json.c) has every digit.
 */
#include <math.h>
#include <stdio.h>

#include "harness/check/featstats.h"

#define MAX_GRADES	8	/* grade means shown in the table */

static void
num(FILE *f, int w, double x)
{
	if (isnan(x))
		fprintf(f, " %*s", w, "-");
	else
		fprintf(f, " %*.4g", w, x);
}

static void
pct(FILE *f, int w, uint64_t k, uint64_t n)
{
	if (n == 0)
		fprintf(f, " %*s", w, "-");
	else
		fprintf(f, " %*.1f", w, 100.0 * (double)k / (double)n);
}

void
pf_fst_print(const pf_fst *t, FILE *f)
{
	size_t ng = t->ngrades < MAX_GRADES ? t->ngrades : MAX_GRADES;

	fprintf(f, "%s: %zu rows, %zu queries, %zu features\n", t->path,
	    t->nrows, t->nq, t->nf);
	fprintf(f, "%-20s %6s %6s %9s %9s %9s %9s %9s %9s %9s %7s %5s",
	    "feature", "miss%", "zero%", "min", "p25", "p50", "p75", "max",
	    "mean", "sd", "distinct", "clust");
	fputs(" | mean by grade", f);
	for (size_t g = 0; g < ng; g++)
		fprintf(f, " %8d", (int)t->grades[g]);
	fputs(t->ngrades > ng ? " ...\n" : "\n", f);
	for (size_t i = 0; i < t->nf; i++) {
		const pf_fst_feat *x = &t->f[i];
		uint64_t present = x->c.rows - x->c.missing;
		fprintf(f, "%-20.20s", x->name);
		pct(f, 6, x->c.missing, x->c.rows);
		pct(f, 6, x->c.zeros, present);
		num(f, 9, x->c.min);
		num(f, 9, x->pct[2]);
		num(f, 9, x->pct[3]);
		num(f, 9, x->pct[4]);
		num(f, 9, x->c.max);
		num(f, 9, x->c.mean);
		num(f, 9, x->c.sd);
		fprintf(f, " %7llu%s", (unsigned long long)x->c.distinct,
		    x->c.distinct_more ? "+" : " ");
		if (x->cluster >= 0)
			fprintf(f, "%4d", x->cluster + 1);
		else
			fprintf(f, "%4s", "-");
		fputs(" |              ", f);
		for (size_t g = 0; g < ng; g++)
			num(f, 8, t->gmean[i * t->ngrades + g]);
		fputc('\n', f);
	}
	if (t->rho == NULL)
		return;
	fprintf(f, "correlation clusters (|Spearman| >= %.2f: permute "
	    "jointly): %zu\n", PF_FS_CLUSTER_RHO, t->nclusters);
	for (size_t c = 0; c < t->nclusters; c++) {
		fprintf(f, "  %zu:", c + 1);
		for (size_t i = 0; i < t->nf; i++)
			if (t->f[i].cluster == (int)c)
				fprintf(f, " %s", t->f[i].name);
		fputc('\n', f);
	}
}

static const char *
where(int in)
{
	return in == 3 ? "" : in == 1 ? "  only in A" : "  only in B";
}

void
pf_fsk_print(const pf_fsk *k, const pf_svm *sa, const pf_svm *sb, FILE *f)
{
	size_t ia = 0, ib = 0;

	for (size_t i = 0; i < k->nf; i++) {
		ia += k->f[i].in == 1;
		ib += k->f[i].in == 2;
	}
	fprintf(f, "A %s: %zu rows; B %s: %zu rows; %zu features (%zu only "
	    "in A, %zu only in B)\n", sa->path, sa->nrows, sb->path,
	    sb->nrows, k->nf, ia, ib);
	fprintf(f, "%-20s %8s %7s %9s %9s %6s %6s %9s %9s %9s %9s\n",
	    "feature", "psi", "ks_d", "ks_p", "ks_q(BH)", "missA%", "missB%",
	    "minA", "maxA", "minB", "maxB");
	for (size_t i = 0; i < k->nf; i++) {
		const pf_fsk_feat *x = &k->f[i];
		fprintf(f, "%-20.20s", x->name);
		num(f, 8, x->psi);
		num(f, 7, x->ks_d);
		num(f, 9, x->ks_p);
		num(f, 9, x->ks_q);
		fprintf(f, " %6.1f %6.1f", 100.0 * x->miss_a,
		    100.0 * x->miss_b);
		num(f, 9, x->a != NULL ? x->a->min : NAN);
		num(f, 9, x->a != NULL ? x->a->max : NAN);
		num(f, 9, x->b != NULL ? x->b->min : NAN);
		num(f, 9, x->b != NULL ? x->b->max : NAN);
		fprintf(f, "%s\n", where(x->in));
	}
	if (k->shared == 0) {
		fputs("shared rows (qid, docid): none\n", f);
		return;
	}
	fprintf(f, "shared rows (qid, docid): %llu; mismatched: %llu "
	    "(%.2f%%)\n", (unsigned long long)k->shared,
	    (unsigned long long)k->mismatched, 100.0 * k->mismatch_rate);
	if (k->ndiff > 0)
		fputs("largest differences (qid docid feature A B):\n", f);
	for (size_t i = 0; i < k->ndiff; i++) {
		const pf_fsk_diff *d = &k->diff[i];
		fprintf(f, "  %s %s %s", d->qid, d->docid,
		    k->f[d->feat].name);
		if (isnan(d->a))
			fputs(" missing", f);
		else
			fprintf(f, " %.9g", d->a);
		if (isnan(d->b))
			fputs(" missing\n", f);
		else
			fprintf(f, " %.9g\n", d->b);
	}
}
