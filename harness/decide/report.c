/*
 * harness/decide/report.c — the report model (reports/model.h) of an
 * outcome, built once for results.json and report.html: one function per
 * part, every allocation kept in the parts and freed together.
 */
#include <math.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness/decide/outputs.h"
#include "harness/load/label_quality.h"
#include "harness/util/grow.h"

struct pf_report_parts {
	char		**names;	/* nv metric names */
	unsigned char	 *is_count;
	pf_rep_stack	 *stacks;
	pf_rep_stage	**stages;	/* per stack */
	char		**lines;	/* per stack: its stages in one line */
	char		**runs;		/* per stack: run file, or NULL */
	char		**models;	/* per stack: its models, or NULL */
	size_t		 *first_rel;	/* nstacks x nq */
	double		 *pvals;	/* nstacks x nq primary values */
	const char	**top_id, **top_title;
	int32_t		 *top_grade;
	pf_rep_delta	 *deltas;
	pf_rep_gate	 *gates;
	pf_rep_verdict	 *verdicts;
	pf_rep_segment	 *segs;
	pf_rep_il	 *il, *ilsegs;
	pf_rep_lift	  lift;
	const char	**lqnames;
	size_t		  nstacks, nv;
	char		  golden[512];
};

void
pf_report_parts_free(pf_report_parts *b)
{
	if (b == NULL)
		return;
	for (size_t v = 0; b->names != NULL && v < b->nv; v++)
		free(b->names[v]);
	for (size_t k = 0; k < b->nstacks; k++) {
		for (size_t i = 0; b->stages != NULL && b->stages[k] != NULL &&
		    i < b->stacks[k].nstages; i++) {
			free((void *)b->stages[k][i].keys);
			free((void *)b->stages[k][i].values);
		}
		if (b->stages != NULL)
			free(b->stages[k]);
		if (b->lines != NULL)
			free(b->lines[k]);
		if (b->runs != NULL)
			free(b->runs[k]);
		if (b->models != NULL)
			free(b->models[k]);
	}
	free(b->models);
	free(b->first_rel);
	free(b->names);
	free(b->is_count);
	free(b->stacks);
	free(b->stages);
	free(b->lines);
	free(b->runs);
	free(b->pvals);
	free(b->top_id);
	free(b->top_title);
	free(b->top_grade);
	free(b->deltas);
	free(b->gates);
	free(b->verdicts);
	free(b->segs);
	free(b->il);
	free(b->ilsegs);
	free(b->lqnames);
	free(b);
}

/* "candidates > gbdt(model=m.json)": a stack's stages on one line. */
static char *
stages_line(const pf_scn_stack *st)
{
	size_t need = 1, len = 0;
	char *b;

	for (size_t i = 0; st != NULL && i < st->nstages; i++) {
		const pf_scn_stage *g = &st->stages[i];
		need += strlen(g->name) + 8;
		for (size_t j = 0; j < g->nparams; j++)
			need += strlen(g->params[j].key) +
			    strlen(g->params[j].value) + 4;
	}
	if ((b = malloc(need)) == NULL)
		return NULL;
	b[0] = '\0';
	for (size_t i = 0; st != NULL && i < st->nstages; i++) {
		const pf_scn_stage *g = &st->stages[i];
		len += (size_t)snprintf(b + len, need - len, "%s%s", i ? " > " :
		    "", g->name);
		for (size_t j = 0; j < g->nparams; j++)
			len += (size_t)snprintf(b + len, need - len, "%s%s=%s",
			    j ? ", " : "(", g->params[j].key,
			    g->params[j].value);
		if (g->nparams)
			len += (size_t)snprintf(b + len, need - len, ")");
	}
	return b;
}

/* A stage's parameters as the results.json "stages" array shows them. */
static int
stage_params(pf_rep_stage *g, const pf_scn_stage *sg)
{
	const char **keys = calloc(sg->nparams + 1, sizeof(char *));
	const char **vals = calloc(sg->nparams + 1, sizeof(char *));

	if (keys == NULL || vals == NULL) {
		free(keys);
		free(vals);
		return PF_ENOMEM;
	}
	for (size_t j = 0; j < sg->nparams; j++) {
		keys[j] = sg->params[j].key;
		vals[j] = sg->params[j].value;
	}
	*g = (pf_rep_stage){sg->name, keys, vals, sg->nparams};
	return PF_OK;
}

