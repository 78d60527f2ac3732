/*
 * bench/dense_bench.c — the driver of bench/dense.sh: exact dense top-k
 * (harness/text/dense_search.h) on random float32 data against the sgemm-only time of
 * the same product on the same machine.
 *
 *   pf_bench_dense NQ ND DIM K [OUTDIR [REPS]]
 *
 * Each time is the minimum over REPS runs (default 3): the machine is
 * shared, the minimum is the least disturbed run.
 * Data: entries uniform in [-1, 1) from a fixed xorshift stream. Prints
 * the sgemm-only time of all NQ x ND x DIM in the dense tiles (512 x 4096,
 * the GFLOP/s peak of this shape here), then pf_dense_topk's time for ip
 * and cosine. With OUTDIR, writes queries.npy and docs.npy there (for the
 * FAISS comparison) and topk-ip.txt: the top K doc indices of each query.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cblas.h>

#include "harness/text/dense_search.h"
#include "harness/load/npy.h"

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void
fill(float *x, size_t n, uint64_t *s)
{
	for (size_t i = 0; i < n; i++) {
		*s ^= *s << 13;
		*s ^= *s >> 7;
		*s ^= *s << 17;
		x[i] = (float)((double)(*s >> 11) * 0x1p-52 - 1.0);
	}
}

/* The dense stage's sgemm calls alone (its 512 x 4096 tiles): seconds. */
static double
sgemm_all(const float *q, size_t nq, const float *d, size_t nd, size_t dim,
    float *tile)
{
	double t0 = now();

	for (size_t q0 = 0; q0 < nq; q0 += 512)
		for (size_t d0 = 0; d0 < nd; d0 += 4096) {
			size_t bq = nq - q0 < 512 ? nq - q0 : 512;
			size_t bd = nd - d0 < 4096 ? nd - d0 : 4096;
			cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans,
			    (int)bq, (int)bd, (int)dim, 1.0f, q + q0 * dim,
			    (int)dim, d + d0 * dim, (int)dim, 0.0f, tile,
			    (int)bd);
		}
	return now() - t0;
}

int
main(int argc, char **argv)
{
	if (argc < 5) {
		fprintf(stderr, "usage: pf_bench_dense NQ ND DIM K [OUTDIR]\n");
		return 2;
	}
	size_t nq = strtoul(argv[1], NULL, 10), nd = strtoul(argv[2], NULL, 10);
	size_t dim = strtoul(argv[3], NULL, 10), k = strtoul(argv[4], NULL, 10);
	uint64_t seed = 88172645463325252ull;
	float *q = malloc(nq * dim * sizeof(*q)), *d = malloc(nd * dim *
	    sizeof(*d)), *tile = malloc((size_t)512 * 4096 * sizeof(*tile));
	uint32_t *tie = malloc(nd * sizeof(*tie)), *doc = malloc(nq * k *
	    sizeof(*doc));
	double *sc = malloc(nq * k * sizeof(*sc));
	pf_err err = {0};

	if (!q || !d || !tile || !tie || !doc || !sc)
		return 2;
	fill(q, nq * dim, &seed);
	fill(d, nd * dim, &seed);
	for (size_t j = 0; j < nd; j++)
		tie[j] = (uint32_t)j;
	if (argc > 5) {
		char p[4096];
		snprintf(p, sizeof(p), "%s/queries.npy", argv[5]);
		if (pf_npy_write(p, q, nq, dim, 2, &err) != PF_OK)
			return 2;
		snprintf(p, sizeof(p), "%s/docs.npy", argv[5]);
		if (pf_npy_write(p, d, nd, dim, 2, &err) != PF_OK)
			return 2;
	}
	int reps = argc > 6 ? atoi(argv[6]) : 3;
	double flop = 2.0 * (double)nq * (double)nd * (double)dim, tg = 1e300;
	for (int r = 0; r < reps; r++) {
		double t = sgemm_all(q, nq, d, nd, dim, tile);
		tg = t < tg ? t : tg;
	}
	printf("sgemm only: %.3f s, %.1f GFLOP/s\n", tg, flop / tg * 1e-9);
	for (int m = 0; m < 2; m++) {
		double t = 1e300;
		for (int r = 0; r < reps; r++) {
			double t0 = now();
			if (pf_dense_topk(q, nq, d, nd, dim, m ?
			    PF_DENSE_COSINE : PF_DENSE_IP, tie, k, doc, sc,
			    &err) != PF_OK) {
				fprintf(stderr, "pf_bench_dense: %s\n",
				    err.msg);
				return 2;
			}
			if (now() - t0 < t)
				t = now() - t0;
		}
		printf("dense top-%zu %s: %.3f s, %.1f GFLOP/s, %.2fx the "
		    "sgemm-only time\n", k, m ? "cosine" : "ip", t, flop / t *
		    1e-9, t / tg);
		if (m == 0 && argc > 5) {
			char p[4096];
			snprintf(p, sizeof(p), "%s/topk-ip.txt", argv[5]);
			FILE *f = fopen(p, "w");
			for (size_t i = 0; f && i < nq; i++)
				for (size_t j = 0; j < k; j++)
					fprintf(f, "%u%c", doc[i * k + j],
					    j + 1 < k ? ' ' : '\n');
			if (f)
				fclose(f);
		}
	}
	free(q);
	free(d);
	free(tile);
	free(tie);
	free(doc);
	free(sc);
	return 0;
}
