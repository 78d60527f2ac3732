/*
 * harness/decide/partial.c — see partial.h.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <jansson.h>

#include "harness/decide/partial.h"
#include "harness/util/fileio.h"
#include "harness/util/grow.h"

#define MAGIC		"PFPART\0\2"
#define MAGIC_LEN	8
#define ORDER		0x01020304u
#define FORMAT		"preflight.partial/2"

void
pf_part_range(size_t nq, size_t i, size_t n, size_t *q0, size_t *q1)
{
	size_t base = n ? nq / n : 0, rem = n ? nq % n : 0;

	*q0 = i * base + (i < rem ? i : rem);
	*q1 = *q0 + base + (i < rem);
}

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
	json_object_set_new(h, "format", json_string(FORMAT));
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
	put(&b, MAGIC, MAGIC_LEN);
	put_u32(&b, ORDER);
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

/* A reader over a part's bytes; every short read is one error. */
typedef struct ibuf {
	const char	*p;
	size_t		 n, at;
	const char	*where;
	pf_err		*err;
	int		 bad;
} ibuf;

static int
get(ibuf *b, void *v, size_t n)
{
	if (b->bad || n > b->n - b->at) {
		if (!b->bad)
			pf_err_set(b->err, PF_EFORMAT, b->where, 0, "the part "
			    "ends early at byte %zu (a truncated or corrupt "
			    "file)", b->at);
		b->bad = 1;
		if (v != NULL)
			memset(v, 0, n);
		return -1;
	}
	if (v != NULL)
		memcpy(v, b->p + b->at, n);
	b->at += n;
	return 0;
}

static uint32_t
get_u32(ibuf *b)
{
	uint32_t v = 0;

	get(b, &v, sizeof(v));
	return v;
}

static size_t
hdr_size(const json_t *h, const char *key, int *bad)
{
	json_t *v = json_object_get(h, key);

	if (!json_is_integer(v) || json_integer_value(v) < 0) {
		*bad = 1;
		return 0;
	}
	return (size_t)json_integer_value(v);
}

void
pf_part_clear(pf_part *p)
{
	free(p->where);
	free(p->buf);
	json_decref(p->hdr);
	memset(p, 0, sizeof(*p));
}

int
pf_part_parse(pf_part *p, char *buf, size_t len, const char *where,
    pf_err *err)
{
	ibuf b = {buf, len, 0, where, err, 0};
	char magic[MAGIC_LEN];
	json_error_t je;
	json_t *q;
	uint32_t hl;
	int bad = 0;

	memset(p, 0, sizeof(*p));
	p->buf = buf;
	p->len = len;
	if ((p->where = strdup(where)) == NULL)
		return pf_err_set(err, PF_ENOMEM, NULL, 0, "out of memory");
	if (get(&b, magic, MAGIC_LEN) != 0 || memcmp(magic, MAGIC,
	    MAGIC_LEN) != 0) {
		err->code = PF_OK;
		return pf_err_set(err, PF_EFORMAT, where, 0, "not a preflight "
		    "partial result (expected what `preflight run --shard "
		    "I/N` writes, starting \"PFPART\")");
	}
	if (get_u32(&b) != ORDER)
		return pf_err_set(err, PF_EFORMAT, where, 0, "written on a "
		    "machine of the other byte order: merge it where it was "
		    "written");
	hl = get_u32(&b);
	if (get(&b, NULL, hl) != 0)
		return PF_EFORMAT;
	p->hdr = json_loadb(buf + b.at - hl, hl, 0, &je);
	if (p->hdr == NULL || !json_is_object(p->hdr))
		return pf_err_set(err, PF_EFORMAT, where, 0, "its header is "
		    "not a JSON object (%s)", je.text);
	if (!json_is_string(json_object_get(p->hdr, "format")) ||
	    strcmp(json_string_value(json_object_get(p->hdr, "format")),
	    FORMAT) != 0)
		return pf_err_set(err, PF_EFORMAT, where, 0, "its format is "
		    "not " FORMAT);
	p->body = b.at;
	p->shard = hdr_size(p->hdr, "shard", &bad);
	p->nshards = hdr_size(p->hdr, "shards", &bad);
	q = json_object_get(p->hdr, "queries");
	if (!json_is_array(q) || json_array_size(q) != 2 ||
	    !json_is_integer(json_array_get(q, 0)) ||
	    !json_is_integer(json_array_get(q, 1)))
		bad = 1;
	else {
		p->q0 = (size_t)json_integer_value(json_array_get(q, 0));
		p->q1 = (size_t)json_integer_value(json_array_get(q, 1));
	}
	if (bad || p->nshards == 0 || p->shard >= p->nshards || p->q0 > p->q1)
		return pf_err_set(err, PF_EFORMAT, where, 0, "its header lacks "
		    "a valid shard, shards or queries member");
	return PF_OK;
}

