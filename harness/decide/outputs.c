/*
 * harness/decide/outputs.c — everything `preflight run` and `preflight compare`
 * write: results.json, report.html, junit.xml and the TREC runs, all to
 * temporary names renamed only when every one is complete.
 */
#include <math.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "harness/util/grow.h"
#include "harness/decide/assess.h"

#include "harness/util/fileio.h"
#include "harness/analysis/lift.h"
#include "harness/load/label_quality.h"
#include "harness/analysis/label_boot.h"
#include "harness/util/strtab.h"
#include "harness/decide/outputs.h"
#include "reports/html.h"
#include "reports/junit.h"
#include "harness/analysis/importance.h"
#include "reports/results.h"

typedef struct inputs {
	pf_res_input	*v;
	size_t		 n;
} inputs;

static int
add_input(inputs *in, const char *role, const char *path, pf_err *err)
{
	if (path == NULL)
		return PF_OK;
	for (size_t i = 0; i < in->n; i++)
		if (strcmp(in->v[i].path, path) == 0)
			return PF_OK;
	pf_res_input *v = realloc(in->v, (in->n + 1) * sizeof(*v));
	if (v == NULL)
		return pf_err_set(err, PF_ENOMEM, NULL, 0, "out of memory");
	in->v = v;
	v = &in->v[in->n];
	memset(v, 0, sizeof(*v));
	v->role = role;
	v->path = path;
	unsigned long long b;
	int rc = pf_sha256_file(path, v->sha256, &b, err);
	v->bytes = b;
	if (rc == PF_OK)
		in->n++;
	return rc;
}

/* Every file the scenario names: the scenario, golden files, and stage
 * parameters of type path (resolved as the stages resolve them). */
static int
collect_inputs(inputs *in, const pf_scenario *s, char ***owned, size_t *nown,
    pf_err *err)
{
	int rc;

	if ((rc = add_input(in, "scenario", s->path, err)) != PF_OK ||
	    (rc = add_input(in, "queries", s->queries, err)) != PF_OK ||
	    (rc = add_input(in, "qrels", s->qrels, err)) != PF_OK ||
	    (rc = add_input(in, "labels", s->labels, err)) != PF_OK ||
	    (rc = add_input(in, "labels", s->labels_qfile, err)) != PF_OK)
		return rc;
	for (size_t k = 0; k < s->nstacks; k++)
		if (s->stacks[k].nstages == 0 &&	/* preflight compare */
		    (rc = add_input(in, "run", s->stacks[k].name, err)) != PF_OK)
			return rc;
	for (size_t k = 0; k < s->nstacks; k++)
		for (size_t i = 0; i < s->stacks[k].nstages; i++) {
			const pf_scn_stage *g = &s->stacks[k].stages[i];
			const pf_stage_ops *ops = pf_stage_find(g->name);
			for (size_t j = 0; ops && j < g->nparams; j++)
				for (const pf_stage_param_doc *p = ops->params;
				    p->name != NULL; p++) {
					if (strcmp(p->name, g->params[j].key) ||
					    strcmp(p->type, "path"))
						continue;
					char *path = pf_path_join(s->dir,
					    g->params[j].value), **o;
					if (path == NULL || (o = realloc(*owned,
					    (*nown + 1) * sizeof(*o))) == NULL) {
						free(path);
						return pf_err_set(err,
						    PF_ENOMEM, NULL, 0,
						    "out of memory");
					}
					*owned = o;
					o[(*nown)++] = path;
					if ((rc = add_input(in, g->name, path,
					    err)) != PF_OK)
						return rc;
				}
		}
	return PF_OK;
}

static int
write_run(pf_atomic_file *af, const pf_replay *r, size_t k, pf_err *err)
{
	const pf_stack_result *s = &r->m.stacks[k];

	for (size_t q = 0; q < r->m.nq; q++)
		for (size_t i = 0; i < s->n[q]; i++)
			fprintf(af->f, "%s Q0 %s %zu %.17g %s\n",
			    r->golden->qid[q], pf_golden_docid(r->golden,
			    s->doc[q][i]), i + 1, s->score[q][i], s->id);
	if (ferror(af->f))
		return pf_err_set(err, PF_EIO, af->path, 0, "write error");
	return PF_OK;
}

