/*
 * harness/cli/dist.c — see dist.h.
 */
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifdef PF_HAVE_MPI
#include <mpi.h>
#endif

#include "harness/cli/dist.h"
#include "harness/decide/export.h"
#include "harness/decide/files.h"
#include "harness/util/fileio.h"
#include "harness/util/grow.h"

void
pf_dist_clear(pf_dist *d)
{
	if (d != NULL) {
		for (size_t i = 0; d->inproc && i < d->nparts; i++)
			pf_part_clear(&d->parts[i]);
		if (d->inproc) {
			free(d->parts);
			d->parts = NULL;
			d->nparts = 0;
		}
		pf_imp_given_clear(&d->given);
		pf_attrib_given_clear(&d->agiven);
		for (size_t i = 0; i < d->nsums; i++)
			pf_imp_summary_free(&d->sums[i]);
		free(d->sums);
		d->sums = NULL;
		d->nsums = 0;
		free(d->export_rows);
		d->export_rows = NULL;
		d->export_len = 0;
	}
}

int
pf_dist_active(const pf_dist *d)
{
	return d != NULL && (d->sharded || d->nparts > 0 || d->size > 1);
}

int
pf_dist_parse_shard(pf_dist *d, const char *v)
{
	char *end;
	unsigned long long i, n;
	const char *w;

	if (v[0] < '0' || v[0] > '9')
		return -1;
	i = strtoull(v, &end, 10);
	if (*end != '/' || (w = end + 1)[0] < '1' || w[0] > '9')
		return -1;
	n = strtoull(w, &end, 10);
	if (*end != '\0' || i >= n || n > 1000000)
		return -1;
	d->sharded = 1;
	d->shard = (size_t)i;
	d->nshards = (size_t)n;
	return 0;
}

const char *
pf_dist_refused(const pf_dist *d, const char *history, const char *export,
    size_t nlabel, const char *per_query)
{
	if (!pf_dist_active(d))
		return NULL;
	return history ? "--history" : export && d->size == 0 ?
	    "--export-features" :
	    nlabel ? "--label" : d->sharded && per_query ? "--per-query" :
	    NULL;
}

int
pf_dist_share(const pf_dist *d, const pf_scenario *s, int check, size_t nq,
    size_t *q0, size_t *q1)
{
	*q0 = *q1 = 0;
	(void)s;
	if (check || !pf_dist_active(d))
		return 0;
	if (d->sharded)
		pf_part_range(nq, d->shard, d->nshards, q0, q1);
	else if (d->nparts == 0)
		pf_part_range(nq, (size_t)d->rank, (size_t)d->size, q0, q1);
	return 1;
}

void
pf_dist_mpi_start(pf_dist *d)
{
	const char *n = getenv("OMPI_COMM_WORLD_SIZE");

	d->rank = 0;
	d->size = 0;
	/* only under a launcher: a plain run never pays MPI's start */
	if (n == NULL && getenv("PMIX_RANK") == NULL &&
	    getenv("PMI_RANK") == NULL)
		return;
#ifdef PF_HAVE_MPI
	if (MPI_Init(NULL, NULL) == MPI_SUCCESS) {
		MPI_Comm_rank(MPI_COMM_WORLD, &d->rank);
		MPI_Comm_size(MPI_COMM_WORLD, &d->size);
		return;
	}
#endif
	if (n != NULL && strcmp(n, "1") != 0)
		fprintf(stderr, "preflight: warning: started by an MPI launcher "
		    "(%s processes), but %s: every process replays the whole "
		    "scenario\n", n,
#ifdef PF_HAVE_MPI
		    "MPI_Init failed"
#else
		    "built without MPI (README \"Running on a cluster\")"
#endif
		    );
}

void
pf_dist_mpi_end(pf_dist *d)
{
#ifdef PF_HAVE_MPI
	if (d->size > 0)
		MPI_Finalize();
#endif
	d->size = 0;
}

