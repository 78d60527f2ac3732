/*
 * harness/decide/assess.c — see assess.h.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "harness/decide/assess.h"
#include "harness/analysis/lift.h"
#include "harness/analysis/attrib.h"
#include "harness/analysis/label_boot.h"
#include "harness/analysis/importance.h"
#include "harness/util/strtab.h"

void
pf_assess_free(pf_assess *a)
{
	if (a == NULL)
		return;
	pf_attrib_free(a->attrib);
	pf_lboot_free(a->lboot);
	json_decref(a->validation);
	free(a->cmp);
	free(a->p_adj);
	free(a->judged);
	free(a->beats);
	free(a->gates);
	free(a->segs);
	free(a->exps);
	free(a->il);
	free(a->ilsegs);
	pf_liftrun_free(a->lift);
	pf_imp_all_free(a->imp);
	free(a);
}

/* A stream id for (seed, a, b): keys the interleaving bootstrap. */
static uint64_t
stream_of(uint64_t seed, uint64_t a, uint64_t b)
{
	return pf_rng_u64(pf_rng_key(seed, a, b, PF_RNG_BOOT), 0, 0);
}

/* One paired comparison by metrics/stats, as the harness reads it. */
static int
paired(const pf_scenario *s, const double *x, const double *y, size_t n,
    size_t n_boot, uint64_t id_a, uint64_t id_b, pf_cmp *c, pf_err *err)
{
	pf_stats_opts o;
	pf_stats_cmp st;
	int rc;

	pf_stats_opts_init(&o);
	o.alpha = s->alpha;
	o.n_boot = n_boot;
	o.n_perm = s->n_perm;
	o.tie_tol = s->tie_tol;
	o.seed = s->seed;
	o.id_a = id_a;
	o.id_b = id_b;
	if ((rc = pf_stats_compare_paired(x, y, n, &o, &st, err)) != PF_OK)
		return rc;
	*c = (pf_cmp){st.n, st.mean_control, st.mean_treatment, st.delta,
	    st.rel, st.ci_lo, st.ci_hi, st.p_perm, st.perm_exact, st.t, st.df,
	    st.p_t, st.t_lo, st.t_hi, st.d_z, st.wins, st.losses, st.ties,
	    st.n_power_t};
	return PF_OK;
}

/*
 * Groups positions 0..n-1 of the query list qs by their value of dimension
 * dm, in linear time: values in order of first appearance; value v's
 * positions are mem[off[v]..off[v+1]) in list order, its first is
 * mem[off[v]]. The caller frees mem and off.
 */
static int
dim_groups(const pf_golden *g, size_t dm, const size_t *qs, size_t n,
    size_t **mem_out, size_t **off_out, size_t *nvals)
{
	pf_strtab *vals = pf_strtab_new();
	long *id = malloc((n + 1) * sizeof(*id));
	size_t *mem = malloc((n + 1) * sizeof(*mem)), *off = NULL, nv;

	if (vals == NULL || id == NULL || mem == NULL)
		goto nomem;
	for (size_t i = 0; i < n; i++) {
		const char *v = g->dim[(qs ? qs[i] : i) * g->ndims + dm];
		if ((id[i] = pf_strtab_intern(vals, v, strlen(v))) < 0)
			goto nomem;
	}
	nv = pf_strtab_count(vals);
	if ((off = calloc(nv + 2, sizeof(*off))) == NULL)
		goto nomem;
	for (size_t i = 0; i < n; i++)
		off[id[i] + 2]++;
	for (size_t v = 0; v < nv; v++)
		off[v + 2] += off[v + 1];
	for (size_t i = 0; i < n; i++)	/* off[v + 1] runs to v's end */
		mem[off[id[i] + 1]++] = i;
	pf_strtab_free(vals);
	free(id);
	*mem_out = mem;
	*off_out = off;
	*nvals = nv;
	return PF_OK;
nomem:
	pf_strtab_free(vals);
	free(id);
	free(mem);
	free(off);
	return PF_ENOMEM;
}