static int
metrics_part(pf_report_parts *b, const pf_measured *m)
{
	if ((b->names = calloc(m->nv + 1, sizeof(*b->names))) == NULL ||
	    (b->is_count = calloc(m->nv + 1, 1)) == NULL)
		return PF_ENOMEM;
	for (size_t v = 0; v < m->nv; v++) {
		char n[160];
		pf_te_value_name(m->spec, v, n, sizeof(n));
		if ((b->names[v] = strdup(n)) == NULL)
			return PF_ENOMEM;
		b->is_count[v] = (unsigned char)pf_te_value_is_count(m->spec, v);
	}
	return PF_OK;
}

/* One stack: its stages, means, values and run file. */
static int
stack_part(pf_report_parts *b, const pf_outputs_cfg *cfg,
    const pf_outcome *o, size_t k)
{
	const pf_stack_result *sr = &o->m->stacks[k];
	const pf_scn_stack *st = cfg->scn ? &cfg->scn->stacks[k] : NULL;
	size_t ns = st ? st->nstages : 0;

	if ((b->stages[k] = calloc(ns + 1, sizeof(**b->stages))) == NULL ||
	    (b->lines[k] = stages_line(st)) == NULL)
		return PF_ENOMEM;
	for (size_t i = 0; i < ns; i++)
		if (stage_params(&b->stages[k][i], &st->stages[i]) != PF_OK)
			return PF_ENOMEM;
	if (cfg->runs) {
		size_t n = strlen(cfg->dir) + strlen(sr->id) + 6;
		if ((b->runs[k] = malloc(n)) == NULL)
			return PF_ENOMEM;
		snprintf(b->runs[k], n, "%s/%s.run", cfg->dir, sr->id);
	}
	b->stacks[k] = (pf_rep_stack){sr->id, sr->name, b->lines[k],
	    b->stages[k], ns, NULL, o->cmp ? o->cmp->judged[k] : NAN,
	    sr->mean, sr->values, sr->n, b->runs[k]};
	return PF_OK;
}

static int
stacks_part(pf_report_parts *b, const pf_outputs_cfg *cfg,
    const pf_outcome *o)
{
	const pf_measured *m = o->m;

	b->nstacks = m->nstacks;
	if ((b->stacks = calloc(m->nstacks, sizeof(*b->stacks))) == NULL ||
	    (b->stages = calloc(m->nstacks, sizeof(*b->stages))) == NULL ||
	    (b->lines = calloc(m->nstacks, sizeof(*b->lines))) == NULL ||
	    (b->runs = calloc(m->nstacks, sizeof(*b->runs))) == NULL ||
	    (b->pvals = malloc((m->nstacks * m->nq + 1) * sizeof(double))) ==
	    NULL)
		return PF_ENOMEM;
	for (size_t k = 0; k < m->nstacks; k++) {
		if (stack_part(b, cfg, o, k) != PF_OK)
			return PF_ENOMEM;
		for (size_t q = 0; q < m->nq; q++)
			b->pvals[k * m->nq + q] = m->judged[q] &&
			    m->primary >= 0 ? m->stacks[k].values[q * m->nv +
			    (size_t)m->primary] : NAN;
	}
	return PF_OK;
}

/*
 * Run files (compare) carry no rankings the report can walk, but their
 * recip_rank is 1 / the rank of the first relevant document (relevance
 * level 1: grade above 0, as the walk below), 0 when none is retrieved.
 * Returns 1 when first_rel was filled so, 0 when recip_rank is not
 * measured.
 */
