/*
 * harness/history/record.c — what `preflight run` appends: the run's
 * report model (the one results.json is written from, with the same
 * inputs and their sha256), the top ten of every stack with scores, the
 * feature statistics of every stack that has features, the labels and the
 * goals; and the labels' parser (key=value, from a scenario's
 * labels="k=v;k=v" and each --label).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "harness/decide/files.h"
#include "harness/history/history.h"
#include "harness/util/grow.h"

void
pf_hist_labels_free(pf_hist_labels *l)
{
	for (size_t i = 0; i < l->n; i++) {
		free(l->v[i].key);
		free(l->v[i].value);
	}
	free(l->v);
	*l = (pf_hist_labels){0};
}

static int
key_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '-';
}

/* One "key=value" item of n bytes at s. */
static int
add_one(pf_hist_labels *l, const char *s, size_t n, const char *where,
    pf_err *err)
{
	const char *eq = memchr(s, '=', n);
	size_t nk = eq ? (size_t)(eq - s) : 0;
	char *k = NULL, *v = NULL;
	pf_hist_label *p;

	for (size_t i = 0; i < nk; i++)
		if (!key_char(s[i]))
			nk = 0;
	for (size_t i = 0; eq != NULL && i < n; i++)
		if ((unsigned char)s[i] < 0x20)
			nk = 0;
	if (nk == 0)
		return pf_err_set(err, PF_EINVAL, where, 0, "label '%.*s': "
		    "expected key=value (a key of letters, digits, '_', '.' "
		    "or '-'; no control characters)", (int)n, s);
	if ((k = strndup(s, nk)) == NULL || (v = strndup(eq + 1, n - nk -
	    1)) == NULL)
		goto nomem;
	for (size_t i = 0; i < l->n; i++)
		if (strcmp(l->v[i].key, k) == 0) {	/* given again: replaced */
			free(l->v[i].value);
			l->v[i].value = v;
			free(k);
			return PF_OK;
		}
	if ((p = pf_grow(l->v, &l->cap, l->n + 1, sizeof(*p))) == NULL)
		goto nomem;
	l->v = p;
	l->v[l->n++] = (pf_hist_label){k, v};
	return PF_OK;
nomem:
	free(k);
	free(v);
	return pf_err_set(err, PF_ENOMEM, NULL, 0, "out of memory");
}

int
pf_hist_labels_add(pf_hist_labels *l, const char *spec, char sep,
    const char *where, pf_err *err)
{
	const char *s = spec;
	int rc;

	if (sep == '\0')
		return add_one(l, s, strlen(s), where, err);
	while (*s != '\0') {
		size_t n = strcspn(s, (char[]){sep, '\0'});
		if (n > 0 && (rc = add_one(l, s, n, where, err)) != PF_OK)
			return rc;
		s += n + (s[n] != '\0');
	}
	return PF_OK;
}

/* The scores beside the report's top ten (nstacks x nq x PF_REP_TOPK). */
static double *
top_scores(const pf_measured *m)
{
	size_t n = m->nstacks * m->nq * PF_REP_TOPK;
	double *sc = calloc(n + 1, sizeof(*sc));

	for (size_t k = 0; sc != NULL && k < m->nstacks; k++)
		for (size_t q = 0; m->stacks[k].score != NULL && q < m->nq; q++)
			for (size_t i = 0; i < m->stacks[k].n[q] &&
			    i < PF_REP_TOPK; i++)
				sc[(k * m->nq + q) * PF_REP_TOPK + i] =
				    m->stacks[k].score[q][i];
	return sc;
}