/* Simulated interleaving of each treatment with the control. */
static int
interleave(const pf_replay *r, pf_assess *a, pf_err *err)
{
	const pf_scenario *s = r->scn;
	const pf_golden *g = r->golden;
	size_t nq = r->m.nq, nj = 0;
	pf_il_query *iq = NULL;
	pf_il_outcome *out = NULL;
	int32_t **grades = NULL;
	size_t *lens = NULL;
	const uint32_t **docs = NULL;
	const int32_t **gp = NULL;
	int rc = PF_OK, m;

	pf_il_opts_init(&a->il_opts);
	if ((m = pf_il_method_from_name(s->il_method ? s->il_method :
	    "team-draft")) >= 0)
		a->il_opts.method = (pf_il_method)m;
	a->il_opts.k = s->il_k;
	a->il_opts.n_impr = s->il_impr;
	a->il_opts.seed = s->seed;
	a->il_opts.mode = s->il_mode == NULL || !strcmp(s->il_mode, "auto") ?
	    PF_IL_AUTO : !strcmp(s->il_mode, "exact") ? PF_IL_EXACT : PF_IL_MC;
	int32_t mg = pf_qrels_max_grade(g->qrels);
	if ((m = pf_cm_preset_from_name(s->il_preset ? s->il_preset :
	    "navigational")) < 0 || (rc = pf_cm_preset_for(&a->il_cm,
	    (pf_cm_preset_id)m, mg > 0 ? mg : 1, err)) != PF_OK)
		return rc ? rc : pf_err_set(err, PF_EINVAL, s->path, 0,
		    "unknown click-model preset");
	if (s->il_model != NULL && (m = pf_cm_kind_from_name(s->il_model)) >= 0)
		a->il_cm.kind = (pf_cm_kind)m;
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
		if ((rc = pf_cm_custom(&a->il_cm, s->il_model ? (pf_cm_kind)
		    pf_cm_kind_from_name(s->il_model) : PF_CM_DBN, nc, click,
		    s->il_stop ? stop : NULL, err)) != PF_OK ||
		    (rc = pf_cm_check(&a->il_cm, err)) != PF_OK)
			return rc;
	}
	a->il_cm.depth = s->il_depth;
	a->il_rescaled = pf_cm_is_mapped(&a->il_cm);
	/* multileave: every stack in one interleaved list; otherwise each
	   treatment with the control, two at a time */
	int ml = a->il_opts.method == PF_IL_MULTILEAVE;
	size_t nr = ml ? r->m.nstacks : 2, np = pf_il_npairs(nr);
	if ((a->il = calloc(a->nt + 1, sizeof(*a->il))) == NULL ||
	    (iq = calloc(nq + 1, sizeof(*iq))) == NULL ||
	    (out = calloc(nq * np + 1, sizeof(*out))) == NULL ||
	    (grades = calloc(nr * nq + 1, sizeof(*grades))) == NULL ||
	    (lens = calloc(nr * nq + 1, sizeof(*lens))) == NULL ||
	    (docs = calloc(nr * nq + 1, sizeof(*docs))) == NULL ||
	    (gp = calloc(nr * nq + 1, sizeof(*gp))) == NULL)
		goto nomem;
	for (size_t k = 1; k < r->m.nstacks; k++) {
		size_t col = ml ? pf_il_pair_index(nr, 0, k) : 0;
		if (ml && k > 1)
			goto summarize;	/* one multileave run serves all */
		nj = 0;
		for (size_t q = 0; q < nq; q++) {
			if (!r->m.judged[q])
				continue;
			size_t t = (size_t)g->topic[q];
			for (size_t side = 0; side < nr; side++) {
				const pf_stack_result *st = &r->m.stacks[ml ? side :
				    side ? k : 0];
				size_t n = st->n[q], j = nr * nj + side;
				free(grades[j]);
				if ((grades[j] = malloc((n + 1) *
				    sizeof(int32_t))) == NULL)
					goto nomem;
				for (size_t i = 0; i < n; i++) {
					const char *id = pf_golden_docid(g,
					    st->doc[q][i]);
					size_t len = strlen(id);
					long p = pf_qrels_find(g->qrels, t, id, len,
					    pf_hash_bytes(id, len));
					int32_t gr = p < 0 ? 0 : pf_qrels_pair(
					    g->qrels, t, (size_t)p)->grade_int;
					grades[j][i] = gr < 0 ? 0 : gr;
				}
				docs[j] = st->doc[q];
				gp[j] = grades[j];
				lens[j] = n;
			}
			iq[nj] = (pf_il_query){(uint64_t)q, docs + nr * nj,
			    gp + nr * nj, lens + nr * nj};
			nj++;
		}
		if ((rc = pf_il_run(&a->il_opts, &a->il_cm, iq, nj, nr, out,
		    err)) != PF_OK)
			goto done;
summarize:;
		pf_il_sum_opts so;
		pf_il_sum_opts_init(&so);
		so.alpha = s->alpha;
		so.n_boot = s->n_boot;
		so.seed = s->seed;
		so.stream = stream_of(s->seed, k, 0x696c);
		if ((rc = pf_il_summarize(out + col, np, NULL, nj, NULL, &so,
		    &a->il[k - 1], err)) != PF_OK)
			goto done;
		/* per dimension value, over the same per-query outcomes */
		size_t *sub = malloc((nj + 1) * sizeof(*sub)), *qof = malloc(
		    (nj + 1) * sizeof(*qof)), j = 0;
		if (sub == NULL || qof == NULL) {
			free(sub);
			free(qof);
			goto nomem;
		}
		for (size_t q = 0; q < nq; q++)
			if (r->m.judged[q])
				qof[j++] = q;
		for (size_t dm = 0; dm < g->ndims && rc == PF_OK; dm++) {
			size_t *mem, *off, nvals;
			if (dim_groups(g, dm, qof, nj, &mem, &off, &nvals) !=
			    PF_OK) {
				rc = pf_err_set(err, PF_ENOMEM, NULL, 0,
				    "out of memory");
				break;
			}
			for (size_t gv = 0; gv < nvals && rc == PF_OK; gv++) {
				size_t i0 = mem[off[gv]], n = 0;
				const char *val = g->dim[qof[i0] * g->ndims + dm];
				for (size_t e = off[gv]; e < off[gv + 1]; e++)
					sub[n++] = mem[e];
				struct pf_il_segment *ns = realloc(a->ilsegs,
				    (a->nilsegs + 1) * sizeof(*ns));
				if (ns == NULL) {
					rc = pf_err_set(err, PF_ENOMEM, NULL, 0,
					    "out of memory");
					break;
				}
				a->ilsegs = ns;
				ns = &a->ilsegs[a->nilsegs++];
				ns->dim = dm;
				ns->treatment = k;
				ns->value = val;
				so.stream = stream_of(s->seed, k, 0x696c0000 +
				    1000003 * dm + i0);
				rc = pf_il_summarize(out + col, np, sub, n, NULL,
				    &so, &ns->sum, err);
			}
			free(mem);
			free(off);
		}
		free(sub);
		free(qof);
		if (rc != PF_OK)
			goto done;
	}
	goto done;
