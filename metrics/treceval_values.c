/*
 * metrics/treceval_values.c — the values of a measure spec and their
 * names: the slots each measure gets (its -m parameters and those other
 * spellings add, treceval.c's finish merges them here), the name each
 * value goes by (the first spelling asked), and finding a value by any of
 * its spellings (pf_te_value_index), so a gate, a lift or an importance
 * may name "nDCG@10" for what the metrics list calls "ndcg_cut.10".
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "metrics/internal.h"

int
te_nslots(const pf_te_spec *s, int m)
{
	if (!s->on[m] || (te_measure_flags(m) & TE_F_NOVAL))
		return 0;
	return (te_measure_kind(m) == TE_K_LONGS || te_measure_kind(m) == TE_K_FLOATS) ?
	    s->np[m] : 1;
}

/* The printed name of slot j of measure m. */
size_t
te_slot_name(const pf_te_spec *s, int m, int j, char *buf, size_t sz)
{
	int n;

	switch (te_measure_kind(m)) {
	case TE_K_LONGS:
		n = snprintf(buf, sz, (te_measure_flags(m) & TE_F_AT) ? "%s@%ld" :
		    "%s_%ld", te_measure_name(m), (long)s->p[m][j]);
		break;
	case TE_K_FLOATS:
		n = snprintf(buf, sz, "%s_%3.2f", te_measure_name(m), s->p[m][j]);
		break;
	case TE_K_GAINS:
		n = s->given[m] ? snprintf(buf, sz, "%s_%s", te_measure_name(m),
		    s->raw[m]) : snprintf(buf, sz, "%s", te_measure_name(m));
		break;
	case TE_K_LONG1:
		n = s->given[m] ? snprintf(buf, sz, "%s_%ld", te_measure_name(m),
		    (long)s->p[m][0]) : snprintf(buf, sz, "%s", te_measure_name(m));
		break;
	default:
		n = snprintf(buf, sz, "%s", te_measure_name(m));
	}
	return n < 0 ? 0 : (size_t)n;
}

/* The parameter of slot j of measure m (0 for measures without). */
double
te_slot_param(const pf_te_spec *s, int m, int j)
{
	return (te_measure_kind(m) == TE_K_LONGS || te_measure_kind(m) == TE_K_FLOATS) ?
	    s->p[m][j] : 0.0;
}

/* Whether names[k] names slot j of measure m. */
int
te_names_slot(const pf_te_spec *s, int k, int m, int j)
{
	return s->names[k].m == m && s->names[k].param == te_slot_param(s, m, j);
}

/* The name slot j of m goes by: the first spelling asked for it. */
size_t
te_display_name(const pf_te_spec *s, int m, int j, char *buf, size_t sz)
{
	int best = s->tslot[m][j] ? s->trec_seq[m] : INT_MAX, k = -1;

	for (int i = 0; i < s->nnames; i++)
		if (te_names_slot(s, i, m, j) && s->names[i].seq < best) {
			best = s->names[i].seq;
			k = i;
		}
	if (k < 0)
		return te_slot_name(s, m, j, buf, sz);
	int n = snprintf(buf, sz, "%s", s->names[k].name);
	return n < 0 ? 0 : (size_t)n;
}

/* Adds value r under the spelling name (seq: when it was asked). */
static int
name_add(pf_te_spec *s, const te_ref *r, const char *name, int seq,
    pf_err *err)
{
	te_name *n;

	for (int i = 0; i < s->nnames; i++)
		if (s->names[i].m == r->m && s->names[i].param == r->param &&
		    strcmp(s->names[i].name, name) == 0)
			return PF_OK;
	if (s->nnames == TE_MAXNAMES)
		return pf_err_set(err, PF_EINVAL, NULL, 0, "more than %d "
		    "metrics named in other spellings (at '%s')", TE_MAXNAMES,
		    name);
	n = &s->names[s->nnames++];
	*n = (te_name){r->m, r->param, seq, seq > 0, ""};
	snprintf(n->name, sizeof(n->name), "%s", name);
	return PF_OK;
}

/* A spelling other than the -m form: one value, printed as spelled. */
int
te_add_named(pf_te_spec *s, const char *arg, pf_err *err)
{
	char why[256], sug[256] = "";
	int unknown;
	te_ref r;

	if (strlen(arg) >= TE_NAMELEN)
		return pf_err_set(err, PF_EINVAL, NULL, 0, "measure name "
		    "'%.40s...' is longer than %d bytes", arg, TE_NAMELEN - 1);
	if (te_resolve(arg, &r, &unknown, why, sizeof(why)) != 0) {
		if (unknown)
			te_suggest(arg, sug, sizeof(sug));
		return pf_err_set(err, PF_EINVAL, NULL, 0, "%s%s", why,
		    unknown && sug[0] == '\0' ? " (expected a trec_eval, "
		    "ir_measures or ranx name such as ndcg_cut.10, nDCG@10, "
		    "ndcg@10; README \"Measure names\" lists them)" : sug);
	}
	return name_add(s, &r, arg, ++s->seq, err);
}

typedef struct pslot {
	double		v;
	unsigned char	trec;
} pslot;

static int
cmp_pslot(const void *a, const void *b)
{
	double x = ((const pslot *)a)->v, y = ((const pslot *)b)->v;

	return (x > y) - (x < y);
}

/*
 * Measure m's values: its -m parameters (tslot set) and those the other
 * spellings add, sorted, repeats merged.
 */