void
pf_outputs_print_table(const pf_replay *r)
{
	char name[160];

	printf("%-24s", "stack");
	for (size_t v = 0; v < r->m.nv; v++) {
		pf_te_value_name(r->m.spec, v, name, sizeof(name));
		printf(" %14s", name);
	}
	printf("\n");
	for (size_t k = 0; k < r->m.nstacks; k++) {
		char label[64];
		snprintf(label, sizeof(label), "%s%s", r->m.stacks[k].id,
		    k == 0 ? " (control)" : "");
		printf("%-24s", label);
		for (size_t v = 0; v < r->m.nv; v++)
			printf(pf_te_value_is_count(r->m.spec, v) ? " %14.0f" :
			    " %14.4f", r->m.stacks[k].mean[v]);
		printf("\n");
	}
	printf("%zu queries with judgments", r->m.njudged);
	if (r->m.njudged != r->m.nq)
		printf(" (%zu without, left out of the means)",
		    r->m.nq - r->m.njudged);
	printf("; primary metric %s\n", r->scn->primary);
}

/* The JUnit document: one suite of gates (REPORTS.md 1.6). */
static int
write_junit(FILE *f, const pf_scenario *s, const pf_replay *r,
    const pf_assess *a, const char *stamp, double secs, const char *sha,
    pf_err *err)
{
	char sname[160], cname[192], nq[32], seed[32], outline[1024];
	pf_ju_case *cases = calloc(a->ngates + 1, sizeof(*cases));
	const char *pn[] = {"preflight.version", "scenario", "scenario.sha256",
	    "control", "treatment", "queries", "seed"};
	const char *pv[7];
	int rc;

	if (cases == NULL)
		return pf_err_set(err, PF_ENOMEM, NULL, 0, "out of memory");
	snprintf(sname, sizeof(sname), "%s.gates", s->name);
	snprintf(cname, sizeof(cname), "preflight.%s.gates", s->name);
	snprintf(nq, sizeof(nq), "%zu", r->m.nq);
	snprintf(seed, sizeof(seed), "%llu", (unsigned long long)s->seed);
	pv[0] = PF_VERSION;
	pv[1] = s->path;
	pv[2] = sha;
	pv[3] = r->m.stacks[0].id;
	pv[4] = r->m.nstacks > 1 ? r->m.stacks[1].id : "";
	pv[5] = nq;
	pv[6] = seed;
	for (size_t i = 0; i < a->ngates; i++) {
		const pf_gate_result *g = &a->gates[i];
		cases[i] = (pf_ju_case){g->name, g->status == PF_GATE_PASS ?
		    PF_JU_PASS : g->status == PF_GATE_FAIL ? PF_JU_FAIL :
		    g->status == PF_GATE_ERROR ? PF_JU_ERROR : PF_JU_SKIP,
		    g->status == PF_GATE_FAIL ? "GateFailed" :
		    "EvaluationError", g->message, g->details[0] ? g->details :
		    NULL, 0.0};
	}
	snprintf(outline, sizeof(outline), "preflight %s: %zu queries, %zu "
	    "stacks, %.1f s; verdict: %s (%.600s)", PF_VERSION, r->m.nq,
	    r->m.nstacks, secs, a->verdict, a->why);
	pf_ju_case *ecases = calloc(a->nexps + 1, sizeof(*ecases));
	char ename[160], ecname[192];
	if (ecases == NULL) {
		free(cases);
		return pf_err_set(err, PF_ENOMEM, NULL, 0, "out of memory");
	}
	for (size_t i = 0; i < a->nexps; i++) {
		const pf_exp_result *x = &a->exps[i];
		ecases[i] = (pf_ju_case){x->name, x->status == PF_GATE_PASS ?
		    PF_JU_PASS : x->status == PF_GATE_FAIL ? PF_JU_FAIL :
		    PF_JU_SKIP, "ExpectationFailed", x->message,
		    x->details[0] ? x->details : NULL, 0.0};
	}
	snprintf(ename, sizeof(ename), "%s.expectations", s->name);
	snprintf(ecname, sizeof(ecname), "preflight.%s.expectations", s->name);
	pf_ju_suite suites[2] = {{sname, cname, s->path, stamp, NULL, secs,
	    cases, a->ngates, pn, pv, 7, outline}, {ename, ecname,
	    r->golden->exp_path, stamp, NULL, 0.0, ecases, a->nexps, NULL,
	    NULL, 0, NULL}};
	char jname[192];
	snprintf(jname, sizeof(jname), "preflight %s", s->name);
	pf_junit j = {jname, suites, a->nexps > 0 ? 2 : 1};
	rc = pf_junit_write(&j, f, err);
	free(cases);
	free(ecases);
	return rc;
}

