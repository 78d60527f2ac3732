/*
 * metrics/treceval_names.c — every spelling of a value (README "Measure
 * names"): trec_eval's `-m` form ("ndcg_cut.10") and printed form
 * ("ndcg_cut_10"), ir_measures' ("nDCG@10", "AP", "RR@10",
 * "nDCG(dcg='exp-log2')@10") and ranx's ("ndcg@10", "map@100", "mrr").
 * te_resolve turns one spelling into (measure, parameter); te_suggest
 * finds the valid spellings nearest an unknown one ("did you mean").
 *
 * The mapping follows each tool's own definition: ir_measures' default
 * provider for nDCG, P, R, AP, RR, Success, Bpref, infAP, Rprec, NumRet,
 * NumRel and IPrec is pytrec_eval, i.e. trec_eval (nDCG with the grade as
 * gain); RR@k is its msmarco provider, ERR@k its gdeval provider (2^4 as
 * the normaliser) and Judged@k its judged provider, none of which
 * trec_eval has: they are the measures TE_RR_CUT, TE_ERR_GD and
 * TE_JUDGED_ANY. ranx's ndcg is linear (trec_eval's), ndcg_burges 2^g - 1.
 * Pure and reentrant; names are matched exactly (case matters, as in
 * ir_measures), and a near miss gets a suggestion instead.
 */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "metrics/internal.h"

enum { IRM, RANX };

/* A name of another tool: its measure without a cutoff and with one. */
static const struct alias_def {
	const char	*name;
	int		 family;
	int		 plain;		/* measure without @k; -1: needs one */
	int		 cut;		/* measure with @k; -1: takes none */
} aliases[] = {
	{"nDCG", IRM, TE_NDCG, TE_NDCG_CUT},
	{"P", IRM, -1, TE_P},
	{"R", IRM, -1, TE_RECALL},
	{"AP", IRM, TE_MAP, TE_MAP_CUT},
	{"RR", IRM, TE_RECIP_RANK, TE_RR_CUT},
	{"ERR", IRM, -1, TE_ERR_GD},
	{"Judged", IRM, -1, TE_JUDGED_ANY},
	{"Success", IRM, -1, TE_SUCCESS},
	{"Bpref", IRM, TE_BPREF, -1},
	{"infAP", IRM, TE_INFAP, -1},
	{"Rprec", IRM, TE_RPREC, -1},
	{"NumRet", IRM, TE_NUM_RET, -1},
	{"NumRel", IRM, TE_NUM_REL, -1},
	{"IPrec", IRM, -1, TE_IPREC},
	{"ndcg", RANX, TE_NDCG, TE_NDCG_CUT},
	{"ndcg_burges", RANX, TE_NDCG_EXP, TE_NDCG_EXP_CUT},
	{"precision", RANX, -1, TE_P},
	{"recall", RANX, -1, TE_RECALL},
	{"map", RANX, TE_MAP, TE_MAP_CUT},
	{"mrr", RANX, TE_RECIP_RANK, TE_RR_CUT},
	{"hit_rate", RANX, -1, TE_SUCCESS},
	{"r-precision", RANX, TE_RPREC, -1},
};
#define NALIAS	(sizeof(aliases) / sizeof(*aliases))

/* Measures those tools have and preflight does not. */
static const char *const other_unimpl[] = {"SetP", "SetR", "SetF",
    "SetAP", "RBP", "NERR8", "NERR9", "NERR10", "NERR11", "INST", "INSQ",
    "SDCG", "BPM", "alpha_nDCG", "ERR_IA", "nERR_IA", "NRBP", "nNRBP",
    "StRecall", "AP_IA", "P_IA", "Compat", "Accuracy", "NumQ", "hits", "f1",
    "dcg", "dcg_burges", "rbp"};

static int	whyf(char *why, size_t sz, const char *fmt, ...)
		    __attribute__((format(printf, 3, 4)));

/* Formats the reason into why; returns -1, so error sites are one line. */
static int
whyf(char *why, size_t sz, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	if (sz > 0)
		vsnprintf(why, sz, fmt, ap);
	va_end(ap);
	return -1;
}

/* The trec measure named s[0..len), or -1 (ir_measures-only ones too). */
static int
trec_measure(const char *s, size_t len)
{
	for (int m = 0; m < TE_NMEAS; m++) {
		const char *n = te_measure_name(m);
		if (te_measure_trec(m) && strlen(n) == len &&
		    memcmp(n, s, len) == 0)
			return m;
	}
	return -1;
}

