/*
 * harness/engine/eval_parse.c — the parallel part of evaluating a TREC run
 * (see eval.h and eval.c).
 *
 * Layout of the work:
 *   1. Split the file into chunks of ~8 MiB ending on line boundaries.
 *   2. In parallel over chunks: read the chunk (pread into a per-thread
 *      buffer, so resident memory stays ~ threads x chunk size), parse each
 *      line with hand-written scanners, look the docid up in the topic's
 *      qrels table, and cut the lines into segments (consecutive lines of
 *      one topic). When a segment ends, the first segment of its topic to
 *      finish (an atomic counter decides) is checked for duplicates, sorted
 *      and evaluated straight into the topic's slot.
 *   3. Topics that turned out to have several segments (split by a chunk
 *      boundary, or scattered through the file) are re-read from their
 *      segments' byte ranges, merged and evaluated again, in parallel over
 *      topics.
 * Each topic's values depend only on its set of lines (sorted by score
 * descending, then docid descending: trec_eval's order, a total order once
 * duplicates are refused), so any thread count and any chunking give the
 * same bytes. Errors are kept per chunk with chunk-local line numbers and
 * turned into global ones afterwards; the first in file order is reported.
 */
#include <errno.h>
#include <math.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <omp.h>

#include "harness/engine/eval_internal.h"
#include "harness/util/fileio.h"
#include "harness/util/grow.h"
#include "harness/util/scan.h"
#include "harness/util/strtab.h"

/* Fields of one run line. */
typedef struct fields {
	const char	*qid, *doc, *tag;
	size_t		 qid_len, doc_len, tag_len;
	double		 score;
} fields;

/* 0: a data line; 1: blank or comment; -1: malformed (msg set). */
static int
parse_line(const char *p, const char *end, fields *f, char *msg, size_t msgsz,
    const char **lep)
{
	/* One pass finds both the fields and the line's end (no memchr
	   first): 1 = field separator, 2 = newline. */
	static const unsigned char cls[256] = {
		[' '] = 1, ['\t'] = 1, ['\r'] = 1, ['\v'] = 1, ['\f'] = 1,
		['\n'] = 2, ['\0'] = 3,
	};
	const char *fs[6];
	size_t fl[6];
	int nf = 0, nul = 0;

#ifdef __SSE2__
	/* The common case, a line shorter than 64 bytes with 64 readable
	   bytes: separator and newline bitmaps of the next 64 bytes, fields
	   from their transitions. */
	if (end - p >= 64) {
		uint64_t ws = 0, nl = 0, zb = 0;
		const __m128i c9 = _mm_set1_epi8(9), c4 = _mm_set1_epi8(4);
		const __m128i sp = _mm_set1_epi8(' '), lf = _mm_set1_epi8('\n');
		for (int b = 0; b < 4; b++) {
			__m128i v = _mm_loadu_si128((const __m128i *)(const
			    void *)(p + 16 * b));
			__m128i x = _mm_sub_epi8(v, c9);	/* \t..\r: 0..4 */
			__m128i w = _mm_or_si128(_mm_cmpeq_epi8(v, sp),
			    _mm_cmpeq_epi8(_mm_min_epu8(x, c4), x));
			ws |= (uint64_t)(uint32_t)_mm_movemask_epi8(w) <<
			    (16 * b);
			nl |= (uint64_t)(uint32_t)_mm_movemask_epi8(
			    _mm_cmpeq_epi8(v, lf)) << (16 * b);
			zb |= (uint64_t)(uint32_t)_mm_movemask_epi8(
			    _mm_cmpeq_epi8(v, _mm_setzero_si128())) << (16 * b);
		}
		if (nl != 0) {
			unsigned L = (unsigned)__builtin_ctzll(nl);
			nul = (zb & ((UINT64_C(1) << L) - 1)) != 0;
			uint64_t non = ~ws & ((UINT64_C(1) << L) - 1);
			uint64_t st = non & ~(non << 1), en = non & ~(non >> 1);
			while (st != 0 && nf < 6) {
				unsigned a = (unsigned)__builtin_ctzll(st);
				unsigned z = (unsigned)__builtin_ctzll(en);
				fs[nf] = p + a;
				fl[nf++] = z - a + 1;
				st &= st - 1;
				en &= en - 1;
			}
			*lep = p + L;
			goto split;
		}
	}
#endif
	for (;;) {
		while (p < end && cls[(unsigned char)*p] == 1)
			p++;
		if (p >= end || *p == '\n')
			break;
		const char *s = p;
		while (p < end && (cls[(unsigned char)*p] == 0 ||
		    cls[(unsigned char)*p] == 3))
			nul |= *p++ == '\0';
		fs[nf] = s;
		fl[nf] = (size_t)(p - s);
		if (++nf == 6) {	/* fields past the tag are ignored */
			if (p < end && *p != '\n') {
				const char *nl = memchr(p, '\n',
				    (size_t)(end - p));
				p = nl ? nl : end;
			}
			break;
		}
	}
	*lep = p;
#ifdef __SSE2__
split:
#endif

	if (nul) {	/* a NUL inside a field: binary junk, not text */
		snprintf(msg, msgsz, "NUL byte in the line (expected text)");
		return -1;
	}
	if (nf == 0 || fs[0][0] == '#')
		return 1;
	if (nf < 6) {
		snprintf(msg, msgsz, "expected 6 fields (qid Q0 docid rank "
		    "score tag), got %d", nf);
		return -1;
	}
	if (pf_parse_double(fs[4], fl[4], &f->score) != 0 ||
	    !isfinite(f->score)) {
		snprintf(msg, msgsz, "score '%.*s' is not a finite number",
		    fl[4] > 40 ? 40 : (int)fl[4], fs[4]);
		return -1;
	}
	if (fl[2] > UINT32_MAX) {
		snprintf(msg, msgsz, "docid too long");
		return -1;
	}
	f->qid = fs[0];
	f->qid_len = fl[0];
	f->doc = fs[2];
	f->doc_len = fl[2];
	f->tag = fs[5];
	f->tag_len = fl[5];
	return 0;
}