/* A junit.xml that says why nothing ran (bad input, exit 2). */
void
pf_outputs_junit_error(const char *path, const char *scn, const pf_diags *d)
{
	pf_atomic_file af = {0};
	pf_err err = {0};
	char msg[PF_DIAGS_MAX * 660 + 64], stamp[32];
	size_t len = 0;
	time_t now = time(NULL);

	strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%S", gmtime(&now));
	msg[0] = '\0';
	for (size_t i = 0; i < d->n && len < sizeof(msg); i++)
		len += (size_t)snprintf(msg + len, sizeof(msg) - len, "%s\n",
		    d->msg[i]);
	pf_ju_case c = {"scenario.load", PF_JU_ERROR, "BadInput",
	    d->n ? d->msg[0] : "bad input", msg, 0.0};
	pf_ju_suite su = {"preflight.load", "preflight.load", scn, stamp,
	    NULL, 0.0, &c, 1, NULL, NULL, 0, NULL};
	pf_junit j = {"preflight", &su, 1};
	if (pf_atomic_open(&af, path, &err) != PF_OK)
		return;
	if (pf_junit_write(&j, af.f, &err) == PF_OK)
		pf_atomic_commit(&af, &err);
	pf_atomic_abort(&af);
}

static char *
stages_line(const pf_scn_stack *st)
{
	size_t cap = 256, len = 0;
	char *b = malloc(cap);

	if (b == NULL)
		return NULL;
	b[0] = '\0';
	for (size_t i = 0; i < st->nstages; i++) {
		const pf_scn_stage *g = &st->stages[i];
		size_t need = len + strlen(g->name) + 8;
		for (size_t j = 0; j < g->nparams; j++)
			need += strlen(g->params[j].key) +
			    strlen(g->params[j].value) + 4;
		if (need > cap) {
			char *nb = realloc(b, cap = need * 2);
			if (nb == NULL) {
				free(b);
				return NULL;
			}
			b = nb;
		}
		len += (size_t)sprintf(b + len, "%s%s", i ? " > " : "", g->name);
		for (size_t j = 0; j < g->nparams; j++)
			len += (size_t)sprintf(b + len, "%s%s=%s", j ? ", " :
			    "(", g->params[j].key, g->params[j].value);
		if (g->nparams)
			len += (size_t)sprintf(b + len, ")");
	}
	return b;
}

/* Every stack's top PF_REP_TOPK per query with grades, for the report. */
static int
fill_tops(const pf_replay *r, const char ***ids_out, int32_t **grades_out,
    pf_err *err)
{
	size_t n = r->m.nstacks * r->m.nq * PF_REP_TOPK;
	const char **ids = calloc(n + 1, sizeof(*ids));
	int32_t *gr = calloc(n + 1, sizeof(*gr));
	const pf_golden *g = r->golden;

	if (ids == NULL || gr == NULL) {
		free(ids);
		free(gr);
		return pf_err_set(err, PF_ENOMEM, NULL, 0, "out of memory");
	}
	for (size_t k = 0; k < r->m.nstacks; k++)
		for (size_t q = 0; q < r->m.nq; q++) {
			const pf_stack_result *s = &r->m.stacks[k];
			size_t o = (k * r->m.nq + q) * PF_REP_TOPK;
			for (size_t i = 0; s->doc != NULL && i < s->n[q] &&
			    i < PF_REP_TOPK; i++) {
				const char *id = pf_golden_docid(g,
				    s->doc[q][i]);
				size_t len = strlen(id);
				long p = g->topic[q] < 0 ? -1 : pf_qrels_find(
				    g->qrels, (size_t)g->topic[q], id, len,
				    pf_hash_bytes(id, len));
				ids[o + i] = id;
				gr[o + i] = p < 0 ? PF_REP_UNJUDGED :
				    pf_qrels_pair(g->qrels, (size_t)g->topic[q],
				    (size_t)p)->grade_int;
			}
		}
	*ids_out = ids;
	*grades_out = gr;
	return PF_OK;
}