int
pf_part_read(pf_part *p, const char *path, pf_err *err)
{
	struct stat st;
	char *file = NULL, *buf = NULL;
	size_t len = 0;
	int rc;

	memset(p, 0, sizeof(*p));
	if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
		if ((file = pf_path_join(path, "part.pfp")) == NULL)
			return pf_err_set(err, PF_ENOMEM, NULL, 0,
			    "out of memory");
		path = file;
	}
	if ((rc = pf_read_file(&buf, &len, path, err)) == PF_OK)
		rc = pf_part_parse(p, buf, len, path, err);
	free(file);
	return rc;
}

/* The shard name of p, "I/N", into s. */
static const char *
shard_name(const pf_part *p, char s[48])
{
	snprintf(s, 48, "%zu/%zu", p->shard, p->nshards);
	return s;
}

/* The first member where the headers of a and b differ, other than
   shard and queries; NULL when none. */
static const char *
differs(const json_t *a, const json_t *b)
{
	const char *key;
	json_t *v;

	json_object_foreach((json_t *)a, key, v)
		if (strcmp(key, "shard") != 0 && strcmp(key, "queries") != 0 &&
		    !json_equal(v, json_object_get(b, key)))
			return key;
	json_object_foreach((json_t *)b, key, v)
		if (json_object_get(a, key) == NULL)
			return key;
	return NULL;
}

static int
by_shard(const void *x, const void *y)
{
	const pf_part *a = x, *b = y;

	return (a->shard > b->shard) - (a->shard < b->shard);
}

int
pf_part_check_set(pf_part *p, size_t np, pf_err *err)
{
	char s1[48], s2[48];
	const char *key;
	size_t n, nq;
	int bad = 0;

	if (np == 0)
		return pf_err_set(err, PF_EINVAL, NULL, 0, "no part to merge");
	for (size_t i = 1; i < np; i++)
		if ((key = differs(p[0].hdr, p[i].hdr)) != NULL)
			return pf_err_set(err, PF_EFORMAT, p[i].where, 0, "not "
			    "a part of the same run as %s: their '%s' "
			    "differ (another scenario, other inputs, another "
			    "shard count or preflight version)", p[0].where,
			    key);
	qsort(p, np, sizeof(*p), by_shard);
	n = p[0].nshards;
	nq = hdr_size(p[0].hdr, "nq", &bad);
	for (size_t i = 1; i < np; i++)
		if (p[i].shard == p[i - 1].shard)
			return pf_err_set(err, PF_EFORMAT, p[i].where, 0, "shard "
			    "%s twice: here and in %s", shard_name(&p[i], s1),
			    p[i - 1].where);
	for (size_t i = 0, j = 0; i < n; i++, j++)
		if (j >= np || p[j].shard != i) {
			snprintf(s1, sizeof(s1), "%zu/%zu", i, n);
			return pf_err_set(err, PF_EFORMAT, NULL, 0, "shard %s is "
			    "missing: got %zu part%s of %zu (the first %s)",
			    s1, np, np == 1 ? "" : "s", n, p[0].where);
		}
	for (size_t i = 0; i < np; i++) {
		size_t q0, q1;
		pf_part_range(nq, p[i].shard, n, &q0, &q1);
		if (bad || q0 != p[i].q0 || q1 != p[i].q1)
			return pf_err_set(err, PF_EFORMAT, p[i].where, 0, "shard "
			    "%s holds queries %zu to %zu, not %zu to %zu",
			    shard_name(&p[i], s2), p[i].q0, p[i].q1, q0, q1);
	}
	return PF_OK;
}

