/*
 * harness/check/probe.c — `preflight probe`'s engine (harness/check/probe.h): loads the
 * model through the very stage `preflight run` scores it with (gbdt or
 * plugin), builds the reference rows, then probes every feature in
 * parallel and every monotone expectation.
 *
 * Memory: the reference rows once (n x w doubles), plus per thread one
 * float and one double copy of them that a feature's probe overwrites in
 * its own column and restores afterwards (no per-probe copy of the rows),
 * and a scratch arena for the stage. Every feature and expectation writes
 * only its own slot; the report is assembled serially in feature order.
 */
#include <errno.h>
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <omp.h>

#include "harness/model/gbdt.h"
#include "harness/check/probe.h"
#include "harness/check/probe_internal.h"
#include "harness/stages/stage.h"
#include "harness/load/svmlight.h"

static const char *const kind_names[PF_PROBE_NKINDS] = {
	"min", "max", "median", "-FLT_MAX", "-1e30", "0", "+1e30", "+FLT_MAX",
	"missing"
};

const char *
pf_probe_kind_name(int kind)
{
	if (kind < 0 || kind >= PF_PROBE_NKINDS)
		return "reference";
	return kind_names[kind];
}

double
pf_probe__value(const pf_probe_feat *f, int kind)
{
	switch (kind) {
	case PF_PROBE_MIN:
		return f->lo;
	case PF_PROBE_MAX:
		return f->hi;
	case PF_PROBE_MEDIAN:
		return f->med;
	case PF_PROBE_NEG_FLTMAX:
		return -FLT_MAX;
	case PF_PROBE_NEG_BIG:
		return -1e30;
	case PF_PROBE_ZERO:
		return 0.0;
	case PF_PROBE_POS_BIG:
		return 1e30;
	case PF_PROBE_POS_FLTMAX:
		return FLT_MAX;
	default:
		return NAN;
	}
}

void
pf_probe_free(pf_probe_report *r)
{
	if (r == NULL)
		return;
	if (r->rowname != NULL)
		for (size_t i = 0; i < r->nrows; i++)
			free(r->rowname[i]);
	free(r->rowname);
	free(r->model);
	free(r->reference);
	free(r->feat);
	free(r->bad);
	free(r->mono);
	for (size_t j = 0; r->fname != NULL && j < r->nfeat; j++)
		free(r->fname[j]);
	free(r->fname);
	free(r);
}

/* The model through its stage, and what each probe thread needs. */
typedef struct pctx {
	const pf_stage_ops	*ops;
	void			*st;
	size_t			 w;	/* model columns */
	long			 first;
	size_t			 n;	/* reference rows */
	double			*r64;	/* n x w reference rows */
	double			*base;	/* n reference scores */
} pctx;

typedef struct pbuf {
	float		*x32;
	double		*x64;
	double		*out, *prev;
	uint32_t	*row;
	unsigned char	*flag;
	pf_arena	*a;
} pbuf;

static void
pbuf_free(pbuf *b)
{
	free(b->x32);
	free(b->x64);
	free(b->out);
	free(b->prev);
	free(b->row);
	free(b->flag);
	pf_arena_free(b->a);
}

static int
pbuf_init(pbuf *b, const pctx *c)
{
	size_t nw = c->n * c->w;

	if (nw == 0)
		nw = 1;		/* no features: malloc(0) may return NULL */
	memset(b, 0, sizeof(*b));
	if ((b->x32 = malloc(nw * sizeof(*b->x32))) == NULL ||
	    (b->x64 = malloc(nw * sizeof(*b->x64))) == NULL ||
	    (b->out = malloc(c->n * sizeof(*b->out))) == NULL ||
	    (b->prev = malloc(c->n * sizeof(*b->prev))) == NULL ||
	    (b->row = malloc(c->n * sizeof(*b->row))) == NULL ||
	    (b->flag = malloc(c->n)) == NULL ||
	    (b->a = pf_arena_new(nw * sizeof(double) + 4096)) == NULL) {
		pbuf_free(b);
		return PF_ENOMEM;
	}
	for (size_t i = 0; i < nw; i++) {
		b->x64[i] = c->r64[i];
		b->x32[i] = (float)c->r64[i];
	}
	for (size_t i = 0; i < c->n; i++)
		b->row[i] = (uint32_t)i;
	return PF_OK;
}

