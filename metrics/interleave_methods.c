/*
 * metrics/interleave_methods.c — the interleaving methods of interleave.h
 * on a prepared query (local document ids 0..U-1, see interleave.c): team
 * draft (exact and Monte Carlo), balanced (exact and Monte Carlo),
 * probabilistic with the marginalised outcome (pf_il_pi_marginal is in
 * interleave_blocks.c), team-draft multileave, and the click simulation.
 *
 * Every click model is one recursion over positions r < m = min(|I|,
 * depth) with a = a(g) theta_r, s and gamma (DBN as given; cascade s = 1,
 * gamma = 1; PBM s = 0, gamma = 1, theta_r = r^-eta): an examined user
 * clicks with probability a; after a click stops with probability s; if
 * not stopped examines the next position with probability gamma. The
 * simulator draws exactly these events (no draw when the event is
 * certain) and the exact paths sum over them. UNIFORM1 (one click, on a
 * uniform position among the first m) is handled apart.
 *
 * Exact accumulators hold probabilities; Monte Carlo ones hold counts.
 */
#include <math.h>
#include <string.h>

#include "metrics/interleave_internal.h"

#define SIGN(x)	(((x) > 0) - ((x) < 0))

static inline int
placed(const il_ws *ws, uint32_t u)
{
	return ws->stamp[u] == ws->cur;
}

static inline void
place(il_ws *ws, uint32_t u)
{
	ws->stamp[u] = ws->cur;
}

/* Counts one impression with nc clicks and outcome o into a. */
static inline void
tally(il_acc *a, size_t nc, int o)
{
	if (nc == 0) {
		a->none += 1;
		return;
	}
	if (o > 0)
		a->w_b += 1;
	else if (o < 0)
		a->w_a += 1;
	else
		a->ties += 1;
	a->sum_o += o;
	a->sum_o2 += (double)(o * o);
}

/* ---- click simulation ------------------------------------------------ */

/* Simulates one user on il[0..n-1]; clicked positions go to pos. */
static size_t
sim_clicks(const il_ctx *c, const il_ws *ws, const uint32_t *il, size_t n,
    il_rng *g, size_t *pos)
{
	size_t m = n < c->m ? n : c->m, nc = 0;

	if (m == 0)
		return 0;
	if (c->cm->kind == PF_CM_UNIFORM1) {
		pos[0] = il_below(g, m);
		return 1;
	}
	for (size_t r = 0; r < m; r++) {
		uint32_t u = il[r];
		double a = ws->pclick[u] * c->theta[r], s = ws->pstop[u];

		if (a > 0 && il_unif(g) < a) {
			pos[nc++] = r;
			if (s >= 1.0 || (s > 0 && il_unif(g) < s))
				break;
		}
		if (c->gamma < 1.0 && !(il_unif(g) < c->gamma))
			break;
	}
	return nc;
}

/*
 * Exact outcome probabilities for credit that adds up per click: a click
 * on position r adds sg[r] (+1 B, -1 A, 0 nobody) to h_B - h_A. State:
 * z = examining, nothing clicked; cur[d] = examining, clicked, difference
 * d; fin[d] = stopped after a click with difference d; pz = stopped
 * without a click. res = {B wins, A wins, clicked tie, no click}.
 */
