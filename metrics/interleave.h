/*
 * metrics/interleave.h — simulated interleaving and multileaving between
 * ranked lists under a click model (../shared/METHODS.md §1, §2.4). Pure:
 * arrays in, numbers out, no I/O, no global state. What this estimates:
 * on a golden set the outcome is a deterministic function of the labels
 * and the click model — a preference on the scale of an online
 * interleaving experiment, not new evidence about users and not a lift.
 *
 * Methods (pf_il_method):
 *  - PF_IL_TEAM_DRAFT (Radlinski et al. 2008, §1.3): while |I| < k and both
 *    lists have a document not in I, the team with fewer picks (a fair
 *    coin when equal) appends its best document not in I. Credit: clicks
 *    on each team's documents. Exact by default: the expectation over the
 *    draft's coins (at most 2^ceil(m/2) drafts, m = min(k, depth)), each
 *    scored by a dynamic programme over positions with state (still
 *    examining, h_B - h_A) — exact for every click model here (PBM and
 *    UNIFORM1 are special cases of the same recursion). The draft stops
 *    as soon as either list has nothing left to give, possibly
 *    mid-round, so with a list shorter than k team draft can favour a
 *    side even under random clicks (A = (a), B = (b, a): E[o] = -1/4);
 *    lists of length >= k never run out and it is unbiased.
 *  - PF_IL_BALANCED (Joachims 2002, §1.2): two interleavings (who starts
 *    is one coin). Credit: let c be the lowest clicked position, k* =
 *    min(rank_A(I[c]), rank_B(I[c])) (absent: |list| + 1); h_X = clicked
 *    documents in X's top k*. KNOWN BIAS: it prefers one side under
 *    random clicks (A = (a,b,c), B = (b,c,a), one uniform click: E[o] =
 *    +1/3); pf_il_method_biased() says so for the report's warning. Exact
 *    by enumerating click patterns (2 x 2^min(k, depth)) when
 *    min(k, depth) <= 12, Monte Carlo otherwise.
 *  - PF_IL_PROBABILISTIC (Hofmann et al. 2011, §1.4): each ranker is a
 *    softmax over its ranks, P_j(d) ~ rank_j(d)^-tau (tau = 3), over the
 *    documents not yet placed; each position picks a ranker by a fair
 *    coin and samples a document. The documents are the union of both
 *    lists; a document absent from a list has rank |list| + 1 there, and
 *    the whole list given counts (pass the depth the softmax should see).
 *    Outcome marginalised over the assignments (PI-MA): with pi_r =
 *    P_B(I_r) / (P_A(I_r) + P_B(I_r)) at each clicked position, the
 *    impression counts P(#B > #A) as a B win, P(#A > #B) as an A win and
 *    the rest as a tie (counts are expected, hence fractional). Monte
 *    Carlo only.
 *  - PF_IL_MULTILEAVE (team-draft multileave, Schuth et al. 2014, §1.6),
 *    for two or more rankers: while |I| < k and some ranker has a
 *    document not in I, a ranker drawn uniformly among those with the
 *    smallest team (skipping exhausted ones) appends its best document
 *    not in I. Pairwise outcome o_ij = sign(c_j - c_i) from clicks per
 *    team; an impression where ranker i or j placed nothing is "not
 *    compared" for that pair. Monte Carlo only.
 *
 * Exact or simulated (pf_il_mode): AUTO takes the exact path where it is
 * cheaper than simulating 1,000 impressions — team draft with m <= 16,
 * balanced with m <= 12 (every default setting: m = 10) — and Monte Carlo
 * elsewhere; EXACT allows m <= 32 (team draft) and m <= 20 (balanced) and
 * refuses the rest; MC always simulates (to cross-check the exact path).
 *
 * Outcome (§1.1), always oriented B minus A (for pair (i, j), j is B):
 * per impression o = sign(h_B - h_A); W_B, W_A, T (clicked ties) and Z
 * (no click) are counted apart. Per query:
 *     mean_o = (W_B - W_A) / N    = E[o], no-click impressions count 0
 *                                   (the quantity of METHODS.md §8 items
 *                                   1-3)
 *     delta  = (W_B - W_A) / (W_A + W_B + T)   (Δ: no-clicks excluded)
 * Over queries (pf_il_summarize), with traffic weights w_q (default 1)
 * and shares per impression:
 *     mean_o = Σ w_q mean_o_q / Σ w_q
 *     delta  = Σ w_q (W_B - W_A)_q/N_q / Σ w_q (W_A + W_B + T)_q/N_q
 *            = mean_o / (1 - no-click rate)
 *     p_pref = Σ w_q W_B,q/N_q / Σ w_q (W_A + W_B)_q/N_q   (share of
 *              decided impressions won by B; 0.5 = no preference)
 * Δ_AB of Chapelle et al. is delta / 2; it is deliberately not computed
 * here, so the two are never mixed. Confidence intervals resample
 * QUERIES (percentile bootstrap), never impressions: impressions are
 * Monte Carlo precision only (their standard error is pf_il_outcome.se).
 *
 * Randomness: every impression draws from a counter-based generator keyed
 * by (seed, query key, impression), and the bootstrap from (seed, stream,
 * resample), so results are identical for any thread count and a query's
 * result does not depend on which other queries are in the batch.
 */
