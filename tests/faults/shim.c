/*
 * tests/faults/shim.c — an LD_PRELOAD library that makes the Nth write
 * to a regular file, fflush or fclose of one, fsync(2) or rename(2) fail,
 * for tests/e2e/faults.sh: every output path must survive a failure at any
 * point ("all or nothing", README "Exit codes and CI"). glibc's stdio
 * writes through an internal call, so a full disk reaches preflight as a
 * failing fflush or fclose (the data is written then): those are the
 * calls that fail for stdio streams.
 *
 *	PF_FAULT=write:N	the Nth write(2) to a regular file (ENOSPC)
 *	PF_FAULT=fflush:N	the Nth fflush of a regular file (ENOSPC)
 *	PF_FAULT=fclose:N	the Nth fclose of one (ENOSPC, closed anyway)
 *	PF_FAULT=fsync:N	the Nth fsync (EIO)
 *	PF_FAULT=rename:N	the Nth rename (EIO)
 *	PF_FAULT=count		count them; print "write W fflush L fclose C
 *				fsync F rename R" to the file PF_FAULT_OUT
 * Only regular files count (not the terminal, pipes or sockets), so the
 * program's stdout and stderr are never the ones that fail.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static long nwrite, nflush, nclose, nfsync, nrename;

static int
armed(const char *what, long n)
{
	const char *f = getenv("PF_FAULT");
	size_t l = strlen(what);

	return f != NULL && strncmp(f, what, l) == 0 && f[l] == ':' &&
	    atol(f + l + 1) == n;
}

static int
regular(int fd)
{
	struct stat st;

	return fd > 2 && fstat(fd, &st) == 0 && S_ISREG(st.st_mode);
}

ssize_t
write(int fd, const void *buf, size_t n)
{
	static ssize_t (*real)(int, const void *, size_t);

	if (real == NULL)
		real = (ssize_t (*)(int, const void *, size_t))dlsym(RTLD_NEXT,
		    "write");
	if (regular(fd) && armed("write", ++nwrite)) {
		errno = ENOSPC;
		return -1;
	}
	return real(fd, buf, n);
}

int
fsync(int fd)
{
	static int (*real)(int);

	if (real == NULL)
		real = (int (*)(int))dlsym(RTLD_NEXT, "fsync");
	if (regular(fd) && armed("fsync", ++nfsync)) {
		errno = EIO;
		return -1;
	}
	return real(fd);
}

int
rename(const char *a, const char *b)
{
	static int (*real)(const char *, const char *);

	if (real == NULL)
		real = (int (*)(const char *, const char *))dlsym(RTLD_NEXT,
		    "rename");
	if (armed("rename", ++nrename)) {
		errno = EIO;
		return -1;
	}
	return real(a, b);
}

int
fflush(FILE *f)
{
	static int (*real)(FILE *);

	if (real == NULL)
		real = (int (*)(FILE *))dlsym(RTLD_NEXT, "fflush");
	if (f != NULL && regular(fileno(f)) && armed("fflush", ++nflush)) {
		errno = ENOSPC;
		return EOF;
	}
	return real(f);
}

int
fclose(FILE *f)
{
	static int (*real)(FILE *);
	int fail;

	if (real == NULL)
		real = (int (*)(FILE *))dlsym(RTLD_NEXT, "fclose");
	fail = f != NULL && regular(fileno(f)) && armed("fclose", ++nclose);
	if (real(f) != 0 || fail) {
		errno = fail ? ENOSPC : errno;
		return EOF;
	}
	return 0;
}

__attribute__((destructor)) static void
report(void)
{
	const char *f = getenv("PF_FAULT"), *out = getenv("PF_FAULT_OUT");
	FILE *o;

	if (f == NULL || strcmp(f, "count") != 0 || out == NULL ||
	    (o = fopen(out, "w")) == NULL)
		return;
	fprintf(o, "write %ld fflush %ld fclose %ld fsync %ld rename %ld\n",
	    nwrite, nflush, nclose, nfsync, nrename);
	fclose(o);
}