/*
 * One parameter of measure m's kind from s: a cutoff (a positive integer;
 * "23.4" is 23 in the `-m` form, as trec_eval's atol reads it, when
 * atol_ok) or a recall level in [0, 1]. 0 or -1.
 */
static int
one_param(int m, const char *s, int atol_ok, double *out)
{
	char *end;

	if (*s == '\0' || isspace((unsigned char)*s))
		return -1;
	errno = 0;
	if (te_measure_kind(m) == TE_K_FLOATS) {
		double v = strtod(s, &end);
		if (end == s || *end != '\0' || !isfinite(v) || v < 0 || v > 1)
			return -1;
		*out = v;
		return 0;
	}
	if (*s < '0' || *s > '9')
		return -1;
	long c = strtol(s, &end, 10);
	if (end == s || c <= 0 || errno != 0 || c > 1000000000L)
		return -1;
	if (atol_ok && *end == '.')
		while (*++end >= '0' && *end <= '9')
			;
	if (*end != '\0')
		return -1;
	*out = (double)c;
	return 0;
}

/* "ndcg_cut.10", "map", "ndcg": trec_eval's -m form of one value. */
static int
resolve_trec(const char *name, int m, const char *dot, te_ref *out,
    char *why, size_t sz)
{
	int kind = te_measure_kind(m);

	*out = (te_ref){m, 0.0, TE_FORM_TREC};
	if (m == TE_RUNID || m == TE_NUM_Q || m == TE_RELSTRING)
		return whyf(why, sz, "'%s' is not a value a metric can name",
		    name);
	if (dot == NULL || kind == TE_K_GAINS) {
		if (kind == TE_K_LONGS || kind == TE_K_FLOATS)
			return whyf(why, sz, "'%s' names several values "
			    "(give one, e.g. %s.10)", name, name);
		return dot != NULL && kind == TE_K_NONE ? whyf(why, sz,
		    "measure '%s' takes no parameters", te_measure_name(m)) :
		    0;
	}
	if (kind == TE_K_NONE)
		return whyf(why, sz, "measure '%s' takes no parameters",
		    te_measure_name(m));
	if (one_param(m, dot + 1, 1, &out->param) != 0)
		return whyf(why, sz, "'%s': expected one %s after the dot",
		    name, kind == TE_K_FLOATS ? "recall level in [0,1]" :
		    "positive integer cutoff");
	return 0;
}

/* "ndcg_cut_10", "iprec_at_recall_0.10": the printed form, or -1. */
static int
resolve_printed(const char *name, te_ref *out)
{
	const char *us = strrchr(name, '_');
	int m;

	if (us == NULL || (m = trec_measure(name, (size_t)(us - name))) < 0 ||
	    (te_measure_kind(m) != TE_K_LONGS &&
	    te_measure_kind(m) != TE_K_FLOATS))
		return -1;
	*out = (te_ref){m, 0.0, TE_FORM_PRINTED};
	return one_param(m, us + 1, 0, &out->param);
}

/* An unquoted, space-trimmed copy of [b, e) into buf. */
static void
trimmed(const char *b, const char *e, char *buf, size_t sz)
{
	while (b < e && isspace((unsigned char)*b))
		b++;
	while (e > b && isspace((unsigned char)e[-1]))
		e--;
	if (e - b >= 2 && (*b == '\'' || *b == '"') && e[-1] == *b) {
		b++;
		e--;
	}
	snprintf(buf, sz, "%.*s", (int)(e - b), b);
}

/*
 * ir_measures' parameters "(k=v, k=v)" of alias a into *m and the
 * cutoff: cutoff=K, dcg='log2'|'exp-log2' (nDCG), judged_only=False.
 * rel=, gains=, judged_only=True are refused with the way around them.
 */
