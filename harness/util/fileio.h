/*
 * harness/util/fileio.h — whole-file reads and atomic whole-file writes.
 *
 * Outputs are written to "PATH.tmpPID" and renamed only after fflush, fsync
 * and fclose all succeeded, so a failed run never leaves a half-written file
 * over a good one (DESIGN.md "Outputs", STYLE.md C13).
 */
#ifndef PF_HARNESS_UTIL_FILEIO_H
#define PF_HARNESS_UTIL_FILEIO_H

#include <stddef.h>
#include <stdio.h>

#include "metrics/err.h"

/*
 * Reads the whole file at path into a malloc'd buffer with a NUL after the
 * last byte (*len excludes it). "-" reads standard input. Caller frees *out.
 */
/*
 * malloc for large arrays that are filled at once: asks the kernel for
 * transparent huge pages (madvise), which cuts page-fault time several-fold
 * on big qrels and runs. Free with free().
 */
void	*pf_malloc_big(size_t n);
/*
 * A grow-only scratch buffer: at least n bytes at *p (capacity *cap),
 * replaced by a pf_malloc_big one when too small; the contents are not
 * kept. 0, or -1 on OOM (*p then NULL, *cap 0).
 */
int	pf_big_reserve(void **p, size_t *cap, size_t n);

int	pf_read_file(char **out, size_t *len, const char *path, pf_err *err);

/*
 * A text file, read as pf_read_file does; then a UTF-8 byte-order mark at
 * its start is dropped (spreadsheet exports carry one) with a warning
 * (pf_warn_bom), and a NUL byte anywhere is refused with its line
 * (PF_EFORMAT): no text field holds one. Every text loader reads this way.
 */
int	pf_read_text(char **out, size_t *len, const char *path, pf_err *err);
/* "preflight: warning: PATH: a UTF-8 byte-order mark at its start was
   ignored", once per file read, on stderr. */
void	pf_warn_bom(const char *path);
/*
 * pf_read_text's rules for a file read a line at a time (getline): line 1
 * loses a byte-order mark (*line and *len advanced, with the warning); a
 * NUL byte in the line is refused (PF_EFORMAT at path:lineno).
 */
int	pf_text_line(char **line, size_t *len, long lineno, const char *path,
	    pf_err *err);

typedef struct pf_atomic_file {
	FILE	*f;
	char	*path;		/* final name */
	char	*tmp;		/* temporary name, removed on abort */
	char	*bak;		/* the old file kept while a group commits */
} pf_atomic_file;

/*
 * Opens a new temporary file beside path for writing, a unique name
 * (mkstemp: path.tmpXXXXXX), with the permissions a plain create would
 * give (0666 less the umask).
 */
int	pf_atomic_open(pf_atomic_file *af, const char *path, pf_err *err);
/* Flushes, syncs, closes and renames onto the final path. */
int	pf_atomic_commit(pf_atomic_file *af, pf_err *err);
/*
 * All or nothing for n files: every one flushed, synced and closed first;
 * then each old file is kept aside (a hard link) and every temporary
 * renamed into place; if any rename fails the ones already renamed are
 * put back as they were. Errors name the path. The files are done with
 * (aborted) on return either way.
 */
int	pf_atomic_commit_all(pf_atomic_file *af, size_t n, pf_err *err);
/* Closes and removes the temporary file; safe on a zeroed or committed af. */
void	pf_atomic_abort(pf_atomic_file *af);

/*
 * Whether paths a and b name the same file: the same device and inode when
 * both exist; otherwise the same folder (device and inode) and the same
 * last component. Spelling does not matter ("out/../x" and "x").
 */
int	pf_same_file(const char *a, const char *b);

/* SHA-256 of a file's bytes as lowercase hex (OpenSSL libcrypto). */
int	pf_sha256_file(const char *path, char hex[65], unsigned long long *bytes,
	    pf_err *err);

/* Creates a directory and its parents (mkdir -p). */
int	pf_mkdirs(const char *path, pf_err *err);

#endif /* PF_HARNESS_UTIL_FILEIO_H */
