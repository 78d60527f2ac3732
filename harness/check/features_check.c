/*
 * harness/check/features_check.c — conformance of candidate files to a
 * feature schema (features.h). One pass over each file's matrix, parallel
 * over columns: every column fills its own slot (counts and its first
 * PF_FCHECK_EXAMPLES offending rows a rule), and the slots are merged
 * serially in (file, row, feature id) order, so the examples are the first
 * in file order and the bytes are the same for any thread count.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <sys/stat.h>

#include "harness/check/features.h"
#include "harness/util/fileio.h"
#include "harness/util/grow.h"

enum { R_RANGE, R_TYPE, R_MISSING, R_QUERY, R_UNDOC, R_ABSENT };

static const struct {
	const char *id, *what;
} rule_doc[PF_FCHECK_NRULES] = {
	{"out-of-range", "values within the range (or among the categories)"},
	{"wrong-type", "integers in int features, 0 or 1 in bool features"},
	{"missing", "a value in every row where missing is not allowed"},
	{"query-level", "one value per query for query-level features"},
	{"undocumented", "every feature of the data is in the schema"},
	{"absent", "every feature of the schema is in the data"},
};

#define NVAL	4	/* the rules checked value by value: R_RANGE..R_QUERY */
#define NEX	PF_FCHECK_EXAMPLES

/* One offending value: where, and what to say. */
typedef struct cand {
	size_t	 file, row;
	long	 id;
	double	 v, ref;	/* the value; query-level: the query's first */
	size_t	 ref_row;	/* query-level: the query's first row */
	size_t	 q;		/* query-level: the query */
} cand;

typedef struct colres {
	size_t	 count[NVAL];
	cand	 c[NVAL][NEX];
	size_t	 nc[NVAL];
	int	 present;	/* some non-missing value */
	size_t	 first;		/* its first row */
} colres;

static long
col_id(const pf_svm *s, size_t j)
{
	return s->id != NULL ? (long)s->id[j] : (long)j + s->base;
}

int
pf_features_read(pf_svm **out, const char *path, const char *qfile,
    pf_err *err)
{
	pf_svm_opts o = {.query_file = qfile, .feature_base = PF_SVM_BASE_AUTO,
	    .need_double = 1};

	return pf_svm_load_beside(out, path, &o, err);
}

/* Whether a and b are the same value (missing equals missing). */
static int
same(double a, double b)
{
	return (isnan(a) && isnan(b)) || a == b;
}

static void
add_cand(colres *cr, int k, cand c)
{
	cr->count[k]++;
	if (cr->nc[k] < NEX)
		cr->c[k][cr->nc[k]++] = c;
}

/* Column j of file f against schema row r (NULL: undocumented). */
static void
check_col(colres *cr, const pf_svm *s, size_t f, size_t j,
    const pf_fschema_row *r)
{
	long id = col_id(s, j);

	for (size_t q = 0; q < s->nq; q++) {
		size_t r0 = s->qoff[q];
		double first = s->x64 != NULL && !isnan(s->x32[r0 * s->nf + j])
		    ? s->x64[r0 * s->nf + j] : NAN;
		int varied = 0;
		for (size_t i = r0; i < s->qoff[q + 1]; i++) {
			double v = isnan(s->x32[i * s->nf + j]) ? NAN :
			    s->x64[i * s->nf + j];
			cand c = {f, i, id, v, first, r0, q};
			if (!isnan(v) && !cr->present) {
				cr->present = 1;
				cr->first = i;
			}
			if (r == NULL)
				continue;
			if (isnan(v)) {
				if (!r->missing_ok)
					add_cand(cr, R_MISSING, c);
			} else if (r->type == PF_FT_CATEGORY) {
				if (!pf_fschema_in_cats(r, v))
					add_cand(cr, R_RANGE, c);
			} else {
				if ((r->type == PF_FT_INT && v != floor(v)) ||
				    (r->type == PF_FT_BOOL && v != 0 &&
				    v != 1))
					add_cand(cr, R_TYPE, c);
				else if (v < r->min || v > r->max)
					add_cand(cr, R_RANGE, c);
			}
			if (r->query_level && !varied && !same(v, first)) {
				varied = 1;
				add_cand(cr, R_QUERY, c);
			}
		}
	}
}

static int
cmp_cand(const void *a, const void *b)
{
	const cand *x = a, *y = b;

	if (x->file != y->file)
		return x->file < y->file ? -1 : 1;
	if (x->row != y->row)
		return x->row < y->row ? -1 : 1;
	return (x->id > y->id) - (x->id < y->id);
}

