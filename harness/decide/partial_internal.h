/*
 * harness/decide/partial_internal.h — shared by partial.c (the part's
 * header, its checks and the query lists), partial_encode.c (writing a
 * part) and partial_fill.c (the importance and attribution sections read
 * back); never included from elsewhere.
 */
#ifndef PF_HARNESS_DECIDE_PARTIAL_INTERNAL_H
#define PF_HARNESS_DECIDE_PARTIAL_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "harness/decide/partial.h"

#define PF_PART_MAGIC		"PFPART\0\2"
#define PF_PART_MAGIC_LEN	8
#define PF_PART_ORDER		0x01020304u
#define PF_PART_FORMAT		"preflight.partial/2"

/* A reader over a part's bytes; every short read is one error. */
typedef struct ibuf {
	const char	*p;
	size_t		 n, at;
	const char	*where;
	pf_err		*err;
	int		 bad;
} ibuf;


/* n bytes into v (NULL: skipped); 0, or -1 with b->bad and the error set
   once (zeros into v). */
int		pf_part__get(ibuf *b, void *v, size_t n);
uint32_t	pf_part__get_u32(ibuf *b);
uint64_t	pf_part__get_u64(ibuf *b);
/* One length-prefixed string into a NUL-terminated scratch (*scratch,
   *cap grown): the string, its length in *len, or NULL (error set). */
const char	*pf_part__get_str(ibuf *b, char **scratch, size_t *cap,
		    size_t *len);

/* The sections after the query lists (partial_fill.c): importance,
   stage attribution, the oracle split. PF_OK or the error in b->err. */
int	pf_part__fill_imp(pf_replay *r, ibuf *b, const pf_part *p,
	    pf_imp_given *imp);
int	pf_part__fill_attrib(ibuf *b, const pf_part *p, pf_attrib_given *ag,
	    char **s, size_t *cap);
int	pf_part__fill_oracle(ibuf *b, const pf_part *p, pf_attrib_given *ag);

#endif /* PF_HARNESS_DECIDE_PARTIAL_INTERNAL_H */
