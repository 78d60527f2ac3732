/*
 * harness/decide/partial_fill.c — the sections of a part after its query
 * lists read back into the replay's given values (partial.h
 * pf_part_fill): each <features>' importance values, the stage
 * attribution pairs and the oracle split of the part's range.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "harness/decide/partial_internal.h"

void
pf_imp_given_clear(pf_imp_given *imp)
{
	for (size_t i = 0; i < imp->n; i++)
		pf_imp_part_clear(&imp->p[i]);
	free(imp->p);
	memset(imp, 0, sizeof(*imp));
}

/* One <features>' values of p's range into ip (see partial.h). */
static int
fill_imp_one(ibuf *b, const pf_part *p, size_t i, size_t nq,
    pf_imp_part *ip)
{
	uint64_t nt = 0, ni = 0;
	size_t w = p->q1 - p->q0;

	if (pf_part__get(b, &nt, sizeof(nt)) != 0)
		return PF_EFORMAT;
	if (nt > 0 && (w == 0 || nt > (b->n - b->at) / sizeof(double) / w ||
	    (ip->pq != NULL && ip->npq != nt * nq)))
		return pf_err_set(b->err, PF_EFORMAT, p->where, 0,
		    "importance %zu: %llu tasks, not those of the other "
		    "parts or longer than the part", i + 1,
		    (unsigned long long)nt);
	if (nt > 0 && ip->pq == NULL) {
		if ((ip->pq = calloc(nt * nq + 1, sizeof(double))) == NULL ||
		    (ip->bq = calloc(nq + 1, sizeof(double))) == NULL)
			return pf_err_set(b->err, PF_ENOMEM, NULL, 0,
			    "out of memory");
		ip->npq = nt * nq;
	}
	for (size_t t = 0; t < nt; t++)
		pf_part__get(b, ip->pq + t * nq + p->q0, w * sizeof(double));
	if (nt > 0)
		pf_part__get(b, ip->bq + p->q0, w * sizeof(double));
	if (pf_part__get(b, &ni, sizeof(ni)) != 0)
		return PF_EFORMAT;
	if (ni > b->n - b->at || (ip->ql != NULL && ni != ip->nitems))
		return pf_err_set(b->err, PF_EFORMAT, p->where, 0,
		    "importance %zu: %llu items, not those of the other parts",
		    i + 1, (unsigned long long)ni);
	if (ni == 0)
		return b->bad ? PF_EFORMAT : PF_OK;
	unsigned char *ql = malloc((size_t)ni);
	if (ql == NULL)
		return pf_err_set(b->err, PF_ENOMEM, NULL, 0, "out of memory");
	pf_part__get(b, ql, (size_t)ni);
	/* every share took the flags from the same combined summary */
	if (ip->ql != NULL && memcmp(ip->ql, ql, (size_t)ni) != 0) {
		free(ql);
		return pf_err_set(b->err, PF_EFORMAT, p->where, 0,
		    "importance %zu: its query-level features differ from "
		    "another part's", i + 1);
	}
	if (ip->ql == NULL) {
		ip->ql = ql;
		ip->nitems = (size_t)ni;
	} else
		free(ql);
	return b->bad ? PF_EFORMAT : PF_OK;
}

/* The importance values of p's range into imp. */
int
pf_part__fill_imp(pf_replay *r, ibuf *b, const pf_part *p, pf_imp_given *imp)
{
	size_t nq = r->m.nq, nf = r->scn->nfimp;
	uint32_t n = pf_part__get_u32(b);
	int rc = PF_OK;

	if (b->bad)
		return PF_EFORMAT;
	if (n != nf)
		return pf_err_set(b->err, PF_EFORMAT, p->where, 0, "it holds "
		    "%u importance results, the scenario asks for %zu", n, nf);
	if (imp->n == 0 && nf > 0) {
		if ((imp->p = calloc(nf, sizeof(*imp->p))) == NULL)
			return pf_err_set(b->err, PF_ENOMEM, NULL, 0,
			    "out of memory");
		imp->n = nf;
	}
	for (size_t i = 0; i < nf && rc == PF_OK; i++)
		rc = fill_imp_one(b, p, i, nq, &imp->p[i]);
	return rc;
}

/* Pair i's arrays in ag, for ncfg configurations and nj judged queries. */
static int
attrib_alloc(pf_attrib_share *sh, size_t ncfg, size_t nj)
{
	if ((sh->val = calloc(nj * ncfg + 1, sizeof(double))) == NULL ||
	    (sh->fail_x = malloc((ncfg + 1) * sizeof(size_t))) == NULL ||
	    (sh->fail_err = calloc(ncfg + 1, sizeof(pf_err))) == NULL)
		return PF_ENOMEM;
	sh->ncfg = ncfg;
	sh->nj = nj;
	for (size_t c = 0; c < ncfg; c++)
		sh->fail_x[c] = SIZE_MAX;
	return PF_OK;
}

