/*
 * harness/engine/eval.c — streaming, parallel evaluation of a TREC run (see
 * eval.h): the file opened, chunks parsed in parallel (eval_parse.c), the
 * first error in file order reported, topics split over chunks gathered,
 * totals and trec_eval -c's missing topics.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <omp.h>

#include "harness/engine/eval_internal.h"
#include "harness/load/formats.h"
#include "harness/util/fileio.h"
#include "harness/util/progress.h"

void
pf_evalrun_free(pf_evalrun *r)
{
	if (r == NULL)
		return;
	free(r->values);
	if (r->str != NULL)
		for (size_t t = 0; t < r->ntopics; t++)
			free(r->str[t]);
	free(r->str);
	free(r->in_run);
	free(r->nret);
	free(r->evaluated);
	free(r->runid);
	free(r);
}

static void
format_error(pf_err *err, const char *path, int code, size_t line,
    size_t line2, const char *msg)
{
	if (line2 > 0)
		pf_err_set(err, code, path, (long)line, "%s (first at line %zu)",
		    msg, line2);
	else
		pf_err_set(err, code, path, (long)line, "%s", msg);
}

/* Whether the plain file open at fd is a JSON run (its first bytes). */
static int
fd_is_json(int fd, const char *path)
{
	char head[4096];
	ssize_t n = pread(fd, head, sizeof(head), 0);

	return pf_run_is_json(path, head, n > 0 ? (size_t)n : 0);
}

/*
 * The run: a plain regular file is read in chunks; anything else whole:
 * standard input, a gzip file (inflated: memory holds the whole run), a
 * JSON run (converted to TREC text, formats.h).
 */
static int
open_run(ctx *c, char **mem, pf_err *err)
{
	struct stat st;
	int rc;

	if (strcmp(c->path, "-") != 0 && stat(c->path, &st) == 0 &&
	    S_ISREG(st.st_mode)) {
		if ((c->fd = open(c->path, O_RDONLY)) < 0)
			return pf_err_set(err, PF_EIO, c->path, 0,
			    "cannot open: %s", strerror(errno));
		c->size = (size_t)st.st_size;
		if (!pf_fd_is_gzip(c->fd) && !fd_is_json(c->fd, c->path))
			return PF_OK;
		close(c->fd);
		c->fd = -1;
	}
	if ((rc = pf_read_file(mem, &c->size, c->path, err)) != PF_OK)
		return rc;
	if (pf_run_is_json(c->path, *mem, c->size)) {
		char *trec;
		c->r->bom = c->size >= 3 && memcmp(*mem, "\xef\xbb\xbf", 3) == 0;
		rc = pf_json_run_to_trec(&trec, &c->size, *mem, c->size,
		    c->path, err);
		free(*mem);
		*mem = trec;
		if (rc != PF_OK)
			return rc;
	}
	c->mem = *mem;
	return PF_OK;
}

/* The result, the qrels' grades per topic and per-thread workers. */
static int
setup(ctx *c, size_t nt, size_t nv, worker **ws, int nw)
{
	pf_evalrun *r;
	int32_t *qg;
	size_t *qoff;

	/* Qrels grades per topic, contiguous, descending. */
	if (pf_qrels_grades_desc(c->q, &qg, &qoff) != PF_OK)
		return PF_ENOMEM;
	c->qgrades = qg;
	c->qoff = qoff;
	if ((c->r = r = calloc(1, sizeof(*r))) == NULL ||
	    (r->values = calloc(nt * nv + 1, sizeof(*r->values))) == NULL ||
	    (r->str = calloc(nt + 1, sizeof(*r->str))) == NULL ||
	    (r->in_run = calloc(nt + 1, 1)) == NULL ||
	    (r->nret = calloc(nt + 1, sizeof(*r->nret))) == NULL ||
	    (r->evaluated = calloc(nt + 1, 1)) == NULL ||
	    (c->segcount = calloc(nt + 1, sizeof(*c->segcount))) == NULL ||
	    (*ws = calloc((size_t)nw, sizeof(**ws))) == NULL)
		return PF_ENOMEM;
	r->ntopics = nt;
	r->nvalues = nv;
	return PF_OK;
}

static void
workers_free(worker *ws, int nw)
{
	for (int i = 0; ws != NULL && i < nw; i++) {
		free(ws[i].buf);
		free(ws[i].ents);
		free(ws[i].tmp);
		free(ws[i].rel);
		free(ws[i].jrel);
		free(ws[i].set);
	}
	free(ws);
}

