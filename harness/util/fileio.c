/*
 * fileio.c — see fileio.h.
 */
#define _DEFAULT_SOURCE	/* MADV_HUGEPAGE */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/evp.h>
#include <zlib.h>

#include "harness/util/fileio.h"
#include "harness/util/grow.h"

void *
pf_malloc_big(size_t n)
{
#ifdef MADV_HUGEPAGE
	/* 2 MiB-aligned and rounded up, so every page of it can be huge: a
	   4 KiB first touch costs as much as a 2 MiB one in a VM. */
	const size_t huge = (size_t)2 << 20;
	if (n >= huge && n <= SIZE_MAX - huge) {
		void *p = NULL;
		size_t m = (n + huge - 1) & ~(huge - 1);
		if (posix_memalign(&p, huge, m) != 0)
			return NULL;
		(void)madvise(p, m, MADV_HUGEPAGE);
		return p;
	}
#endif
	return malloc(n ? n : 1);
}

int
pf_big_reserve(void **p, size_t *cap, size_t n)
{
	if (n <= *cap && *p != NULL)
		return 0;
	free(*p);
	*cap = 0;
	if ((*p = pf_malloc_big(n)) == NULL)
		return -1;
	*cap = n;
	return 0;
}

/*
 * gzip is recognised by its magic bytes (1f 8b), whatever the file is
 * called: zlib's gz reader inflates it, and passes any other file through
 * unchanged (gzdirect). Concatenated members are read one after another,
 * as gzip -d does. A stream that ends early or does not inflate is an
 * error naming the file, never a short text.
 */
static int
gz_error(gzFile gz, const char *path, pf_err *err)
{
	int code = Z_OK;
	const char *msg = gzerror(gz, &code), *c;

	/* zlib prefixes the name it was given: "<fd:3>: "; err names the
	   file already */
	if (msg != NULL && strncmp(msg, "<fd:", 4) == 0 &&
	    (c = strstr(msg, ": ")) != NULL)
		msg = c + 2;

	if (code == Z_BUF_ERROR)
		return pf_err_set(err, PF_EFORMAT, path, 0, "truncated gzip "
		    "data (the file ends inside its compressed stream)");
	if (code == Z_ERRNO)
		return pf_err_set(err, PF_EIO, path, 0, "read error: %s",
		    strerror(errno));
	if (code == Z_MEM_ERROR)
		return pf_err_set(err, PF_ENOMEM, path, 0, "out of memory "
		    "inflating the file");
	if (code != Z_OK && code != Z_STREAM_END)
		return pf_err_set(err, PF_EFORMAT, path, 0, "corrupt gzip "
		    "data: %s", msg ? msg : "inflate failed");
	return PF_OK;
}

/* fd (taken) as a gz reader with a 128 KiB buffer, or NULL (fd closed). */
static gzFile
gz_open_fd(int fd)
{
	gzFile gz = gzdopen(fd, "rb");

	if (gz == NULL) {
		close(fd);
		return NULL;
	}
	(void)gzbuffer(gz, 128u << 10);
	return gz;
}

/*
 * Up to n bytes of gz into buf, *got of them: 0 only at the end, after
 * the stream was found whole (a truncated or corrupt one is an error).
 * At most 1 GiB a call: gzread's count is an unsigned int, its result an
 * int.
 */
static int
gz_read_some(gzFile gz, const char *path, char *buf, size_t n, size_t *got,
    pf_err *err)
{
	int r = gzread(gz, buf, (unsigned)(n > (1u << 30) ? (1u << 30) : n));
	int rc;

	*got = r > 0 ? (size_t)r : 0;
	if (r > 0)
		return PF_OK;
	if ((rc = gz_error(gz, path, err)) == PF_OK && r < 0)
		rc = pf_err_set(err, PF_EIO, path, 0, "read error");
	return rc;
}

