/*
 * metrics/interleave.c — the driver of simulated interleaving (see
 * interleave.h): options, per-query preparation and the parallel loop
 * over queries. The methods are in interleave_methods.c, the building
 * blocks in interleave_blocks.c, the query-bootstrap summary in
 * interleave_summary.c.
 *
 * Preparation renumbers a query's documents 0..U-1 (an open-addressing
 * table on the caller's uint32_t ids), so per-impression work indexes
 * small dense arrays whatever the id space. Methods other than
 * probabilistic never look past position 2k of a list (each pick skips at
 * most |I| < k documents already placed), so lists are cut there; the
 * probabilistic softmax sees the whole list. Sizes: U <= Σ list lengths;
 * per impression O(k) work plus the click model's draws.
 *
 * Determinism: each query writes only its own outcomes, from random
 * numbers keyed by (seed, query key, impression); errors are kept per
 * query and the smallest failing index is reported.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "metrics/interleave_internal.h"

static const char *const method_names[] = {
	"team-draft", "balanced", "probabilistic", "multileave"
};

void
pf_il_opts_init(pf_il_opts *o)
{
	o->method = PF_IL_TEAM_DRAFT;
	o->mode = PF_IL_AUTO;
	o->k = 10;
	o->n_impr = 1000;
	o->tau = 3.0;
	o->seed = 1;
	o->tick = NULL;
	o->tick_ctx = NULL;
}

size_t
pf_il_npairs(size_t nrankers)
{
	return nrankers < 2 ? 0 : nrankers * (nrankers - 1) / 2;
}

size_t
pf_il_pair_index(size_t nrankers, size_t i, size_t j)
{
	/* pairs before row i: Σ_{r<i} (m - 1 - r) */
	return i * (2 * nrankers - i - 1) / 2 + (j - i - 1);
}

int
pf_il_method_biased(pf_il_method m)
{
	return m == PF_IL_BALANCED;
}

const char *
pf_il_method_name(pf_il_method m)
{
	return (int)m >= 0 && (int)m <= (int)PF_IL_MULTILEAVE ?
	    method_names[m] : "?";
}

int
pf_il_method_from_name(const char *name)
{
	for (int i = 0; i <= (int)PF_IL_MULTILEAVE; i++)
		if (strcmp(name, method_names[i]) == 0)
			return i;
	return -1;
}

/*
 * Exact paths and their limits (m = min(k, depth) positions matter):
 * team draft enumerates 2^ceil(m/2) drafts with an O(m^2) programme each;
 * balanced enumerates 2 x 2^m click patterns. AUTO takes them while they
 * stay cheaper than 1000 impressions; EXACT allows more.
 */
#define TD_AUTO_ROUNDS	8
#define TD_MAX_ROUNDS	16
#define BAL_AUTO_M	12
#define BAL_MAX_M	20

static size_t
visible(const pf_il_opts *o, const pf_click_model *cm)
{
	return o->k < cm->depth ? o->k : cm->depth;
}

static int
exact_possible(const pf_il_opts *o, const pf_click_model *cm, int strict)
{
	size_t m = visible(o, cm);

	switch (o->method) {
	case PF_IL_TEAM_DRAFT:
		return (m + 1) / 2 <= (strict ? TD_MAX_ROUNDS : TD_AUTO_ROUNDS);
	case PF_IL_BALANCED:
		return m <= (strict ? BAL_MAX_M : BAL_AUTO_M);
	default:
		return 0;
	}
}

int
pf_il_is_exact(const pf_il_opts *o, const pf_click_model *cm)
{
	if (o->mode == PF_IL_MC)
		return 0;
	return exact_possible(o, cm, o->mode == PF_IL_EXACT);
}

