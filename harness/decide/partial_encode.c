/*
 * harness/decide/partial_encode.c — a part written (partial.h
 * pf_part_encode): the JSON header, then the range's query lists and the
 * importance, attribution and oracle sections, in the host's byte order
 * (the order mark says which).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "harness/decide/partial_internal.h"
#include "harness/util/grow.h"

/* A growing byte buffer; bad set once out of memory. */
typedef struct obuf {
	char	*p;
	size_t	 n, cap;
	int	 bad;
} obuf;

static void
put(obuf *b, const void *v, size_t n)
{
	if (b->bad)
		return;
	if (b->n + n > b->cap) {
		size_t cap = b->cap ? b->cap : 4096;
		while (cap < b->n + n)
			cap *= 2;
		char *q = realloc(b->p, cap);
		if (q == NULL) {
			b->bad = 1;
			return;
		}
		b->p = q;
		b->cap = cap;
	}
	memcpy(b->p + b->n, v, n);
	b->n += n;
}

static void
put_u32(obuf *b, uint32_t v)
{
	put(b, &v, sizeof(v));
}

static void
put_str(obuf *b, const char *s)
{
	size_t n = strlen(s);

	put_u32(b, (uint32_t)n);
	put(b, s, n);
}

static json_t *
header(const pf_replay *r, size_t i, size_t n, const pf_rep_input *in,
    size_t nin)
{
	json_t *h = json_object(), *st = json_array(), *ins = json_array();

	for (size_t k = 0; k < r->m.nstacks; k++)
		json_array_append_new(st, json_string(r->m.stacks[k].id));
	for (size_t j = 0; j < nin; j++)
		json_array_append_new(ins, json_pack("{s:s, s:s, s:s, s:I}",
		    "role", in[j].role, "path", in[j].path, "sha256",
		    in[j].sha256, "bytes", (json_int_t)in[j].bytes));
	json_object_set_new(h, "format", json_string(PF_PART_FORMAT));
	json_object_set_new(h, "preflight", json_string(PF_VERSION));
	json_object_set_new(h, "scenario", json_string(r->scn->path));
	json_object_set_new(h, "scenario_sha256", json_string(nin ?
	    in[0].sha256 : ""));
	json_object_set_new(h, "shard", json_integer((json_int_t)i));
	json_object_set_new(h, "shards", json_integer((json_int_t)n));
	json_object_set_new(h, "queries", json_pack("[I, I]",
	    (json_int_t)r->q0, (json_int_t)r->q1));
	json_object_set_new(h, "nq", json_integer((json_int_t)r->m.nq));
	json_object_set_new(h, "stacks", st);
	json_object_set_new(h, "metrics", json_integer((json_int_t)r->m.nv));
	json_object_set_new(h, "inputs", ins);
	return h;
}

/* The importance values of the range: see partial.h. */
static void
put_imp(obuf *b, const pf_replay *r, const pf_imp_given *imp)
{
	size_t nq = r->m.nq, nf = r->scn->nfimp, w = r->q1 - r->q0;

	put_u32(b, (uint32_t)nf);
	for (size_t i = 0; i < nf; i++) {
		const pf_imp_part *p = imp && i < imp->n ? &imp->p[i] : NULL;
		uint64_t nt = p && nq && w ? p->npq / nq : 0;
		uint64_t ni = p && nt ? p->nitems : 0;
		put(b, &nt, sizeof(nt));
		for (size_t t = 0; t < nt; t++)
			put(b, p->pq + t * nq + r->q0, w * sizeof(double));
		if (nt > 0)
			put(b, p->bq + r->q0, w * sizeof(double));
		put(b, &ni, sizeof(ni));
		if (ni > 0)
			put(b, p->ql, ni);
	}
}

static void
put_u64(obuf *b, uint64_t v)
{
	put(b, &v, sizeof(v));
}

/* The stage attribution values of the range: see partial.h. */
static void
put_attrib(obuf *b, const pf_replay *r, const pf_attrib_given *ag)
{
	size_t np = ag ? ag->n : 0;

	put_u32(b, (uint32_t)np);
	for (size_t i = 0; i < np; i++) {
		const pf_attrib_share *sh = &ag->p[i];
		size_t xa = 0, xb;
		for (size_t q = 0; q < r->q0; q++)
			xa += r->m.judged[q];
		xb = xa;
		for (size_t q = r->q0; q < r->q1; q++)
			xb += r->m.judged[q];
		put_u64(b, sh->ncfg);
		put_u64(b, sh->nj);
		put_u64(b, xa);
		put_u64(b, xb);
		if (sh->val != NULL && xb <= sh->nj)
			put(b, sh->val + xa * sh->ncfg, (xb - xa) * sh->ncfg *
			    sizeof(double));
		for (size_t c = 0; c < sh->ncfg; c++) {
			put_u64(b, sh->fail_x[c]);
			if (sh->fail_x[c] == SIZE_MAX)
				continue;
			put(b, &sh->fail_err[c].code, sizeof(int32_t));
			put_str(b, sh->fail_err[c].where);
			put_str(b, sh->fail_err[c].msg);
		}
	}
}

/* The oracle split's values of the range's judged queries: see
   partial.h. */
static void
put_oracle(obuf *b, const pf_replay *r, const pf_attrib_given *ag)
{
	size_t xa = 0, xb;

	put_u32(b, ag != NULL && ag->oracle != NULL);
	if (ag == NULL || ag->oracle == NULL)
		return;
	for (size_t q = 0; q < r->q0; q++)
		xa += r->m.judged[q];
	xb = xa;
	for (size_t q = r->q0; q < r->q1; q++)
		xb += r->m.judged[q];
	put_u64(b, ag->onj);
	put_u64(b, ag->ons);
	put_u64(b, xa);
	put_u64(b, xb);
	if (xb <= ag->onj)
		put(b, ag->oracle + xa * ag->ons * 4, (xb - xa) * ag->ons * 4 *
		    sizeof(double));
}

int
pf_part_encode(const pf_replay *r, size_t i, size_t n,
    const pf_rep_input *in, size_t nin, const pf_imp_given *imp,
    const pf_attrib_given *ag, char **out, size_t *len, pf_err *err)
{
	const pf_golden *g = r->golden;
	json_t *h = header(r, i, n, in, nin);
	char *hs = h ? json_dumps(h, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
	obuf b = {0};

	json_decref(h);
	*out = NULL;
	if (hs == NULL)
		return pf_err_set(err, PF_ENOMEM, NULL, 0, "out of memory");
	put(&b, PF_PART_MAGIC, PF_PART_MAGIC_LEN);
	put_u32(&b, PF_PART_ORDER);
	put_str(&b, hs);
	free(hs);
	for (size_t q = r->q0; q < r->q1; q++) {
		put_str(&b, g->qid[q]);
		for (size_t k = 0; k < r->m.nstacks; k++) {
			const pf_stack_result *s = &r->m.stacks[k];
			uint64_t nd = s->n[q];
			put(&b, &nd, sizeof(nd));
			for (size_t d = 0; d < nd; d++)
				put_str(&b, pf_golden_docid(g, s->doc[q][d]));
			put(&b, s->score[q], nd * sizeof(double));
			put(&b, s->values + q * r->m.nv, r->m.nv *
			    sizeof(double));
		}
	}
	put_imp(&b, r, imp);
	put_attrib(&b, r, ag);
	put_oracle(&b, r, ag);
	if (b.bad) {
		free(b.p);
		return pf_err_set(err, PF_ENOMEM, NULL, 0, "out of memory");
	}
	*out = b.p;
	*len = b.n;
	return PF_OK;
}