/* Scores b's rows into b->out through the stage. */
static int
score(const pctx *c, pbuf *b, pf_err *err)
{
	pf_query q = {0, "probe", NULL};
	pf_cands io;

	memset(&io, 0, sizeof(io));
	io.n = io.cap = c->n;
	io.row = b->row;
	io.score = b->out;
	io.feats.x32 = b->x32;
	io.feats.x64 = b->x64;
	io.feats.nf = c->w;
	io.feats.base = (int)c->first;
	pf_arena_reset(b->a);
	return c->ops->process(c->st, &q, &io, b->a, err);
}

static void
set_col(const pctx *c, pbuf *b, size_t j, double v)
{
	for (size_t i = 0; i < c->n; i++) {
		b->x64[i * c->w + j] = v;
		b->x32[i * c->w + j] = (float)v;
	}
}

static void
restore_col(const pctx *c, pbuf *b, size_t j)
{
	for (size_t i = 0; i < c->n; i++) {
		double v = c->r64[i * c->w + j];
		b->x64[i * c->w + j] = v;
		b->x32[i * c->w + j] = (float)v;
	}
}

/* Every probe of feature j; bad has PF_PROBE_NKINDS slots. */
static int
probe_feature(const pctx *c, pbuf *b, size_t j, pf_probe_feat *f,
    pf_probe_bad *bad, pf_err *err)
{
	int rc = PF_OK;

	for (int k = 0; k < PF_PROBE_NKINDS && rc == PF_OK; k++) {
		double v = pf_probe__value(f, k);
		pf_probe_bad *pb = &bad[k];
		set_col(c, b, j, v);
		if ((rc = score(c, b, err)) != PF_OK)
			break;
		pb->feat = j;
		pb->kind = k;
		pb->value = v;
		for (size_t i = 0; i < c->n; i++) {
			double s = b->out[i], s0 = c->base[i];
			if (!(s == s0 || (isnan(s) && isnan(s0))))
				f->nchanged++;
			/* A reference row already non-finite is reported once,
			   as the reference. */
			if (!isfinite(s) && isfinite(s0) && pb->nrows++ == 0) {
				pb->row = i;
				pb->score = s;
			}
		}
	}
	restore_col(c, b, j);
	f->dead = rc == PF_OK && f->nchanged == 0;
	return rc;
}

static int
probe_mono(const pctx *c, pbuf *b, const pf_probe_feat *f,
    const double *thr, size_t nthr, size_t grid, pf_probe_monores *m,
    pf_err *err)
{
	double *g = NULL;
	size_t ng = 0, j = m->feat;
	int rc;

	if ((rc = pf_probe__grid(f, thr, nthr, grid, &g, &ng)) != PF_OK)
		return pf_err_set(err, rc, NULL, 0, "out of memory");
	m->npoints = ng;
	memset(b->flag, 0, c->n);
	for (size_t k = 0; k < ng && rc == PF_OK; k++) {
		set_col(c, b, j, g[k]);
		if ((rc = score(c, b, err)) != PF_OK)
			break;
		for (size_t i = 0; k > 0 && i < c->n; i++) {
			double d = (b->out[i] - b->prev[i]) * (double)m->dir;
			if (!(d < 0.0))
				continue;
			m->nsteps_bad++;
			if (!b->flag[i]) {
				b->flag[i] = 1;
				m->nrows_bad++;
			}
			if (-d > m->worst_amount) {
				m->worst_amount = -d;
				m->worst_row = i;
				m->worst_from = g[k - 1];
				m->worst_to = g[k];
			}
		}
		double *t = b->prev;
		b->prev = b->out;
		b->out = t;
	}
	restore_col(c, b, j);
	free(g);
	return rc;
}

