/*
 * harness/check/validate.c — see validate.h. The qrels are scanned here rather
 * than through pf_qrels_load, which stops at the first duplicate: a
 * duplicate is a rule failure to count and list, not a reading error. The
 * other files go through the golden-set loaders (harness/load/golden.c).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "harness/util/grow.h"
#include "harness/util/fileio.h"
#include "harness/load/golden.h"
#include "harness/util/scan.h"
#include "harness/load/scenario.h"
#include "harness/util/strtab.h"
#include "harness/check/validate.h"
#include "harness/check/validate_rules.h"
#include "metrics/labelq.h"

/* A rater's judgments kept for agreement are those with grade >= 0
   (negative grades mean "pooled but unjudged", as in trec_eval). */
static int
load_table(pf_validation *v, const char *path, pf_diags *d)
{
	char *buf, *key = NULL;
	size_t len, lineno = 0, kcap = 0, cap = 0;
	pf_err err = {0};

	if (pf_read_file(&buf, &len, path, &err) != PF_OK) {
		pf_diags_add(d, path, 0, "%s", err.msg);
		return 0;
	}
	const char *p = buf, *end = buf + len;
	while (p < end) {
		const char *line, *le = pf_take_line(&p, end, &line), *f[4];
		size_t fl[4];
		long gr;

		lineno++;
		int nf = pf_split_ws(line, le, f, fl, 4);
		if (nf == 0 || f[0][0] == '#')
			continue;
		/* the messages of pf_qrels_load, which reads them in runs */
		if (nf != 4) {
			pf_diags_add(d, path, (long)lineno, "expected 4 fields "
			    "(qid annotator docid grade), got %d", nf);
			continue;
		}
		if (pf_parse_long(f[3], fl[3], INT32_MIN, INT32_MAX, &gr) != 0) {
			pf_diags_add(d, path, (long)lineno, "grade '%.*s' is "
			    "not an integer", (int)fl[3] > 40 ? 40 : (int)fl[3],
			    f[3]);
			continue;
		}
		size_t kl = fl[0] + fl[1] + fl[2] + 2;
		if (kl > kcap) {
			char *k = realloc(key, kcap = 2 * kl);
			if (k == NULL)
				goto nomem;
			key = k;
		}
		/* (qid, docid) names the item; + annotator, the judgment */
		memcpy(key, f[0], fl[0]);
		key[fl[0]] = '\x1f';
		memcpy(key + fl[0] + 1, f[2], fl[2]);
		size_t pl = fl[0] + 1 + fl[2];
		key[pl] = '\x1f';
		memcpy(key + pl + 1, f[1], fl[1]);
		if (v->nj == cap) {
			cap = cap ? 2 * cap : 1024;
			vjudg *j = realloc(v->j, cap * sizeof(*j));
			if (j == NULL)
				goto nomem;
			v->j = j;
		}
		vjudg *j = &v->j[v->nj];
		size_t nk = pf_strtab_count(v->tkey);
		long q = pf_strtab_intern(v->tq, f[0], fl[0]);
		long a = pf_strtab_intern(v->ta, f[1], fl[1]);
		long dd = pf_strtab_intern(v->td, f[2], fl[2]);
		long it = pf_strtab_intern(v->tpair, key, pl);
		long k = pf_strtab_intern(v->tkey, key, kl);
		if (q < 0 || a < 0 || dd < 0 || it < 0 || k < 0)
			goto nomem;
		*j = (vjudg){(uint32_t)q, (uint32_t)a, (uint32_t)dd,
		    (uint32_t)it, (int32_t)gr, (uint32_t)lineno, 0};
		v->nitems = pf_strtab_count(v->tpair);
		if ((size_t)k == nk) {	/* a new key: remember its line */
			if (nk == v->keycap) {
				v->keycap = v->keycap ? 2 * v->keycap : 1024;
				uint32_t *fl1 = realloc(v->keyline, v->keycap *
				    sizeof(*fl1));
				if (fl1 == NULL)
					goto nomem;
				v->keyline = fl1;
			}
			v->keyline[nk] = (uint32_t)lineno;
		} else {
			j->dup_of = v->keyline[k];
		}
		v->nj++;
	}
	free(key);
	free(buf);
	return 0;
nomem:
	free(key);
	free(buf);
	return -1;
}

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
	pf_golden_free(v->g);
	pf_scenario_free(v->scn);
	free(v->own.queries);
	free(v->own.docs);
	free(v->own.qrels);
	free(v->own.expectations);
	pf_strtab_free(v->tq);
	pf_strtab_free(v->ta);
	pf_strtab_free(v->td);
	pf_strtab_free(v->tkey);
	pf_strtab_free(v->tpair);
	free(v->j);
	free(v->keyline);
	free(v->grades);
	free(v->gcount);
	pf_labelq_free(&v->lq);
	free(v->target);
	free(v);
}