nomem:
	rc = pf_err_set(err, PF_ENOMEM, NULL, 0, "out of memory");
done:
	for (size_t i = 0; grades != NULL && i < nr * nq; i++)
		free(grades[i]);
	free(grades);
	free(iq);
	free(out);
	free(lens);
	free(docs);
	free(gp);
	return rc;
}

static int
expectations(const pf_replay *r, pf_assess *a, pf_err *err)
{
	const pf_golden *g = r->golden;

	if (g->nexp == 0)
		return PF_OK;
	if ((a->exps = calloc(g->nexp * r->m.nstacks, sizeof(*a->exps))) ==
	    NULL)
		return pf_err_set(err, PF_ENOMEM, NULL, 0, "out of memory");
	for (size_t e = 0; e < g->nexp; e++)
		for (size_t k = 0; k < r->m.nstacks; k++) {
			pf_exp_result *x = &a->exps[a->nexps++];
			const pf_stack_result *s = &r->m.stacks[k];
			long q = g->exp_query[e];
			x->exp = e;
			x->stack = k;
			snprintf(x->name, sizeof(x->name), "%.100s/%.100s "
			    "max_rank %ld: %.64s", g->exp_qid[e], g->exp_doc[e],
			    g->exp_max[e], s->id);
			if (q < 0) {
				x->status = PF_GATE_SKIP;
				snprintf(x->message, sizeof(x->message), "query "
				    "'%.100s' is not in the golden set",
				    g->exp_qid[e]);
				continue;
			}
			for (size_t i = 0; i < s->n[q] && x->rank == 0; i++)
				if (strcmp(pf_golden_docid(g, s->doc[q][i]),
				    g->exp_doc[e]) == 0)
					x->rank = (long)i + 1;
			int ok = x->rank > 0 && x->rank <= g->exp_max[e];
			x->status = ok ? PF_GATE_PASS : PF_GATE_FAIL;
			if (x->rank > 0)
				snprintf(x->message, sizeof(x->message), "%.100s "
				    "is at rank %ld, %s max_rank %ld",
				    g->exp_doc[e], x->rank, ok ? "within" :
				    "beyond", g->exp_max[e]);
			else
				snprintf(x->message, sizeof(x->message), "%.100s "
				    "is not in the ranking of query %.100s",
				    g->exp_doc[e], g->exp_qid[e]);
			size_t len = (size_t)snprintf(x->details,
			    sizeof(x->details), "expectation: %s:%ld\ntop:",
			    g->exp_path, g->exp_line[e]);
			for (size_t i = 0; i < s->n[q] && i < 10 &&
			    len < sizeof(x->details); i++)
				len += (size_t)snprintf(x->details + len,
				    sizeof(x->details) - len, " %zu:%.60s", i + 1,
				    pf_golden_docid(g, s->doc[q][i]));
			if (!ok) {
				a->nexp_failed++;
				a->nexp_failed_treat += k > 0;
			}
		}
	return PF_OK;
}

