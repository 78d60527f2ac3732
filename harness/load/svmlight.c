/*
 * svmlight.c — LETOR / SVMlight and LightGBM-layout loader (see svmlight.h).
 *
 * One streaming pass a line at a time (pf_reader: gzip inflated on the
 * way), each line's values going into the matrix
 * of svmlight_mat.c as they are parsed (dense while the ids allow it, the
 * column map chosen at the end). Values are parsed as correctly rounded
 * doubles; the float32 copy is (float)value, which is how XGBoost converts
 * its input, so a value float32 cannot hold is refused here, at its line,
 * rather than becoming an infinite score later.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <omp.h>

#include "harness/util/fileio.h"
#include "harness/util/grow.h"
#include "harness/util/progress.h"
#include "harness/util/scan.h"
#include "harness/load/svmlight_internal.h"

void
pf_svm_free(pf_svm *s)
{
	if (s == NULL)
		return;
	if (s->map != NULL) {	/* the arrays and strings are the map's */
		free(s->qid);
		free(s->docid);
		free(s->path);
		munmap(s->map, s->maplen);
		free(s);
		return;
	}
	free(s->id);
	free(s->x32);
	free(s->x64);
	free(s->grade);
	free(s->line);
	if (s->qid != NULL)
		for (size_t q = 0; q < s->nq; q++)
			free(s->qid[q]);
	free(s->qid);
	free(s->qoff);
	if (s->docid != NULL)
		for (size_t i = 0; i < s->nrows; i++)
			free(s->docid[i]);
	free(s->docid);
	free(s->path);
	free(s);
}

void
pf_svm_mem_add(const pf_svm *s, pf_svm_mem *m)
{
	size_t cells = s->nrows * s->nf, other = 0;

	m->x32 += cells * sizeof(float);
	m->x64 += s->x64 != NULL ? cells * sizeof(double) : 0;
	/* a malloc'd string costs its bytes, its NUL and ~16 of overhead */
	for (size_t i = 0; i < s->nrows; i++)
		other += strlen(s->docid[i]) + 1 + 16;
	for (size_t q = 0; q < s->nq; q++) {
		other += strlen(s->qid[q]) + 1 + 16;
		size_t n = s->qoff[q + 1] - s->qoff[q];
		m->qrows = n > m->qrows ? n : m->qrows;
	}
	other += s->nrows * (sizeof(*s->grade) + sizeof(*s->docid)) +
	    s->nq * (sizeof(*s->qid) + sizeof(*s->qoff)) +
	    s->nf * sizeof(*s->id);
	m->other += other;
	m->rows = s->nrows > m->rows ? s->nrows : m->rows;
	m->nf = s->nf > m->nf ? s->nf : m->nf;
}

int
pf_svm__load_groups(size_t **out, size_t *n, const char *path, pf_err *err)
{
	pf_reader *f = NULL;
	char *t;
	size_t tn, k = 0, capg = 0;
	size_t *g = NULL;
	long lineno = 0;
	int rc;

	*out = NULL;
	if ((rc = pf_reader_open(&f, path, err)) != PF_OK)
		return rc;
	while ((rc = pf_reader_line(f, &t, &tn, err)) == 1) {
		long v;
		const char *fs[2];
		size_t fl[2];

		if ((rc = pf_text_line(&t, &tn, ++lineno, path, err)) != PF_OK)
			goto done;
		int nf = pf_split_ws(t, t + tn - (tn > 0 && t[tn - 1] == '\n'),
		    fs, fl, 2);
		if (nf == 0)
			continue;
		if (nf != 1 || pf_parse_long(fs[0], fl[0], 1, 1L << 40,
		    &v) != 0) {
			rc = pf_err_set(err, PF_EFORMAT, path, lineno,
			    "expected one positive group size");
			goto done;
		}
		if (k == capg) {
			size_t *ng = pf_grow(g, &capg, k + 1, sizeof(*ng));
			if (ng == NULL) {
				rc = pf_err_set(err, PF_ENOMEM, path, 0,
				    "out of memory");
				goto done;
			}
			g = ng;
		}
		g[k++] = (size_t)v;
	}
	if (rc != 0)
		goto done;
	*out = g;
	*n = k;
	g = NULL;
done:
	free(g);
	pf_reader_close(f);
	return rc;
}


