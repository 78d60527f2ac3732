/*
 * harness/decide/perquery.h — `run --per-query` and `compare --per-query`:
 * the long table of what was measured, one row per (stack, query, metric),
 * the query's dimensions as extra columns, for pandas, R or SQL:
 *
 *   stack<TAB>qid<TAB>metric<TAB>value<TAB>judged[<TAB>dim...]
 *
 * Stacks in the scenario's order (the control first), queries in the
 * golden set's, metrics in results.json's; value with %.17g (it reads
 * back to the same double results.json holds); an unjudged query's value
 * is empty and judged 0 (results.json's null: left out of every mean).
 */
#ifndef PF_HARNESS_DECIDE_PERQUERY_H
#define PF_HARNESS_DECIDE_PERQUERY_H

#include "harness/engine/measured.h"
#include "harness/util/fileio.h"

/*
 * The table of m written to a temporary beside path (af, open and not
 * committed: hand it to pf_outputs_cfg.extra so it is replaced with the
 * other outputs, all or none; aborted on error). PF_EIO naming path.
 */
int	pf_outputs_per_query(const pf_measured *m, pf_atomic_file *af,
	    const char *path, pf_err *err);

#endif /* PF_HARNESS_DECIDE_PERQUERY_H */