/* Every stack's feature statistics, one after the other. */
static int
all_featstats(pf_hist_featstat **out, size_t *n, const pf_replay *r,
    pf_err *err)
{
	pf_hist_featstat *all = NULL, *f, *p;
	size_t nall = 0, nf;
	int rc = PF_OK;

	*out = NULL;
	*n = 0;
	for (size_t k = 0; r != NULL && r->feats != NULL && k < r->m.nstacks;
	    k++) {
		if ((rc = pf_hist_featstats(&f, &nf, r, k, err)) != PF_OK)
			break;
		if (nf > 0 && (p = pf_realloc_n(all, nall + nf,
		    sizeof(*all))) == NULL) {
			free(f);
			rc = pf_err_set(err, PF_ENOMEM, NULL, 0, "out of memory");
			break;
		}
		if (nf > 0) {
			all = p;
			memcpy(all + nall, f, nf * sizeof(*f));
			nall += nf;
		}
		free(f);
	}
	if (rc != PF_OK) {
		free(all);
		return rc;
	}
	*out = all;
	*n = nall;
	return PF_OK;
}

int
pf_history_append_run(pf_history *h, const pf_hist_source *src,
    int64_t *id_out, pf_err *err)
{
	const pf_outputs_cfg *cfg = src->cfg;
	const pf_scenario *s = cfg->scn;
	pf_inputs in = {0};
	pf_report rep;
	pf_report_parts *parts = NULL;
	pf_hist_featstat *fs = NULL;
	size_t nfs = 0;
	double *scores = NULL;
	char stamp[32];
	time_t now = time(NULL);
	int rc;

	*id_out = 0;
	strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%SZ", gmtime(&now));
	if ((rc = pf_inputs_collect(&in, cfg, 1, err)) != PF_OK ||
	    (rc = pf_report_build(&rep, &parts, cfg, src->o, in.v, in.n,
	    cfg->stamp ? cfg->stamp : stamp, err)) != PF_OK ||
	    (rc = all_featstats(&fs, &nfs, src->r, err)) != PF_OK)
		goto done;
	if ((scores = top_scores(src->o->m)) == NULL) {
		rc = pf_err_set(err, PF_ENOMEM, NULL, 0, "out of memory");
		goto done;
	}
	pf_hist_run run = {.rep = &rep, .top_score = scores,
	    .golden_name = s && s->golden_name ? s->golden_name : s ?
	    s->golden_dir : NULL, .fs = fs, .nfs = nfs,
	    .labels = src->labels, .nlabels = src->nlabels,
	    .goals = src->goals, .ngoals = src->ngoals,
	    .nexpectations = src->o->exps ? src->o->exps->n : 0,
	    .exit_code = src->exit_code, .time = rep.generated};
	rc = pf_history_append(h, &run, id_out, err);
done:
	free(scores);
	free(fs);
	pf_report_parts_free(parts);
	pf_inputs_free(&in);
	return rc;
}

/* Whether metric is a printed name of what r measures. */
static int
measured(const pf_replay *r, const char *metric)
{
	for (size_t v = 0; v < r->m.nv; v++) {
		char n[160];
		pf_te_value_name(r->m.spec, v, n, sizeof(n));
		if (strcmp(n, metric) == 0)
			return 1;
	}
	return 0;
}

int
pf_history_check(const pf_replay *r, pf_diags *d)
{
	const pf_scenario *s = r->scn;
	size_t n0 = d->n + d->dropped;

	for (size_t i = 0; i < s->ngoals; i++) {
		const pf_scn_goal *g = &s->goals[i];
		int known = g->stack == NULL;
		for (size_t k = 0; !known && k < s->nstacks; k++)
			known = strcmp(s->stacks[k].id, g->stack) == 0;
		if (!measured(r, g->metric))
			pf_diags_add(d, s->path, g->line, "goal: metric '%s' is "
			    "not among the metrics measured (a printed name, "
			    "e.g. '%s')", g->metric, r->m.primary_name);
		if (!known)
			pf_diags_add(d, s->path, g->line, "goal: no stack '%s'",
			    g->stack);
	}
	if (s->history_labels != NULL) {
		pf_hist_labels l = {0};
		pf_err err = {0};
		char where[300];
		snprintf(where, sizeof(where), "%s:%ld", s->path,
		    s->history_line);
		if (pf_hist_labels_add(&l, s->history_labels, ';', where,
		    &err) != PF_OK)
			pf_diags_add_err(d, &err);
		pf_hist_labels_free(&l);
	}
	return d->n + d->dropped == n0 ? PF_OK : PF_EFORMAT;
}
