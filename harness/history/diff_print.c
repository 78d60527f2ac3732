/*
 * harness/history/diff_print.c — a diff on the terminal (what changed,
 * in the order a release engineer asks: the inputs, the labels, the
 * metrics that moved, the queries that moved most, the gates that
 * flipped, the features that drifted) and written to disk: diff.json
 * and diff.html, both or neither.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness/history/diff.h"
#include "harness/util/fileio.h"
#include "harness/util/grow.h"
#include "metrics/drift.h"
#include "reports/featname.h"

static const char *const status_word[] = {"same", "changed", "added",
    "removed"};

/* The first 12 hex digits of a sha256, or "-". */
static const char *
short_sha(const char *sha, char *b)
{
	snprintf(b, 13, "%s", sha ? sha : "-");
	return b;
}

static void
side(FILE *f, const char *name, const pf_diff_runinfo *s)
{
	fprintf(f, "%s  %s: ", name, s->source);
	if (s->run > 0)
		fprintf(f, "run %lld of %s, ", s->run, s->time ? s->time : "?");
	fprintf(f, "scenario %s, %zu judged queries", s->scenario ?
	    s->scenario : "?", s->nqueries);
	if (s->labels && *s->labels)
		fprintf(f, ", labels %s", s->labels);
	fprintf(f, ", verdict %s\n", s->verdict ? s->verdict : "?");
}

static void
inputs(FILE *f, const pf_diff_report *r)
{
	char sa[13], sb[13];
	size_t n = pf_diff_ninputs_changed(r);

	fprintf(f, "inputs: %zu of %zu differ%s\n", n, r->ninputs, n ? ":" :
	    "");
	for (size_t i = 0; i < r->ninputs; i++) {
		const pf_diff_input *in = &r->inputs[i];
		if (in->status == PF_DIFF_SAME)
			continue;
		fprintf(f, "  %-12s %s %s -> %s %s (%s)\n", in->role,
		    in->path_a ? in->path_a : "(none)", short_sha(in->sha_a, sa),
		    in->path_b ? in->path_b : "(none)", short_sha(in->sha_b, sb),
		    status_word[in->status]);
	}
	if (!r->labels_known)
		fprintf(f, "labels: not compared (a results.json keeps none)\n");
	else if (r->nlabels == 0)
		fprintf(f, "labels: the same\n");
	for (size_t i = 0; i < r->nlabels; i++)
		fprintf(f, "%s %s: %s -> %s%s", i ? "," : "labels:",
		    r->labels[i].key, r->labels[i].a ? r->labels[i].a : "(none)",
		    r->labels[i].b ? r->labels[i].b : "(none)", i + 1 ==
		    r->nlabels ? "\n" : "");
}

static void
metric_line(FILE *f, const pf_diff_metric *m)
{
	fprintf(f, "  %-16s %-16s %.4f -> %.4f  %+.4f [%+.4f, %+.4f]  p %.4f",
	    m->stack, m->metric, m->mean_a, m->mean_b, m->delta, m->lo, m->hi,
	    m->p);
	if (m->family != PF_DIFF_NO_FAMILY)
		fprintf(f, "  %s %.4f", m->family == PF_DIFF_CONFIRMATORY ?
		    "Holm" : "q", m->p_adj);
	fprintf(f, "  (%zu queries: %zu better, %zu worse, %zu same", m->n,
	    m->wins, m->losses, m->ties);
	if (m->only_a + m->only_b > 0)
		fprintf(f, "; %zu only in A, %zu only in B", m->only_a,
		    m->only_b);
	fputs(")\n", f);
}

static void
metrics(FILE *f, const pf_diff_report *r)
{
	size_t same = 0;

	fprintf(f, "metrics, B minus A on the common queries (95%% bootstrap "
	    "CI; randomization p; Holm over the stacks on %s, BH q on the "
	    "rest):\n", r->primary ? r->primary : "no common primary");
	for (size_t i = 0; i < r->nmetrics; i++) {
		if (r->metrics[i].changed)
			metric_line(f, &r->metrics[i]);
		else
			same++;
	}
	if (same > 0)
		fprintf(f, "  %zu stack x metric pair%s unchanged (every common "
		    "query the same value)\n", same, same == 1 ? "" : "s");
}

static void
rank_text(char *b, size_t sz, double rr)
{
	if (rr > 0)
		snprintf(b, sz, "%.0f", 1.0 / rr);
	else
		snprintf(b, sz, "none");
}

