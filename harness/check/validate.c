/*
 * harness/check/validate.c — see validate.h. The qrels are read with
 * pf_qrels_load_opts keeping duplicates and listing every malformed line:
 * a duplicate is a rule failure to count and list, not a reading error.
 * The other files go through the golden-set loaders (harness/load/golden.c).
 * The rules (validate_rules.c) read one table of the judgments in file
 * order, made here from a loaded pf_qrels however it was loaded (a qrels
 * file, a candidate file's grades, or `preflight run`'s golden set).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "harness/util/grow.h"
#include "harness/load/golden.h"
#include "harness/load/qrels.h"
#include "harness/load/scenario.h"
#include "harness/util/strtab.h"
#include "harness/check/validate.h"
#include "harness/util/fileio.h"
#include "harness/check/validate_rules.h"
#include "harness/check/features.h"
#include "metrics/labelq.h"

static int
is_dir(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

static char *
existing(const char *dir, const char *name)
{
	char *p = pf_path_join(dir, name);
	struct stat st;

	if (p != NULL && stat(p, &st) != 0) {
		free(p);
		return NULL;
	}
	return p;
}

/* The scenario-shaped description of a golden folder's files. */
static int
from_folder(pf_validation *v, const char *dir, pf_diags *d)
{
	pf_scenario *s = &v->own;

	s->path = (char *)dir;
	s->golden_dir = (char *)dir;
	s->queries = existing(dir, "queries.tsv");
	s->docs = existing(dir, "docs.tsv");
	s->qrels = existing(dir, "qrels.txt");
	s->expectations = existing(dir, "expectations.tsv");
	s->agg = PF_AGG_MEDIAN;
	if (s->qrels == NULL) {
		pf_diags_add(d, dir, 0, "no qrels.txt in the golden folder "
		    "(a scenario can name other files)");
		return 1;
	}
	return 0;
}

void
pf_validation_free(pf_validation *v)
{
	if (v == NULL)
		return;
	pf_golden_free(v->own_g);
	pf_scenario_free(v->scn);
	free(v->own.queries);
	free(v->own.docs);
	free(v->own.qrels);
	free(v->own.expectations);
	pf_strtab_free(v->tq);
	pf_strtab_free(v->ta);
	pf_strtab_free(v->td);
	free(v->j);
	free(v->grades);
	free(v->gcount);
	pf_labelq_free(&v->lq);
	pf_fcheck_free(v->fcheck);
	free(v->target);
	free(v);
}

static pf_validation *
validation_new(const char *target, const pf_validate_opts *o)
{
	pf_validation *v;

	if ((v = calloc(1, sizeof(*v))) == NULL)
		return NULL;
	v->opts = *o;
	if ((v->target = strdup(target)) == NULL ||
	    (v->tq = pf_strtab_new()) == NULL ||
	    (v->ta = pf_strtab_new()) == NULL ||
	    (v->td = pf_strtab_new()) == NULL) {
		pf_validation_free(v);
		return NULL;
	}
	return v;
}

/* Id of string s in t, interned when *id < 0; -1: out of memory. */
static long
id_of(long *id, pf_strtab *t, const char *s)
{
	if (*id < 0)
		*id = pf_strtab_intern(t, s, strlen(s));
	return *id;
}

/*
 * The rules' ids for v->j[0..n), which hold qrels ids (q: topic, a:
 * annotator, item: pair numbered through poff): qids, annotators and
 * docids interned into tq, ta and td, and items numbered, as a reader of
 * the file meets them. -1: out of memory.
 */
static int
renumber(pf_validation *v, const pf_qrels *q, const size_t *poff, size_t n)
{
	size_t nt = pf_qrels_ntopics(q), na = pf_qrels_nannotators(q);
	size_t np = poff[nt];
	long *tid = malloc((nt + na + 2 * np + 1) * sizeof(*tid));
	long *aid = tid + nt, *item = aid + na, *did = item + np;
	int rc = -1;

	if (tid == NULL)
		return -1;
	for (size_t i = 0; i < nt + na + 2 * np; i++)
		tid[i] = -1;
	for (size_t i = 0; i < n; i++) {
		vjudg *j = &v->j[i];
		size_t t = j->q, p = j->item;
		if (id_of(&tid[t], v->tq, pf_qrels_qid(q, t)) < 0 ||
		    id_of(&aid[j->a], v->ta, pf_qrels_annotator(q, j->a)) < 0 ||
		    id_of(&did[p], v->td, pf_qrels_pair(q, t, p - poff[t])->
		    docid) < 0)
			goto done;
		if (item[p] < 0)
			item[p] = (long)v->nitems++;
		*j = (vjudg){(uint32_t)tid[t], (uint32_t)aid[j->a],
		    (uint32_t)did[p], (uint32_t)item[p], j->grade, j->line,
		    j->dup_of};
	}
	rc = 0;
done:
	free(tid);
	return rc;
}

