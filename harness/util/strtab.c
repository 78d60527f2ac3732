/*
 * strtab.c — open addressing (linear probing, power-of-two capacity, load
 * <= 1/2) over 64-bit XXH3 hashes; slots hold id + 1 (0 = empty) and the
 * hash's top 32 bits, so a probe past another string's slot does not
 * read that string's entry (one cache miss a lookup, not two). Strings
 * live in an arena owned by the table.
 */
#include <stdlib.h>
#include <string.h>


#include "harness/util/arena.h"
#include "harness/util/grow.h"
#include "harness/util/strtab.h"

typedef struct entry {
	const char	*s;
	size_t		 len;
	uint64_t	 h;
} entry;

struct pf_strtab {
	pf_arena	*arena;
	entry		*ents;		/* by id */
	size_t		 n, cap_ents;
	uint64_t	*slots;		/* tag << 32 | (id + 1), 0 = empty */
	size_t		 mask;		/* capacity - 1 */
};


pf_strtab *
pf_strtab_new(void)
{
	pf_strtab *t;

	if ((t = calloc(1, sizeof(*t))) == NULL)
		return NULL;
	t->arena = pf_arena_new(1 << 16);
	t->slots = calloc(64, sizeof(*t->slots));
	if (t->arena == NULL || t->slots == NULL) {
		pf_strtab_free(t);
		return NULL;
	}
	t->mask = 63;
	return t;
}

void
pf_strtab_free(pf_strtab *t)
{
	if (t == NULL)
		return;
	pf_arena_free(t->arena);
	free(t->ents);
	free(t->slots);
	free(t);
}

/* A slot's word: the hash's top half, then id + 1 (never 0). */
static inline uint64_t
slot_of(uint64_t h, size_t id)
{
	return (h & 0xffffffff00000000ULL) | (uint64_t)(id + 1);
}

/* The slots rebuilt with capacity cap (a power of two above 2 n). */
static int
grow_to(pf_strtab *t, size_t cap)
{
	uint64_t *slots;

	if ((slots = calloc(cap, sizeof(*slots))) == NULL)
		return -1;
	for (size_t id = 0; id < t->n; id++) {
		size_t i = t->ents[id].h & (cap - 1);
		while (slots[i] != 0)
			i = (i + 1) & (cap - 1);
		slots[i] = slot_of(t->ents[id].h, id);
	}
	free(t->slots);
	t->slots = slots;
	t->mask = cap - 1;
	return 0;
}

static int
grow(pf_strtab *t)
{
	return grow_to(t, (t->mask + 1) * 2);
}

/* The id of s, or -1 with *empty the free slot where it would go. */
static inline long
probe(const pf_strtab *t, const char *s, size_t len, uint64_t h,
    size_t *empty)
{
	size_t i = h & t->mask;
	uint64_t v, tag = h & 0xffffffff00000000ULL;

	while ((v = t->slots[i]) != 0) {
		if ((v & 0xffffffff00000000ULL) == tag) {
			const entry *e = &t->ents[(uint32_t)v - 1];
			if (e->h == h && e->len == len &&
			    memcmp(e->s, s, len) == 0)
				return (long)((uint32_t)v - 1);
		}
		i = (i + 1) & t->mask;
	}
	*empty = i;
	return -1;
}

long
pf_strtab_find_h(const pf_strtab *t, const char *s, size_t len, uint64_t h)
{
	size_t empty;

	return probe(t, s, len, h, &empty);
}

long
pf_strtab_find(const pf_strtab *t, const char *s, size_t len)
{
	return pf_strtab_find_h(t, s, len, pf_hash_bytes(s, len));
}

long
pf_strtab_intern_h(pf_strtab *t, const char *s, size_t len, uint64_t h)
{
	long id;
	char *copy;
	entry *e;

	size_t i;

	if ((id = probe(t, s, len, h, &i)) >= 0)
		return id;
	if (t->n >= UINT32_MAX - 1)
		return -1;
	if (2 * (t->n + 1) > t->mask + 1) {
		if (grow(t) != 0)
			return -1;
		(void)probe(t, s, len, h, &i);	/* its slot in the new table */
	}
	if (t->n == t->cap_ents) {
		if ((e = pf_grow(t->ents, &t->cap_ents, t->n + 1,
		    sizeof(*e))) == NULL)
			return -1;
		t->ents = e;
	}
	if ((copy = pf_arena_strndup(t->arena, s, len)) == NULL)
		return -1;
	t->ents[t->n] = (entry){copy, len, h};
	t->slots[i] = slot_of(h, t->n);
	return (long)t->n++;
}

int
pf_strtab_intern_many(pf_strtab *t, const char *const *s, const size_t *len,
    const uint64_t *h, size_t n, uint32_t *ids)
{
	size_t cap = t->mask + 1;
	entry *e;

	/* Room for all n at once (as if each were new): the mask stays, so
	   a string's slot is known ahead and fetched while the ones before
	   it are interned. */
	if (n > UINT32_MAX - 1 - t->n)
		return -1;
	while (2 * (t->n + n) > cap)
		cap *= 2;
	if (cap != t->mask + 1 && grow_to(t, cap) != 0)
		return -1;
	if ((e = pf_grow(t->ents, &t->cap_ents, t->n + n, sizeof(*e))) ==
	    NULL)
		return -1;
	t->ents = e;
	for (size_t i = 0; i < n; i++) {
		if (i + 8 < n)
			__builtin_prefetch(&t->slots[h[i + 8] & t->mask]);
		long id = pf_strtab_intern_h(t, s[i], len[i], h[i]);
		if (id < 0)
			return -1;
		ids[i] = (uint32_t)id;
	}
	return 0;
}

long
pf_strtab_intern(pf_strtab *t, const char *s, size_t len)
{
	return pf_strtab_intern_h(t, s, len, pf_hash_bytes(s, len));
}

size_t
pf_strtab_count(const pf_strtab *t)
{
	return t->n;
}

long
pf_strtab_seen(pf_strtab *t, long **lines, size_t *cap, const char *s,
    size_t len, long line)
{
	long before = (long)t->n;
	long k = pf_strtab_intern(t, s, len);

	if (k < 0)
		return -1;
	if (k < before)
		return (*lines)[k];
	if ((size_t)k >= *cap) {
		size_t c = *cap ? 2 * *cap : 64;
		long *a = realloc(*lines, c * sizeof(*a));
		if (a == NULL)
			return -1;
		*lines = a;
		*cap = c;
	}
	(*lines)[k] = line;
	return 0;
}

const char *
pf_strtab_str(const pf_strtab *t, size_t id)
{
	return t->ents[id].s;
}

size_t
pf_strtab_len(const pf_strtab *t, size_t id)
{
	return t->ents[id].len;
}
