/*
 * tests/plugins/example_linear.c — the example plugin shipped with
 * preflight: a linear scorer, bias + sum of weight x feature, absent
 * features adding nothing — the same model as the built-in `linear` stage,
 * so a test can compare the two. It includes the ABI header as a plugin
 * author does, <preflight/stage_abi.h> (harness/stages/plugin_abi.h,
 * installed): cc -shared -fPIC $(pkg-config --cflags preflight) ...
 * Parameters: weights="3:1.0,5:0.5" (file feature id:weight), bias=0.1,
 * fail=1 (every score call fails, to test error reporting), fail-rows=N
 * (a call of exactly N rows fails: one query's error, for the tests of
 * distributed replay, where only the rank holding that query fails).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <preflight/stage_abi.h>	/* harness/stages/plugin_abi.h, installed */

typedef struct model {
	size_t	 n;
	long	 id[64];
	double	 w[64], bias;
	int	 fail;
	long	 fail_rows;	/* 0: none */
	int	 failed;	/* the last call failed */
} model;

static void *
ex_open(const char *const *keys, const char *const *values, size_t n,
    char *err, size_t errsz)
{
	model *m = calloc(1, sizeof(*m));

	if (m == NULL)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		if (strcmp(keys[i], "bias") == 0) {
			m->bias = strtod(values[i], NULL);
		} else if (strcmp(keys[i], "fail") == 0) {
			m->fail = atoi(values[i]);
		} else if (strcmp(keys[i], "fail-rows") == 0) {
			m->fail_rows = strtol(values[i], NULL, 10);
		} else if (strcmp(keys[i], "weights") == 0) {
			const char *p = values[i];
			while (*p && m->n < 64) {
				char *e;
				m->id[m->n] = strtol(p, &e, 10);
				if (*e != ':') {
					snprintf(err, errsz, "weights: expected "
					    "id:weight at '%s'", p);
					free(m);
					return NULL;
				}
				m->w[m->n++] = strtod(e + 1, &e);
				p = *e == ',' ? e + 1 : e;
			}
		} else {
			snprintf(err, errsz, "unknown parameter '%s'", keys[i]);
			free(m);
			return NULL;
		}
	}
	return m;
}

static int
ex_score(void *h, const float *x, size_t nrows, size_t nfeat, double *out)
{
	model *m = h;

	/* a stage instance is shared by the replay's threads: the flag is
	   only read by ex_last_error right after this call failed, and every
	   failing call writes the same value */
	if (m->fail || (m->fail_rows > 0 && nrows == (size_t)m->fail_rows)) {
		m->failed = 1;
		return 1;
	}
	for (size_t r = 0; r < nrows; r++) {
		double s = m->bias;
		for (size_t k = 0; k < m->n; k++) {
			long c = m->id[k] - 1;
			if (c >= 0 && (size_t)c < nfeat) {
				float v = x[r * nfeat + (size_t)c];
				if (v == v)
					s += m->w[k] * (double)v;
			}
		}
		out[r] = s;
	}
	return 0;
}

static const char *
ex_last_error(void *h)
{
	const model *m = h;

	return m->fail ? "asked to fail (fail=1)" : m->failed ? "asked to "
	    "fail (fail-rows)" : NULL;
}

static void
ex_close(void *h)
{
	free(h);
}

#ifdef PF_EXAMPLE_BAD_ABI
#define EX_ABI	(PF_PLUGIN_ABI + 98)
#else
#define EX_ABI	PF_PLUGIN_ABI
#endif

static const pf_plugin_api api = {
	EX_ABI, "example-linear", ex_open, ex_score, ex_last_error, ex_close
};

#ifndef PF_EXAMPLE_NO_ENTRY
const pf_plugin_api *pf_plugin_entry(void);

const pf_plugin_api *
pf_plugin_entry(void)
{
	return &api;
}
#else
const pf_plugin_api *pf_example_unused(void);

const pf_plugin_api *
pf_example_unused(void)
{
	return &api;
}
#endif
