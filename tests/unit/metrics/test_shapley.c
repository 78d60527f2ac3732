/*
 * test_shapley.c — metrics/shapley.h: METHODS.md §8 item 6 (the toy game,
 * by hand), the pairwise interactions of that game by hand, and the
 * axioms on pseudo-random games of 1..5 players: efficiency, symmetry,
 * dummy player exactly 0, additivity; and agreement with the definition
 * by orderings (the mean of the marginal contributions over all n!
 * orders), computed independently here.
 */
#include <math.h>
#include <stdint.h>
#include <string.h>

#include <criterion/criterion.h>

#include "metrics/shapley.h"

#define NEAR(a, b, tol)	cr_assert(fabs((a) - (b)) <= (tol), \
			    "%s = %.17g, want %.17g", #a, (double)(a), \
			    (double)(b))

/* Q = bit 0, R = bit 1, K = bit 2 */
static const double toy[8] = {0.400, 0.410, 0.420, 0.425, 0.430, 0.445,
    0.470, 0.480};

Test(shapley, methods_toy_fixture)
{
	double phi[3];

	pf_shapley_values(toy, 3, phi);
	NEAR(phi[0], 0.0100, 1e-15);
	NEAR(phi[1], 0.0275, 1e-15);
	NEAR(phi[2], 0.0425, 1e-15);
	NEAR(phi[0] + phi[1] + phi[2], 0.080, 1e-15);
}

Test(shapley, toy_interactions_by_hand)
{
	double in[9];

	pf_shapley_interactions(toy, 3, in);
	/* I_QR = (v(QR)-v(Q)-v(R)+v()) / 2 + (v(QRK)-v(QK)-v(RK)+v(K)) / 2 */
	NEAR(in[0 * 3 + 1], -0.005, 1e-15);
	NEAR(in[1 * 3 + 0], -0.005, 1e-15);
	NEAR(in[0 * 3 + 2], 0.005, 1e-15);
	NEAR(in[1 * 3 + 2], 0.020, 1e-15);
	cr_assert(in[0] == 0 && in[4] == 0 && in[8] == 0);
}

Test(shapley, two_players_interaction_is_the_double_difference)
{
	double v[4] = {1.0, 1.5, 1.25, 2.0}, in[4], phi[2];

	pf_shapley_interactions(v, 2, in);
	NEAR(in[1], 2.0 - 1.5 - 1.25 + 1.0, 1e-15);
	pf_shapley_values(v, 2, phi);
	/* phi_1 = ((v1 - v0) + (v12 - v2)) / 2 */
	NEAR(phi[0], (0.5 + 0.75) / 2, 1e-15);
	NEAR(phi[1], (0.25 + 0.5) / 2, 1e-15);
}

Test(shapley, one_player_gets_the_whole_delta)
{
	double v[2] = {0.3, 0.7125}, phi[1];

	pf_shapley_values(v, 1, phi);
	cr_assert(phi[0] == 0.7125 - 0.3);
}

static uint64_t
lcg(uint64_t *s)
{
	*s = *s * 6364136223846793005ULL + 1442695040888963407ULL;
	return *s >> 11;
}

static void
random_game(double *v, size_t n, uint64_t seed)
{
	for (size_t m = 0; m < ((size_t)1 << n); m++)
		v[m] = (double)(lcg(&seed) % 1000000) / 1e6;
}

/* Mean marginal contribution over all n! orders (Heap's algorithm). */
static void
by_orders(const double *v, size_t n, double *phi)
{
	size_t perm[8], c[8] = {0}, norders = 0, i = 0;

	for (size_t k = 0; k < n; k++) {
		perm[k] = k;
		phi[k] = 0;
	}
	for (;;) {
		size_t m = 0;
		for (size_t k = 0; k < n; k++) {
			phi[perm[k]] += v[m | ((size_t)1 << perm[k])] - v[m];
			m |= (size_t)1 << perm[k];
		}
		norders++;
		while (i < n && c[i] >= i) {
			c[i] = 0;
			i++;
		}
		if (i >= n)
			break;
		size_t j = i % 2 == 0 ? 0 : c[i], t = perm[j];
		perm[j] = perm[i];
		perm[i] = t;
		c[i]++;
		i = 0;
	}
	for (size_t k = 0; k < n; k++)
		phi[k] /= (double)norders;
}

Test(shapley, agrees_with_the_definition_by_orders)
{
	double v[32], phi[5], ref[5];

	for (size_t n = 1; n <= 5; n++)
		for (uint64_t seed = 1; seed <= 20; seed++) {
			random_game(v, n, seed * 977 + n);
			pf_shapley_values(v, n, phi);
			by_orders(v, n, ref);
			for (size_t i = 0; i < n; i++)
				NEAR(phi[i], ref[i], 1e-14);
		}
}

Test(shapley, efficiency)
{
	double v[32], phi[5];

	for (size_t n = 1; n <= 5; n++)
		for (uint64_t seed = 1; seed <= 50; seed++) {
			random_game(v, n, seed);
			pf_shapley_values(v, n, phi);
			double s = 0;
			for (size_t i = 0; i < n; i++)
				s += phi[i];
			NEAR(s, v[((size_t)1 << n) - 1] - v[0], 1e-14);
		}
}

Test(shapley, dummy_player_is_exactly_zero)
{
	double v[32], phi[5], in[25];

	for (size_t d = 0; d < 5; d++) {
		size_t bit = (size_t)1 << d;
		random_game(v, 5, 7 + d);
		for (size_t m = 0; m < 32; m++)
			v[m] = v[m & ~bit];	/* d never changes v */
		pf_shapley_values(v, 5, phi);
		cr_assert(phi[d] == 0.0, "dummy %zu got %.17g", d, phi[d]);
		pf_shapley_interactions(v, 5, in);
		for (size_t j = 0; j < 5; j++)
			cr_assert(in[d * 5 + j] == 0.0);
	}
}

Test(shapley, symmetric_players_get_equal_values)
{
	double v[32], phi[5];

	/* v depends on players 1 and 3 only through whether each is in:
	   swapping them leaves v unchanged */
	random_game(v, 5, 3);
	for (size_t m = 0; m < 32; m++) {
		size_t sw = m & ~(size_t)0xa;
		sw |= (m & 2) << 2 | (m & 8) >> 2;
		if (sw < m)
			v[m] = v[sw];
	}
	pf_shapley_values(v, 5, phi);
	cr_assert(phi[1] == phi[3], "%.17g vs %.17g", phi[1], phi[3]);
}

Test(shapley, additive_game_gives_each_its_own_gain)
{
	const double a[4] = {0.0125, -0.25, 0.5, 0.0};
	double v[16], phi[4];

	for (size_t m = 0; m < 16; m++) {
		v[m] = 0.375;
		for (size_t i = 0; i < 4; i++)
			if (m & ((size_t)1 << i))
				v[m] += a[i];
	}
	pf_shapley_values(v, 4, phi);
	for (size_t i = 0; i < 4; i++)
		NEAR(phi[i], a[i], 1e-15);
}
