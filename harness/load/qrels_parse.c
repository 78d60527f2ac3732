/*
 * qrels_parse.c — reading a qrels file (see qrels.h): the file is read
 * whole (qrels are small next to runs: 1M judgments is ~20 MB) and cut
 * into chunks of whole lines, which threads parse into raw judgments with
 * chunk-local topic and annotator ids; the ids are then merged in chunk
 * order, so first-seen order and every message are as a serial reader's.
 * qrels.c groups the judgments (pf_qrels__build).
 */
#include <omp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness/util/fileio.h"
#include "harness/load/qrels.h"
#include "harness/load/qrels_internal.h"
#include "harness/util/scan.h"
#include "harness/util/strtab.h"

/* One chunk of a qrels file, parsed by one thread. */
typedef struct pchunk {
	const char	*b, *e;		/* whole lines */
	size_t		 nlines, slot0;	/* its lines are slots slot0.. */
	pf_strtab	*topics, *annotators;	/* chunk-local ids */
	uint32_t	*map[2];	/* local id -> global id */
	size_t		 err_line;	/* global line of the first error */
	char		 err_msg[200];
	int		 oom;
} pchunk;

static void
parse_chunk(pchunk *c, pf_qrels_raw *r, const char *path)
{
	const char *p = c->b;
	size_t slot = c->slot0;
	uint32_t lineno = (uint32_t)c->slot0;	/* one slot per line */

	(void)path;
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
		r[slot].line = 0;	/* blank or comment unless filled */
		nf = pf_split_ws(line, le, fs, fl, 5);
		if (nf == 0 || fs[0][0] == '#') {
			slot++;
			continue;
		}
		if (nf != 4) {
			snprintf(c->err_msg, sizeof(c->err_msg), "expected 4 "
			    "fields (qid annotator docid grade), got %d", nf);
			c->err_line = lineno;
			return;
		}
		if (pf_parse_long(fs[3], fl[3], INT32_MIN, INT32_MAX, &g) != 0) {
			snprintf(c->err_msg, sizeof(c->err_msg), "grade '%.*s' "
			    "is not an integer", (int)fl[3] > 40 ? 40 :
			    (int)fl[3], fs[3]);
			c->err_line = lineno;
			return;
		}
		if (fl[2] > UINT32_MAX) {
			snprintf(c->err_msg, sizeof(c->err_msg), "docid too long");
			c->err_line = lineno;
			return;
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

int
pf_qrels_load(pf_qrels **out, const char *path, int mode, pf_agg agg,
    pf_err *err)
{
	pf_qrels *q = NULL;
	char *buf = NULL;
	size_t len = 0, nraw = 0, capraw = 0;
	pf_qrels_raw *r = NULL;
	int rc = PF_OK;

	*out = NULL;
	if ((rc = pf_read_file(&buf, &len, path, err)) != PF_OK)
		return rc;
	if ((q = pf_qrels__new(path)) == NULL)
		goto nomem;

	/* Lines -> raw judgments in file order, one slot per line, parsed in
	   parallel chunks; ids are interned per chunk, then merged in chunk
	   order so first-seen order (and every message) is as if serial. */
	size_t nch = len < (1u << 20) ? 1 : (size_t)omp_get_max_threads() * 4;
	pchunk *ch = calloc(nch, sizeof(*ch));
	if (ch == NULL)
		goto nomem;
	for (size_t c = 0; c < nch; c++) {
		size_t o = len * c / nch;
		while (c > 0 && o < len && buf[o - 1] != '\n')
			o++;
		ch[c].b = buf + o;
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
		ch[c].slot0 = capraw;
		capraw += ch[c].nlines;
	}
	if ((r = pf_malloc_big((capraw ? capraw : 1) * sizeof(*r))) == NULL) {
		free(ch);
		goto nomem;
	}
#pragma omp parallel for schedule(static, 1)
	for (size_t c = 0; c < nch; c++)
		parse_chunk(&ch[c], r, path);
	for (size_t c = 0; c < nch && rc == PF_OK; c++)
		if (ch[c].oom)
			rc = PF_ENOMEM;
		else if (ch[c].err_line != 0)
			rc = pf_err_set(err, PF_EFORMAT, path,
			    (long)ch[c].err_line, "%s", ch[c].err_msg);
	/* merge the chunks' ids into the global tables, in file order */
	for (size_t c = 0; c < nch && rc == PF_OK; c++) {
		pf_strtab *loc[2] = {ch[c].topics, ch[c].annotators};
		pf_strtab *glob[2] = {q->topics, q->annotators};
		for (int k = 0; k < 2 && rc == PF_OK; k++) {
			size_t n = loc[k] ? pf_strtab_count(loc[k]) : 0;
			if ((ch[c].map[k] = malloc((n + 1) * sizeof(uint32_t))) ==
			    NULL) {
				rc = PF_ENOMEM;
				break;
			}
			for (size_t i = 0; i < n; i++) {
				long g = pf_strtab_intern(glob[k], pf_strtab_str(
				    loc[k], i), pf_strtab_len(loc[k], i));
				if (g < 0) {
					rc = PF_ENOMEM;
					break;
				}
				ch[c].map[k][i] = (uint32_t)g;
			}
		}
	}
	if (rc == PF_OK) {
#pragma omp parallel for schedule(static, 1)
		for (size_t c = 0; c < nch; c++)
			for (size_t i = ch[c].slot0; i < ch[c].slot0 + ch[c].nlines;
			    i++)
				if (r[i].line != 0) {
					r[i].topic = ch[c].map[0][r[i].topic];
					r[i].annotator = ch[c].map[1][r[i].annotator];
				}
		for (size_t i = 0; i < capraw; i++)	/* drop blank lines */
			if (r[i].line != 0)
				r[nraw++] = r[i];
	}
	for (size_t c = 0; c < nch; c++) {
		pf_strtab_free(ch[c].topics);
		pf_strtab_free(ch[c].annotators);
		free(ch[c].map[0]);
		free(ch[c].map[1]);
	}
	free(ch);
	if (rc == PF_ENOMEM)
		goto nomem;
	if (rc != PF_OK)
		goto done;
	q->buf = buf;		/* the docids point into it */
	buf = NULL;
	if ((rc = pf_qrels__build(q, r, nraw, mode, agg, path, err)) != PF_OK)
		goto done;
	*out = q;
	q = NULL;
	goto done;
nomem:
	rc = pf_err_set(err, PF_ENOMEM, path, 0, "out of memory");
done:
	free(buf);
	free(r);
	pf_qrels_free(q);
	return rc;
}