static int
check_opts(const pf_il_opts *o, const pf_click_model *cm, size_t nr,
    pf_err *err)
{
	int rc;

	if ((rc = pf_cm_check(cm, err)) != PF_OK)
		return rc;
	if ((int)o->method < 0 || (int)o->method > (int)PF_IL_MULTILEAVE)
		return pf_err_set(err, PF_EINVAL, NULL, 0,
		    "unknown interleaving method %d", (int)o->method);
	if ((int)o->mode < 0 || (int)o->mode > (int)PF_IL_MC)
		return pf_err_set(err, PF_EINVAL, NULL, 0,
		    "unknown interleaving mode %d", (int)o->mode);
	if (o->k < 1 || o->k > PF_IL_MAXK)
		return pf_err_set(err, PF_EINVAL, NULL, 0, "interleaved list "
		    "length k must be 1 to %d, got %zu", PF_IL_MAXK, o->k);
	if (o->n_impr < 1)
		return pf_err_set(err, PF_EINVAL, NULL, 0,
		    "impressions per query must be at least 1");
	if (o->method == PF_IL_PROBABILISTIC &&
	    (!isfinite(o->tau) || !(o->tau >= 0.0)))
		return pf_err_set(err, PF_EINVAL, NULL, 0, "probabilistic "
		    "interleaving tau must be finite and >= 0, got %g", o->tau);
	if (o->method == PF_IL_MULTILEAVE) {
		if (nr < 2 || nr > PF_IL_MAXRANKERS)
			return pf_err_set(err, PF_EINVAL, NULL, 0, "multileave "
			    "needs 2 to %d rankers, got %zu", PF_IL_MAXRANKERS,
			    nr);
	} else if (nr != 2) {
		return pf_err_set(err, PF_EINVAL, NULL, 0, "%s interleaving "
		    "compares 2 rankers, got %zu (use multileave)",
		    pf_il_method_name(o->method), nr);
	}
	if (o->mode == PF_IL_EXACT && !exact_possible(o, cm, 1))
		return pf_err_set(err, PF_EINVAL, NULL, 0, "no exact %s "
		    "outcome for k = %zu, depth = %zu (use Monte Carlo)",
		    pf_il_method_name(o->method), o->k, cm->depth);
	return PF_OK;
}

/* ---- per-thread workspace -------------------------------------------- */

static void
ws_free(il_ws *ws)
{
	free(ws->hkey);
	free(ws->hval);
	free(ws->lst);
	free(ws->pclick);
	free(ws->pstop);
	free(ws->graw);
	free(ws->seen);
	free(ws->rank);
	free(ws->w);
	free(ws->stamp);
	memset(ws, 0, sizeof(*ws));
}

static int
grow(void **p, size_t n, size_t size)
{
	size_t bytes;
	void *q;

	if (pf_mul_size(n, size, &bytes) != PF_OK)
		return PF_ENOMEM;
	if ((q = realloc(*p, bytes ? bytes : 1)) == NULL)
		return PF_ENOMEM;
	*p = q;
	return PF_OK;
}

/* Capacity for ntot listed documents and nr rankers. */
static int
ws_reserve(il_ws *ws, size_t ntot, size_t nr)
{
	size_t hcap = 16, nru;

	while (hcap < 2 * ntot)
		hcap *= 2;
	if (hcap > ws->hcap) {
		if (grow((void **)&ws->hkey, hcap, sizeof(uint32_t)) ||
		    grow((void **)&ws->hval, hcap, sizeof(uint32_t)))
			return PF_ENOMEM;
		ws->hcap = hcap;
	}
	if (ntot > ws->lst_cap) {
		if (grow((void **)&ws->lst, ntot, sizeof(uint32_t)))
			return PF_ENOMEM;
		ws->lst_cap = ntot;
	}
	if (ntot > ws->u_cap) {
		if (pf_mul_size(ntot, nr, &nru) != PF_OK ||
		    grow((void **)&ws->pclick, ntot, sizeof(double)) ||
		    grow((void **)&ws->pstop, ntot, sizeof(double)) ||
		    grow((void **)&ws->graw, ntot, sizeof(int32_t)) ||
		    grow((void **)&ws->seen, ntot, 1) ||
		    grow((void **)&ws->rank, nru, sizeof(uint32_t)) ||
		    grow((void **)&ws->w, nru, sizeof(double)) ||
		    grow((void **)&ws->stamp, ntot, sizeof(uint32_t)))
			return PF_ENOMEM;
		ws->u_cap = ntot;
		memset(ws->stamp, 0, ntot * sizeof(uint32_t));
		ws->cur = 0;
	}
	return PF_OK;
}

void
il_place_reset(il_ws *ws)
{
	if (++ws->cur == 0) {		/* wrapped: forget every mark */
		memset(ws->stamp, 0, ws->u_cap * sizeof(uint32_t));
		ws->cur = 1;
	}
}

static uint32_t
hslot(uint32_t id, size_t cap)
{
	return (uint32_t)(il_mix(id) & (cap - 1));	/* any id pattern */
}

/*
 * Renumbers query q into ws. PF_EINVAL with *bad_list / *bad_pos set on a
 * document listed twice in one list or graded differently in two lists.
 */
