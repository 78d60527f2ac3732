/*
 * metrics/shapley.h — exact Shapley values of a cooperative game with a
 * handful of players (METHODS.md §3.5), from the values of all 2^n
 * coalitions. Pure: no I/O, no allocation, no global state.
 *
 * Coalitions are bit masks: bit i set = player i is in the coalition (for
 * stage attribution: slot group i uses the treatment's stage), so v[0] is
 * v(empty) (the control) and v[2^n - 1] is v(all) (the treatment).
 *
 *	phi_i = sum_{T subset of N\{i}} |T|! (n - |T| - 1)! / n!
 *		    [v(T + i) - v(T)]
 *
 * (Shapley 1953.) Efficiency: sum_i phi_i = v(all) - v(empty), to
 * rounding (each phi_i is a sum of 2^(n-1) weighted differences; the
 * residual is a few ulps of the largest |v|). Symmetry: players whose
 * marginal contributions are equal everywhere get equal values. Dummy: a
 * player that never changes v gets exactly 0 (every difference is 0).
 *
 * The pairwise Shapley interaction index (Grabisch 1997):
 *
 *	I_ij = sum_{T subset of N\{i,j}} |T|! (n - |T| - 2)! / (n - 1)!
 *		    [v(T + i + j) - v(T + i) - v(T + j) + v(T)]
 *
 * negative when the two players' gains do not stack.
 */
#ifndef PF_METRICS_SHAPLEY_H
#define PF_METRICS_SHAPLEY_H

#include <stddef.h>

#define PF_SHAPLEY_MAX	16	/* 2^16 coalitions; attribution uses <= 5 */

/* phi[0..n-1] from v[0 .. 2^n - 1]; 1 <= n <= PF_SHAPLEY_MAX. */
void	pf_shapley_values(const double *v, size_t n, double *phi);

/*
 * inter[i * n + j] = I_ij for i != j (symmetric), inter[i * n + i] = 0;
 * 2 <= n <= PF_SHAPLEY_MAX (n == 1 writes the single 0).
 */
void	pf_shapley_interactions(const double *v, size_t n, double *inter);

#endif /* PF_METRICS_SHAPLEY_H */