int
pf_outputs_write(const pf_scenario *s, const pf_replay *r, const pf_assess *as,
    double secs, const char *cmdline, pf_err *err)
{
	inputs in = {0};
	char **owned = NULL, *rpath = NULL;
	size_t nown = 0, nv = r->m.nv;
	pf_atomic_file *af = NULL;
	size_t naf = 0;
	char **names = NULL, **runpaths = NULL;
	unsigned char *is_count = NULL;
	pf_res_stack *rs = NULL;
	pf_res_stage **stg = NULL;
	pf_rep_delta *deltas = NULL;
	pf_rep_gate *rgates = NULL;
	pf_rep_segment *rsegs = NULL;
	pf_rep_il *ril = NULL, *rils = NULL;
	const char **lqnames = NULL;
	const char **top_id = NULL;
	int32_t *top_grade = NULL;
	pf_rep_stack *repst = NULL;
	char **sl = NULL, *hpath = NULL, *jpath = NULL;
	double *pvals = NULL;
	const char **ipath = NULL, **isha = NULL;
	int rc;

	if ((rc = collect_inputs(&in, s, &owned, &nown, err)) != PF_OK ||
	    (rc = pf_mkdirs(s->out_dir, err)) != PF_OK)
		goto done;
	rc = PF_ENOMEM;
	if ((af = calloc(r->m.nstacks + 3, sizeof(*af))) == NULL ||
	    (names = calloc(nv + 1, sizeof(*names))) == NULL ||
	    (is_count = calloc(nv + 1, 1)) == NULL ||
	    (runpaths = calloc(r->m.nstacks, sizeof(*runpaths))) == NULL ||
	    (rs = calloc(r->m.nstacks, sizeof(*rs))) == NULL ||
	    (stg = calloc(r->m.nstacks, sizeof(*stg))) == NULL)
		goto nomem;
	for (size_t v = 0; v < nv; v++) {
		char b[160];
		pf_te_value_name(r->m.spec, v, b, sizeof(b));
		if ((names[v] = strdup(b)) == NULL)
			goto nomem;
		is_count[v] = (unsigned char)pf_te_value_is_count(r->m.spec, v);
	}
	for (size_t k = 0; k < r->m.nstacks; k++) {
		const pf_scn_stack *st = &s->stacks[k];
		if (s->runs) {
			char b[4200];
			snprintf(b, sizeof(b), "%s/%s.run", s->out_dir, st->id);
			if ((runpaths[k] = strdup(b)) == NULL)
				goto nomem;
			if ((rc = pf_atomic_open(&af[naf], b, err)) != PF_OK)
				goto done;
			naf++;
			if ((rc = write_run(&af[naf - 1], r, k, err)) != PF_OK)
				goto done;
		}
		if ((stg[k] = calloc(st->nstages + 1, sizeof(**stg))) == NULL)
			goto nomem;
		for (size_t i = 0; i < st->nstages; i++) {
			pf_res_stage *g = &stg[k][i];
			g->stage = st->stages[i].name;
			g->nparams = st->stages[i].nparams;
			const char **keys = calloc(g->nparams + 1,
			    sizeof(char *));
			const char **vals = calloc(g->nparams + 1,
			    sizeof(char *));
			if (keys == NULL || vals == NULL) {
				free(keys);
				free(vals);
				goto nomem;
			}
			for (size_t j = 0; j < g->nparams; j++) {
				keys[j] = st->stages[i].params[j].key;
				vals[j] = st->stages[i].params[j].value;
			}
			g->keys = keys;
			g->values = vals;
		}
		rs[k] = (pf_res_stack){st->id, st->name, stg[k], st->nstages,
		    r->m.stacks[k].mean, r->m.stacks[k].values, r->m.stacks[k].n,
		    runpaths[k]};
	}
	size_t nt = r->m.nstacks - 1;
	if ((deltas = calloc(nt * nv + 1, sizeof(*deltas))) == NULL ||
	    (rgates = calloc(as->ngates + as->nexps + 1, sizeof(*rgates))) ==
	    NULL ||
	    (repst = calloc(r->m.nstacks, sizeof(*repst))) == NULL ||
	    (sl = calloc(r->m.nstacks, sizeof(*sl))) == NULL ||
	    (pvals = malloc((r->m.nstacks * r->m.nq + 1) * sizeof(double))) ==
	    NULL || (ipath = calloc(in.n + 1, sizeof(char *))) == NULL ||
	    (isha = calloc(in.n + 1, sizeof(char *))) == NULL)
		goto nomem;
	for (size_t i = 0; i < nt * nv; i++) {
		const pf_cmp *c = &as->cmp[i];
		deltas[i] = (pf_rep_delta){c->mean_a, c->mean_b, c->delta,
		    c->rel, c->lo, c->hi, c->p_perm, c->p_t, as->p_adj[i],
		    c->d_z, c->wins, c->losses, c->ties, c->n_needed};
	}
	for (size_t i = 0; i < as->ngates; i++)
		rgates[i] = (pf_rep_gate){as->gates[i].gate->id,
		    as->gates[i].name, as->gates[i].status,
		    as->gates[i].message};
	for (size_t i = 0; i < as->nexps; i++)	/* expectations follow */
		rgates[as->ngates + i] = (pf_rep_gate){as->exps[i].name,
		    as->exps[i].name, as->exps[i].status, as->exps[i].message};
	if ((rsegs = calloc(as->nsegs + 1, sizeof(*rsegs))) == NULL)
		goto nomem;
	for (size_t i = 0; i < as->nsegs; i++) {
		const pf_segment *g = &as->segs[i];
		rsegs[i] = (pf_rep_segment){r->golden->dim_name[g->dim],
		    g->value, r->m.stacks[g->treatment].id, g->cmp.n,
		    g->cmp.mean_a, g->cmp.delta, g->cmp.lo, g->cmp.hi, g->p_bh,
		    g->too_few, g->flipped};
	}
	char il_setup[512] = "";
	if (as->il != NULL) {
		if ((ril = calloc(nt + 1, sizeof(*ril))) == NULL)
			goto nomem;
		for (size_t k = 1; k < r->m.nstacks; k++) {
			const pf_il_summary *x = &as->il[k - 1];
			ril[k - 1] = (pf_rep_il){r->m.stacks[k].id, NULL, NULL,
			    x->nq,
			    x->nq_clicked, x->q_wins, x->q_losses, x->q_ties,
			    x->mean_o, x->mean_o_lo, x->mean_o_hi, x->delta,
			    x->delta_lo, x->delta_hi, x->p_pref, x->p_pref_lo,
			    x->p_pref_hi, x->share_b, x->share_a, x->share_tie,
			    x->no_click, x->exact};
		}
		if ((rils = calloc(as->nilsegs + 1, sizeof(*rils))) == NULL)
			goto nomem;
		for (size_t i = 0; i < as->nilsegs; i++) {
			const pf_il_summary *x = &as->ilsegs[i].sum;
			rils[i] = (pf_rep_il){r->m.stacks[as->ilsegs[i].treatment].id,
			    r->golden->dim_name[as->ilsegs[i].dim],
			    as->ilsegs[i].value, x->nq, x->nq_clicked, x->q_wins,
			    x->q_losses, x->q_ties, x->mean_o, x->mean_o_lo,
			    x->mean_o_hi, x->delta, x->delta_lo, x->delta_hi,
			    x->p_pref, x->p_pref_lo, x->p_pref_hi, x->share_b,
			    x->share_a, x->share_tie, x->no_click, x->exact};
		}
		snprintf(il_setup, sizeof(il_setup), "%s interleaving of each "
		    "treatment (B) with the control (A); click model %s, preset "
		    "%s on %d grades, examined depth %zu; interleaved list k = "
		    "%zu; %s; seed %llu.", pf_il_method_name(as->il_opts.method),
		    pf_cm_kind_name(as->il_cm.kind), s->il_preset ?
		    s->il_preset : "navigational", as->il_cm.ngrades,
		    as->il_cm.depth, as->il_opts.k, as->il[0].exact ?
		    "exact expected outcome per query" : "Monte Carlo impressions",
		    (unsigned long long)s->seed);
		if (!as->il[0].exact) {
			size_t l = strlen(il_setup);
			snprintf(il_setup + l, sizeof(il_setup) - l, " %zu "
			    "impressions per query.", as->il_opts.n_impr);
		}
	}
	const char *sha = in.n > 0 ? in.v[0].sha256 : "";
	pf_rep_lift rlift;
	if (as->lift != NULL)
		pf_liftrun_report(as->lift, r, &rlift);
	size_t nannot, njudg;
	pf_goldq_counts(r->golden->qrels, &nannot, &njudg);
	if ((lqnames = pf_goldq_names(r->golden->qrels)) == NULL)
		goto nomem;
	/* the optional analyses, the same for results.json and the report */
	pf_rep_analyses an = {.lift = as->lift != NULL ? &rlift : NULL,
	    .attrib = as->attrib,
	    .labelq = r->golden->labelq, .labelq_names = lqnames,
	    .nannotators = nannot, .njudgments = njudg,
	    .lboot = as->lboot ? as->lboot->res : NULL,
	    .lboot_B = as->lboot ? as->lboot->n_boot : 0,
	    .imp = as->imp ? (const pf_rep_importance *const *)as->imp->m :
	    NULL, .nimp = as->imp ? as->imp->n : 0,
	    .validation = as->validation};
	pf_results res = {.preflight_version = PF_VERSION,
	    .scenario_name = s->name, .seed = s->seed,
	    .threads = omp_get_max_threads(), .inputs = in.v,
	    .ninputs = in.n, .metrics = (const char *const *)names,
	    .is_count = is_count, .nv = nv, .primary = s->primary,
	    .qids = (const char *const *)r->golden->qid, .judged = r->m.judged,
	    .nq = r->m.nq, .njudged = r->m.njudged, .stacks = rs,
	    .nstacks = r->m.nstacks, .deltas = deltas, .verdict = as->verdict,
	    .verdict_why = as->why, .rule = as->rule, .gates = rgates,
	    .ngates = as->ngates + as->nexps, .segs = rsegs,
	    .nsegs = as->nsegs, .il = ril, .ilsegs = rils,
	    .nilsegs = as->nilsegs, .il_setup = il_setup,
	    .an = an};
	if ((rpath = pf_path_join(s->out_dir, s->results)) == NULL)
		goto nomem;
	if ((rc = pf_atomic_open(&af[naf], rpath, err)) != PF_OK)
		goto done;
	naf++;
	if ((rc = pf_results_write_json(&res, af[naf - 1].f, err)) != PF_OK)
		goto done;
	/* report.html */
	time_t now = time(NULL);
	char stamp[32];
	strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%SZ", gmtime(&now));
	for (size_t k = 0; k < r->m.nstacks; k++) {
		if ((sl[k] = stages_line(&s->stacks[k])) == NULL)
			goto nomem;
		repst[k] = (pf_rep_stack){r->m.stacks[k].id, r->m.stacks[k].name,
		    sl[k], NULL, as->judged[k]};
		for (size_t q = 0; q < r->m.nq; q++)
			pvals[k * r->m.nq + q] = r->m.judged[q] && r->m.primary >= 0 ?
			    r->m.stacks[k].values[q * nv + (size_t)r->m.primary] :
			    NAN;
	}
	if ((rc = fill_tops(r, &top_id, &top_grade, err)) != PF_OK)
		goto done;
	for (size_t i = 0; i < in.n; i++) {
		ipath[i] = in.v[i].path;
		isha[i] = in.v[i].sha256;
	}
	char golden[512];
	snprintf(golden, sizeof(golden), "%s%s%s", s->golden_name ?
	    s->golden_name : "", s->golden_name ? ", " : "", s->golden_dir);
	pf_report rep = {.title = s->name, .scenario = s->path,
	    .scenario_sha256 = sha, .version = PF_VERSION, .generated = stamp,
	    .command = cmdline, .seed = s->seed,
	    .threads = omp_get_max_threads(), .seconds = secs,
	    .verdict = as->verdict, .verdict_why = as->why, .rule = as->rule,
	    .golden = golden, .stacks = repst, .nstacks = r->m.nstacks,
	    .metrics = (const char *const *)names, .nmetrics = nv,
	    .primary = r->m.primary >= 0 ? (size_t)r->m.primary : 0,
	    .deltas = deltas, .beats = as->beats,
	    .qids = (const char *const *)r->golden->qid,
	    .qtext = (const char *const *)r->golden->text, .nq = r->m.nq,
	    .primary_values = pvals, .nmovers = 10,
	    .top_id = r->m.stacks[0].doc ? (const char *const *)top_id : NULL,
	    .top_grade = top_grade,
	    .gates = rgates,
	    .ngates = as->ngates + as->nexps, .segs = rsegs,
	    .nsegs = as->nsegs, .il = ril, .il_setup = il_setup,
	    .ilsegs = rils, .nilsegs = as->nilsegs, .il_biased = as->il != NULL &&
	    pf_il_method_biased(as->il_opts.method),
	    .il_rescaled = as->il_rescaled,
	    .method = as->method,
	    .input_path = ipath, .input_sha256 = isha, .ninputs = in.n,
	    .an = an};
	if ((hpath = pf_path_join(s->out_dir, s->report)) == NULL ||
	    (jpath = pf_path_join(s->out_dir, s->junit)) == NULL)
		goto nomem;
	if ((rc = pf_atomic_open(&af[naf], hpath, err)) != PF_OK)
		goto done;
	naf++;
	if (nt > 0 && (rc = pf_report_write_html(&rep, af[naf - 1].f, err)) !=
	    PF_OK)
		goto done;
	if ((rc = pf_atomic_open(&af[naf], jpath, err)) != PF_OK)
		goto done;
	naf++;
	if ((rc = write_junit(af[naf - 1].f, s, r, as, stamp, secs, sha,
	    err)) != PF_OK)
		goto done;
	/* Everything written: now replace the old outputs. */
	for (size_t i = 0; i < naf; i++)
		if ((rc = pf_atomic_commit(&af[i], err)) != PF_OK)
			goto done;
	rc = PF_OK;
	goto done;
nomem:
	rc = pf_err_set(err, PF_ENOMEM, NULL, 0, "out of memory");
done:
	for (size_t i = 0; af != NULL && i < naf; i++)
		pf_atomic_abort(&af[i]);
	free(af);
	for (size_t i = 0; names != NULL && i < nv; i++)
		free(names[i]);
	free(names);
	free(is_count);
	for (size_t k = 0; stg != NULL && k < r->m.nstacks; k++) {
		for (size_t i = 0; stg[k] != NULL && i < s->stacks[k].nstages;
		    i++) {
			free((void *)stg[k][i].keys);
			free((void *)stg[k][i].values);
		}
		free(stg[k]);
	}
	free(stg);
	for (size_t k = 0; runpaths != NULL && k < r->m.nstacks; k++)
		free(runpaths[k]);
	free(runpaths);
	free(rs);
	for (size_t i = 0; i < nown; i++)
		free(owned[i]);
	free(owned);
	free(in.v);
	free(rpath);
	free(hpath);
	free(jpath);
	free(deltas);
	free(rgates);
	free(rsegs);
	free(ril);
	free(rils);
	free(top_id);
	free(top_grade);
	free(repst);
	for (size_t k = 0; sl != NULL && k < r->m.nstacks; k++)
		free(sl[k]);
	free(sl);
	free(pvals);
	free(ipath);
	free(isha);
	free(lqnames);
	return rc;
}