int
te_merge_names(pf_te_spec *s, int m, pf_err *err)
{
	pslot v[2 * TE_MAXP + TE_MAXNAMES];
	int kind = te_measure_kind(m), n = 0, named = 0, k = 0;

	for (int i = 0; i < s->nnames; i++)
		named |= s->names[i].m == m;
	if (kind != TE_K_LONGS && kind != TE_K_FLOATS) {
		s->tslot[m][0] = s->on[m];
		if (m == TE_NDCG && named && s->ngain > 0)
			return pf_err_set(err, PF_EINVAL, NULL, 0, "ndcg with "
			    "custom gains (-m ndcg.L=G) and a linear-gain nDCG "
			    "cannot be measured together");
		s->on[m] |= (unsigned char)named;
		return PF_OK;
	}
	for (int j = 0; s->on[m] && j < s->np[m]; j++)
		v[n++] = (pslot){s->p[m][j], 1};
	for (int i = 0; i < s->nnames; i++)
		if (s->names[i].m == m)
			v[n++] = (pslot){s->names[i].param, 0};
	qsort(v, (size_t)n, sizeof(*v), cmp_pslot);
	for (int i = 0; i < n; i++) {
		if (k > 0 && v[i].v == v[k - 1].v) {
			v[k - 1].trec |= v[i].trec;
			continue;
		}
		v[k++] = v[i];
	}
	if (k > TE_MAXP)
		return pf_err_set(err, PF_EINVAL, NULL, 0, "more than %d "
		    "values of measure '%s'", TE_MAXP, te_measure_name(m));
	for (int j = 0; j < k; j++) {
		s->p[m][j] = v[j].v;
		s->tslot[m][j] = v[j].trec;
	}
	s->np[m] = k;
	s->on[m] |= (unsigned char)named;
	return PF_OK;
}

/* The measure and slot of value i: 0, or -1 when there is none. */
static int
value_slot(const pf_te_spec *s, size_t i, int *m_out, int *j_out)
{
	for (int m = 0; m < TE_NMEAS; m++) {
		int k = te_nslots(s, m);
		if (i >= s->off[m] && i < s->off[m] + (size_t)k) {
			*m_out = m;
			*j_out = (int)(i - s->off[m]);
			return 0;
		}
	}
	return -1;
}

/* Value i's name (trec: trec_eval's), "" when there is no value i. */
static size_t
value_name(const pf_te_spec *s, size_t i, int trec, char *buf, size_t sz)
{
	int m, j;

	if (value_slot(s, i, &m, &j) == 0)
		return trec ? te_slot_name(s, m, j, buf, sz) :
		    te_display_name(s, m, j, buf, sz);
	if (sz > 0)
		buf[0] = '\0';
	return 0;
}

size_t
pf_te_value_name(const pf_te_spec *s, size_t i, char *buf, size_t bufsz)
{
	return value_name(s, i, 0, buf, bufsz);
}

size_t
pf_te_value_trec_name(const pf_te_spec *s, size_t i, char *buf, size_t bufsz)
{
	return value_name(s, i, 1, buf, bufsz);
}

/* The value printed as want (trec: under trec_eval's name), or -1. */
static long
index_of(const pf_te_spec *s, const char *want, int trec)
{
	char got[160];

	for (size_t i = 0; i < s->nvalues; i++) {
		value_name(s, i, trec, got, sizeof(got));
		if (strcmp(got, want) == 0)
			return (long)i;
	}
	return -1;
}

/* The value of r, or -1 when the spec does not measure it. */
static long
index_of_ref(const pf_te_spec *s, const te_ref *r)
{
	for (int j = 0; s->on[r->m] && j < te_nslots(s, r->m); j++)
		if (te_slot_param(s, r->m, j) == r->param)
			return (long)(s->off[r->m] + (size_t)j);
	return -1;
}

long
pf_te_value_index(const pf_te_spec *s, const char *name)
{
	char why[8];
	int unknown;
	te_ref r;
	long i;

	if ((i = index_of(s, name, 0)) >= 0 || (i = index_of(s, name, 1)) >=
	    0)
		return i;
	if (te_resolve(name, &r, &unknown, why, sizeof(why)) != 0)
		return -1;
	return index_of_ref(s, &r);
}

long
pf_te_spec_prefer(pf_te_spec *s, const char *name)
{
	char why[8], trec[160];
	long i = pf_te_value_index(s, name);
	int unknown, m, j;
	te_ref r;

	if (i < 0 || value_slot(s, (size_t)i, &m, &j) != 0)
		return i;
	r = (te_ref){m, te_slot_param(s, m, j), TE_FORM_ALIAS};
	/* trec_eval's forms of one value print as trec_eval prints it */
	if (te_resolve(name, &r, &unknown, why, sizeof(why)) != 0 ||
	    r.form != TE_FORM_ALIAS) {
		te_slot_name(s, m, j, trec, sizeof(trec));
		name = trec;
	}
	r.m = m;
	r.param = te_slot_param(s, m, j);
	(void)name_add(s, &r, name, 0, NULL);
	for (int k = 0; k < s->nnames; k++)	/* seq 0: before every other */
		if (te_names_slot(s, k, m, j) && strcmp(s->names[k].name,
		    name) == 0)
			s->names[k].seq = 0;
	return i;
}

int
pf_te_same_value(const char *a, const char *b)
{
	te_ref ra, rb;
	char why[8];
	int unknown;

	if (strcmp(a, b) == 0)
		return 1;
	return te_resolve(a, &ra, &unknown, why, sizeof(why)) == 0 &&
	    te_resolve(b, &rb, &unknown, why, sizeof(why)) == 0 &&
	    ra.m == rb.m && ra.param == rb.param;
}

int
pf_te_value_is_count(const pf_te_spec *s, size_t i)
{
	for (int m = 0; m < TE_NMEAS; m++)
		if (i >= s->off[m] && i < s->off[m] + (size_t)te_nslots(s, m))
			return (te_measure_flags(m) & TE_F_COUNT) != 0;
	return 0;
}
