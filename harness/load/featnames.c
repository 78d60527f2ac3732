/*
 * harness/load/featnames.c — the feature names file (featnames.h): read
 * whole (a few thousand lines at most), parsed a line at a time, checked
 * for repeated ids and names with one string table each, so a file with
 * hashed-feature ids stays O(n).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness/load/featnames.h"
#include "harness/util/fileio.h"
#include "harness/util/scan.h"
#include "harness/util/strtab.h"

typedef struct nm_ctx {
	const char	*path;
	pf_fnames	*t;
	pf_strtab	*ids, *names;	/* what has been seen, for repeats */
	long		*idline, *nameline;	/* their first lines */
	size_t		 idcap, namecap;
} nm_ctx;

static int
is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

/* One line [s, e) (CR dropped): PF_OK, or PF_EFORMAT / PF_ENOMEM. */
static int
parse_line(nm_ctx *c, const char *s, const char *e, long line, pf_err *err)
{
	const char *f[4];
	size_t fl[4], n = 0;
	long id;

	for (const char *p = s;; p++) {
		if (p == e || *p == '\t') {
			if (n < 4) {
				f[n] = s;
				fl[n] = (size_t)(p - s);
			}
			n++;
			s = p + 1;
			if (p == e)
				break;
		}
	}
	if (n < 2 || n > 3)
		return pf_err_set(err, PF_EFORMAT, c->path, line, "expected "
		    "'id<TAB>name' or 'id<TAB>name<TAB>query' (%zu tab-separated "
		    "field%s)", n, n == 1 ? "" : "s");
	if (pf_parse_long(f[0], fl[0], 0, INT32_MAX, &id) != 0)
		return pf_err_set(err, PF_EFORMAT, c->path, line, "expected a "
		    "feature id (an integer 0..2147483647, the candidate file's "
		    "id) in column 1, got '%.*s'", (int)(fl[0] > 40 ? 40 :
		    fl[0]), f[0]);
	if (fl[1] == 0 || is_space(f[1][0]) || is_space(f[1][fl[1] - 1]))
		return pf_err_set(err, PF_EFORMAT, c->path, line, "expected a "
		    "name in column 2 (not empty, no leading or trailing "
		    "space) for feature %ld", id);
	if (n == 3 && !(fl[2] == 5 && memcmp(f[2], "query", 5) == 0))
		return pf_err_set(err, PF_EFORMAT, c->path, line, "expected "
		    "'query' (a query-level feature) or nothing in column 3, "
		    "got '%.*s'", (int)(fl[2] > 40 ? 40 : fl[2]), f[2]);
	char key[24];	/* "012" and "12" are one id */
	int kl = snprintf(key, sizeof(key), "%ld", id);
	long at = pf_strtab_seen(c->ids, &c->idline, &c->idcap, key,
	    (size_t)kl, line);
	if (at > 0)
		return pf_err_set(err, PF_EFORMAT, c->path, line, "feature %ld "
		    "named twice (first at line %ld): expected one line an "
		    "id", id, at);
	if (at == 0 && (at = pf_strtab_seen(c->names, &c->nameline,
	    &c->namecap, f[1], fl[1], line)) > 0)
		return pf_err_set(err, PF_EFORMAT, c->path, line, "name '%.*s' "
		    "given twice (first at line %ld, feature %ld here): "
		    "expected a different name for each feature", (int)fl[1],
		    f[1], at, id);
	if (at < 0 || pf_fnames_add(c->t, id, f[1], fl[1], n == 3, line) != 0)
		return pf_err_set(err, PF_ENOMEM, c->path, line,
		    "out of memory");
	return PF_OK;
}

int
pf_featnames_load(pf_fnames **out, const char *path, pf_err *err)
{
	nm_ctx c = {.path = path};
	char *buf = NULL;
	size_t len;
	long line = 0;
	int rc;

	*out = NULL;
	if ((rc = pf_read_text(&buf, &len, path, err)) != PF_OK)
		return rc;
	if ((c.t = pf_fnames_new(path)) == NULL ||
	    (c.ids = pf_strtab_new()) == NULL ||
	    (c.names = pf_strtab_new()) == NULL) {
		rc = pf_err_set(err, PF_ENOMEM, path, 0, "out of memory");
		goto done;
	}
	const char *p = buf, *end = buf + len, *ln, *le;
	while ((le = pf_take_content_line(&p, end, &ln, &line)) != NULL) {
		if ((rc = parse_line(&c, ln, le, line, err)) != PF_OK)
			goto done;
	}
	if (c.t->n == 0) {
		rc = pf_err_set(err, PF_EFORMAT, path, line > 0 ? line : 1,
		    "no names: expected 'id<TAB>name' lines");
		goto done;
	}
	if (pf_fnames_sort(c.t) != 0) {
		rc = pf_err_set(err, PF_ENOMEM, path, 0, "out of memory");
		goto done;
	}
	*out = c.t;
	c.t = NULL;
	rc = PF_OK;
done:
	pf_fnames_free(c.t);
	pf_strtab_free(c.ids);
	pf_strtab_free(c.names);
	free(c.idline);
	free(c.nameline);
	free(buf);
	return rc;
}
