/*
 * harness/load/featschema.h — a feature schema (README "Know your
 * features"): what the features of a candidate file are meant to be, one
 * row a feature, kept as `features.schema.tsv` in the golden folder
 * (`preflight validate` and `run --check` check the golden set's candidate
 * files against it when it is there). A tab-separated file whose first
 * line that is not blank or a '#' comment is the header
 *
 *   id<TAB>name<TAB>type<TAB>range<TAB>missing<TAB>level<TAB>description
 *
 * then one line a feature:
 *
 *   id           the candidate file's feature id (the number before ':'),
 *                an integer 0 .. 2^31 - 1, once;
 *   name         not empty, no leading or trailing whitespace, once;
 *   type         float | int | bool | category;
 *   range        float, int: MIN,MAX (either side may be empty: open),
 *                or '-' (any value); bool: '-' or 0,1 (its values are 0
 *                and 1 whatever the range); category: the allowed values
 *                (numbers, as the file writes its codes) separated by
 *                '|', at least one;
 *   missing      yes | no: whether a row may lack the feature (an absent
 *                id:value or an explicit nan);
 *   level        query | doc: query, one value for every document of a
 *                query (missing counts as a value);
 *   description  one line of free text (may be empty).
 *
 * Blank lines and '#' comments are skipped; the shared text rules apply
 * (pf_read_text: BOM dropped with a warning, NUL refused, CRLF accepted,
 * gzip inflated). Every malformed line is PF_EFORMAT at path:line with
 * what was expected; a file without a header or without a feature is
 * refused too. Rows are sorted by id after loading.
 */
#ifndef PF_HARNESS_LOAD_FEATSCHEMA_H
#define PF_HARNESS_LOAD_FEATSCHEMA_H

#include <stddef.h>
#include <stdio.h>

#include "metrics/err.h"

/* The conventional name of a golden folder's schema. */
#define PF_FEATSCHEMA_FILE	"features.schema.tsv"

enum { PF_FT_FLOAT, PF_FT_INT, PF_FT_BOOL, PF_FT_CATEGORY };

typedef struct pf_fschema_row {
	long	 id;
	char	*name;
	int	 type;		/* PF_FT_* */
	double	 min, max;	/* -inf / +inf when open */
	double	*cat;		/* category: ncat allowed values, ascending */
	size_t	 ncat;
	int	 missing_ok;
	int	 query_level;
	char	*desc;		/* "" when empty */
	long	 line;		/* in the schema file */
} pf_fschema_row;

typedef struct pf_fschema {
	char		*path;
	pf_fschema_row	*row;	/* n, ascending id */
	size_t		 n;
} pf_fschema;

/* Loads path into *out (caller frees with pf_fschema_free). */
int	pf_fschema_load(pf_fschema **out, const char *path, pf_err *err);
void	pf_fschema_free(pf_fschema *s);	/* NULL is a no-op */
/* The row of feature id, or NULL (binary search). */
const pf_fschema_row *pf_fschema_find(const pf_fschema *s, long id);
/* "float", "int", "bool", "category". */
const char	*pf_fschema_type_name(int type);
/* Whether category row r allows value v. */
int	pf_fschema_in_cats(const pf_fschema_row *r, double v);

/* The header line (no newline). */
#define PF_FEATSCHEMA_HEADER \
	"id\tname\ttype\trange\tmissing\tlevel\tdescription"

/* A number as the shortest text strtod reads back exactly (%.15g, else
   %.17g) into buf. */
void	pf_fschema_num(char *buf, size_t sz, double v);
/* Row r's range column as the format writes it ("-", "0,1", "1|2|3"). */
void	pf_fschema_range_text(const pf_fschema_row *r, char *buf,
	    size_t sz);
/* Row r as one line of the format, with its '\n'. */
void	pf_fschema_write_row(const pf_fschema_row *r, FILE *f);

#endif /* PF_HARNESS_LOAD_FEATSCHEMA_H */