static const char *
hstr(const json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));

	return s ? s : "";
}

int
pf_part_check_inputs(const pf_part *p, const pf_replay *r,
    const pf_rep_input *in, size_t nin, pf_err *err)
{
	json_t *h = p->hdr, *ins = json_object_get(h, "inputs"), *st;
	int bad = 0;

	if (strcmp(hstr(h, "preflight"), PF_VERSION) != 0)
		return pf_err_set(err, PF_EFORMAT, p->where, 0, "written by "
		    "preflight %s; this is %s", hstr(h, "preflight"),
		    PF_VERSION);
	if (!json_is_array(ins) || json_array_size(ins) != nin)
		return pf_err_set(err, PF_EFORMAT, p->where, 0, "it lists %zu "
		    "input files, the scenario %zu here: another scenario",
		    json_array_size(ins), nin);
	for (size_t i = 0; i < nin; i++) {
		json_t *e = json_array_get(ins, i);
		if (strcmp(hstr(e, "path"), in[i].path) != 0)
			return pf_err_set(err, PF_EFORMAT, p->where, 0, "input "
			    "%zu is '%s' there, '%s' here: another scenario",
			    i + 1, hstr(e, "path"), in[i].path);
		if (strcmp(hstr(e, "sha256"), in[i].sha256) != 0)
			return pf_err_set(err, PF_EFORMAT, p->where, 0, "the %s "
			    "file %s has sha256 %s there and %s here: the "
			    "part was replayed on other inputs", in[i].role,
			    in[i].path, hstr(e, "sha256"), in[i].sha256);
	}
	st = json_object_get(h, "stacks");
	if (hdr_size(h, "nq", &bad) != r->m.nq || bad ||
	    hdr_size(h, "metrics", &bad) != r->m.nv ||
	    json_array_size(st) != r->m.nstacks)
		return pf_err_set(err, PF_EFORMAT, p->where, 0, "its queries, "
		    "stacks or metrics are not the scenario's");
	for (size_t k = 0; k < r->m.nstacks; k++)
		if (strcmp(json_string_value(json_array_get(st, k)) ?
		    json_string_value(json_array_get(st, k)) : "",
		    r->m.stacks[k].id) != 0)
			return pf_err_set(err, PF_EFORMAT, p->where, 0, "its "
			    "stack %zu is not '%s'", k + 1, r->m.stacks[k].id);
	return PF_OK;
}

/* Reads one length-prefixed string into a NUL-terminated scratch. */
static const char *
get_str(ibuf *b, char **scratch, size_t *cap, size_t *len)
{
	uint32_t n = get_u32(b);

	if (b->bad || n > b->n - b->at) {
		get(b, NULL, (size_t)n);
		return NULL;
	}
	if ((size_t)n + 1 > *cap) {
		char *s = realloc(*scratch, (size_t)n + 1);
		if (s == NULL) {
			b->bad = 1;
			pf_err_set(b->err, PF_ENOMEM, NULL, 0, "out of memory");
			return NULL;
		}
		*scratch = s;
		*cap = (size_t)n + 1;
	}
	get(b, *scratch, n);
	(*scratch)[n] = '\0';
	*len = n;
	return *scratch;
}