/*
 * Drill-down on the primary metric: for each dimension of queries.tsv and
 * each of its values (in order of first appearance), every treatment
 * against the control over the judged queries with that value;
 * Benjamini–Hochberg over each treatment's segments.
 */
static int
segments(const pf_replay *r, pf_assess *a, pf_err *err)
{
	const pf_golden *g = r->golden;
	const pf_scenario *s = r->scn;
	size_t nq = r->m.nq, v = (size_t)r->m.primary, cap = 0;
	double *x = malloc((nq + 1) * sizeof(double));
	double *y = malloc((nq + 1) * sizeof(double));
	int rc = PF_OK;

	if (x == NULL || y == NULL)
		goto nomem;
	for (size_t k = 1; k < r->m.nstacks; k++) {
		size_t first = a->nsegs;
		for (size_t dm = 0; dm < g->ndims; dm++) {
			size_t *mem, *off, nvals;
			if (dim_groups(g, dm, NULL, nq, &mem, &off, &nvals) !=
			    PF_OK)
				goto nomem;
			for (size_t gv = 0; gv < nvals; gv++) {
				size_t q0 = mem[off[gv]], n = 0;
				const char *val = g->dim[q0 * g->ndims + dm];
				for (size_t m = off[gv]; m < off[gv + 1]; m++) {
					size_t q = mem[m];
					if (!r->m.judged[q])
						continue;
					x[n] = r->m.stacks[0].values[q * r->m.nv + v];
					y[n++] = r->m.stacks[k].values[q * r->m.nv + v];
				}
				if (a->nsegs == cap) {
					cap = cap ? 2 * cap : 16;
					pf_segment *ns = realloc(a->segs, cap *
					    sizeof(*ns));
					if (ns == NULL) {
						free(mem);
						free(off);
						goto nomem;
					}
					a->segs = ns;
				}
				pf_segment *sg = &a->segs[a->nsegs++];
				memset(sg, 0, sizeof(*sg));
				sg->dim = dm;
				sg->treatment = k;
				sg->value = val;
				if ((rc = paired(s, x, y, n, s->n_boot, k,
				    1000003 * (dm + 1) + q0 + 0x7365676dULL,
				    &sg->cmp, err)) != PF_OK) {
					free(mem);
					free(off);
					goto done;
				}
				sg->too_few = n < s->min_segment;
			}
			free(mem);
			free(off);
		}
		/* BH over this treatment's segments with enough queries */
		size_t m = a->nsegs - first;
		double *p = malloc((m + 1) * sizeof(double)),
		    *adj = malloc((m + 1) * sizeof(double));
		if (p == NULL || adj == NULL) {
			free(p);
			free(adj);
			goto nomem;
		}
		for (size_t i = 0; i < m; i++)
			p[i] = a->segs[first + i].too_few ? NAN :
			    a->segs[first + i].cmp.p_perm;
		pf_stats_bh(p, m, adj, NULL);
		const pf_cmp *all = &a->cmp[(k - 1) * r->m.nv + v];
		for (size_t i = 0; i < m; i++) {
			pf_segment *sg = &a->segs[first + i];
			sg->p_bh = adj[i];
			sg->flipped = !sg->too_few && adj[i] < s->alpha &&
			    ((sg->cmp.delta > 0) != (all->delta > 0)) &&
			    sg->cmp.delta != 0;
		}
		free(p);
		free(adj);
	}
	goto done;
nomem:
	rc = pf_err_set(err, PF_ENOMEM, NULL, 0, "out of memory");
done:
	free(x);
	free(y);
	return rc;
}

static long
metric_index(const pf_replay *r, const char *name)
{
	return pf_te_value_index(r->m.spec, name);
}

