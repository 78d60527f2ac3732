/*
 * harness/history/diff.c — see diff.h. Reads both sides, then builds the
 * report: the metrics of every stack both runs have, paired on the
 * queries both have (analysis/pair.h: qid order, so a results.json and
 * the same run read from a database give the same numbers), the movers,
 * and the parts in diff_parts.c. Random streams are keyed by (seed, stack
 * id, metric name), so a stack or metric more on one side changes no
 * other number. Metrics print primary first, then by name.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "harness/analysis/pair.h"
#include "harness/history/diff_internal.h"
#include "harness/util/progress.h"
#include "harness/util/strtab.h"
#include "metrics/stats.h"

#define DEFAULT_RESAMPLES	10000
#define DEFAULT_TOP		10
#define RR			"recip_rank"

void
pf_diff_note(pf_diff *x, const char *fmt, ...)
{
	char line[512];
	va_list ap;

	if (x->rep.nnotes >= PF_DIFF_MAXNOTES)
		return;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if ((x->notes[x->rep.nnotes] = pf_diff_strdup(x->ar, line)) != NULL)
		x->rep.nnotes++;
}

static uint64_t
key(const char *s)
{
	return pf_hash_bytes(s, strlen(s));
}

/* Side d's values of stack s, metric m as a list. */
static pf_qlist
qlist(const pf_dside *d, size_t s, size_t m)
{
	return (pf_qlist){d->qid, pf_dside_values(d, s, m), d->nq};
}

/* The stacks both sides have (B's order) and the metrics (primary
   first, then by name); PF_EDATA when there is nothing to compare. */
typedef struct common {
	size_t	 *sa, *sb, ns;	/* stack positions in a and b */
	const char **metric;
	size_t	 nm;
} common;

static int
is_primary(const pf_diff *x, const char *metric)
{
	return x->rep.primary != NULL && strcmp(metric, x->rep.primary) == 0;
}

static int
by_name(const void *x, const void *y)
{
	return strcmp(*(const char *const *)x, *(const char *const *)y);
}

/* "x, y, z" of v (n names) in buf. */
static const char *
listed(const char *const *v, size_t n, char *buf, size_t sz)
{
	size_t len = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < n && len < sz; i++)
		len += (size_t)snprintf(buf + len, sz - len, "%s%s", i ? ", " :
		    "", v[i]);
	return buf;
}

static int
find_common(pf_diff *x, common *c, pf_err *err)
{
	const pf_dside *a = &x->a, *b = &x->b;
	char la[256], lb[256];
	size_t first = 0;

	c->sa = pf_diff_alloc(x->ar, b->ns, sizeof(size_t));
	c->sb = pf_diff_alloc(x->ar, b->ns, sizeof(size_t));
	c->metric = pf_diff_alloc(x->ar, b->nm, sizeof(char *));
	if (c->sa == NULL || c->sb == NULL || c->metric == NULL)
		return pf_err_set(err, PF_ENOMEM, NULL, 0, "out of memory");
	for (size_t s = 0; s < b->ns; s++) {
		long i = pf_dside_find(a->stack, a->ns, b->stack[s]);
		if (i >= 0) {
			c->sa[c->ns] = (size_t)i;
			c->sb[c->ns++] = s;
		}
	}
	if (c->ns == 0)
		return pf_err_set(err, PF_EDATA, NULL, 0, "%s and %s have no "
		    "stack in common (%s; %s): nothing to compare",
		    a->info.source, b->info.source, listed(a->stack, a->ns, la,
		    sizeof(la)), listed(b->stack, b->ns, lb, sizeof(lb)));
	x->rep.primary = pf_dside_find(a->metric, a->nm, b->primary) >= 0 ?
	    b->primary : NULL;
	if (x->rep.primary != NULL)
		c->metric[c->nm++] = x->rep.primary;
	first = c->nm;
	for (size_t m = 0; m < b->nm; m++)
		if (pf_dside_find(a->metric, a->nm, b->metric[m]) >= 0 &&
		    !is_primary(x, b->metric[m]))
			c->metric[c->nm++] = b->metric[m];
	qsort(c->metric + first, c->nm - first, sizeof(char *), by_name);
	if (c->nm == 0)
		return pf_err_set(err, PF_EDATA, NULL, 0, "%s and %s measured "
		    "no metric in common (%s; %s): nothing to compare",
		    a->info.source, b->info.source, listed(a->metric, a->nm, la,
		    sizeof(la)), listed(b->metric, b->nm, lb, sizeof(lb)));
	if (c->ns < a->ns || c->ns < b->ns)
		pf_diff_note(x, "only the stacks both runs have are compared: "
		    "A has %s; B has %s", listed(a->stack, a->ns, la,
		    sizeof(la)), listed(b->stack, b->ns, lb, sizeof(lb)));
	return PF_OK;
}

