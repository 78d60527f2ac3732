/*
 * tests/fuzz/input.h — what the fuzz targets (tests/fuzz/fuzz_*.c) share:
 * the loaders take paths, so each input is written to a file that lives in
 * memory and is rewritten for every input, never a new file per input.
 *
 * A fuzz_file is a memfd (memfd_create), named by "/proc/self/fd/N"; a
 * loader that decides the format by the name's extension (docs.jsonl) gets
 * a symbolic link "/dev/shm/pf-fuzz-PID-NAME" to it instead, made once and
 * removed at exit (a crashing run may leave one behind in /dev/shm).
 *
 * Everything here is for one process and one thread, as libFuzzer runs a
 * target; a failure of the machinery itself (no memfd) aborts, since it is
 * no finding.
 */
#ifndef PF_TESTS_FUZZ_INPUT_H
#define PF_TESTS_FUZZ_INPUT_H

#include <stddef.h>
#include <stdint.h>

#include "harness/util/diags.h"
#include "metrics/err.h"

typedef struct fuzz_file {
	int	fd;
	char	path[96];	/* what the loader is given */
} fuzz_file;

/* A new in-memory file; name (NULL: none) is the link's last part, e.g.
   "docs.jsonl", for loaders that look at the extension. */
void	fuzz_file_open(fuzz_file *f, const char *name);
/* Replaces the file's bytes with data[0..size). */
void	fuzz_file_set(fuzz_file *f, const void *data, size_t size);
/* The same with a NUL-terminated string. */
void	fuzz_file_puts(fuzz_file *f, const char *s);

/*
 * The part of data before the first NUL byte goes to a, the part after it
 * to b (empty when there is no NUL): how a target that reads two files
 * (SVMlight data and its .query file) gets both from one input. Returns
 * whether a NUL was there.
 */
int	fuzz_split2(const uint8_t *data, size_t size, fuzz_file *a,
	    fuzz_file *b);

/* Reads the first and the last of n bytes at p, so ASan checks that an
   array a loader returned is as long as it says (n 0: nothing). */
void	fuzz_touch(const void *p, size_t n);

/*
 * With PF_FUZZ_VERBOSE set in the environment, what a loader said about
 * an input goes to stderr ("ok" when it loaded): for replaying one input
 * by hand (`PF_FUZZ_VERBOSE=1 build-fuzz/fuzz_qrels FILE`), or checking
 * that the seeds load. Silent otherwise.
 */
void	fuzz_say_err(const char *what, int rc, const pf_err *err);
void	fuzz_say_diags(const char *what, int rc, const pf_diags *d);

/* One thread for the library's OpenMP loops (a fuzzer runs one input at a
   time; threads only add noise to its speed). Call from init. */
void	fuzz_one_thread(void);

#endif /* PF_TESTS_FUZZ_INPUT_H */