/* Five most hurt queries of treatment k on value v, for failure details. */
static void
most_hurt(const pf_replay *r, size_t k, size_t v, char *buf, size_t sz)
{
	size_t worst[5], nw = 0, len = 0;
	double wd[5];

	for (size_t q = 0; q < r->m.nq; q++) {
		if (!r->m.judged[q])
			continue;
		double d = r->m.stacks[k].values[q * r->m.nv + v] -
		    r->m.stacks[0].values[q * r->m.nv + v];
		size_t i = nw < 5 ? nw++ : 5;
		if (i == 5) {
			if (!(d < wd[4]))
				continue;
			i = 4;
		}
		while (i > 0 && d < wd[i - 1]) {	/* stable: earlier first */
			wd[i] = wd[i - 1];
			worst[i] = worst[i - 1];
			i--;
		}
		wd[i] = d;
		worst[i] = q;
	}
	buf[0] = '\0';
	for (size_t i = 0; i < nw && len < sz; i++)
		len += (size_t)snprintf(buf + len, sz - len, "%s%s %+.3f",
		    i ? " | " : "", r->golden->qid[worst[i]], wd[i]);
}

static void
eval_gate(const pf_replay *r, const pf_assess *a, const pf_scn_gate *g,
    size_t k, pf_gate_result *out)
{
	const pf_scenario *s = r->scn;
	long v = metric_index(r, g->metric);
	const char *ctl = r->m.stacks[0].id, *trt = r->m.stacks[k].id;
	const char *what = g->has_min ? "mean" : g->has_min_delta ? "delta" :
	    "significant gain";

	out->gate = g;
	out->stack = k;
	snprintf(out->name, sizeof(out->name), "%s: %s %s, %s vs %s", g->id,
	    g->metric, what, trt, ctl);
	if (strcmp(g->metric, "interleave") == 0) {
		const pf_il_summary *il = a->il ? &a->il[k - 1] : NULL;
		int fail;
		if (il == NULL || g->significant || g->has_min) {
			out->status = PF_GATE_ERROR;
			snprintf(out->message, sizeof(out->message), "%s",
			    il == NULL ? "no <interleave> in the scenario" :
			    "an interleave gate takes min-delta (on the "
			    "estimate or the CI lower bound)");
			return;
		}
		double x = g->on_ci ? il->delta_lo : il->delta;
		fail = !(x >= g->min_delta);
		out->status = fail ? PF_GATE_FAIL : PF_GATE_PASS;
		snprintf(out->message, sizeof(out->message), "interleaving "
		    "delta%s %+.4f [95%% CI %+.4f, %+.4f] %s %+.4f",
		    g->on_ci ? " CI lower bound" : "", x, il->delta_lo,
		    il->delta_hi, fail ? "below" : "at or above",
		    g->min_delta);
		snprintf(out->details, sizeof(out->details), "gate:      %s "
		    "(%s:%ld)\nmethod:    %s, %zu queries, %s\nreport:    "
		    "report.html#gate-%s", g->id, s->path, g->line,
		    pf_il_method_name(a->il_opts.method), il->nq, il->exact ?
		    "exact expectation" : "Monte Carlo", g->id);
		return;
	}
	if (v < 0) {
		out->status = PF_GATE_ERROR;
		snprintf(out->message, sizeof(out->message), "metric '%s' is "
		    "not among the scenario's metrics", g->metric);
		return;
	}
	const pf_cmp *c = &a->cmp[(k - 1) * a->nv + (size_t)v];
	double padj = a->p_adj[(k - 1) * a->nv + (size_t)v];
	int fail;
	if (g->has_min) {
		fail = !(c->mean_b >= g->min);
		snprintf(out->message, sizeof(out->message), "%s %s %.4f %s "
		    "%.4f", trt, g->metric, c->mean_b, fail ? "below" :
		    "at or above", g->min);
	} else if (g->has_min_delta) {
		double x = g->on_ci ? c->lo : c->delta;
		fail = !(x >= g->min_delta);
		snprintf(out->message, sizeof(out->message), "%s delta%s "
		    "%+.4f [95%% CI %+.4f, %+.4f] %s %+.4f (p=%.4f, Holm "
		    "%.4f)", g->metric, g->on_ci ? " CI lower bound" : "", x,
		    c->lo, c->hi, fail ? "below" : "at or above",
		    g->min_delta, c->p_perm, padj);
	} else {
		fail = !(padj < s->alpha && c->lo > 0 && c->delta > 0);
		snprintf(out->message, sizeof(out->message), "%s delta %+.4f "
		    "[95%% CI %+.4f, %+.4f], Holm p %.4f: %s", g->metric,
		    c->delta, c->lo, c->hi, padj, fail ? "not a significant "
		    "gain" : "a significant gain");
	}
	out->status = fail ? PF_GATE_FAIL : PF_GATE_PASS;
	char hurt[256];
	most_hurt(r, k, (size_t)v, hurt, sizeof(hurt));
	snprintf(out->details, sizeof(out->details),
	    "gate:      %s (%s:%ld)\ncontrol:   %s  %s=%.4f\n"
	    "treatment: %s  %s=%.4f\nqueries:   %zu (wins %zu, losses %zu, "
	    "ties %zu)\nmost hurt: %s\nreport:    report.html#gate-%s",
	    g->id, s->path, g->line, ctl, g->metric, c->mean_a, trt,
	    g->metric, c->mean_b, c->n, c->wins, c->losses, c->ties, hurt,
	    g->id);
}

