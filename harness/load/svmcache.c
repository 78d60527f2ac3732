/*
 * svmcache.c — the parsed-candidates cache (svmlight.h, `run --cache`).
 *
 * An entry is the parsed file in a form mapped straight back: a 512-byte
 * header, then the sections at 64-byte offsets (x32, x64, grades, query
 * offsets, column ids, each row's file line, then the qids and docids
 * NUL-terminated, in order).
 * Its name and header carry the key: the candidate file's sha256, the
 * query file's sha256, the feature base asked for and whether doubles are
 * kept. The header has its own XXH3 checksum and the payload's (by 4 MiB
 * blocks, checked in parallel); a header
 * or payload that does not check out, a size that does not add up, a key
 * that differs is a stale or corrupt entry: parsed again and rewritten
 * (temporary name, then rename), never used.
 *
 * Hashing a large file costs a fifth of parsing it; the sha256 of a file
 * is memoised beside the entries (stat/<XXH3 of its real path>) with its
 * device, inode, size and modification and change times to the
 * nanosecond: any write changes the change time, so a file whose stat
 * matches has the sha256 recorded (git's index relies on the same; as
 * git, a file changed within 2 s of the stat is hashed every time).
 */
#define _DEFAULT_SOURCE	/* realpath */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "harness/util/fileio.h"
#include "harness/util/strtab.h"	/* XXH3 */
#include "harness/load/svmlight.h"

#define MAGIC		"PFSVMC\0\1"
#define VERSION		3	/* 3: the payload's checksum by blocks */
#define XBLOCK		((size_t)4 << 20)
#define HDR		512
#define KEYLEN		192
#define NSEC		7	/* x32 x64 grade qoff id line strings */

typedef struct hdr {
	char		 magic[8];
	uint32_t	 version, hdr_size;
	char		 key[KEYLEN];
	uint64_t	 nrows, nf, nq;
	int32_t		 base;
	uint32_t	 flags;		/* 1: remapped (id), 2: x64 */
	uint64_t	 off[NSEC], len[NSEC];
	uint64_t	 payload_len, payload_xxh;
	uint64_t	 hdr_xxh;	/* of the bytes before it */
} hdr;

_Static_assert(sizeof(hdr) <= HDR, "the header fits its 512 bytes");
_Static_assert(sizeof(size_t) == sizeof(uint64_t), "qoff maps as size_t");
_Static_assert(sizeof(long) == sizeof(int64_t), "line maps as long");

/*
 * The payload's checksum: XXH3 of each 4 MiB block, in parallel (the
 * check runs on every mapped load), then XXH3 of those hashes in order:
 * the same number for any thread count. 0 when out of memory (a
 * mismatch: parsed again).
 */
static uint64_t
payload_xxh(const unsigned char *p, size_t n)
{
	size_t nb = (n + XBLOCK - 1) / XBLOCK;
	uint64_t *h = malloc((nb ? nb : 1) * sizeof(*h)), x;

	if (h == NULL)
		return 0;
	#pragma omp parallel for schedule(dynamic, 1)
	for (size_t b = 0; b < nb; b++) {
		size_t o = b * XBLOCK;
		h[b] = XXH3_64bits(p + o, n - o < XBLOCK ? n - o : XBLOCK);
	}
	x = XXH3_64bits(h, nb * sizeof(*h));
	free(h);
	return x;
}

/*
 * The same checksum of the n payload bytes of the file fd (at HDR), read
 * back a block at a time into a buffer a thread (not mapped: the written
 * entry's pages would count in the run's RSS). -1 in *bad on a read error
 * or out of memory.
 */
static uint64_t
payload_xxh_fd(int fd, size_t n, int *bad)
{
	size_t nb = (n + XBLOCK - 1) / XBLOCK;
	uint64_t *h = malloc((nb ? nb : 1) * sizeof(*h)), x;
	int fail = 0;

	if ((*bad = h == NULL))
		return 0;
	#pragma omp parallel reduction(|:fail)
	{
		unsigned char *buf = malloc(XBLOCK);
		fail |= buf == NULL;
		#pragma omp for schedule(dynamic, 1)
		for (size_t b = 0; b < nb; b++) {
			size_t o = b * XBLOCK, len = n - o < XBLOCK ? n - o :
			    XBLOCK, got = 0;
			while (buf != NULL && got < len) {
				ssize_t r = pread(fd, buf + got, len - got,
				    (off_t)(HDR + o + got));
				if (r <= 0) {
					fail = 1;
					break;
				}
				got += (size_t)r;
			}
			if (buf != NULL)
				h[b] = XXH3_64bits(buf, len);
		}
		free(buf);
	}
	*bad = fail;
	if (fail) {
		free(h);
		return 0;
	}
	x = XXH3_64bits(h, nb * sizeof(*h));
	free(h);
	return x;
}

