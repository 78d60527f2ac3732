/*
 * harness/util/scan.h — cursor scanners for the TREC, TSV and SVMlight parsers.
 *
 * All scanners work on a [p, end) byte range (files are read in blocks, not
 * as NUL-terminated strings), never call atoi/atof/sscanf/strtok, and never
 * depend on the locale: '.' is the only decimal separator (STYLE.md C8).
 */
#ifndef PF_HARNESS_UTIL_SCAN_H
#define PF_HARNESS_UTIL_SCAN_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

/*
 * Takes the next line of [*p, end): *line is its start, the return value
 * its end (the '\n', or end for a last line without one); *p moves past
 * the newline. Callers loop while *p < end.
 */
static inline const char *
pf_take_line(const char **p, const char *end, const char **line)
{
	const char *nl = memchr(*p, '\n', (size_t)(end - *p));

	*line = *p;
	*p = nl ? nl + 1 : end;
	return nl ? nl : end;
}

/*
 * The next line of [*p, end) that holds something: blank lines and '#'
 * comment lines are skipped, a CR before the newline dropped; *lineno
 * counts every line taken (1-based). Returns the line's end with *line its
 * start, or NULL at end. For the small TSV files (names, schemas).
 */
static inline const char *
pf_take_content_line(const char **p, const char *end, const char **line,
    long *lineno)
{
	while (*p < end) {
		const char *le = pf_take_line(p, end, line);
		++*lineno;
		if (le > *line && le[-1] == '\r')
			le--;
		if (le > *line && (*line)[0] != '#')
			return le;
	}
	return NULL;
}

/* Field separators of whitespace-separated formats (TREC qrels and runs):
   ' ' \t \r \v \f, by table (one load per byte on the hot path). */
extern const unsigned char pf_ws_tab[256];

static inline int
pf_is_ws(char c)
{
	return pf_ws_tab[(unsigned char)c];
}

/*
 * Splits the line [p, end) into whitespace-separated fields. Stores up to
 * maxf (start, length) pairs and returns the total number of fields, which
 * may exceed maxf (the extra ones are counted, not stored).
 */
static inline int
pf_split_ws(const char *p, const char *end, const char **fs, size_t *fl,
    int maxf)
{
	int n = 0;

	for (;;) {
		while (p < end && pf_is_ws(*p))
			p++;
		if (p >= end)
			return n;
		const char *s = p;
		while (p < end && !pf_is_ws(*p))
			p++;
		if (n < maxf) {
			fs[n] = s;
			fl[n] = (size_t)(p - s);
		}
		n++;
	}
}

/*
 * Parses the whole of [s, s + len) as a decimal floating-point number with
 * strtod's semantics (correctly rounded, as glibc's strtod and trec_eval's
 * atof give). Common short decimals take an exact fast path (Clinger: at
 * most 19 significant digits, mantissa <= 2^53, |exponent| <= 22); other
 * decimal spellings and the words "inf", "infinity" and "nan" go through
 * strtod. Hexadecimal floats ("0x1.5p4") and "nan(...)" are refused.
 * Returns 0 on success, -1 when the field is not a number or overflows
 * (ERANGE towards infinity). The value may be infinite or NaN only when
 * spelled so; callers decide whether to accept that.
 */
static inline int	pf_parse_double(const char *s, size_t len,
			    double *out);

/* The strtod path of pf_parse_double (any spelling). */
int	pf_parse_double_slow(const char *s, size_t len, double *out);
extern const double pf_pow10_exact[23];

static inline int
pf_parse_double(const char *s, size_t len, double *out)
{
	const char *p = s, *end = s + len;
	uint64_t m = 0;
	int neg = 0, ndig = 0, frac = 0, any = 0;
	long e = 0;

	if (p < end && (*p == '-' || *p == '+')) {
		neg = *p == '-';
		p++;
	}
	while (p < end && *p >= '0' && *p <= '9') {
		if (ndig < 19) {
			m = m * 10 + (uint64_t)(*p - '0');
			if (m != 0)
				ndig++;
		} else
			return pf_parse_double_slow(s, len, out);
		any = 1;
		p++;
	}
	if (p < end && *p == '.') {
		p++;
		while (p < end && *p >= '0' && *p <= '9') {
			if (ndig < 19) {
				m = m * 10 + (uint64_t)(*p - '0');
				if (m != 0)
					ndig++;
				frac++;
			} else
				return pf_parse_double_slow(s, len, out);
			any = 1;
			p++;
		}
	}
	if (!any || p != end)	/* exponents, inf, nan, hex, junk */
		return pf_parse_double_slow(s, len, out);
	e -= frac;
	if (m > ((uint64_t)1 << 53) || e < -22)
		return pf_parse_double_slow(s, len, out);
	double v = (double)m;
	v = e < 0 ? v / pf_pow10_exact[-e] : v;
	*out = neg ? -v : v;
	return 0;
}

/*
 * Parses the whole of [s, s + len) as a decimal integer in [min, max].
 * Returns 0 on success, -1 when it is not an integer (including "1.7",
 * "abc", "", "1e3") or out of range.
 */
int	pf_parse_long(const char *s, size_t len, long min, long max, long *out);

#endif /* PF_HARNESS_UTIL_SCAN_H */