/* Query q's list of stack k from b into r. */
static int
fill_list(pf_replay *r, ibuf *b, size_t q, size_t k, char **s,
    size_t *cap)
{
	pf_stack_result *res = &r->m.stacks[k];
	uint64_t nd = 0;
	size_t len;
	const char *id;

	if (get(b, &nd, sizeof(nd)) != 0 || nd > (b->n - b->at) / 4)
		return b->bad ? PF_EFORMAT : pf_err_set(b->err, PF_EFORMAT,
		    b->where, 0, "a list of %llu documents at byte %zu is "
		    "longer than the part", (unsigned long long)nd, b->at);
	res->n[q] = (size_t)nd;
	free(res->doc[q]);	/* MPI rank 0 replayed its own share */
	free(res->score[q]);
	res->doc[q] = NULL;
	res->score[q] = NULL;
	if ((res->doc[q] = malloc((nd ? nd : 1) * sizeof(uint32_t))) ==
	    NULL || (res->score[q] = malloc((nd ? nd : 1) *
	    sizeof(double))) == NULL)
		return pf_err_set(b->err, PF_ENOMEM, NULL, 0, "out of memory");
	for (size_t d = 0; d < nd; d++) {
		long doc;
		if ((id = get_str(b, s, cap, &len)) == NULL)
			return b->err->code ? b->err->code : PF_EFORMAT;
		/* a process that read a share of the candidate files
		   (cli/dist.h pf_dist_share) knows its own documents only:
		   the others' come with their parts (the inputs' sha256
		   matched, so they are the same files' documents) */
		if ((doc = pf_golden_find_doc(r->golden, id, len)) < 0 &&
		    (doc = pf_golden_doc(r->golden, id, len)) < 0)
			return pf_err_set(b->err, PF_ENOMEM, NULL, 0,
			    "out of memory");
		res->doc[q][d] = (uint32_t)doc;
	}
	get(b, res->score[q], (size_t)nd * sizeof(double));
	get(b, res->values + q * r->m.nv, r->m.nv * sizeof(double));
	return b->bad ? PF_EFORMAT : PF_OK;
}

void
pf_imp_given_clear(pf_imp_given *imp)
{
	for (size_t i = 0; i < imp->n; i++)
		pf_imp_part_clear(&imp->p[i]);
	free(imp->p);
	memset(imp, 0, sizeof(*imp));
}

/* One <features>' values of p's range into ip (see partial.h). */
static int
fill_imp_one(ibuf *b, const pf_part *p, size_t i, size_t nq,
    pf_imp_part *ip)
{
	uint64_t nt = 0, ni = 0;
	size_t w = p->q1 - p->q0;

	if (get(b, &nt, sizeof(nt)) != 0)
		return PF_EFORMAT;
	if (nt > 0 && (w == 0 || nt > (b->n - b->at) / sizeof(double) / w ||
	    (ip->pq != NULL && ip->npq != nt * nq)))
		return pf_err_set(b->err, PF_EFORMAT, p->where, 0,
		    "importance %zu: %llu tasks, not those of the other "
		    "parts or longer than the part", i + 1,
		    (unsigned long long)nt);
	if (nt > 0 && ip->pq == NULL) {
		if ((ip->pq = calloc(nt * nq + 1, sizeof(double))) == NULL ||
		    (ip->bq = calloc(nq + 1, sizeof(double))) == NULL)
			return pf_err_set(b->err, PF_ENOMEM, NULL, 0,
			    "out of memory");
		ip->npq = nt * nq;
	}
	for (size_t t = 0; t < nt; t++)
		get(b, ip->pq + t * nq + p->q0, w * sizeof(double));
	if (nt > 0)
		get(b, ip->bq + p->q0, w * sizeof(double));
	if (get(b, &ni, sizeof(ni)) != 0)
		return PF_EFORMAT;
	if (ni > b->n - b->at || (ip->ql != NULL && ni != ip->nitems))
		return pf_err_set(b->err, PF_EFORMAT, p->where, 0,
		    "importance %zu: %llu items, not those of the other parts",
		    i + 1, (unsigned long long)ni);
	if (ni == 0)
		return b->bad ? PF_EFORMAT : PF_OK;
	unsigned char *ql = malloc((size_t)ni);
	if (ql == NULL)
		return pf_err_set(b->err, PF_ENOMEM, NULL, 0, "out of memory");
	get(b, ql, (size_t)ni);
	/* every share took the flags from the same combined summary */
	if (ip->ql != NULL && memcmp(ip->ql, ql, (size_t)ni) != 0) {
		free(ql);
		return pf_err_set(b->err, PF_EFORMAT, p->where, 0,
		    "importance %zu: its query-level features differ from "
		    "another part's", i + 1);
	}
	if (ip->ql == NULL) {
		ip->ql = ql;
		ip->nitems = (size_t)ni;
	} else
		free(ql);
	return b->bad ? PF_EFORMAT : PF_OK;
}