int
pf_dist_first_failed(const pf_dist *d, int failed)
{
	int me = failed ? d->rank : INT_MAX, first = me;

#ifdef PF_HAVE_MPI
	if (d->size > 0)
		MPI_Allreduce(&me, &first, 1, MPI_INT, MPI_MIN,
		    MPI_COMM_WORLD);
#endif
	return first == INT_MAX ? -1 : first;
}

/* The inputs and their sha256, as results.json lists them (none for
   run --mem's blocks: oc NULL). */
static int
inputs(pf_inputs *in, const pf_outputs_cfg *oc, pf_err *err)
{
	memset(in, 0, sizeof(*in));
	return oc == NULL ? PF_OK : pf_inputs_collect(in, oc, 1, err);
}

/* The replay's lists allocated and empty: what the parts fill. */
static int
empty_replay(pf_replay *r, pf_err *err)
{
	r->ranged = 1;
	r->q0 = r->q1 = 0;
	return pf_replay_run(r, err);
}

/* Fills r from the np parts (in shard order), each checked against this
   process's inputs; their importance values into d->given. */
static int
merge_parts(pf_dist *d, pf_replay *r, const pf_part *p, size_t np,
    const pf_outputs_cfg *oc, pf_err *err)
{
	pf_inputs in;
	int rc;

	if ((rc = inputs(&in, d->inproc ? NULL : oc, err)) != PF_OK ||
	    (r->m.nstacks > 0 &&
	    r->m.stacks[0].doc == NULL && (rc = empty_replay(r, err)) !=
	    PF_OK))
		goto done;
	for (size_t i = 0; i < np && rc == PF_OK; i++)
		if ((rc = pf_part_check_inputs(&p[i], r, in.v, in.n, err)) ==
		    PF_OK)
			rc = pf_part_fill(r, &p[i], &d->given, &d->agiven,
			    err);
	if (rc == PF_OK)
		rc = pf_measured_summarize(&r->m, err);
	r->ranged = 0;
	r->imp_given = d->given.n > 0 ? &d->given : NULL;
	r->attrib_given = d->agiven.n > 0 || d->agiven.oracle != NULL ?
	    &d->agiven : NULL;
done:
	pf_inputs_free(&in);
	return rc;
}

/*
 * This process's share serialised (shard i of n) into *buf: the replay of
 * its queries, then what the analyses that replay stages again do on
 * them: stage attribution's hybrids and oracle split, and feature
 * importance's tasks, with d->sums every
 * query's importance summary (none yet: r holds every query's rows).
 */
static int
encode(pf_dist *d, pf_replay *r, size_t i, size_t n,
    const pf_outputs_cfg *oc, char **buf, size_t *len, pf_err *err)
{
	pf_imp_given imp = {0};
	pf_attrib_given ag = {0};
	pf_inputs in;
	int rc;

	*buf = NULL;
	memset(&in, 0, sizeof(in));
	/* attribution first: one process runs it before importance, so a
	   share that fails in both names the error one process would */
	if ((rc = pf_attrib_share_run(r, r->q0, r->q1, &ag, err)) == PF_OK &&
	    (r->scn->nfimp == 0 || d->sums != NULL || (rc =
	    pf_dist_add_summary(d, r, 0, r->m.nq, err)) == PF_OK) &&
	    (rc = pf_importance_share(r, r->q0, r->q1, d->sums, &imp,
	    err)) == PF_OK && (rc = inputs(&in, oc, err)) == PF_OK)
		rc = pf_part_encode(r, i, n, in.v, in.n, &imp, &ag, buf, len,
		    err);
	pf_imp_given_clear(&imp);
	pf_attrib_given_clear(&ag);
	pf_inputs_free(&in);
	return rc;
}

