/*
 * metrics/treceval.c — the measure spec (`-m` parsing, value layout) and
 * trec_eval's output format. The measures themselves: treceval_calc.c;
 * the other tools' spellings: treceval_names.c.
 *
 * A value is a measure and one parameter (a cutoff, a recall level). The
 * `-m` form ("P.5,10") follows trec_eval: parameters given again replace
 * the earlier ones, and the values print under trec_eval's names ("P_5").
 * Every other spelling ("P@10", "P_10", "precision@10") adds its one
 * value to the measure's and is printed as asked; each value is named by
 * the first spelling asked for it. With only `-m` forms, nothing differs
 * from trec_eval, byte for byte.
 */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "metrics/internal.h"

static const struct te_def {
	const char	*name;
	int		 kind;
	int		 flags;
	const char	*defaults;
} defs[TE_NMEAS] = {
	[TE_RUNID] = {"runid", TE_K_NONE, TE_F_ALL | TE_F_NOVAL, NULL},
	[TE_NUM_Q] = {"num_q", TE_K_NONE, TE_F_ALL | TE_F_NOVAL, NULL},
	[TE_NUM_RET] = {"num_ret", TE_K_NONE, TE_F_COUNT, NULL},
	[TE_NUM_REL] = {"num_rel", TE_K_NONE, TE_F_COUNT, NULL},
	[TE_NUM_REL_RET] = {"num_rel_ret", TE_K_NONE, TE_F_COUNT, NULL},
	[TE_MAP] = {"map", TE_K_NONE, 0, NULL},
	[TE_GM_MAP] = {"gm_map", TE_K_NONE, TE_F_ALL, NULL},
	[TE_RPREC] = {"Rprec", TE_K_NONE, 0, NULL},
	[TE_BPREF] = {"bpref", TE_K_NONE, 0, NULL},
	[TE_RECIP_RANK] = {"recip_rank", TE_K_NONE, 0, NULL},
	[TE_IPREC] = {"iprec_at_recall", TE_K_FLOATS, 0,
	    "0,.1,.2,.3,.4,.5,.6,.7,.8,.9,1"},
	[TE_P] = {"P", TE_K_LONGS, 0, "5,10,15,20,30,100,200,500,1000"},
	[TE_RELSTRING] = {"relstring", TE_K_LONG1, TE_F_TOPIC | TE_F_NOVAL, "10"},
	[TE_RECALL] = {"recall", TE_K_LONGS, 0,
	    "5,10,15,20,30,100,200,500,1000"},
	[TE_INFAP] = {"infAP", TE_K_NONE, 0, NULL},
	[TE_NDCG] = {"ndcg", TE_K_GAINS, 0, ""},
	[TE_NDCG_CUT] = {"ndcg_cut", TE_K_LONGS, 0,
	    "5,10,15,20,30,100,200,500,1000"},
	[TE_MAP_CUT] = {"map_cut", TE_K_LONGS, 0,
	    "5,10,15,20,30,100,200,500,1000"},
	[TE_SUCCESS] = {"success", TE_K_LONGS, 0, "1,5,10"},
	[TE_NDCG_EXP] = {"ndcg_exp", TE_K_NONE, 0, NULL},
	[TE_NDCG_EXP_CUT] = {"ndcg_exp_cut", TE_K_LONGS, 0,
	    "5,10,15,20,30,100,200,500,1000"},
	[TE_ERR] = {"err", TE_K_LONGS, 0, "5,10,20"},
	[TE_JUDGED] = {"judged", TE_K_LONGS, 0, "5,10,20"},
	[TE_RR_CUT] = {"RR", TE_K_LONGS, TE_F_AT, NULL},
	[TE_ERR_GD] = {"ERR", TE_K_LONGS, TE_F_AT, NULL},
	[TE_JUDGED_ANY] = {"Judged", TE_K_LONGS, TE_F_AT, NULL},
};

static const int official[] = {
	TE_RUNID, TE_NUM_Q, TE_NUM_RET, TE_NUM_REL, TE_NUM_REL_RET, TE_MAP,
	TE_GM_MAP, TE_RPREC, TE_BPREF, TE_RECIP_RANK, TE_IPREC, TE_P
};

