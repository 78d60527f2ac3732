/*
 * arena.c — a list of blocks, bump-allocated. Large requests get a block of
 * their own. Reset keeps the first block so per-query scratch settles to one
 * allocation per thread.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "harness/util/arena.h"
#include "harness/util/fileio.h"
#include "harness/util/grow.h"

typedef struct block {
	struct block	*next;
	size_t		 size;
	size_t		 used;
	_Alignas(64) unsigned char data[];
} block;

struct pf_arena {
	block	*head;		/* current block, the most recent */
	size_t	 block_size;
#ifdef PF_DEBUG_ARENA
	void	**allocs;
	size_t	  nallocs, capallocs;
#endif
};

static block *
block_new(size_t size)
{
	block *b;

	if (size > SIZE_MAX - sizeof(*b))
		return NULL;
	if ((b = pf_malloc_big(sizeof(*b) + size)) == NULL)	/* huge pages */
		return NULL;
	b->next = NULL;
	b->size = size;
	b->used = 0;
	return b;
}

pf_arena *
pf_arena_new(size_t block_size)
{
	pf_arena *a;

	if ((a = calloc(1, sizeof(*a))) == NULL)
		return NULL;
	a->block_size = block_size < 4096 ? 4096 : block_size;
	return a;
}

void *
pf_arena_alloc(pf_arena *a, size_t n, size_t align)
{
	block *b;
	size_t off;

	if (n == 0)
		n = 1;
#ifdef PF_DEBUG_ARENA
	void *p, **v;
	if (a->nallocs == a->capallocs) {
		if ((v = pf_grow(a->allocs, &a->capallocs, a->nallocs + 1,
		    sizeof(*v))) == NULL)
			return NULL;
		a->allocs = v;
	}
	if (posix_memalign(&p, align < sizeof(void *) ? sizeof(void *) : align,
	    n) != 0)
		return NULL;
	a->allocs[a->nallocs++] = p;
	return p;
#else
	b = a->head;
	if (b != NULL) {
		off = (b->used + (align - 1)) & ~(align - 1);
		if (off <= b->size && n <= b->size - off) {
			b->used = off + n;
			return b->data + off;
		}
	}
	if ((b = block_new(n > a->block_size ? n : a->block_size)) == NULL)
		return NULL;
	if (a->head != NULL && n > a->block_size) {
		/* A large request: keep the current block for small ones. */
		b->next = a->head->next;
		a->head->next = b;
	} else {
		b->next = a->head;
		a->head = b;
	}
	b->used = n;
	return b->data;
#endif
}

char *
pf_arena_strndup(pf_arena *a, const char *s, size_t n)
{
	char *d;

	if (n == SIZE_MAX || (d = pf_arena_alloc(a, n + 1, 1)) == NULL)
		return NULL;
	memcpy(d, s, n);
	d[n] = '\0';
	return d;
}

void
pf_arena_reset(pf_arena *a)
{
	block *b, *next, *keep = NULL;

	if (a == NULL)
		return;
#ifdef PF_DEBUG_ARENA
	for (size_t i = 0; i < a->nallocs; i++)
		free(a->allocs[i]);
	a->nallocs = 0;
#endif
	/* Keep the oldest block (the tail): it has the default size. */
	for (b = a->head; b != NULL; b = next) {
		next = b->next;
		if (next == NULL && b->size == a->block_size) {
			keep = b;
			break;
		}
		free(b);
	}
	if (keep != NULL)
		keep->used = 0;
	a->head = keep;
}

void
pf_arena_free(pf_arena *a)
{
	block *b, *next;

	if (a == NULL)
		return;
#ifdef PF_DEBUG_ARENA
	for (size_t i = 0; i < a->nallocs; i++)
		free(a->allocs[i]);
	free(a->allocs);
#endif
	for (b = a->head; b != NULL; b = next) {
		next = b->next;
		free(b);
	}
	free(a);
}
