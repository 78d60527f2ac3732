/*
 * harness/model/names.c — a model's own feature names (gbdt.h
 * pf_gbdt_feature_name): kept only when they name every feature, so a
 * name always means the feature it stands beside.
 */
#include <stdlib.h>
#include <string.h>

#include "harness/model/internal.h"

int
pf_gbdt__set_names(pf_gbdt *m, const char *const *s, const size_t *len,
    size_t n)
{
	if (n == 0 || n != m->nfeat)
		return PF_OK;
	for (size_t j = 0; j < n; j++)
		if (len[j] == 0)
			return PF_OK;
	if ((m->fname = calloc(n, sizeof(*m->fname))) == NULL)
		return PF_ENOMEM;
	m->nfname = n;
	for (size_t j = 0; j < n; j++)
		if ((m->fname[j] = strndup(s[j], len[j])) == NULL)
			return PF_ENOMEM;	/* pf_gbdt_free frees the rest */
	return PF_OK;
}

const char *
pf_gbdt_feature_name(const pf_gbdt *m, size_t j)
{
	return j < m->nfname ? m->fname[j] : NULL;
}
