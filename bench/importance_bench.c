/*
 * bench/importance_bench.c — permutation importance of every feature
 * through `preflight run`'s library path (scenario, golden set, replay,
 * harness/analysis/importance.h) on NQ x NDOC synthetic LETOR rows, timed.
 *
 *   pf_bench_importance MODEL.json ROWS.f32 LABELS.i32 NQ NDOC WORKDIR
 *       [full]
 *
 * ROWS.f32 is row-major float32 with 136 columns (bench/gbdt_make.py),
 * LABELS.i32 one grade per row (bench/importance_make.py). The first run
 * writes WORKDIR/cNQxNDOC.svm (+ .query) from them, the candidate file the
 * scenario replays. Prints the replay time, the importance time (136
 * features x 1 repeat, changed-trees scorer; with "full" also the stage's
 * whole-model scorer) and the time per feature, and the five largest
 * importances.
 */
#include <math.h>
#include <omp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "harness/load/golden.h"
#include "harness/analysis/importance.h"
#include "harness/engine/replay.h"
#include "harness/load/scenario.h"

#define NF	136

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* The process's user and system CPU seconds so far. */
static void
cpu(double *user, double *sys)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	*user = (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec * 1e-6;
	*sys = (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec * 1e-6;
}

static void *
slurp(const char *path, size_t want)
{
	FILE *f = fopen(path, "rb");
	void *b = malloc(want + 1);

	if (f == NULL || b == NULL || fread(b, 1, want, f) != want) {
		fprintf(stderr, "importance_bench: cannot read %zu bytes of %s\n",
		    want, path);
		exit(2);
	}
	fclose(f);
	return b;
}

static void
write_svm(const char *dir, const float *x, const int32_t *y, size_t nq,
    size_t nd)
{
	char p[1024], q[1024];
	FILE *f, *g;

	snprintf(p, sizeof(p), "%s/c%zux%zu.svm", dir, nq, nd);
	snprintf(q, sizeof(q), "%s/c%zux%zu.svm.query", dir, nq, nd);
	if ((f = fopen(p, "r")) != NULL) {
		fclose(f);
		return;		/* delete it to regenerate */
	}
	if ((f = fopen(q, "w")) == NULL)
		exit(2);
	for (size_t i = 0; i < nq; i++)
		fprintf(f, "%zu\n", nd);
	fclose(f);
	snprintf(q, sizeof(q), "%s/c%zux%zu.svm.tmp", dir, nq, nd);
	if ((g = fopen(q, "w")) == NULL)
		exit(2);
	for (size_t r = 0; r < nq * nd; r++) {
		fprintf(g, "%d", y[r]);
		for (size_t j = 0; j < NF; j++)
			fprintf(g, " %zu:%.9g", j + 1, (double)x[r * NF + j]);
		fputc('\n', g);
	}
	fclose(g);
	rename(q, p);
}

int
main(int argc, char **argv)
{
	if (argc < 7) {
		fprintf(stderr, "usage: pf_bench_importance MODEL.json ROWS.f32 "
		    "LABELS.i32 NQ NDOC WORKDIR [full]\n");
		return 2;
	}
	size_t nq = strtoul(argv[4], NULL, 10), nd = strtoul(argv[5], NULL, 10);
	const char *dir = argv[6];
	int full = argc > 7 && strcmp(argv[7], "full") == 0;
	char scn[1024], xml[8192], base[64];
	double t0 = now();

	snprintf(base, sizeof(base), "c%zux%zu", nq, nd);

	{
		float *x = slurp(argv[2], nq * nd * NF * sizeof(float));
		int32_t *y = slurp(argv[3], nq * nd * sizeof(int32_t));
		write_svm(dir, x, y, nq, nd);
		free(x);
		free(y);
	}
	snprintf(xml, sizeof(xml), "<?xml version=\"1.0\"?>\n"
	    "<scenario name=\"imp-bench\" seed=\"1\">\n"
	    " <golden dir=\"%s\" name=\"synthetic\"><labels candidates=\"%s.svm\" "
	    "query-file=\"%s.svm.query\"/></golden>\n"
	    " <stack id=\"ctl\"><candidates file=\"%s/%s.svm\" query-file=\"%s/"
	    "%s.svm.query\"/></stack>\n"
	    " <stack id=\"gbdt\"><candidates file=\"%s/%s.svm\" query-file=\"%s/"
	    "%s.svm.query\"/><gbdt model=\"%s\" first-feature=\"1\"/></stack>\n"
	    " <metrics primary=\"ndcg_cut_10\"><metric name=\"ndcg_cut.10\"/>"
	    "</metrics>\n"
	    " <importance><features repeats=\"1\"/></importance>\n"
	    " <outputs dir=\"%s/out\"/>\n</scenario>\n", dir, base, base, dir,
	    base, dir, base, dir, base, dir, base, argv[1], dir);
	snprintf(scn, sizeof(scn), "%s/imp.xml", dir);
	FILE *f = fopen(scn, "w");
	if (f == NULL)
		return 2;
	fputs(xml, f);
	fclose(f);
	printf("inputs ready in %.1f s\n", now() - t0);

	pf_diags d = {0};
	pf_scenario *s = NULL;
	pf_golden *g = NULL;
	pf_replay *r = NULL;
	pf_err err = {0};
	t0 = now();
	pf_golden_spec gs;
	if (pf_scenario_load(&s, scn, &d) != PF_OK ||
	    (pf_scenario_golden_spec(s, &gs),
	    pf_golden_load(&g, &gs, &d)) != PF_OK ||
	    pf_replay_open(&r, s, g, &d) != PF_OK) {
		pf_diags_print(&d, stderr);
		return 2;
	}
	double tl = now() - t0;
	t0 = now();
	if (pf_replay_run(r, &err) != PF_OK) {
		fprintf(stderr, "%s\n", err.msg);
		return 2;
	}
	printf("threads %d; load %.2f s; replay (%zu queries x %zu docs, 2 "
	    "stacks) %.2f s\n", omp_get_max_threads(), tl, nq, nd, now() - t0);
	for (int fast = 1; fast >= (full ? 0 : 1); fast--) {
		pf_imp_opts o;
		pf_rep_importance *m = NULL;
		pf_imp_opts_init(&o);
		o.fast = fast;
		o.n_boot = 200;
		double u0, s0, u1, s1;
		cpu(&u0, &s0);
		t0 = now();
		if (pf_importance_run(&m, r, &s->fimp[0], &o, &err) != PF_OK) {
			fprintf(stderr, "%s: %s\n", err.where, err.msg);
			return 2;
		}
		double t = now() - t0;
		cpu(&u1, &s1);
		printf("importance (%s scorer): %zu features x %zu repeat, "
		    "%.2f s, %.4f s per feature; baseline ndcg_cut_10 %.6f\n",
		    m->fast ? "changed-trees" : "whole-model", m->nitems, m->nrep,
		    t, t / (double)m->nitems, m->baseline);
		printf("  cpu: user %.2f s, system %.2f s\n", u1 - u0, s1 - s0);
		size_t *ord = malloc(m->nitems * sizeof(*ord));
		pf_rep_importance_order(m, ord);
		for (size_t i = 0; i < 5 && i < m->nitems; i++)
			printf("  %-5s %+.6f\n", m->items[ord[i]].name,
			    m->items[ord[i]].mean);
		free(ord);
		pf_rep_importance_free(m);
	}
	pf_replay_free(r);
	pf_golden_free(g);
	pf_scenario_free(s);
	return 0;
}
