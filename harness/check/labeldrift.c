/*
 * harness/check/labeldrift.c — see labeldrift.h. Pairs are matched through
 * one string table of "qid<US>docid" keys (US = 0x1f, a byte neither id
 * holds: ids have no whitespace or control bytes) and qids through
 * another; O(pairs).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "harness/check/labeldrift.h"
#include "harness/util/strtab.h"
#include "metrics/drift.h"

void
pf_ldrift_free(pf_ldrift *d)
{
	if (d == NULL)
		return;
	free(d->grade);
	free(d->nref);
	free(d->ncur);
	free(d->ref_name);
	free(d->cur_name);
	free(d);
}

/* The pair key of (qid, docid) into buf; its length, 0 when too long. */
static size_t
pair_key(char *buf, size_t sz, const char *qid, const pf_pair *p)
{
	size_t ql = strlen(qid);

	if (ql + 1 + p->docid_len >= sz)
		return 0;
	memcpy(buf, qid, ql);
	buf[ql] = 0x1f;
	memcpy(buf + ql + 1, p->docid, p->docid_len);
	return ql + 1 + p->docid_len;
}

static int
cmp_i32(const void *a, const void *b)
{
	int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;

	return (x > y) - (x < y);
}

/* The distinct grades of both, ascending, and the counts of each. */
static int
grade_table(pf_ldrift *d, const pf_qrels *ref, const pf_qrels *cur)
{
	const pf_qrels *q2[2] = {ref, cur};
	size_t n = 0, cap = 0;

	for (int w = 0; w < 2; w++)
		for (size_t t = 0; t < pf_qrels_ntopics(q2[w]); t++)
			cap += pf_qrels_npairs(q2[w], t);
	if ((d->grade = malloc((cap + 1) * sizeof(*d->grade))) == NULL)
		return -1;
	for (int w = 0; w < 2; w++)
		for (size_t t = 0; t < pf_qrels_ntopics(q2[w]); t++)
			for (size_t i = 0; i < pf_qrels_npairs(q2[w], t); i++)
				d->grade[n++] = pf_qrels_pair(q2[w], t, i)->
				    grade_int;
	qsort(d->grade, n, sizeof(*d->grade), cmp_i32);
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		if (k == 0 || d->grade[k - 1] != d->grade[i])
			d->grade[k++] = d->grade[i];
	d->ngrades = k;
	if ((d->nref = calloc(k + 1, sizeof(size_t))) == NULL ||
	    (d->ncur = calloc(k + 1, sizeof(size_t))) == NULL)
		return -1;
	for (int w = 0; w < 2; w++)
		for (size_t t = 0; t < pf_qrels_ntopics(q2[w]); t++)
			for (size_t i = 0; i < pf_qrels_npairs(q2[w], t); i++) {
				int32_t g = pf_qrels_pair(q2[w], t, i)->grade_int;
				int32_t *at = bsearch(&g, d->grade, k,
				    sizeof(*d->grade), cmp_i32);
				(w ? d->ncur : d->nref)[at - d->grade]++;
			}
	double *a = malloc(2 * (k + 1) * sizeof(*a)), *b = a + k + 1;
	if (a == NULL)
		return -1;
	for (size_t i = 0; i < k; i++) {
		a[i] = (double)d->nref[i];
		b[i] = (double)d->ncur[i];
	}
	d->psi = pf_drift_psi_counts(a, b, k);
	free(a);
	return 0;
}

/* Pairs and queries: matched, relabelled, added, removed. */
static int
match(pf_ldrift *d, const pf_qrels *ref, const pf_qrels *cur)
{
	pf_strtab *pk = pf_strtab_new(), *qk = pf_strtab_new();
	int32_t *rg = NULL;
	unsigned char *hit = NULL, *qhit = NULL;
	char key[1024];
	int rc = -1;

	if (pk == NULL || qk == NULL)
		goto done;
	for (size_t t = 0; t < pf_qrels_ntopics(ref); t++) {
		const char *qid = pf_qrels_qid(ref, t);
		if (pf_strtab_intern(qk, qid, strlen(qid)) < 0)
			goto done;
		for (size_t i = 0; i < pf_qrels_npairs(ref, t); i++) {
			const pf_pair *p = pf_qrels_pair(ref, t, i);
			size_t kl = pair_key(key, sizeof(key), qid, p);
			long id = kl ? pf_strtab_intern(pk, key, kl) : -2;
			if (id == -1)
				goto done;
			if (id < 0)
				continue;
			int32_t *g = realloc(rg, ((size_t)id + 1) * sizeof(*g));
			if (g == NULL)
				goto done;
			rg = g;
			rg[id] = p->grade_int;
			d->npairs_ref++;
		}
	}
	d->nq_ref = pf_strtab_count(qk);
	hit = calloc(pf_strtab_count(pk) + 1, 1);
	qhit = calloc(pf_strtab_count(qk) + 1, 1);
	if (hit == NULL || qhit == NULL)
		goto done;
	for (size_t t = 0; t < pf_qrels_ntopics(cur); t++) {
		const char *qid = pf_qrels_qid(cur, t);
		long qi = pf_strtab_find(qk, qid, strlen(qid));
		d->nq_cur++;
		if (qi >= 0)
			qhit[qi] = 1;
		else if (d->nq_added++ < PF_LDRIFT_EXAMPLES)
			snprintf(d->qadded[d->nqa_ex++], sizeof(d->qadded[0]),
			    "%s", qid);
		for (size_t i = 0; i < pf_qrels_npairs(cur, t); i++) {
			const pf_pair *p = pf_qrels_pair(cur, t, i);
			size_t kl = pair_key(key, sizeof(key), qid, p);
			long id = kl ? pf_strtab_find(pk, key, kl) : -1;
			d->npairs_cur++;
			if (id < 0) {
				d->nadded++;
				continue;
			}
			hit[id] = 1;
			d->ncommon++;
			if (rg[id] == p->grade_int)
				continue;
			if (d->nrelabel++ < PF_LDRIFT_EXAMPLES)
				snprintf(d->ex[d->nex++], sizeof(d->ex[0]),
				    "%s %.*s: %d -> %d", qid,
				    (int)p->docid_len, p->docid, (int)rg[id],
				    (int)p->grade_int);
		}
	}
	d->nremoved = d->npairs_ref - d->ncommon;
	for (size_t t = 0; t < pf_qrels_ntopics(ref); t++) {
		const char *qid = pf_qrels_qid(ref, t);
		long qi = pf_strtab_find(qk, qid, strlen(qid));
		if (qi >= 0 && !qhit[qi] && d->nq_removed++ <
		    PF_LDRIFT_EXAMPLES)
			snprintf(d->qremoved[d->nqr_ex++],
			    sizeof(d->qremoved[0]), "%s", qid);
	}
	rc = 0;
done:
	pf_strtab_free(pk);
	pf_strtab_free(qk);
	free(rg);
	free(hit);
	free(qhit);
	return rc;
}