/*
 * The text of the chunks: a plain file is cut at line boundaries up front
 * and each chunk read (pread) by the thread that parses it; a gzip file
 * (or a pipe) is inflated a batch of chunks at a time, each cut after its
 * last '\n', the rest carried into the next.
 */
typedef struct src {
	const char	*path;
	int		 fd;
	pf_reader	*gz;		/* NULL: plain, pread */
	unsigned long long off, end;	/* plain: the bytes to read */
	size_t		 cb;		/* nominal chunk size */
	char		*carry;		/* gzip: bytes after the last '\n' */
	size_t		 ncarry, capcarry;
	int		 eof;
} src;

/* Just after the first '\n' at or after at (or end). */
static int
line_start(const src *in, unsigned long long *at)
{
	char probe[4096];

	while (*at < in->end) {
		unsigned long long m = in->end - *at < sizeof(probe) ?
		    in->end - *at : sizeof(probe);
		ssize_t r = pread(in->fd, probe, (size_t)m, (off_t)*at);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return -1;
		const char *nl = memchr(probe, '\n', (size_t)r);
		if (nl != NULL) {
			*at += (unsigned long long)(nl - probe) + 1;
			return 0;
		}
		*at += (unsigned long long)r;
	}
	*at = in->end;
	return 0;
}

/* The next plain chunk's byte range into c; 0 when none is left. */
static int
next_plain(src *in, pf_svm_chunk *c, pf_err *err)
{
	unsigned long long at;

	if (in->off >= in->end)
		return 0;
	at = in->end - in->off > in->cb ? in->off + in->cb : in->end;
	if (at < in->end && line_start(in, &at) != 0)
		return pf_err_set(err, PF_EIO, in->path, 0, "read error: %s",
		    strerror(errno));
	c->off = in->off;
	c->len = at - in->off;
	in->off = at;
	return 1;
}

/* At least n bytes at *buf, its contents kept. */
static int
grow_buf(char **buf, size_t *cap, size_t n)
{
	char *b;

	if (n <= *cap)
		return 0;
	if ((b = realloc(*buf, n)) == NULL)
		return -1;
	*buf = b;
	*cap = n;
	return 0;
}

/* The last '\n' of b[0..n), or NULL. */
static const char *
last_nl(const char *b, size_t n)
{
	while (n > 0)
		if (b[--n] == '\n')
			return b + n;
	return NULL;
}

/* The next gzip chunk's text into *buf (capacity *cap): 1, 0 at the end. */
static int
next_gz(src *in, pf_svm_chunk *c, char **buf, size_t *cap, pf_err *err)
{
	size_t len = in->ncarry, got;
	int rc;

	if (in->eof && in->ncarry == 0)
		return 0;
	if (grow_buf(buf, cap, in->cb > len ? in->cb : len + 1) != 0)
		return pf_err_set(err, PF_ENOMEM, in->path, 0, "out of memory");
	if (len > 0)
		memcpy(*buf, in->carry, len);
	for (;;) {
		if (!in->eof && len < *cap) {
			if ((rc = pf_reader_read(in->gz, *buf + len, *cap - len,
			    &got, err)) != PF_OK)
				return rc;
			in->eof = len + got < *cap;
			len += got;
		}
		const char *nl = last_nl(*buf, len);
		if (nl != NULL || in->eof) {
			size_t keep = nl != NULL && !in->eof ?
			    (size_t)(nl - *buf) + 1 : len;
			in->ncarry = len - keep;
			if (in->ncarry > in->capcarry) {
				char *nc = pf_grow(in->carry, &in->capcarry,
				    in->ncarry, 1);
				if (nc == NULL)
					return pf_err_set(err, PF_ENOMEM,
					    in->path, 0, "out of memory");
				in->carry = nc;
			}
			if (in->ncarry > 0)
				memcpy(in->carry, *buf + keep, in->ncarry);
			c->off = in->off;
			c->len = keep;
			in->off += keep;
			return keep > 0 || !in->eof ? 1 : 0;
		}
		/* A line longer than the buffer: a bigger one. */
		if (grow_buf(buf, cap, 2 * *cap) != 0)
			return pf_err_set(err, PF_ENOMEM, in->path, 0,
			    "out of memory: a line of more than %zu bytes",
			    len);
	}
}

