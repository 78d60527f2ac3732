/*
 * harness/model/lgb_text.c — LightGBM's text model (Tree::ToString, v3/v4):
 * header key=value lines, Tree=<i> blocks of space-separated arrays, up to
 * "end of trees" (../shared/MODELS.md 2.4). Errors carry path:line.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness/model/internal.h"

typedef struct vec {
	void	*p;
	size_t	 n, cap, size;
} vec;

static void *
vec_push(vec *v, size_t k)
{
	if (v->n + k > v->cap) {
		size_t cap = v->cap ? v->cap : 256;
		while (cap < v->n + k)
			cap *= 2;
		void *p = realloc(v->p, cap * v->size);
		if (p == NULL)
			return NULL;
		v->p = p;
		v->cap = cap;
	}
	void *at = (char *)v->p + v->n * v->size;
	v->n += k;
	return at;
}

/* Parses exactly n numbers from s (space separated); doubles or longs. */
static int
parse_list(const char *s, size_t n, double *d, long *l)
{
	char *end;

	for (size_t i = 0; i < n; i++) {
		while (*s == ' ')
			s++;
		errno = 0;
		if (d != NULL)
			d[i] = strtod(s, &end);
		else
			l[i] = strtol(s, &end, 10);
		if (end == s || errno == ERANGE)
			return -1;
		s = end;
	}
	while (*s == ' ' || *s == '\r')
		s++;
	return *s == '\0' ? 0 : -1;
}

typedef struct tree_in {
	long	 num_leaves, num_cat, is_linear;
	char	*split_feature, *threshold, *decision_type, *left_child,
		*right_child, *leaf_value, *cat_boundaries, *cat_threshold;
	long	 line;
} tree_in;


