/*
 * harness/stages/embeddings.c — see embeddings.h.
 */
#include <stdio.h>
#include <string.h>

#include "harness/stages/embeddings.h"

/* The two paths of one side (documents or queries), both required. */
static int
side(const pf_stage_cfg *cfg, const char *prefix, const char *key,
    const char *idkey, char path[4096], char ipath[4096], pf_err *err)
{
	char k1[64], k2[64];
	int rc;

	snprintf(k1, sizeof(k1), "%s%s", prefix, key);
	snprintf(k2, sizeof(k2), "%s%s", prefix, idkey);
	if ((rc = pf_stage_path(cfg, k1, path, 4096, err)) != PF_OK ||
	    (rc = pf_stage_path(cfg, k2, ipath, 4096, err)) != PF_OK)
		return rc;
	if (path[0] == '\0' || ipath[0] == '\0')
		return pf_err_set(err, PF_EINVAL, cfg->file, cfg->line, "dense "
		    "embeddings need %s and %s", k1, k2);
	return PF_OK;
}

int
pf_stage_embeddings(pf_emb **out, pf_dense_metric *metric,
    const pf_stage_cfg *cfg, const char *prefix, pf_err *err)
{
	char dpath[4096], qpath[4096], dipath[4096], qipath[4096], mk[64];
	int rc;

	*out = NULL;
	snprintf(mk, sizeof(mk), "%smetric", prefix);
	const pf_param *mp = pf_stage_param(cfg, mk);
	if (mp != NULL && strcmp(mp->value, "ip") != 0 &&
	    strcmp(mp->value, "cosine") != 0)
		return pf_err_set(err, PF_EINVAL, cfg->file, mp->line,
		    "%s='%s': expected ip or cosine", mk, mp->value);
	*metric = mp != NULL && strcmp(mp->value, "cosine") == 0 ?
	    PF_DENSE_COSINE : PF_DENSE_IP;
	if ((rc = side(cfg, prefix, "docs", "doc-ids", dpath, dipath, err)) !=
	    PF_OK || (rc = side(cfg, prefix, "queries", "query-ids", qpath,
	    qipath, err)) != PF_OK)
		return rc;
	pf_emb_files f = {dpath, dipath, qpath, qipath};
	return pf_golden_embeddings(cfg->golden, &f, out, err);
}