/* One configuration's failure of p into sh: the first by query wins. */
static int
fill_fail(ibuf *b, pf_attrib_share *sh, size_t c, char **s, size_t *cap)
{
	uint64_t x = pf_part__get_u64(b);
	int32_t code = 0;
	size_t len;
	const char *w, *m;
	pf_err e = {0};

	if (x == UINT64_MAX || b->bad)
		return b->bad ? PF_EFORMAT : PF_OK;
	pf_part__get(b, &code, sizeof(code));
	if ((w = pf_part__get_str(b, s, cap, &len)) == NULL)
		return PF_EFORMAT;
	snprintf(e.where, sizeof(e.where), "%s", w);
	if ((m = pf_part__get_str(b, s, cap, &len)) == NULL)
		return PF_EFORMAT;
	snprintf(e.msg, sizeof(e.msg), "%s", m);
	e.code = code;
	if (x < sh->fail_x[c]) {
		sh->fail_x[c] = (size_t)x;
		sh->fail_err[c] = e;
	}
	return PF_OK;
}

/* The stage attribution values of p's range into ag. */
int
pf_part__fill_attrib(ibuf *b, const pf_part *p, pf_attrib_given *ag, char **s,
    size_t *cap)
{
	uint32_t np = pf_part__get_u32(b);

	if (b->bad)
		return PF_EFORMAT;
	if (ag->n == 0 && np > 0) {
		if ((ag->p = calloc(np, sizeof(*ag->p))) == NULL)
			return pf_err_set(b->err, PF_ENOMEM, NULL, 0,
			    "out of memory");
		ag->n = np;
	}
	if (np != ag->n)
		return pf_err_set(b->err, PF_EFORMAT, p->where, 0, "it holds "
		    "%u attribution pairs, another part %zu", np, ag->n);
	for (size_t i = 0; i < np; i++) {
		pf_attrib_share *sh = &ag->p[i];
		uint64_t nc = pf_part__get_u64(b), nj = pf_part__get_u64(b), xa = pf_part__get_u64(b),
		    xb = pf_part__get_u64(b);
		if (b->bad)
			return PF_EFORMAT;
		if (nc > 4096 || xa > xb || xb > nj || (sh->val != NULL &&
		    (sh->ncfg != nc || sh->nj != nj)) || (xb - xa) * nc >
		    (b->n - b->at) / sizeof(double))
			return pf_err_set(b->err, PF_EFORMAT, p->where, 0,
			    "attribution pair %zu: %llu configurations of "
			    "judged queries %llu to %llu of %llu, not those of "
			    "the other parts", i + 1, (unsigned long long)nc,
			    (unsigned long long)xa, (unsigned long long)xb,
			    (unsigned long long)nj);
		if (sh->val == NULL && attrib_alloc(sh, (size_t)nc,
		    (size_t)nj) != PF_OK)
			return pf_err_set(b->err, PF_ENOMEM, NULL, 0,
			    "out of memory");
		pf_part__get(b, sh->val + xa * nc, (size_t)((xb - xa) * nc) *
		    sizeof(double));
		for (size_t c = 0; c < nc; c++)
			if (fill_fail(b, sh, c, s, cap) != PF_OK)
				return PF_EFORMAT;
	}
	return b->bad ? PF_EFORMAT : PF_OK;
}

/* The oracle split's values of p's range into ag. */
int
pf_part__fill_oracle(ibuf *b, const pf_part *p, pf_attrib_given *ag)
{
	uint32_t has = pf_part__get_u32(b);
	uint64_t nj, ns, xa, xb;

	if (b->bad || has == 0)
		return b->bad ? PF_EFORMAT : PF_OK;
	nj = pf_part__get_u64(b);
	ns = pf_part__get_u64(b);
	xa = pf_part__get_u64(b);
	xb = pf_part__get_u64(b);
	if (b->bad)
		return PF_EFORMAT;
	if (ns == 0 || ns > 4096 || xa > xb || xb > nj || (ag->oracle != NULL &&
	    (ag->onj != nj || ag->ons != ns)) || (xb - xa) * ns * 4 >
	    (b->n - b->at) / sizeof(double))
		return pf_err_set(b->err, PF_EFORMAT, p->where, 0, "oracle "
		    "split: %llu stacks of judged queries %llu to %llu of %llu, "
		    "not those of the other parts", (unsigned long long)ns,
		    (unsigned long long)xa, (unsigned long long)xb,
		    (unsigned long long)nj);
	if (ag->oracle == NULL) {
		if ((ag->oracle = calloc((size_t)(nj * ns * 4 + 1),
		    sizeof(double))) == NULL)
			return pf_err_set(b->err, PF_ENOMEM, NULL, 0,
			    "out of memory");
		ag->onj = (size_t)nj;
		ag->ons = (size_t)ns;
	}
	pf_part__get(b, ag->oracle + xa * ns * 4, (size_t)((xb - xa) * ns * 4) *
	    sizeof(double));
	return b->bad ? PF_EFORMAT : PF_OK;
}
