/*
 * harness/check/probe_names.c — the probe's features by file id and name
 * (probe.h): column j is file id j + first; its name comes from the names
 * file (--names) when it names the id, else from the model's own feature
 * names. The two are compared and disagreements are a warning on stderr,
 * as `preflight run` warns. Monotone expectations name a file id or a
 * feature name and are resolved here to the model's columns.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness/check/probe_internal.h"
#include "harness/load/featnames.h"
#include "harness/util/diags.h"
#include "reports/featname.h"

const char *
pf_probe_label(const pf_probe_report *r, size_t j, char *buf, size_t sz)
{
	return pf_feat_label(buf, sz, r->fname != NULL ? r->fname[j] : NULL,
	    (long)j + r->first);
}

/* The model's names by file id, or NULL (none, or out of memory: then
   the names are only not shown). */
static pf_fnames *
model_names(const pf_gbdt *m, const char *path, long first, size_t w)
{
	pf_fnames *t;

	if (m == NULL || pf_gbdt_feature_name(m, 0) == NULL ||
	    (t = pf_fnames_new(path)) == NULL)
		return NULL;
	for (size_t j = 0; j < w; j++) {
		const char *nm = pf_gbdt_feature_name(m, j);
		if (nm != NULL && pf_fnames_add(t, (long)j + first, nm,
		    strlen(nm), 0, 0) != 0) {
			pf_fnames_free(t);
			return NULL;
		}
	}
	return t;
}

/* Monotone expectation k into a column of r. */
static int
resolve_mono(pf_probe_report *r, const pf_probe_mono *pm,
    const pf_fnames *file, const pf_fnames *model, pf_probe_monores *out,
    pf_err *err)
{
	long id = pm->id, last = r->first + (long)r->nfeat - 1;

	if (pm->name != NULL) {
		if ((id = pf_fnames_id(file, pm->name)) < 0)
			id = pf_fnames_id(model, pm->name);
		if (id < 0)
			return pf_err_set(err, PF_EDATA, pm->origin, 0, "monotone "
			    "feature '%s': no feature has that name (%s)",
			    pm->name, file == NULL && model == NULL ? "no "
			    "names: give --names FILE, or a feature id" :
			    "neither in the names file nor in the model");
	}
	if (id < r->first || id > last)
		return pf_err_set(err, PF_EDATA, pm->origin, 0, "monotone "
		    "feature f%ld: the model reads file feature ids "
		    "%ld..%ld (%zu features, first-feature %ld)", id,
		    r->first, last, r->nfeat, r->first);
	out->feat = (size_t)(id - r->first);
	out->dir = pm->dir > 0 ? 1 : -1;
	out->origin = pm->origin;
	return PF_OK;
}

int
pf_probe__names(pf_probe_report *r, const pf_gbdt *m, const char *path,
    const pf_probe_opts *o, pf_err *err)
{
	pf_fnames *file = NULL, *model = model_names(m, path, r->first,
	    r->nfeat);
	int rc = PF_OK;

	if (o->names != NULL &&
	    (rc = pf_featnames_load(&file, o->names, err)) != PF_OK)
		goto done;
	if (file != NULL && model != NULL) {
		pf_diags *d = calloc(1, sizeof(*d));
		if (d != NULL) {
			pf_fnames_warn(d, model, file);
			for (size_t i = 0; i < d->n; i++)
				fprintf(stderr, "preflight: warning: %s\n",
				    d->msg[i]);
		}
		free(d);
	}
	if ((file != NULL || model != NULL) &&
	    (r->fname = calloc(r->nfeat + 1, sizeof(*r->fname))) == NULL)
		goto nomem;
	for (size_t j = 0; r->fname != NULL && j < r->nfeat; j++) {
		long id = (long)j + r->first;
		const char *nm = pf_fnames_get(file, id);
		if (nm == NULL)
			nm = pf_fnames_get(model, id);
		if (nm != NULL && (r->fname[j] = strdup(nm)) == NULL)
			goto nomem;
	}
	for (size_t k = 0; k < o->nmono; k++)
		if ((rc = resolve_mono(r, &o->mono[k], file, model,
		    &r->mono[k], err)) != PF_OK)
			goto done;
	r->nmono = o->nmono;
	goto done;
nomem:
	rc = pf_err_set(err, PF_ENOMEM, NULL, 0, "out of memory");
done:
	pf_fnames_free(file);
	pf_fnames_free(model);
	return rc;
}