/* The entry for line number line, judged through topic table v. */
static inline ent
make_ent(const pf_qrels_view *v, const fields *f, size_t line)
{
	uint64_t h = pf_hash_bytes(f->doc, f->doc_len);
	long k = pf_qrels_view_find(v, f->doc, f->doc_len, h);
	int32_t g = PF_TE_NONPOOL;

	if (k >= 0) {
		g = v->pairs[k].grade_int;
		g = g < 0 ? PF_TE_UNJUDGED : g;
	}
	return (ent){f->score, f->doc, (uint32_t)f->doc_len, g,
	    (uint32_t)line, (uint32_t)h};
}

static void
chunk_error(chunk *ch, int code, size_t line, size_t line2, const char *msg)
{
	if (ch->err_code != 0 && ch->err_line <= line)
		return;
	ch->err_code = code;
	ch->err_line = line;
	ch->err_line2 = line2;
	snprintf(ch->err_msg, sizeof(ch->err_msg), "%s", msg);
}

static int
add_seg(chunk *ch, long topic, size_t off, size_t len, size_t line0)
{
	if (ch->nsegs == ch->capsegs) {
		seg *s = pf_grow(ch->segs, &ch->capsegs, ch->nsegs + 1,
		    sizeof(*s));
		if (s == NULL)
			return -1;
		ch->segs = s;
	}
	ch->segs[ch->nsegs++] = (seg){topic, off, len, line0};
	return 0;
}

/*
 * At least n bytes of read buffer; its contents are not kept. Sized once
 * per worker for the largest chunk (huge pages, one first touch); a
 * gathered range may need more.
 */
int
pf_eval__worker_buf(worker *w, size_t n)
{
	return pf_big_reserve((void **)&w->buf, &w->cap, n);
}

static const char *
read_range(ctx *c, worker *w, size_t off, size_t len)
{
	if (c->fd < 0)
		return c->mem + off;
	if (pf_eval__worker_buf(w, len + 1) != 0)
		return NULL;
	size_t got = 0;
	while (got < len) {
		ssize_t k = pread(c->fd, w->buf + got, len - got,
		    (off_t)(off + got));
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			return NULL;
		got += (size_t)k;
	}
	return w->buf;
}

/* Ends the current segment [s0, p) of topic t in chunk ch. */
static void
end_segment(ctx *c, worker *w, chunk *ch, long t, size_t abs0, size_t len,
    size_t line0)
{
	char msg[448];
	size_t l1 = 0, l2 = 0;

	if (t < 0)
		return;
	if (add_seg(ch, t, abs0, len, line0) != 0) {
		ch->oom = 1;
		return;
	}
	if (__atomic_fetch_add(&c->segcount[t], 1, __ATOMIC_RELAXED) != 0)
		return;		/* another segment exists: gathered later */
	int rc = pf_eval__eval_topic(c, w, (size_t)t, &l1, &l2, msg, sizeof(msg));
	if (rc == -2)
		ch->oom = 1;
	else if (rc < 0)
		chunk_error(ch, PF_EFORMAT, l1, l2, msg);
}