/* Every chunk, in parallel. */
static void
parse_all(ctx *c, worker *ws, chunk *ch, size_t nch)
{
	size_t maxlen = 0;
	pf_progress pg;

	for (size_t i = 0; i < nch; i++)
		maxlen = ch[i].len > maxlen ? ch[i].len : maxlen;
	pf_progress_start(&pg, c->o->progress && nch > 1, c->path, "chunks",
	    nch);
#pragma omp parallel for schedule(dynamic, 1)
	for (size_t i = 0; i < nch; i++) {
		worker *w = &ws[omp_get_thread_num()];
		if (c->fd >= 0)
			(void)pf_eval__worker_buf(w, maxlen + 1);  /* else: read_range */
		pf_eval__parse_chunk(c, w, &ch[i]);
		pf_progress_step(&pg, 1);
	}
	pf_progress_end(&pg);
}

/* Global line numbers into line_base; the first error in file order. */
static int
chunk_errors(const char *path, const chunk *ch, size_t nch,
    size_t *line_base, pf_err *err)
{
	for (size_t i = 0; i < nch; i++) {
		if (ch[i].oom)
			return pf_err_set(err, PF_ENOMEM, path, 0,
			    "out of memory");
		if (ch[i].err_code != 0) {
			format_error(err, path, ch[i].err_code, line_base[i] +
			    ch[i].err_line, ch[i].err_line2 ? line_base[i] +
			    ch[i].err_line2 : 0, ch[i].err_msg);
			return ch[i].err_code;
		}
		line_base[i + 1] = line_base[i] + ch[i].nlines;
	}
	return PF_OK;
}

/* The gathered topics (their segments in file order), or NULL. */
static gtopic *
gather_list(const ctx *c, const chunk *ch, size_t nch, const size_t *line_base,
    size_t nt, size_t *ng_out, gseg **gs_out)
{
	size_t ng = 0, nsegs = 0, k = 0;
	size_t *first = calloc(nt + 1, sizeof(*first));
	gtopic *gt = NULL;
	gseg *gs = NULL;

	for (size_t t = 0; t < nt; t++)
		ng += c->segcount[t] > 1;
	if (first == NULL || (gt = calloc(ng + 1, sizeof(*gt))) == NULL)
		goto fail;
	for (size_t t = 0; t < nt; t++)
		if (c->segcount[t] > 1) {
			gt[k] = (gtopic){.topic = t, .s0 = nsegs,
			    .ns = c->segcount[t]};
			nsegs += c->segcount[t];
			first[t] = k++;
		}
	if ((gs = calloc(nsegs + 1, sizeof(*gs))) == NULL)
		goto fail;
	for (size_t i = 0; i < nch; i++)
		for (size_t s = 0; s < ch[i].nsegs; s++) {
			size_t t = (size_t)ch[i].segs[s].topic;
			if (c->segcount[t] <= 1)
				continue;
			gtopic *g = &gt[first[t]];
			gs[g->s0 + g->err_line] = (gseg){ch[i].segs[s],
			    line_base[i]};
			g->err_line++;	/* fill count, reset below */
		}
	for (size_t i = 0; i < ng; i++)
		gt[i].err_line = 0;
	free(first);
	*ng_out = ng;
	*gs_out = gs;
	return gt;
fail:
	free(first);
	free(gt);
	return NULL;
}

/* Topics with several segments: gathered, in file order. */
static int
gather(ctx *c, worker *ws, const chunk *ch, size_t nch,
    const size_t *line_base, size_t nt, pf_err *err)
{
	size_t ng = 0;
	gseg *gs = NULL;
	gtopic *gt = gather_list(c, ch, nch, line_base, nt, &ng, &gs), *best;
	int rc = PF_OK;

	if (gt == NULL)
		return pf_err_set(err, PF_ENOMEM, c->path, 0, "out of memory");
#pragma omp parallel for schedule(dynamic, 1)
	for (size_t i = 0; i < ng; i++)
		pf_eval__gather_topic(c, &ws[omp_get_thread_num()], &gt[i], gs);
	best = NULL;
	for (size_t i = 0; i < ng && rc == PF_OK; i++) {
		if (gt[i].err_code == PF_ENOMEM)
			rc = pf_err_set(err, PF_ENOMEM, c->path, 0,
			    "out of memory");
		else if (gt[i].err_code == PF_EIO)
			rc = pf_err_set(err, PF_EIO, c->path, 0, "read error");
		else if (gt[i].err_code != 0 && (best == NULL ||
		    gt[i].err_line < best->err_line))
			best = &gt[i];
	}
	if (rc == PF_OK && best != NULL) {
		format_error(err, c->path, best->err_code, best->err_line,
		    best->err_line2, best->err_msg);
		rc = best->err_code;
	}
	free(gt);
	free(gs);
	return rc;
}