static int
first_rel_from_rr(pf_report_parts *b, const pf_measured *m)
{
	long rr = pf_te_value_index(m->spec, "recip_rank");

	if (m->nstacks == 0 || m->stacks[0].doc != NULL || rr < 0)
		return 0;
	for (size_t k = 0; k < m->nstacks; k++)
		for (size_t q = 0; q < m->nq; q++) {
			double v = m->stacks[k].values[q * m->nv + (size_t)rr];
			b->first_rel[k * m->nq + q] = m->judged[q] && v > 0 ?
			    (size_t)lround(1.0 / v) : 0;
		}
	return 1;
}

/* Every stack's top PF_REP_TOPK per query with grades (the movers). */
static int
tops_part(pf_report_parts *b, const pf_measured *m)
{
	size_t n = m->nstacks * m->nq * PF_REP_TOPK;
	const pf_golden *g = m->golden;

	if ((b->top_id = calloc(n + 1, sizeof(*b->top_id))) == NULL ||
	    (b->top_title = calloc(n + 1, sizeof(*b->top_title))) == NULL ||
	    (b->top_grade = calloc(n + 1, sizeof(*b->top_grade))) == NULL ||
	    (b->first_rel = calloc(m->nstacks * m->nq + 1,
	    sizeof(*b->first_rel))) == NULL)
		return PF_ENOMEM;
	first_rel_from_rr(b, m);
	for (size_t k = 0; k < m->nstacks; k++)
		for (size_t q = 0; q < m->nq; q++) {
			const pf_stack_result *s = &m->stacks[k];
			for (size_t i = 0; s->doc != NULL && i < s->n[q]; i++)
				if (pf_golden_grade(g, q, pf_golden_docid(g,
				    s->doc[q][i])) > 0) {
					b->first_rel[k * m->nq + q] = i + 1;
					break;
				}
		}
	for (size_t k = 0; k < m->nstacks; k++)
		for (size_t q = 0; q < m->nq; q++) {
			const pf_stack_result *s = &m->stacks[k];
			size_t at = (k * m->nq + q) * PF_REP_TOPK;
			for (size_t i = 0; s->doc != NULL && i < s->n[q] &&
			    i < PF_REP_TOPK; i++) {
				const char *id = pf_golden_docid(g,
				    s->doc[q][i]);
				int32_t gr = pf_golden_grade(g, q, id);
				b->top_id[at + i] = id;
				if (s->doc[q][i] < g->corpus.n &&
				    g->corpus.title != NULL)
					b->top_title[at + i] =
					    g->corpus.title[s->doc[q][i]];
				b->top_grade[at + i] = gr == PF_GOLDEN_UNJUDGED ?
				    PF_REP_UNJUDGED : gr;
			}
		}
	return PF_OK;
}

static int
comparison_part(pf_report_parts *b, const pf_outcome *o)
{
	const pf_comparison *c = o->cmp;
	const pf_measured *m = o->m;
	size_t nt = m->nstacks - 1, nv = m->nv;

	if ((b->deltas = calloc(nt * nv + 1, sizeof(*b->deltas))) == NULL ||
	    (b->segs = calloc(c->nsegs + 1, sizeof(*b->segs))) == NULL)
		return PF_ENOMEM;
	for (size_t i = 0; i < nt * nv; i++) {
		const pf_cmp *x = &c->cmp[i];
		b->deltas[i] = (pf_rep_delta){x->mean_a, x->mean_b, x->delta,
		    x->rel, x->lo, x->hi, x->p_perm, x->p_t, c->p_adj[i],
		    (long)(i % nv) != m->primary, x->d_z, x->wins, x->losses,
		    x->ties, x->n_needed};
	}
	for (size_t i = 0; i < c->nsegs; i++) {
		const pf_segment *g = &c->segs[i];
		b->segs[i] = (pf_rep_segment){m->golden->dim_name[g->dim],
		    g->value, m->stacks[g->treatment].id, g->cmp.n,
		    g->cmp.mean_a, g->cmp.delta, g->cmp.lo, g->cmp.hi, g->p_bh,
		    g->too_few, g->flipped};
	}
	return PF_OK;
}

