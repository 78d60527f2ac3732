/*
 * harness/decide/memest.c — the replay's peak memory, estimated for run
 * --check (memest.h).
 */
#include <string.h>

#include "harness/decide/memest.h"

void
pf_memest_of(const pf_replay *r, int threads, pf_memest *e)
{
	const pf_scenario *s = r->scn;
	pf_svm_mem m = {0};
	size_t nq = r->m.nq, nv = r->m.nv, cell;

	pf_golden_svm_mem(r->golden, &m);
	*e = (pf_memest){.x32 = m.x32, .x64 = m.x64, .other = m.other};
	/* per stack: a double score and a uint32 row per candidate, and
	   nq x nv metric values */
	e->scores = s->nstacks * (m.rows * (sizeof(double) +
	    sizeof(uint32_t)) + nq * nv * sizeof(double));
	/* importance: each thread permutes a copy of a query's rows (both
	   precisions when held) beside the original's scores; R repeats
	   of one value per feature (or group) per query */
	cell = sizeof(float) + (m.x64 > 0 ? sizeof(double) : 0);
	for (size_t i = 0; i < s->nfimp; i++) {
		const pf_scn_featimp *f = &s->fimp[i];
		size_t items = f->ngroups > 0 ? f->ngroups : m.nf;
		size_t reps = f->repeats > 0 ? f->repeats : 1;
		e->importance += (size_t)threads * 2 * m.qrows * m.nf * cell +
		    items * reps * nq * sizeof(double);
		/* the summary of every query's rows (analysis/importance.h
		   pf_imp_summary): at most one row per query (the columns
		   constant inside every query only), and for "mean" two
		   exact sums (296 bytes each, metrics/xsum.h) per column */
		e->importance += nq * m.nf * cell + (f->method != NULL &&
		    strcmp(f->method, "mean") == 0 ? m.nf * 2 * 296 : 0);
	}
	e->total = e->x32 + e->x64 + e->other + e->scores + e->importance;
	/* every file held; 4 chunks a thread in flight: their text (up to
	   8 MiB) and their rows parsed (a value of ~8 text bytes taking
	   cell bytes); while a file is read again for its doubles, its
	   float32 rows twice */
	e->load = e->x32 + e->x64 + e->other +
	    (size_t)threads * 4 * ((size_t)8 << 20) * (8 + cell) / 8 +
	    (m.x64 > 0 ? m.rows * m.nf * sizeof(float) : 0);
}

/* n bytes as "1.23 GiB", "45.6 MiB", "789 KiB" or "12 B". */
static const char *
human(size_t n, char *buf, size_t sz)
{
	if (n >= (size_t)1 << 30)
		snprintf(buf, sz, "%.2f GiB", (double)n / (1 << 30));
	else if (n >= (size_t)1 << 20)
		snprintf(buf, sz, "%.1f MiB", (double)n / (1 << 20));
	else if (n >= (size_t)1 << 10)
		snprintf(buf, sz, "%.0f KiB", (double)n / (1 << 10));
	else
		snprintf(buf, sz, "%zu B", n);
	return buf;
}

void
pf_memest_print(FILE *f, const pf_memest *e)
{
	char a[32], b[32], c[32], d[32], g[32], h[32], t[32], l[32];

	fprintf(f, "memory: peak estimate %s in the replay, %s while loading "
	    "(candidates %s: float32 %s, doubles %s, grades/qids/docids %s; "
	    "per-stack scores %s; importance %s)\n",
	    human(e->total, t, sizeof(t)), human(e->load, l, sizeof(l)),
	    human(e->x32 + e->x64 + e->other, a, sizeof(a)),
	    human(e->x32, b, sizeof(b)), human(e->x64, c, sizeof(c)),
	    human(e->other, d, sizeof(d)), human(e->scores, g, sizeof(g)),
	    human(e->importance, h, sizeof(h)));
}