/* The sha256 of path, memoised under dir by its stat. */
static int
file_sha(const char *dir, const char *path, char hex[65], pf_err *err)
{
	char real[PATH_MAX], memo[PATH_MAX + 64], line[256], want[200];
	struct stat st;
	unsigned long long bytes;
	FILE *f;
	int rc;

	if (realpath(path, real) == NULL || stat(real, &st) != 0)
		return pf_sha256_file(path, hex, &bytes, err);
	snprintf(want, sizeof(want), "%llu %llu %llu %lld.%09ld %lld.%09ld",
	    (unsigned long long)st.st_dev, (unsigned long long)st.st_ino,
	    (unsigned long long)st.st_size, (long long)st.st_mtim.tv_sec,
	    st.st_mtim.tv_nsec, (long long)st.st_ctim.tv_sec,
	    st.st_ctim.tv_nsec);
	snprintf(memo, sizeof(memo), "%s/stat/%016llx", dir,
	    (unsigned long long)pf_hash_bytes(real, strlen(real)));
	if ((f = fopen(memo, "r")) != NULL) {
		size_t n = strlen(want);
		int hit = fgets(line, sizeof(line), f) != NULL &&
		    strlen(line) == n + 1 + 64 + 1 && memcmp(line, want, n) ==
		    0 && line[n] == ' ' && line[n + 65] == '\n';
		fclose(f);
		if (hit) {
			memcpy(hex, line + n + 1, 64);
			hex[64] = '\0';
			return PF_OK;
		}
	}
	if ((rc = pf_sha256_file(path, hex, &bytes, err)) != PF_OK)
		return rc;
	/* Recorded only when the file did not change while hashed, and
	   last changed 2 s before: a write within the clock's tick after
	   the stat could keep its times (git's "racy" entries). */
	struct stat st2;
	struct timespec now;
	pf_atomic_file af;
	pf_err ignore;
	snprintf(line, sizeof(line), "%s/stat", dir);
	if (clock_gettime(CLOCK_REALTIME, &now) != 0 ||
	    now.tv_sec - st.st_ctim.tv_sec < 2 ||
	    stat(real, &st2) != 0 || st2.st_ctim.tv_sec != st.st_ctim.tv_sec ||
	    st2.st_ctim.tv_nsec != st.st_ctim.tv_nsec ||
	    pf_mkdirs(line, &ignore) != PF_OK ||
	    pf_atomic_open(&af, memo, &ignore) != PF_OK)
		return PF_OK;
	fprintf(af.f, "%s %s\n", want, hex);
	if (pf_atomic_commit(&af, &ignore) != PF_OK)
		pf_atomic_abort(&af);
	return PF_OK;
}

/* The key of a load: "src=SHA qf=SHA|- base=B dbl=D". */
static int
make_key(const char *dir, const char *path, const pf_svm_opts *o,
    char key[KEYLEN], char name[128], pf_err *err)
{
	char a[65], q[65] = "-";
	int rc;

	if ((rc = file_sha(dir, path, a, err)) != PF_OK ||
	    (o->query_file != NULL && (rc = file_sha(dir, o->query_file, q,
	    err)) != PF_OK))
		return rc;
	memset(key, 0, KEYLEN);
	snprintf(key, KEYLEN, "src=%s qf=%s base=%d dbl=%d", a, q,
	    o->feature_base, o->need_double != 0);
	snprintf(name, 128, "%.32s-%.16s-%d%d.pfsvm", a, o->query_file ?
	    q : "noq", o->feature_base,
	    o->need_double != 0);
	return PF_OK;
}

static uint64_t
up64(uint64_t n)
{
	return (n + 63) & ~(uint64_t)63;
}