/*
 * v's table from q: its judgments and the duplicates a keep_duplicates
 * load listed, in file order (by line; each line holds one judgment),
 * then renumbered. -1: out of memory.
 */
static int
table_from_qrels(pf_validation *v, const pf_qrels *q)
{
	size_t nt = pf_qrels_ntopics(q), nd = pf_qrels_nduplicates(q);
	size_t *poff = malloc((nt + 1) * sizeof(*poff)), nline = 0, n = 0;
	vjudg *at = NULL;
	int rc = -1;

	if (poff == NULL)
		return -1;
	poff[0] = 0;
	for (size_t t = 0; t < nt; t++) {
		poff[t + 1] = poff[t] + pf_qrels_npairs(q, t);
		for (size_t i = 0; i < pf_qrels_npairs(q, t); i++) {
			const pf_pair *p = pf_qrels_pair(q, t, i);
			for (uint32_t k = 0; k < p->nj; k++) {
				uint32_t l = pf_qrels_judgment(q, p->j0 + k)->line;
				nline = l > nline ? l : nline;
			}
		}
	}
	for (size_t i = 0; i < nd; i++)
		if (pf_qrels_duplicate(q, i)->line > nline)
			nline = pf_qrels_duplicate(q, i)->line;
	if ((at = calloc(nline ? nline : 1, sizeof(*at))) == NULL)
		goto done;
	for (size_t t = 0; t < nt; t++)
		for (size_t i = 0; i < pf_qrels_npairs(q, t); i++) {
			const pf_pair *p = pf_qrels_pair(q, t, i);
			for (uint32_t k = 0; k < p->nj; k++) {
				const pf_judgment *j = pf_qrels_judgment(q,
				    p->j0 + k);
				at[j->line - 1] = (vjudg){(uint32_t)t,
				    j->annotator, 0, (uint32_t)(poff[t] + i),
				    j->grade, j->line, 0};
			}
		}
	for (size_t i = 0; i < nd; i++) {
		const pf_qrels_dup *d = pf_qrels_duplicate(q, i);
		at[d->line - 1] = (vjudg){d->topic, d->annotator, 0,
		    (uint32_t)(poff[d->topic] + d->pair), d->grade, d->line,
		    d->first_line};
	}
	for (size_t l = 0; l < nline; l++)	/* lines without a judgment */
		if (at[l].line != 0)
			at[n++] = at[l];
	v->j = at;
	v->nj = n;
	v->ndup = nd;
	at = NULL;
	rc = renumber(v, q, poff, n);
done:
	free(at);
	free(poff);
	return rc;
}

/*
 * s's qrels into *out, duplicates kept and every reading problem in d
 * (*out NULL then). -1: out of memory.
 */
static int
read_qrels(pf_qrels **out, const pf_scenario *s, pf_diags *d)
{
	pf_qrels_opts qo = {.mode = PF_QRELS_ANNOTATORS, .agg = s->agg,
	    .keep_duplicates = 1, .diags = d};
	pf_err err = {0};
	size_t n0 = d->n + d->dropped;
	int rc = pf_qrels_load_opts(out, s->qrels, &qo, &err);

	if (rc == PF_ENOMEM)
		return -1;
	if (rc != PF_OK && d->n + d->dropped == n0)	/* not a line's */
		pf_diags_add(d, s->qrels, 0, "%s", err.msg);
	return 0;
}

/* The corpus file alone, for its problems (into d). */
static void
check_corpus(const char *path, pf_diags *d)
{
	pf_corpus c = {0};
	pf_strtab *docs = pf_strtab_new();

	if (docs != NULL)
		(void)pf_corpus_load(&c, path, docs, d);
	pf_corpus_clear(&c);
	pf_strtab_free(docs);
}

/*
 * The rule feature-schema, when the golden folder has features.schema.tsv:
 * its candidate files checked against it (harness/check/features.h). -1
 * when the schema or a file cannot be read (the problem in d).
 */
static int
feature_rule(pf_validation *v, pf_diags *d)
{
	pf_err err = {0};
	vrule *r;

	if (pf_features_check_scenario(&v->fcheck, v->s, &err) != PF_OK) {
		pf_diags_add_err(d, &err);
		return -1;
	}
	if (v->fcheck == NULL)
		return 0;
	r = &v->rules[v->nrules++];
	memset(r, 0, sizeof(*r));
	r->id = "feature-schema";
	for (int k = 0; k < PF_FCHECK_NRULES; k++) {
		const pf_fcheck_rule *fr = &v->fcheck->rule[k];
		r->count += fr->count;
		for (size_t e = 0; e < fr->nex && r->nex < VR_EXAMPLES; e++)
			snprintf(r->ex[r->nex++], sizeof(r->ex[0]), "%s (%s)",
			    fr->ex[e], fr->id);
	}
	r->status = r->count > 0 ? VR_FAIL : VR_PASS;
	snprintf(r->msg, sizeof(r->msg), "%zu of %d feature rules failed "
	    "(%s, %zu candidate file%s: preflight features check)",
	    pf_fcheck_failed(v->fcheck), PF_FCHECK_NRULES, v->fcheck->schema,
	    v->fcheck->nfiles, v->fcheck->nfiles == 1 ? "" : "s");
	return 0;
}