static void
dp_additive(const il_ctx *c, const il_ws *ws, const uint32_t *il,
    const signed char *sg, size_t n, double res[4])
{
	double buf0[2 * PF_IL_MAXK + 1], buf1[2 * PF_IL_MAXK + 1];
	double fin[2 * PF_IL_MAXK + 1], *cur = buf0, *nxt = buf1;
	double z = 1.0, pz = 0.0, gm = c->gamma;
	size_t m = n < c->m ? n : c->m, mid = m, width = 2 * m + 1;

	res[0] = res[1] = res[2] = 0.0;
	res[3] = m == 0 ? 1.0 : 0.0;
	if (m == 0)
		return;
	if (c->cm->kind == PF_CM_UNIFORM1) {
		for (size_t r = 0; r < m; r++)
			res[sg[r] > 0 ? 0 : sg[r] < 0 ? 1 : 2] += 1.0;
		for (int i = 0; i < 3; i++)
			res[i] /= (double)m;
		return;
	}
	for (size_t i = 0; i < width; i++)
		cur[i] = nxt[i] = fin[i] = 0.0;
	for (size_t r = 0; r < m; r++) {
		uint32_t u = il[r];
		double a = ws->pclick[u] * c->theta[r], s = ws->pstop[u];
		double keep = (1 - a) * gm, quit = (1 - a) * (1 - gm);
		double go = a * (1 - s) * gm, end = a * (s + (1 - s) * (1 - gm));
		size_t lo = mid - r, hi = mid + r;	/* |d| <= r so far */
		int t = sg[r];
		double *tmp;

		for (size_t i = lo > 0 ? lo - 1 : 0; i <= hi + 1 && i < width;
		    i++)
			nxt[i] = 0.0;
		for (size_t i = lo; i <= hi; i++) {
			double x = cur[i];
			if (x == 0.0)
				continue;
			nxt[i] += x * keep;
			fin[i] += x * quit;
			nxt[(size_t)((long)i + t)] += x * go;
			fin[(size_t)((long)i + t)] += x * end;
		}
		nxt[(size_t)((long)mid + t)] += z * go;
		fin[(size_t)((long)mid + t)] += z * end;
		pz += z * quit;
		z *= keep;
		tmp = cur;
		cur = nxt;
		nxt = tmp;
	}
	for (size_t i = 0; i < width; i++) {
		double x = cur[i] + fin[i];
		res[i > mid ? 0 : i < mid ? 1 : 2] += x;
	}
	res[3] = z + pz;
}

/* ---- team draft ------------------------------------------------------ */

/*
 * Team draft on the prepared lists 0 (A) and 1 (B) up to limit
 * positions; coin ci is bit ci % 64 of coins[ci / 64] (1 = A first).
 */
static size_t
td_build(il_ws *ws, size_t limit, const uint64_t *coins, uint32_t *il,
    signed char *sg)
{
	const uint32_t *A = ws->lst + ws->off[0], *B = ws->lst + ws->off[1];
	size_t na = ws->len[0], nb = ws->len[1], ia = 0, ib = 0, ta = 0;
	size_t tb = 0, n = 0, ci = 0;

	il_place_reset(ws);
	while (n < limit) {
		int pick_a;
		uint32_t d;

		while (ia < na && placed(ws, A[ia]))
			ia++;
		while (ib < nb && placed(ws, B[ib]))
			ib++;
		if (ia == na || ib == nb)
			break;
		if (ta != tb) {
			pick_a = ta < tb;
		} else {
			pick_a = (int)((coins[ci / 64] >> (ci % 64)) & 1);
			ci++;
		}
		d = pick_a ? A[ia++] : B[ib++];
		place(ws, d);
		il[n] = d;
		sg[n] = pick_a ? -1 : 1;
		n++;
		if (pick_a)
			ta++;
		else
			tb++;
	}
	return n;
}

void
il_team_draft_exact(const il_ctx *c, il_ws *ws, il_acc *acc)
{
	uint32_t il[PF_IL_MAXK];
	signed char sg[PF_IL_MAXK];
	size_t rounds = (c->m + 1) / 2;
	uint64_t nmask = (uint64_t)1 << rounds;
	double p = 1.0 / (double)nmask, res[4];

	for (uint64_t mask = 0; mask < nmask; mask++) {
		size_t n = td_build(ws, c->m, &mask, il, sg);
		dp_additive(c, ws, il, sg, n, res);
		acc->w_b += p * res[0];
		acc->w_a += p * res[1];
		acc->ties += p * res[2];
		acc->none += p * res[3];
	}
}