int
pf_gbdt__load_lgb(pf_gbdt *m, const char *path, char *text, size_t len,
    pf_err *err)
{
	vec ioff = {0, 0, 0, sizeof(size_t)}, loff = {0, 0, 0, sizeof(size_t)},
	    lch = {0, 0, 0, sizeof(int32_t)}, rch = {0, 0, 0, sizeof(int32_t)},
	    sf = {0, 0, 0, sizeof(int32_t)}, thr = {0, 0, 0, sizeof(double)},
	    dt = {0, 0, 0, sizeof(int8_t)}, lv = {0, 0, 0, sizeof(double)},
	    cb = {0, 0, 0, sizeof(int32_t)}, ct = {0, 0, 0, sizeof(uint32_t)},
	    cbo = {0, 0, 0, sizeof(size_t)}, cto = {0, 0, 0, sizeof(size_t)};
	char *p = text, *end = text + len;
	long line = 0, maxf = -1, ntpi = 1, ncls = 1;
	tree_in t = {0};
	int in_tree = 0, done = 0, rc = PF_OK;
	double *dbuf = NULL;
	long *lbuf = NULL;

	m->kind = PF_GBDT_LIGHTGBM;
	while (p < end && !done) {
		char *nl = memchr(p, '\n', (size_t)(end - p));
		char *le = nl ? nl : end;
		*le = '\0';
		line++;
		char *s = p;
		p = nl ? nl + 1 : end;
		if (le > s && le[-1] == '\r')
			le[-1] = '\0';
		int last = strcmp(s, "end of trees") == 0;
		if ((strncmp(s, "Tree=", 5) == 0 || last) && in_tree) {
			/* finish the tree read so far */
			long nl_ = t.num_leaves, ni = nl_ - 1;
			if (nl_ < 1 || nl_ > 1 << 24) {
				rc = pf_err_set(err, PF_EFORMAT, path, t.line,
				    "num_leaves missing or out of range");
				goto out;
			}
			if (t.is_linear) {
				rc = pf_err_set(err, PF_EFORMAT, path, t.line,
				    "linear trees are not supported");
				goto out;
			}
			size_t nmax = (size_t)(nl_ > 1 ? nl_ : 1) + 64;
			double *nd = realloc(dbuf, nmax * sizeof(*dbuf));
			long *nlb = nd ? realloc(lbuf, nmax * sizeof(*lbuf)) :
			    NULL;
			if (nd != NULL)
				dbuf = nd;
			if (nlb == NULL)
				goto nomem;
			lbuf = nlb;
			size_t *io = vec_push(&ioff, 1), *lo = vec_push(&loff, 1);
			size_t *co = vec_push(&cbo, 1), *to = vec_push(&cto, 1);
			if (!io || !lo || !co || !to)
				goto nomem;
			*io = lch.n;
			*lo = lv.n;
			*co = cb.n;
			*to = ct.n;
			if (t.leaf_value == NULL || parse_list(t.leaf_value,
			    (size_t)nl_, dbuf, NULL) != 0)
				goto bad_tree;
			double *lvp = vec_push(&lv, (size_t)nl_);
			if (lvp == NULL)
				goto nomem;
			memcpy(lvp, dbuf, (size_t)nl_ * sizeof(double));
			if (ni > 0) {
				if (!t.split_feature || !t.threshold ||
				    !t.decision_type || !t.left_child ||
				    !t.right_child)
					goto bad_tree;
				int32_t *a = vec_push(&sf, (size_t)ni),
				    *b = vec_push(&lch, (size_t)ni),
				    *c = vec_push(&rch, (size_t)ni);
				double *th = vec_push(&thr, (size_t)ni);
				int8_t *d = vec_push(&dt, (size_t)ni);
				if (!a || !b || !c || !th || !d)
					goto nomem;
				if (parse_list(t.threshold, (size_t)ni, th,
				    NULL) != 0)
					goto bad_tree;
				struct {
					char *s;
					int32_t *dst;
					long lo, hi;
				} f[] = {{t.split_feature, a, 0, 1L << 30},
				    {t.left_child, b, -nl_, ni - 1},
				    {t.right_child, c, -nl_, ni - 1}};
				for (int k = 0; k < 3; k++) {
					if (parse_list(f[k].s, (size_t)ni, NULL,
					    lbuf) != 0)
						goto bad_tree;
					for (long i = 0; i < ni; i++) {
						if (lbuf[i] < f[k].lo ||
						    lbuf[i] > f[k].hi)
							goto bad_tree;
						f[k].dst[i] = (int32_t)lbuf[i];
					}
				}
				for (long i = 0; i < ni; i++)
					if (a[i] > maxf)
						maxf = a[i];
				if (parse_list(t.decision_type, (size_t)ni,
				    NULL, lbuf) != 0)
					goto bad_tree;
				for (long i = 0; i < ni; i++)
					d[i] = (int8_t)lbuf[i];
				if (t.num_cat > 0) {
					size_t nb = (size_t)t.num_cat + 1;
					if (!t.cat_boundaries ||
					    parse_list(t.cat_boundaries, nb,
					    NULL, lbuf) != 0)
						goto bad_tree;
					int32_t *cbp = vec_push(&cb, nb);
					if (cbp == NULL)
						goto nomem;
					for (size_t i = 0; i < nb; i++)
						cbp[i] = (int32_t)lbuf[i];
					size_t nw = (size_t)lbuf[nb - 1];
					long *wb = malloc((nw + 1) *
					    sizeof(*wb));
					uint32_t *ctp = vec_push(&ct, nw);
					if (wb == NULL || ctp == NULL) {
						free(wb);
						goto nomem;
					}
					if (!t.cat_threshold || parse_list(
					    t.cat_threshold, nw, NULL, wb)) {
						free(wb);
						goto bad_tree;
					}
					for (size_t i = 0; i < nw; i++)
						ctp[i] = (uint32_t)wb[i];
					free(wb);
				}
			}
			m->ntrees++;
			memset(&t, 0, sizeof(t));
			in_tree = 0;
		}
		if (last) {
			done = 1;
			break;
		}
		if (strncmp(s, "Tree=", 5) == 0) {
			in_tree = 1;
			t.line = line;
			continue;
		}
		char *eq = strchr(s, '=');
		if (eq == NULL)
			continue;
		*eq = '\0';
		char *v = eq + 1;
		if (!in_tree) {
			if (strcmp(s, "max_feature_idx") == 0)
				m->nfeat = (size_t)strtol(v, NULL, 10) + 1;
			else if (strcmp(s, "objective") == 0)
				snprintf(m->objective, sizeof(m->objective),
				    "%s", v);
			else if (strcmp(s, "num_tree_per_iteration") == 0)
				ntpi = strtol(v, NULL, 10);
			else if (strcmp(s, "num_class") == 0)
				ncls = strtol(v, NULL, 10);
			continue;
		}
		if (strcmp(s, "num_leaves") == 0)
			t.num_leaves = strtol(v, NULL, 10);
		else if (strcmp(s, "num_cat") == 0)
			t.num_cat = strtol(v, NULL, 10);
		else if (strcmp(s, "is_linear") == 0)
			t.is_linear = strtol(v, NULL, 10);
		else if (strcmp(s, "split_feature") == 0)
			t.split_feature = v;
		else if (strcmp(s, "threshold") == 0)
			t.threshold = v;
		else if (strcmp(s, "decision_type") == 0)
			t.decision_type = v;
		else if (strcmp(s, "left_child") == 0)
			t.left_child = v;
		else if (strcmp(s, "right_child") == 0)
			t.right_child = v;
		else if (strcmp(s, "leaf_value") == 0)
			t.leaf_value = v;
		else if (strcmp(s, "cat_boundaries") == 0)
			t.cat_boundaries = v;
		else if (strcmp(s, "cat_threshold") == 0)
			t.cat_threshold = v;
	}
	if (!done) {
		rc = pf_err_set(err, PF_EFORMAT, path, line, "truncated model: "
		    "no 'end of trees' line");
		goto out;
	}
	if (ntpi != 1 || ncls > 1) {
		rc = pf_err_set(err, PF_EFORMAT, path, 0, "multi-class models "
		    "are not supported");
		goto out;
	}
	if ((size_t)(maxf + 1) > m->nfeat)
		m->nfeat = (size_t)(maxf + 1);
	size_t *io = vec_push(&ioff, 1), *lo = vec_push(&loff, 1),
	    *co = vec_push(&cbo, 1), *to = vec_push(&cto, 1);
	if (!io || !lo || !co || !to)
		goto nomem;
	*io = lch.n;
	*lo = lv.n;
	*co = cb.n;
	*to = ct.n;
	m->ioff = ioff.p;
	m->loff = loff.p;
	m->lchild = lch.p;
	m->rchild = rch.p;
	m->sfeat = sf.p;
	m->thr = thr.p;
	m->dtype = dt.p;
	m->leafv = lv.p;
	m->catb = cb.p;
	m->catt = ct.p;
	m->cboff = cbo.p;
	m->ctoff = cto.p;
	free(dbuf);
	free(lbuf);
	return PF_OK;
bad_tree:
	rc = pf_err_set(err, PF_EFORMAT, path, t.line, "tree %zu: arrays "
	    "missing or not num_leaves long (split_feature, threshold, "
	    "decision_type, left_child, right_child, leaf_value)", m->ntrees);
	goto out;
nomem:
	rc = pf_err_set(err, PF_ENOMEM, path, 0, "out of memory");
out:
	free(ioff.p);
	free(loff.p);
	free(lch.p);
	free(rch.p);
	free(sf.p);
	free(thr.p);
	free(dt.p);
	free(lv.p);
	free(cb.p);
	free(ct.p);
	free(cbo.p);
	free(cto.p);
	free(dbuf);
	free(lbuf);
	return rc;
}