/* The importance values of p's range into imp. */
static int
fill_imp(pf_replay *r, ibuf *b, const pf_part *p, pf_imp_given *imp)
{
	size_t nq = r->m.nq, nf = r->scn->nfimp;
	uint32_t n = get_u32(b);
	int rc = PF_OK;

	if (b->bad)
		return PF_EFORMAT;
	if (n != nf)
		return pf_err_set(b->err, PF_EFORMAT, p->where, 0, "it holds "
		    "%u importance results, the scenario asks for %zu", n, nf);
	if (imp->n == 0 && nf > 0) {
		if ((imp->p = calloc(nf, sizeof(*imp->p))) == NULL)
			return pf_err_set(b->err, PF_ENOMEM, NULL, 0,
			    "out of memory");
		imp->n = nf;
	}
	for (size_t i = 0; i < nf && rc == PF_OK; i++)
		rc = fill_imp_one(b, p, i, nq, &imp->p[i]);
	return rc;
}

static uint64_t
get_u64(ibuf *b)
{
	uint64_t v = 0;

	get(b, &v, sizeof(v));
	return v;
}

/* Pair i's arrays in ag, for ncfg configurations and nj judged queries. */
static int
attrib_alloc(pf_attrib_share *sh, size_t ncfg, size_t nj)
{
	if ((sh->val = calloc(nj * ncfg + 1, sizeof(double))) == NULL ||
	    (sh->fail_x = malloc((ncfg + 1) * sizeof(size_t))) == NULL ||
	    (sh->fail_err = calloc(ncfg + 1, sizeof(pf_err))) == NULL)
		return PF_ENOMEM;
	sh->ncfg = ncfg;
	sh->nj = nj;
	for (size_t c = 0; c < ncfg; c++)
		sh->fail_x[c] = SIZE_MAX;
	return PF_OK;
}

/* One configuration's failure of p into sh: the first by query wins. */
static int
fill_fail(ibuf *b, pf_attrib_share *sh, size_t c, char **s, size_t *cap)
{
	uint64_t x = get_u64(b);
	int32_t code = 0;
	size_t len;
	const char *w, *m;
	pf_err e = {0};

	if (x == UINT64_MAX || b->bad)
		return b->bad ? PF_EFORMAT : PF_OK;
	get(b, &code, sizeof(code));
	if ((w = get_str(b, s, cap, &len)) == NULL)
		return PF_EFORMAT;
	snprintf(e.where, sizeof(e.where), "%s", w);
	if ((m = get_str(b, s, cap, &len)) == NULL)
		return PF_EFORMAT;
	snprintf(e.msg, sizeof(e.msg), "%s", m);
	e.code = code;
	if (x < sh->fail_x[c]) {
		sh->fail_x[c] = (size_t)x;
		sh->fail_err[c] = e;
	}
	return PF_OK;
}

/* The stage attribution values of p's range into ag. */
static int
fill_attrib(ibuf *b, const pf_part *p, pf_attrib_given *ag, char **s,
    size_t *cap)
{
	uint32_t np = get_u32(b);

	if (b->bad)
		return PF_EFORMAT;
	if (ag->n == 0 && np > 0) {
		if ((ag->p = calloc(np, sizeof(*ag->p))) == NULL)
			return pf_err_set(b->err, PF_ENOMEM, NULL, 0,
			    "out of memory");
		ag->n = np;
	}
	if (np != ag->n)
		return pf_err_set(b->err, PF_EFORMAT, p->where, 0, "it holds "
		    "%u attribution pairs, another part %zu", np, ag->n);
	for (size_t i = 0; i < np; i++) {
		pf_attrib_share *sh = &ag->p[i];
		uint64_t nc = get_u64(b), nj = get_u64(b), xa = get_u64(b),
		    xb = get_u64(b);
		if (b->bad)
			return PF_EFORMAT;
		if (nc > 4096 || xa > xb || xb > nj || (sh->val != NULL &&
		    (sh->ncfg != nc || sh->nj != nj)) || (xb - xa) * nc >
		    (b->n - b->at) / sizeof(double))
			return pf_err_set(b->err, PF_EFORMAT, p->where, 0,
			    "attribution pair %zu: %llu configurations of "
			    "judged queries %llu to %llu of %llu, not those of "
			    "the other parts", i + 1, (unsigned long long)nc,
			    (unsigned long long)xa, (unsigned long long)xb,
			    (unsigned long long)nj);
		if (sh->val == NULL && attrib_alloc(sh, (size_t)nc,
		    (size_t)nj) != PF_OK)
			return pf_err_set(b->err, PF_ENOMEM, NULL, 0,
			    "out of memory");
		get(b, sh->val + xa * nc, (size_t)((xb - xa) * nc) *
		    sizeof(double));
		for (size_t c = 0; c < nc; c++)
			if (fill_fail(b, sh, c, s, cap) != PF_OK)
				return PF_EFORMAT;
	}
	return b->bad ? PF_EFORMAT : PF_OK;
}

