/*
 * metrics/shapley.c — see shapley.h.
 */
#include <assert.h>

#include "metrics/shapley.h"

/* k! as a double: exact for k <= 18. */
static double
fact(size_t k)
{
	double f = 1;

	for (size_t i = 2; i <= k; i++)
		f *= (double)i;
	return f;
}

static size_t
popcount(size_t m)
{
	size_t c = 0;

	for (; m != 0; m &= m - 1)
		c++;
	return c;
}

void
pf_shapley_values(const double *v, size_t n, double *phi)
{
	double w[PF_SHAPLEY_MAX];
	size_t full;

	assert(n >= 1 && n <= PF_SHAPLEY_MAX);
	full = ((size_t)1 << n) - 1;
	/* w[t] = t! (n - t - 1)! / n!, the weight of a coalition of size t */
	for (size_t t = 0; t < n; t++)
		w[t] = fact(t) * fact(n - t - 1) / fact(n);
	for (size_t i = 0; i < n; i++) {
		size_t bit = (size_t)1 << i;
		double s = 0;
		/* every T without i, in increasing mask order */
		for (size_t m = 0; m <= full; m++)
			if (!(m & bit))
				s += w[popcount(m)] * (v[m | bit] - v[m]);
		phi[i] = s;
	}
}

void
pf_shapley_interactions(const double *v, size_t n, double *inter)
{
	double w[PF_SHAPLEY_MAX];
	size_t full;

	assert(n >= 1 && n <= PF_SHAPLEY_MAX);
	if (n == 1) {
		inter[0] = 0;
		return;
	}
	full = ((size_t)1 << n) - 1;
	/* w[t] = t! (n - t - 2)! / (n - 1)! */
	for (size_t t = 0; t + 2 <= n; t++)
		w[t] = fact(t) * fact(n - t - 2) / fact(n - 1);
	for (size_t i = 0; i < n; i++) {
		inter[i * n + i] = 0;
		for (size_t j = i + 1; j < n; j++) {
			size_t bi = (size_t)1 << i, bj = (size_t)1 << j;
			double s = 0;
			for (size_t m = 0; m <= full; m++)
				if (!(m & (bi | bj)))
					/* as two differences, so a dummy
					   player's terms are exactly 0 */
					s += w[popcount(m)] * ((v[m | bi | bj] -
					    v[m | bi]) - (v[m | bj] - v[m]));
			inter[i * n + j] = inter[j * n + i] = s;
		}
	}
}