/* Totals, runid, and -c topics. */
static int
totals(ctx *c, worker *ws, chunk *ch, size_t nch, size_t nt, pf_err *err)
{
	const pf_evalrun_opts *o = c->o;
	pf_evalrun *r = c->r;
	size_t ndata = 0, nv = r->nvalues;

	for (size_t i = 0; i < nch; i++) {
		ndata += ch[i].ndata;
		r->nunknown_lines += ch[i].nunknown;
		if (ch[i].last_tag != NULL) {
			free(r->runid);
			r->runid = ch[i].last_tag;
			ch[i].last_tag = NULL;
		}
	}
	if (ndata == 0)
		return pf_err_set(err, PF_EFORMAT, c->path, 0,
		    "no run lines (expected qid Q0 docid rank score tag)");
	for (size_t t = 0; t < nt; t++) {
		r->in_run[t] = c->segcount[t] > 0;
		if (r->in_run[t]) {
			r->evaluated[t] = 1;
			r->num_q++;
			continue;
		}
		r->nmissing++;
		if (!o->complete)
			continue;
		pf_te_topic tp = {.rel = NULL, .nret = 0,
		    .qrels = c->qgrades + c->qoff[t],
		    .nqrels = c->qoff[t + 1] - c->qoff[t], .missing = 1};
		ws[0].str[0] = '\0';
		pf_te_eval_topic(o->spec, o->te, &tp, r->values + t * nv,
		    ws[0].str, sizeof(ws[0].str));
		r->str[t] = ws[0].str[0] ? strdup(ws[0].str) : NULL;
		r->evaluated[t] = 1;
		r->num_q++;
	}
	if (r->num_q == 0)
		return pf_err_set(err, PF_EDATA, c->path, 0, "no topic of the run "
		    "is in the qrels '%s'", pf_qrels_path(c->q));
	return PF_OK;
}

int
pf_evalrun_file(pf_evalrun **out, const pf_qrels *q, const char *path,
    const pf_evalrun_opts *o, pf_err *err)
{
	ctx c = {.q = q, .o = o, .path = path, .fd = -1};
	chunk *ch = NULL;
	size_t nch = 0, nt = pf_qrels_ntopics(q);
	worker *ws = NULL;
	int nw = omp_get_max_threads(), rc;
	char *mem = NULL;
	size_t *line_base = NULL;

	*out = NULL;
	if (setup(&c, nt, pf_te_spec_nvalues(o->spec), &ws, nw) != PF_OK) {
		rc = pf_err_set(err, PF_ENOMEM, path, 0, "out of memory");
		goto done;
	}
	if ((rc = open_run(&c, &mem, err)) != PF_OK)
		goto done;
	if (pf_eval__split_chunks(&c, &ch, &nch) != 0) {
		rc = pf_err_set(err, PF_EIO, path, 0, "read error: %s",
		    strerror(errno));
		goto done;
	}
	parse_all(&c, ws, ch, nch);
	if ((line_base = calloc(nch + 1, sizeof(*line_base))) == NULL) {
		rc = pf_err_set(err, PF_ENOMEM, path, 0, "out of memory");
		goto done;
	}
	if ((rc = chunk_errors(path, ch, nch, line_base, err)) != PF_OK ||
	    (rc = gather(&c, ws, ch, nch, line_base, nt, err)) != PF_OK ||
	    (rc = totals(&c, ws, ch, nch, nt, err)) != PF_OK)
		goto done;
	*out = c.r;
	c.r = NULL;
done:
	for (size_t i = 0; ch != NULL && i < nch; i++) {
		free(ch[i].segs);
		free(ch[i].last_tag);
	}
	free(ch);
	workers_free(ws, nw);
	free(line_base);
	free(c.segcount);
	free((void *)c.qgrades);
	free((void *)c.qoff);
	free(mem);
	if (c.fd >= 0)
		close(c.fd);
	pf_evalrun_free(c.r);
	return rc;
}
