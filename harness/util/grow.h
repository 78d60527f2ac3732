/*
 * harness/util/grow.h — growing arrays and joining paths: the two small
 * things every loader does, written once.
 *
 * Arrays grow by doubling from PF_GROW_MIN items; the byte count is
 * overflow-checked (STYLE.md C7), so a huge count is "out of memory", never
 * a wrapped size.
 */
#ifndef PF_HARNESS_UTIL_GROW_H
#define PF_HARNESS_UTIL_GROW_H

#include <stddef.h>

#define PF_GROW_MIN	16

/*
 * The capacity for need items: cap (or PF_GROW_MIN when 0) doubled until it
 * holds need. 0 when need items of sz bytes do not fit in a size_t.
 */
size_t	pf_grow_cap(size_t cap, size_t need, size_t sz);

/*
 * Makes arr (room for *cap items of sz bytes) hold at least need items.
 * Returns arr itself when it already does, else the reallocated array with
 * *cap updated, or NULL when out of memory — arr and *cap are then left as
 * they were, still valid and owned by the caller:
 *
 *	if ((p = pf_grow(v->items, &v->cap, v->n + 1, sizeof(*p))) == NULL)
 *		goto nomem;
 *	v->items = p;
 */
void	*pf_grow(void *arr, size_t *cap, size_t need, size_t sz);

/*
 * realloc for n items of sz bytes, the product checked: NULL on overflow
 * or when out of memory (arr still valid then).
 */
void	*pf_realloc_n(void *arr, size_t n, size_t sz);

/*
 * rel resolved against dir, a new string to free: rel itself when absolute
 * or when dir is NULL, "" or "."; NULL when rel is NULL or out of memory.
 */
char	*pf_path_join(const char *dir, const char *rel);

#endif /* PF_HARNESS_UTIL_GROW_H */
