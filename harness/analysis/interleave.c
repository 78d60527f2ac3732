/*
 * harness/analysis/interleave.c — see interleave.h.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness/analysis/compare.h"
#include "harness/analysis/interleave.h"
#include "harness/util/grow.h"
#include "harness/util/progress.h"

void
pf_interleaving_free(pf_interleaving *il)
{
	if (il == NULL)
		return;
	free(il->il);
	free(il->segs);
	free(il);
}

/* The method, its options and the click model <interleave> asks for. */
static int
click_model(const pf_measured *m, const pf_scenario *s, pf_interleaving *a,
    pf_err *err)
{
	int32_t mg = pf_qrels_max_grade(m->golden->qrels);
	int rc = PF_OK, id;

	pf_il_opts_init(&a->opts);
	if ((id = pf_il_method_from_name(s->il_method ? s->il_method :
	    "team-draft")) >= 0)
		a->opts.method = (pf_il_method)id;
	a->opts.k = s->il_k;
	a->opts.n_impr = s->il_impr;
	a->opts.seed = s->seed;
	a->opts.mode = s->il_mode == NULL || !strcmp(s->il_mode, "auto") ?
	    PF_IL_AUTO : !strcmp(s->il_mode, "exact") ? PF_IL_EXACT : PF_IL_MC;
	if ((id = pf_cm_preset_from_name(s->il_preset ? s->il_preset :
	    "navigational")) < 0 || (rc = pf_cm_preset_for(&a->cm,
	    (pf_cm_preset_id)id, mg > 0 ? mg : 1, err)) != PF_OK)
		return rc ? rc : pf_err_set(err, PF_EINVAL, s->path, 0,
		    "unknown click-model preset");
	if (s->il_model != NULL && (id = pf_cm_kind_from_name(s->il_model)) >= 0)
		a->cm.kind = (pf_cm_kind)id;
	if (s->il_click != NULL) {	/* custom probabilities per grade */
		double click[PF_CM_MAXGRADES], stop[PF_CM_MAXGRADES];
		int nc = 0, ns = 0;
		for (const char *p = s->il_click; *p && nc < PF_CM_MAXGRADES;
		    p += *p == ',') {
			char *e;
			click[nc++] = strtod(p, &e);
			p = e;
		}
		for (const char *p = s->il_stop ? s->il_stop : ""; *p &&
		    ns < PF_CM_MAXGRADES; p += *p == ',') {
			char *e;
			stop[ns++] = strtod(p, &e);
			p = e;
		}
		if (s->il_stop != NULL && ns != nc)
			return pf_err_set(err, PF_EINVAL, s->path, 0, "interleave: "
			    "click= has %d probabilities but stop= has %d", nc,
			    ns);
		if (nc < mg + 1)
			return pf_err_set(err, PF_EINVAL, s->path, 0, "interleave: "
			    "click= needs one probability per grade 0..%d", mg);
		if ((rc = pf_cm_custom(&a->cm, s->il_model ? (pf_cm_kind)
		    pf_cm_kind_from_name(s->il_model) : PF_CM_DBN, nc, click,
		    s->il_stop ? stop : NULL, err)) != PF_OK ||
		    (rc = pf_cm_check(&a->cm, err)) != PF_OK)
			return rc;
	}
	a->cm.depth = s->il_depth;
	a->rescaled = pf_cm_is_mapped(&a->cm);
	return PF_OK;
}

/* The lists of one simulation: nr rankings per judged query. */
typedef struct il_work {
	size_t		  nr, np, nj;	/* rankings, pairs, judged queries */
	pf_il_query	 *iq;
	pf_il_outcome	 *out;		/* nq x np */
	int32_t		**grades;	/* nr x nq, the lists' grades */
	size_t		 *lens;
	const uint32_t	**docs;
	const int32_t	**gp;
	size_t		 *qof;		/* the judged queries */
	size_t		 *sub;		/* scratch for a segment */
} il_work;

static void
work_free(il_work *w, size_t nq)
{
	for (size_t i = 0; w->grades != NULL && i < w->nr * nq; i++)
		free(w->grades[i]);
	free(w->grades);
	free(w->iq);
	free(w->out);
	free(w->lens);
	free(w->docs);
	free(w->gp);
	free(w->qof);
	free(w->sub);
}