/* run --shard I/N: the share replayed, written to DIR/part.pfp. */
static int
write_shard(pf_dist *d, pf_replay *r, const pf_outputs_cfg *oc, pf_err *err)
{
	pf_atomic_file af = {0};
	char *buf = NULL, *path = NULL;
	size_t len = 0;
	int rc;

	pf_part_range(r->m.nq, d->shard, d->nshards, &r->q0, &r->q1);
	r->ranged = 1;
	if ((rc = pf_replay_run(r, err)) != PF_OK ||
	    (rc = encode(d, r, d->shard, d->nshards, oc, &buf, &len, err)) !=
	    PF_OK || (rc = pf_mkdirs(oc->dir, err)) != PF_OK)
		goto done;
	if ((path = pf_path_join(oc->dir, "part.pfp")) == NULL) {
		rc = pf_err_set(err, PF_ENOMEM, NULL, 0, "out of memory");
		goto done;
	}
	if ((rc = pf_atomic_open(&af, path, err)) != PF_OK)
		goto done;
	if (fwrite(buf, 1, len, af.f) != len) {
		rc = pf_err_set(err, PF_EIO, path, 0, "cannot write");
		goto done;
	}
	if ((rc = pf_atomic_commit(&af, err)) == PF_OK)
		fprintf(stderr, "preflight: wrote %s: shard %zu/%zu, queries "
		    "%zu to %zu of %zu\n", path, d->shard, d->nshards,
		    r->q0 + 1, r->q1, r->m.nq);
done:
	pf_atomic_abort(&af);
	free(path);
	free(buf);
	return rc;
}

int
pf_dist_stream_block(pf_dist *d, pf_replay *r, size_t b, size_t nb,
    pf_err *err)
{
	pf_part *p;
	char *buf = NULL;
	size_t len = 0;
	int rc;

	if ((p = realloc(d->parts, (d->nparts + 1) * sizeof(*p))) == NULL)
		return pf_err_set(err, PF_ENOMEM, NULL, 0, "out of memory");
	d->parts = p;
	d->inproc = 1;
	pf_part_range(r->m.nq, b, nb, &r->q0, &r->q1);
	r->ranged = 1;
	if ((rc = pf_replay_run(r, err)) == PF_OK &&
	    (rc = encode(d, r, b, nb, NULL, &buf, &len, err)) == PF_OK) {
		memset(&p[d->nparts], 0, sizeof(*p));
		if ((rc = pf_part_parse(&p[d->nparts], buf, len, "run --mem's "
		    "block", err)) == PF_OK)
			d->nparts++;
		else
			pf_part_clear(&p[d->nparts]);
		buf = NULL;	/* taken */
	}
	free(buf);
	r->ranged = 0;
	return rc;
}

#ifdef PF_HAVE_MPI
/*
 * A rank's failure, sent in place of its part: 'E' for a failed replay,
 * 'F' for a failure after it (the importance tasks, the part), the code
 * (int32), then err's where and message, each NUL-terminated. Rank 0
 * reports the first replay failure in rank order, else the first other
 * one: one process replays every query before any analysis runs.
 */
static char *
error_record(const pf_err *e, int replay, size_t *len)
{
	size_t nw = strlen(e->where), nm = strlen(e->msg);
	int32_t code = e->code ? e->code : PF_ESTAGE;
	char *b = malloc(1 + sizeof(code) + nw + 1 + nm + 1);

	if (b == NULL)
		return NULL;
	b[0] = replay ? 'E' : 'F';
	memcpy(b + 1, &code, sizeof(code));
	memcpy(b + 1 + sizeof(code), e->where, nw + 1);
	memcpy(b + 1 + sizeof(code) + nw + 1, e->msg, nm + 1);
	*len = 1 + sizeof(code) + nw + 1 + nm + 1;
	return b;
}

static int
from_error_record(const char *b, size_t len, pf_err *err)
{
	int32_t code;
	const char *where = b + 1 + sizeof(code), *msg;

	memcpy(&code, b + 1, sizeof(code));
	msg = where + strnlen(where, len - 1 - sizeof(code)) + 1;
	pf_err_set(err, code, where[0] ? where : NULL, 0, "%s", msg);
	return code;
}