void
pf_outputs_print_verdict(const pf_replay *r, const pf_assess *as)
{
	const pf_scenario *s = r->scn;

	if (r->m.nstacks > 1) {
		size_t pi = r->m.primary >= 0 ? (size_t)r->m.primary : 0;
		for (size_t k = 1; k < r->m.nstacks; k++) {
			const pf_cmp *c = &as->cmp[(k - 1) * r->m.nv + pi];
			printf("%s vs %s, %s: %+.4f [95%% CI %+.4f, "
			    "%+.4f], p=%.4f (Holm %.4f), W/L/T "
			    "%zu/%zu/%zu\n", r->m.stacks[k].id,
			    r->m.stacks[0].id, s->primary, c->delta,
			    c->lo, c->hi, c->p_perm,
			    as->p_adj[(k - 1) * r->m.nv + pi], c->wins,
			    c->losses, c->ties);
		}
	}
	for (size_t k = 1; as->il != NULL && k < r->m.nstacks; k++)
		printf("interleaving (%s) %s vs %s: delta %+.4f [95%% CI %+.4f, "
		    "%+.4f], preference for %s %.4f\n",
		    pf_il_method_name(as->il_opts.method), r->m.stacks[k].id,
		    r->m.stacks[0].id, as->il[k - 1].delta, as->il[k - 1].delta_lo,
		    as->il[k - 1].delta_hi, r->m.stacks[k].id,
		    as->il[k - 1].p_pref);
	for (size_t i = 0; i < as->nexps; i++)
		if (as->exps[i].status != PF_GATE_PASS)
			printf("expectation %s: %s — %s\n", as->exps[i].name,
			    as->exps[i].status == PF_GATE_FAIL ? "FAIL" :
			    "skipped", as->exps[i].message);
	for (size_t i = 0; i < as->ngates; i++)
		printf("gate %s: %s — %s\n", as->gates[i].name,
		    as->gates[i].status == PF_GATE_PASS ? "pass" :
		    as->gates[i].status == PF_GATE_FAIL ? "FAIL" :
		    as->gates[i].status == PF_GATE_SKIP ? "skipped" :
		    "error", as->gates[i].message);
	printf("VERDICT: %s — %s\n", as->verdict, as->why);
}

