/*
 * harness/stages/rules.c — business rules, as merchandisers and ops teams
 * write them: a TSV of `qid<TAB>docid<TAB>action[<TAB>position]` with
 * action pin (to position, default 1), bury (to the end) or remove.
 *
 * The stage keeps the ranking's scores meaningful for the run files (which
 * trec_eval re-sorts by score): a pinned document gets a score between its
 * new neighbours' (above the top for position 1), a buried one a score
 * below the last; where neighbours tie, scores above are raised by the
 * smallest step (nextafter) until the list strictly decreases; the engine
 * then sorts as after any scoring stage and keeps the rules' order. A rule
 * for a document the query did not retrieve does nothing; rules apply in
 * file order; a second rule for a (query, document) is warned about (an
 * error under run --strict).
 *
 * dedupe="FIELD" then walks the list from the top and removes every
 * document whose value of the corpus field FIELD (a docs.tsv header column
 * or a docs.jsonl member, harness/load/corpus.h) a higher-ranked document
 * already has: the best-ranked of each key stays (a pinned one wins over
 * its duplicates). Documents without the field are never removed. The
 * file is optional when dedupe is given.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness/util/fileio.h"
#include "harness/load/golden.h"
#include "harness/util/scan.h"
#include "harness/stages/stage.h"
#include "harness/util/strtab.h"

enum { R_PIN, R_BURY, R_REMOVE };

typedef struct rule {
	long	query;		/* golden query index */
	char	*doc;
	int	action;
	long	pos;		/* pin position, 1-based */
	long	line;		/* in the file */
} rule;

typedef struct rules {
	const pf_golden *g;
	rule	*r;
	size_t	 n;
	size_t	*qoff;		/* rules of query q: qoff[q]..qoff[q+1) */
	long	*key;		/* dedupe key id of each corpus document, -1
				   none; NULL without dedupe */
	size_t	 nkey;		/* corpus documents with a key slot */
} rules;

static void
rules_close(void *st)
{
	rules *s = st;

	if (s == NULL)
		return;
	for (size_t i = 0; i < s->n; i++)
		free(s->r[i].doc);
	free(s->r);
	free(s->qoff);
	free(s->key);
	free(s);
}

/* By query, then file order (the order rules apply in). */
static int
cmp_rule(const void *a, const void *b)
{
	const rule *x = a, *y = b;

	if (x->query != y->query)
		return (x->query > y->query) - (x->query < y->query);
	return (x->line > y->line) - (x->line < y->line);
}

/* By query, then document, then file order: a repeat follows its first. */
static int
cmp_rule_doc(const void *a, const void *b)
{
	const rule *x = a, *y = b;
	int c;

	if (x->query != y->query)
		return (x->query > y->query) - (x->query < y->query);
	if ((c = strcmp(x->doc, y->doc)) != 0)
		return c;
	return (x->line > y->line) - (x->line < y->line);
}

/*
 * A second rule for a (query, document) — pin then bury, pin to two
 * positions — is most often two merged files disagreeing: both apply, in
 * file order, and the first repeat is warned about (refused under run
 * --strict). Leaves the rules grouped by query, in file order.
 */
static int
check_repeats(rules *s, const pf_stage_cfg *cfg, const char *path,
    pf_err *err)
{
	const rule *r = NULL;
	long first = 0;
	size_t g0 = 0, n = 0;	/* g0: the first rule of i's (query, doc) */

	if (s->n > 1)
		qsort(s->r, s->n, sizeof(*s->r), cmp_rule_doc);
	for (size_t i = 1; i < s->n; i++) {
		if (s->r[i].query != s->r[g0].query ||
		    strcmp(s->r[i].doc, s->r[g0].doc) != 0) {
			g0 = i;
			continue;
		}
		n++;
		if (r == NULL || s->r[i].line < r->line) {
			r = &s->r[i];	/* the repeat earliest in the file */
			first = s->r[g0].line;
		}
	}
	if (r != NULL && cfg->strict)
		return pf_err_set(err, PF_EDATA, path, r->line, "a second rule "
		    "for query '%s', document '%s' (the first is at line %ld): "
		    "refused under --strict", s->g->qid[r->query], r->doc,
		    first);
	if (r != NULL && cfg->warnings != NULL)
		pf_diags_add(cfg->warnings, path, r->line, "%zu rule%s repeat%s "
		    "an earlier one's query and document (here query '%s', "
		    "document '%s', first at line %ld); all apply, in file "
		    "order", n, n == 1 ? "" : "s", n == 1 ? "s" : "",
		    s->g->qid[r->query], r->doc, first);
	if (s->n > 1)
		qsort(s->r, s->n, sizeof(*s->r), cmp_rule);
	return PF_OK;
}