#ifndef PF_METRICS_INTERLEAVE_H
#define PF_METRICS_INTERLEAVE_H

#include <stddef.h>
#include <stdint.h>

#include "metrics/clickmodel.h"
#include "metrics/err.h"

#define PF_IL_MAXK	256	/* longest interleaved list */
#define PF_IL_MAXRANKERS 64	/* rankers in one multileave */

typedef enum pf_il_method {
	PF_IL_TEAM_DRAFT,
	PF_IL_BALANCED,
	PF_IL_PROBABILISTIC,
	PF_IL_MULTILEAVE
} pf_il_method;

typedef enum pf_il_mode {
	PF_IL_AUTO,	/* exact where this module has it, else Monte Carlo */
	PF_IL_EXACT,	/* exact or PF_EINVAL */
	PF_IL_MC	/* Monte Carlo always */
} pf_il_mode;

typedef struct pf_il_opts {
	pf_il_method	method;		/* PF_IL_TEAM_DRAFT */
	pf_il_mode	mode;		/* PF_IL_AUTO */
	size_t		k;		/* interleaved list length, 10 */
	size_t		n_impr;		/* Monte Carlo impressions/query, 1000 */
	double		tau;		/* probabilistic softmax, 3 */
	uint64_t	seed;		/* 1 */
	/* called with 1 after each query, from any thread at once (the
	   caller's progress); NULL: none */
	void		(*tick)(void *ctx, size_t n);
	void		*tick_ctx;
} pf_il_opts;

void	pf_il_opts_init(pf_il_opts *o);

/*
 * One query: nrankers ranked lists (best first) of document ids — any
 * uint32_t values, e.g. golden-set document indexes; equal ids are the
 * same document — and the data grade of each listed document, parallel
 * to the list (negative = unjudged = grade 0). A document listed twice in
 * one list, or with different grades in two lists, is PF_EINVAL.
 * key seeds the query's random numbers: give a stable id (the query's
 * index in the golden set, or a hash of its qid).
 */
typedef struct pf_il_query {
	uint64_t		 key;
	const uint32_t *const	*doc;		/* nrankers lists */
	const int32_t *const	*grade;		/* nrankers lists */
	const size_t		*len;		/* nrankers lengths */
} pf_il_query;

/*
 * Per query and pair of rankers (i < j; j is "B"). Counts are over n
 * impressions: for Monte Carlo the simulated (for PI-MA, expected)
 * counts; for exact results the expected counts over n = opts.n_impr
 * impressions, so both read the same way. w_b + w_a + ties + none = n.
 */
typedef struct pf_il_outcome {
	double	w_b, w_a, ties, none;
	double	n;		/* impressions compared */
	double	not_compared;	/* multileave: i or j absent from I */
	double	mean_o;		/* (w_b - w_a) / n; 0 when n = 0 */
	double	delta;		/* (w_b - w_a) / (w_b + w_a + ties); NaN
				   when no impression had a click */
	double	se;		/* Monte Carlo standard error of mean_o; 0
				   when exact */
	int	exact;		/* expectation computed exactly */
} pf_il_outcome;

/* Number of ranker pairs: nrankers (nrankers - 1) / 2. */
size_t	pf_il_npairs(size_t nrankers);
/* Index of pair (i, j), i < j, in a query's outcomes: pairs are ordered
   (0,1), (0,2), ..., (0,m-1), (1,2), ... */
size_t	pf_il_pair_index(size_t nrankers, size_t i, size_t j);

/*
 * Simulates every query, in parallel over queries (OpenMP): out holds
 * nq x npairs outcomes, query-major. Team draft, balanced and
 * probabilistic need nrankers == 2; multileave needs nrankers >= 2.
 * Errors: PF_EINVAL for bad options (naming the field), a bad click
 * model, or a bad query (naming the first bad query by index — the
 * smallest such index, whatever the thread count); PF_ENOMEM.
 * Thread-safe; allocates scratch per thread.
 */