int
pf_validate(pf_validation **out, const char *target,
    const pf_validate_opts *o, pf_diags *d)
{
	pf_validation *v;
	pf_qrels *q = NULL;
	pf_scenario sc;
	size_t n0 = d->n + d->dropped;
	int rc = PF_EFORMAT;

	*out = NULL;
	if ((v = validation_new(target, o)) == NULL)
		goto nomem;
	if (is_dir(target)) {
		if (from_folder(v, v->target, d) != 0)
			goto fail;
		v->s = &v->own;
	} else {
		struct stat st;
		if (stat(target, &st) != 0) {
			pf_diags_add(d, target, 0, "no such golden folder or "
			    "scenario file");
			goto fail;
		}
		if (pf_scenario_load(&v->scn, target, d) != PF_OK)
			goto fail;
		v->s = v->scn;
		v->scenario = 1;
	}
	if (v->s->qrels != NULL && read_qrels(&q, v->s, d) != 0)
		goto nomem;
	if (d->n + d->dropped != n0) {
		/* the qrels are bad: still read the other files, so every
		   bad file is reported, not only the first */
		pf_golden_spec gs;
		pf_golden *g = NULL;
		sc = *v->s;
		sc.qrels = NULL;
		pf_scenario_golden_spec(&sc, &gs);
		if (gs.queries != NULL)
			(void)pf_golden_load(&g, &gs, d);
		else if (gs.docs != NULL)	/* no queries: only the corpus */
			check_corpus(gs.docs, d);
		pf_golden_free(g);
		goto fail;
	}
	if (q != NULL && table_from_qrels(v, q) != 0)
		goto nomem;
	pf_qrels_free(q);
	q = NULL;
	/* The loaders check queries.tsv, docs.tsv and expectations; qrels
	   with duplicates are left out (pf_golden_load refuses them). */
	sc = *v->s;
	if (v->ndup > 0) {
		sc.qrels = NULL;
		if (sc.queries == NULL) {
			vnote(v, "queries and documents not checked: without "
			    "queries.tsv the judged topics are the queries, "
			    "and the qrels have duplicates");
			goto checks;
		}
	}
	pf_golden_spec gs;
	pf_scenario_golden_spec(&sc, &gs);
	if (pf_golden_load(&v->own_g, &gs, d) != PF_OK)
		goto fail;
	v->g = v->own_g;
	if (v->s->qrels == NULL && v->g->qrels != NULL &&
	    table_from_qrels(v, v->g->qrels) != 0)
		goto nomem;
checks:
	if (pf_vrules_run(v) != 0)
		goto nomem;
	if (feature_rule(v, d) != 0)
		goto fail;
	*out = v;
	return PF_OK;
nomem:
	pf_diags_add(d, target, 0, "out of memory");
	rc = PF_ENOMEM;
fail:
	pf_qrels_free(q);
	pf_validation_free(v);
	return rc;
}

int
pf_validate_golden(pf_validation **out, const char *target,
    const pf_scenario *s, const pf_golden *g, const pf_validate_opts *o)
{
	pf_validation *v;

	*out = NULL;
	if ((v = validation_new(target, o)) == NULL)
		return PF_ENOMEM;
	v->s = s;
	v->scenario = 1;
	v->g = g;
	if ((g->qrels != NULL && table_from_qrels(v, g->qrels) != 0) ||
	    pf_vrules_run(v) != 0) {
		pf_validation_free(v);
		return PF_ENOMEM;
	}
	*out = v;
	return PF_OK;
}

const pf_qrels *
pf_validation_qrels(const pf_validation *v)
{
	return v->g != NULL ? v->g->qrels : NULL;
}

size_t
pf_validation_failed(const pf_validation *v)
{
	size_t n = 0;

	for (size_t i = 0; i < v->nrules; i++)
		n += v->rules[i].status == VR_FAIL;
	return n;
}

int
pf_validation_reads(const pf_validation *v, const char *path)
{
	const char *f[] = {v->target, v->s->queries, v->s->docs, v->s->qrels,
	    v->s->expectations, v->s->labels, v->s->labels_qfile};

	for (size_t i = 0; i < sizeof(f) / sizeof(f[0]); i++)
		if (f[i] != NULL && pf_same_file(path, f[i]))
			return 1;
	return 0;
}
