/*
 * harness/decide/junit.c — the junit.xml of a run (REPORTS.md §1.6) from
 * its outcome: one suite of gates, one of expectations; and the error
 * suite of a run that could not start (bad input).
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "harness/decide/outputs.h"
#include "harness/util/fileio.h"
#include "reports/junit.h"

static int
status_of(int st)
{
	return st == PF_GATE_PASS ? PF_JU_PASS : st == PF_GATE_FAIL ?
	    PF_JU_FAIL : st == PF_GATE_ERROR ? PF_JU_ERROR : PF_JU_SKIP;
}

/* One case per gate result. */
static pf_ju_case *
gate_cases(const pf_decision *d)
{
	pf_ju_case *c = calloc(d->gates.n + 1, sizeof(*c));

	for (size_t i = 0; c != NULL && i < d->gates.n; i++) {
		const pf_gate_result *g = &d->gates.v[i];
		c[i] = (pf_ju_case){g->name, status_of(g->status),
		    g->status == PF_GATE_FAIL ? "GateFailed" :
		    "EvaluationError", g->message, g->details[0] ? g->details :
		    NULL, -1.0};
	}
	return c;
}

/* One case per (expectation, stack). */
static pf_ju_case *
expectation_cases(const pf_expectations *e, size_t n)
{
	pf_ju_case *c = calloc(n + 1, sizeof(*c));

	for (size_t i = 0; c != NULL && i < n; i++) {
		const pf_exp_result *x = &e->v[i];
		c[i] = (pf_ju_case){x->name, status_of(x->status) == PF_JU_ERROR ?
		    PF_JU_SKIP : status_of(x->status), "ExpectationFailed",
		    x->message, x->details[0] ? x->details : NULL, -1.0};
	}
	return c;
}

int
pf_outputs_junit(FILE *f, const pf_outputs_cfg *cfg, const pf_outcome *o,
    const char *stamp, const char *sha, pf_err *err)
{
	const pf_measured *m = o->m;
	const pf_decision *d = o->decision;
	size_t ne = o->exps ? o->exps->n : 0;
	char sname[160], cname[192], ename[160], ecname[192], jname[192];
	char nq[32], seed[32], outline[1024];
	const char *pn[] = {"preflight.version", "scenario", "scenario.sha256",
	    "control", "treatment", "queries", "seed"};
	const char *pv[7];
	pf_ju_case *cases = gate_cases(d);
	pf_ju_case *ecases = expectation_cases(o->exps, ne);
	int rc;

	if (cases == NULL || ecases == NULL) {
		free(cases);
		free(ecases);
		return pf_err_set(err, PF_ENOMEM, NULL, 0, "out of memory");
	}
	snprintf(sname, sizeof(sname), "%s.gates", cfg->name);
	snprintf(cname, sizeof(cname), "preflight.%s.gates", cfg->name);
	snprintf(ename, sizeof(ename), "%s.expectations", cfg->name);
	snprintf(ecname, sizeof(ecname), "preflight.%s.expectations",
	    cfg->name);
	snprintf(jname, sizeof(jname), "preflight %s", cfg->name);
	snprintf(nq, sizeof(nq), "%zu", m->nq);
	snprintf(seed, sizeof(seed), "%llu", (unsigned long long)cfg->seed);
	pv[0] = PF_VERSION;
	pv[1] = cfg->source;
	pv[2] = sha;
	pv[3] = m->stacks[0].id;
	pv[4] = m->nstacks > 1 ? m->stacks[1].id : "";
	pv[5] = nq;
	pv[6] = seed;
	snprintf(outline, sizeof(outline), "preflight %s: %zu queries, %zu "
	    "stacks, %.1f s; verdict: %s (%.600s)", PF_VERSION, m->nq,
	    m->nstacks, cfg->seconds, d->verdict, d->why);
	pf_ju_suite suites[2] = {{sname, cname, cfg->source, stamp, NULL,
	    cfg->seconds, cases, d->gates.n, pn, pv, 7, outline}, {ename,
	    ecname, m->golden->exp_path, stamp, NULL, 0.0, ecases, ne, NULL,
	    NULL, 0, NULL}};
	pf_junit j = {jname, suites, ne > 0 ? 2 : 1};
	rc = pf_junit_write(&j, f, err);
	free(cases);
	free(ecases);
	return rc;
}

/* A junit.xml that says why nothing ran (bad input, exit 2). */
void
pf_outputs_junit_error(const char *path, const char *scn, const pf_diags *d,
    int failed)
{
	pf_atomic_file af = {0};
	pf_err err = {0};
	char msg[PF_DIAGS_MAX * 660 + 64], stamp[32];
	size_t len = 0;
	time_t now = time(NULL);

	strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%SZ", gmtime(&now));
	msg[0] = '\0';	/* the first problem is the message; the rest follow */
	for (size_t i = 1; i < d->n && len < sizeof(msg); i++)
		len += (size_t)snprintf(msg + len, sizeof(msg) - len, "%s\n",
		    d->msg[i]);
	if (d->dropped > 0 && len < sizeof(msg))
		snprintf(msg + len, sizeof(msg) - len, "... and %zu more\n",
		    d->dropped);
	pf_ju_case c = {failed ? "scenario.run" : "scenario.load", PF_JU_ERROR,
	    failed ? "RunFailed" : "BadInput",
	    d->n ? d->msg[0] : "bad input", msg[0] ? msg : NULL, -1.0};
	pf_ju_suite su = {"preflight.load", "preflight.load", scn, stamp,
	    NULL, 0.0, &c, 1, NULL, NULL, 0, NULL};
	pf_junit j = {"preflight", &su, 1};
	if (pf_atomic_open(&af, path, &err) != PF_OK)
		return;
	if (pf_junit_write(&j, af.f, &err) == PF_OK)
		pf_atomic_commit(&af, &err);
	pf_atomic_abort(&af);
}