/* One row: stack cs of the common stacks on metric m. */
static int
metric_row(pf_diff *x, const common *c, size_t cs, const char *metric,
    const pf_compare_opts *co, pf_diff_metric *row, pf_err *err)
{
	const pf_dside *a = &x->a, *b = &x->b;
	size_t sa = c->sa[cs], sb = c->sb[cs];
	size_t ma = (size_t)pf_dside_find(a->metric, a->nm, metric);
	size_t mb = (size_t)pf_dside_find(b->metric, b->nm, metric);
	pf_qlist qa = qlist(a, sa, ma), qb = qlist(b, sb, mb);
	pf_pairing p;
	pf_cmp k;
	int rc;

	if ((rc = pf_pair_compare(&k, &p, &qa, &qb, co, key(b->stack[sb]),
	    key(metric), err)) != PF_OK)
		return rc;
	*row = (pf_diff_metric){.stack = b->stack[sb], .metric = metric,
	    .family = strncmp(metric, "num_", 4) == 0 ? PF_DIFF_NO_FAMILY :
	    is_primary(x, metric) ? PF_DIFF_CONFIRMATORY :
	    PF_DIFF_EXPLORATORY, .mean_a = a->mean[sa * a->nm + ma],
	    .mean_b = b->mean[sb * b->nm + mb], .n = k.n, .only_a = p.only_a,
	    .only_b = p.only_b, .delta = k.delta, .lo = k.lo, .hi = k.hi,
	    .p = k.p_perm, .p_adj = NAN, .wins = k.wins, .losses = k.losses,
	    .ties = k.ties};
	for (size_t i = 0; i < p.n && !row->changed; i++)
		row->changed = qa.value[p.ia[i]] != qb.value[p.ib[i]];
	pf_pairing_free(&p);
	return PF_OK;
}

/* Holm over the confirmatory rows, BH over the exploratory ones. */
static int
families(pf_diff_metric *r, size_t n)
{
	double *p = malloc((n + 1) * sizeof(double));
	double *adj = malloc((n + 1) * sizeof(double));
	size_t *at = malloc((n + 1) * sizeof(size_t));

	if (p == NULL || adj == NULL || at == NULL) {
		free(p);
		free(adj);
		free(at);
		return PF_ENOMEM;
	}
	for (int fam = PF_DIFF_CONFIRMATORY; fam <= PF_DIFF_EXPLORATORY;
	    fam++) {
		size_t m = 0;
		for (size_t i = 0; i < n; i++)
			if (r[i].family == fam) {
				p[m] = r[i].p;
				at[m++] = i;
			}
		if (fam == PF_DIFF_CONFIRMATORY)
			pf_stats_holm(p, m, adj, NULL);
		else
			pf_stats_bh(p, m, adj, NULL);
		for (size_t i = 0; i < m; i++)
			r[at[i]].p_adj = adj[i];
	}
	free(p);
	free(adj);
	free(at);
	return PF_OK;
}

static int
metrics(pf_diff *x, const common *c, pf_err *err)
{
	pf_compare_opts co = {.seed = x->o.seed, .n_boot = x->o.n_boot,
	    .n_perm = x->o.n_perm, .alpha = 0.05, .tie_tol = 1e-9};
	pf_diff_metric *rows = pf_diff_alloc(x->ar, c->ns * c->nm,
	    sizeof(*rows));
	size_t n = 0, with_queries = 0;
	pf_progress pg;
	int rc = PF_OK;

	if (rows == NULL)
		return pf_err_set(err, PF_ENOMEM, NULL, 0, "out of memory");
	pf_progress_start(&pg, x->o.progress, "bootstrap and permutations",
	    "comparisons", c->ns * c->nm);
	for (size_t s = 0; s < c->ns && rc == PF_OK; s++)
		for (size_t m = 0; m < c->nm && rc == PF_OK; m++) {
			if ((rc = metric_row(x, c, s, c->metric[m], &co,
			    &rows[n], err)) == PF_OK)
				with_queries += rows[n++].n > 0;
			pf_progress_step(&pg, 1);
		}
	pf_progress_end(&pg);
	if (rc != PF_OK)
		return rc;
	if (with_queries == 0)
		return pf_err_set(err, PF_EDATA, NULL, 0, "%s and %s have no "
		    "judged query in common: nothing to compare",
		    x->a.info.source, x->b.info.source);
	if (families(rows, n) != PF_OK)
		return pf_err_set(err, PF_ENOMEM, NULL, 0, "out of memory");
	x->rep.metrics = rows;
	x->rep.nmetrics = n;
	return PF_OK;
}

