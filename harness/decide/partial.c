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
#include "harness/decide/partial_internal.h"
#include "harness/util/fileio.h"
#include "harness/util/grow.h"


void
pf_part_range(size_t nq, size_t i, size_t n, size_t *q0, size_t *q1)
{
	size_t base = n ? nq / n : 0, rem = n ? nq % n : 0;

	*q0 = i * base + (i < rem ? i : rem);
	*q1 = *q0 + base + (i < rem);
}

int
pf_part__get(ibuf *b, void *v, size_t n)
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

uint32_t
pf_part__get_u32(ibuf *b)
{
	uint32_t v = 0;

	pf_part__get(b, &v, sizeof(v));
	return v;
}

uint64_t
pf_part__get_u64(ibuf *b)
{
	uint64_t v = 0;

	pf_part__get(b, &v, sizeof(v));
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
	char magic[PF_PART_MAGIC_LEN];
	json_error_t je;
	json_t *q;
	uint32_t hl;
	int bad = 0;

	memset(p, 0, sizeof(*p));
	p->buf = buf;
	p->len = len;
	if ((p->where = strdup(where)) == NULL)
		return pf_err_set(err, PF_ENOMEM, NULL, 0, "out of memory");
	if (pf_part__get(&b, magic, PF_PART_MAGIC_LEN) != 0 || memcmp(magic, PF_PART_MAGIC,
	    PF_PART_MAGIC_LEN) != 0) {
		err->code = PF_OK;
		return pf_err_set(err, PF_EFORMAT, where, 0, "not a preflight "
		    "partial result (expected what `preflight run --shard "
		    "I/N` writes, starting \"PFPART\")");
	}
	if (pf_part__get_u32(&b) != PF_PART_ORDER)
		return pf_err_set(err, PF_EFORMAT, where, 0, "written on a "
		    "machine of the other byte order: merge it where it was "
		    "written");
	hl = pf_part__get_u32(&b);
	if (pf_part__get(&b, NULL, hl) != 0)
		return PF_EFORMAT;
	p->hdr = json_loadb(buf + b.at - hl, hl, 0, &je);
	if (p->hdr == NULL || !json_is_object(p->hdr))
		return pf_err_set(err, PF_EFORMAT, where, 0, "its header is "
		    "not a JSON object (%s)", je.text);
	if (!json_is_string(json_object_get(p->hdr, "format")) ||
	    strcmp(json_string_value(json_object_get(p->hdr, "format")),
	    PF_PART_FORMAT) != 0)
		return pf_err_set(err, PF_EFORMAT, where, 0, "its format is "
		    "not " PF_PART_FORMAT);
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
const char *
pf_part__get_str(ibuf *b, char **scratch, size_t *cap, size_t *len)
{
	uint32_t n = pf_part__get_u32(b);

	if (b->bad || n > b->n - b->at) {
		pf_part__get(b, NULL, (size_t)n);
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
	pf_part__get(b, *scratch, n);
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

	if (pf_part__get(b, &nd, sizeof(nd)) != 0 || nd > (b->n - b->at) / 4)
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
		if ((id = pf_part__get_str(b, s, cap, &len)) == NULL)
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
	pf_part__get(b, res->score[q], (size_t)nd * sizeof(double));
	pf_part__get(b, res->values + q * r->m.nv, r->m.nv * sizeof(double));
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
		if ((qid = pf_part__get_str(&b, &s, &cap, &len)) == NULL) {
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
		rc = pf_part__fill_imp(r, &b, p, imp);
	if (rc == PF_OK)
		rc = pf_part__fill_attrib(&b, p, ag, &s, &cap);
	if (rc == PF_OK)
		rc = pf_part__fill_oracle(&b, p, ag);
	if (rc == PF_OK && b.at != b.n)
		rc = pf_err_set(err, PF_EFORMAT, p->where, 0, "%zu bytes after "
		    "the last query (a corrupt part)", b.n - b.at);
	free(s);
	return rc;
}
