/*
 * harness/load/npy.c — see npy.h. The header is the Python dict literal numpy
 * writes, e.g. {'descr': '<f4', 'fortran_order': False, 'shape': (3, 4), };
 * the three keys are found by name, in any order.
 */
#include <ctype.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness/util/fileio.h"
#include "harness/util/grow.h"
#include "harness/load/npy.h"

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "npy.c reads '<f4' data in place: little-endian hosts only"
#endif

#define MAGIC		"\x93NUMPY"
#define MAGIC_LEN	6
#define MAX_HEADER	(1u << 20)	/* numpy itself refuses > 10 kB */

void
pf_npy_free(pf_npy *a)
{
	if (a == NULL)
		return;
	free(a->data);
	free(a);
}

/* Value of 'key' in the header dict: a pointer just past "'key':" and
   its spaces, or NULL. */
static const char *
dict_value(const char *h, const char *key)
{
	char pat[32];
	const char *p;

	snprintf(pat, sizeof(pat), "'%s'", key);
	if ((p = strstr(h, pat)) == NULL) {
		snprintf(pat, sizeof(pat), "\"%s\"", key);
		if ((p = strstr(h, pat)) == NULL)
			return NULL;
	}
	p += strlen(pat);
	while (*p == ' ')
		p++;
	if (*p++ != ':')
		return NULL;
	while (*p == ' ')
		p++;
	return p;
}

/* Parses the header dict into shape/ndim; a message into msg when not. */
static int
parse_header(const char *h, size_t shape[2], int *ndim, char *msg,
    size_t msgsz)
{
	const char *v;
	char q;

	while (*h == ' ')
		h++;
	if (*h != '{' || strchr(h, '}') == NULL) {
		snprintf(msg, msgsz, "header is not a dict literal");
		return -1;
	}
	if ((v = dict_value(h, "descr")) == NULL || (*v != '\'' &&
	    *v != '"')) {
		snprintf(msg, msgsz, "header has no 'descr'");
		return -1;
	}
	q = *v++;
	size_t n = strcspn(v, "'\"");
	if (v[n] != q) {
		snprintf(msg, msgsz, "header has a bad 'descr'");
		return -1;
	}
	if (n != 3 || memcmp(v, "<f4", 3) != 0) {
		snprintf(msg, msgsz, "dtype '%.*s': expected '<f4' (float32, "
		    "little-endian)", n > 32 ? 32 : (int)n, v);
		return -1;
	}
	if ((v = dict_value(h, "fortran_order")) == NULL) {
		snprintf(msg, msgsz, "header has no 'fortran_order'");
		return -1;
	}
	if (strncmp(v, "True", 4) == 0) {
		snprintf(msg, msgsz, "Fortran order: expected C order "
		    "(numpy.ascontiguousarray)");
		return -1;
	}
	if (strncmp(v, "False", 5) != 0) {
		snprintf(msg, msgsz, "header has a bad 'fortran_order'");
		return -1;
	}
	if ((v = dict_value(h, "shape")) == NULL || *v++ != '(') {
		snprintf(msg, msgsz, "header has no 'shape' tuple");
		return -1;
	}
	*ndim = 0;
	for (;;) {
		while (*v == ' ')
			v++;
		if (*v == ')')
			break;
		if (!isdigit((unsigned char)*v) || *ndim == 3) {
			snprintf(msg, msgsz, "bad 'shape' in header");
			return -1;
		}
		errno = 0;
		char *e;
		unsigned long long x = strtoull(v, &e, 10);
		if (errno != 0 || x > SIZE_MAX / 8) {
			snprintf(msg, msgsz, "'shape' too large");
			return -1;
		}
		if (*ndim < 2)
			shape[*ndim] = (size_t)x;
		(*ndim)++;
		v = e;
		while (*v == ' ')
			v++;
		if (*v == ',')
			v++;
		else if (*v != ')') {
			snprintf(msg, msgsz, "bad 'shape' in header");
			return -1;
		}
	}
	if (*ndim < 1 || *ndim > 2) {
		snprintf(msg, msgsz, "%d-D array: expected 1-D or 2-D", *ndim);
		return -1;
	}
	if (*ndim == 1)
		shape[1] = 1;
	return 0;
}

