/*
 * test_dense.c — harness/npy (.npy and ids files: round trip, numpy's
 * exact header bytes, every malformed input) and harness/dense (exact
 * top-k against a brute-force double loop written here, ties included,
 * for ip and cosine; identical for 1 and 2 threads).
 */
#include <math.h>
#include <omp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cblas.h>
#include <criterion/criterion.h>

#include "harness/text/dense_search.h"
#include "harness/load/npy.h"

static char tmpdir[64];

static void
mk_tmp(void)
{
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/pf_test_dense.XXXXXX");
	cr_assert_not_null(mkdtemp(tmpdir));
}

static void
rm_tmp(void)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf %s", tmpdir);
	cr_assert_eq(system(cmd), 0);
}

TestSuite(npy, .init = mk_tmp, .fini = rm_tmp);

static const char *
tpath(const char *name)
{
	static char p[128];

	snprintf(p, sizeof(p), "%s/%s", tmpdir, name);
	return p;
}

static void
put(const char *name, const void *b, size_t n)
{
	FILE *f = fopen(tpath(name), "wb");

	cr_assert_not_null(f);
	cr_assert_eq(fwrite(b, 1, n, f), n);
	fclose(f);
}

/* A v1 .npy file with this header dict (padded to 64 bytes, as numpy
   does) and nbytes of data 0, 1, 2, ... */
static void
put_npy(const char *name, const char *dict, size_t nbytes, int version)
{
	unsigned char b[4096];
	size_t pre = version == 1 ? 10 : 12, dl = strlen(dict);
	size_t hl = (pre + dl + 1 + 63) / 64 * 64 - pre;

	memcpy(b, "\x93NUMPY", 6);
	b[6] = (unsigned char)version;
	b[7] = 0;
	b[8] = (unsigned char)(hl & 0xff);
	b[9] = (unsigned char)(hl >> 8);
	if (version != 1)
		b[10] = b[11] = 0;
	memcpy(b + pre, dict, dl);
	memset(b + pre + dl, ' ', hl - dl - 1);
	b[pre + hl - 1] = '\n';
	for (size_t i = 0; i < nbytes; i++)
		b[pre + hl + i] = (unsigned char)i;
	put(name, b, pre + hl + nbytes);
}

Test(npy, round_trip_2d_and_1d)
{
	float x[6] = {1.5f, -2.0f, 0.0f, 1e-30f, 3.25f, -0.0f};
	pf_npy *a;
	pf_err err = {0};

	cr_assert_eq(pf_npy_write(tpath("a.npy"), x, 2, 3, 2, &err), PF_OK);
	cr_assert_eq(pf_npy_read(&a, tpath("a.npy"), &err), PF_OK, "%s",
	    err.msg);
	cr_assert_eq(a->rows, 2);
	cr_assert_eq(a->cols, 3);
	cr_assert_eq(a->ndim, 2);
	cr_assert_eq(memcmp(a->data, x, sizeof(x)), 0);
	pf_npy_free(a);
	cr_assert_eq(pf_npy_write(tpath("b.npy"), x, 6, 1, 1, &err), PF_OK);
	cr_assert_eq(pf_npy_read(&a, tpath("b.npy"), &err), PF_OK);
	cr_assert_eq(a->ndim, 1);
	cr_assert_eq(a->rows, 6);
	cr_assert_eq(memcmp(a->data, x, sizeof(x)), 0);
	pf_npy_free(a);
}

Test(npy, writes_numpys_exact_header)
{
	/* numpy.save(f, numpy.zeros((2, 3), numpy.float32)): 128 bytes of
	   preamble + header, header length 118 */
	const char want[] = "\x93NUMPY\x01\x00\x76\x00{'descr': '<f4', "
	    "'fortran_order': False, 'shape': (2, 3), }";
	float x[6] = {0};
	unsigned char b[256];
	pf_err err = {0};

	cr_assert_eq(pf_npy_write(tpath("z.npy"), x, 2, 3, 2, &err), PF_OK);
	FILE *f = fopen(tpath("z.npy"), "rb");
	size_t n = fread(b, 1, sizeof(b), f);
	fclose(f);
	cr_assert_eq(n, 128 + 24);
	cr_assert_eq(memcmp(b, want, sizeof(want) - 1), 0);
	for (size_t i = sizeof(want) - 1; i < 127; i++)
		cr_assert_eq(b[i], ' ');
	cr_assert_eq(b[127], '\n');
}

