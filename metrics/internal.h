/*
 * metrics/internal.h — internals shared by metrics/ sources; never included
 * from another folder (STYLE.md C1).
 */
#ifndef PF_METRICS_INTERNAL_H
#define PF_METRICS_INTERNAL_H

#include <stddef.h>

#include "metrics/treceval.h"

/* trec_eval's measure table order, which is also the output order. */
enum te_measure {
	TE_RUNID, TE_NUM_Q, TE_NUM_RET, TE_NUM_REL, TE_NUM_REL_RET, TE_MAP,
	TE_GM_MAP, TE_RPREC, TE_BPREF, TE_RECIP_RANK, TE_IPREC, TE_P,
	TE_RELSTRING, TE_RECALL, TE_INFAP, TE_NDCG, TE_NDCG_CUT, TE_MAP_CUT,
	TE_SUCCESS, TE_NDCG_EXP, TE_NDCG_EXP_CUT, TE_ERR, TE_JUDGED,
	/* Only by their ir_measures names (treceval_names.c), printed so. */
	TE_RR_CUT, TE_ERR_GD, TE_JUDGED_ANY, TE_NMEAS
};

enum te_flag {
	TE_F_COUNT = 1,		/* summed in `all`, printed with %ld */
	TE_F_ALL = 2,		/* only in the `all` block */
	TE_F_TOPIC = 4,		/* only in per-topic blocks */
	TE_F_NOVAL = 8,		/* no value slot (runid, num_q, relstring) */
	TE_F_AT = 16		/* ir_measures' only: no -m form, printed
				   "RR@10" */
};

enum te_kind {
	TE_K_NONE,	/* no parameters */
	TE_K_LONGS,	/* cutoffs: "5,10" */
	TE_K_FLOATS,	/* recall levels: ".1,.5" */
	TE_K_GAINS,	/* level=gain pairs: "1=3,2=9" */
	TE_K_LONG1	/* one cutoff, no value slot (relstring) */
};

#define TE_MAXP		64	/* parameters per measure */
#define TE_NLOG		4096	/* tabulated log2(rank + 1) */
#define TE_MAXNAMES	128	/* values named in another spelling */
#define TE_NAMELEN	64	/* the longest such spelling, + 1 */

/* How a single value was spelled (te_resolve). */
enum te_form {
	TE_FORM_TREC,		/* `-m` form: "map", "ndcg_cut.10" */
	TE_FORM_PRINTED,	/* printed form: "ndcg_cut_10" */
	TE_FORM_ALIAS		/* ir_measures "nDCG@10", ranx "ndcg@10" */
};

/* One value: measure m with parameter param (0 for measures without). */
typedef struct te_ref {
	int		m;
	double		param;
	enum te_form	form;
} te_ref;

/*
 * A value the user named in a spelling of their own (every form but the
 * `-m` one): the name it is printed under, and when it was asked (the
 * first spelling asked names the value).
 */
typedef struct te_name {
	int	m;
	double	param;
	int	seq;
	int	print;		/* a line in trec_eval's format (not the
				   primary's rename alone) */
	char	name[TE_NAMELEN];
} te_name;

struct pf_te_spec {
	unsigned char	on[TE_NMEAS];
	unsigned char	given[TE_NMEAS];	/* parameters given explicitly */
	char		raw[TE_NMEAS][128];	/* parameter text as given */
	double		p[TE_NMEAS][TE_MAXP];	/* sorted ascending */
	int		np[TE_NMEAS];
	int		glevel[TE_MAXP];	/* ndcg gains: level -> gain */
	double		gain[TE_MAXP];
	int		ngain;
	int		trec_seq[TE_NMEAS];	/* when -m spelled it last */
	unsigned char	tslot[TE_NMEAS][TE_MAXP];	/* slot asked in -m
						   spelling (after finish) */
	te_name		names[TE_MAXNAMES];
	int		nnames;
	int		seq;			/* spellings asked so far */
	size_t		off[TE_NMEAS];		/* first value slot */
	size_t		nvalues;
	int		finished;
	double		log2r[TE_NLOG];		/* log2(i + 2), 0-based rank i */
};

/* treceval.c: the measure table's facts the names need. */
const char	*te_measure_name(int m);
int		 te_measure_kind(int m);
int		 te_measure_flags(int m);
/* Whether m has a `-m` spelling (every measure but the ir_measures-only). */
int		 te_measure_trec(int m);

/* treceval_values.c */
/* Value slots of measure m (0 when off or without values). */
int	te_nslots(const pf_te_spec *s, int m);
/* trec_eval's printed name of slot j of m ("P_10"; "RR@10"). */
size_t	te_slot_name(const pf_te_spec *s, int m, int j, char *buf,
	    size_t sz);
/* The name slot j of m goes by: the first spelling asked for it. */
size_t	te_display_name(const pf_te_spec *s, int m, int j, char *buf,
	    size_t sz);
/* The parameter of slot j of m (0 for measures without). */
double	te_slot_param(const pf_te_spec *s, int m, int j);
/* Whether s->names[k] names slot j of m. */
int	te_names_slot(const pf_te_spec *s, int k, int m, int j);
/* A spelling other than the -m form: one value, printed as spelled. */
int	te_add_named(pf_te_spec *s, const char *arg, pf_err *err);
/* At finish: m's slots, its -m parameters and the named ones merged. */
int	te_merge_names(pf_te_spec *s, int m, pf_err *err);

/* treceval_names.c */
/*
 * What the spelling `name` names, when it names one value: "ndcg_cut.10",
 * "ndcg_cut_10", "nDCG@10", "ndcg@10", "AP", "map". -1 with why (one
 * line) when it does not: an unknown name (*unknown set), a list
 * ("P.5,10"), a name that needs a cutoff, a parameter not supported.
 */
int	te_resolve(const char *name, te_ref *out, int *unknown, char *why,
	    size_t whysz);
/* " (did you mean X, Y?)" for an unknown name, or "" when nothing is near. */
void	te_suggest(const char *name, char *buf, size_t bufsz);

#endif /* PF_METRICS_INTERNAL_H */