int
pf_npy_read(pf_npy **out, const char *path, pf_err *err)
{
	unsigned char pre[12];
	char *h = NULL, msg[160];
	size_t hlen, pre_len, shape[2], n, bytes, got;
	int ndim, rc;
	pf_npy *a = NULL;
	pf_reader *f;

	*out = NULL;
	if ((rc = pf_reader_open(&f, path, err)) != PF_OK)
		return rc;
	if ((rc = pf_reader_read(f, pre, 10, &got, err)) != PF_OK)
		goto done;
	if (got != 10 || memcmp(pre, MAGIC, MAGIC_LEN) != 0) {
		rc = pf_err_set(err, PF_EFORMAT, path, 0, "not a .npy file "
		    "(no \\x93NUMPY magic)");
		goto done;
	}
	if (pre[6] == 1) {
		hlen = (size_t)pre[8] | (size_t)pre[9] << 8;
		pre_len = 10;
	} else if (pre[6] == 2 || pre[6] == 3) {
		if ((rc = pf_reader_read(f, pre + 10, 2, &got, err)) != PF_OK)
			goto done;
		if (got != 2) {
			rc = pf_err_set(err, PF_EFORMAT, path, 0, "truncated "
			    ".npy header");
			goto done;
		}
		hlen = (size_t)pre[8] | (size_t)pre[9] << 8 |
		    (size_t)pre[10] << 16 | (size_t)pre[11] << 24;
		pre_len = 12;
	} else {
		rc = pf_err_set(err, PF_EFORMAT, path, 0, ".npy format version "
		    "%d.%d: expected 1, 2 or 3", pre[6], pre[7]);
		goto done;
	}
	if (hlen > MAX_HEADER) {
		rc = pf_err_set(err, PF_EFORMAT, path, 0, ".npy header of %zu "
		    "bytes: too long", hlen);
		goto done;
	}
	if ((h = malloc(hlen + 1)) == NULL) {
		rc = pf_err_set(err, PF_ENOMEM, path, 0, "out of memory");
		goto done;
	}
	if ((rc = pf_reader_read(f, h, hlen, &got, err)) != PF_OK)
		goto done;
	if (got != hlen) {
		rc = pf_err_set(err, PF_EFORMAT, path, 0, "truncated .npy "
		    "header (%zu bytes announced)", hlen);
		goto done;
	}
	h[hlen] = '\0';
	if (memchr(h, '\0', hlen) != NULL ||
	    parse_header(h, shape, &ndim, msg, sizeof(msg)) != 0) {
		rc = pf_err_set(err, PF_EFORMAT, path, 0, "%s",
		    memchr(h, '\0', hlen) ? "NUL byte in .npy header" : msg);
		goto done;
	}
	if (pf_mul_size(shape[0], shape[1], &n) != PF_OK ||
	    pf_mul_size(n, sizeof(float), &bytes) != PF_OK) {
		rc = pf_err_set(err, PF_EFORMAT, path, 0, "shape too large");
		goto done;
	}
	/* a header promising more than a plain file holds is a truncated
	   file, found before any allocation (a gzip one: after reading) */
	long long size = pf_reader_plain_size(f);
	if (size >= 0 && (size_t)size - pre_len - hlen < bytes) {
		rc = pf_err_set(err, PF_EFORMAT, path, 0, "truncated: shape "
		    "(%zu, %zu) needs %zu data bytes after the %zu-byte "
		    "header, the file has %zu", shape[0], shape[1], bytes,
		    pre_len + hlen, (size_t)size - pre_len - hlen);
		goto done;
	}
	if ((a = calloc(1, sizeof(*a))) == NULL ||
	    (a->data = pf_malloc_big(bytes ? bytes : 1)) == NULL) {
		rc = pf_err_set(err, PF_ENOMEM, path, 0, "out of memory for "
		    "the %zu data bytes of shape (%zu, %zu)", bytes, shape[0],
		    shape[1]);
		goto done;
	}
	a->rows = shape[0];
	a->cols = shape[1];
	a->ndim = ndim;
	if ((rc = pf_reader_read(f, a->data, bytes, &got, err)) != PF_OK)
		goto done;
	if (got != bytes) {
		rc = pf_err_set(err, PF_EFORMAT, path, 0, "truncated: shape "
		    "(%zu, %zu) needs %zu data bytes after the %zu-byte "
		    "header, the file has %zu", shape[0], shape[1], bytes,
		    pre_len + hlen, got);
		goto done;
	}
	if ((rc = pf_reader_read(f, msg, 1, &got, err)) != PF_OK)
		goto done;
	if (got != 0) {
		rc = pf_err_set(err, PF_EFORMAT, path, 0, "bytes after the "
		    "%zu data bytes that shape (%zu, %zu) announces", bytes,
		    shape[0], shape[1]);
		goto done;
	}
	*out = a;
	a = NULL;
done:
	pf_reader_close(f);
	free(h);
	pf_npy_free(a);
	return rc;
}

