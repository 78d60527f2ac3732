/*
 * harness/util/fnames.h — feature names: a table from the file's feature id
 * (the number a candidate file's "id:value" pairs carry, the one numbering
 * every output uses) to a name, and whether the feature is query-level
 * (the same value for every document of a query). Filled from a names file
 * (harness/load/featnames.h), by a stage that computes its own features
 * (textfeatures), or from a model's own names (gbdt: model feature j is
 * file id j + first-feature).
 *
 * Ids are unique and ascending once pf_fnames_sort has run; lookups are a
 * binary search. The table is read-only after it is built, so any number
 * of threads may read it at once.
 */
#ifndef PF_HARNESS_UTIL_FNAMES_H
#define PF_HARNESS_UTIL_FNAMES_H

#include <stddef.h>

#include "harness/util/diags.h"

typedef struct pf_fnames {
	size_t		 n, cap;
	long		*id;		/* file feature ids, ascending */
	char		**name;		/* owned, non-empty */
	unsigned char	*query;		/* 1: marked query-level */
	long		*line;		/* the names file's line, 0 otherwise */
	char		*origin;	/* the names file, the stage or the
					   model they come from (messages) */
} pf_fnames;

/* An empty table; origin is copied. NULL on OOM. */
pf_fnames	*pf_fnames_new(const char *origin);
void		 pf_fnames_free(pf_fnames *t);		/* NULL is a no-op */
/* Appends (id, name); -1 on OOM. Call pf_fnames_sort before lookups. */
int		 pf_fnames_add(pf_fnames *t, long id, const char *name,
		    size_t len, int query, long line);
/* Sorts by id (stable: equal ids keep their order); -1 on OOM. */
int		 pf_fnames_sort(pf_fnames *t);
/* The index of id, or -1 (t may be NULL). */
long		 pf_fnames_find(const pf_fnames *t, long id);
/* The name of id, or NULL when t is NULL or lacks it. Borrowed. */
const char	*pf_fnames_get(const pf_fnames *t, long id);
/* Whether t marks id query-level. */
int		 pf_fnames_query(const pf_fnames *t, long id);
/* The id named name (exact bytes), or -1 (t may be NULL). O(n). */
long		 pf_fnames_id(const pf_fnames *t, const char *name);

/*
 * Where two tables name the same id differently: up to max such ids
 * (ascending) into ids, their total count as the return value.
 */
size_t		 pf_fnames_disagree(const pf_fnames *a, const pf_fnames *b,
		    long *ids, size_t max);

/*
 * When a model's names and the names of the features it reads (a names
 * file, a stage's own) differ for some id: one warning in d, at the data
 * names' origin (and the line of the first), naming the first three
 * disagreements and their count. Nothing when either is NULL or they
 * agree wherever both name an id.
 */
void		 pf_fnames_warn(pf_diags *d, const pf_fnames *model,
		    const pf_fnames *data);

#endif /* PF_HARNESS_UTIL_FNAMES_H */