/* The sections of s: where they start in *h, what they hold in p/n. */
static void
layout(const pf_svm *s, hdr *h, const void *p[NSEC], size_t strbytes)
{
	uint64_t cells = (uint64_t)s->nrows * s->nf, at = HDR;
	uint64_t len[NSEC] = {
		cells * sizeof(float),
		s->x64 != NULL ? cells * sizeof(double) : 0,
		s->nrows * sizeof(int32_t),
		(s->nq + 1) * sizeof(uint64_t),
		s->id != NULL ? s->nf * sizeof(uint32_t) : 0,
		s->nrows * sizeof(int64_t),
		strbytes,
	};
	p[0] = s->x32;
	p[1] = s->x64;
	p[2] = s->grade;
	p[3] = s->qoff;
	p[4] = s->id;
	p[5] = s->line;
	p[6] = NULL;
	for (int i = 0; i < NSEC; i++) {
		h->off[i] = at;
		h->len[i] = len[i];
		at = up64(at + len[i]);
	}
	h->payload_len = at - HDR;
}

/* Writes s as the entry dir/name (temporary, then rename). */
static int
write_entry(const char *dir, const char *name, const char *key,
    const pf_svm *s, pf_err *err)
{
	char path[PATH_MAX];
	const void *p[NSEC];
	pf_atomic_file af;
	size_t strbytes = 0;
	static const char zero[64];
	hdr h = {0};
	int rc;

	for (size_t q = 0; q < s->nq; q++)
		strbytes += strlen(s->qid[q]) + 1;
	for (size_t r = 0; r < s->nrows; r++)
		strbytes += strlen(s->docid[r]) + 1;
	memcpy(h.magic, MAGIC, 8);
	h.version = VERSION;
	h.hdr_size = HDR;
	memcpy(h.key, key, KEYLEN);
	h.nrows = s->nrows;
	h.nf = s->nf;
	h.nq = s->nq;
	h.base = s->base;
	h.flags = (s->id != NULL) | (s->x64 != NULL) << 1;
	layout(s, &h, p, strbytes);
	if ((rc = pf_mkdirs(dir, err)) != PF_OK)
		return rc;
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if ((rc = pf_atomic_open(&af, path, err)) != PF_OK)
		return rc;
	/* The payload, then its checksum read back, the header last, in
	   place. */
	int ok = fwrite(&h, 1, sizeof(h), af.f) == sizeof(h) &&
	    fseek(af.f, HDR, SEEK_SET) == 0;
	uint64_t at = HDR;
	for (int i = 0; ok && i < NSEC; i++) {
		if (i < NSEC - 1) {
			if (h.len[i] > 0) {
				ok = fwrite(p[i], 1, h.len[i], af.f) ==
				    h.len[i];
			}
		} else {
			for (size_t q = 0; ok && q < s->nq; q++) {
				size_t n = strlen(s->qid[q]) + 1;
				ok = fwrite(s->qid[q], 1, n, af.f) == n;
			}
			for (size_t r = 0; ok && r < s->nrows; r++) {
				size_t n = strlen(s->docid[r]) + 1;
				ok = fwrite(s->docid[r], 1, n, af.f) == n;
			}
		}
		at += h.len[i];
		size_t pad = (size_t)(up64(at) - at);
		if (ok && pad > 0) {
			ok = fwrite(zero, 1, pad, af.f) == pad;
		}
		at += pad;
	}
	if (ok && fflush(af.f) == 0) {
		int bad;
		h.payload_xxh = payload_xxh_fd(fileno(af.f),
		    (size_t)h.payload_len, &bad);
		ok = !bad;
	} else
		ok = 0;
	h.hdr_xxh = XXH3_64bits(&h, offsetof(hdr, hdr_xxh));
	ok = ok && fseek(af.f, 0, SEEK_SET) == 0 &&
	    fwrite(&h, 1, sizeof(h), af.f) == sizeof(h);
	if (!ok) {
		pf_atomic_abort(&af);
		return pf_err_set(err, PF_EIO, path, 0, "write error: %s",
		    strerror(errno));
	}
	return pf_atomic_commit(&af, err);
}

/* The string of *p within [.., end): *p moves past its NUL. */
static char *
next_str(char **p, const char *end)
{
	char *s = *p, *z = memchr(s, '\0', (size_t)(end - s));

	if (z == NULL)
		return NULL;
	*p = z + 1;
	return s;
}

/*
 * The entry at path mapped into *out: 1; 0 when there is none; -1 when it
 * is stale or corrupt (what is wrong in why).
 */
