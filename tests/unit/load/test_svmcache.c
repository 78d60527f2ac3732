/*
 * test_svmcache.c — the parsed-candidates cache (run --cache): an entry
 * maps back to the arrays a parse gives; a byte flipped in its payload or
 * header, a truncated entry, a changed source file each make the next
 * load parse again (and rewrite the entry), never use what is stored.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include "harness/load/svmlight.h"

static void
same(const pf_svm *a, const pf_svm *b)
{
	cr_assert_eq(a->nrows, b->nrows);
	cr_assert_eq(a->nf, b->nf);
	cr_assert_eq(a->base, b->base);
	cr_assert_eq(a->nq, b->nq);
	cr_assert_eq((a->id == NULL), (b->id == NULL));
	if (a->id != NULL)
		cr_assert_arr_eq(a->id, b->id, a->nf * sizeof(*a->id));
	cr_assert_eq(memcmp(a->x32, b->x32, a->nrows * a->nf * 4), 0);
	cr_assert_eq((a->x64 == NULL), (b->x64 == NULL));
	if (a->x64 != NULL)
		cr_assert_eq(memcmp(a->x64, b->x64, a->nrows * a->nf * 8), 0);
	cr_assert_arr_eq(a->grade, b->grade, a->nrows * sizeof(*a->grade));
	cr_assert_arr_eq(a->qoff, b->qoff, (a->nq + 1) * sizeof(*a->qoff));
	for (size_t q = 0; q < a->nq; q++)
		cr_assert_str_eq(a->qid[q], b->qid[q]);
	for (size_t r = 0; r < a->nrows; r++)
		cr_assert_str_eq(a->docid[r], b->docid[r]);
}

static char dir[64], src[96];

static void
write_src(double v)
{
	FILE *f = fopen(src, "w");
	cr_assert_not_null(f);
	for (int q = 0; q < 30; q++)
		for (int k = 0; k < 7; k++) {
			fprintf(f, "%d qid:%d 1:%g 3:%d 700:0.25", k % 3, q, v,
			    q * k);
			if (q % 2)
				fprintf(f, " # d%d_%d", q, k);
			fputc('\n', f);
		}
	fclose(f);
}

static pf_svm *
load(int cached)
{
	pf_svm *s = NULL;
	pf_err err = {0};
	pf_svm_opts o = {.need_double = 1};

	cr_assert_eq(pf_svm_load_cached(&s, src, &o, cached ? dir : NULL,
	    &err), PF_OK, "%s: %s", err.where, err.msg);
	return s;
}

/* The one entry of the cache folder. */
static void
entry(char *out, size_t n)
{
	char cmd[160];
	snprintf(cmd, sizeof(cmd), "ls %s/*.pfsvm", dir);
	FILE *p = popen(cmd, "r");
	cr_assert_not_null(p);
	cr_assert_not_null(fgets(out, (int)n, p));
	out[strcspn(out, "\n")] = '\0';
	cr_assert_null(fgets(cmd, sizeof(cmd), p), "one entry");
	pclose(p);
}

static void
poke(const char *path, long off)
{
	FILE *f = fopen(path, "r+b");
	cr_assert_not_null(f);
	cr_assert_eq(fseek(f, off, SEEK_SET), 0);
	int c = fgetc(f);
	cr_assert_eq(fseek(f, off, SEEK_SET), 0);
	fputc(c ^ 0x20, f);
	fclose(f);
}

Test(svmcache, maps_back_and_never_trusts_a_damaged_or_stale_entry)
{
	char e[256], cmd[400];

	snprintf(dir, sizeof(dir), "/tmp/pf_svmcache_%d", (int)getpid());
	snprintf(src, sizeof(src), "%s.svm", dir);
	write_src(0.5);
	pf_svm *ref = load(0), *s;

	cr_assert_not_null(ref->id, "ids 1, 3, 700: remapped");
	s = load(1);			/* parsed, written */
	cr_assert_null(s->map);
	same(ref, s);
	pf_svm_free(s);
	s = load(1);			/* mapped back */
	cr_assert_not_null(s->map);
	same(ref, s);
	pf_svm_free(s);

	entry(e, sizeof(e));
	long offs[] = {600, 40, 520};	/* payload, header key, x32 */
	for (size_t i = 0; i < sizeof(offs) / sizeof(*offs); i++) {
		poke(e, offs[i]);
		s = load(1);
		cr_assert_null(s->map, "byte %ld flipped: parsed again",
		    offs[i]);
		same(ref, s);
		pf_svm_free(s);
		s = load(1);		/* the rewritten entry */
		cr_assert_not_null(s->map);
		same(ref, s);
		pf_svm_free(s);
	}
	snprintf(cmd, sizeof(cmd), "truncate -s -100 %s", e);
	cr_assert_eq(system(cmd), 0);
	s = load(1);
	cr_assert_null(s->map, "truncated: parsed again");
	same(ref, s);
	pf_svm_free(s);

	/* The source changes (same size, same second): a new key. */
	write_src(0.7);
	pf_svm *ref2 = load(0);
	s = load(1);
	cr_assert_null(s->map, "changed source: parsed");
	same(ref2, s);
	cr_assert_eq(s->x32[0], 0.7f);
	pf_svm_free(s);
	s = load(1);
	cr_assert_not_null(s->map);
	same(ref2, s);
	pf_svm_free(s);

	pf_svm_free(ref);
	pf_svm_free(ref2);
	snprintf(cmd, sizeof(cmd), "rm -rf %s %s", dir, src);
	cr_assert_eq(system(cmd), 0);
}