/* Rank 0: the gathered parts, failures first in rank order, merged. */
static int
merge_gathered(pf_dist *d, pf_replay *r, char *all, const int *len,
    const int *off, const pf_outputs_cfg *oc, pf_err *err)
{
	pf_part *p = calloc((size_t)d->size, sizeof(*p));
	char where[64];
	int rc = PF_OK;

	if (p == NULL)
		return pf_err_set(err, PF_ENOMEM, NULL, 0, "out of memory");
	for (int pass = 0; pass < 2; pass++)
		for (int i = 0; i < d->size && rc == PF_OK; i++)
			if (len[i] > 0 && all[off[i]] == (pass ? 'F' : 'E'))
				rc = from_error_record(all + off[i],
				    (size_t)len[i], err);
	for (int i = 0; i < d->size && rc == PF_OK; i++) {
		char *b = malloc((size_t)len[i] + 1);
		snprintf(where, sizeof(where), "MPI rank %d's part", i);
		if (b == NULL) {
			rc = pf_err_set(err, PF_ENOMEM, NULL, 0,
			    "out of memory");
			break;
		}
		memcpy(b, all + off[i], (size_t)len[i]);
		rc = pf_part_parse(&p[i], b, (size_t)len[i], where, err);
	}
	if (rc == PF_OK)
		rc = pf_part_check_set(p, (size_t)d->size, err);
	if (rc == PF_OK)
		rc = merge_parts(d, r, p, (size_t)d->size, oc, err);
	if (rc == PF_OK)
		fprintf(stderr, "preflight: %d MPI ranks replayed %zu queries "
		    "(%zu to %zu each); rank 0 merged them\n", d->size,
		    r->m.nq, r->m.nq / (size_t)d->size, (r->m.nq +
		    (size_t)d->size - 1) / (size_t)d->size);
	for (int i = 0; i < d->size; i++)
		pf_part_clear(&p[i]);
	free(p);
	return rc;
}

/*
 * --export-features under MPI: this rank's queries' rows of the exported
 * stack, rendered as one process writes them, into *buf (*len bytes;
 * none when the stack is unknown: rank 0 reports it as one process).
 */
static int
export_rows(const pf_dist *d, const pf_replay *r, char **buf, size_t *len,
    pf_err *err)
{
	long k = pf_outputs_export_stack(r, d->export_stack);
	FILE *f;
	int bad;

	*buf = NULL;
	*len = 0;
	if (k < 0)
		return PF_OK;
	if ((f = open_memstream(buf, len)) == NULL)
		return pf_err_set(err, PF_ENOMEM, NULL, 0, "out of memory");
	bad = pf_outputs_export_rows(r, k, r->q0, r->q1, f) != 0;
	if (fclose(f) != 0 || bad) {
		free(*buf);
		*buf = NULL;
		*len = 0;
		return pf_err_set(err, PF_ENOMEM, NULL, 0, "out of memory");
	}
	if (*len > INT_MAX / 2)
		return pf_err_set(err, PF_ENOMEM, NULL, 0, "rank %d's exported "
		    "features are %zu bytes, over one MPI message: run more "
		    "ranks", d->rank, *len);
	return PF_OK;
}

/* Every rank's n bytes at buf gathered at rank 0, in rank order, into
   *all (malloc'd, NUL after) and *total; MPI_Abort when they cannot be. */