typedef struct moved {
	size_t	 i;		/* the pair */
	double	 size;		/* |rr_b - rr_a| */
} moved;

static int
by_size(const void *x, const void *y)
{
	const moved *a = x, *b = y;

	if (a->size != b->size)
		return a->size < b->size ? 1 : -1;
	return (a->i > b->i) - (a->i < b->i);	/* qid order */
}

/* Stack cs's queries whose first relevant document moved most. */
static int
movers_of(pf_diff *x, const common *c, size_t cs, pf_diff_mover *out,
    size_t *n, pf_err *err)
{
	const pf_dside *a = &x->a, *b = &x->b;
	size_t sa = c->sa[cs], sb = c->sb[cs];
	pf_qlist qa = qlist(a, sa, (size_t)pf_dside_find(a->metric, a->nm,
	    RR)), qb = qlist(b, sb, (size_t)pf_dside_find(b->metric, b->nm,
	    RR));
	pf_pairing p;
	moved *mv;
	size_t nm = 0;

	if (pf_pair_qids(&p, &qa, &qb, err) != PF_OK)
		return PF_ENOMEM;
	if ((mv = malloc((p.n + 1) * sizeof(*mv))) == NULL) {
		pf_pairing_free(&p);
		return pf_err_set(err, PF_ENOMEM, NULL, 0, "out of memory");
	}
	for (size_t i = 0; i < p.n; i++) {
		double d = fabs(qb.value[p.ib[i]] - qa.value[p.ia[i]]);
		if (d > 0)
			mv[nm++] = (moved){i, d};
	}
	qsort(mv, nm, sizeof(*mv), by_size);
	for (size_t j = 0; j < nm && j < x->o.top; j++) {
		size_t qi = p.ia[mv[j].i], qj = p.ib[mv[j].i];
		out[(*n)++] = (pf_diff_mover){b->stack[sb], b->qid[qj],
		    qa.value[qi], qb.value[qj], a->top ? a->top + (sa * a->nq +
		    qi) * PF_DIFF_TOPK : NULL, b->top ? b->top + (sb * b->nq +
		    qj) * PF_DIFF_TOPK : NULL};
	}
	free(mv);
	pf_pairing_free(&p);
	return PF_OK;
}

static int
movers(pf_diff *x, const common *c, pf_err *err)
{
	pf_diff_mover *out;
	size_t n = 0;
	int rc;

	if (pf_dside_find(x->a.metric, x->a.nm, RR) < 0 ||
	    pf_dside_find(x->b.metric, x->b.nm, RR) < 0) {
		x->rep.movers_note = "the rank of the first relevant document "
		    "comes from recip_rank, which one of the runs did not "
		    "measure";
		return PF_OK;
	}
	if ((out = pf_diff_alloc(x->ar, c->ns * x->o.top,
	    sizeof(*out))) == NULL)
		return pf_err_set(err, PF_ENOMEM, NULL, 0, "out of memory");
	for (size_t s = 0; s < c->ns; s++)
		if ((rc = movers_of(x, c, s, out, &n, err)) != PF_OK)
			return rc;
	x->rep.movers = out;
	x->rep.nmovers = n;
	if (!x->a.top || !x->b.top)
		x->rep.movers_note = "top tens: not kept by one of the runs";
	return PF_OK;
}

/* Loads spec into d (other: the side already read, for last-pass). */
static int
load(pf_dside *d, const char *spec, const pf_dside *other, pf_err *err)
{
	return pf_dside_is_db(spec) ? pf_dside_from_db(d, spec, other, err) :
	    pf_dside_from_file(d, spec, err);
}

static int
last_pass(const char *spec)
{
	size_t n = strlen(spec);

	return pf_dside_is_db(spec) && n >= 10 &&
	    strcmp(spec + n - 10, "#last-pass") == 0;
}