static int
alias_params(const struct alias_def *a, const char *name, const char *b,
    const char *e, int *exp_gain, char *cutoff, size_t csz, char *why,
    size_t sz)
{
	while (b < e) {
		const char *c = memchr(b, ',', (size_t)(e - b)), *eq;
		char k[32], v[32];
		if (c == NULL)
			c = e;
		if ((eq = memchr(b, '=', (size_t)(c - b))) == NULL)
			return whyf(why, sz, "'%s': expected key=value "
			    "parameters in the parentheses", name);
		trimmed(b, eq, k, sizeof(k));
		trimmed(eq + 1, c, v, sizeof(v));
		if (strcmp(k, "cutoff") == 0) {
			snprintf(cutoff, csz, "%s", v);
		} else if (strcmp(k, "rel") == 0) {
			return whyf(why, sz, "'%s': a relevance level per "
			    "measure (rel=%s) is not supported: the level is "
			    "one for every measure (preflight eval -l %s)",
			    name, v, v);
		} else if (strcmp(k, "dcg") == 0 && a->plain == TE_NDCG &&
		    (strcmp(v, "log2") == 0 || strcmp(v, "exp-log2") == 0)) {
			*exp_gain = v[0] == 'e';
		} else if (strcmp(k, "judged_only") == 0 && (strcmp(v,
		    "False") == 0 || strcmp(v, "false") == 0)) {
			/* the default */
		} else if (strcmp(k, "judged_only") == 0) {
			return whyf(why, sz, "'%s': judged_only=%s is not "
			    "supported per measure (preflight eval -J)", name,
			    v);
		} else {
			return whyf(why, sz, "'%s': parameter '%s' is not "
			    "supported (cutoff=, dcg= for nDCG, "
			    "judged_only=False)", name, k);
		}
		b = c + (c < e);
	}
	return 0;
}

/* The base name's definition of the family that has it. */
static const struct alias_def *
find_alias(const char *name, size_t len)
{
	for (size_t i = 0; i < NALIAS; i++)
		if (strlen(aliases[i].name) == len &&
		    memcmp(aliases[i].name, name, len) == 0)
			return &aliases[i];
	return NULL;
}

/* "nDCG@10", "AP", "P(rel=2)@10", "map@100", "mrr". */
static int
resolve_alias(const char *name, te_ref *out, int *unknown, char *why,
    size_t sz)
{
	size_t len = strcspn(name, "(@");
	const struct alias_def *a = find_alias(name, len);
	const char *p = name + len;
	char cutoff[32] = "";
	int exp_gain = 0;

	if (a == NULL) {
		for (size_t i = 0; i < sizeof(other_unimpl) /
		    sizeof(*other_unimpl); i++)
			if (strlen(other_unimpl[i]) == len &&
			    memcmp(other_unimpl[i], name, len) == 0)
				return whyf(why, sz, "measure '%.*s' is not "
				    "implemented in preflight (README \"Measure "
				    "names\")", (int)len, name);
		*unknown = 1;
		return whyf(why, sz, "unknown measure '%s'", name);
	}
	if (*p == '(') {
		const char *close = strchr(p, ')');
		if (a->family != IRM || close == NULL)
			return whyf(why, sz, "'%s': %s", name, close == NULL ?
			    "no closing parenthesis" : "ranx names take no "
			    "parameters in parentheses");
		if (alias_params(a, name, p + 1, close, &exp_gain, cutoff,
		    sizeof(cutoff), why, sz) != 0)
			return -1;
		p = close + 1;
	}
	if (*p == '@') {
		if (cutoff[0] != '\0')
			return whyf(why, sz, "'%s': two cutoffs", name);
		snprintf(cutoff, sizeof(cutoff), "%s", p + 1);
	} else if (*p != '\0') {
		return whyf(why, sz, "'%s': unexpected '%s' (expected "
		    "NAME@CUTOFF)", name, p);
	}
	int m = cutoff[0] != '\0' ? a->cut : a->plain;
	if (m < 0 && cutoff[0] != '\0')
		return whyf(why, sz, "'%.*s' takes no cutoff", (int)len, name);
	if (m < 0)
		return whyf(why, sz, "'%s' needs a cutoff (%s@%s)", name,
		    a->name, a->cut == TE_IPREC ? "0.5" : "10");
	if (exp_gain)
		m = m == TE_NDCG ? TE_NDCG_EXP : TE_NDCG_EXP_CUT;
	*out = (te_ref){m, 0.0, TE_FORM_ALIAS};
	if (cutoff[0] != '\0' && one_param(m, cutoff, 0, &out->param) != 0)
		return whyf(why, sz, "'%s': cutoff '%s' is not %s", name,
		    cutoff, m == TE_IPREC ? "a recall level in [0,1]" :
		    "a positive integer");
	return 0;
}

int
te_resolve(const char *name, te_ref *out, int *unknown, char *why,
    size_t whysz)
{
	const char *dot = strchr(name, '.');
	size_t len = strcspn(name, ".");
	int m;

	*unknown = 0;
	if (whysz > 0)
		why[0] = '\0';
	if (strpbrk(name, "(@") == NULL) {
		if ((m = trec_measure(name, len)) >= 0)
			return resolve_trec(name, m, dot, out, why, whysz);
		if (resolve_printed(name, out) == 0)
			return 0;
	}
	return resolve_alias(name, out, unknown, why, whysz);
}

