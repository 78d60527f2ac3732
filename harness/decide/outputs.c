/*
 * harness/decide/outputs.c — everything `preflight run` and `preflight
 * compare` write: results.json, report.html, junit.xml and the TREC runs,
 * all to temporary names renamed only when every one is complete.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "harness/decide/files.h"
#include "harness/decide/outputs.h"
#include "harness/util/fileio.h"
#include "harness/util/grow.h"
#include "reports/html.h"
#include "reports/results.h"

static int
write_run(FILE *f, const char *path, const pf_measured *m, size_t k,
    pf_err *err)
{
	const pf_stack_result *s = &m->stacks[k];

	for (size_t q = 0; q < m->nq; q++)
		for (size_t i = 0; s->doc != NULL && i < s->n[q]; i++)
			fprintf(f, "%s Q0 %s %zu %.17g %s\n", m->golden->qid[q],
			    pf_golden_docid(m->golden, s->doc[q][i]), i + 1,
			    s->score[q][i], s->id);
	if (ferror(f))
		return pf_err_set(err, PF_EIO, path, 0, "write error");
	return PF_OK;
}

/* Opens path's temporary file as the next of af. */
static int
open_next(pf_atomic_file *af, size_t *naf, const char *path, pf_err *err)
{
	int rc = pf_atomic_open(&af[*naf], path, err);

	if (rc == PF_OK)
		(*naf)++;
	return rc;
}

/* The files, each to a temporary name; committed by the caller. */
static int
write_all(pf_atomic_file *af, size_t *naf, const pf_outputs_cfg *cfg,
    const pf_outcome *o, const pf_report *rep, pf_err *err)
{
	char *path = NULL;
	int rc;

	for (size_t k = 0; k < rep->nstacks && rep->stacks[k].run; k++) {
		const char *p = rep->stacks[k].run;
		if ((rc = open_next(af, naf, p, err)) != PF_OK ||
		    (rc = write_run(af[*naf - 1].f, p, o->m, k, err)) != PF_OK)
			return rc;
	}
	if ((path = pf_path_join(cfg->dir, cfg->results)) == NULL)
		goto nomem;
	if ((rc = open_next(af, naf, path, err)) != PF_OK ||
	    (rc = pf_results_write_json(rep, af[*naf - 1].f, err)) != PF_OK)
		goto done;
	free(path);
	if ((path = pf_path_join(cfg->dir, cfg->report)) == NULL)
		goto nomem;
	if ((rc = open_next(af, naf, path, err)) != PF_OK ||
	    (rep->nstacks > 1 && (rc = pf_report_write_html(rep,
	    af[*naf - 1].f, err)) != PF_OK))
		goto done;
	free(path);
	if ((path = cfg->junit_path ? strdup(cfg->junit_path) :
	    pf_path_join(cfg->dir, cfg->junit)) == NULL)
		goto nomem;
	if ((rc = open_next(af, naf, path, err)) != PF_OK)
		goto done;
	rc = pf_outputs_junit(af[*naf - 1].f, cfg, o, rep->generated,
	    rep->scenario_sha256, err);
	goto done;
nomem:
	rc = pf_err_set(err, PF_ENOMEM, NULL, 0, "out of memory");
done:
	free(path);
	return rc;
}

int
pf_outputs_write(const pf_outputs_cfg *cfg, const pf_outcome *o,
    pf_err *err)
{
	pf_inputs in = {0};
	pf_atomic_file *af;
	size_t naf = 0;
	pf_report rep;
	pf_report_parts *parts = NULL;
	char stamp[32];
	time_t now = time(NULL);
	int rc;

	af = calloc(o->m->nstacks + 3 + cfg->nextra, sizeof(*af));
	for (size_t i = 0; i < cfg->nextra; i++) {	/* taken: ours now */
		if (af != NULL)
			af[naf++] = cfg->extra[i];
		else
			pf_atomic_abort(&cfg->extra[i]);
		memset(&cfg->extra[i], 0, sizeof(cfg->extra[i]));
	}
	if (af == NULL)
		return pf_err_set(err, PF_ENOMEM, NULL, 0, "out of memory");
	strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%SZ", gmtime(&now));
	if ((rc = pf_inputs_collect(&in, cfg, 1, err)) != PF_OK ||
	    (rc = pf_mkdirs(cfg->dir, err)) != PF_OK ||
	    (rc = pf_report_build(&rep, &parts, cfg, o, in.v, in.n,
	    cfg->stamp ? cfg->stamp : stamp, err)) != PF_OK ||
	    (rc = write_all(af, &naf, cfg, o, &rep, err)) != PF_OK)
		goto done;
	/* Everything written: now replace the old outputs, all or none. */
	rc = pf_atomic_commit_all(af, naf, err);
	naf = 0;
done:
	for (size_t i = 0; i < naf; i++)
		pf_atomic_abort(&af[i]);
	free(af);
	pf_report_parts_free(parts);
	pf_inputs_free(&in);
	return rc;
}

int
pf_outputs_write_junit(const pf_outputs_cfg *cfg, const pf_outcome *o,
    pf_err *err)
{
	pf_atomic_file af[5] = {{0}};
	size_t naf = 1;
	char stamp[32];
	time_t now = time(NULL);
	int rc = PF_OK;

	/* the extras are ours now, written or not */
	for (size_t i = 0; i < cfg->nextra; i++) {
		if (naf < 5)
			af[naf++] = cfg->extra[i];
		else
			pf_atomic_abort(&cfg->extra[i]);
		memset(&cfg->extra[i], 0, sizeof(cfg->extra[i]));
	}
	strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%SZ", gmtime(&now));
	if (cfg->junit_path != NULL &&
	    (rc = pf_atomic_open(&af[0], cfg->junit_path, err)) == PF_OK)
		rc = pf_outputs_junit(af[0].f, cfg, o, stamp, "", err);
	if (rc == PF_OK)	/* junit.xml (when asked) and the extras */
		rc = pf_atomic_commit_all(af + (cfg->junit_path == NULL),
		    naf - (cfg->junit_path == NULL), err);
	for (size_t i = 0; i < naf; i++)
		pf_atomic_abort(&af[i]);
	return rc;
}