/* dedupe=FIELD: a key id per corpus document from the field's values. */
static int
open_dedupe(rules *s, const pf_stage_cfg *cfg, pf_err *err)
{
	const pf_param *p = pf_stage_param(cfg, "dedupe");
	const char **v;
	pf_strtab *ids;
	int nomem;

	if (p == NULL)
		return PF_OK;
	if ((v = pf_golden_doc_field(s->g, p->value, &nomem)) == NULL)
		return nomem ? pf_err_set(err, PF_ENOMEM, NULL, 0, "out of "
		    "memory") : pf_err_set(err, PF_EINVAL, cfg->file, p->line,
		    "dedupe='%s': %s", p->value, s->g->corpus.n ? "no document "
		    "of the corpus has that field (a docs.tsv header column or "
		    "a docs.jsonl member)" : "needs a corpus: <docs> in "
		    "<golden>");
	s->nkey = s->g->corpus.n;
	int rc = PF_OK;
	if ((ids = pf_strtab_new()) == NULL || (s->key = malloc((s->nkey +
	    1) * sizeof(*s->key))) == NULL)
		rc = PF_ENOMEM;
	for (size_t d = 0; rc == PF_OK && d < s->nkey; d++)
		if ((s->key[d] = v[d] ? pf_strtab_intern(ids, v[d],
		    strlen(v[d])) : -1) < 0 && v[d] != NULL)
			rc = PF_ENOMEM;
	pf_strtab_free(ids);
	free(v);
	return rc == PF_OK ? rc : pf_err_set(err, rc, NULL, 0, "out of memory");
}

/* Rules naming a query the golden set lacks or a document no stack can
   rank: how many, and the first one's line. */
struct unknown {
	size_t	q, d;
	long	line;
};

static int
unknowns(const pf_stage_cfg *cfg, const char *path, const struct unknown *u,
    pf_err *err)
{
	char what[160];

	snprintf(what, sizeof(what), "%zu rule%s name%s a query the golden "
	    "set lacks and %zu a document no stack can rank (first at this "
	    "line)", u->q, u->q == 1 ? "" : "s", u->q == 1 ? "s" : "", u->d);
	if (cfg->strict)
		return pf_err_set(err, PF_EDATA, path, u->line, "%s: refused "
		    "under --strict", what);
	if (cfg->warnings != NULL)
		pf_diags_add(cfg->warnings, path, u->line, "%s; they do "
		    "nothing", what);
	return PF_OK;
}

