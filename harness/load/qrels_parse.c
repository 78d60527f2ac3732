/*
 * qrels_parse.c — reading a qrels file (see qrels.h): the file is read
 * whole (qrels are small next to runs: 1M judgments is ~20 MB) and cut
 * into chunks of whole lines, which threads parse into raw judgments with
 * chunk-local topic and annotator ids; the ids are then merged in chunk
 * order, so first-seen order and every message are as a serial reader's.
 * qrels.c groups the judgments (pf_qrels__build). JSON qrels and BEIR's
 * TSV are converted to TREC text first (formats.h).
 */
#include <omp.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness/util/diags.h"
#include "harness/util/fileio.h"
#include "harness/load/formats.h"
#include "harness/load/qrels.h"
#include "harness/load/qrels_internal.h"
#include "harness/util/scan.h"
#include "harness/util/strtab.h"

/* A malformed line, kept for the diags. */
typedef struct badline {
	uint32_t	line;
	char		msg[200];
} badline;

/* One chunk of a qrels file, parsed by one thread. */
typedef struct pchunk {
	const char	*b, *e;		/* whole lines */
	size_t		 nlines, slot0;	/* its lines are slots slot0.. */
	pf_strtab	*topics, *annotators;	/* chunk-local ids */
	uint32_t	*map[2];	/* local id -> global id */
	size_t		 err_line;	/* global line of the first error */
	char		 err_msg[200];
	int		 oom;
	int		 all;		/* go on past malformed lines */
	badline		*bad;		/* all: the first PF_DIAGS_MAX of them */
	size_t		 nbad;		/* all: how many */
} pchunk;

static int	bad_line(pchunk *c, uint32_t line, const char *fmt, ...)
		    __attribute__((format(printf, 3, 4)));

/*
 * Notes that line `line` of c is malformed: the first such line in
 * err_line and err_msg and, when every one is wanted (c->all), each in
 * c->bad. Returns nonzero when the parse goes on.
 */
static int
bad_line(pchunk *c, uint32_t line, const char *fmt, ...)
{
	char msg[sizeof(c->err_msg)];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (c->err_line == 0) {
		c->err_line = line;
		memcpy(c->err_msg, msg, sizeof(msg));
	}
	if (!c->all)
		return 0;
	if (c->bad == NULL &&
	    (c->bad = malloc(PF_DIAGS_MAX * sizeof(*c->bad))) == NULL) {
		c->oom = 1;
		return 0;
	}
	if (c->nbad < PF_DIAGS_MAX) {
		c->bad[c->nbad].line = line;
		memcpy(c->bad[c->nbad].msg, msg, sizeof(msg));
	}
	c->nbad++;
	return 1;
}

/* Why a line with nf fields fs[0..4), fl failed the checks of parse_chunk
   (off the hot path: it checks again); as bad_line. */
static int
malformed(pchunk *c, uint32_t line, int nf, const char *const *fs,
    const size_t *fl)
{
	long g;

	if (nf != 4)
		return bad_line(c, line, "expected 4 fields (qid annotator "
		    "docid grade), got %d", nf);
	if (pf_parse_long(fs[3], fl[3], INT32_MIN, INT32_MAX, &g) != 0)
		return bad_line(c, line, "grade '%.*s' is not an integer",
		    (int)fl[3] > 40 ? 40 : (int)fl[3], fs[3]);
	return bad_line(c, line, "docid too long");
}

