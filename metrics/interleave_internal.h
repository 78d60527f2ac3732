/*
 * metrics/interleave_internal.h — shared by interleave.c and
 * interleave_methods.c only; never included from another folder.
 */
#ifndef PF_METRICS_INTERLEAVE_INTERNAL_H
#define PF_METRICS_INTERLEAVE_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "metrics/interleave.h"

/*
 * Counter-based generator: draw n of stream `key` is SplitMix64's output
 * for state key + n * golden, a function of (key, n) alone. Keys come from
 * il_key(seed, a, b), three rounds of the SplitMix64 finaliser with
 * distinct constants per role, so (seed, query, impression) and (seed,
 * stream, resample) never share a key by construction of the inputs.
 */
#define IL_GOLDEN	0x9e3779b97f4a7c15ull
#define IL_DOM_IMPR	0x5851f42d4c957f2dull	/* impressions */
#define IL_DOM_BOOT	0x14057b7ef767814full	/* bootstrap */

static inline uint64_t
il_mix(uint64_t z)
{
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static inline uint64_t
il_key(uint64_t domain, uint64_t seed, uint64_t a, uint64_t b)
{
	return il_mix(il_mix(il_mix(seed ^ domain) ^ a) ^ (b + IL_GOLDEN));
}

typedef struct il_rng {
	uint64_t	key, ctr;
} il_rng;

static inline uint64_t
il_next(il_rng *r)
{
	r->ctr++;
	return il_mix(r->key + r->ctr * IL_GOLDEN);
}

/* Uniform in [0, 1) with 53 random bits. */
static inline double
il_unif(il_rng *r)
{
	return (double)(il_next(r) >> 11) * 0x1p-53;
}

/* Uniform integer in [0, n), n >= 1 (bias < n / 2^53). */
static inline size_t
il_below(il_rng *r, size_t n)
{
	size_t k = (size_t)(il_unif(r) * (double)n);
	return k < n ? k : n - 1;
}

/* Read-only state of one pf_il_run. */
typedef struct il_ctx {
	const pf_il_opts	*o;
	const pf_click_model	*cm;
	size_t	 nr, npairs;
	size_t	 k;		/* interleaved length */
	size_t	 m;		/* positions a user can see: min(k, depth) */
	size_t	 trunc;		/* list prefix used; SIZE_MAX = whole list */
	int	 exact;
	double	 gamma;		/* DBN continuation (1 for other kinds) */
	double	 theta[PF_IL_MAXK];	/* PBM examination, 1 otherwise */
} il_ctx;

/*
 * Per-thread workspace: the query's documents renumbered 0..U-1 (local
 * ids), its lists in local ids, and per document the click-model numbers.
 */
typedef struct il_ws {
	/* doc id -> local id, open addressing */
	uint32_t	*hkey, *hval;
	size_t		 hcap;
	/* lists in local ids: list j is lst[off[j] .. off[j] + len[j]) */
	uint32_t	*lst;
	size_t		 lst_cap;
	size_t		 off[PF_IL_MAXRANKERS], len[PF_IL_MAXRANKERS];
	size_t		 full[PF_IL_MAXRANKERS];	/* untruncated length */
	/* per local doc */
	size_t		 U, u_cap;
	double		*pclick;	/* a(g) */
	double		*pstop;		/* s(g) as the kind uses it */
	int32_t		*graw;		/* data grade (negative -> -1) */
	unsigned char	*seen;		/* last list that held it, 1-based */
	uint32_t	*rank;		/* nr x U: 1-based rank, full[j]+1 absent */
	double		*w;		/* nr x U: rank^-tau (probabilistic) */
	uint32_t	*stamp;		/* placed in the current impression */
	uint32_t	 cur;
} il_ws;

/* Per-pair accumulators of one query. */
typedef struct il_acc {
	double	w_b, w_a, ties, none, not_compared, sum_o, sum_o2;
} il_acc;

/* interleave.c */
void	il_place_reset(il_ws *ws);

/* interleave_methods.c: fill acc[npairs] for the prepared query. */
void	il_team_draft_exact(const il_ctx *c, il_ws *ws, il_acc *acc);
void	il_balanced_exact(const il_ctx *c, il_ws *ws, il_acc *acc);
void	il_team_draft_mc(const il_ctx *c, il_ws *ws, uint64_t qkey,
	    il_acc *acc);
void	il_balanced_mc(const il_ctx *c, il_ws *ws, uint64_t qkey,
	    il_acc *acc);
void	il_probabilistic_mc(const il_ctx *c, il_ws *ws, uint64_t qkey,
	    il_acc *acc);
void	il_multileave_mc(const il_ctx *c, il_ws *ws, uint64_t qkey,
	    il_acc *acc);

#endif /* PF_METRICS_INTERLEAVE_INTERNAL_H */
