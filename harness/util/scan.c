/*
 * scan.c — number parsing for the loaders. See scan.h for the contract.
 *
 * pf_parse_double is on the hot path of `preflight eval` (one call per run
 * line, 10M lines in the benchmark), so the common case — a short decimal
 * such as "12.3456" or "-0.5e-3" — is converted exactly without strtod. The
 * fast path is exact because the integer mantissa m <= 2^53 is representable
 * and 10^e for e <= 22 is exact in binary64, so m * 10^e or m / 10^e is one
 * correctly rounded IEEE operation (Clinger 1990).
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "harness/util/scan.h"

const double pf_pow10_exact[23] = {
	1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
	1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
};

const unsigned char pf_ws_tab[256] = {
	[' '] = 1, ['\t'] = 1, ['\r'] = 1, ['\v'] = 1, ['\f'] = 1,
};

static int
parse_double_slow(const char *s, size_t len, double *out)
{
	char buf[128];
	char *endp;
	double v;

	if (len == 0 || len >= sizeof(buf))
		return -1;
	memcpy(buf, s, len);
	buf[len] = '\0';
	/* strtod skips leading white space; a field never has any. It also
	   reads hexadecimal floats and nan(...): decimal numbers only here,
	   and the words inf, infinity and nan (callers refuse them where a
	   finite number is expected). */
	if (buf[0] == ' ' || buf[0] == '\t' || strpbrk(buf, "xX(") != NULL)
		return -1;
	errno = 0;
	v = strtod(buf, &endp);
	if (endp != buf + len)
		return -1;
	if (errno == ERANGE && isinf(v))
		return -1;
	*out = v;
	return 0;
}

/* Exponents included; strtod for the rest. */
int
pf_parse_double_slow(const char *s, size_t len, double *out)
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
			return parse_double_slow(s, len, out);
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
				return parse_double_slow(s, len, out);
			any = 1;
			p++;
		}
	}
	if (!any)
		return parse_double_slow(s, len, out);
	if (p < end && (*p == 'e' || *p == 'E')) {
		int eneg = 0, edig = 0;

		p++;
		if (p < end && (*p == '-' || *p == '+')) {
			eneg = *p == '-';
			p++;
		}
		while (p < end && *p >= '0' && *p <= '9') {
			if (e < 100000)
				e = e * 10 + (*p - '0');
			edig++;
			p++;
		}
		if (edig == 0)
			return -1;
		if (eneg)
			e = -e;
	}
	if (p != end)
		return parse_double_slow(s, len, out);
	e -= frac;
	if (m > ((uint64_t)1 << 53) || e < -22 || e > 22)
		return parse_double_slow(s, len, out);
	double v = (double)m;
	v = e < 0 ? v / pf_pow10_exact[-e] : v * pf_pow10_exact[e];
	*out = neg ? -v : v;
	return 0;
}

int
pf_parse_long(const char *s, size_t len, long min, long max, long *out)
{
	const char *p = s, *end = s + len;
	int neg = 0;
	long v = 0;

	if (p < end && (*p == '-' || *p == '+')) {
		neg = *p == '-';
		p++;
	}
	if (p == end)
		return -1;
	for (; p < end; p++) {
		if (*p < '0' || *p > '9')
			return -1;
		if (__builtin_mul_overflow(v, 10, &v) ||
		    __builtin_add_overflow(v, neg ? -(*p - '0') : (*p - '0'), &v))
			return -1;
	}
	if (v < min || v > max)
		return -1;
	*out = v;
	return 0;
}
