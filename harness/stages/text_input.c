/*
 * harness/stages/text_input.c — see text_input.h.
 */
#include <string.h>

#include "harness/stages/text_input.h"

int
pf_stage_analyzer(pf_analyzer **out, const pf_stage_cfg *cfg, pf_err *err)
{
	const pf_param *sp = pf_stage_param(cfg, "stopwords"),
	    *st = pf_stage_param(cfg, "stem");
	pf_err e = {0};
	int rc;

	*out = NULL;
	if (sp != NULL && strcmp(sp->value, "none") != 0 &&
	    strcmp(sp->value, "small") != 0)
		return pf_err_set(err, PF_EINVAL, cfg->file, sp->line,
		    "stopwords='%s': expected none or small", sp->value);
	rc = pf_analyzer_new(out, sp != NULL && !strcmp(sp->value, "small"),
	    st ? st->value : NULL, &e);
	/* the message, placed at the attribute */
	return rc == PF_OK ? rc : pf_err_set(err, rc, rc == PF_EINVAL ?
	    cfg->file : NULL, rc == PF_EINVAL ? st->line : 0, "%s", e.msg);
}

int
pf_stage_query_text(const pf_golden *g, const char *stage, pf_err *err)
{
	size_t bad = 0, first = 0;

	for (size_t i = 0; i < g->nq; i++) {
		if (g->text == NULL || g->text[i] == NULL)
			return pf_err_set(err, PF_EDATA, g->queries_path, 0,
			    "%s needs query text: <queries file=\"queries.tsv\"/> "
			    "(or queries.jsonl) in <golden>", stage);
		if (pf_text_empty(g->text[i]) && bad++ == 0)
			first = i;
	}
	if (bad == 0)
		return PF_OK;
	return pf_err_set(err, PF_EDATA, g->queries_path, g->qline[first],
	    "query '%.100s' has empty text (no token)%s; %s needs query text",
	    g->qid[first], bad > 1 ? " (and more)" : "", stage);
}