/* Reads plain chunk c's bytes into *buf; NULL on a read error. */
static const char *
read_chunk(const src *in, const pf_svm_chunk *c, char **buf, size_t *cap)
{
	size_t got = 0, len = (size_t)c->len;

	if (grow_buf(buf, cap, len + 1) != 0)
		return NULL;
	while (got < len) {
		ssize_t k = pread(in->fd, *buf + got, len - got,
		    (off_t)(c->off + got));
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			return NULL;
		got += (size_t)k;
	}
	return *buf;
}

/* Chunk c parsed from its text (a buffer of batch slot b). */
static void
parse_one(const src *in, pf_svm_chunk *c, char **buf, size_t *cap,
    const pf_svm_opts *o, pf_progress *pg)
{
	const char *t = in->gz != NULL ? *buf : read_chunk(in, c, buf, cap);

	if (t == NULL) {
		pf_err_set(&c->err, errno == ENOMEM ? PF_ENOMEM : PF_EIO,
		    in->path, 0, "read error");
		return;
	}
	pf_svm__parse_chunk(c, t, (size_t)c->len, c->off == 0, in->path, o);
	pf_progress_step(pg, (size_t)c->len);
}

/* The chunk size: 8 MiB, less for a file that would not give each thread
   a few chunks. */
static size_t
chunk_size(const pf_svm_opts *o, unsigned long long size, int threads)
{
	unsigned long long cb = size / (4ULL * (unsigned)threads);

	if (o->chunk_bytes > 0)
		return o->chunk_bytes;
	cb = cb < (1u << 16) ? (1u << 16) : cb;
	return cb > (8u << 20) ? (8u << 20) : (size_t)cb;
}

/*
 * Every chunk of in parsed, a batch of 4 per thread at a time; *out, *n
 * the chunks. An error of the reading itself is returned; a chunk's own
 * errors stay in the chunk (the merge orders them).
 */