/* Both sides: a DB#last-pass after the other side, which it follows. */
static int
sides(pf_diff *x, const char *a, const char *b, pf_err *err)
{
	int rc;

	if (last_pass(a) && !last_pass(b)) {
		if ((rc = load(&x->b, b, NULL, err)) != PF_OK)
			return rc;
		return load(&x->a, a, &x->b, err);
	}
	if ((rc = load(&x->a, a, NULL, err)) != PF_OK)
		return rc;
	return load(&x->b, b, &x->a, err);
}

static void
method(pf_diff *x)
{
	char m[1024];

	snprintf(m, sizeof(m), "Deltas are B minus A, per stack and metric, "
	    "paired on the judged queries both runs have (a query only one "
	    "run has is counted, not compared). 95%% CI: query bootstrap, %zu "
	    "resamples, percentile; p: sign-flip randomization test, %zu "
	    "permutations with the +1 correction (exact enumeration up to 20 "
	    "queries); seed %llu, streams keyed by stack id and metric name. "
	    "Holm over the stacks on the primary metric (%s), "
	    "Benjamini-Hochberg q over the other stack x metric pairs. Rank of "
	    "the first relevant document: 1 / recip_rank. Feature drift: PSI "
	    "on the history's 33-point quantile sketches (bins: A's deciles), "
	    "flagged from %.2f, or a missing rate that moved 5 points.",
	    x->o.n_boot, x->o.n_perm, (unsigned long long)x->o.seed,
	    x->rep.primary ? x->rep.primary : "none in common", 0.1);
	x->rep.method = pf_diff_strdup(x->ar, m);
}

static int
build(pf_diff *x, pf_err *err)
{
	common c = {0};
	char stamp[32];
	time_t now = time(NULL);
	int rc;

	if ((rc = find_common(x, &c, err)) != PF_OK ||
	    (rc = metrics(x, &c, err)) != PF_OK ||
	    (rc = movers(x, &c, err)) != PF_OK ||
	    (rc = pf_diff_part_inputs(x, err)) != PF_OK ||
	    (rc = pf_diff_part_labels(x, err)) != PF_OK ||
	    (rc = pf_diff_part_flips(x, err)) != PF_OK ||
	    (rc = pf_diff_part_drift(x, err)) != PF_OK)
		return rc;
	if (x->a.info.scenario && x->b.info.scenario &&
	    strcmp(x->a.info.scenario, x->b.info.scenario) != 0)
		pf_diff_note(x, "the runs are of two scenarios: '%s' and '%s'",
		    x->a.info.scenario, x->b.info.scenario);
	strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%SZ", gmtime(&now));
	x->rep.generated = pf_diff_strdup(x->ar, stamp);
	x->rep.notes = x->notes;
	method(x);
	return PF_OK;
}

int
pf_diff_run(pf_diff **out, const char *a, const char *b,
    const pf_diff_opts *o, pf_err *err)
{
	pf_diff *x = calloc(1, sizeof(*x));
	int rc;

	*out = NULL;
	if (x == NULL || (x->ar = pf_arena_new(1 << 16)) == NULL) {
		free(x);
		return pf_err_set(err, PF_ENOMEM, NULL, 0, "out of memory");
	}
	x->o = *o;
	x->o.n_boot = o->n_boot ? o->n_boot : DEFAULT_RESAMPLES;
	x->o.n_perm = o->n_perm ? o->n_perm : DEFAULT_RESAMPLES;
	x->o.top = o->top ? o->top : DEFAULT_TOP;
	if ((rc = sides(x, a, b, err)) != PF_OK)
		goto fail;
	if (!o->has_seed)
		x->o.seed = x->b.info.seed;
	x->rep.a = x->a.info;
	x->rep.b = x->b.info;
	x->rep.command = o->command;
	x->rep.seed = x->o.seed;
	x->rep.n_boot = x->o.n_boot;
	x->rep.n_perm = x->o.n_perm;
	if ((rc = build(x, err)) != PF_OK)
		goto fail;
	*out = x;
	return PF_OK;
fail:
	pf_diff_free(x);
	return rc;
}

const pf_diff_report *
pf_diff_report_of(const pf_diff *d)
{
	return &d->rep;
}

void
pf_diff_free(pf_diff *d)
{
	if (d == NULL)
		return;
	pf_dside_free(&d->a);
	pf_dside_free(&d->b);
	pf_arena_free(d->ar);
	free(d);
}