static void
fmt_num(char *buf, size_t sz, double v)
{
	if (isnan(v))
		snprintf(buf, sz, "missing");
	else
		pf_fschema_num(buf, sz, v);
}

/* The example text of c for rule k. */
static void
fmt_example(char *out, size_t sz, int k, const cand *c, pf_svm *const *files,
    const pf_fschema *s)
{
	const pf_svm *f = files[c->file];
	const pf_fschema_row *r = pf_fschema_find(s, c->id);
	char v[40], ref[40], range[96];

	fmt_num(v, sizeof(v), c->v);
	fmt_num(ref, sizeof(ref), c->ref);
	if (r != NULL)
		pf_fschema_range_text(r, range, sizeof(range));
	int n = snprintf(out, sz, "%s:%ld: feature %ld (%s): ", f->path,
	    f->line[c->row], c->id, r != NULL ? r->name : "?");
	size_t at = n > 0 && (size_t)n < sz ? (size_t)n : sz - 1;
	switch (k) {
	case R_RANGE:
		snprintf(out + at, sz - at, r->type == PF_FT_CATEGORY ?
		    "%s is not one of the categories %s" : "%s is outside "
		    "the range %s", v, range);
		break;
	case R_TYPE:
		snprintf(out + at, sz - at, "%s is not %s", v, r->type ==
		    PF_FT_INT ? "an integer (type int)" : "0 or 1 (type bool)");
		break;
	case R_MISSING:
		snprintf(out + at, sz - at, "missing, and the schema does not "
		    "allow it");
		break;
	default:
		snprintf(out + at, sz - at, "%s here, %s on line %ld (query "
		    "%s's first row): a query-level feature varies within the "
		    "query", v, ref, f->line[c->ref_row], f->qid[c->q]);
		break;
	}
}

void
pf_fcheck_free(pf_fcheck *c)
{
	if (c == NULL)
		return;
	for (size_t i = 0; i < c->nfiles && c->files != NULL; i++)
		free(c->files[i]);
	free(c->files);
	free(c->schema);
	free(c);
}

size_t
pf_fcheck_failed(const pf_fcheck *c)
{
	size_t n = 0;

	for (int k = 0; k < PF_FCHECK_NRULES; k++)
		n += c->rule[k].count > 0;
	return n;
}

/* The value rules' examples: all slots' candidates, first NEX in order. */
static int
merge_values(pf_fcheck *c, colres *const *res, const size_t *ncol,
    pf_svm *const *files, size_t n, const pf_fschema *s)
{
	for (int k = 0; k < NVAL; k++) {
		size_t tot = 0, m = 0;
		for (size_t f = 0; f < n; f++)
			for (size_t j = 0; j < ncol[f]; j++) {
				tot += res[f][j].nc[k];
				c->rule[k].count += res[f][j].count[k];
			}
		if (tot == 0)
			continue;
		cand *all = malloc(tot * sizeof(*all));
		if (all == NULL)
			return -1;
		for (size_t f = 0; f < n; f++)
			for (size_t j = 0; j < ncol[f]; j++)
				for (size_t e = 0; e < res[f][j].nc[k]; e++)
					all[m++] = res[f][j].c[k][e];
		qsort(all, m, sizeof(*all), cmp_cand);
		for (size_t e = 0; e < m && e < NEX; e++)
			fmt_example(c->rule[k].ex[c->rule[k].nex++],
			    sizeof(c->rule[k].ex[0]), k, &all[e], files, s);
		free(all);
	}
	return 0;
}

/* Undocumented and absent features; present[] marks the schema's rows
   some file has. */
