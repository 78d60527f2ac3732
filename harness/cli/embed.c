/*
 * harness/cli/embed.c — `preflight embed --lsa DIM [--stopwords small]
 * [--seed N] DOCS_TSV QUERIES_TSV OUTDIR`: LSA embeddings (harness/text/lsa.h)
 * of a corpus and its queries, in the dense stage's formats:
 * OUTDIR/docs.npy, doc-ids.txt, queries.npy, query-ids.txt, and
 * singular-values.npy (1-D). The files are read as the golden set reads
 * them (docs.tsv: docid, title, body; queries.tsv with its header).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness/cli/cli.h"
#include "harness/util/diags.h"
#include "harness/util/fileio.h"
#include "harness/load/golden.h"
#include "harness/text/lsa.h"
#include "harness/load/npy.h"
#include "harness/util/scan.h"
#include "harness/util/strtab.h"

enum { O_LSA = PF_OPT_LONG, O_STOP, O_SEED };

static const pf_opt embed_opts[] = {
	{O_LSA, "lsa", "DIM", "the LSA dimension (required; 1 to 100000)"},
	{O_STOP, "stopwords", "none|small", "drop the 46-word English list "
	    "(default none)"},
	{O_SEED, "seed", "N", "the randomized SVD's seed (default 1)"},
	{'q', "quiet", NULL, "no progress on stderr"},
	PF_OPT_ROW_THREADS,
	PF_OPT_ROW_HELP,
	{0, NULL, NULL, NULL},
};

const pf_cmd_doc pf_cli_embed_doc = {"embed",
	"--lsa DIM [OPTIONS] DOCS_TSV QUERIES_TSV OUTDIR",
	"  LSA (TF-IDF, truncated SVD) embeddings of a corpus and its "
	"queries, a\n  baseline for the dense stage: writes docs.npy, "
	"doc-ids.txt, queries.npy,\n  query-ids.txt and "
	"singular-values.npy in OUTDIR.\n", embed_opts, NULL};

/* The options into o; 0, 1 after --help, -1 on a usage error. */
static int
parse_args(pf_lsa_opts *o, const char **pos, int *quiet, int argc,
    char **argv)
{
	pf_opts p;
	long dim = 0, seed = 1;
	int c;

	pf_opts_init(&p, &pf_cli_embed_doc, argc, argv);
	while ((c = pf_opts_next(&p)) != PF_OPTS_END) {
		if (c == O_LSA || c == O_SEED) {
			if (pf_opts_long(&p, c == O_LSA ? "--lsa" : "--seed", 1,
			    100000, "an integer in [1, 100000]", c == O_LSA ?
			    &dim : &seed) != 0)
				return -1;
		} else if (c == O_STOP) {
			if (strcmp(p.val, "none") && strcmp(p.val, "small")) {
				pf_opts_fail(&pf_cli_embed_doc, "--stopwords "
				    "'%s': expected none or small", p.val);
				return -1;
			}
			o->stop = !strcmp(p.val, "small");
		} else if (c == 'q')
			*quiet = 1;
		else
			return c == PF_OPTS_EXIT0 ? 1 : -1;
	}
	if (dim == 0 || p.npos != 3) {
		pf_opts_fail(&pf_cli_embed_doc, "expected --lsa DIM and three "
		    "paths");
		return -1;
	}
	for (int i = 0; i < 3; i++)
		pos[i] = p.pos[i];
	o->dim = (size_t)dim;
	o->seed = (uint64_t)seed;
	return 0;
}

static int
write_all(const char *dir, const pf_golden *g, const pf_lsa *m, pf_err *err)
{
	char p[4096];
	const char **ids;
	int rc;

	if ((ids = malloc((m->ndocs + 1) * sizeof(*ids))) == NULL)
		return pf_err_set(err, PF_ENOMEM, NULL, 0, "out of memory");
	for (size_t i = 0; i < m->ndocs; i++)
		ids[i] = pf_golden_docid(g, (uint32_t)i);
	snprintf(p, sizeof(p), "%s/doc-ids.txt", dir);
	rc = pf_ids_write(p, ids, m->ndocs, err);
	free(ids);
	if (rc != PF_OK)
		return rc;
	snprintf(p, sizeof(p), "%s/query-ids.txt", dir);
	if ((rc = pf_ids_write(p, (const char *const *)g->qid, g->nq, err)) !=
	    PF_OK)
		return rc;
	snprintf(p, sizeof(p), "%s/docs.npy", dir);
	if ((rc = pf_npy_write(p, m->docs, m->ndocs, m->k, 2, err)) != PF_OK)
		return rc;
	snprintf(p, sizeof(p), "%s/queries.npy", dir);
	if ((rc = pf_npy_write(p, m->queries, m->nq, m->k, 2, err)) != PF_OK)
		return rc;
	snprintf(p, sizeof(p), "%s/singular-values.npy", dir);
	return pf_npy_write(p, m->sigma, m->k, 1, 1, err);
}

int
pf_cli_embed(int argc, char **argv)
{
	const char *pos[3];
	int pa, quiet = 0;
	pf_lsa_opts o = {0};
	pf_golden_spec s = {0};
	pf_diags *d = NULL;
	pf_golden *g = NULL;
	pf_lsa *m = NULL;
	pf_err err = {0};
	int rc = 2;

	if ((pa = parse_args(&o, pos, &quiet, argc, argv)) != 0)
		return pa > 0 ? 0 : 2;
	o.progress = pf_opts_progress(quiet);
	s.source = ".";
	s.docs = pos[0];
	s.queries = pos[1];
	if ((d = calloc(1, sizeof(*d))) == NULL) {
		fprintf(stderr, "preflight: out of memory\n");
		return 2;
	}
	if (pf_golden_load(&g, &s, d) != PF_OK) {
		pf_diags_print(d, stderr);
		goto done;
	}
	if (g->corpus.n == 0) {
		fprintf(stderr, "preflight: %s: no documents\n", pos[0]);
		goto done;
	}
	if (pf_lsa_build(&m, g->corpus.title, g->corpus.body, g->corpus.n, g->text, g->nq,
	    &o, &err) != PF_OK || pf_mkdirs(pos[2], &err) != PF_OK ||
	    write_all(pos[2], g, m, &err) != PF_OK) {
		pf_err_print(&err, stderr);
		goto done;
	}
	if (m->k < o.dim)
		fprintf(stderr, "preflight embed: warning: the corpus has rank "
		    "%zu, below --lsa %zu: %zu dimensions written\n", m->k,
		    o.dim, m->k);
	printf("embed: %zu documents, %zu queries, %zu terms, LSA dimension "
	    "%zu (singular values %.4g .. %.4g) -> %s/\n", m->ndocs, m->nq,
	    m->nterms, m->k, m->k ? (double)m->sigma[0] : 0.0, m->k ?
	    (double)m->sigma[m->k - 1] : 0.0, pos[2]);
	rc = 0;
done:
	pf_lsa_free(m);
	pf_golden_free(g);
	free(d);
	return rc;
}