int
pf_read_file(char **out, size_t *len, const char *path, pf_err *err)
{
	int fd = -1, rc = PF_OK;
	char *buf = NULL;
	size_t cap = 0, n = 0;
	struct stat st;
	gzFile gz = NULL;

	*out = NULL;
	*len = 0;
	if (strcmp(path, "-") == 0)
		fd = dup(STDIN_FILENO);	/* gzclose closes it */
	else
		fd = open(path, O_RDONLY);
	if (fd < 0)
		return pf_err_set(err, PF_EIO, path, 0, "cannot open: %s",
		    strerror(errno));
	if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
		close(fd);
		return pf_err_set(err, PF_EIO, path, 0, "is a directory");
	}
	cap = (S_ISREG(st.st_mode) && st.st_size > 0) ?
	    (size_t)st.st_size + 2 : 1 << 16;	/* +2: the EOF read needs room */
	if ((gz = gz_open_fd(fd)) == NULL)
		return pf_err_set(err, PF_ENOMEM, path, 0, "out of memory");
	for (;;) {
		if (n + 1 >= cap || buf == NULL) {
			/* Full (n + 1 == cap): room for n + 2 doubles cap. */
			char *nb = buf == NULL ? pf_malloc_big(cap) :
			    pf_grow(buf, &cap, n + 2, 1);
			if (nb == NULL) {
				rc = pf_err_set(err, PF_ENOMEM, path, 0,
				    "out of memory reading the file");
				goto done;
			}
			buf = nb;
		}
		size_t got;
		if ((rc = gz_read_some(gz, path, buf + n, cap - 1 - n, &got,
		    err)) != PF_OK)
			goto done;
		if (got == 0)
			break;
		n += got;
	}
	buf[n] = '\0';
	*out = buf;
	*len = n;
	buf = NULL;
done:
	free(buf);
	gzclose_r(gz);
	return rc;
}

int
pf_fd_is_gzip(int fd)
{
	unsigned char h[2];

	return pread(fd, h, 2, 0) == 2 && h[0] == 0x1f && h[1] == 0x8b;
}

int
pf_path_has_ext(const char *path, const char *ext)
{
	size_t n = strlen(path), e = strlen(ext);

	if (n >= 3 && strcmp(path + n - 3, ".gz") == 0)
		n -= 3;
	return n >= e && memcmp(path + n - e, ext, e) == 0;
}

struct pf_reader {
	gzFile		 gz;
	const char	*path;
	char		*buf;
	size_t		 cap, beg, end;	/* unread bytes: buf[beg..end) */
	int		 eof;
	long long	 size;		/* a regular file's size, or -1 */
};

int
pf_reader_open(pf_reader **out, const char *path, pf_err *err)
{
	pf_reader *l;
	struct stat st;
	int fd;

	*out = NULL;
	if ((fd = open(path, O_RDONLY)) < 0)
		return pf_err_set(err, PF_EIO, path, 0, "cannot open: %s",
		    strerror(errno));
	if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
		close(fd);
		return pf_err_set(err, PF_EIO, path, 0, "is a directory");
	}
	if ((l = calloc(1, sizeof(*l))) == NULL ||
	    (l->buf = malloc(l->cap = 1u << 18)) == NULL) {
		free(l);
		close(fd);
		return pf_err_set(err, PF_ENOMEM, path, 0, "out of memory");
	}
	l->path = path;
	l->size = fstat(fd, &st) == 0 && S_ISREG(st.st_mode) ?
	    (long long)st.st_size : -1;
	if ((l->gz = gz_open_fd(fd)) == NULL) {
		pf_reader_close(l);
		return pf_err_set(err, PF_ENOMEM, path, 0, "out of memory");
	}
	*out = l;
	return PF_OK;
}

int
pf_reader_line(pf_reader *l, char **line, size_t *len, pf_err *err)
{
	for (;;) {
		char *nl = memchr(l->buf + l->beg, '\n', l->end - l->beg);
		if (nl != NULL || (l->eof && l->end > l->beg)) {
			*line = l->buf + l->beg;
			*len = nl != NULL ? (size_t)(nl + 1 - *line) :
			    l->end - l->beg;
			l->beg += *len;
			return 1;
		}
		if (l->eof)
			return 0;
		memmove(l->buf, l->buf + l->beg, l->end - l->beg);
		l->end -= l->beg;
		l->beg = 0;
		if (l->end == l->cap) {		/* a line longer than buf */
			char *nb = pf_grow(l->buf, &l->cap, l->cap + 1, 1);
			if (nb == NULL)
				return pf_err_set(err, PF_ENOMEM, l->path, 0,
				    "out of memory: a line of more than %zu "
				    "bytes", l->end);
			l->buf = nb;
		}
		size_t got;
		int rc = gz_read_some(l->gz, l->path, l->buf + l->end,
		    l->cap - l->end, &got, err);
		if (rc != PF_OK)
			return rc;
		l->eof = got == 0;
		l->end += got;
	}
}