/* Judgments of a qrels built by the loader (grades from candidates). */
static int
table_from_qrels(pf_validation *v, const pf_qrels *q)
{
	size_t cap = 0;

	for (size_t t = 0; t < pf_qrels_ntopics(q); t++) {
		const char *qid = pf_qrels_qid(q, t);
		long qi = pf_strtab_intern(v->tq, qid, strlen(qid));
		for (size_t i = 0; i < pf_qrels_npairs(q, t); i++) {
			const pf_pair *p = pf_qrels_pair(q, t, i);
			long di = pf_strtab_intern(v->td, p->docid,
			    p->docid_len);
			long it = (long)v->nitems++;
			if (qi < 0 || di < 0)
				return -1;
			for (uint32_t k = 0; k < p->nj; k++) {
				const pf_judgment *j = pf_qrels_judgment(q,
				    p->j0 + k);
				const char *an = pf_qrels_annotator(q,
				    j->annotator);
				long ai = pf_strtab_intern(v->ta, an,
				    strlen(an));
				if (ai < 0)
					return -1;
				if (v->nj == cap) {
					cap = cap ? 2 * cap : 1024;
					vjudg *n = realloc(v->j, cap *
					    sizeof(*n));
					if (n == NULL)
						return -1;
					v->j = n;
				}
				v->j[v->nj++] = (vjudg){(uint32_t)qi,
				    (uint32_t)ai, (uint32_t)di, (uint32_t)it,
				    j->grade, j->line, 0};
			}
		}
	}
	return 0;
}

int
pf_validate(pf_validation **out, const char *target,
    const pf_validate_opts *o, pf_diags *d)
{
	pf_validation *v;
	pf_scenario sc;
	size_t n0 = d->n + d->dropped;
	int rc = PF_EFORMAT;

	*out = NULL;
	if ((v = calloc(1, sizeof(*v))) == NULL ||
	    (v->target = strdup(target)) == NULL ||
	    (v->tq = pf_strtab_new()) == NULL ||
	    (v->ta = pf_strtab_new()) == NULL ||
	    (v->td = pf_strtab_new()) == NULL ||
	    (v->tkey = pf_strtab_new()) == NULL ||
	    (v->tpair = pf_strtab_new()) == NULL)
		goto nomem;
	v->opts = *o;
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
	}
	if (v->s->qrels != NULL && load_table(v, v->s->qrels, d) != 0)
		goto nomem;
	if (d->n + d->dropped != n0)
		goto fail;
	for (size_t i = 0; i < v->nj; i++)
		v->ndup += v->j[i].dup_of != 0;
	/* The loaders check queries.tsv, docs.tsv and expectations; qrels
	   with duplicates are left out (pf_qrels_load refuses them). */
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
	if (pf_golden_load(&v->g, &gs, d) != PF_OK)
		goto fail;
	if (v->s->qrels == NULL && table_from_qrels(v, v->g->qrels) != 0)
		goto nomem;
checks:
	if (pf_vrules_run(v) != 0)
		goto nomem;
	*out = v;
	return PF_OK;
nomem:
	pf_diags_add(d, target, 0, "out of memory");
	rc = PF_ENOMEM;
fail:
	pf_validation_free(v);
	return rc;
}

size_t
pf_validation_failed(const pf_validation *v)
{
	size_t n = 0;

	for (size_t i = 0; i < v->nrules; i++)
		n += v->rules[i].status == VR_FAIL;
	return n;
}