/* Levenshtein distance of a and b (each cut at 63 bytes), folding case
   when fold is set. */
static int
distance(const char *a, const char *b, int fold)
{
	int d[64], la = (int)strnlen(a, 63), lb = (int)strnlen(b, 63);

	for (int j = 0; j <= lb; j++)
		d[j] = j;
	for (int i = 1; i <= la; i++) {
		int diag = d[0];
		d[0] = i;
		for (int j = 1; j <= lb; j++) {
			int x = fold ? tolower((unsigned char)a[i - 1]) :
			    a[i - 1];
			int y = fold ? tolower((unsigned char)b[j - 1]) :
			    b[j - 1];
			int best = diag + (x != y);
			if (d[j] + 1 < best)
				best = d[j] + 1;
			if (d[j - 1] + 1 < best)
				best = d[j - 1] + 1;
			diag = d[j];
			d[j] = best;
		}
	}
	return d[lb];
}

/* The number the user gave ("10" in "nDGC@10"), or dflt. */
static void
user_number(const char *name, const char *dflt, char *buf, size_t sz)
{
	const char *end = NULL, *b;

	for (const char *p = name; *p != '\0'; p++)
		if (*p >= '0' && *p <= '9')
			end = p + 1;
	if (end == NULL) {
		snprintf(buf, sz, "%s", dflt);
		return;
	}
	b = end;
	while (b > name && ((b[-1] >= '0' && b[-1] <= '9') || b[-1] == '.'))
		b--;
	while (*b == '.')
		b++;
	snprintf(buf, sz, "%.*s", (int)(end - b), b);
}

typedef struct cand {
	char	s[TE_NAMELEN];
	int	score;
} cand;

/* Scores candidate c against name and keeps the best three in best. */
static void
consider(cand *best, const char *name, const char *c)
{
	int ci = distance(name, c, 1), cs = distance(name, c, 0);
	int lim = (int)strlen(name) / 3 > 2 ? (int)strlen(name) / 3 : 2;
	int score = 2 * ci + (cs != ci);

	if (ci > lim)
		return;
	for (int i = 0; i < 3; i++)
		if (best[i].score >= 0 && strcmp(best[i].s, c) == 0)
			return;
	for (int i = 0; i < 3; i++) {
		if (best[i].score >= 0 && best[i].score <= score)
			continue;
		memmove(&best[i + 1], &best[i], (size_t)(2 - i) * sizeof(*best));
		snprintf(best[i].s, sizeof(best[i].s), "%s", c);
		best[i].score = score;
		return;
	}
}

void
te_suggest(const char *name, char *buf, size_t bufsz)
{
	cand best[3] = {{"", -1}, {"", -1}, {"", -1}};
	char n[24], f[24], c[TE_NAMELEN + 32];
	size_t len = 0;

	user_number(name, "10", n, sizeof(n));
	user_number(name, "0.5", f, sizeof(f));
	consider(best, name, "official");
	for (int m = 0; m < TE_NMEAS; m++) {
		const char *mn = te_measure_name(m);
		int k = te_measure_kind(m);
		const char *x = k == TE_K_FLOATS ? f : n;
		if (!te_measure_trec(m))
			continue;
		consider(best, name, mn);
		if (k != TE_K_LONGS && k != TE_K_FLOATS)
			continue;
		snprintf(c, sizeof(c), "%s.%s", mn, x);
		consider(best, name, c);
		snprintf(c, sizeof(c), "%s_%s", mn, x);
		consider(best, name, c);
	}
	for (size_t i = 0; i < NALIAS; i++) {
		if (aliases[i].plain >= 0)
			consider(best, name, aliases[i].name);
		if (aliases[i].cut < 0)
			continue;
		snprintf(c, sizeof(c), "%s@%s", aliases[i].name,
		    aliases[i].cut == TE_IPREC ? f : n);
		consider(best, name, c);
	}
	if (bufsz > 0)
		buf[0] = '\0';
	/* the best, and those at most one edit further */
	for (int i = 0; i < 3 && best[i].score >= 0 && len < bufsz; i++) {
		if (best[i].score > best[0].score + 2)
			break;
		int w = snprintf(buf + len, bufsz - len, "%s%s", i ? ", " :
		    " (did you mean ", best[i].s);
		len += w > 0 ? (size_t)w : 0;
	}
	if (len > 0 && len < bufsz)
		snprintf(buf + len, bufsz - len, "?)");
}