/* The decision's gates, then the expectations. */
static int
gates_part(pf_report_parts *b, const pf_outcome *o)
{
	const pf_decision *d = o->decision;
	size_t ne = o->exps ? o->exps->n : 0;

	if ((b->gates = calloc(d->gates.n + ne + 1, sizeof(*b->gates))) ==
	    NULL)
		return PF_ENOMEM;
	for (size_t i = 0; i < d->gates.n; i++)
		b->gates[i] = (pf_rep_gate){d->gates.v[i].id,
		    d->gates.v[i].name, d->gates.v[i].status,
		    d->gates.v[i].message};
	for (size_t i = 0; i < ne; i++)
		b->gates[d->gates.n + i] = (pf_rep_gate){o->exps->v[i].name,
		    o->exps->v[i].name, o->exps->v[i].status,
		    o->exps->v[i].message};
	if ((b->verdicts = calloc(d->nper + 1, sizeof(*b->verdicts))) == NULL)
		return PF_ENOMEM;
	for (size_t i = 0; i < d->nper; i++)
		b->verdicts[i] = (pf_rep_verdict){o->m->stacks[d->per[i].stack].id,
		    d->per[i].verdict, d->per[i].why};
	return PF_OK;
}

static pf_rep_il
il_of(const char *treatment, const char *dim, const char *value,
    const pf_il_summary *x)
{
	return (pf_rep_il){treatment, dim, value, x->nq, x->nq_clicked,
	    x->q_wins, x->q_losses, x->q_ties, x->mean_o, x->mean_o_lo,
	    x->mean_o_hi, x->delta, x->delta_lo, x->delta_hi, x->p_pref,
	    x->p_pref_lo, x->p_pref_hi, x->share_b, x->share_a, x->share_tie,
	    x->no_click, x->exact};
}

static int
interleaving_part(pf_report_parts *b, const pf_outcome *o)
{
	const pf_interleaving *il = o->il;
	const pf_measured *m = o->m;

	if ((b->il = calloc(il->nt + 1, sizeof(*b->il))) == NULL ||
	    (b->ilsegs = calloc(il->nsegs + 1, sizeof(*b->ilsegs))) == NULL)
		return PF_ENOMEM;
	for (size_t k = 1; k <= il->nt; k++)
		b->il[k - 1] = il_of(m->stacks[k].id, NULL, NULL, &il->il[k - 1]);
	for (size_t i = 0; i < il->nsegs; i++)
		b->ilsegs[i] = il_of(m->stacks[il->segs[i].treatment].id,
		    m->golden->dim_name[il->segs[i].dim], il->segs[i].value,
		    &il->segs[i].sum);
	return PF_OK;
}

/* The optional analyses, the same for results.json and the report. */
static int
analyses_part(pf_report_parts *b, const pf_outcome *o, pf_rep_analyses *an)
{
	const pf_golden *g = o->m->golden;
	size_t nannot = 0, njudg = 0;

	if (o->lift != NULL)
		pf_liftrun_report(o->lift, o->m, &b->lift);
	if (g->qrels != NULL) {
		pf_goldq_counts(g->qrels, &nannot, &njudg);
		if ((b->lqnames = pf_goldq_names(g->qrels)) == NULL)
			return PF_ENOMEM;
	}
	*an = (pf_rep_analyses){.lift = o->lift != NULL ? &b->lift : NULL,
	    .attrib = o->attrib, .labelq = g->labelq,
	    .labelq_names = b->lqnames, .nannotators = nannot,
	    .njudgments = njudg, .lboot = o->lboot ? o->lboot->res : NULL,
	    .lboot_B = o->lboot ? o->lboot->n_boot : 0,
	    .imp = o->imp ? (const pf_rep_importance *const *)o->imp->m : NULL,
	    .nimp = o->imp ? o->imp->n : 0, .validation = o->validation,
	    .features = o->features};
	return PF_OK;
}