const char *
te_measure_name(int m)
{
	return defs[m].name;
}

int
te_measure_kind(int m)
{
	return defs[m].kind;
}

int
te_measure_flags(int m)
{
	return defs[m].flags;
}

int
te_measure_trec(int m)
{
	return !(defs[m].flags & TE_F_AT);
}

void
pf_te_opts_init(pf_te_opts *o)
{
	o->level = 1;
	o->max_ret = -1;
	o->judged_only = 0;
	o->max_grade = 1;
}

int
pf_te_spec_new(pf_te_spec **out)
{
	*out = calloc(1, sizeof(**out));
	return *out == NULL ? PF_ENOMEM : PF_OK;
}

void
pf_te_spec_free(pf_te_spec *s)
{
	free(s);
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/*
 * Parses a comma list of parameters for measure m. Cutoffs are read as
 * trec_eval's atol reads them ("23.4" is 23) but garbage is refused.
 */
static int
parse_params(pf_te_spec *s, int m, const char *text, const char *arg,
    pf_err *err)
{
	int kind = defs[m].kind, n = 0;
	const char *p = text;

	if (kind == TE_K_NONE)
		return pf_err_set(err, PF_EINVAL, NULL, 0,
		    "measure '%s' takes no parameters (in '-m %s')",
		    defs[m].name, arg);
	if (strlen(text) >= sizeof(s->raw[m]))
		return pf_err_set(err, PF_EINVAL, NULL, 0,
		    "parameters too long in '-m %s'", arg);
	if (kind == TE_K_GAINS)
		s->ngain = 0;
	while (*p != '\0') {
		char *end;
		double v;

		if (n == TE_MAXP)
			return pf_err_set(err, PF_EINVAL, NULL, 0,
			    "more than %d parameters in '-m %s'", TE_MAXP, arg);
		errno = 0;
		if (kind == TE_K_GAINS) {
			long lev = strtol(p, &end, 10);
			if (end == p || *end != '=')
				goto bad;
			p = end + 1;
			v = strtod(p, &end);
			if (end == p || !isfinite(v) || lev < -2 ||
			    lev > 1000000)
				goto bad;
			s->glevel[n] = (int)lev;
			s->gain[n] = v;
			s->ngain = n + 1;
		} else if (kind == TE_K_FLOATS) {
			v = strtod(p, &end);
			if (end == p || !isfinite(v) || v < 0 || v > 1)
				goto bad;
		} else {
			long c = strtol(p, &end, 10);
			if (end == p || c <= 0 || errno != 0)
				goto bad;
			if (*end == '.') {	/* atol: "23.4" is 23 */
				do
					end++;
				while (*end >= '0' && *end <= '9');
			}
			v = (double)c;
		}
		if (*end != ',' && *end != '\0')
			goto bad;
		s->p[m][n++] = v;
		p = *end == ',' ? end + 1 : end;
		if (*end == ',' && *p == '\0')
			goto bad;
	}
	if (n == 0 && kind != TE_K_GAINS)
		goto bad;
	if (kind == TE_K_LONG1 && n != 1)
		return pf_err_set(err, PF_EINVAL, NULL, 0,
		    "measure '%s' takes one cutoff (in '-m %s')",
		    defs[m].name, arg);
	if (kind != TE_K_GAINS) {
		qsort(s->p[m], (size_t)n, sizeof(double), cmp_double);
		int k = 0;	/* drop repeats */
		for (int i = 0; i < n; i++)
			if (k == 0 || s->p[m][i] != s->p[m][k - 1])
				s->p[m][k++] = s->p[m][i];
		n = k;
	}
	s->np[m] = n;
	snprintf(s->raw[m], sizeof(s->raw[m]), "%s", text);
	return PF_OK;
bad:
	return pf_err_set(err, PF_EINVAL, NULL, 0,
	    "bad parameter list '%s' for measure '%s' (expected %s)", text,
	    defs[m].name,
	    kind == TE_K_GAINS ? "level=gain,..." :
	    kind == TE_K_FLOATS ? "recall levels in [0,1], comma separated" :
	    "positive integer cutoffs, comma separated");
}

static int
find_measure(const char *name, size_t len)
{
	for (int m = 0; m < TE_NMEAS; m++)
		if (!(defs[m].flags & TE_F_AT) && strlen(defs[m].name) == len &&
		    memcmp(defs[m].name, name, len) == 0)
			return m;
	return -1;
}

/* Records that the -m spelling asked for measure m (the first time
   names its values). */
static void
trec_asked(pf_te_spec *s, int m)
{
	s->on[m] = 1;
	if (s->trec_seq[m] == 0)
		s->trec_seq[m] = ++s->seq;
}

int
pf_te_spec_add(pf_te_spec *s, const char *arg, pf_err *err)
{
	const char *dot = strchr(arg, '.');
	size_t len = dot ? (size_t)(dot - arg) : strlen(arg);

	if (len == 8 && memcmp(arg, "official", 8) == 0 && dot == NULL) {
		for (size_t i = 0; i < sizeof(official) / sizeof(*official);
		    i++)
			trec_asked(s, official[i]);
		return PF_OK;
	}
	static const char *const unimpl[] = {"all_trec", "all_prefs", "set",
	    "prefs", "qrels_jg", "rbp", "unj", "utility", "11pt_avg",
	    "Rprec_mult", "relative_P", "binG", "G", "ndcg_rel", "Rndcg",
	    "gm_bpref", "set_P", "set_recall", "set_map", "set_F",
	    "set_relative_P", "num_nonrel_judged_ret", "dcg", "ideal_dcg",
	    "yaap"};
	for (size_t i = 0; i < sizeof(unimpl) / sizeof(*unimpl); i++)
		if (strlen(unimpl[i]) == len && memcmp(unimpl[i], arg, len) == 0)
			return pf_err_set(err, PF_EINVAL, NULL, 0,
			    "trec_eval measure '%s' is not implemented in "
			    "preflight (see README, differences from trec_eval)",
			    unimpl[i]);
	int m = find_measure(arg, len);
	if (m < 0 || strpbrk(arg, "(@") != NULL)
		return te_add_named(s, arg, err);
	if (dot != NULL) {
		int rc = parse_params(s, m, dot + 1, arg, err);
		if (rc != PF_OK)
			return rc;
		s->given[m] = 1;
	}
	trec_asked(s, m);
	return PF_OK;
}

int
pf_te_spec_finish(pf_te_spec *s, pf_err *err)
{
	int any = s->nnames > 0, rc;

	for (int m = 0; m < TE_NMEAS; m++)
		any |= s->on[m];
	if (!any && pf_te_spec_add(s, "official", err) != PF_OK)
		return err ? err->code : PF_EINVAL;
	s->nvalues = 0;
	for (int m = 0; m < TE_NMEAS; m++) {
		if (s->on[m] && !s->given[m] && defs[m].defaults != NULL &&
		    defs[m].kind != TE_K_GAINS) {
			rc = parse_params(s, m, defs[m].defaults,
			    defs[m].name, err);
			if (rc != PF_OK)
				return rc;
		}
		if (!(defs[m].flags & TE_F_NOVAL) &&
		    (rc = te_merge_names(s, m, err)) != PF_OK)
			return rc;
		s->off[m] = s->nvalues;
		if (!s->on[m] || (defs[m].flags & TE_F_NOVAL))
			continue;
		s->nvalues += (defs[m].kind == TE_K_LONGS ||
		    defs[m].kind == TE_K_FLOATS) ? (size_t)s->np[m] : 1;
	}
	for (int i = 0; i < TE_NLOG; i++)
		s->log2r[i] = log2((double)i + 2.0);
	s->finished = 1;
	return PF_OK;
}

size_t
pf_te_spec_nvalues(const pf_te_spec *s)
{
	return s->nvalues;
}

void
pf_te_summarize(const pf_te_spec *s, const double *values, size_t ntopics,
    double *all_out)
{
	size_t nv = s->nvalues;

	for (size_t v = 0; v < nv; v++)
		all_out[v] = 0.0;
	for (size_t t = 0; t < ntopics; t++)
		for (size_t v = 0; v < nv; v++)
			all_out[v] += s->on[TE_GM_MAP] &&
			    v == s->off[TE_GM_MAP] ?
			    log(fmax(values[t * nv + v], 1e-5)) :
			    values[t * nv + v];
	for (int m = 0; m < TE_NMEAS; m++) {
		int k = te_nslots(s, m);
		for (int j = 0; j < k; j++) {
			double *a = &all_out[s->off[m] + (size_t)j];
			if (defs[m].flags & TE_F_COUNT)
				continue;
			if (ntopics == 0)
				*a = 0.0;
			else if (m == TE_GM_MAP)
				*a = exp(*a / (double)ntopics);
			else
				*a /= (double)ntopics;
		}
	}
}

/* Appends to buf like snprintf, tracking the total length needed. */
static void
put(char *buf, size_t bufsz, size_t *len, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void
put(char *buf, size_t bufsz, size_t *len, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(*len < bufsz ? buf + *len : NULL,
	    *len < bufsz ? bufsz - *len : 0, fmt, ap);
	va_end(ap);
	if (n > 0)
		*len += (size_t)n;
}

/* One value line in trec_eval's format: counts as integers. */
static void
value_line(char *buf, size_t bufsz, size_t *len, int count,
    const char *name, const char *qid, double v)
{
	if (count)
		put(buf, bufsz, len, "%-22s\t%s\t%ld\n", name, qid, (long)v);
	else
		put(buf, bufsz, len, "%-22s\t%s\t%6.4f\n", name, qid, v);
}

/* One line per name of slot j of m: trec_eval's when -m asked for it,
   then each other spelling asked, once. */
static void
format_slot(const pf_te_spec *s, int m, int j, const char *qid, double v,
    char *buf, size_t bufsz, size_t *len)
{
	int count = (defs[m].flags & TE_F_COUNT) != 0;
	char trec[160];

	te_slot_name(s, m, j, trec, sizeof(trec));
	if (s->tslot[m][j])
		value_line(buf, bufsz, len, count, trec, qid, v);
	for (int k = 0; k < s->nnames; k++) {
		int dup = s->tslot[m][j] && strcmp(s->names[k].name, trec) == 0;
		if (!s->names[k].print || !te_names_slot(s, k, m, j))
			continue;
		for (int i = 0; i < k && !dup; i++)
			dup = s->names[i].print && te_names_slot(s, i, m, j) &&
			    strcmp(s->names[i].name, s->names[k].name) == 0;
		if (!dup)
			value_line(buf, bufsz, len, count, s->names[k].name,
			    qid, v);
	}
}

static size_t
format_block(const pf_te_spec *s, const char *qid, int all,
    const char *runid, size_t num_q, const double *values, const char *str,
    char *buf, size_t bufsz)
{
	size_t len = 0;
	char name[160];

	if (bufsz > 0)
		buf[0] = '\0';
	for (int m = 0; m < TE_NMEAS; m++) {
		if (!s->on[m] || (defs[m].flags & (all ? TE_F_TOPIC : TE_F_ALL)))
			continue;
		if (m == TE_RUNID) {
			put(buf, bufsz, &len, "%-22s\t%s\t%s\n", "runid", qid,
			    runid);
			continue;
		}
		if (m == TE_NUM_Q) {
			put(buf, bufsz, &len, "%-22s\t%s\t%ld\n", "num_q", qid,
			    (long)num_q);
			continue;
		}
		if (m == TE_RELSTRING) {
			te_slot_name(s, m, 0, name, sizeof(name));
			put(buf, bufsz, &len, "%-22s\t%s\t'%s'\n", name, qid,
			    str);
			continue;
		}
		for (int j = 0; j < te_nslots(s, m); j++)
			format_slot(s, m, j, qid, values[s->off[m] +
			    (size_t)j], buf, bufsz, &len);
	}
	return len;
}

size_t
pf_te_format_topic(const pf_te_spec *s, const char *qid,
    const double *values, const char *str, char *buf, size_t bufsz)
{
	return format_block(s, qid, 0, NULL, 0, values, str, buf, bufsz);
}

size_t
pf_te_format_all(const pf_te_spec *s, const char *runid, size_t num_q,
    const double *all, char *buf, size_t bufsz)
{
	return format_block(s, "all", 1, runid, num_q, all, "", buf, bufsz);
}

