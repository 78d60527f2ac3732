/*
 * harness/stages/plugin_abi.h — the C ABI of preflight's `plugin` stage: how a
 * model author brings any model binary. Installed as
 * <preflight/stage_abi.h>. A plugin is a shared object exporting
 *
 *	const pf_plugin_api *pf_plugin_entry(void);
 *
 * preflight dlopens it, calls pf_plugin_entry once, refuses it unless
 * api->abi == PF_PLUGIN_ABI, then:
 *   open(keys, values, n, err, errsz)  once, with the scenario's
 *	parameters (params="k=v;k=v"); NULL + a message in err on failure;
 *   score(handle, x, nrows, nfeat, out) for each query's candidates:
 *	row r's feature j (file feature id j + 1) is x[r * nfeat + j], NaN
 *	when absent; write one finite score per row into out; return 0, or
 *	nonzero and make last_error() say why. score is called from several
 *	threads at once with the same handle: it must be reentrant;
 *   last_error(handle)  the message of the last failure (may be NULL);
 *   close(handle)       once at the end.
 * A plugin that crashes takes preflight down with it (no isolation); no
 * output is replaced then, since outputs are renamed only when complete.
 */
#ifndef PF_HARNESS_STAGES_PLUGIN_ABI_H
#define PF_HARNESS_STAGES_PLUGIN_ABI_H

#include <stddef.h>

#define PF_PLUGIN_ABI	1

typedef struct pf_plugin_api {
	int		 abi;		/* PF_PLUGIN_ABI */
	const char	*name;		/* for messages */
	void		*(*open)(const char *const *keys,
			    const char *const *values, size_t n, char *err,
			    size_t errsz);
	int		 (*score)(void *handle, const float *x, size_t nrows,
			    size_t nfeat, double *out);
	const char	*(*last_error)(void *handle);
	void		 (*close)(void *handle);
} pf_plugin_api;

typedef const pf_plugin_api *(*pf_plugin_entry_fn)(void);

#endif /* PF_HARNESS_STAGES_PLUGIN_ABI_H */
