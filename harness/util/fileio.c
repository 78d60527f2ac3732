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

int
pf_read_file(char **out, size_t *len, const char *path, pf_err *err)
{
	int fd = -1, rc = PF_OK;
	char *buf = NULL;
	size_t cap = 0, n = 0;
	struct stat st;

	*out = NULL;
	*len = 0;
	if (strcmp(path, "-") == 0)
		fd = STDIN_FILENO;
	else if ((fd = open(path, O_RDONLY)) < 0)
		return pf_err_set(err, PF_EIO, path, 0, "cannot open: %s",
		    strerror(errno));
	if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
		rc = pf_err_set(err, PF_EIO, path, 0, "is a directory");
		goto done;
	}
	cap = (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0)
	    ? (size_t)st.st_size + 2 : 1 << 16;	/* +2: the EOF read needs room */
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
		ssize_t r = read(fd, buf + n, cap - 1 - n);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			rc = pf_err_set(err, PF_EIO, path, 0, "read error: %s",
			    strerror(errno));
			goto done;
		}
		if (r == 0)
			break;
		n += (size_t)r;
	}
	buf[n] = '\0';
	*out = buf;
	*len = n;
	buf = NULL;
done:
	free(buf);
	if (fd >= 0 && fd != STDIN_FILENO)
		close(fd);
	return rc;
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

int
pf_atomic_open(pf_atomic_file *af, const char *path, pf_err *err)
{
	size_t n = strlen(path) + 32;
	mode_t mask;
	int fd;

	memset(af, 0, sizeof(*af));
	af->path = strdup(path);
	af->tmp = malloc(n);
	if (af->path == NULL || af->tmp == NULL) {
		pf_atomic_abort(af);
		return pf_err_set(err, PF_ENOMEM, path, 0, "out of memory");
	}
	snprintf(af->tmp, n, "%s.tmpXXXXXX", path);
	if ((fd = mkstemp(af->tmp)) < 0) {
		int e = errno;
		free(af->tmp);	/* the template names no file */
		af->tmp = NULL;
		pf_atomic_abort(af);
		return pf_err_set(err, PF_EIO, path, 0, "cannot create: %s",
		    strerror(e));
	}
	mask = umask(0);	/* mkstemp made it 0600: as a create would */
	umask(mask);
	(void)fchmod(fd, 0666 & ~mask);
	if ((af->f = fdopen(fd, "wb")) == NULL) {
		int e = errno;
		close(fd);
		pf_atomic_abort(af);
		return pf_err_set(err, PF_EIO, path, 0, "cannot create: %s",
		    strerror(e));
	}
	return PF_OK;
}

/* Flushes, syncs and closes af's temporary file: 0 or errno. */
static int
finish(pf_atomic_file *af)
{
	int e = 0;

	if (af->f == NULL)
		return EBADF;
	if (fflush(af->f) != 0 || ferror(af->f))
		e = errno ? errno : EIO;
	if (e == 0 && fsync(fileno(af->f)) != 0 && errno != EINVAL)
		e = errno;
	if (fclose(af->f) != 0 && e == 0)
		e = errno;
	af->f = NULL;
	return e;
}

int
pf_atomic_commit(pf_atomic_file *af, pf_err *err)
{
	int e = finish(af);

	if (e == 0 && rename(af->tmp, af->path) != 0)
		e = errno;
	if (e != 0) {
		int rc = pf_err_set(err, PF_EIO, af->path, 0,
		    "cannot write: %s", strerror(e));
		pf_atomic_abort(af);
		return rc;
	}
	free(af->tmp);
	free(af->path);
	af->tmp = af->path = NULL;
	return PF_OK;
}

/* Keeps af's old file (if any) under a new name beside it: 0 or errno. */
static int
keep_old(pf_atomic_file *af)
{
	size_t n = strlen(af->path) + 32;

	struct stat st;

	if (stat(af->path, &st) != 0)
		return 0;
	if (S_ISDIR(st.st_mode))
		return EISDIR;
	if ((af->bak = malloc(n)) == NULL)
		return ENOMEM;
	for (unsigned i = 0;; i++) {
		snprintf(af->bak, n, "%s.bak%ld.%u", af->path, (long)getpid(),
		    i);
		if (link(af->path, af->bak) == 0)
			return 0;
		if (errno != EEXIST || i == 99) {
			int e = errno;
			free(af->bak);
			af->bak = NULL;
			return e;
		}
	}
}

int
pf_atomic_commit_all(pf_atomic_file *af, size_t n, pf_err *err)
{
	size_t i, at = 0, done = 0;
	const char *what = "cannot write";
	int e = 0;

	for (i = 0; e == 0 && i < n; i++)
		if ((e = finish(&af[i])) != 0)
			at = i;
	for (i = 0; e == 0 && i < n; i++)
		if ((e = keep_old(&af[i])) != 0) {
			if (e != EISDIR)
				what = "cannot keep the old file aside";
			at = i;
		}
	for (i = 0; e == 0 && i < n; i++) {
		if (rename(af[i].tmp, af[i].path) == 0)
			done++;
		else {
			e = errno;
			at = i;
		}
	}
	if (e != 0) {
		int rc = pf_err_set(err, PF_EIO, af[at].path, 0, "%s: %s",
		    what, strerror(e));
		for (size_t j = 0; j < done; j++)	/* put back the old */
			if (af[j].bak != NULL)
				(void)rename(af[j].bak, af[j].path);
			else
				(void)unlink(af[j].path);
		for (size_t j = 0; j < n; j++)
			pf_atomic_abort(&af[j]);
		return rc;
	}
	for (i = 0; i < n; i++) {
		free(af[i].tmp);	/* renamed: nothing to remove */
		af[i].tmp = NULL;
		pf_atomic_abort(&af[i]);
	}
	return PF_OK;
}

void
pf_atomic_abort(pf_atomic_file *af)
{
	if (af->f != NULL)
		fclose(af->f);
	if (af->tmp != NULL)
		unlink(af->tmp);
	if (af->bak != NULL)
		unlink(af->bak);
	free(af->tmp);
	free(af->path);
	free(af->bak);
	memset(af, 0, sizeof(*af));
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

int
pf_mkdirs(const char *path, pf_err *err)
{
	char p[4096];
	size_t n = strlen(path);

	if (n == 0 || n >= sizeof(p))
		return pf_err_set(err, PF_EINVAL, path, 0, "bad directory");
	memcpy(p, path, n + 1);
	for (size_t i = 1; i <= n; i++) {
		if (p[i] != '/' && p[i] != '\0')
			continue;
		char c = p[i];
		p[i] = '\0';
		if (mkdir(p, 0777) != 0 && errno != EEXIST)
			return pf_err_set(err, PF_EIO, p, 0, "cannot create "
			    "directory: %s", strerror(errno));
		p[i] = c;
	}
	return PF_OK;
}
