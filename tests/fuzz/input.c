/*
 * tests/fuzz/input.c — see input.h.
 */
#define _GNU_SOURCE	/* memfd_create */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <omp.h>

#include "tests/fuzz/input.h"

/* The links made, removed at exit (a target makes one or two). */
static char links[4][96];
static size_t nlinks;

static void
remove_links(void)
{
	for (size_t i = 0; i < nlinks; i++)
		unlink(links[i]);
}

static void
die(const char *what)
{
	perror(what);
	abort();
}

void
fuzz_file_open(fuzz_file *f, const char *name)
{
	char target[64];

	if ((f->fd = memfd_create("pf-fuzz", MFD_CLOEXEC)) < 0)
		die("memfd_create");
	snprintf(target, sizeof(target), "/proc/self/fd/%d", f->fd);
	if (name == NULL) {
		snprintf(f->path, sizeof(f->path), "%s", target);
		return;
	}
	if (nlinks == sizeof(links) / sizeof(links[0]))
		die("fuzz_file_open: too many named files");
	snprintf(f->path, sizeof(f->path), "/dev/shm/pf-fuzz-%ld-%s",
	    (long)getpid(), name);
	unlink(f->path);
	if (symlink(target, f->path) != 0)
		die(f->path);
	if (nlinks == 0)
		atexit(remove_links);
	snprintf(links[nlinks++], sizeof(links[0]), "%s", f->path);
}

void
fuzz_file_set(fuzz_file *f, const void *data, size_t size)
{
	const char *p = data;
	off_t off = 0;

	if (ftruncate(f->fd, 0) != 0)
		die("ftruncate");
	while ((size_t)off < size) {
		ssize_t w = pwrite(f->fd, p + off, size - (size_t)off, off);
		if (w <= 0)
			die("pwrite");
		off += w;
	}
}

void
fuzz_file_puts(fuzz_file *f, const char *s)
{
	fuzz_file_set(f, s, strlen(s));
}

int
fuzz_split2(const uint8_t *data, size_t size, fuzz_file *a, fuzz_file *b)
{
	const uint8_t *z = memchr(data, '\0', size);
	size_t na = z != NULL ? (size_t)(z - data) : size;

	fuzz_file_set(a, data, na);
	if (z == NULL)
		fuzz_file_set(b, "", 0);
	else
		fuzz_file_set(b, z + 1, size - na - 1);
	return z != NULL;
}

void
fuzz_touch(const void *p, size_t n)
{
	static volatile unsigned char sink;
	const unsigned char *b = p;

	if (n > 0)
		sink = (unsigned char)(sink ^ b[0] ^ b[n - 1]);
}

static int
verbose(void)
{
	static int v = -1;

	if (v < 0)
		v = getenv("PF_FUZZ_VERBOSE") != NULL;
	return v;
}

void
fuzz_say_err(const char *what, int rc, const pf_err *err)
{
	if (!verbose())
		return;
	if (rc == PF_OK)
		fprintf(stderr, "%s: ok\n", what);
	else
		fprintf(stderr, "%s: %d %s: %s\n", what, rc, err->where,
		    err->msg);
}

void
fuzz_say_diags(const char *what, int rc, const pf_diags *d)
{
	if (!verbose())
		return;
	fprintf(stderr, "%s: %s (%zu problems)\n", what, rc == PF_OK ? "ok" :
	    "refused", d->n + d->dropped);
	for (size_t i = 0; i < d->n; i++)
		fprintf(stderr, "  %s\n", d->msg[i]);
}

void
fuzz_one_thread(void)
{
	omp_set_num_threads(1);
}
