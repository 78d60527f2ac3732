/*
 * harness/util/arena.h — bump allocator for same-lifetime data (STYLE.md C6).
 *
 * Golden-set tables (ids, strings) live in a load-time arena freed with their
 * owner; per-query scratch lives in a per-thread arena reset between
 * queries. Blocks of 2 MiB or more are on huge pages (pf_malloc_big).
 * Built with -DPF_DEBUG_ARENA, every allocation is a separate
 * malloc so sanitizers see individual blocks.
 */
#ifndef PF_HARNESS_UTIL_ARENA_H
#define PF_HARNESS_UTIL_ARENA_H

#include <stddef.h>

typedef struct pf_arena pf_arena;

/* A new arena allocating blocks of at least block_size bytes; NULL on OOM. */
pf_arena	*pf_arena_new(size_t block_size);
/* n bytes aligned to align (a power of two <= 64); NULL only on OOM. */
void		*pf_arena_alloc(pf_arena *a, size_t n, size_t align);
/* A NUL-terminated copy of s[0..n); NULL only on OOM. */
char		*pf_arena_strndup(pf_arena *a, const char *s, size_t n);
/* Frees everything allocated since new/reset; keeps the first block. */
void		 pf_arena_reset(pf_arena *a);
/* NULL is a no-op. */
void		 pf_arena_free(pf_arena *a);

#endif /* PF_HARNESS_UTIL_ARENA_H */
