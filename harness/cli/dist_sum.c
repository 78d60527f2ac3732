/*
 * harness/cli/dist_sum.c — importance's summary of every query's rows
 * (analysis/importance.h pf_imp_summary) in a distributed run: added up
 * range by range (dist.h pf_dist_add_summary), and under MPI gathered by
 * every rank from every rank.
 */
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#ifdef PF_HAVE_MPI
#include <mpi.h>
#endif

#include "harness/cli/dist.h"

int
pf_dist_add_summary(pf_dist *d, const pf_replay *r, size_t q0, size_t q1,
    pf_err *err)
{
	size_t nf = r->scn->nfimp;
	pf_imp_summary *one;
	int rc = PF_OK;

	if (nf == 0)
		return PF_OK;
	if (d->sums == NULL) {
		if ((d->sums = calloc(nf, sizeof(*d->sums))) == NULL)
			return pf_err_set(err, PF_ENOMEM, NULL, 0,
			    "out of memory");
		d->nsums = nf;
	}
	if ((one = calloc(nf, sizeof(*one))) == NULL)
		return pf_err_set(err, PF_ENOMEM, NULL, 0, "out of memory");
	if ((rc = pf_importance_summarize(r, q0, q1, one, err)) == PF_OK)
		for (size_t i = 0; i < nf && rc == PF_OK; i++)
			rc = pf_imp_summary_merge(&d->sums[i], &one[i], err);
	for (size_t i = 0; i < nf; i++)
		pf_imp_summary_free(&one[i]);
	free(one);
	return rc;
}

#ifdef PF_HAVE_MPI
/* This rank's summaries (nf) into one buffer: u64 length, bytes, each. */
static int
pack_summaries(const pf_imp_summary *one, size_t nf, char **buf, size_t *len)
{
	char *b = NULL, *p;
	size_t n = 0;
	int rc = PF_OK;

	for (size_t i = 0; i < nf && rc == PF_OK; i++) {
		size_t l;
		uint64_t l64;
		if ((rc = pf_imp_summary_encode(&one[i], &p, &l)) != PF_OK)
			break;
		char *nb = realloc(b, n + sizeof(l64) + l + 1);
		if (nb == NULL) {
			free(p);
			rc = PF_ENOMEM;
			break;
		}
		b = nb;
		l64 = l;
		memcpy(b + n, &l64, sizeof(l64));
		memcpy(b + n + sizeof(l64), p, l);
		n += sizeof(l64) + l;
		free(p);
	}
	if (rc != PF_OK) {
		free(b);
		return rc;
	}
	*buf = b;
	*len = n;
	return PF_OK;
}

/* A rank's packed summaries merged into d->sums. */
static int
unpack_summaries(pf_dist *d, size_t nf, const char *b, size_t len,
    pf_err *err)
{
	size_t at = 0;
	int rc = PF_OK;

	for (size_t i = 0; i < nf && rc == PF_OK; i++) {
		pf_imp_summary one = {0};
		uint64_t l;
		if (len - at < sizeof(l))
			return pf_err_set(err, PF_EFORMAT, NULL, 0, "a rank's "
			    "importance summary is cut short");
		memcpy(&l, b + at, sizeof(l));
		at += sizeof(l);
		if (l > len - at || pf_imp_summary_decode(&one, b + at,
		    (size_t)l) != PF_OK)
			rc = pf_err_set(err, PF_EFORMAT, NULL, 0, "a rank's "
			    "importance summary is corrupt");
		else
			rc = pf_imp_summary_merge(&d->sums[i], &one, err);
		at += (size_t)l;
		pf_imp_summary_free(&one);
	}
	return rc;
}

/*
 * MPI, importance: every rank's summary of its queries' rows (ok: its
 * replay succeeded) gathered by every rank and combined in d->sums, so
 * that each runs the tasks on its own queries as one process would. A
 * rank whose summary failed sends none and fails (its error is the run's);
 * the others then run on their own rows' summary (their values are not
 * used).
 */
int
pf_dist__mpi_summaries(pf_dist *d, pf_replay *r, int ok, pf_err *err)
{
	size_t nf = r->scn->nfimp, len = 0;
	pf_imp_summary *one = NULL;
	char *buf = NULL, *all = NULL;
	int n, *lens = NULL, *off = NULL, rc = PF_OK, missing = 0;
	long long tot = 0;

	if (nf == 0)
		return PF_OK;
	if ((one = calloc(nf, sizeof(*one))) == NULL ||
	    (lens = calloc((size_t)d->size, sizeof(int))) == NULL ||
	    (off = calloc((size_t)d->size, sizeof(int))) == NULL)
		MPI_Abort(MPI_COMM_WORLD, 2);
	if (ok && (rc = pf_importance_summarize(r, r->q0, r->q1, one,
	    err)) == PF_OK && (pack_summaries(one, nf, &buf, &len) != PF_OK ||
	    len > INT_MAX / 2))
		rc = pf_err_set(err, PF_ENOMEM, NULL, 0, "rank %d's importance "
		    "summary: out of memory or over one MPI message",
		    d->rank);
	if (rc != PF_OK)
		len = 0;
	n = (int)len;
	MPI_Allgather(&n, 1, MPI_INT, lens, 1, MPI_INT, MPI_COMM_WORLD);
	for (int i = 0; i < d->size; i++) {
		off[i] = (int)tot;
		tot += lens[i];
		missing |= lens[i] == 0;
	}
	if (tot > INT_MAX || (all = malloc((size_t)tot + 1)) == NULL)
		MPI_Abort(MPI_COMM_WORLD, 2);
	MPI_Allgatherv(buf, n, MPI_CHAR, all, lens, off, MPI_CHAR,
	    MPI_COMM_WORLD);
	if (rc == PF_OK && !missing && (d->sums = calloc(nf,
	    sizeof(*d->sums))) != NULL) {
		d->nsums = nf;
		for (int i = 0; i < d->size && rc == PF_OK; i++)
			rc = unpack_summaries(d, nf, all + off[i],
			    (size_t)lens[i], err);
	}
	for (size_t i = 0; i < nf; i++)
		pf_imp_summary_free(&one[i]);
	free(one);
	free(buf);
	free(all);
	free(lens);
	free(off);
	return rc;
}

#endif