static int
work_new(il_work *w, const pf_measured *m, size_t nr)
{
	size_t nq = m->nq;

	*w = (il_work){.nr = nr, .np = pf_il_npairs(nr)};
	if ((w->iq = calloc(nq + 1, sizeof(*w->iq))) == NULL ||
	    (w->out = calloc(nq * w->np + 1, sizeof(*w->out))) == NULL ||
	    (w->grades = calloc(nr * nq + 1, sizeof(*w->grades))) == NULL ||
	    (w->lens = calloc(nr * nq + 1, sizeof(*w->lens))) == NULL ||
	    (w->docs = calloc(nr * nq + 1, sizeof(*w->docs))) == NULL ||
	    (w->gp = calloc(nr * nq + 1, sizeof(*w->gp))) == NULL ||
	    (w->qof = calloc(nq + 1, sizeof(*w->qof))) == NULL ||
	    (w->sub = calloc(nq + 1, sizeof(*w->sub))) == NULL)
		return PF_ENOMEM;
	for (size_t q = 0; q < nq; q++)
		if (m->judged[q])
			w->qof[w->nj++] = q;
	return PF_OK;
}

/* The rankings of treatment k and the control (or, multileaving, every
   stack) with their grades, for each judged query. */
static int
lists(il_work *w, const pf_measured *m, size_t k, int ml)
{
	const pf_golden *g = m->golden;

	for (size_t jq = 0; jq < w->nj; jq++) {
		size_t q = w->qof[jq];
		for (size_t side = 0; side < w->nr; side++) {
			const pf_stack_result *st = &m->stacks[ml ? side : side ?
			    k : 0];
			size_t n = st->n[q], j = w->nr * jq + side;
			free(w->grades[j]);
			if ((w->grades[j] = malloc((n + 1) * sizeof(int32_t))) ==
			    NULL)
				return PF_ENOMEM;
			for (size_t i = 0; i < n; i++) {
				int32_t gr = pf_golden_grade(g, q,
				    pf_golden_docid(g, st->doc[q][i]));
				w->grades[j][i] = gr < 0 ? 0 : gr;
			}
			w->docs[j] = st->doc[q];
			w->gp[j] = w->grades[j];
			w->lens[j] = n;
		}
		w->iq[jq] = (pf_il_query){(uint64_t)q, w->docs + w->nr * jq,
		    w->gp + w->nr * jq, w->lens + w->nr * jq};
	}
	return PF_OK;
}

/* Treatment k's outcome per dimension value, over the same per-query
   outcomes (column col of w->out). */
static int
segments(pf_interleaving *a, const il_work *w, const pf_measured *m,
    const pf_scenario *s, size_t k, size_t col, pf_il_sum_opts *so,
    size_t *scap, pf_err *err)
{
	const pf_golden *g = m->golden;
	int rc = PF_OK;

	for (size_t dm = 0; dm < g->ndims && rc == PF_OK; dm++) {
		size_t *mem, *off, nvals;
		if (pf_dim_groups(g, dm, w->qof, w->nj, &mem, &off, &nvals) !=
		    PF_OK)
			return pf_err_set(err, PF_ENOMEM, NULL, 0,
			    "out of memory");
		for (size_t gv = 0; gv < nvals && rc == PF_OK; gv++) {
			size_t i0 = mem[off[gv]], n = 0;
			for (size_t e = off[gv]; e < off[gv + 1]; e++)
				w->sub[n++] = mem[e];
			pf_il_segment *ns = pf_grow(a->segs, scap, a->nsegs + 1,
			    sizeof(*ns));
			if (ns == NULL) {
				rc = pf_err_set(err, PF_ENOMEM, NULL, 0,
				    "out of memory");
				break;
			}
			a->segs = ns;
			ns = &a->segs[a->nsegs++];
			*ns = (pf_il_segment){dm, k, g->dim[w->qof[i0] *
			    g->ndims + dm], {0}};
			so->stream = pf_compare_stream(s->seed, k, 0x696c0000 +
			    1000003 * dm + i0);
			rc = pf_il_summarize(w->out + col, w->np, w->sub, n,
			    NULL, so, &ns->sum, err);
		}
		free(mem);
		free(off);
	}
	return rc;
}

/* Simulated interleaving of each treatment with the control. */
/* The simulation's progress (pf_il_opts.tick). */
static void
tick(void *ctx, size_t n)
{
	pf_progress_step(ctx, n);
}