static int
parts(pf_report_parts *b, const pf_outputs_cfg *cfg, const pf_outcome *o,
    pf_rep_analyses *an)
{
	if (metrics_part(b, o->m) != PF_OK || stacks_part(b, cfg, o) != PF_OK ||
	    tops_part(b, o->m) != PF_OK || gates_part(b, o) != PF_OK ||
	    analyses_part(b, o, an) != PF_OK)
		return PF_ENOMEM;
	if (o->cmp != NULL && comparison_part(b, o) != PF_OK)
		return PF_ENOMEM;
	if (o->il != NULL && interleaving_part(b, o) != PF_OK)
		return PF_ENOMEM;
	return PF_OK;
}

int
pf_report_build(pf_report *out, pf_report_parts **bp,
    const pf_outputs_cfg *cfg, const pf_outcome *o,
    const pf_rep_input *inputs, size_t ninputs, const char *stamp,
    pf_err *err)
{
	const pf_measured *m = o->m;
	const pf_decision *d = o->decision;
	pf_report_parts *b = calloc(1, sizeof(*b));
	pf_rep_analyses an;

	*bp = b;
	if (b == NULL || (b->nv = m->nv, parts(b, cfg, o, &an)) != PF_OK)
		return pf_err_set(err, PF_ENOMEM, NULL, 0, "out of memory");
	if ((b->models = calloc(m->nstacks + 1, sizeof(*b->models))) == NULL)
		return pf_err_set(err, PF_ENOMEM, NULL, 0, "out of memory");
	for (size_t k = 0; k < m->nstacks; k++)
		b->stacks[k].models = b->models[k] = pf_report_models(cfg->scn,
		    k, inputs, ninputs);
	snprintf(b->golden, sizeof(b->golden), "%s", cfg->golden);
	*out = (pf_report){.title = cfg->name, .scenario = cfg->source,
	    .scenario_sha256 = ninputs > 0 ? inputs[0].sha256 : "",
	    .version = PF_VERSION, .generated = stamp,
	    .command = cfg->command, .seed = cfg->seed,
	    .threads = omp_get_max_threads(), .seconds = cfg->seconds,
	    .inputs = inputs, .ninputs = ninputs, .golden = b->golden,
	    .metrics = (const char *const *)b->names,
	    .is_count = b->is_count, .nmetrics = m->nv,
	    .primary = m->primary >= 0 ? (size_t)m->primary : 0,
	    .primary_name = m->primary_name,
	    .qids = (const char *const *)m->golden->qid,
	    .qtext = (const char *const *)m->golden->text,
	    .judged = m->judged,
	    .dim_name = (const char *const *)m->golden->dim_name,
	    .dim = (const char *const *)m->golden->dim,
	    .ndims = m->golden->ndims, .nq = m->nq, .njudged = m->njudged,
	    .stacks = b->stacks, .nstacks = m->nstacks,
	    .primary_values = b->pvals, .nmovers = 10,
	    .top_id = m->stacks[0].doc ? (const char *const *)b->top_id : NULL,
	    .top_grade = b->top_grade, .top_title = b->top_title,
	    .first_rel = m->stacks[0].doc || pf_te_value_index(m->spec,
	    "recip_rank") >= 0 ? b->first_rel : NULL,
	    .deltas = b->deltas,
	    .beats = o->cmp ? o->cmp->beats : NULL, .segs = b->segs,
	    .nsegs = o->cmp ? o->cmp->nsegs : 0,
	    .method = o->cmp ? o->cmp->method : "", .il = b->il,
	    .ilsegs = b->ilsegs, .nilsegs = o->il ? o->il->nsegs : 0,
	    .il_setup = o->il ? o->il->setup : "",
	    .il_biased = o->il != NULL && pf_il_method_biased(o->il->opts.method),
	    .il_rescaled = o->il ? o->il->rescaled : 0,
	    .il_short = o->il ? o->il->nshort : 0,
	    .il_k = o->il ? o->il->opts.k : 0,
	    .verdict = d->verdict, .verdict_why = d->why, .rule = d->rule,
	    .verdicts = b->verdicts, .nverdicts = d->nper,
	    .gates = b->gates, .ngates = d->gates.n + (o->exps ? o->exps->n :
	    0), .an = an};
	return PF_OK;
}