static int
merge_presence(pf_fcheck *c, colres *const *res, const size_t *ncol,
    pf_svm *const *files, size_t n, const pf_fschema *s)
{
	size_t tot = 0, m = 0, nd = 0;
	unsigned char *seen = calloc(s->n + 1, 1);
	cand *u;

	if (seen == NULL)
		return -1;
	for (size_t f = 0; f < n; f++)
		tot += ncol[f];
	if ((u = malloc((tot + 1) * sizeof(*u))) == NULL) {
		free(seen);
		return -1;
	}
	for (size_t f = 0; f < n; f++)
		for (size_t j = 0; j < ncol[f]; j++) {
			long id = col_id(files[f], j);
			const pf_fschema_row *r = pf_fschema_find(s, id);
			if (!res[f][j].present)
				continue;
			if (r != NULL)
				seen[r - s->row] = 1;
			else
				u[m++] = (cand){f, res[f][j].first, id, 0, 0, 0,
				    0};
		}
	/* one entry an id: its first row in file order */
	qsort(u, m, sizeof(*u), cmp_cand);
	pf_fcheck_rule *ru = &c->rule[R_UNDOC];
	for (size_t i = 0; i < m; i++) {
		size_t k = 0;
		while (k < i && u[k].id != u[i].id)
			k++;
		if (k < i)	/* seen earlier: O(m^2) only over undocumented
				   ids, which a schema keeps few */
			continue;
		nd++;
		ru->count++;
		if (ru->nex < NEX)
			snprintf(ru->ex[ru->nex++], sizeof(ru->ex[0]), "%s:%ld: "
			    "feature %ld is in the data but not in the schema",
			    files[u[i].file]->path,
			    files[u[i].file]->line[u[i].row], u[i].id);
	}
	pf_fcheck_rule *ra = &c->rule[R_ABSENT];
	for (size_t i = 0; i < s->n; i++) {
		if (seen[i])
			continue;
		ra->count++;
		if (ra->nex < NEX)
			snprintf(ra->ex[ra->nex++], sizeof(ra->ex[0]), "%s:%ld: "
			    "feature %ld (%s) is in the schema but no row has "
			    "it", s->path, s->row[i].line, s->row[i].id,
			    s->row[i].name);
	}
	c->ndata = nd;
	for (size_t i = 0; i < s->n; i++)
		c->ndata += seen[i];
	free(u);
	free(seen);
	return 0;
}

static pf_fcheck *
fcheck_new(const pf_fschema *s, pf_svm *const *files, size_t n)
{
	pf_fcheck *c = calloc(1, sizeof(*c));

	if (c == NULL)
		return NULL;
	for (int k = 0; k < PF_FCHECK_NRULES; k++) {
		c->rule[k].id = rule_doc[k].id;
		c->rule[k].what = rule_doc[k].what;
	}
	c->nschema = s->n;
	if ((c->schema = strdup(s->path)) == NULL ||
	    (c->files = calloc(n + 1, sizeof(char *))) == NULL) {
		pf_fcheck_free(c);
		return NULL;
	}
	for (size_t f = 0; f < n; f++) {
		c->nfiles++;
		if ((c->files[f] = strdup(files[f]->path)) == NULL) {
			pf_fcheck_free(c);
			return NULL;
		}
		c->nrows += files[f]->nrows;
		c->nqueries += files[f]->nq;
	}
	return c;
}

int
pf_features_check(pf_fcheck **out, const pf_fschema *s, pf_svm *const *files,
    size_t n, pf_err *err)
{
	colres **res = calloc(n + 1, sizeof(*res));
	size_t *ncol = calloc(n + 1, sizeof(*ncol));
	pf_fcheck *c = fcheck_new(s, files, n);
	int rc = PF_ENOMEM;

	*out = NULL;
	if (res == NULL || ncol == NULL || c == NULL)
		goto done;
	for (size_t f = 0; f < n; f++) {
		const pf_svm *sv = files[f];
		ncol[f] = sv->nf;
		if ((res[f] = calloc(sv->nf + 1, sizeof(colres))) == NULL)
			goto done;
		/* one column a slot: no shared writes, same bytes for any
		   thread count */
#pragma omp parallel for schedule(dynamic, 4)
		for (size_t j = 0; j < sv->nf; j++)
			check_col(&res[f][j], sv, f, j,
			    pf_fschema_find(s, col_id(sv, j)));
	}
	if (merge_values(c, res, ncol, files, n, s) != 0 ||
	    merge_presence(c, res, ncol, files, n, s) != 0)
		goto done;
	*out = c;
	c = NULL;
	rc = PF_OK;
done:
	if (rc != PF_OK)
		pf_err_set(err, rc, s->path, 0, "out of memory");
	for (size_t f = 0; f < n && res != NULL; f++)
		free(res[f]);
	free(res);
	free(ncol);
	pf_fcheck_free(c);
	return rc;
}

/* Appends path to the list unless it is there (same file). */
static int
add_file(char ***list, size_t *n, const char *path, const char *qfile,
    char ***qlist)
{
	for (size_t i = 0; i < *n; i++)
		if (pf_same_file((*list)[i], path))
			return 0;
	char **l = realloc(*list, (*n + 1) * sizeof(*l));
	if (l == NULL)
		return -1;
	*list = l;
	char **q = realloc(*qlist, (*n + 1) * sizeof(*q));
	if (q == NULL)
		return -1;
	*qlist = q;
	l[*n] = strdup(path);
	q[*n] = qfile != NULL ? strdup(qfile) : NULL;
	(*n)++;
	return l[*n - 1] == NULL || (qfile != NULL && q[*n - 1] == NULL) ?
	    -1 : 0;
}

