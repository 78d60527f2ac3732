/*
 * harness/history/reference.c — see reference.h. The reference is chosen
 * in SQL (the largest id that qualifies, so "last" is the order runs were
 * appended in, not their clocks), its values read with
 * pf_history_query_values and copied into the gate's reference (they
 * outlive the history handle).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness/history/internal.h"
#include "harness/history/reference.h"

/* MAX(id) of sql's single row into *id_out (0 for NULL). */
static int
max_id(pf_history *h, const char *sql, const pf_hval *p, size_t np,
    int64_t *id_out, pf_err *err)
{
	pf_hrows rows;
	const char *v;
	int rc;

	*id_out = 0;
	if ((rc = pf_hquery(h, sql, p, np, &rows, err)) != PF_OK)
		return rc;
	if ((v = pf_hrows_get(&rows, 0, 0)) != NULL)
		*id_out = strtoll(v, NULL, 10);
	pf_hrows_free(&rows);
	return PF_OK;
}

int
pf_history_reference(pf_history *h, const char *scenario,
    const char *against, int64_t before, int64_t *id_out, pf_err *err)
{
	const char *eq;
	char key[128];

	*id_out = 0;
	if (strcmp(against, "last-pass") == 0) {
		pf_hval p[] = {pf_hv_text(scenario), pf_hv_int(before)};
		return max_id(h, "SELECT MAX(id) FROM runs WHERE scenario = $1 "
		    "AND gates_failed = 0 AND exit_code = 0 AND (CAST($2 AS "
		    "BIGINT) = 0 OR id < CAST($2 AS BIGINT))", p, 2, id_out,
		    err);
	}
	if (strncmp(against, "label:", 6) != 0 || (eq = strchr(against + 6,
	    '=')) == NULL || (size_t)(eq - against - 6) >= sizeof(key))
		return pf_err_set(err, PF_EINVAL, NULL, 0, "against='%s': "
		    "expected last-pass or label:KEY=VALUE", against);
	snprintf(key, sizeof(key), "%.*s", (int)(eq - against - 6),
	    against + 6);
	pf_hval p[] = {pf_hv_text(scenario), pf_hv_text(key),
	    pf_hv_text(eq + 1), pf_hv_int(before)};
	return max_id(h, "SELECT MAX(r.id) FROM runs r JOIN run_labels l ON "
	    "l.run = r.id WHERE r.scenario = $1 AND l.key = $2 AND l.value = "
	    "$3 AND (CAST($4 AS BIGINT) = 0 OR r.id < CAST($4 AS BIGINT))", p,
	    4, id_out, err);
}

void
pf_history_run_words(const pf_hist_runinfo *r, char *b, size_t sz)
{
	snprintf(b, sz, "run %lld of %s%s%s%s", (long long)r->id,
	    r->time ? r->time : "?", r->labels && *r->labels ? " (" : "",
	    r->labels && *r->labels ? r->labels : "", r->labels &&
	    *r->labels ? ")" : "");
}

int
pf_history_check_against(const pf_scenario *s, const char *db, pf_diags *d)
{
	int bad = 0;

	for (size_t i = 0; db == NULL && i < s->ngates; i++) {
		if (s->gates[i].against == NULL)
			continue;
		pf_diags_add(d, s->path, s->gates[i].line, "gate '%s': "
		    "against=\"%s\" compares with a run stored in a history: "
		    "give run --history DB or a <history db> in the scenario",
		    s->gates[i].id, s->gates[i].against);
		bad = 1;
	}
	return bad ? PF_EINVAL : PF_OK;
}

/* Why gate g has no reference run. */
static void
no_run(const pf_scenario *s, const pf_scn_gate *g, char *b, size_t sz)
{
	if (strcmp(g->against, "last-pass") == 0)
		snprintf(b, sz, "no earlier run of scenario '%s' whose gates "
		    "all passed: nothing to compare with yet", s->name);
	else
		snprintf(b, sz, "no earlier run of scenario '%s' labelled %s: "
		    "nothing to compare with yet", s->name, g->against + 6);
}

/* The stored values of stack on metric in the reference run, copied. */
static int
fill(pf_history *h, pf_gate_ref *r, const char *stack, const char *metric,
    pf_err *err)
{
	pf_hist_qvalues qv;
	int rc;

	if ((rc = pf_history_query_values(h, r->run, stack, metric, &qv,
	    err)) != PF_OK)
		return rc;
	if ((r->qid = calloc(qv.n + 1, sizeof(*r->qid))) == NULL ||
	    (r->value = calloc(qv.n + 1, sizeof(double))) == NULL)
		goto nomem;
	for (size_t i = 0; i < qv.n; i++) {
		if ((r->qid[i] = strdup(qv.qid[i])) == NULL)
			goto nomem;
		r->value[i] = qv.value[i];
		r->n = i + 1;
	}
	if (qv.n == 0)
		snprintf(r->why, sizeof(r->why), "%s stored no value of stack "
		    "'%s' on %s", r->run_desc, stack, metric);
	pf_hist_qvalues_free(&qv);
	return PF_OK;
nomem:
	pf_hist_qvalues_free(&qv);
	return pf_err_set(err, PF_ENOMEM, NULL, 0, "out of memory");
}

/* The references of gate gi (its reference run id, or 0). */
static int
gate_refs(pf_history *h, const pf_scenario *s, size_t gi, int64_t id,
    const char *desc, pf_gate_refs *out, pf_err *err)
{
	const pf_scn_gate *g = &s->gates[gi];
	size_t k0 = 1, k1 = s->nstacks;
	int rc = PF_OK;

	for (size_t k = 0; g->stack != NULL && k < s->nstacks; k++)
		if (strcmp(g->stack, s->stacks[k].id) == 0) {
			k0 = k;
			k1 = k + 1;
		}
	for (size_t k = k0; k < k1 && rc == PF_OK; k++) {
		pf_gate_ref *r = pf_gate_refs_add(out);
		if (r == NULL)
			return pf_err_set(err, PF_ENOMEM, NULL, 0,
			    "out of memory");
		r->gate = gi;
		r->stack = k;
		r->run = id;
		snprintf(r->run_desc, sizeof(r->run_desc), "%s", desc);
		if (id == 0)
			no_run(s, g, r->why, sizeof(r->why));
		else
			rc = fill(h, r, s->stacks[k].id, g->metric, err);
	}
	return rc;
}

int
pf_history_gate_refs(pf_history *h, const pf_scenario *s, pf_gate_refs *out,
    pf_err *err)
{
	int rc = PF_OK;

	for (size_t i = 0; i < s->ngates && rc == PF_OK; i++) {
		const pf_scn_gate *g = &s->gates[i];
		pf_hist_runs run = {0};
		char desc[256] = "";
		int64_t id;
		if (g->against == NULL)
			continue;
		if ((rc = pf_history_reference(h, s->name, g->against, 0, &id,
		    err)) != PF_OK)
			return rc;
		if (id != 0 && (rc = pf_history_run(h, id, &run, err)) != PF_OK)
			return rc;
		if (run.n == 1)
			pf_history_run_words(&run.v[0], desc, sizeof(desc));
		pf_hist_runs_free(&run);
		rc = gate_refs(h, s, i, id, desc, out, err);
	}
	return rc;
}