/* Whether path is an ELF shared object (a plugin); PF_EIO when unreadable. */
static int
is_elf(const char *path, int *out, pf_err *err)
{
	unsigned char h[4] = {0};
	FILE *f = fopen(path, "rb");

	if (f == NULL)
		return pf_err_set(err, PF_EIO, path, 0, "cannot open: %s",
		    strerror(errno));
	*out = fread(h, 1, 4, f) == 4 && memcmp(h, "\177ELF", 4) == 0;
	fclose(f);
	return PF_OK;
}

/* Opens the model's stage: gbdt (model=, first-feature=) or plugin. */
static int
open_stage(pctx *c, const char *path, int plugin, const char *params,
    pf_err *err)
{
	char first[32];
	pf_param p[2] = {{plugin ? "lib" : "model", path, 0},
	    {plugin ? "params" : "first-feature", first, 0}};
	pf_stage_cfg cfg;

	snprintf(first, sizeof(first), "%ld", c->first);
	if (plugin)
		p[1].value = params;
	memset(&cfg, 0, sizeof(cfg));
	cfg.params = p;
	cfg.nparams = p[1].value != NULL ? 2 : 1;
	c->ops = pf_stage_find(plugin ? "plugin" : "gbdt");
	return c->ops->open(&c->st, &cfg, err);
}

/* The report's findings, assembled in feature order. */
static int
collect(pf_probe_report *r, const pf_probe_bad *bad, const pf_probe_bad *ref)
{
	size_t nb = ref->nrows > 0, w = r->nfeat;

	for (size_t i = 0; i < w * PF_PROBE_NKINDS; i++)
		nb += bad[i].nrows > 0;
	if ((r->bad = calloc(nb ? nb : 1, sizeof(*r->bad))) == NULL)
		return PF_ENOMEM;
	if (ref->nrows > 0)
		r->bad[r->nbad++] = *ref;
	for (size_t i = 0; i < w * PF_PROBE_NKINDS; i++)
		if (bad[i].nrows > 0)
			r->bad[r->nbad++] = bad[i];
	for (size_t i = 0; i < r->nbad; i++)
		r->nbad_rows += r->bad[i].nrows;
	for (size_t j = 0; j < w; j++) {
		const pf_probe_feat *f = &r->feat[j];
		r->ndead += f->dead;
		r->ndead_split += f->dead && f->nsplit != SIZE_MAX &&
		    f->nsplit > 0;
		r->nlive_unsplit += !f->dead && f->nsplit == 0;
	}
	return PF_OK;
}

/* Probes every feature and expectation in parallel, one slot each. */
static int
probe_all(pf_probe_report *r, const pctx *c, const pf_gbdt_splits *sp,
    const pf_probe_opts *o, pf_probe_bad *bad, pf_err *err)
{
	int nt = omp_get_max_threads(), rc = PF_OK;
	size_t w = c->w, nm = r->nmono, nslot = w + nm;
	pbuf *b = calloc((size_t)nt, sizeof(*b));
	pf_err *fe = calloc(nslot ? nslot : 1, sizeof(*fe));

	for (int t = 0; b != NULL && t < nt && rc == PF_OK; t++)
		rc = pbuf_init(&b[t], c);
	if (b == NULL || fe == NULL || rc != PF_OK) {
		rc = pf_err_set(err, PF_ENOMEM, NULL, 0, "out of memory");
		goto done;
	}
	#pragma omp parallel for schedule(dynamic, 1)
	for (size_t k = 0; k < nslot; k++) {
		pbuf *tb = &b[omp_get_thread_num()];
		if (k < w) {
			probe_feature(c, tb, k, &r->feat[k],
			    bad + k * PF_PROBE_NKINDS, &fe[k]);
		} else {
			pf_probe_monores *m = &r->mono[k - w];
			size_t j = m->feat;
			probe_mono(c, tb, &r->feat[j], sp ? sp->thr +
			    sp->off[j] : NULL, sp ? sp->off[j + 1] -
			    sp->off[j] : 0, o->grid, m, &fe[k]);
		}
	}
	/* The first failure in slot order, whatever thread met it first. */
	for (size_t k = 0; k < nslot && rc == PF_OK; k++)
		if (fe[k].code != PF_OK) {
			pf_err_copy(err, &fe[k]);
			rc = fe[k].code;
		}
done:
	for (int t = 0; b != NULL && t < nt; t++)
		pbuf_free(&b[t]);
	free(b);
	free(fe);
	return rc;
}