static void
parse_chunk(pchunk *c, pf_qrels_raw *r)
{
	const char *p = c->b;
	size_t slot = c->slot0;
	uint32_t lineno = (uint32_t)c->slot0;	/* one slot per line */

	if ((c->topics = pf_strtab_new()) == NULL ||
	    (c->annotators = pf_strtab_new()) == NULL) {
		c->oom = 1;
		return;
	}
	while (p < c->e) {
		const char *line, *le = pf_take_line(&p, c->e, &line);
		const char *fs[5];
		size_t fl[5];
		int nf;
		long g;

		lineno++;
		r[slot].line = 0;	/* blank, comment or malformed */
		nf = pf_split_ws(line, le, fs, fl, 5);
		if (nf == 0 || fs[0][0] == '#') {
			slot++;
			continue;
		}
		if (nf != 4 || pf_parse_long(fs[3], fl[3], INT32_MIN,
		    INT32_MAX, &g) != 0 || fl[2] > UINT32_MAX) {
			if (!malformed(c, lineno, nf, fs, fl))
				return;
			slot++;
			continue;
		}
		/* The docid stays in the file buffer, which the qrels keep:
		   NUL-terminate it in place (the byte after it is a field
		   separator, and the line has been read). */
		((char *)fs[2])[fl[2]] = '\0';
		long t = pf_strtab_intern(c->topics, fs[0], fl[0]);
		long a = pf_strtab_intern(c->annotators, fs[1], fl[1]);
		if (t < 0 || a < 0) {
			c->oom = 1;
			return;
		}
		r[slot++] = (pf_qrels_raw){(uint32_t)t, (uint32_t)a, fs[2],
		    (uint32_t)fl[2], (int32_t)g, lineno};
	}
}

/*
 * buf[0..len) cut into *n_out chunks of whole lines (one when the file is
 * under 1 MiB), each with its line count and first slot; *nslots_out is
 * the total. all: as pchunk's. NULL when out of memory.
 */
static pchunk *
chunks_new(const char *buf, size_t len, int all, size_t *n_out,
    size_t *nslots_out)
{
	size_t nch = len < (1u << 20) ? 1 : (size_t)omp_get_max_threads() * 4;
	size_t nslots = 0;
	pchunk *ch = calloc(nch, sizeof(*ch));

	if (ch == NULL)
		return NULL;
	for (size_t c = 0; c < nch; c++) {
		size_t o = len * c / nch;
		while (c > 0 && o < len && buf[o - 1] != '\n')
			o++;
		ch[c].b = buf + o;
		ch[c].all = all;
	}
	for (size_t c = 0; c < nch; c++)
		ch[c].e = c + 1 < nch ? ch[c + 1].b : buf + len;
#pragma omp parallel for schedule(static, 1)
	for (size_t c = 0; c < nch; c++) {
		size_t n = 0;
		for (const char *x = ch[c].b; x < ch[c].e && (x = memchr(x, '\n',
		    (size_t)(ch[c].e - x))) != NULL; x++)
			n++;
		ch[c].nlines = n + (ch[c].e > ch[c].b && ch[c].e[-1] != '\n');
	}
	for (size_t c = 0; c < nch; c++) {
		ch[c].slot0 = nslots;
		nslots += ch[c].nlines;
	}
	*n_out = nch;
	*nslots_out = nslots;
	return ch;
}

static void
chunks_free(pchunk *ch, size_t nch)
{
	for (size_t c = 0; ch != NULL && c < nch; c++) {
		pf_strtab_free(ch[c].topics);
		pf_strtab_free(ch[c].annotators);
		free(ch[c].map[0]);
		free(ch[c].map[1]);
		free(ch[c].bad);
	}
	free(ch);
}

/*
 * What the parse found, in file order: PF_OK, PF_ENOMEM, or PF_EFORMAT
 * with the first malformed line in err and, when d is not NULL, every
 * malformed line in d (beyond its cap, counted as dropped).
 */
static int
chunks_errors(const pchunk *ch, size_t nch, const char *path, pf_diags *d,
    pf_err *err)
{
	int rc = PF_OK;

	for (size_t c = 0; c < nch; c++) {
		if (ch[c].oom)
			return rc != PF_OK ? rc : PF_ENOMEM;
		if (ch[c].err_line == 0)
			continue;
		if (rc == PF_OK)
			rc = pf_err_set(err, PF_EFORMAT, path,
			    (long)ch[c].err_line, "%s", ch[c].err_msg);
		if (d == NULL)
			return rc;
		size_t kept = ch[c].nbad < PF_DIAGS_MAX ? ch[c].nbad :
		    PF_DIAGS_MAX;
		for (size_t i = 0; i < kept; i++)
			pf_diags_add(d, path, (long)ch[c].bad[i].line, "%s",
			    ch[c].bad[i].msg);
		/* more than kept: d is full now, the rest are dropped */
		d->dropped += ch[c].nbad - kept;
	}
	return rc;
}