static int
parse_all(src *in, int threads, const pf_svm_mat *proto, pf_svm_mat *g,
    const pf_svm_opts *o, pf_progress *pg, pf_svm_chunk **out, size_t *n,
    pf_err *err)
{
	unsigned long long done = 0, total = in->gz != NULL ? 0 :
	    in->end - in->off;
	size_t batch = 4 * (size_t)threads, cap = 0, k = 0;
	char **buf = calloc(batch, sizeof(*buf));
	size_t *bcap = calloc(batch, sizeof(*bcap));
	/* each slot's matrix, kept from batch to batch (no new pages) */
	pf_svm_mat *slot = calloc(batch, sizeof(*slot));
	pf_svm_chunk *ch = NULL;
	int rc = PF_OK, more = 1;

	if (buf == NULL || bcap == NULL || slot == NULL)
		rc = pf_err_set(err, PF_ENOMEM, in->path, 0, "out of memory");
	while (rc == PF_OK && more) {
		size_t b = 0;
		while (b < batch) {
			if (k + b >= cap) {
				pf_svm_chunk *nc = pf_grow(ch, &cap, k + b + 1,
				    sizeof(*nc));
				if (nc == NULL) {
					rc = pf_err_set(err, PF_ENOMEM,
					    in->path, 0, "out of memory");
					break;
				}
				ch = nc;
			}
			pf_svm_chunk *c = &ch[k + b];
			memset(c, 0, sizeof(*c));
			c->m = slot[b];
			c->m.base = proto->base;
			c->m.auto_base = proto->auto_base;
			c->m.dbl = proto->dbl;
			memset(&slot[b], 0, sizeof(slot[b]));
			int got = in->gz != NULL ? next_gz(in, c, &buf[b],
			    &bcap[b], err) : next_plain(in, c, err);
			if (got <= 0) {
				slot[b] = c->m;		/* back: freed below */
				memset(&c->m, 0, sizeof(c->m));
				rc = got < 0 ? got : PF_OK;
				more = 0;
				break;
			}
			b++;
		}
		#pragma omp parallel for num_threads(threads) \
		    schedule(dynamic, 1)
		for (size_t i = 0; i < b; i++)
			parse_one(in, &ch[k + i], &buf[i], &bcap[i], o, pg);
		/* Their rows into the merged matrix, the chunks' freed; room
		   for the file's rows at the first batch's density. */
		for (size_t i = k; i < k + b; i++)
			done += ch[i].len;
		if (k == 0 && b > 0 && done > 0 && total > done) {
			size_t rows = 0;
			for (size_t i = 0; i < b; i++)
				rows += ch[i].nrows;
			(void)pf_svm__mat_reserve(g, (size_t)((double)rows *
			    ((double)total / (double)done) * 1.02) + 16);
		}
		if (pf_svm__mat_absorb(g, ch + k, b) != 0 && rc == PF_OK)
			rc = pf_err_set(err, PF_ENOMEM, in->path, 0,
			    "out of memory");
		/* the merged stride in a chunk's ids (its base may be 0
		   while the merged one reads 1) */
		size_t hint = g->colid == NULL && g->w > 0 ? g->w +
		    (size_t)(g->base - proto->base) : 0;
		for (size_t i = 0; i < b; i++) {
			slot[i] = ch[k + i].m;
			memset(&ch[k + i].m, 0, sizeof(ch[k + i].m));
			if (pf_svm__mat_reset(&slot[i], hint) != 0 &&
			    rc == PF_OK)
				rc = pf_err_set(err, PF_ENOMEM, in->path, 0,
				    "out of memory");
		}
		k += b;
		/* A chunk that failed: the later ones cannot come first. */
		for (size_t i = k - b; i < k && more; i++)
			more = ch[i].err.code == PF_OK;
	}
	for (size_t i = 0; buf != NULL && i < batch; i++)
		free(buf[i]);
	for (size_t i = 0; slot != NULL && i < batch; i++)
		pf_svm__mat_free(&slot[i]);
	free(slot);
	free(buf);
	free(bcap);
	*out = ch;
	*n = k;
	return rc;
}

/* Opens path: plain (pread) or inflated (gzip, a pipe). */
static int
src_open(src *in, const char *path, unsigned long long off,
    unsigned long long len, pf_err *err)
{
	struct stat st;

	memset(in, 0, sizeof(*in));
	in->path = path;
	if ((in->fd = open(path, O_RDONLY)) < 0)
		return pf_err_set(err, PF_EIO, path, 0, "cannot open: %s",
		    strerror(errno));
	if (fstat(in->fd, &st) != 0)
		return pf_err_set(err, PF_EIO, path, 0, "cannot open: %s",
		    strerror(errno));
	if (S_ISDIR(st.st_mode))
		return pf_err_set(err, PF_EIO, path, 0, "is a directory");
	if (S_ISREG(st.st_mode) && !pf_fd_is_gzip(in->fd)) {
		unsigned long long size = (unsigned long long)st.st_size;
		in->off = off < size ? off : size;
		in->end = len < size - in->off ? in->off + len : size;
		return PF_OK;
	}
	if (off != 0 || len != PF_SVM_TO_END)
		return pf_err_set(err, PF_EINVAL, path, 0, "a byte range of "
		    "a gzip file or a pipe cannot be read on its own");
	return pf_reader_open(&in->gz, path, err);
}

static void
src_close(src *in)
{
	pf_reader_close(in->gz);
	if (in->fd >= 0)
		close(in->fd);
	free(in->carry);
}

