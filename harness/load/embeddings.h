/*
 * harness/load/embeddings.h — the embeddings a stage reads (the dense
 * stage; the dense score feature of textfeatures): document and query
 * vectors from .npy float32 files with an ids file each
 * (harness/load/npy.h), checked and mapped onto the golden set by
 * pf_golden_embeddings (harness/load/golden.h).
 *
 * Documents: with a corpus (<docs> in <golden>) every id must be one of
 * its documents (an error at the id's line otherwise: a typo or a stale
 * embedding file would silently lose relevant documents); without one the
 * ids become the golden set's documents, as candidates does. Queries:
 * every query of the golden set needs an embedding; the query ids may hold
 * more (the other half of a split). Duplicate ids, a dimension mismatch,
 * an ids count unlike the rows and non-finite values are errors naming the
 * file.
 */
#ifndef PF_HARNESS_LOAD_EMBEDDINGS_H
#define PF_HARNESS_LOAD_EMBEDDINGS_H

#include <stddef.h>
#include <stdint.h>

/* The four files, paths resolved. */
typedef struct pf_emb_files {
	const char	*docs, *doc_ids;
	const char	*queries, *query_ids;
} pf_emb_files;

typedef struct pf_emb {
	size_t		 dim;
	size_t		 nd;		/* document rows */
	const float	*doc;		/* nd x dim, in file order */
	uint32_t	*gdoc;		/* nd: golden document index of a row */
	size_t		 nq;		/* the golden set's queries */
	float		*q;		/* nq x dim, in golden query order */
	void		*npy;		/* owns doc */
} pf_emb;

void	pf_emb_free(pf_emb *e);		/* NULL is a no-op */

#endif /* PF_HARNESS_LOAD_EMBEDDINGS_H */