static int
prepare(const il_ctx *c, il_ws *ws, const pf_il_query *q, size_t *bad_list,
    size_t *bad_pos)
{
	const pf_click_model *cm = c->cm;
	size_t ntot = 0, U = 0;

	for (size_t j = 0; j < c->nr; j++) {
		ws->full[j] = q->len[j];
		ws->len[j] = q->len[j] < c->trunc ? q->len[j] : c->trunc;
		ws->off[j] = ntot;
		ntot += ws->len[j];
	}
	if (ws_reserve(ws, ntot, c->nr) != PF_OK)
		return PF_ENOMEM;
	memset(ws->hval, 0xff, ws->hcap * sizeof(uint32_t));
	for (size_t j = 0; j < c->nr; j++) {
		for (size_t p = 0; p < ws->len[j]; p++) {
			uint32_t id = q->doc[j][p], h = hslot(id, ws->hcap);
			int32_t g = q->grade[j][p] < 0 ? -1 : q->grade[j][p];

			while (ws->hval[h] != UINT32_MAX && ws->hkey[h] != id)
				h = (uint32_t)((h + 1) & (ws->hcap - 1));
			if (ws->hval[h] == UINT32_MAX) {
				int mg = pf_cm_map_grade(cm, g);
				ws->hkey[h] = id;
				ws->hval[h] = (uint32_t)U;
				ws->graw[U] = g;
				ws->seen[U] = (unsigned char)(j + 1);
				ws->pclick[U] = cm->click[mg];
				ws->pstop[U] = cm->kind == PF_CM_DBN ?
				    cm->stop[mg] : cm->kind == PF_CM_CASCADE ?
				    1.0 : 0.0;
				U++;
			} else {
				uint32_t u = ws->hval[h];
				if (ws->seen[u] == j + 1 || ws->graw[u] != g) {
					*bad_list = j;
					*bad_pos = p;
					return PF_EINVAL;
				}
				ws->seen[u] = (unsigned char)(j + 1);
			}
			ws->lst[ws->off[j] + p] = ws->hval[h];
		}
	}
	ws->U = U;
	for (size_t j = 0; j < c->nr; j++) {
		uint32_t *rk = ws->rank + j * U;
		uint32_t absent = ws->full[j] < UINT32_MAX ?
		    (uint32_t)ws->full[j] + 1 : UINT32_MAX;

		for (size_t u = 0; u < U; u++)
			rk[u] = absent;
		for (size_t p = 0; p < ws->len[j]; p++)
			rk[ws->lst[ws->off[j] + p]] = (uint32_t)(p + 1);
		if (c->o->method == PF_IL_PROBABILISTIC) {
			double *w = ws->w + j * U;
			for (size_t u = 0; u < U; u++)
				w[u] = pow((double)rk[u], -c->o->tau);
		}
	}
	return PF_OK;
}

/* ---- the run --------------------------------------------------------- */

static void
finish(const il_acc *a, int exact, double nimpr, pf_il_outcome *out)
{
	double n = a->w_b + a->w_a + a->ties + a->none, dec;

	memset(out, 0, sizeof(*out));
	out->exact = exact;
	if (exact) {	/* a holds probabilities: scale to n_impr */
		dec = a->w_b + a->w_a + a->ties;
		out->w_b = a->w_b * nimpr;
		out->w_a = a->w_a * nimpr;
		out->ties = a->ties * nimpr;
		out->none = a->none * nimpr;
		out->n = nimpr;
		out->mean_o = a->w_b - a->w_a;
		out->delta = dec > 0 ? (a->w_b - a->w_a) / dec : NAN;
		out->se = 0.0;
		return;
	}
	out->w_b = a->w_b;
	out->w_a = a->w_a;
	out->ties = a->ties;
	out->none = a->none;
	out->n = n;
	out->not_compared = a->not_compared;
	dec = a->w_b + a->w_a + a->ties;
	out->mean_o = n > 0 ? (a->w_b - a->w_a) / n : 0.0;
	out->delta = dec > 0 ? (a->w_b - a->w_a) / dec : NAN;
	if (n >= 2) {
		double mu = a->sum_o / n;
		double var = (a->sum_o2 - n * mu * mu) / (n - 1);
		out->se = sqrt(var > 0 ? var : 0.0) / sqrt(n);
	} else {
		out->se = NAN;
	}
}

