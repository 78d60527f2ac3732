/*
 * bench/interleave_bench.c — speed of simulated interleaving
 * (metrics/interleave.h): Q queries x R impressions x 2 stacks of
 * synthetic lists, every method, navigational 5-grade click model (DBN,
 * depth 10, k = 10), then the 10,000-resample query bootstrap.
 *
 * usage: pf_bench_interleave [queries [impressions [list_len]]]
 * Threads: OMP_NUM_THREADS. Prints one line per method: wall seconds of
 * pf_il_run, impressions per second (nan for the exact paths, which
 * simulate none), seconds of pf_il_summarize, and the aggregate outcome
 * (a checksum: the same for any thread count).
 */
#include <math.h>
#include <omp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "metrics/clickmodel.h"
#include "metrics/interleave.h"

static uint64_t
next(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

static size_t
arg(int argc, char **argv, int i, size_t def)
{
	char *end;
	unsigned long long v;

	if (argc <= i)
		return def;
	v = strtoull(argv[i], &end, 10);
	if (*end != '\0' || v == 0) {
		fprintf(stderr, "pf_bench_interleave: bad number '%s'\n",
		    argv[i]);
		exit(2);
	}
	return (size_t)v;
}

int
main(int argc, char **argv)
{
	size_t nq = arg(argc, argv, 1, 10000), R = arg(argc, argv, 2, 1000);
	size_t len = arg(argc, argv, 3, 50), pool = len + len / 2;
	uint32_t *doc = malloc(2 * nq * len * sizeof(uint32_t));
	int32_t *grade = malloc(2 * nq * len * sizeof(int32_t));
	int32_t *pg = malloc(pool * sizeof(int32_t));
	uint32_t *perm = malloc(pool * sizeof(uint32_t));
	const uint32_t **dp = malloc(2 * nq * sizeof(*dp));
	const int32_t **gp = malloc(2 * nq * sizeof(*gp));
	size_t *lens = malloc(2 * nq * sizeof(size_t));
	pf_il_query *q = malloc(nq * sizeof(*q));
	pf_il_outcome *out = malloc(nq * sizeof(*out));
	uint64_t s = 0x9e3779b97f4a7c15ull;
	pf_click_model cm;
	pf_err err = {0};

	if (!doc || !grade || !pg || !perm || !dp || !gp || !lens || !q ||
	    !out) {
		fprintf(stderr, "pf_bench_interleave: out of memory\n");
		return 2;
	}
	/* A: a random ranking of the pool's top `len`; B: A with ~30% of
	   its positions swapped with random others (a correlated
	   competitor), grades 0..4 skewed to 0, ids sparse */
	for (size_t i = 0; i < nq; i++) {
		uint32_t *a = doc + 2 * i * len, *b = a + len;
		int32_t *ga = grade + 2 * i * len, *gb = ga + len;

		for (size_t d = 0; d < pool; d++) {
			uint64_t x = next(&s) % 16;
			pg[d] = x < 8 ? 0 : x < 12 ? 1 : x < 14 ? 2 : x < 15 ?
			    3 : 4;
			perm[d] = (uint32_t)d;
		}
		for (size_t d = 0; d < len; d++) {
			size_t k = d + (size_t)(next(&s) % (pool - d));
			uint32_t t = perm[d];
			perm[d] = perm[k];
			perm[k] = t;
		}
		for (size_t d = 0; d < len; d++)
			b[d] = perm[d];
		for (size_t d = 0; d < len; d++) {
			if (next(&s) % 10 < 3) {
				size_t k = (size_t)(next(&s) % len);
				uint32_t t = b[d];
				b[d] = b[k];
				b[k] = t;
			}
		}
		for (size_t d = 0; d < len; d++) {
			a[d] = perm[d];
			ga[d] = pg[a[d]];
			gb[d] = pg[b[d]];
			a[d] = a[d] * 2654435761u + (uint32_t)i;
			b[d] = b[d] * 2654435761u + (uint32_t)i;
		}
		dp[2 * i] = a;
		dp[2 * i + 1] = b;
		gp[2 * i] = ga;
		gp[2 * i + 1] = gb;
		lens[2 * i] = lens[2 * i + 1] = len;
		q[i].key = i;
		q[i].doc = dp + 2 * i;
		q[i].grade = gp + 2 * i;
		q[i].len = lens + 2 * i;
	}
	if (pf_cm_preset(&cm, PF_CM_NAVIGATIONAL, 5, &err) != PF_OK)
		return 2;

	printf("queries %zu, impressions %zu, list length %zu, threads %d, "
	    "click model navigational-5 (dbn, depth %zu), k 10\n", nq, R, len,
	    omp_get_max_threads(), cm.depth);
	struct {
		pf_il_method	m;
		pf_il_mode	mode;
		const char	*label;
	} runs[] = {
		{PF_IL_TEAM_DRAFT, PF_IL_MC, "team-draft (Monte Carlo)"},
		{PF_IL_BALANCED, PF_IL_MC, "balanced (Monte Carlo)"},
		{PF_IL_PROBABILISTIC, PF_IL_MC, "probabilistic (PI-MA, Monte Carlo)"},
		{PF_IL_MULTILEAVE, PF_IL_MC, "multileave (Monte Carlo)"},
		{PF_IL_TEAM_DRAFT, PF_IL_EXACT, "team-draft (exact)"},
		{PF_IL_BALANCED, PF_IL_EXACT, "balanced (exact)"},
	};
	for (size_t r = 0; r < sizeof(runs) / sizeof(runs[0]); r++) {
		pf_il_opts o;
		pf_il_sum_opts so;
		pf_il_summary sum;
		double t0, t1, t2;

		pf_il_opts_init(&o);
		o.method = runs[r].m;
		o.mode = runs[r].mode;
		o.n_impr = R;
		t0 = omp_get_wtime();
		if (pf_il_run(&o, &cm, q, nq, 2, out, &err) != PF_OK) {
			fprintf(stderr, "pf_bench_interleave: %s\n", err.msg);
			return 2;
		}
		t1 = omp_get_wtime();
		pf_il_sum_opts_init(&so);
		if (pf_il_summarize(out, 1, NULL, nq, NULL, &so, &sum, &err) !=
		    PF_OK) {
			fprintf(stderr, "pf_bench_interleave: %s\n", err.msg);
			return 2;
		}
		t2 = omp_get_wtime();
		printf("%-36s  %7.3f s  %9.3g impr/s  bootstrap %6.3f s  "
		    "E[o] %+.6f  delta %+.6f [%+.6f, %+.6f]\n",
		    runs[r].label, t1 - t0, runs[r].mode == PF_IL_EXACT ? NAN :
		    (double)nq * (double)R / (t1 - t0), t2 - t1, sum.mean_o,
		    sum.delta, sum.delta_lo, sum.delta_hi);
		fflush(stdout);
	}
	free(doc);
	free(grade);
	free(pg);
	free(perm);
	free(dp);
	free(gp);
	free(lens);
	free(q);
	free(out);
	return 0;
}
