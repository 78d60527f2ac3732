/*
 * harness/util/strtab.h — string interning: ids (qids, docids, annotators) map to
 * dense indices 0..n-1 in first-seen order, so no loader ever sorts or scans
 * strings to match them (trec_eval's O(Q^2) topic matching is the
 * counter-example). Hashing is xxHash's XXH3 (libxxhash).
 */
#ifndef PF_HARNESS_UTIL_STRTAB_H
#define PF_HARNESS_UTIL_STRTAB_H

#include <stddef.h>
#include <stdint.h>

typedef struct pf_strtab pf_strtab;

/* 64-bit hash of a byte string (XXH3, inlined: it runs once per run line
   in `preflight eval`; same values as libxxhash's XXH3_64bits). */
#ifndef XXH_INLINE_ALL
#define XXH_INLINE_ALL
#endif
#include <xxhash.h>

static inline uint64_t
pf_hash_bytes(const void *s, size_t len)
{
	return XXH3_64bits(s, len);
}

pf_strtab	*pf_strtab_new(void);			/* NULL on OOM */
void		 pf_strtab_free(pf_strtab *t);		/* NULL is a no-op */
/* The id of s[0..len), added if new; -1 on OOM. */
long		 pf_strtab_intern(pf_strtab *t, const char *s, size_t len);
/* The same with a precomputed pf_hash_bytes(s, len). */
long		 pf_strtab_intern_h(pf_strtab *t, const char *s, size_t len,
		    uint64_t h);
/*
 * Interns s[i][0..len[i]) with hash h[i] (pf_hash_bytes) for i in 0..n, in
 * order, their ids into ids[i]: the ids n pf_strtab_intern_h calls give.
 * The table is sized once for all of them and each string's slot fetched
 * ahead (for the million docids of a candidate file, a cache miss a
 * string otherwise). 0, or -1 on OOM (ids set up to the failure).
 */
int		 pf_strtab_intern_many(pf_strtab *t, const char *const *s,
		    const size_t *len, const uint64_t *h, size_t n,
		    uint32_t *ids);
/* The id of s[0..len), or -1 when absent. Thread-safe with other finds. */
long		 pf_strtab_find(const pf_strtab *t, const char *s, size_t len);
long		 pf_strtab_find_h(const pf_strtab *t, const char *s, size_t len,
		    uint64_t h);
size_t		 pf_strtab_count(const pf_strtab *t);
/*
 * Interns s[0..len) and remembers the line it was first seen at in
 * (*lines)[id] (grown with *cap): the earlier line when seen before, 0
 * when new, -1 on OOM. For the loaders' "id X repeats line N" checks.
 */
long		 pf_strtab_seen(pf_strtab *t, long **lines, size_t *cap,
		    const char *s, size_t len, long line);
/* Borrowed, NUL-terminated, valid until pf_strtab_free. */
const char	*pf_strtab_str(const pf_strtab *t, size_t id);
size_t		 pf_strtab_len(const pf_strtab *t, size_t id);

#endif /* PF_HARNESS_UTIL_STRTAB_H */