/* ranx-style markers: every pair of stacks on every metric. */
static int
pairwise(const pf_replay *r, pf_assess *a, double *x, double *y,
    pf_err *err)
{
	const pf_scenario *s = r->scn;
	size_t ns = r->m.nstacks, nv = r->m.nv, np = ns * (ns - 1) / 2 * nv, m = 0;
	double *p = malloc((np + 1) * sizeof(double)),
	    *adj = malloc((np + 1) * sizeof(double)),
	    *dl = malloc((np + 1) * sizeof(double));
	int rc = PF_OK;

	if (p == NULL || adj == NULL || dl == NULL ||
	    (a->beats = calloc(ns * ns * nv + 1, 1)) == NULL) {
		rc = pf_err_set(err, PF_ENOMEM, NULL, 0, "out of memory");
		goto done;
	}
	for (size_t i = 0; i < ns; i++)
		for (size_t j = i + 1; j < ns; j++)
			for (size_t v = 0; v < nv; v++, m++) {
				size_t n = 0;
				pf_cmp c;
				for (size_t q = 0; q < r->m.nq; q++)
					if (r->m.judged[q]) {
						x[n] = r->m.stacks[i].values[q * nv + v];
						y[n++] = r->m.stacks[j].values[q * nv +
						    v];
					}
				/* only the test is needed: no bootstrap */
				if ((rc = paired(s, x, y, n, 0, 7919 * (i + 1) + j,
				    v + 0x70616972ULL, &c,
				    err)) != PF_OK)
					goto done;
				p[m] = pf_te_value_is_count(r->m.spec, v) ? NAN :
				    c.p_perm;
				dl[m] = c.delta;
			}
	pf_stats_holm(p, np, adj, NULL);
	m = 0;
	for (size_t i = 0; i < ns; i++)
		for (size_t j = i + 1; j < ns; j++)
			for (size_t v = 0; v < nv; v++, m++) {
				if (!(adj[m] < s->alpha))
					continue;
				if (dl[m] > 0)	/* j better than i */
					a->beats[(j * ns + i) * nv + v] = 1;
				else if (dl[m] < 0)
					a->beats[(i * ns + j) * nv + v] = 1;
			}
done:
	free(p);
	free(adj);
	free(dl);
	return rc;
}

