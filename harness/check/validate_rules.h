/*
 * harness/check/validate_rules.h — internals of `preflight validate` shared by
 * validate.c (reading), validate_rules.c (rules, summary) and
 * validate_report.c (printed, JSON). Not for other modules: use validate.h.
 */
#ifndef PF_HARNESS_CHECK_VALIDATE_RULES_H
#define PF_HARNESS_CHECK_VALIDATE_RULES_H

#include <stddef.h>
#include <stdint.h>

#include "harness/load/scenario.h"
#include "harness/check/validate.h"
#include "metrics/labelq.h"

typedef struct vjudg {
	uint32_t	q, a, d;	/* ids in tq, ta, td */
	uint32_t	item;		/* (qid, docid) id */
	int32_t		grade;
	uint32_t	line;		/* 1-based in the qrels */
	uint32_t	dup_of;		/* line of the first, 0 = not a duplicate */
} vjudg;

enum { VR_PASS, VR_FAIL, VR_SKIP };

#define VR_EXAMPLES	5
#define VR_NOTES	16

typedef struct vrule {
	const char	*id;
	int		 status;	/* VR_* */
	size_t		 count;
	char		 msg[256];
	char		 ex[VR_EXAMPLES][320];	/* "path:line: what" */
	size_t		 nex;
} vrule;

struct pf_validation {
	char			*target;
	pf_validate_opts	 opts;
	pf_scenario		*scn;	/* a scenario pf_validate loaded */
	pf_scenario		 own;	/* a folder's files */
	const pf_scenario	*s;	/* one of the two, or the caller's */
	int			 scenario;	/* s is a scenario, not a
						   folder's files */
	struct pf_golden	*own_g;	/* loaded by pf_validate, or NULL */
	const struct pf_golden	*g;	/* own_g or the caller's; NULL when
					   not loaded */
	struct pf_strtab	*tq, *ta, *td;
	vjudg			*j;	/* in file order */
	size_t			 nj, nitems, ndup;
	vrule			 rules[8];
	size_t			 nrules;
	char			 notes[VR_NOTES][320];
	size_t			 nnotes;
	/* grade distribution: distinct grades, annotators x grades */
	int32_t			*grades;
	size_t			 ngrades;
	size_t			*gcount;
	size_t			 nneg;		/* negative grades */
	int			 has_lq;
	pf_labelq		 lq;
	size_t			 nqueries, nnorel;
	struct pf_fcheck	*fcheck;	/* the feature schema's check,
						   or NULL: no schema */
};

void	vnote(pf_validation *v, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
/* Runs the rules and fills the summary; -1 on OOM. */
int	pf_vrules_run(pf_validation *v);

#endif /* PF_HARNESS_CHECK_VALIDATE_RULES_H */
