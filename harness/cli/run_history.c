/*
 * harness/cli/run_history.c — the history a run is appended to: its
 * labels and database opened before the replay (and the references its
 * against= gates compare with), the finished run appended after.
 */
#include <stdio.h>
#include <stdlib.h>

#include "harness/cli/run_internal.h"

/*
 * The labels (the scenario's, then --label's) and the database (--history,
 * else the scenario's <history db>), opened before the replay: a database
 * that cannot be opened, or holds a newer schema, stops the run before it
 * costs anything. Problems go to d.
 */
int
pf_run__open_history(const run_args *a, const pf_scenario *s, run_history *hi,
    pf_diags *d)
{
	pf_err err = {0};
	char where[300];

	hi->db = a->history ? a->history : s->history_db;
	if (hi->db != NULL && !a->check && pf_dist_active(a->dist)) {
		pf_diags_add(d, s->path, s->history_line, "a history is not "
		    "available with --shard, merge or MPI ranks yet: run the "
		    "scenario in one process, or without its <history>");
		return PF_EFORMAT;
	}
	if (pf_history_check_against(s, hi->db, d) != PF_OK)
		return PF_EFORMAT;
	snprintf(where, sizeof(where), "%s:%ld", s->path, s->history_line);
	if (s->history_labels != NULL && pf_hist_labels_add(&hi->labels,
	    s->history_labels, ';', where, &err) != PF_OK)
		goto fail;
	for (size_t i = 0; i < a->nlabel; i++)
		if (pf_hist_labels_add(&hi->labels, a->label[i], '\0',
		    "--label", &err) != PF_OK)
			goto fail;
	if (hi->db == NULL && a->nlabel > 0) {
		pf_err_set(&err, PF_EINVAL, "--label", 0, "labels are stored "
		    "in a history: give --history DB or a <history db> in the "
		    "scenario");
		goto fail;
	}
	/* the references before the replay: tonight is not stored yet */
	if (hi->db == NULL || a->check ||
	    (pf_history_open(&hi->h, hi->db, 1, &err) == PF_OK &&
	    pf_history_gate_refs(hi->h, s, &hi->refs, &err) == PF_OK))
		return PF_OK;
fail:
	pf_diags_add_err(d, &err);
	return PF_EFORMAT;
}

/* Appends the finished run (exit code rc) to the history; PF_OK or the
   error in err, naming the database. */
int
pf_run__append_history(const run_args *a, pf_replay *r, pf_run_result *x,
    const pf_outputs_cfg *oc, run_history *hi, int rc, pf_err *err)
{
	const pf_scenario *s = r->scn;
	pf_hist_goal *goals = calloc(s->ngoals + 1, sizeof(*goals));
	int64_t id = 0;
	int st;

	if (goals == NULL)
		return pf_err_set(err, PF_ENOMEM, NULL, 0, "out of memory");
	for (size_t i = 0; i < s->ngoals; i++)
		goals[i] = (pf_hist_goal){s->goals[i].metric,
		    s->goals[i].stack, s->goals[i].has_min,
		    s->goals[i].has_max, s->goals[i].min, s->goals[i].max,
		    s->goals[i].has_min_delta, s->goals[i].has_max_delta,
		    s->goals[i].min_delta, s->goals[i].max_delta,
		    s->goals[i].against};
	pf_hist_source src = {oc, &x->outcome, r, hi->labels.v,
	    hi->labels.n, goals, s->ngoals, rc};
	if ((st = pf_history_append_run(hi->h, &src, &id, err)) != PF_OK) {
		char m[sizeof(err->msg)];
		snprintf(m, sizeof(m), "%s", err->msg);
		pf_err_set(err, st, pf_history_shown(hi->h), 0, "cannot append "
		    "the run (the history is left as it was): %s", m);
	} else if (!a->quiet)
		fprintf(stderr, "preflight: appended run %lld to %s\n",
		    (long long)id, pf_history_shown(hi->h));
	free(goals);
	return st;
}