static int
rules_open(void **out, const pf_stage_cfg *cfg, pf_err *err)
{
	char path[4096], *buf = NULL;
	size_t len, lineno = 0, cap = 0;
	const pf_golden *g = cfg->golden;
	struct unknown unk = {0, 0, 0};
	rules *s;
	int rc;

	*out = NULL;
	len = 0;
	path[0] = '\0';
	if (pf_stage_param(cfg, "file") == NULL &&
	    pf_stage_param(cfg, "dedupe") == NULL)
		return pf_err_set(err, PF_EINVAL, cfg->file, cfg->line, "rules "
		    "wants file= (pin, bury, remove), dedupe= or both");
	if (pf_stage_param(cfg, "file") != NULL && ((rc = pf_stage_path(cfg,
	    "file", path, sizeof(path), err)) != PF_OK || (rc =
	    pf_read_text(&buf, &len, path, err)) != PF_OK))
		return rc;
	if ((s = calloc(1, sizeof(*s))) == NULL)
		goto nomem;
	s->g = g;
	if ((rc = open_dedupe(s, cfg, err)) != PF_OK)
		goto fail;
	const char *p = buf, *end = buf + len;
	while (p < end) {
		const char *line, *le = pf_take_line(&p, end, &line), *f[5];
		size_t fl[5];
		long pos = 1;

		lineno++;
		int nf = pf_split_ws(line, le, f, fl, 5);
		if (nf == 0 || f[0][0] == '#')
			continue;
		int act = nf >= 3 && fl[2] == 3 && !memcmp(f[2], "pin", 3) ?
		    R_PIN : nf >= 3 && fl[2] == 4 && !memcmp(f[2], "bury", 4) ?
		    R_BURY : nf >= 3 && fl[2] == 6 && !memcmp(f[2], "remove",
		    6) ? R_REMOVE : -1;
		if (act < 0 || nf > 4 || (nf == 4 && (act != R_PIN ||
		    pf_parse_long(f[3], fl[3], 1, 1000000, &pos) != 0))) {
			rc = pf_err_set(err, PF_EFORMAT, path, (long)lineno,
			    "expected qid, docid, pin [position] | bury | "
			    "remove");
			goto fail;
		}
		char *qid = strndup(f[0], fl[0]);
		long q = qid ? pf_golden_query(g, qid) : -1;
		free(qid);
		/* a process that reads a share of the candidate files
		   (golden.h pf_golden_set_share) may not know the documents
		   of the other queries: an unknown one there is theirs to
		   warn about (the rule never applies here) */
		if (q >= 0 && g->share_partial && ((size_t)q < g->share_q0 ||
		    (size_t)q >= g->share_q1) &&
		    pf_golden_find_doc(g, f[1], fl[1]) < 0)
			continue;
		if (q < 0 || pf_golden_find_doc(g, f[1], fl[1]) < 0) {
			/* a rule that can never apply: counted, then warned
			   about (an error under run --strict) */
			unk.line = unk.line ? unk.line : (long)lineno;
			unk.q += q < 0;
			unk.d += q >= 0;
			continue;
		}
		if (s->n == cap) {
			cap = cap ? 2 * cap : 64;
			rule *nr = realloc(s->r, cap * sizeof(*nr));
			if (nr == NULL)
				goto nomem;
			s->r = nr;
		}
		s->r[s->n] = (rule){q, strndup(f[1], fl[1]), act, pos,
		    (long)lineno};
		if (s->r[s->n++].doc == NULL)
			goto nomem;
	}
	/* grouped by query, in file order within a query */
	if ((rc = check_repeats(s, cfg, path, err)) != PF_OK)
		goto fail;
	if (unk.line > 0 && (rc = unknowns(cfg, path, &unk, err)) != PF_OK)
		goto fail;
	if ((s->qoff = calloc(g->nq + 1, sizeof(*s->qoff))) == NULL)
		goto nomem;
	for (size_t i = 0; i < s->n; i++)
		s->qoff[s->r[i].query + 1]++;
	for (size_t q = 0; q < g->nq; q++)
		s->qoff[q + 1] += s->qoff[q];
	free(buf);
	*out = s;
	return PF_OK;
nomem:
	rc = pf_err_set(err, PF_ENOMEM, path, 0, "out of memory");
fail:
	free(buf);
	rules_close(s);
	return rc;
}

static long
find(const pf_cands *io, const pf_golden *g, const char *doc)
{
	for (size_t i = 0; i < io->n; i++)
		if (strcmp(pf_golden_docid(g, io->doc[i]), doc) == 0)
			return (long)i;
	return -1;
}

/* Moves element i to position j (0-based) keeping the others' order. */
static void
move(pf_cands *io, size_t i, size_t j)
{
	uint32_t d = io->doc[i], r = io->row[i];
	double s = io->score[i];

	if (i < j) {
		memmove(io->doc + i, io->doc + i + 1, (j - i) * sizeof(*io->doc));
		memmove(io->row + i, io->row + i + 1, (j - i) * sizeof(*io->row));
		memmove(io->score + i, io->score + i + 1, (j - i) *
		    sizeof(*io->score));
	} else if (i > j) {
		memmove(io->doc + j + 1, io->doc + j, (i - j) * sizeof(*io->doc));
		memmove(io->row + j + 1, io->row + j, (i - j) * sizeof(*io->row));
		memmove(io->score + j + 1, io->score + j, (i - j) *
		    sizeof(*io->score));
	}
	io->doc[j] = d;
	io->row[j] = r;
	io->score[j] = s;
}