static int
simulate(const pf_measured *m, const pf_scenario *s, pf_interleaving *a,
    int progress, pf_err *err)
{
	il_work w = {0};
	pf_progress pg = {0};
	size_t scap = 0;
	int rc;

	if ((rc = click_model(m, s, a, err)) != PF_OK)
		return rc;
	pf_progress_start(&pg, progress, "interleaving", "queries",
	    a->opts.method == PF_IL_MULTILEAVE ? m->njudged : m->njudged *
	    (m->nstacks - 1));
	a->opts.tick = tick;
	a->opts.tick_ctx = &pg;
	/* multileave: every stack in one interleaved list; otherwise each
	   treatment with the control, two at a time */
	int ml = a->opts.method == PF_IL_MULTILEAVE;
	if ((a->il = calloc(a->nt + 1, sizeof(*a->il))) == NULL ||
	    work_new(&w, m, ml ? m->nstacks : 2) != PF_OK)
		goto nomem;
	for (size_t k = 1; k < m->nstacks; k++) {
		size_t col = ml ? pf_il_pair_index(w.nr, 0, k) : 0;
		if (!ml || k == 1) {	/* one multileave run serves all */
			if (lists(&w, m, k, ml) != PF_OK)
				goto nomem;
			if ((rc = pf_il_run(&a->opts, &a->cm, w.iq, w.nj, w.nr,
			    w.out, err)) != PF_OK)
				goto done;
		}
		pf_il_sum_opts so;
		pf_il_sum_opts_init(&so);
		so.alpha = s->alpha;
		so.n_boot = s->n_boot;
		so.seed = s->seed;
		so.stream = pf_compare_stream(s->seed, k, 0x696c);
		if ((rc = pf_il_summarize(w.out + col, w.np, NULL, w.nj, NULL,
		    &so, &a->il[k - 1], err)) != PF_OK ||
		    (rc = segments(a, &w, m, s, k, col, &so, &scap, err)) !=
		    PF_OK)
			goto done;
	}
	goto done;
nomem:
	rc = pf_err_set(err, PF_ENOMEM, NULL, 0, "out of memory");
done:
	pf_progress_end(&pg);
	a->opts.tick = NULL;
	a->opts.tick_ctx = NULL;
	work_free(&w, m->nq);
	return rc;
}

int
pf_interleave_run(pf_interleaving **out, const pf_measured *m,
    const pf_scenario *s, int progress, pf_err *err)
{
	pf_interleaving *a;
	int rc;

	*out = NULL;
	if (!s->il_on || m->nstacks < 2 || m->stacks[0].doc == NULL)
		return PF_OK;
	if ((a = calloc(1, sizeof(*a))) == NULL)
		return pf_err_set(err, PF_ENOMEM, NULL, 0, "out of memory");
	a->nt = m->nstacks - 1;
	if ((rc = simulate(m, s, a, progress, err)) != PF_OK) {
		pf_interleaving_free(a);
		return rc;
	}
	snprintf(a->setup, sizeof(a->setup), "%s interleaving of each "
	    "treatment (B) with the control (A); click model %s, preset %s on "
	    "%d grades, examined depth %zu; interleaved list k = %zu; %s; seed "
	    "%llu.", pf_il_method_name(a->opts.method),
	    pf_cm_kind_name(a->cm.kind), s->il_preset ? s->il_preset :
	    "navigational", a->cm.ngrades, a->cm.depth, a->opts.k,
	    a->il[0].exact ? "exact expected outcome per query" :
	    "Monte Carlo impressions", (unsigned long long)s->seed);
	if (!a->il[0].exact) {
		size_t l = strlen(a->setup);
		snprintf(a->setup + l, sizeof(a->setup) - l, " %zu impressions "
		    "per query.", a->opts.n_impr);
	}
	/* team-draft's bias: a list that runs out before k while another
	   goes on lets the longer one fill the tail */
	int td = a->opts.method == PF_IL_TEAM_DRAFT ||
	    a->opts.method == PF_IL_MULTILEAVE;
	for (size_t q = 0; td && q < m->nq; q++) {
		size_t lo = SIZE_MAX, hi = 0;
		for (size_t k = 0; k < m->nstacks && m->judged[q]; k++) {
			size_t n = m->stacks[k].n[q];
			lo = n < lo ? n : lo;
			hi = n > hi ? n : hi;
		}
		a->nshort += m->judged[q] && lo < a->opts.k && lo < hi;
	}
	*out = a;
	return PF_OK;
}