Test(npy, reads_v2_and_any_key_order)
{
	pf_npy *a;
	pf_err err = {0};

	put_npy("v2.npy", "{'shape': (2,), 'fortran_order': False, 'descr': "
	    "'<f4'}", 8, 2);
	cr_assert_eq(pf_npy_read(&a, tpath("v2.npy"), &err), PF_OK, "%s",
	    err.msg);
	cr_assert_eq(a->rows, 2);
	cr_assert_eq(a->ndim, 1);
	pf_npy_free(a);
}

static void
bad(const char *name, const char *want)
{
	pf_npy *a = (pf_npy *)1;
	pf_err err = {0};

	cr_assert_eq(pf_npy_read(&a, tpath(name), &err), PF_EFORMAT,
	    "%s: %s", name, err.msg);
	cr_assert_null(a);
	cr_assert_str_eq(err.where, tpath(name));
	cr_assert_not_null(strstr(err.msg, want), "%s: '%s' lacks '%s'", name,
	    err.msg, want);
}

Test(npy, every_malformed_file_is_an_error_naming_it)
{
	const char *ok = "{'descr': '<f4', 'fortran_order': False, "
	    "'shape': (2, 3), }";

	put("magic.npy", "\x93NUMPZ\x01\x00\x00\x00", 10);
	bad("magic.npy", "magic");
	put("short.npy", "\x93NU", 3);
	bad("short.npy", "magic");
	put_npy("f8.npy", "{'descr': '<f8', 'fortran_order': False, "
	    "'shape': (2, 3), }", 48, 1);
	bad("f8.npy", "dtype '<f8'");
	put_npy("be.npy", "{'descr': '>f4', 'fortran_order': False, "
	    "'shape': (2, 3), }", 24, 1);
	bad("be.npy", "dtype '>f4'");
	put_npy("fortran.npy", "{'descr': '<f4', 'fortran_order': True, "
	    "'shape': (2, 3), }", 24, 1);
	bad("fortran.npy", "Fortran order");
	put_npy("trunc.npy", ok, 23, 1);
	bad("trunc.npy", "truncated");
	put_npy("extra.npy", ok, 25, 1);
	bad("extra.npy", "bytes after");
	put_npy("3d.npy", "{'descr': '<f4', 'fortran_order': False, "
	    "'shape': (2, 3, 1), }", 24, 1);
	bad("3d.npy", "3-D");
	put_npy("noshape.npy", "{'descr': '<f4', 'fortran_order': False}",
	    0, 1);
	bad("noshape.npy", "shape");
	put_npy("v9.npy", ok, 24, 9);
	bad("v9.npy", "version 9");
	put("hdr.npy", "\x93NUMPY\x01\x00\x76\x00{'descr'", 17);
	bad("hdr.npy", "truncated .npy header");
	put_npy("notdict.npy", "['<f4']", 0, 1);
	bad("notdict.npy", "dict");
}

Test(npy, ids_one_per_line)
{
	pf_ids *s = (pf_ids *)1;
	pf_err err = {0};

	put("ids.txt", "d1\r\nd2\nd3", 9);
	cr_assert_eq(pf_ids_read(&s, tpath("ids.txt"), &err), PF_OK);
	cr_assert_eq(s->n, 3);
	cr_assert_str_eq(s->id[0], "d1");
	cr_assert_str_eq(s->id[1], "d2");
	cr_assert_str_eq(s->id[2], "d3");
	pf_ids_free(s);
	put("blank.txt", "d1\n\nd3\n", 7);
	cr_assert_eq(pf_ids_read(&s, tpath("blank.txt"), &err), PF_EFORMAT);
	cr_assert_null(s);
	char w[160];
	snprintf(w, sizeof(w), "%s:2", tpath("blank.txt"));
	cr_assert_str_eq(err.where, w);
	put("space.txt", "d1\nd 2\n", 7);
	cr_assert_eq(pf_ids_read(&s, tpath("space.txt"), &err), PF_EFORMAT);
	snprintf(w, sizeof(w), "%s:2", tpath("space.txt"));
	cr_assert_str_eq(err.where, w);
	const char *ids[] = {"x", "y7"};
	cr_assert_eq(pf_ids_write(tpath("w.txt"), ids, 2, &err), PF_OK);
	cr_assert_eq(pf_ids_read(&s, tpath("w.txt"), &err), PF_OK);
	cr_assert_eq(s->n, 2);
	cr_assert_str_eq(s->id[1], "y7");
	pf_ids_free(s);
}