/* The candidate files s names: its labels, its candidates stages. */
static int
scenario_files(const pf_scenario *s, char ***paths, char ***qfiles, size_t *n)
{
	if (s->labels != NULL && add_file(paths, n, s->labels,
	    s->labels_qfile, qfiles) != 0)
		return -1;
	for (size_t k = 0; k < s->nstacks; k++)
		for (size_t i = 0; i < s->stacks[k].nstages; i++) {
			const pf_scn_stage *st = &s->stacks[k].stages[i];
			const pf_param *file, *qf;
			if (strcmp(st->name, "candidates") != 0 ||
			    (file = pf_param_find(st->params, st->nparams,
			    "file")) == NULL)
				continue;
			qf = pf_param_find(st->params, st->nparams,
			    "query-file");
			/* stage paths are relative to the scenario's folder */
			char *fp = pf_path_join(s->dir, file->value);
			char *qp = qf != NULL ? pf_path_join(s->dir,
			    qf->value) : NULL;
			int bad = fp == NULL || (qf != NULL && qp == NULL) ||
			    add_file(paths, n, fp, qp, qfiles) != 0;
			free(fp);
			free(qp);
			if (bad)
				return -1;
		}
	return 0;
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The golden folder's *.svm files (and .svm.gz), in name order. */
static int
folder_files(const char *dir, char ***paths, char ***qfiles, size_t *n)
{
	DIR *dp = opendir(dir);
	char **names = NULL;
	size_t nn = 0;
	struct dirent *de;
	int rc = 0;

	if (dp == NULL)
		return 0;
	while (rc == 0 && (de = readdir(dp)) != NULL) {
		if (!pf_path_has_ext(de->d_name, ".svm"))
			continue;
		char **g = realloc(names, (nn + 1) * sizeof(*g));
		if (g == NULL || (g[nn] = pf_path_join(dir, de->d_name)) ==
		    NULL)
			rc = -1;
		if (g != NULL)
			names = g;
		if (rc == 0)
			nn++;
	}
	closedir(dp);
	if (nn > 0)
		qsort(names, nn, sizeof(*names), cmp_str);
	for (size_t i = 0; i < nn; i++) {
		if (rc == 0 && add_file(paths, n, names[i], NULL, qfiles) != 0)
			rc = -1;
		free(names[i]);
	}
	free(names);
	return rc;
}

int
pf_features_check_scenario(pf_fcheck **out, const pf_scenario *s,
    pf_err *err)
{
	char *path = NULL, **paths = NULL, **qfiles = NULL;
	pf_fschema *sc = NULL;
	pf_svm **files = NULL;
	size_t n = 0, nread = 0;
	struct stat st;
	int rc = PF_OK;

	*out = NULL;
	if (s->golden_dir == NULL)
		return PF_OK;
	if ((path = pf_path_join(s->golden_dir, PF_FEATSCHEMA_FILE)) == NULL)
		return pf_err_set(err, PF_ENOMEM, s->path, 0, "out of memory");
	if (stat(path, &st) != 0)
		goto done;
	if ((rc = pf_fschema_load(&sc, path, err)) != PF_OK)
		goto done;
	if (scenario_files(s, &paths, &qfiles, &n) != 0 ||
	    folder_files(s->golden_dir, &paths, &qfiles, &n) != 0 ||
	    (files = calloc(n + 1, sizeof(*files))) == NULL) {
		rc = pf_err_set(err, PF_ENOMEM, s->path, 0, "out of memory");
		goto done;
	}
	for (nread = 0; nread < n; nread++)
		if ((rc = pf_features_read(&files[nread], paths[nread],
		    qfiles[nread], err)) != PF_OK)
			goto done;
	if (n == 0) {
		rc = pf_err_set(err, PF_EDATA, path, 0, "a feature schema, but "
		    "no candidate file to check: the golden set names none "
		    "(<labels candidates>, <candidates file>, *.svm)");
		goto done;
	}
	rc = pf_features_check(out, sc, files, n, err);
done:
	for (size_t i = 0; i < n; i++) {
		free(paths[i]);
		free(qfiles[i]);
		if (files != NULL)
			pf_svm_free(files[i]);
	}
	free(paths);
	free(qfiles);
	free(files);
	pf_fschema_free(sc);
	free(path);
	return rc;
}