int
pf_reader_read(pf_reader *l, void *buf, size_t n, size_t *got, pf_err *err)
{
	size_t k = l->end - l->beg < n ? l->end - l->beg : n, r;
	int rc;

	memcpy(buf, l->buf + l->beg, k);
	l->beg += k;
	*got = k;
	while (*got < n && !l->eof) {
		if ((rc = gz_read_some(l->gz, l->path, (char *)buf + *got,
		    n - *got, &r, err)) != PF_OK)
			return rc;
		l->eof = r == 0;
		*got += r;
	}
	return PF_OK;
}

long long
pf_reader_plain_size(const pf_reader *l)
{
	return gzdirect(l->gz) ? l->size : -1;
}

void
pf_reader_close(pf_reader *l)
{
	if (l == NULL)
		return;
	if (l->gz != NULL)
		gzclose_r(l->gz);
	free(l->buf);
	free(l);
}

void
pf_warn_bom(const char *path)
{
	fprintf(stderr, "preflight: warning: %s: a UTF-8 byte-order mark at "
	    "its start was ignored\n", path);
}

int
pf_read_text(char **out, size_t *len, const char *path, pf_err *err)
{
	int rc = pf_read_file(out, len, path, err);
	char *buf = *out, *z;

	if (rc != PF_OK)
		return rc;
	if (*len >= 3 && memcmp(buf, "\xef\xbb\xbf", 3) == 0) {
		memmove(buf, buf + 3, *len - 3 + 1);
		*len -= 3;
		pf_warn_bom(path);
	}
	if ((z = memchr(buf, '\0', *len)) != NULL) {
		long line = 1;
		for (const char *p = buf; p < z; p++)
			line += *p == '\n';
		free(buf);
		*out = NULL;
		*len = 0;
		return pf_err_set(err, PF_EFORMAT, path, line, "NUL byte in "
		    "the line (expected text)");
	}
	return PF_OK;
}

int
pf_text_line(char **line, size_t *len, long lineno, const char *path,
    pf_err *err)
{
	if (lineno == 1 && *len >= 3 && memcmp(*line, "\xef\xbb\xbf", 3) ==
	    0) {
		*line += 3;
		*len -= 3;
		pf_warn_bom(path);
	}
	if (memchr(*line, '\0', *len) != NULL)
		return pf_err_set(err, PF_EFORMAT, path, lineno, "NUL byte in "
		    "the line (expected text)");
	return PF_OK;
}

/* The folder of path (its parent) and its last component. */
static void
split_path(const char *path, char *dir, size_t dsz, const char **base)
{
	const char *sl = strrchr(path, '/');

	if (sl == NULL) {
		snprintf(dir, dsz, ".");
		*base = path;
	} else {
		snprintf(dir, dsz, "%.*s", sl == path ? 1 : (int)(sl - path),
		    path);
		*base = sl + 1;
	}
}

int
pf_same_file(const char *a, const char *b)
{
	struct stat sa, sb;
	char da[4096], db[4096];
	const char *ba, *bb;

	if (stat(a, &sa) == 0 && stat(b, &sb) == 0)
		return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
	split_path(a, da, sizeof(da), &ba);
	split_path(b, db, sizeof(db), &bb);
	if (strcmp(ba, bb) != 0 || stat(da, &sa) != 0 || stat(db, &sb) != 0)
		return strcmp(a, b) == 0;
	return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

int
pf_sha256_file(const char *path, char hex[65], unsigned long long *bytes,
    pf_err *err)
{
	unsigned char buf[1 << 16], md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;
	EVP_MD_CTX *c;
	int fd, rc = PF_OK;
	ssize_t k;

	*bytes = 0;
	if ((fd = open(path, O_RDONLY)) < 0)
		return pf_err_set(err, PF_EIO, path, 0, "cannot open: %s",
		    strerror(errno));
	if ((c = EVP_MD_CTX_new()) == NULL ||
	    EVP_DigestInit_ex(c, EVP_sha256(), NULL) != 1) {
		rc = pf_err_set(err, PF_ENOMEM, path, 0, "sha256 unavailable");
		goto done;
	}
	while ((k = read(fd, buf, sizeof(buf))) != 0) {
		if (k < 0) {
			if (errno == EINTR)
				continue;
			rc = pf_err_set(err, PF_EIO, path, 0, "read error: %s",
			    strerror(errno));
			goto done;
		}
		EVP_DigestUpdate(c, buf, (size_t)k);
		*bytes += (unsigned long long)k;
	}
	EVP_DigestFinal_ex(c, md, &mdlen);
	for (unsigned int i = 0; i < mdlen && i < 32; i++)
		snprintf(hex + 2 * i, 3, "%02x", md[i]);
	hex[64] = '\0';
done:
	EVP_MD_CTX_free(c);
	close(fd);
	return rc;
}