/* ---- dense top-k ----------------------------------------------------- */

static uint64_t rs = 88172645463325252ull;

static uint32_t
rnd(void)		/* xorshift64 */
{
	rs ^= rs << 13;
	rs ^= rs >> 7;
	rs ^= rs << 17;
	return (uint32_t)(rs >> 32);
}

/* Values on a coarse grid (multiples of 1/4 in [-2, 2]) so many scores tie
   exactly; every 7th document repeats an earlier one. */
static void
fill(float *x, size_t n, size_t dim, int dup)
{
	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < dim; j++)
			x[i * dim + j] = dup && i % 7 == 6 ? x[(i - 3) * dim +
			    j] : (float)((int)(rnd() % 17) - 8) / 4.0f;
}

typedef struct bf {
	double		s;
	uint32_t	tie, d;
} bf;

static int
cmp_bf(const void *a, const void *b)
{
	const bf *x = a, *y = b;

	if (x->s != y->s)
		return x->s > y->s ? -1 : 1;
	return x->tie > y->tie ? -1 : 1;
}

/* Brute force: every pair in a double loop, full sort, first k. */
static void
brute(const float *q, size_t nq, const float *d, size_t nd, size_t dim,
    int cosine, const uint32_t *tie, size_t k, uint32_t *doc, double *sc)
{
	bf *e = malloc(nd * sizeof(*e));

	for (size_t i = 0; i < nq; i++) {
		for (size_t j = 0; j < nd; j++) {
			double ip = 0, qq = 0, dd = 0;
			for (size_t t = 0; t < dim; t++) {
				double a = q[i * dim + t], b = d[j * dim + t];
				ip += a * b;
				qq += a * a;
				dd += b * b;
			}
			if (cosine)
				ip = qq > 0 && dd > 0 ? ip / (sqrt(qq) *
				    sqrt(dd)) : 0.0;
			e[j] = (bf){ip, tie[j], (uint32_t)j};
		}
		qsort(e, nd, sizeof(*e), cmp_bf);
		for (size_t j = 0; j < k && j < nd; j++) {
			doc[i * k + j] = e[j].d;
			sc[i * k + j] = e[j].s;
		}
	}
	free(e);
}