void
pf_eval__parse_chunk(ctx *c, worker *w, chunk *ch)
{
	const char *data = read_range(c, w, ch->off, ch->len);
	const char *p, *end;
	const char *tag = NULL, *cur_qid = NULL;
	size_t tag_len = 0, cur_len = 0, line = 0, seg_line0 = 0;
	const char *seg_start = NULL;
	long cur_topic = -1;
	pf_qrels_view view = {0};
	char msg[448];

	if (data == NULL) {
		chunk_error(ch, PF_EIO, 1, 0, "read error");
		return;
	}
	p = data;
	end = data + ch->len;
	if (ch->off == 0 && ch->len >= 3 && memcmp(p, "\xef\xbb\xbf", 3) == 0) {
		p += 3;		/* a UTF-8 byte-order mark: the caller warns */
		c->r->bom = 1;
	}
	w->n = 0;
	while (p < end) {
		const char *le;
		fields f;
		int r;

		line++;
		r = parse_line(p, end, &f, msg, sizeof(msg), &le);
		if (r < 0) {
			chunk_error(ch, PF_EFORMAT, line, 0, msg);
			break;
		}
		if (r == 0) {
			if (cur_qid == NULL || f.qid_len != cur_len ||
			    memcmp(f.qid, cur_qid, cur_len) != 0) {
				if (cur_qid != NULL)
					end_segment(c, w, ch, cur_topic,
					    ch->off + (size_t)(seg_start - data),
					    (size_t)(p - seg_start), seg_line0);
				cur_qid = f.qid;
				cur_len = f.qid_len;
				cur_topic = pf_qrels_topic(c->q, f.qid, f.qid_len);
				if (cur_topic >= 0)
					pf_qrels_view_of(c->q, (size_t)cur_topic,
					    &view);
				seg_start = p;
				seg_line0 = line - 1;
				w->n = 0;
			}
			if (cur_topic >= 0) {
				if (pf_eval__worker_reserve(w, w->n + 1) != 0) {
					ch->oom = 1;
					break;
				}
				w->ents[w->n++] = make_ent(&view, &f, line);
			} else
				ch->nunknown++;
			ch->ndata++;
			tag = f.tag;
			tag_len = f.tag_len;
		}
		p = le < end ? le + 1 : end;
	}
	if (cur_qid != NULL)
		end_segment(c, w, ch, cur_topic, ch->off + (size_t)(seg_start -
		    data), (size_t)(p - seg_start), seg_line0);
	ch->nlines = line;
	if (tag != NULL && (ch->last_tag = strndup(tag, tag_len)) == NULL)
		ch->oom = 1;
}

/* Chunk boundaries: just after a '\n' at or after each nominal offset. */
int
pf_eval__split_chunks(ctx *c, chunk **out, size_t *nout)
{
	size_t cb = c->o->chunk_bytes ? c->o->chunk_bytes : DEFAULT_CHUNK;
	size_t n = c->size / cb + 1, k = 0, prev = 0;
	chunk *ch = calloc(n + 1, sizeof(*ch));
	char probe[4096];

	if (ch == NULL)
		return -1;
	for (size_t i = 1; i <= n && prev < c->size; i++) {
		size_t at = i == n ? c->size : i * cb;
		if (at <= prev)
			continue;
		/* Advance at to just after the next newline. */
		while (at < c->size) {
			size_t m = c->size - at < sizeof(probe) ? c->size - at :
			    sizeof(probe);
			const char *src;
			if (c->fd < 0)
				src = c->mem + at;
			else {
				ssize_t r = pread(c->fd, probe, m, (off_t)at);
				if (r <= 0) {
					free(ch);
					return -1;
				}
				m = (size_t)r;
				src = probe;
			}
			const char *nl = memchr(src, '\n', m);
			if (nl != NULL) {
				at += (size_t)(nl - src) + 1;
				break;
			}
			at += m;
		}
		if (at > c->size)
			at = c->size;
		ch[k].off = prev;
		ch[k].len = at - prev;
		k++;
		prev = at;
	}
	*out = ch;
	*nout = k;
	return 0;
}

void
pf_eval__gather_topic(ctx *c, worker *w, gtopic *g, const gseg *gs)
{
	size_t total = 0, off = 0;
	char msg[448];

	for (size_t i = 0; i < g->ns; i++)
		total += gs[g->s0 + i].s.len;
	char *buf = malloc(total + 1);
	if (buf == NULL) {
		g->err_code = PF_ENOMEM;
		return;
	}
	for (size_t i = 0; i < g->ns; i++) {
		const seg *s = &gs[g->s0 + i].s;
		const char *d = read_range(c, w, s->off, s->len);
		if (d == NULL) {
			g->err_code = PF_EIO;
			free(buf);
			return;
		}
		memcpy(buf + off, d, s->len);
		off += s->len;
	}
	pf_qrels_view view;
	pf_qrels_view_of(c->q, g->topic, &view);
	w->n = 0;
	off = 0;
	for (size_t i = 0; i < g->ns; i++) {
		const gseg *s = &gs[g->s0 + i];
		const char *p = buf + off, *end = p + s->s.len;
		size_t line = s->line_base + s->s.line0;

		off += s->s.len;
		while (p < end) {
			const char *le;
			fields f;

			line++;
			if (parse_line(p, end, &f, msg, sizeof(msg), &le) == 0) {
				if (pf_eval__worker_reserve(w, w->n + 1) != 0) {
					g->err_code = PF_ENOMEM;
					free(buf);
					return;
				}
				w->ents[w->n++] = make_ent(&view, &f, line);
			}
			p = le < end ? le + 1 : end;
		}
	}
	size_t l1 = 0, l2 = 0;
	int rc = pf_eval__eval_topic(c, w, g->topic, &l1, &l2, msg, sizeof(msg));
	if (rc == -2)
		g->err_code = PF_ENOMEM;
	else if (rc < 0) {
		g->err_code = PF_EFORMAT;
		g->err_line = l1;
		g->err_line2 = l2;
		snprintf(g->err_msg, sizeof(g->err_msg), "%s", msg);
	}
	free(buf);
}
