/*
 * harness/cli/run_mem.c — see run_mem.h.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness/cli/run_mem.h"

int
pf_run_mem_parse(const char *v, size_t *out)
{
	char *end;
	unsigned long long n, k = 1;

	if (v[0] < '0' || v[0] > '9')
		return -1;
	errno = 0;
	n = strtoull(v, &end, 10);
	if (errno != 0)
		return -1;
	switch (*end) {
	case 'K': case 'k': k = 1ULL << 10; end++; break;
	case 'M': case 'm': k = 1ULL << 20; end++; break;
	case 'G': case 'g': k = 1ULL << 30; end++; break;
	default: break;
	}
	if (*end != '\0' || n == 0 || n > (unsigned long long)SIZE_MAX / k)
		return -1;
	*out = (size_t)(n * k);
	return 0;
}

size_t
pf_run_mem_default(void)
{
	long pages = sysconf(_SC_PHYS_PAGES), psz = sysconf(_SC_PAGESIZE);

	if (pages <= 0 || psz <= 0)
		return SIZE_MAX;
	return (size_t)((double)pages * (double)psz * 0.7);
}

int
pf_run_mem_may(const pf_dist *d, const pf_scenario *s, int check,
    const char *history, const char *export)
{
	return !check && !pf_dist_active(d) && history == NULL &&
	    s->history_db == NULL && export == NULL;
}

void
pf_run_mem_probe(pf_golden *g, size_t mem)
{
	pf_golden_set_share(g, 0, 0);
	g->share_min = mem / 4;
}

size_t
pf_run_mem_blocks(size_t candidates, size_t nq, size_t mem)
{
	size_t budget = mem / 2 ? mem / 2 : 1, nb;

	if (candidates <= mem)
		return 0;
	nb = candidates / budget + (candidates % budget != 0);
	nb = nb < 2 ? 2 : nb;
	return nb > nq ? nq : nb;
}

/* r closed, the files dropped, r opened again on queries [q0, q1) (or
   every row: whole). */
static int
reopen(pf_replay **r, pf_golden *g, const pf_replay_opts *ro, int whole,
    size_t q0, size_t q1, pf_err *err)
{
	const pf_scenario *s = (*r)->scn;
	pf_diags *d = calloc(1, sizeof(*d));
	pf_replay_opts o = *ro;
	int rc;

	if (d == NULL)
		return pf_err_set(err, PF_ENOMEM, NULL, 0, "out of memory");
	/* the first opening (no rows) warned about what is not about
	   rows; a block's warnings are about its queries */
	o.warnings = ro->warnings;
	pf_replay_free(*r);
	*r = NULL;
	pf_golden_drop_svm(g);
	if (whole)
		g->share = g->share_partial = 0;
	else
		pf_golden_set_share(g, q0, q1);
	if ((rc = pf_replay_open_with(r, s, g, &o, d)) != PF_OK)
		rc = pf_err_set(err, rc, NULL, 0, "%s", d->n > 0 ? d->msg[0] :
		    "cannot open the stages again");
	free(d);
	return rc;
}

int
pf_run_mem_summaries(pf_dist *d, pf_replay **r, pf_golden *g,
    const pf_replay_opts *ro, size_t nb, size_t own, pf_err *err)
{
	size_t nq = (*r)->m.nq, q0, q1;
	int rc = PF_OK;

	if ((*r)->scn->nfimp == 0)
		return PF_OK;
	for (size_t b = 0; b < nb && rc == PF_OK; b++) {
		if (b == own)
			continue;
		pf_part_range(nq, b, nb, &q0, &q1);
		if ((rc = reopen(r, g, ro, 0, q0, q1, err)) == PF_OK)
			rc = pf_dist_add_summary(d, *r, q0, q1, err);
	}
	if (rc != PF_OK || own >= nb)
		return rc;
	pf_part_range(nq, own, nb, &q0, &q1);
	if ((rc = reopen(r, g, ro, 0, q0, q1, err)) == PF_OK)
		rc = pf_dist_add_summary(d, *r, q0, q1, err);
	return rc;
}

int
pf_run_mem_stream(pf_dist *d, pf_replay **r, pf_golden *g,
    const pf_replay_opts *ro, size_t mem, size_t *nb, int *reopened,
    pf_err *err)
{
	size_t share, whole, nq = (*r)->m.nq, q0, q1;
	int rc = PF_OK;

	*nb = 0;
	*reopened = 0;
	if (!g->share)
		return PF_OK;
	pf_golden_share_bytes(g, &share, &whole);
	if (share == 0) {	/* every file read whole already */
		g->share = 0;
		return PF_OK;
	}
	*reopened = 1;
	if ((*nb = pf_run_mem_blocks(share + whole, nq, mem)) == 0)
		return reopen(r, g, ro, 1, 0, 0, err);
	/* importance: a first pass summarises every block's rows (read,
	   summarised, dropped), the second replays them */
	rc = pf_run_mem_summaries(d, r, g, ro, *nb, SIZE_MAX, err);
	for (size_t b = 0; b < *nb && rc == PF_OK; b++) {
		pf_part_range(nq, b, *nb, &q0, &q1);
		if ((rc = reopen(r, g, ro, 0, q0, q1, err)) == PF_OK)
			rc = pf_dist_stream_block(d, *r, b, *nb, err);
	}
	return rc != PF_OK ? rc : reopen(r, g, ro, 0, 0, 0, err);
}

void
pf_run_mem_print_check(FILE *f, size_t candidates, size_t nq, size_t mem,
    int may, int importance)
{
	size_t nb = pf_run_mem_blocks(candidates, nq, mem);
	double gib = (double)mem / (1 << 30);

	if (nb == 0)
		fprintf(f, "memory: the candidates fit --mem %.2f GiB: held "
		    "whole\n", gib);
	else if (may)
		fprintf(f, "memory: the candidates exceed --mem %.2f GiB: "
		    "`run` would stream them in %zu query blocks%s\n", gib,
		    nb, importance ? " (twice: importance's summary of every "
		    "query's rows first)" : "");
	else
		fprintf(f, "memory: the candidates exceed --mem %.2f GiB, but "
		    "`run` holds them whole (a history or --export-features "
		    "read every row)\n", gib);
}
