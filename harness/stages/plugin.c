/*
 * harness/stages/plugin.c — the plugin stage: a shared object with the C ABI
 * of harness/stages/plugin_abi.h scores each query's candidates from their
 * features (float32, file feature id j + 1 at column j, NaN when absent).
 * The ABI is dense: features a file keeps remapped (stage.h) are widened
 * per query to its largest id, n x that id floats of scratch — a file of
 * hashed ids costs a plugin what the ABI implies.
 * Parameters: lib (path), params="k=v;k=v" passed to the plugin's open.
 */
#define _DEFAULT_SOURCE	/* dlopen flags */
#include <dlfcn.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness/stages/plugin_abi.h"
#include "harness/stages/stage.h"

typedef struct plug {
	void			*so;
	const pf_plugin_api	*api;
	void			*h;
	char			 lib[4096];
} plug;

static void
plug_close(void *st)
{
	plug *s = st;

	if (s == NULL)
		return;
	if (s->h != NULL && s->api != NULL && s->api->close != NULL)
		s->api->close(s->h);
	if (s->so != NULL)
		dlclose(s->so);
	free(s);
}

static int
plug_open(void **out, const pf_stage_cfg *cfg, pf_err *err)
{
	char path[4096], perr[512] = "";
	const pf_param *pp = pf_stage_param(cfg, "params");
	char *kv = NULL, *keys[64], *vals[64];
	size_t n = 0;
	plug *s;
	int rc;

	*out = NULL;
	if ((rc = pf_stage_need(cfg, "plugin", "lib", err)) != PF_OK ||
	    (rc = pf_stage_path(cfg, "lib", path, sizeof(path), err)) != PF_OK)
		return rc;
	if ((s = calloc(1, sizeof(*s))) == NULL)
		return pf_err_set(err, PF_ENOMEM, NULL, 0, "out of memory");
	snprintf(s->lib, sizeof(s->lib), "%s", path);
	if ((s->so = dlopen(path, RTLD_NOW | RTLD_LOCAL)) == NULL) {
		rc = pf_err_set(err, PF_EINVAL, path, 0, "cannot load the plugin: "
		    "%s", dlerror());
		goto fail;
	}
	pf_plugin_entry_fn entry;
	*(void **)&entry = dlsym(s->so, "pf_plugin_entry");
	if (entry == NULL) {
		rc = pf_err_set(err, PF_EINVAL, path, 0, "not a preflight "
		    "plugin: no symbol pf_plugin_entry");
		goto fail;
	}
	s->api = entry();
	if (s->api == NULL || s->api->abi != PF_PLUGIN_ABI) {
		rc = pf_err_set(err, PF_EINVAL, path, 0, "plugin ABI version %d, "
		    "this preflight speaks %d", s->api ? s->api->abi : -1,
		    PF_PLUGIN_ABI);
		goto fail;
	}
	if (s->api->open == NULL || s->api->score == NULL) {
		rc = pf_err_set(err, PF_EINVAL, path, 0, "plugin lacks open or "
		    "score");
		goto fail;
	}
	if (pp != NULL && (kv = strdup(pp->value)) == NULL) {
		rc = pf_err_set(err, PF_ENOMEM, NULL, 0, "out of memory");
		goto fail;
	}
	for (char *tok = kv ? strtok(kv, ";") : NULL; tok != NULL && n < 64;
	    tok = strtok(NULL, ";")) {
		char *eq = strchr(tok, '=');
		if (eq == NULL) {
			rc = pf_err_set(err, PF_EINVAL, cfg->file, pp->line,
			    "params: expected k=v;k=v, got '%s'", tok);
			goto fail;
		}
		*eq = '\0';
		keys[n] = tok;
		vals[n++] = eq + 1;
	}
	s->h = s->api->open((const char *const *)keys,
	    (const char *const *)vals, n, perr, sizeof(perr));
	if (s->h == NULL) {
		rc = pf_err_set(err, PF_EINVAL, path, 0, "plugin '%s' refused to "
		    "open: %s", s->api->name ? s->api->name : "?", perr[0] ?
		    perr : "no reason given");
		goto fail;
	}
	free(kv);
	*out = s;
	return PF_OK;
fail:
	free(kv);
	plug_close(s);
	return rc;
}

/* Remapped features in the ABI's columns: file id j + 1 at column j. */
static void
scatter_remapped(const pf_feats *f, const pf_cands *io, size_t w, float *x)
{
	size_t c0 = pf_feats_lower(f, 1);

	for (size_t i = 0; i < io->n; i++) {
		const float *src = f->x32 + (size_t)io->row[i] * f->nf;
		for (size_t j = 0; j < w; j++)
			x[i * w + j] = NAN;
		for (size_t c = c0; c < f->nf; c++)
			x[i * w + f->id[c] - 1] = src[c];
	}
}

static int
plug_process(void *st, const pf_query *q, pf_cands *io, pf_arena *scratch,
    pf_err *err)
{
	plug *s = st;
	const pf_feats *f = &io->feats;
	size_t n = io->n, w = f->nf ? f->nf : 1, bytes;

	(void)q;
	if (n == 0)
		return PF_OK;
	if (f->x32 == NULL)
		return pf_err_set(err, PF_ESTAGE, NULL, 0, "plugin needs a stage "
		    "before it that provides features");
	/* The ABI is dense: remapped features widen to their largest id. */
	if (f->id != NULL && pf_feats_last_id(f) > 0)
		w = (size_t)pf_feats_last_id(f);
	/* rows in candidate order, columns by file feature id from 1 */
	float *x = NULL;
	if (pf_mul_size(n, w, &bytes) == PF_OK &&
	    pf_mul_size(bytes, sizeof(*x), &bytes) == PF_OK)
		x = pf_arena_alloc(scratch, bytes, 64);
	if (x == NULL)
		return pf_err_nomem(err, NULL, n, w * sizeof(*x), "candidate "
		    "rows (file feature ids 1..width)");
	if (f->id != NULL)
		scatter_remapped(f, io, w, x);
	else
		for (size_t i = 0; i < n; i++)
			for (size_t j = 0; j < w; j++) {
				long c = (long)j - (f->base - 1);
				x[i * w + j] = c >= 0 && (size_t)c < f->nf ?
				    f->x32[(size_t)io->row[i] * f->nf +
				    (size_t)c] : NAN;
			}
	if (s->api->score(s->h, x, n, w, io->score) != 0) {
		const char *m = s->api->last_error ? s->api->last_error(s->h) :
		    NULL;
		return pf_err_set(err, PF_ESTAGE, NULL, 0, "plugin '%s' (%s) "
		    "failed: %s", s->api->name ? s->api->name : "?", s->lib,
		    m ? m : "no reason given");
	}
	return PF_OK;
}

static const pf_stage_param_doc plug_params[] = {
	{"lib", "path", 1, "shared object exporting pf_plugin_entry "
	    "(<preflight/stage_abi.h>)"},
	{"params", "string", 0, "k=v;k=v handed to the plugin's open"},
	{NULL, NULL, 0, NULL}
};

const pf_stage_ops pf_stage_plugin = {
	.abi = PF_STAGE_ABI,
	.name = "plugin",
	.summary = "rank: any model binary through a small versioned C "
	    "ABI (dlopen)",
	.flags = PF_STAGE_SCORES,
	.params = plug_params,
	.open = plug_open,
	.process = plug_process,
	.close = plug_close,
};
