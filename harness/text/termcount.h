/*
 * harness/text/termcount.h — one document's term frequencies, counted in
 * O(1) per token whatever the document's length: the text stages' step
 * from a document's tokens to its (term, tf) postings.
 *
 * Term ids are the dense ids of a pf_strtab (the hashing happened there),
 * so the counter is a sparse accumulator: one slot per term id holding the
 * term's place in the document's list of distinct terms. Resetting for the
 * next document walks that list (O(distinct terms of the document), never
 * O(vocabulary)). The buffers grow with the vocabulary and with the
 * longest document and are kept across documents: no allocation per token
 * or per document once they are large enough.
 *
 * Fields are read-only for callers. Not thread-safe: one counter per
 * thread.
 */
#ifndef PF_HARNESS_TEXT_TERMCOUNT_H
#define PF_HARNESS_TEXT_TERMCOUNT_H

#include <stddef.h>
#include <stdint.h>

typedef struct pf_termcount {
	uint32_t	*id;	/* the document's distinct terms, first seen first */
	double		*tf;	/* their summed weights, in token order */
	size_t		 n;	/* distinct terms so far */
	size_t		 cap;	/* of id and tf */
	uint32_t	*at;	/* by term id: 1 + index in id, 0 = absent */
	size_t		 nat;	/* term ids with a slot */
} pf_termcount;

#define PF_TERMCOUNT_INIT	{NULL, NULL, 0, 0, NULL, 0}

/*
 * Adds weight w to term's frequency in the current document (the term is
 * appended to id when new to it). PF_OK, or PF_ENOMEM with the counts left
 * as they were.
 */
int	pf_termcount_add(pf_termcount *c, uint32_t term, double w);

/* Forgets the current document's counts; the buffers are kept. */
void	pf_termcount_reset(pf_termcount *c);

/* Frees the buffers (not c itself) and empties c; NULL is a no-op. */
void	pf_termcount_free(pf_termcount *c);

#endif /* PF_HARNESS_TEXT_TERMCOUNT_H */