static void
gather_bytes(const pf_dist *d, const char *buf, int n, char **all,
    size_t *total, int **lens_out, int **off_out)
{
	int *lens = NULL, *off = NULL;

	*all = NULL;
	*total = 0;
	if (d->rank == 0 && ((lens = calloc((size_t)d->size,
	    sizeof(int))) == NULL || (off = calloc((size_t)d->size,
	    sizeof(int))) == NULL))
		MPI_Abort(MPI_COMM_WORLD, 2);
	MPI_Gather(&n, 1, MPI_INT, lens, 1, MPI_INT, 0, MPI_COMM_WORLD);
	if (d->rank == 0) {
		long long tot = 0;
		for (int i = 0; i < d->size; i++) {
			off[i] = (int)tot;
			tot += lens[i];
		}
		if (tot > INT_MAX || (*all = malloc((size_t)tot + 1)) == NULL)
			MPI_Abort(MPI_COMM_WORLD, 2);
		(*all)[tot] = '\0';
		*total = (size_t)tot;
	}
	MPI_Gatherv(buf, n, MPI_CHAR, *all, lens, off, MPI_CHAR, 0,
	    MPI_COMM_WORLD);
	if (lens_out != NULL) {
		*lens_out = lens;
		*off_out = off;
	} else {
		free(lens);
		free(off);
	}
}

/* MPI: this rank's share replayed and gathered at rank 0. */
static int
mpi_replay(pf_dist *d, pf_replay *r, const pf_outputs_cfg *oc, int *rc,
    pf_err *err)
{
	char *buf = NULL, *all = NULL, *xbuf = NULL;
	size_t len = 0, xlen = 0, tot;
	int n, *lens = NULL, *off = NULL, st, sst, ok, replayed;

	pf_part_range(r->m.nq, (size_t)d->rank, (size_t)d->size, &r->q0,
	    &r->q1);
	r->ranged = 1;
	replayed = (st = pf_replay_run(r, err)) == PF_OK;
	/* every rank calls it (a collective); a failure in it is after the
	   replay ('F') */
	if ((sst = pf_dist__mpi_summaries(d, r, replayed, err)) != PF_OK)
		st = sst;
	else if (replayed)
		st = encode(d, r, (size_t)d->rank, (size_t)d->size, oc, &buf,
		    &len, err);
	if (st == PF_OK && len > INT_MAX / 2)
		st = pf_err_set(err, PF_ENOMEM, NULL, 0, "rank %d's part is "
		    "%zu bytes, over one MPI message: run more ranks",
		    d->rank, len);
	if (st == PF_OK && d->export)
		st = export_rows(d, r, &xbuf, &xlen, err);
	if (st != PF_OK) {
		free(buf);
		free(xbuf);
		xbuf = NULL;
		xlen = 0;
		if ((buf = error_record(err, !replayed, &len)) == NULL)
			len = 0;
	}
	n = (int)len;
	gather_bytes(d, buf, n, &all, &tot, &lens, &off);
	free(buf);
	/* the exported rows: rank order is query order */
	if (d->export) {
		gather_bytes(d, xbuf, (int)xlen, &d->export_rows,
		    &d->export_len, NULL, NULL);
		free(xbuf);
	}
	if (d->rank == 0) {
		r->ranged = 0;
		memset(err, 0, sizeof(*err));
		st = merge_gathered(d, r, all, lens, off, oc, err);
	}
	ok = st == PF_OK;
	MPI_Bcast(&ok, 1, MPI_INT, 0, MPI_COMM_WORLD);
	free(all);
	free(lens);
	free(off);
	if (d->rank != 0) {
		*rc = ok ? 0 : 2;	/* rank 0 says why */
		memset(err, 0, sizeof(*err));
		return PF_OK;
	}
	return st;
}
#endif

int
pf_dist_replay(pf_dist *d, pf_replay *r, const pf_outputs_cfg *oc, int *rc,
    pf_err *err)
{
	int st;

	*rc = -1;
	if (!pf_dist_active(d))
		return pf_replay_run(r, err);
	if (d->nparts > 0)
		return merge_parts(d, r, d->parts, d->nparts, oc, err);
	if (d->sharded) {
		if ((st = write_shard(d, r, oc, err)) == PF_OK)
			*rc = 0;
		return st;
	}
#ifdef PF_HAVE_MPI
	return mpi_replay(d, r, oc, rc, err);
#else
	return pf_replay_run(r, err);
#endif
}