static int
run_query(const il_ctx *c, il_ws *ws, const pf_il_query *q, il_acc *acc,
    pf_il_outcome *out, size_t *bad_list, size_t *bad_pos)
{
	int rc;

	if ((rc = prepare(c, ws, q, bad_list, bad_pos)) != PF_OK)
		return rc;
	memset(acc, 0, c->npairs * sizeof(*acc));
	switch (c->o->method) {
	case PF_IL_TEAM_DRAFT:
		if (c->exact)
			il_team_draft_exact(c, ws, acc);
		else
			il_team_draft_mc(c, ws, q->key, acc);
		break;
	case PF_IL_BALANCED:
		if (c->exact)
			il_balanced_exact(c, ws, acc);
		else
			il_balanced_mc(c, ws, q->key, acc);
		break;
	case PF_IL_PROBABILISTIC:
		il_probabilistic_mc(c, ws, q->key, acc);
		break;
	case PF_IL_MULTILEAVE:
		il_multileave_mc(c, ws, q->key, acc);
		break;
	}
	for (size_t p = 0; p < c->npairs; p++)
		finish(&acc[p], c->exact, (double)c->o->n_impr, &out[p]);
	return PF_OK;
}

int
pf_il_run(const pf_il_opts *o, const pf_click_model *cm,
    const pf_il_query *q, size_t nq, size_t nrankers, pf_il_outcome *out,
    pf_err *err)
{
	il_ctx c;
	int *qrc = NULL, rc;
	size_t first_bad = SIZE_MAX;

	if ((rc = check_opts(o, cm, nrankers, err)) != PF_OK)
		return rc;
	memset(&c, 0, sizeof(c));
	c.o = o;
	c.cm = cm;
	c.nr = nrankers;
	c.npairs = pf_il_npairs(nrankers);
	c.k = o->k;
	c.m = visible(o, cm);
	c.trunc = o->method == PF_IL_PROBABILISTIC ? SIZE_MAX : 2 * o->k;
	c.exact = pf_il_is_exact(o, cm);
	c.gamma = cm->kind == PF_CM_DBN ? cm->gamma : 1.0;
	for (size_t r = 0; r < PF_IL_MAXK; r++)
		c.theta[r] = cm->kind == PF_CM_PBM ?
		    pow((double)(r + 1), -cm->eta) : 1.0;
	if (nq == 0)
		return PF_OK;
	if ((qrc = calloc(nq, sizeof(*qrc))) == NULL)
		return pf_err_set(err, PF_ENOMEM, NULL, 0,
		    "out of memory for %zu queries", nq);

#pragma omp parallel
	{
		il_ws ws;
		il_acc *acc = calloc(c.npairs, sizeof(*acc));

		memset(&ws, 0, sizeof(ws));
#pragma omp for schedule(dynamic, 16)
		for (size_t i = 0; i < nq; i++) {
			size_t bl, bp;
			qrc[i] = acc == NULL ? PF_ENOMEM : run_query(&c, &ws,
			    &q[i], acc, out + i * c.npairs, &bl, &bp);
			if (o->tick != NULL)
				o->tick(o->tick_ctx, 1);
		}
		ws_free(&ws);
		free(acc);
	}

	for (size_t i = 0; i < nq; i++)
		if (qrc[i] != PF_OK) {
			first_bad = i;
			break;
		}
	if (first_bad == SIZE_MAX) {
		rc = PF_OK;
	} else if (qrc[first_bad] == PF_ENOMEM) {
		rc = pf_err_set(err, PF_ENOMEM, NULL, 0,
		    "out of memory simulating query %zu", first_bad);
	} else {
		/* run the failing query again, serially, for its message */
		il_ws ws;
		il_acc *acc = calloc(c.npairs, sizeof(*acc));
		size_t bl = 0, bp = 0;

		memset(&ws, 0, sizeof(ws));
		rc = acc == NULL ? PF_ENOMEM : prepare(&c, &ws, &q[first_bad],
		    &bl, &bp);
		if (rc == PF_EINVAL)
			rc = pf_err_set(err, PF_EINVAL, NULL, 0, "query %zu, "
			    "ranker %zu, position %zu: document %lu is listed "
			    "twice or graded differently by two rankers",
			    first_bad, bl, bp + 1,
			    (unsigned long)q[first_bad].doc[bl][bp]);
		else
			rc = pf_err_set(err, PF_ENOMEM, NULL, 0,
			    "out of memory simulating query %zu", first_bad);
		ws_free(&ws);
		free(acc);
	}
	free(qrc);
	return rc;
}