void
il_team_draft_mc(const il_ctx *c, il_ws *ws, uint64_t qkey, il_acc *acc)
{
	uint32_t il[PF_IL_MAXK];
	signed char sg[PF_IL_MAXK];
	size_t pos[PF_IL_MAXK];
	uint64_t coins[PF_IL_MAXK / 128 + 1];
	size_t nw = ((c->m + 1) / 2 + 63) / 64;

	for (size_t i = 0; i < c->o->n_impr; i++) {
		il_rng g = { il_key(IL_DOM_IMPR, c->o->seed, qkey, i), 0 };
		size_t n, nc;
		int h = 0;

		for (size_t w = 0; w < nw; w++)
			coins[w] = il_next(&g);
		n = td_build(ws, c->m, coins, il, sg);
		nc = sim_clicks(c, ws, il, n, &g, pos);
		for (size_t t = 0; t < nc; t++)
			h += sg[pos[t]];
		tally(acc, nc, SIGN(h));
	}
}

/* ---- balanced -------------------------------------------------------- */

static size_t
bal_build(il_ws *ws, size_t limit, int a_first, uint32_t *il)
{
	const uint32_t *A = ws->lst + ws->off[0], *B = ws->lst + ws->off[1];
	size_t na = ws->len[0], nb = ws->len[1], ka = 0, kb = 0, n = 0;

	il_place_reset(ws);
	while (ka < na && kb < nb && n < limit) {
		uint32_t d = ka < kb || (ka == kb && a_first) ? A[ka++] :
		    B[kb++];
		if (!placed(ws, d)) {
			place(ws, d);
			il[n++] = d;
		}
	}
	return n;
}

/* sign(h_B - h_A) for clicked positions pos[0..nc-1], nc >= 1. */
static int
bal_credit(const il_ws *ws, const uint32_t *il, const size_t *pos,
    size_t nc)
{
	const uint32_t *ra = ws->rank, *rb = ws->rank + ws->U;
	size_t cmax = 0, ha = 0, hb = 0;
	uint32_t k;

	for (size_t t = 0; t < nc; t++)
		cmax = pos[t] > cmax ? pos[t] : cmax;
	k = ra[il[cmax]] < rb[il[cmax]] ? ra[il[cmax]] : rb[il[cmax]];
	for (size_t t = 0; t < nc; t++) {
		ha += ra[il[pos[t]]] <= k;
		hb += rb[il[pos[t]]] <= k;
	}
	return SIGN((long)hb - (long)ha);
}

/* Every click pattern on positions r..n-1, its probability e + x. */
static void
bal_dfs(const il_ctx *c, const il_ws *ws, const uint32_t *il, size_t n,
    size_t r, double e, double x, size_t *pos, size_t nc, double wt,
    il_acc *acc)
{
	if (r == n || e == 0.0) {
		double p = wt * (e + x);
		int o;
		if (p == 0.0)
			return;
		if (nc == 0) {
			acc->none += p;
			return;
		}
		o = bal_credit(ws, il, pos, nc);
		if (o > 0)
			acc->w_b += p;
		else if (o < 0)
			acc->w_a += p;
		else
			acc->ties += p;
		return;
	}
	uint32_t u = il[r];
	double a = ws->pclick[u] * c->theta[r], s = ws->pstop[u];
	double gm = c->gamma;

	if (a > 0) {
		pos[nc] = r;
		bal_dfs(c, ws, il, n, r + 1, e * a * (1 - s) * gm,
		    e * a * (s + (1 - s) * (1 - gm)), pos, nc + 1, wt, acc);
	}
	if (a < 1)
		bal_dfs(c, ws, il, n, r + 1, e * (1 - a) * gm,
		    x + e * (1 - a) * (1 - gm), pos, nc, wt, acc);
}