static int
map_entry(const char *path, const char *key, const char *src, pf_svm **out,
    char *why, size_t whysz)
{
	struct stat st;
	unsigned char *m = MAP_FAILED;
	pf_svm *s = NULL;
	hdr h;
	int fd;

	*out = NULL;
	if ((fd = open(path, O_RDONLY)) < 0)
		return 0;
#define BAD(...) do { snprintf(why, whysz, __VA_ARGS__); goto bad; } while (0)
	if (fstat(fd, &st) != 0 || st.st_size < HDR)
		BAD("shorter than its header");
	/* Private and writable: a stage that writes a value would see its
	   own copy, never the file's. */
	m = mmap(NULL, (size_t)st.st_size, PROT_READ | PROT_WRITE, MAP_PRIVATE,
	    fd, 0);
	if (m == MAP_FAILED)
		BAD("cannot be mapped: %s", strerror(errno));
	memcpy(&h, m, sizeof(h));
	if (memcmp(h.magic, MAGIC, 8) != 0 || h.version != VERSION ||
	    h.hdr_size != HDR)
		BAD("not an entry of this version");
	if (h.hdr_xxh != XXH3_64bits(&h, offsetof(hdr, hdr_xxh)))
		BAD("header checksum mismatch");
	if (memcmp(h.key, key, KEYLEN) != 0)
		BAD("made for other inputs");
	if (h.payload_len != (uint64_t)st.st_size - HDR)
		BAD("%llu payload bytes, the header says %llu",
		    (unsigned long long)st.st_size - HDR,
		    (unsigned long long)h.payload_len);
	uint64_t cells;
	if (__builtin_mul_overflow(h.nrows, h.nf, &cells) || cells >
	    UINT64_MAX / 8 || h.nq > h.nrows ||
	    h.len[0] != cells * 4 || h.len[1] != (h.flags & 2 ? cells * 8 : 0) ||
	    h.len[2] != h.nrows * 4 || h.len[3] != (h.nq + 1) * 8 ||
	    h.len[4] != (h.flags & 1 ? h.nf * 4 : 0) || h.len[5] != h.nrows * 8)
		BAD("section sizes do not add up");
	for (int i = 0; i < NSEC; i++)
		if (h.off[i] % 64 != 0 || h.off[i] < HDR || h.off[i] >
		    (uint64_t)st.st_size || h.len[i] > (uint64_t)st.st_size -
		    h.off[i])
			BAD("a section outside the file");
	if (payload_xxh(m + HDR, (size_t)h.payload_len) != h.payload_xxh)
		BAD("payload checksum mismatch");
	const uint64_t *qoff = (const uint64_t *)(m + h.off[3]);
	if (qoff[0] != 0 || qoff[h.nq] != h.nrows)
		BAD("query offsets do not add up");
	for (uint64_t q = 0; q < h.nq; q++)
		if (qoff[q + 1] <= qoff[q])
			BAD("query offsets do not add up");
	if ((s = calloc(1, sizeof(*s))) == NULL ||
	    (s->path = strdup(src)) == NULL ||
	    (s->qid = calloc(h.nq + 1, sizeof(*s->qid))) == NULL ||
	    (s->docid = calloc(h.nrows + 1, sizeof(*s->docid))) == NULL)
		BAD("out of memory");
	s->map = m;
	s->maplen = (size_t)st.st_size;
	s->nrows = h.nrows;
	s->nf = h.nf;
	s->nq = h.nq;
	s->base = h.base;
	s->x32 = (float *)(m + h.off[0]);
	s->x64 = h.flags & 2 ? (double *)(m + h.off[1]) : NULL;
	s->grade = (int32_t *)(m + h.off[2]);
	s->qoff = (size_t *)(m + h.off[3]);
	s->id = h.flags & 1 ? (uint32_t *)(m + h.off[4]) : NULL;
	s->line = (long *)(m + h.off[5]);
	char *p = (char *)m + h.off[6], *end = p + h.len[6];
	for (size_t q = 0; q < h.nq; q++)
		if ((s->qid[q] = next_str(&p, end)) == NULL)
			BAD("fewer strings than queries and rows");
	for (size_t r = 0; r < h.nrows; r++)
		if ((s->docid[r] = next_str(&p, end)) == NULL)
			BAD("fewer strings than queries and rows");
#undef BAD
	close(fd);
	*out = s;
	return 1;
bad:
	if (s != NULL && s->map != NULL)
		m = MAP_FAILED;		/* pf_svm_free unmaps it */
	pf_svm_free(s);
	if (m != MAP_FAILED)
		munmap(m, (size_t)st.st_size);
	close(fd);
	return -1;
}