int	pf_il_run(const pf_il_opts *o, const pf_click_model *cm,
	    const pf_il_query *q, size_t nq, size_t nrankers,
	    pf_il_outcome *out, pf_err *err);

/* Whether the method favours a side under random clicks (balanced). */
int	pf_il_method_biased(pf_il_method m);
/* Whether opts and cm give exact results (nothing is simulated). */
int	pf_il_is_exact(const pf_il_opts *o, const pf_click_model *cm);
/* "team-draft", "balanced", "probabilistic", "multileave"; -1 unknown. */
const char	*pf_il_method_name(pf_il_method m);
int		 pf_il_method_from_name(const char *name);

/* ---- aggregate over queries ------------------------------------------ */

typedef struct pf_il_sum_opts {
	double		alpha;		/* 0.05 */
	size_t		n_boot;		/* 10,000 resamples of the queries */
	double		tie_tol;	/* 1e-9: query W/L/T on mean_o */
	uint64_t	seed;		/* 1 */
	uint64_t	stream;		/* e.g. hash of (pair, segment) */
} pf_il_sum_opts;

void	pf_il_sum_opts_init(pf_il_sum_opts *o);

typedef struct pf_il_summary {
	size_t	nq;			/* queries aggregated */
	size_t	nq_clicked;		/* ... with at least one click */
	double	weight;			/* Σ w_q */
	double	mean_o, mean_o_lo, mean_o_hi;
	double	delta, delta_lo, delta_hi;
	double	p_pref, p_pref_lo, p_pref_hi;
	double	share_b, share_a, share_tie;	/* of clicked impressions */
	double	no_click;		/* Z / N */
	double	not_compared;		/* multileave: share not compared */
	size_t	q_wins, q_losses, q_ties;	/* queries by mean_o vs
						   tie_tol: B better, worse */
	int	exact;			/* every query exact */
} pf_il_summary;

/*
 * Aggregates n queries: query i is per_query[idx * stride] with idx =
 * subset ? subset[i] : i (so a segment is a subset of query indexes, and
 * a pair of a multileave is per_query + pair with stride npairs); its
 * weight is weight[idx] (weight NULL: all 1; weights must be finite and
 * >= 0). A pair never compared in a query (multileave) adds nothing but
 * its not-compared share. Bootstrap CIs: B resamples of the n queries with replacement,
 * percentile interval [the ceil(B alpha/2)-th, the ceil(B (1 -
 * alpha/2))-th smallest] over resamples where the statistic is defined;
 * NaN when n = 0 or B = 0. PF_EINVAL on a bad weight or option,
 * PF_ENOMEM. Parallel over resamples; the same bytes for any thread
 * count.
 */
int	pf_il_summarize(const pf_il_outcome *per_query, size_t stride,
	    const size_t *subset, size_t n, const double *weight,
	    const pf_il_sum_opts *o, pf_il_summary *out, pf_err *err);

/* ---- building blocks (exported for tests and for logged clicks) ------ */

/*
 * Team-draft interleaving of a (na) and b (nb) with the given coins (bit
 * r of coins[r / 64] decides the r-th fair coin: 1 = A picks first).
 * Writes up to k documents to out and their teams to team (0 = A, 1 = B);
 * returns |I|.
 */
size_t	pf_il_team_draft(const uint32_t *a, size_t na, const uint32_t *b,
	    size_t nb, size_t k, const uint64_t *coins, uint32_t *out,
	    unsigned char *team);

/* Balanced interleaving; a_first is the one coin. Returns |I|. */
size_t	pf_il_balanced(const uint32_t *a, size_t na, const uint32_t *b,
	    size_t nb, size_t k, int a_first, uint32_t *out);

/*
 * Balanced credit for the clicked positions clicks[0..nclicks-1] (0-based,
 * any order) of I: writes h_A, h_B; returns sign(h_B - h_A).
 */
int	pf_il_balanced_credit(const uint32_t *il, size_t n,
	    const size_t *clicks, size_t nclicks, const uint32_t *a, size_t na,
	    const uint32_t *b, size_t nb, size_t *h_a, size_t *h_b);

/*
 * PI-MA for one impression: given pi[r] = P(position r came from B | I)
 * at the nclicks clicked positions, the probabilities that B has more
 * clicked positions than A (p_b) and fewer (p_a); O(nclicks^2).
 */
void	pf_il_pi_marginal(const double *pi, size_t nclicks, double *p_b,
	    double *p_a);

#endif /* PF_METRICS_INTERLEAVE_H */