void
il_balanced_exact(const il_ctx *c, il_ws *ws, il_acc *acc)
{
	uint32_t il[PF_IL_MAXK];
	size_t pos[PF_IL_MAXK];

	for (int af = 1; af >= 0; af--) {
		size_t n = bal_build(ws, c->m, af, il);

		if (n == 0) {
			acc->none += 0.5;
		} else if (c->cm->kind == PF_CM_UNIFORM1) {
			for (size_t r = 0; r < n; r++) {
				int o = bal_credit(ws, il, &r, 1);
				double p = 0.5 / (double)n;
				if (o > 0)
					acc->w_b += p;
				else if (o < 0)
					acc->w_a += p;
				else
					acc->ties += p;
			}
		} else {
			bal_dfs(c, ws, il, n, 0, 1.0, 0.0, pos, 0, 0.5, acc);
		}
	}
}

void
il_balanced_mc(const il_ctx *c, il_ws *ws, uint64_t qkey, il_acc *acc)
{
	uint32_t il[2][PF_IL_MAXK];
	size_t n[2], pos[PF_IL_MAXK];

	n[0] = bal_build(ws, c->m, 0, il[0]);	/* B first */
	n[1] = bal_build(ws, c->m, 1, il[1]);	/* A first */
	for (size_t i = 0; i < c->o->n_impr; i++) {
		il_rng g = { il_key(IL_DOM_IMPR, c->o->seed, qkey, i), 0 };
		int af = (int)(il_next(&g) & 1);
		size_t nc = sim_clicks(c, ws, il[af], n[af], &g, pos);

		tally(acc, nc, nc ? bal_credit(ws, il[af], pos, nc) : 0);
	}
}

/* ---- probabilistic --------------------------------------------------- */

/* Σ of ranker j's weights over the documents not placed yet. */
static double
pi_mass(const il_ws *ws, size_t j)
{
	const double *w = ws->w + j * ws->U;
	double s = 0.0;

	for (size_t u = 0; u < ws->U; u++)
		if (!placed(ws, (uint32_t)u))
			s += w[u];
	return s;
}

/*
 * Samples from ranker j's softmax over the unplaced documents (total mass
 * W): its list in rank order, then the documents it does not list (equal
 * weights, local-id order). Rounding past the end returns the last
 * candidate seen.
 */
static uint32_t
pi_sample(const il_ws *ws, size_t j, double W, il_rng *g)
{
	const uint32_t *L = ws->lst + ws->off[j], *rk = ws->rank + j * ws->U;
	const double *w = ws->w + j * ws->U;
	double target = il_unif(g) * W, acc = 0.0;
	uint32_t last = 0;

	for (size_t p = 0; p < ws->len[j]; p++) {
		uint32_t u = L[p];
		if (placed(ws, u))
			continue;
		acc += w[u];
		last = u;
		if (acc > target)
			return u;
	}
	for (size_t u = 0; u < ws->U; u++) {
		if (rk[u] <= ws->full[j] || placed(ws, (uint32_t)u))
			continue;
		acc += w[u];
		last = (uint32_t)u;
		if (acc > target)
			break;
	}
	return last;
}