/*
 * Merges the chunks' ids into q's tables in file order, renumbers the
 * judgments in r[0..nslots) with them and drops the empty slots (blank
 * lines, comments): *nraw judgments are left. PF_OK or PF_ENOMEM.
 */
static int
chunks_merge(pf_qrels *q, pchunk *ch, size_t nch, pf_qrels_raw *r,
    size_t nslots, size_t *nraw)
{
	for (size_t c = 0; c < nch; c++) {
		pf_strtab *loc[2] = {ch[c].topics, ch[c].annotators};
		pf_strtab *glob[2] = {q->topics, q->annotators};
		for (int k = 0; k < 2; k++) {
			size_t n = loc[k] ? pf_strtab_count(loc[k]) : 0;
			if ((ch[c].map[k] = malloc((n + 1) * sizeof(uint32_t))) ==
			    NULL)
				return PF_ENOMEM;
			for (size_t i = 0; i < n; i++) {
				long g = pf_strtab_intern(glob[k], pf_strtab_str(
				    loc[k], i), pf_strtab_len(loc[k], i));
				if (g < 0)
					return PF_ENOMEM;
				ch[c].map[k][i] = (uint32_t)g;
			}
		}
	}
#pragma omp parallel for schedule(static, 1)
	for (size_t c = 0; c < nch; c++)
		for (size_t i = ch[c].slot0; i < ch[c].slot0 + ch[c].nlines; i++)
			if (r[i].line != 0) {
				r[i].topic = ch[c].map[0][r[i].topic];
				r[i].annotator = ch[c].map[1][r[i].annotator];
			}
	*nraw = 0;
	for (size_t i = 0; i < nslots; i++)
		if (r[i].line != 0)
			r[(*nraw)++] = r[i];
	return PF_OK;
}

int
pf_qrels_load(pf_qrels **out, const char *path, int mode, pf_agg agg,
    pf_err *err)
{
	pf_qrels_opts o = {.mode = mode, .agg = agg};

	return pf_qrels_load_opts(out, path, &o, err);
}

int
pf_qrels_load_opts(pf_qrels **out, const char *path, const pf_qrels_opts *o,
    pf_err *err)
{
	size_t len = 0, nch = 0, nslots = 0, nraw = 0;
	char *buf = NULL;
	pchunk *ch = NULL;
	pf_qrels_raw *r = NULL;
	pf_qrels *q = NULL;
	int rc;

	*out = NULL;
	if ((rc = pf_read_text(&buf, &len, path, err)) != PF_OK)
		return rc;
	/* Other tools' formats (JSON, BEIR TSV) become TREC text first. */
	pf_textfmt fmt = pf_qrels_format(path, buf, len);
	if (fmt != PF_FMT_TREC) {
		char *trec;
		rc = pf_qrels_to_trec(&trec, &len, fmt, buf, len, path, err);
		free(buf);
		if (rc != PF_OK)
			return rc;
		buf = trec;
	}
	/* Lines -> raw judgments in file order, one slot per line. */
	if ((q = pf_qrels__new(path)) == NULL ||
	    (ch = chunks_new(buf, len, o->diags != NULL, &nch, &nslots)) ==
	    NULL ||
	    (r = pf_malloc_big((nslots ? nslots : 1) * sizeof(*r))) == NULL)
		goto nomem;
#pragma omp parallel for schedule(static, 1)
	for (size_t c = 0; c < nch; c++)
		parse_chunk(&ch[c], r);
	if ((rc = chunks_errors(ch, nch, path, o->diags, err)) == PF_OK)
		rc = chunks_merge(q, ch, nch, r, nslots, &nraw);
	if (rc == PF_ENOMEM)
		goto nomem;
	if (rc != PF_OK)
		goto done;
	q->buf = buf;		/* the docids point into it */
	buf = NULL;
	if ((rc = pf_qrels__build(q, r, nraw, o, path, err)) == PF_OK) {
		*out = q;
		q = NULL;
	}
	goto done;
nomem:
	rc = pf_err_set(err, PF_ENOMEM, path, 0, "out of memory");
done:
	chunks_free(ch, nch);
	free(buf);
	free(r);
	pf_qrels_free(q);
	return rc;
}
