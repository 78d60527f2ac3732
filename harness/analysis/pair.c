/*
 * harness/analysis/pair.c — see pair.h. Both lists are sorted by qid
 * (positions as the tie-break, so a duplicate's first value comes first)
 * and merged: O((na + nb) log) for a few thousand queries.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "harness/analysis/pair.h"

typedef struct keyed {
	const char	*qid;
	size_t		 at;
} keyed;

static int
by_qid(const void *x, const void *y)
{
	const keyed *a = x, *b = y;
	int c = strcmp(a->qid, b->qid);

	return c != 0 ? c : (a->at > b->at) - (a->at < b->at);
}

/* l's entries with a finite value, sorted; *n of them. NULL: no memory. */
static keyed *
sorted(const pf_qlist *l, size_t *n)
{
	keyed *k = malloc((l->n + 1) * sizeof(*k));

	*n = 0;
	if (k == NULL)
		return NULL;
	for (size_t i = 0; i < l->n; i++)
		if (isfinite(l->value[i]))
			k[(*n)++] = (keyed){l->qid[i], i};
	qsort(k, *n, sizeof(*k), by_qid);
	return k;
}

/* Past the entries of k from *i on with the same qid as k[*i]. */
static void
skip_same(const keyed *k, size_t n, size_t *i)
{
	size_t j = *i;

	while (j + 1 < n && strcmp(k[j + 1].qid, k[*i].qid) == 0)
		j++;
	*i = j + 1;
}

int
pf_pair_qids(pf_pairing *out, const pf_qlist *a, const pf_qlist *b,
    pf_err *err)
{
	size_t na, nb, i = 0, j = 0;
	keyed *ka = sorted(a, &na), *kb = sorted(b, &nb);
	size_t most = na < nb ? na : nb;

	*out = (pf_pairing){0};
	if (ka == NULL || kb == NULL || (out->ia = malloc((most + 1) *
	    sizeof(size_t))) == NULL || (out->ib = malloc((most + 1) *
	    sizeof(size_t))) == NULL) {
		free(ka);
		free(kb);
		pf_pairing_free(out);
		return pf_err_set(err, PF_ENOMEM, NULL, 0, "out of memory");
	}
	while (i < na || j < nb) {
		int c = i == na ? 1 : j == nb ? -1 : strcmp(ka[i].qid,
		    kb[j].qid);
		if (c == 0) {
			out->ia[out->n] = ka[i].at;
			out->ib[out->n++] = kb[j].at;
		}
		if (c <= 0) {
			out->only_a += c < 0;
			skip_same(ka, na, &i);
		}
		if (c >= 0) {
			out->only_b += c > 0;
			skip_same(kb, nb, &j);
		}
	}
	free(ka);
	free(kb);
	return PF_OK;
}

void
pf_pairing_free(pf_pairing *p)
{
	free(p->ia);
	free(p->ib);
	*p = (pf_pairing){0};
}

int
pf_pair_compare(pf_cmp *out, pf_pairing *pairs, const pf_qlist *a,
    const pf_qlist *b, const pf_compare_opts *o, uint64_t id_a,
    uint64_t id_b, pf_err *err)
{
	pf_pairing p;
	double *x = NULL, *y = NULL;
	int rc;

	if (pairs != NULL)
		*pairs = (pf_pairing){0};
	if ((rc = pf_pair_qids(&p, a, b, err)) != PF_OK)
		return rc;
	if ((x = malloc((p.n + 1) * sizeof(double))) == NULL ||
	    (y = malloc((p.n + 1) * sizeof(double))) == NULL) {
		rc = pf_err_set(err, PF_ENOMEM, NULL, 0, "out of memory");
		goto done;
	}
	for (size_t i = 0; i < p.n; i++) {
		x[i] = a->value[p.ia[i]];
		y[i] = b->value[p.ib[i]];
	}
	rc = pf_compare_paired(o, x, y, p.n, o->n_boot, id_a, id_b, out, err);
done:
	free(x);
	free(y);
	if (rc == PF_OK && pairs != NULL)
		*pairs = p;
	else
		pf_pairing_free(&p);
	return rc;
}