int
pf_ldrift_compute(pf_ldrift **out, const pf_qrels *ref, const char *ref_name,
    const pf_qrels *cur, const char *cur_name, pf_err *err)
{
	pf_ldrift *d = calloc(1, sizeof(*d));

	*out = NULL;
	if (d == NULL || (d->ref_name = strdup(ref_name)) == NULL ||
	    (d->cur_name = strdup(cur_name)) == NULL ||
	    grade_table(d, ref, cur) != 0 || match(d, ref, cur) != 0) {
		pf_ldrift_free(d);
		return pf_err_set(err, PF_ENOMEM, cur_name, 0, "out of memory");
	}
	*out = d;
	return PF_OK;
}

static const char *
psi_word(double psi)
{
	return isnan(psi) ? "undefined" : psi < PF_DRIFT_MODERATE ? "stable" :
	    psi <= PF_DRIFT_LARGE ? "moderate" : "large";
}

void
pf_ldrift_print(const pf_ldrift *d, FILE *f)
{
	fprintf(f, "label drift: %s against %s\n", d->cur_name, d->ref_name);
	fputs("  grade     reference   current\n", f);
	for (size_t k = 0; k < d->ngrades; k++)
		fprintf(f, "  %-7d %11zu %9zu\n", (int)d->grade[k], d->nref[k],
		    d->ncur[k]);
	fprintf(f, "  grade distribution PSI %.4f (%s)\n", d->psi,
	    psi_word(d->psi));
	fprintf(f, "  pairs: %zu in both, %zu relabelled, %zu added, %zu "
	    "removed\n", d->ncommon, d->nrelabel, d->nadded, d->nremoved);
	for (size_t i = 0; i < d->nex; i++)
		fprintf(f, "          %s\n", d->ex[i]);
	if (d->nrelabel > d->nex)
		fprintf(f, "          ... and %zu more\n", d->nrelabel - d->nex);
	fprintf(f, "  queries: %zu added, %zu removed\n", d->nq_added,
	    d->nq_removed);
	for (size_t i = 0; i < d->nqa_ex; i++)
		fprintf(f, "          added %s\n", d->qadded[i]);
	for (size_t i = 0; i < d->nqr_ex; i++)
		fprintf(f, "          removed %s\n", d->qremoved[i]);
}

json_t *
pf_ldrift_json(const pf_ldrift *d)
{
	json_t *g = json_array(), *ex = json_array(), *qa = json_array(),
	    *qr = json_array();

	for (size_t k = 0; k < d->ngrades; k++)
		json_array_append_new(g, json_pack("{s:i,s:I,s:I}", "grade",
		    (int)d->grade[k], "reference", (json_int_t)d->nref[k],
		    "current", (json_int_t)d->ncur[k]));
	for (size_t i = 0; i < d->nex; i++)
		json_array_append_new(ex, json_string(d->ex[i]));
	for (size_t i = 0; i < d->nqa_ex; i++)
		json_array_append_new(qa, json_string(d->qadded[i]));
	for (size_t i = 0; i < d->nqr_ex; i++)
		json_array_append_new(qr, json_string(d->qremoved[i]));
	return json_pack("{s:s,s:s,s:o,s:o,s:{s:I,s:I,s:I,s:I,s:o},"
	    "s:{s:I,s:I,s:o,s:o}}", "reference", d->ref_name, "current",
	    d->cur_name, "grades", g, "psi", isnan(d->psi) ? json_null() :
	    json_real(d->psi), "pairs", "common", (json_int_t)d->ncommon,
	    "relabelled", (json_int_t)d->nrelabel, "added",
	    (json_int_t)d->nadded, "removed", (json_int_t)d->nremoved,
	    "examples", ex, "queries", "added", (json_int_t)d->nq_added,
	    "removed", (json_int_t)d->nq_removed, "added_examples", qa,
	    "removed_examples", qr);
}