int
pf_outputs_export_features(const pf_replay *r, const char *stack,
    const char *path, pf_err *err)
{
	const pf_golden *g = r->golden;
	pf_atomic_file af = {0};
	long k = -1;
	int rc;

	for (size_t i = 0; i < r->m.nstacks; i++)
		if (stack == NULL ? i == 0 : strcmp(r->m.stacks[i].id, stack) == 0)
			k = (long)i;
	if (k < 0)
		return pf_err_set(err, PF_EINVAL, NULL, 0, "--export-stack: no "
		    "stack '%s'", stack);
	const pf_stack_result *s = &r->m.stacks[k];
	if ((rc = pf_atomic_open(&af, path, err)) != PF_OK)
		return rc;
	fprintf(af.f, "# preflight %s: features of stack '%s' (scenario %s), "
	    "its final candidates per query; grade from the golden set (0 when "
	    "unjudged or negative)\n", PF_VERSION, s->id, r->scn->name);
	for (size_t q = 0; q < r->m.nq; q++) {
		const pf_feats *f = &r->feats[k][q];
		for (size_t i = 0; i < s->n[q]; i++) {
			const char *id = pf_golden_docid(g, s->doc[q][i]);
			int32_t grade = 0;
			if (g->topic[q] >= 0) {
				size_t len = strlen(id), t = (size_t)g->topic[q];
				long p = pf_qrels_find(g->qrels, t, id, len,
				    pf_hash_bytes(id, len));
				if (p >= 0 && pf_qrels_pair(g->qrels, t,
				    (size_t)p)->grade_int > 0)
					grade = pf_qrels_pair(g->qrels, t,
					    (size_t)p)->grade_int;
			}
			fprintf(af.f, "%d qid:%s", grade, g->qid[q]);
			for (size_t j = 0; f->x32 != NULL && j < f->nf; j++) {
				size_t o = (size_t)r->row[k][q][i] * f->nf + j;
				float v = f->x32[o];
				if (v != v)	/* absent features are left out */
					continue;
				/* the parsed double when kept, else the float;
				   the shortest text that reads back the same */
				double d = f->x64 != NULL ? f->x64[o] : (double)v;
				char num[40];
				for (int prec = 6; prec <= 17; prec++) {
					snprintf(num, sizeof(num), "%.*g", prec, d);
					if (f->x64 != NULL ? strtod(num, NULL) == d :
					    strtof(num, NULL) == v)
						break;
				}
				fprintf(af.f, " %zu:%s", j + (size_t)f->base, num);
			}
			fprintf(af.f, " # %s\n", id);
		}
	}
	if (ferror(af.f)) {
		pf_atomic_abort(&af);
		return pf_err_set(err, PF_EIO, path, 0, "write error");
	}
	return pf_atomic_commit(&af, err);
}