int
pf_svm_load_cached(pf_svm **out, const char *path, const pf_svm_opts *o,
    const char *dir, pf_err *err)
{
	char key[KEYLEN], name[128], entry[PATH_MAX], why[160];
	pf_err werr = {0};
	int rc;

	*out = NULL;
	if (dir == NULL)
		return pf_svm_load(out, path, o, err);
	/* An unreadable input is the load's error, as without a cache. */
	if ((rc = make_key(dir, path, o, key, name, err)) != PF_OK)
		return pf_svm_load(out, path, o, err);
	snprintf(entry, sizeof(entry), "%s/%s", dir, name);
	switch (map_entry(entry, key, path, out, why, sizeof(why))) {
	case 1:
		/* used now: the pruning (pf_svm_cache_prune) keeps the
		   entries used last */
		(void)utimensat(AT_FDCWD, entry, NULL, 0);
		return PF_OK;
	case -1:
		fprintf(stderr, "preflight: warning: %s: cache entry %s (%s); "
		    "parsed again\n", path, entry, why);
		break;
	default:
		break;
	}
	if ((rc = pf_svm_load(out, path, o, err)) != PF_OK)
		return rc;
	if (write_entry(dir, name, key, *out, &werr) != PF_OK)
		fprintf(stderr, "preflight: warning: %s: not cached: %s%s%s\n",
		    path, werr.where, werr.where[0] ? ": " : "", werr.msg);
	return PF_OK;
}

/* One entry of the cache folder: its name, bytes and last use. */
typedef struct centry {
	char		 name[128];
	unsigned long long bytes;
	struct timespec	 used;
} centry;

static int
by_use(const void *a, const void *b)
{
	const centry *x = a, *y = b;

	if (x->used.tv_sec != y->used.tv_sec)
		return x->used.tv_sec < y->used.tv_sec ? -1 : 1;
	if (x->used.tv_nsec != y->used.tv_nsec)
		return x->used.tv_nsec < y->used.tv_nsec ? -1 : 1;
	return strcmp(x->name, y->name);
}

/* The entries (*.pfsvm) of dir into *out (malloc'd), their total bytes. */
static int
list_entries(const char *dir, centry **out, size_t *n,
    unsigned long long *total, pf_err *err)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	size_t cap = 0;

	*out = NULL;
	*n = 0;
	*total = 0;
	if (d == NULL)
		return errno == ENOENT ? PF_OK : pf_err_set(err, PF_EIO, dir,
		    0, "cannot list the cache: %s", strerror(errno));
	while ((de = readdir(d)) != NULL) {
		size_t len = strlen(de->d_name);
		char path[PATH_MAX];
		struct stat st;
		if (len < 7 || len >= sizeof((*out)->name) ||
		    strcmp(de->d_name + len - 6, ".pfsvm") != 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		if (stat(path, &st) != 0 || !S_ISREG(st.st_mode))
			continue;
		if (*n == cap) {
			centry *e = realloc(*out, (cap = cap ? 2 * cap : 16) *
			    sizeof(*e));
			if (e == NULL) {
				closedir(d);
				return pf_err_set(err, PF_ENOMEM, NULL, 0,
				    "out of memory");
			}
			*out = e;
		}
		memcpy((*out)[*n].name, de->d_name, len + 1);
		(*out)[*n].bytes = (unsigned long long)st.st_size;
		(*out)[*n].used = st.st_mtim;
		*total += (unsigned long long)st.st_size;
		(*n)++;
	}
	closedir(d);
	return PF_OK;
}

int
pf_svm_cache_prune(const char *dir, unsigned long long max,
    const struct timespec *since, size_t *removed, unsigned long long *freed,
    pf_err *err)
{
	centry *e;
	size_t n;
	unsigned long long total;
	int rc;

	*removed = 0;
	*freed = 0;
	if ((rc = list_entries(dir, &e, &n, &total, err)) != PF_OK)
		return rc;
	qsort(e, n, sizeof(*e), by_use);
	for (size_t i = 0; i < n && total > max; i++) {
		char path[PATH_MAX];
		if (e[i].used.tv_sec > since->tv_sec ||
		    (e[i].used.tv_sec == since->tv_sec &&
		    e[i].used.tv_nsec >= since->tv_nsec))
			break;	/* used by this run, and so are the rest */
		snprintf(path, sizeof(path), "%s/%s", dir, e[i].name);
		/* a run that has it mapped keeps its pages */
		if (unlink(path) != 0 && errno != ENOENT) {
			rc = pf_err_set(err, PF_EIO, path, 0, "cannot remove "
			    "the cache entry: %s", strerror(errno));
			break;
		}
		total -= e[i].bytes;
		*freed += e[i].bytes;
		(*removed)++;
	}
	free(e);
	return rc;
}