/* The reference rows' own scores, and which of them are not finite. */
static int
score_reference(pctx *c, pf_probe_bad *ref, pf_err *err)
{
	pbuf b;
	int rc;

	if (pbuf_init(&b, c) != PF_OK)
		return pf_err_set(err, PF_ENOMEM, NULL, 0, "out of memory");
	if ((rc = score(c, &b, err)) == PF_OK) {
		memcpy(c->base, b.out, c->n * sizeof(*c->base));
		ref->feat = SIZE_MAX;
		ref->kind = PF_PROBE_REFERENCE;
		ref->value = NAN;
		for (size_t i = 0; i < c->n; i++)
			if (!isfinite(c->base[i]) && ref->nrows++ == 0) {
				ref->row = i;
				ref->score = c->base[i];
			}
	}
	pbuf_free(&b);
	return rc;
}

/* A plugin's width by its ABI (column j is file id j + 1): the largest id
   of the feature file, whatever its column map. */
static size_t
plugin_width(const pf_svm *s)
{
	pf_feats in = {NULL, NULL, s->nf, s->base, s->id, NULL};
	long last = pf_feats_last_id(&in);

	return last > 0 ? (size_t)last : 0;
}

int
pf_probe_run(pf_probe_report **out, const char *path,
    const pf_probe_opts *o, pf_err *err)
{
	pf_probe_report *r = NULL;
	pf_gbdt *m = NULL;
	pf_gbdt_splits *sp = NULL;
	pf_svm *s = NULL;
	pf_probe_bad *bad = NULL, ref;
	pctx c;
	int plugin = 0, lgb = 0, rc;

	*out = NULL;
	memset(&c, 0, sizeof(c));
	memset(&ref, 0, sizeof(ref));
	c.first = o->first;
	if ((rc = is_elf(path, &plugin, err)) != PF_OK)
		return rc;
	if (plugin && o->features == NULL)
		return pf_err_set(err, PF_EINVAL, path, 0, "a plugin has no "
		    "split thresholds to derive ranges from: give a feature "
		    "file (--features)");
	if (!plugin && ((rc = pf_gbdt_load(&m, path, err)) != PF_OK ||
	    (rc = pf_gbdt_splits_get(&sp, m, err)) != PF_OK))
		goto done;
	lgb = m != NULL && pf_gbdt_kind(m) == PF_GBDT_LIGHTGBM;
	if (o->features != NULL) {
		pf_svm_opts so = {.query_file = o->query_file,
		    .feature_base = PF_SVM_BASE_AUTO,
		    .need_double = lgb};
		if ((rc = pf_svm_load(&s, o->features, &so, err)) != PF_OK)
			goto done;
		if (s->nrows == 0) {
			rc = pf_err_set(err, PF_EDATA, o->features, 0, "no rows "
			    "to probe with");
			goto done;
		}
	}
	if (plugin) {
		c.first = 1;	/* the ABI: column j is file feature id j + 1 */
		c.w = plugin_width(s);
	} else {
		c.w = pf_gbdt_nfeatures(m);
	}
	if ((rc = open_stage(&c, path, plugin, o->params, err)) != PF_OK)
		goto done;
	if (s != NULL && c.ops->check != NULL) {
		pf_feats in = {NULL, NULL, s->nf, s->base, s->id, NULL};
		if ((rc = c.ops->check(c.st, &in, err)) != PF_OK) {
			long line = pf_probe__line_beyond(o->features,
			    c.first + (long)c.w - 1);
			if (line > 0)
				snprintf(err->where, sizeof(err->where),
				    "%s:%ld", o->features, line);
			else
				snprintf(err->where, sizeof(err->where), "%s",
				    o->features);
			goto done;
		}
	}
	c.n = s != NULL ? (o->nrows && o->nrows < s->nrows ? o->nrows :
	    s->nrows) : (o->nrows ? o->nrows : 256);
	/* the reference rows are n x w doubles, probed feature by feature:
	   a model that declares millions of features (LightGBM's
	   max_feature_idx, XGBoost's num_feature; up to 2^24) would ask for
	   gigabytes before anything is scored */
	if (c.w > 0 && c.n > PF_PROBE_MAX_BYTES / sizeof(double) / c.w) {
		rc = pf_err_set(err, PF_EDATA, path, 0, "%zu reference rows of "
		    "%zu features are %.1f GB (at most %.1f GB): probe with "
		    "--rows %zu or fewer", c.n, c.w, (double)c.n *
		    (double)c.w * sizeof(double) / 1e9,
		    (double)PF_PROBE_MAX_BYTES / 1e9,
		    (size_t)(PF_PROBE_MAX_BYTES / sizeof(double) / c.w));
		goto done;
	}
	if ((r = calloc(1, sizeof(*r))) == NULL ||
	    (r->model = strdup(path)) == NULL ||
	    (r->feat = calloc(c.w ? c.w : 1, sizeof(*r->feat))) == NULL ||
	    (r->rowname = calloc(c.n, sizeof(*r->rowname))) == NULL ||
	    (r->mono = calloc(o->nmono ? o->nmono : 1,
	    sizeof(*r->mono))) == NULL ||
	    (bad = calloc(c.w * PF_PROBE_NKINDS + 1, sizeof(*bad))) == NULL ||
	    (c.r64 = malloc((c.n * c.w + 1) * sizeof(*c.r64))) == NULL ||
	    (c.base = malloc(c.n * sizeof(*c.base))) == NULL ||
	    (o->features != NULL &&
	    (r->reference = strdup(o->features)) == NULL))
		goto nomem;
	r->kind = plugin ? "plugin" : lgb ? "lightgbm" : "xgboost";
	r->nfeat = c.w;
	r->nrows = c.n;
	r->nrows_avail = s != NULL ? s->nrows : 0;
	r->seed = o->seed;
	for (size_t j = 0; j < c.w; j++)
		r->feat[j].nsplit = sp != NULL ? sp->nsplit[j] : SIZE_MAX;
	r->first = c.first;
	if ((rc = pf_probe__names(r, m, path, o, err)) != PF_OK)
		goto done;
	pf_probe_rows rows = {c.r64, c.n, c.w, c.first};
	if ((s != NULL ? pf_probe__file_rows(r, &rows, s, lgb, sp, o->seed) :
	    pf_probe__synth_rows(r, &rows, sp, o->seed)) != PF_OK)
		goto nomem;
	if ((rc = score_reference(&c, &ref, err)) != PF_OK ||
	    (rc = probe_all(r, &c, sp, o, bad, err)) != PF_OK)
		goto done;
	if (collect(r, bad, &ref) != PF_OK)
		goto nomem;
	*out = r;
	r = NULL;
	goto done;
nomem:
	rc = pf_err_set(err, PF_ENOMEM, NULL, 0, "out of memory");
done:
	if (c.ops != NULL)
		c.ops->close(c.st);
	pf_probe_free(r);
	free(bad);
	free(c.r64);
	free(c.base);
	pf_svm_free(s);
	pf_gbdt_splits_free(sp);
	pf_gbdt_free(m);
	return rc;
}

int
pf_probe_failed(const pf_probe_report *r, int strict)
{
	if (r->nbad > 0 || r->nlive_unsplit > 0 || (strict && r->ndead > 0))
		return 1;
	for (size_t k = 0; k < r->nmono; k++)
		if (r->mono[k].nsteps_bad > 0)
			return 1;
	return 0;
}