void
il_probabilistic_mc(const il_ctx *c, il_ws *ws, uint64_t qkey, il_acc *acc)
{
	uint32_t il[PF_IL_MAXK];
	size_t pos[PF_IL_MAXK], limit = c->m < ws->U ? c->m : ws->U;
	double pi[PF_IL_MAXK], pic[PF_IL_MAXK], tot[2];
	const double *w0 = ws->w, *w1 = ws->w + ws->U;

	il_place_reset(ws);
	tot[0] = pi_mass(ws, 0);
	tot[1] = pi_mass(ws, 1);
	for (size_t i = 0; i < c->o->n_impr; i++) {
		il_rng g = { il_key(IL_DOM_IMPR, c->o->seed, qkey, i), 0 };
		double W[2] = { tot[0], tot[1] }, pb, pa;
		uint64_t coins = 0;
		size_t n, nc;

		il_place_reset(ws);
		for (n = 0; n < limit; n++) {
			size_t j;
			uint32_t d;
			double qa, qb;

			if (n % 64 == 0)
				coins = il_next(&g);
			j = (size_t)((coins >> (n % 64)) & 1);	/* 1 = B */
			d = pi_sample(ws, j, W[j], &g);
			qa = W[0] > 0 ? w0[d] / W[0] : 0.0;
			qb = W[1] > 0 ? w1[d] / W[1] : 0.0;
			pi[n] = qa + qb > 0 ? qb / (qa + qb) : 0.5;
			place(ws, d);
			il[n] = d;
			W[0] -= w0[d];
			W[1] -= w1[d];
			/* subtraction loses the tail: recompute when small */
			if (W[0] <= 1e-9 * tot[0] || W[1] <= 1e-9 * tot[1]) {
				W[0] = pi_mass(ws, 0);
				W[1] = pi_mass(ws, 1);
			}
		}
		nc = sim_clicks(c, ws, il, n, &g, pos);
		if (nc == 0) {
			acc->none += 1;
			continue;
		}
		for (size_t t = 0; t < nc; t++)
			pic[t] = pi[pos[t]];
		pf_il_pi_marginal(pic, nc, &pb, &pa);
		acc->w_b += pb;
		acc->w_a += pa;
		acc->ties += 1.0 - pb - pa;
		acc->sum_o += pb - pa;
		acc->sum_o2 += (pb - pa) * (pb - pa);
	}
}

/* ---- team-draft multileave ------------------------------------------- */

void
il_multileave_mc(const il_ctx *c, il_ws *ws, uint64_t qkey, il_acc *acc)
{
	uint32_t il[PF_IL_MAXK];
	unsigned char team[PF_IL_MAXK], ex[PF_IL_MAXRANKERS];
	size_t pos[PF_IL_MAXK], ts[PF_IL_MAXRANKERS], ptr[PF_IL_MAXRANKERS];
	size_t cand[PF_IL_MAXRANKERS], cl[PF_IL_MAXRANKERS], nr = c->nr;

	for (size_t i = 0; i < c->o->n_impr; i++) {
		il_rng g = { il_key(IL_DOM_IMPR, c->o->seed, qkey, i), 0 };
		size_t n = 0, nc, p = 0;

		il_place_reset(ws);
		for (size_t j = 0; j < nr; j++) {
			ts[j] = ptr[j] = cl[j] = 0;
			ex[j] = 0;
		}
		while (n < c->k) {
			size_t minsz = SIZE_MAX, ncand = 0, j;
			uint32_t d;

			for (j = 0; j < nr; j++) {
				const uint32_t *L = ws->lst + ws->off[j];
				if (ex[j])
					continue;
				while (ptr[j] < ws->len[j] &&
				    placed(ws, L[ptr[j]]))
					ptr[j]++;
				if (ptr[j] == ws->len[j]) {
					ex[j] = 1;
					continue;
				}
				if (ts[j] < minsz) {
					minsz = ts[j];
					ncand = 0;
				}
				if (ts[j] == minsz)
					cand[ncand++] = j;
			}
			if (ncand == 0)
				break;
			j = ncand == 1 ? cand[0] : cand[il_below(&g, ncand)];
			d = ws->lst[ws->off[j] + ptr[j]++];
			place(ws, d);
			il[n] = d;
			team[n] = (unsigned char)j;
			ts[j]++;
			n++;
		}
		nc = sim_clicks(c, ws, il, n, &g, pos);
		for (size_t t = 0; t < nc; t++)
			cl[team[pos[t]]]++;
		for (size_t a = 0; a < nr; a++)
			for (size_t b = a + 1; b < nr; b++, p++) {
				if (ts[a] == 0 || ts[b] == 0)
					acc[p].not_compared += 1;
				else
					tally(&acc[p], nc, SIGN((long)cl[b] -
					    (long)cl[a]));
			}
	}
}