int
pf_npy_write(const char *path, const float *x, size_t rows, size_t cols,
    int ndim, pf_err *err)
{
	char dict[128], pad[128];
	pf_atomic_file af = {0};
	size_t n;
	int rc;

	if (ndim == 1)
		snprintf(dict, sizeof(dict), "{'descr': '<f4', 'fortran_order'"
		    ": False, 'shape': (%zu,), }", rows);
	else
		snprintf(dict, sizeof(dict), "{'descr': '<f4', 'fortran_order'"
		    ": False, 'shape': (%zu, %zu), }", rows, cols);
	if (pf_mul_size(rows, cols, &n) != PF_OK)
		return pf_err_set(err, PF_ENOMEM, path, 0, "shape too large");
	/* header = dict, spaces, '\n'; magic + version + length + header is a
	   multiple of 64 */
	size_t dl = strlen(dict), pre = 10, total = pre + dl + 1;
	total = (total + 63) / 64 * 64;
	size_t hlen = total - pre;
	memset(pad, ' ', sizeof(pad));
	if ((rc = pf_atomic_open(&af, path, err)) != PF_OK)
		return rc;
	unsigned char v[10] = {0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0,
	    (unsigned char)(hlen & 0xff), (unsigned char)(hlen >> 8)};
	fwrite(v, 1, sizeof(v), af.f);
	fwrite(dict, 1, dl, af.f);
	fwrite(pad, 1, hlen - dl - 1, af.f);
	fputc('\n', af.f);
	fwrite(x, sizeof(float), n, af.f);
	if (ferror(af.f)) {
		pf_atomic_abort(&af);
		return pf_err_set(err, PF_EIO, path, 0, "write error");
	}
	return pf_atomic_commit(&af, err);
}

/* ---- ids files ------------------------------------------------------- */

void
pf_ids_free(pf_ids *ids)
{
	if (ids == NULL)
		return;
	free(ids->buf);
	free(ids->id);
	free(ids);
}

int
pf_ids_read(pf_ids **out, const char *path, pf_err *err)
{
	pf_ids *s;
	size_t len, cap = 0;
	int rc;

	*out = NULL;
	if ((s = calloc(1, sizeof(*s))) == NULL)
		return pf_err_set(err, PF_ENOMEM, path, 0, "out of memory");
	if ((rc = pf_read_text(&s->buf, &len, path, err)) != PF_OK)
		goto fail;
	char *p = s->buf, *end = s->buf + len;
	while (p < end) {
		char *nl = memchr(p, '\n', (size_t)(end - p));
		char *le = nl ? nl : end;
		long lineno = (long)s->n + 1;
		if (le > p && le[-1] == '\r')
			le--;
		if (le == p) {
			rc = pf_err_set(err, PF_EFORMAT, path, lineno,
			    "empty line: expected one id a line");
			goto fail;
		}
		for (char *c = p; c < le; c++)
			if (isspace((unsigned char)*c)) {
				rc = pf_err_set(err, PF_EFORMAT, path, lineno,
				    "whitespace inside an id: expected one id "
				    "a line");
				goto fail;
			}
		if (s->n == cap) {
			char **a = pf_grow(s->id, &cap, s->n + 1, sizeof(*a));
			if (a == NULL) {
				rc = pf_err_set(err, PF_ENOMEM, path, 0,
				    "out of memory");
				goto fail;
			}
			s->id = a;
		}
		*le = '\0';
		s->id[s->n++] = p;
		p = nl ? nl + 1 : end;
	}
	*out = s;
	return PF_OK;
fail:
	pf_ids_free(s);
	return rc;
}

int
pf_ids_write(const char *path, const char *const *id, size_t n, pf_err *err)
{
	pf_atomic_file af = {0};
	int rc;

	if ((rc = pf_atomic_open(&af, path, err)) != PF_OK)
		return rc;
	for (size_t i = 0; i < n; i++)
		fprintf(af.f, "%s\n", id[i]);
	if (ferror(af.f)) {
		pf_atomic_abort(&af);
		return pf_err_set(err, PF_EIO, path, 0, "write error");
	}
	return pf_atomic_commit(&af, err);
}