int
pf_svm__load_range_groups(pf_svm **out, const char *path,
    unsigned long long off, unsigned long long len, long line0,
    const size_t *groups, size_t ngroups, size_t gfirst,
    const pf_svm_opts *o, pf_err *err)
{
	pf_svm *s = NULL;
	pf_svm_chunk *ch = NULL;
	size_t nch = 0;
	pf_progress pg = {0};
	src in = {.fd = -1};
	pf_svm_mat g = {0};
	int threads = o->threads > 0 ? o->threads : omp_get_max_threads();
	int rc;

	*out = NULL;
	if ((rc = src_open(&in, path, off, len, err)) != PF_OK)
		goto done;
	if ((s = calloc(1, sizeof(*s))) == NULL ||
	    (s->path = strdup(path)) == NULL) {
		rc = pf_err_set(err, PF_ENOMEM, path, 0, "out of memory");
		goto done;
	}
	pf_svm_mat proto = {
		.base = o->feature_base == PF_SVM_BASE_ONE ? 1 : 0,
		.auto_base = o->feature_base == PF_SVM_BASE_AUTO,
		.dbl = o->need_double,
	};
	in.cb = chunk_size(o, in.gz != NULL ? 0 : in.end - in.off, threads);
	pf_progress_start(&pg, o->progress, path, PF_PROGRESS_BYTES,
	    in.gz != NULL ? 0 : (size_t)(in.end - in.off));
	/* The merged matrix: auto reads base 1 until an id 0 comes (most
	   files have none: nothing to move at the end). */
	g = (pf_svm_mat){.base = o->feature_base == PF_SVM_BASE_ZERO ? 0 : 1,
	    .auto_one = o->feature_base == PF_SVM_BASE_AUTO,
	    .dbl = o->need_double};
	if ((rc = parse_all(&in, threads, &proto, &g, o, &pg, &ch, &nch,
	    err)) != PF_OK)
		goto done;
	if ((rc = pf_svm__assemble(s, ch, nch, line0, groups, ngroups, gfirst,
	    &g, o, path, err)) != PF_OK)
		goto done;
	*out = s;
	s = NULL;
done:
	pf_progress_end(&pg);
	for (size_t k = 0; k < nch; k++)
		pf_svm__chunk_free(&ch[k]);
	free(ch);
	pf_svm__mat_free(&g);
	src_close(&in);
	pf_svm_free(s);
	return rc;
}

int
pf_svm_load_range(pf_svm **out, const char *path, unsigned long long off,
    unsigned long long len, long line0, const pf_svm_opts *o, pf_err *err)
{
	size_t *groups = NULL, ngroups = 0;
	int rc;

	*out = NULL;
	if (o->query_file != NULL && (rc = pf_svm__load_groups(&groups,
	    &ngroups, o->query_file, err)) != PF_OK)
		return rc;
	rc = pf_svm__load_range_groups(out, path, off, len, line0, groups,
	    ngroups, 0, o, err);
	free(groups);
	return rc;
}

int
pf_svm_load(pf_svm **out, const char *path, const pf_svm_opts *o,
    pf_err *err)
{
	return pf_svm_load_range(out, path, 0, PF_SVM_TO_END, 0, o, err);
}

int
pf_svm_load_beside(pf_svm **out, const char *path, const pf_svm_opts *o,
    pf_err *err)
{
	pf_svm_opts w = *o;
	char *conv;
	struct stat st;
	int rc;

	if (o->query_file != NULL)
		return pf_svm_load(out, path, o, err);
	size_t n = strlen(path);
	if ((conv = malloc(n + sizeof(".query"))) == NULL)
		return pf_err_set(err, PF_ENOMEM, path, 0, "out of memory");
	memcpy(conv, path, n);
	memcpy(conv + n, ".query", sizeof(".query"));
	if (stat(conv, &st) == 0 && S_ISREG(st.st_mode)) {
		w.query_file = conv;
		rc = pf_svm_load(out, path, &w, err);
		if (rc != PF_EFORMAT || strstr(err->msg, "qid") == NULL) {
			free(conv);
			return rc;
		}
		*err = (pf_err){0};	/* it has qid: after all */
	}
	free(conv);
	return pf_svm_load(out, path, o, err);
}