/* The oracle split's values of p's range into ag. */
static int
fill_oracle(ibuf *b, const pf_part *p, pf_attrib_given *ag)
{
	uint32_t has = get_u32(b);
	uint64_t nj, ns, xa, xb;

	if (b->bad || has == 0)
		return b->bad ? PF_EFORMAT : PF_OK;
	nj = get_u64(b);
	ns = get_u64(b);
	xa = get_u64(b);
	xb = get_u64(b);
	if (b->bad)
		return PF_EFORMAT;
	if (ns == 0 || ns > 4096 || xa > xb || xb > nj || (ag->oracle != NULL &&
	    (ag->onj != nj || ag->ons != ns)) || (xb - xa) * ns * 4 >
	    (b->n - b->at) / sizeof(double))
		return pf_err_set(b->err, PF_EFORMAT, p->where, 0, "oracle "
		    "split: %llu stacks of judged queries %llu to %llu of %llu, "
		    "not those of the other parts", (unsigned long long)ns,
		    (unsigned long long)xa, (unsigned long long)xb,
		    (unsigned long long)nj);
	if (ag->oracle == NULL) {
		if ((ag->oracle = calloc((size_t)(nj * ns * 4 + 1),
		    sizeof(double))) == NULL)
			return pf_err_set(b->err, PF_ENOMEM, NULL, 0,
			    "out of memory");
		ag->onj = (size_t)nj;
		ag->ons = (size_t)ns;
	}
	get(b, ag->oracle + xa * ns * 4, (size_t)((xb - xa) * ns * 4) *
	    sizeof(double));
	return b->bad ? PF_EFORMAT : PF_OK;
}

int
pf_part_fill(pf_replay *r, const pf_part *p, pf_imp_given *imp,
    pf_attrib_given *ag, pf_err *err)
{
	ibuf b = {p->buf, p->len, p->body, p->where, err, 0};
	char *s = NULL;
	size_t cap = 0, len;
	const char *qid;
	int rc = PF_OK;

	for (size_t q = p->q0; q < p->q1 && rc == PF_OK; q++) {
		if ((qid = get_str(&b, &s, &cap, &len)) == NULL) {
			rc = err->code ? err->code : PF_EFORMAT;
			break;
		}
		if (q >= r->m.nq || strcmp(qid, r->golden->qid[q]) != 0) {
			rc = pf_err_set(err, PF_EFORMAT, p->where, 0, "query "
			    "%zu is '%s' there and '%s' here: the golden "
			    "set's queries differ", q + 1, qid, q < r->m.nq ?
			    r->golden->qid[q] : "(none)");
			break;
		}
		for (size_t k = 0; k < r->m.nstacks && rc == PF_OK; k++)
			rc = fill_list(r, &b, q, k, &s, &cap);
	}
	if (rc == PF_OK)
		rc = fill_imp(r, &b, p, imp);
	if (rc == PF_OK)
		rc = fill_attrib(&b, p, ag, &s, &cap);
	if (rc == PF_OK)
		rc = fill_oracle(&b, p, ag);
	if (rc == PF_OK && b.at != b.n)
		rc = pf_err_set(err, PF_EFORMAT, p->where, 0, "%zu bytes after "
		    "the last query (a corrupt part)", b.n - b.at);
	free(s);
	return rc;
}