/* A score for position j between its neighbours, so the order holds. */
static void
rescore(pf_cands *io, size_t j)
{
	double prev = j > 0 ? io->score[j - 1] : INFINITY;
	double next = j + 1 < io->n ? io->score[j + 1] : -INFINITY;

	if (isfinite(prev) && isfinite(next))
		io->score[j] = next + (prev - next) / 2;
	else if (isfinite(next))
		io->score[j] = next + fmax(fabs(next) * 1e-6, 1e-6);
	else if (isfinite(prev))
		io->score[j] = prev - fmax(fabs(prev) * 1e-6, 1e-6);
}

/*
 * After a rule moved documents: scores strictly decreasing down the list,
 * each raised by the smallest step (nextafter) where it does not exceed
 * the one below, so the engine's sort and a run file's reader keep this
 * order even where a document was pinned between two tied neighbours.
 */
static void
strict_order(pf_cands *io)
{
	for (size_t i = io->n; i-- > 1;)
		if (!(io->score[i - 1] > io->score[i]))
			io->score[i - 1] = nextafter(io->score[i], INFINITY);
}

/* Keeps the first document of each key, in list order (a hash set). */
static int
dedupe(const rules *s, pf_cands *io, pf_arena *scratch, pf_err *err)
{
	size_t m = 16, w = 0;
	long *set;

	while (m < 2 * io->n)
		m *= 2;
	if ((set = pf_arena_alloc(scratch, m * sizeof(*set), 64)) == NULL)
		return pf_err_set(err, PF_ENOMEM, NULL, 0, "out of memory");
	for (size_t i = 0; i < m; i++)
		set[i] = -1;
	for (size_t i = 0; i < io->n; i++) {
		long k = io->doc[i] < s->nkey ? s->key[io->doc[i]] : -1;
		if (k >= 0) {
			size_t h = (size_t)((uint64_t)k * 0x9E3779B97F4A7C15u >>
			    32) & (m - 1);
			while (set[h] >= 0 && set[h] != k)
				h = (h + 1) & (m - 1);
			if (set[h] == k)
				continue;	/* a higher-ranked duplicate */
			set[h] = k;
		}
		io->doc[w] = io->doc[i];
		io->row[w] = io->row[i];
		io->score[w++] = io->score[i];
	}
	io->n = w;
	return PF_OK;
}

static int
rules_process(void *st, const pf_query *q, pf_cands *io, pf_arena *scratch,
    pf_err *err)
{
	rules *s = st;
	int moved = 0;

	for (size_t k = s->qoff[q->index]; k < s->qoff[q->index + 1]; k++) {
		const rule *r = &s->r[k];
		long i = find(io, s->g, r->doc);
		if (i < 0)
			continue;	/* not retrieved: nothing to do */
		if (r->action == R_REMOVE) {
			move(io, (size_t)i, io->n - 1);
			io->n--;
			continue;
		}
		size_t j = r->action == R_BURY ? io->n - 1 :
		    (size_t)r->pos - 1 < io->n ? (size_t)r->pos - 1 : io->n - 1;
		move(io, (size_t)i, j);
		rescore(io, j);
		moved = 1;
	}
	if (moved)
		strict_order(io);
	return s->key ? dedupe(s, io, scratch, err) : PF_OK;
}

static const pf_stage_param_doc rules_params[] = {
	{"file", "path", 0, "qid<TAB>docid<TAB>pin [position] | bury | remove"},
	{"dedupe", "string", 0, "a corpus field: keep the best-ranked document "
	    "of each value"},
	{NULL, NULL, 0, NULL}
};

const pf_stage_ops pf_stage_rules = {
	.abi = PF_STAGE_ABI,
	.name = "rules",
	.summary = "post: pin, bury or remove given documents for given "
	    "queries; dedupe",
	.flags = PF_STAGE_SCORES,
	.params = rules_params,
	.open = rules_open,
	.process = rules_process,
	.close = rules_close,
};