int
pf_assess_run(pf_assess **out, const pf_replay *r, pf_err *err)
{
	const pf_scenario *s = r->scn;
	pf_assess *a = calloc(1, sizeof(*a));
	double *x = NULL, *y = NULL, *praw = NULL;
	int rc = PF_OK;

	*out = NULL;
	if (a == NULL)
		return pf_err_set(err, PF_ENOMEM, NULL, 0, "out of memory");
	a->nt = r->m.nstacks - 1;
	a->nv = r->m.nv;
	size_t nf = a->nt * a->nv;
	if ((a->cmp = calloc(nf + 1, sizeof(*a->cmp))) == NULL ||
	    (a->p_adj = calloc(nf + 1, sizeof(double))) == NULL ||
	    (a->judged = calloc(r->m.nstacks, sizeof(double))) == NULL ||
	    (praw = calloc(nf + 1, sizeof(double))) == NULL ||
	    (x = malloc((r->m.njudged + 1) * sizeof(double))) == NULL ||
	    (y = malloc((r->m.njudged + 1) * sizeof(double))) == NULL)
		goto nomem;
	for (size_t k = 1; k < r->m.nstacks; k++)
		for (size_t v = 0; v < r->m.nv; v++) {
			size_t j = 0;
			for (size_t q = 0; q < r->m.nq; q++)
				if (r->m.judged[q]) {
					x[j] = r->m.stacks[0].values[q * r->m.nv +
					    v];
					y[j++] = r->m.stacks[k].values[q * r->m.nv +
					    v];
				}
			pf_cmp *c = &a->cmp[(k - 1) * r->m.nv + v];
			/* keyed by (seed, stack, metric) */
			if ((rc = paired(s, x, y, j, s->n_boot, k, v, c, err)) !=
			    PF_OK)
				goto done;
			praw[(k - 1) * r->m.nv + v] =
			    pf_te_value_is_count(r->m.spec, v) ? NAN : c->p_perm;
		}
	pf_stats_holm(praw, nf, a->p_adj, NULL);	/* family: treatments x metrics */
	if (r->m.nstacks >= 3 && (rc = pairwise(r, a, x, y, err)) != PF_OK)
		goto done;
	if (r->scn->il_on && r->m.nstacks > 1 && r->m.stacks[0].doc != NULL &&
	    (rc = interleave(r, a, err)) != PF_OK)
		goto done;
	if ((rc = pf_lboot_run(&a->lboot, r, err)) != PF_OK)
		goto done;
	/* judged@10 of every stack, shown next to every delta: from the
	   metrics when asked for, else from the rankings themselves */
	long j10 = pf_te_value_index(r->m.spec, "judged_10");
	for (size_t k = 0; k < r->m.nstacks; k++) {
		const pf_stack_result *st = &r->m.stacks[k];
		a->judged[k] = j10 >= 0 ? st->mean[j10] : NAN;
		if (j10 >= 0 || st->doc == NULL || r->m.njudged == 0)
			continue;
		double sum = 0.0;
		for (size_t q = 0; q < r->m.nq; q++) {
			size_t t, c = 0;
			if (!r->m.judged[q])
				continue;
			t = (size_t)r->golden->topic[q];
			for (size_t i = 0; i < st->n[q] && i < 10; i++) {
				const char *id = pf_golden_docid(r->golden,
				    st->doc[q][i]);
				size_t len = strlen(id);
				long p = pf_qrels_find(r->golden->qrels, t, id,
				    len, pf_hash_bytes(id, len));
				c += p >= 0 && pf_qrels_pair(r->golden->qrels, t,
				    (size_t)p)->grade_int >= 0;
			}
			sum += (double)c / 10.0;
		}
		a->judged[k] = sum / (double)r->m.njudged;
	}

	/* gates: one result per (gate, treatment it applies to) */
	size_t ng = 0;
	for (size_t i = 0; i < s->ngates; i++)
		ng += s->gates[i].stack ? 1 : a->nt;
	if ((a->gates = calloc(ng + 1, sizeof(*a->gates))) == NULL)
		goto nomem;
	for (size_t i = 0; i < s->ngates; i++) {
		const pf_scn_gate *g = &s->gates[i];
		size_t k0 = 1, k1 = r->m.nstacks;
		long only = -1;
		if (g->stack != NULL) {
			for (size_t k = 0; k < r->m.nstacks; k++)
				if (strcmp(g->stack, r->m.stacks[k].id) == 0)
					only = (long)k;
			k0 = only < 0 ? 0 : (size_t)only;
			k1 = k0 + 1;
		}
		for (size_t k = k0; k < k1; k++) {
			pf_gate_result *gr = &a->gates[a->ngates++];
			long v = metric_index(r, g->metric);
			gr->gate = g;
			gr->stack = k;
			if (g->stack != NULL && only < 0) {
				gr->status = PF_GATE_ERROR;
				snprintf(gr->name, sizeof(gr->name), "%s: %s",
				    g->id, g->metric);
				snprintf(gr->message, sizeof(gr->message),
				    "no stack '%s' in the scenario", g->stack);
			} else if (k == 0) {	/* the control: min only */
				snprintf(gr->name, sizeof(gr->name), "%s: %s "
				    "mean, %s", g->id, g->metric,
				    r->m.stacks[0].id);
				if (v < 0 || !g->has_min) {
					gr->status = PF_GATE_ERROR;
					snprintf(gr->message, sizeof(gr->message),
					    "a gate on the control needs min and "
					    "a metric of the scenario");
				} else {
					double m = r->m.stacks[0].mean[v];
					gr->status = m >= g->min ? PF_GATE_PASS :
					    PF_GATE_FAIL;
					snprintf(gr->message, sizeof(gr->message),
					    "%s %s %.4f %s %.4f", r->m.stacks[0].id,
					    g->metric, m, m >= g->min ?
					    "at or above" : "below", g->min);
				}
			} else {
				eval_gate(r, a, g, k, gr);
			}
			if (gr->status == PF_GATE_FAIL)
				a->nfailed++;
		}
	}

	/* predicted online lift, and its min-lift gate before the verdict */
	if (s->lift_on && a->nt > 0 && (rc = pf_liftrun_assess(r, a, err)) !=
	    PF_OK)
		goto done;
	if (r->m.primary >= 0 && (rc = segments(r, a, err)) != PF_OK)
		goto done;
	if ((rc = expectations(r, a, err)) != PF_OK)
		goto done;


	/* the verdict, on the first treatment's primary metric */
	snprintf(a->rule, sizeof(a->rule), "REQUEST A SLOT when %s of %s "
	    "versus %s improves by at least %+.4f, its 95%% bootstrap CI "
	    "excludes 0, its Holm-adjusted randomization p is below %.3g, and "
	    "no gate or expectation fails; DO NOT REQUEST when one fails or %s "
	    "is a significant regression; otherwise INCONCLUSIVE.", s->primary,
	    r->m.nstacks > 1 ? r->m.stacks[1].id : "-", r->m.stacks[0].id,
	    s->min_effect, s->alpha, s->primary);
	snprintf(a->method, sizeof(a->method), "Queries are the unit (%zu "
	    "with judgments). Deltas are treatment minus control. 95%% CI: "
	    "query bootstrap, %zu resamples, percentile. p: sign-flip "
	    "randomization test, %zu permutations with the +1 correction "
	    "(exact enumeration up to 20 queries); paired t-test alongside. "
	    "Holm correction over %zu comparisons (treatments x metrics). "
	    "Ties: |delta| <= %g. Power: paired t, 80%%, two-sided alpha "
	    "%.3g. Random numbers: counter-based, keyed by (seed %llu, stack, "
	    "metric), so results do not depend on the thread count.",
	    r->m.njudged, s->n_boot, s->n_perm, nf, s->tie_tol, s->alpha,
	    (unsigned long long)s->seed);
	if (a->nt == 0 || r->m.primary < 0) {
		a->verdict = "INCONCLUSIVE";
		snprintf(a->why, sizeof(a->why), "nothing to compare");
		goto done;
	}
	const pf_cmp *c = &a->cmp[(size_t)r->m.primary];
	double padj = a->p_adj[(size_t)r->m.primary];
	if (a->nfailed > 0) {
		const pf_gate_result *f = NULL;
		for (size_t i = 0; i < a->ngates && f == NULL; i++)
			if (a->gates[i].status == PF_GATE_FAIL)
				f = &a->gates[i];
		a->verdict = "DO NOT REQUEST";
		snprintf(a->why, sizeof(a->why), "%zu gate%s failed; first: %.200s "
		    "(%.300s).", a->nfailed, a->nfailed == 1 ? "" : "s",
		    f->name, f->message);
	} else if (a->nexp_failed_treat > 0) {
		const pf_exp_result *f = NULL;
		for (size_t i = 0; i < a->nexps && f == NULL; i++)
			if (a->exps[i].status == PF_GATE_FAIL && a->exps[i].stack)
				f = &a->exps[i];
		a->verdict = "DO NOT REQUEST";
		snprintf(a->why, sizeof(a->why), "%zu expectation%s failed; "
		    "first: %.200s (%.300s).", a->nexp_failed_treat,
		    a->nexp_failed_treat == 1 ? "" : "s", f->name, f->message);
	} else if (padj < s->alpha && c->hi < 0) {
		a->verdict = "DO NOT REQUEST";
		snprintf(a->why, sizeof(a->why), "%s is a significant "
		    "regression: %+.4f [95%% CI %+.4f, %+.4f], Holm p %.4f.",
		    s->primary, c->delta, c->lo, c->hi, padj);
	} else if (padj < s->alpha && c->lo > 0 && c->delta >= s->min_effect &&
	    c->delta > 0) {
		a->verdict = "REQUEST A SLOT";
		snprintf(a->why, sizeof(a->why), "%s %+.4f (%+.2f%%) [95%% CI "
		    "%+.4f, %+.4f], Holm p %.4f; %zu wins, %zu losses, %zu ties.",
		    s->primary, c->delta, 100 * c->rel, c->lo, c->hi, padj,
		    c->wins, c->losses, c->ties);
	} else {
		a->verdict = "INCONCLUSIVE";
		if (isfinite(c->n_needed))
			snprintf(a->why, sizeof(a->why), "%s %+.4f [95%% CI "
			    "%+.4f, %+.4f], Holm p %.4f: needs about %.0f "
			    "queries to detect %+.4f at 80%% power (has %zu).",
			    s->primary, c->delta, c->lo, c->hi, padj,
			    c->n_needed, c->delta, c->n);
		else
			snprintf(a->why, sizeof(a->why), "%s %+.4f: no "
			    "difference to detect.", s->primary, c->delta);
	}
	goto done;
nomem:
	rc = pf_err_set(err, PF_ENOMEM, NULL, 0, "out of memory");
done:
	free(x);
	free(y);
	free(praw);
	if (rc != PF_OK)
		pf_assess_free(a);
	else
		*out = a;
	return rc;
}