static void
movers(FILE *f, const pf_diff_report *r)
{
	char ra[24], rb[24];

	if (r->nmovers == 0) {
		fprintf(f, "first relevant document: %s\n", r->movers_note &&
		    strncmp(r->movers_note, "top", 3) != 0 ? r->movers_note :
		    "no query's moved");
		return;
	}
	fprintf(f, "first relevant document moved most (rank from "
	    "recip_rank; both top tens in diff.html):\n");
	for (size_t i = 0; i < r->nmovers; i++) {
		const pf_diff_mover *m = &r->movers[i];
		rank_text(ra, sizeof(ra), m->rr_a);
		rank_text(rb, sizeof(rb), m->rr_b);
		fprintf(f, "  %-16s %s: rank %s -> %s\n", m->stack, m->qid, ra,
		    rb);
	}
}

static void
flips(FILE *f, const pf_diff_report *r)
{
	fprintf(f, "gates and expectations whose outcome changed:%s\n",
	    r->nflips ? "" : " none");
	for (size_t i = 0; i < r->nflips; i++) {
		const pf_diff_flip *x = &r->flips[i];
		fprintf(f, "  %s: %s -> %s", x->name, x->status_a ? x->status_a :
		    "(absent)", x->status_b ? x->status_b : "(absent)");
		if (x->message_b && *x->message_b)
			fprintf(f, " (%s)", x->message_b);
		fputc('\n', f);
	}
}

static void
drift(FILE *f, const pf_diff_report *r)
{
	size_t nf = 0;

	if (r->drift_note != NULL) {
		fprintf(f, "features: %s\n", r->drift_note);
		return;
	}
	for (size_t i = 0; i < r->ndrift; i++)
		nf += r->drift[i].flagged;
	fprintf(f, "features drifted (PSI >= %.2f or missing rate moved 5 "
	    "points): %zu of %zu compared\n", PF_DRIFT_MODERATE, nf,
	    r->ndrift);
	for (size_t i = 0; i < r->ndrift && r->drift[i].flagged; i++) {
		const pf_diff_drift *d = &r->drift[i];
		char lb[512];
		pf_feat_label(lb, sizeof(lb), d->name, d->feature);
		fprintf(f, "  %-16s %-8s PSI %.3f (%s), missing %.1f%% -> "
		    "%.1f%%, mean %.4g -> %.4g\n", d->stack, lb, d->psi,
		    d->psi > PF_DRIFT_LARGE ? "large" : d->psi >=
		    PF_DRIFT_MODERATE ? "moderate" : "stable", 100 * d->miss_a,
		    100 * d->miss_b, d->mean_a, d->mean_b);
	}
}

void
pf_diff_print(const pf_diff_report *r, FILE *f)
{
	side(f, "A", &r->a);
	side(f, "B", &r->b);
	for (size_t i = 0; i < r->nnotes; i++)
		fprintf(f, "note: %s\n", r->notes[i]);
	inputs(f, r);
	metrics(f, r);
	movers(f, r);
	flips(f, r);
	drift(f, r);
}

/* Whether path is the file a side was read from. */
static int
is_source(const pf_diff_report *r, const char *path)
{
	return (r->a.run == 0 && pf_same_file(path, r->a.source)) ||
	    (r->b.run == 0 && pf_same_file(path, r->b.source));
}

int
pf_diff_write(const pf_diff_report *r, const char *dir, pf_err *err)
{
	pf_atomic_file af[2] = {{0}};
	char *path[2] = {pf_path_join(dir, "diff.json"), pf_path_join(dir,
	    "diff.html")};
	int rc = PF_OK;

	if (path[0] == NULL || path[1] == NULL) {
		rc = pf_err_set(err, PF_ENOMEM, NULL, 0, "out of memory");
		goto done;
	}
	for (size_t i = 0; i < 2; i++)
		if (is_source(r, path[i])) {
			rc = pf_err_set(err, PF_EINVAL, path[i], 0, "an output "
			    "would overwrite a side of the diff: refused");
			goto done;
		}
	if ((rc = pf_mkdirs(dir, err)) != PF_OK ||
	    (rc = pf_atomic_open(&af[0], path[0], err)) != PF_OK ||
	    (rc = pf_atomic_open(&af[1], path[1], err)) != PF_OK ||
	    (rc = pf_diff_write_json(r, af[0].f, err)) != PF_OK ||
	    (rc = pf_diff_write_html(r, af[1].f, err)) != PF_OK)
		goto done;
	rc = pf_atomic_commit_all(af, 2, err);
done:
	pf_atomic_abort(&af[0]);
	pf_atomic_abort(&af[1]);
	free(path[0]);
	free(path[1]);
	return rc;
}
