/*
 * fileio_atomic.c — the writing half of fileio.h: outputs written to a
 * temporary name beside their final one, synced and renamed into place
 * (one file or a set of them, the old ones kept aside until every new one
 * is in place), and folders made on the way.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "harness/util/fileio.h"

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