static void
check_topk(size_t nq, size_t nd, size_t dim, size_t k, int cosine, int dup,
    int zero_docs)
{
	float *q = malloc(nq * dim * sizeof(*q)), *d = malloc(nd * dim *
	    sizeof(*d));
	uint32_t *tie = malloc(nd * sizeof(*tie));
	size_t kk = k < nd ? k : nd;
	uint32_t *got = malloc(nq * k * sizeof(*got)), *want = malloc(nq * k *
	    sizeof(*want)), *got2 = malloc(nq * k * sizeof(*got2));
	double *gs = malloc(nq * k * sizeof(*gs)), *ws = malloc(nq * k *
	    sizeof(*ws)), *gs2 = malloc(nq * k * sizeof(*gs2));
	pf_err err = {0};
	pf_dense_metric m = cosine ? PF_DENSE_COSINE : PF_DENSE_IP;

	fill(q, nq, dim, 0);
	fill(d, nd, dim, dup);
	if (zero_docs)
		memset(d, 0, nd * dim * sizeof(*d));
	for (size_t j = 0; j < nd; j++)	/* a permutation: ranks are ids */
		tie[j] = (uint32_t)((j * 7919) % nd);
	brute(q, nq, d, nd, dim, cosine, tie, k, want, ws);
	omp_set_num_threads(1);
	openblas_set_num_threads(1);
	cr_assert_eq(pf_dense_topk(q, nq, d, nd, dim, m, tie, k, got, gs,
	    &err), PF_OK, "%s", err.msg);
	omp_set_num_threads(2);
	openblas_set_num_threads(2);
	cr_assert_eq(pf_dense_topk(q, nq, d, nd, dim, m, tie, k, got2, gs2,
	    &err), PF_OK, "%s", err.msg);
	size_t ties = 0;
	for (size_t i = 0; i < nq; i++)
		for (size_t j = 0; j < kk; j++) {
			size_t x = i * k + j;
			cr_assert_eq(got[x], want[x], "query %zu rank %zu: doc "
			    "%u (%.17g), brute force %u (%.17g)", i, j, got[x],
			    gs[x], want[x], ws[x]);
			cr_assert_eq(memcmp(&gs[x], &ws[x], sizeof(double)), 0);
			cr_assert_eq(got2[x], got[x]);
			cr_assert_eq(memcmp(&gs2[x], &gs[x], sizeof(double)), 0);
			ties += j > 0 && gs[x] == gs[x - 1];
		}
	if (kk > 1)
		cr_assert_gt(ties, 0, "the data should have exact ties");
	free(q);
	free(d);
	free(tie);
	free(got);
	free(want);
	free(got2);
	free(gs);
	free(ws);
	free(gs2);
}

Test(dense, ip_topk_equals_brute_force_across_tiles)
{
	/* 600 queries and 5000 documents: two query tiles, two doc tiles */
	check_topk(600, 5000, 8, 10, 0, 1, 0);
}

Test(dense, cosine_topk_equals_brute_force_across_tiles)
{
	check_topk(600, 5000, 8, 10, 1, 1, 0);
}

Test(dense, depth_beyond_the_corpus_and_depth_one)
{
	check_topk(20, 50, 5, 80, 0, 1, 0);
	check_topk(20, 50, 5, 80, 1, 1, 0);
	check_topk(30, 500, 3, 1, 0, 0, 0);
}

Test(dense, all_documents_tie)
{
	/* every score is 0: the buffer grows past its first capacity and the
	   order is the tie rank alone */
	check_topk(5, 3000, 4, 7, 0, 0, 1);
	check_topk(5, 3000, 4, 7, 1, 0, 1);
}


Test(dense, float32_rounding_does_not_lose_the_exact_best)
{
	/* exact: A = 1 + 5 (2^-24 - 2^-40) beats B = 1 + 2^-22 + 2^-40, but
	   summed in float32 in order A stays 1 while B rounds to 1 + 2^-22
	   (two ulps above); B comes first, then enough zeros that the
	   candidate buffer is pruned before A is seen */
	enum { ND = 200, DIM = 6 };
	static float d[ND * DIM];
	float q[DIM] = {1, 1, 1, 1, 1, 1};
	uint32_t tie[ND], doc[1];
	double sc[1];
	pf_err err = {0};

	memset(d, 0, sizeof(d));
	d[0] = 1;
	d[1] = ldexpf(1, -22) + ldexpf(1, -40);
	d[(ND - 1) * DIM] = 1;
	for (int j = 1; j < DIM; j++)
		d[(ND - 1) * DIM + j] = ldexpf(1, -24) - ldexpf(1, -40);
	for (uint32_t j = 0; j < ND; j++)
		tie[j] = j;
	for (int m = 0; m < 2; m++) {
		cr_assert_eq(pf_dense_topk(q, 1, d, ND, DIM, m ?
		    PF_DENSE_COSINE : PF_DENSE_IP, tie, 1, doc, sc, &err),
		    PF_OK);
		cr_assert_eq(doc[0], ND - 1, "metric %d", m);
	}
	cr_assert_eq(pf_dense_topk(q, 1, d, ND, DIM, PF_DENSE_IP, tie, 1, doc,
	    sc, &err), PF_OK);
	cr_assert_eq(sc[0], 1 + 5 * (ldexp(1, -24) - ldexp(1, -40)));
}
