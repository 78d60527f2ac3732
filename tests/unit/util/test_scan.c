/*
 * test_scan.c — number scanners: the exact fast path must agree with strtod
 * bit for bit, and malformed numbers must be refused.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "harness/util/scan.h"

static double
parse(const char *s)
{
	double v = -12345;
	cr_assert_eq(pf_parse_double(s, strlen(s), &v), 0, "'%s' refused", s);
	return v;
}

static int
refused(const char *s)
{
	double v;
	return pf_parse_double(s, strlen(s), &v) != 0;
}

Test(scan, double_fast_path_matches_strtod_bit_for_bit)
{
	const char *cases[] = {"0", "-0", "1", "12.345678", "  2.129133" + 2,
	    "0.1", "0.30000000000000004", "9007199254740993", "1e22", "1e23",
	    "1.7976931348623157e308", "4.9e-324", "123456789012345678",
	    "1234567890123456789012", "-0.5e-3", ".5", "5.", "+3.25",
	    "0.000000000000000000000001", "2.2250738585072014e-308"};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		double want = strtod(cases[i], NULL), got = parse(cases[i]);
		cr_assert(memcmp(&want, &got, sizeof(got)) == 0,
		    "'%s': got %a want %a", cases[i], got, want);
	}
}

Test(scan, double_random_decimals_match_strtod)
{
	char buf[64];
	unsigned long x = 88172645463325252UL;
	for (int i = 0; i < 200000; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		int digits = (int)(x % 12), frac = (int)((x >> 8) % 9);
		snprintf(buf, sizeof(buf), "%s%.*f", (x >> 20) & 1 ? "-" : "",
		    frac, (double)(x >> 24) / pow(10, digits));
		double want = strtod(buf, NULL), got = parse(buf);
		cr_assert(memcmp(&want, &got, sizeof(got)) == 0, "'%s'", buf);
	}
}

Test(scan, double_refuses_garbage_and_overflow)
{
	cr_assert(refused(""));
	cr_assert(refused("abc"));
	cr_assert(refused("1.2.3"));
	cr_assert(refused("1e"));
	cr_assert(refused("1e400"));
	cr_assert(refused("-"));
	cr_assert(refused("12abc"));
	cr_assert(refused(" 1"));
}

Test(scan, double_spelled_specials_parse_for_the_caller_to_judge)
{
	cr_assert(isnan(parse("nan")));
	cr_assert(isinf(parse("inf")));
	cr_assert(isinf(parse("-Infinity")));
}

Test(scan, long_accepts_integers_only)
{
	long v;
	cr_assert_eq(pf_parse_long("42", 2, 0, 100, &v), 0);
	cr_assert_eq(v, 42);
	cr_assert_eq(pf_parse_long("-1", 2, -5, 5, &v), 0);
	cr_assert_eq(v, -1);
	cr_assert_neq(pf_parse_long("1.7", 3, -5, 5, &v), 0);
	cr_assert_neq(pf_parse_long("abc", 3, -5, 5, &v), 0);
	cr_assert_neq(pf_parse_long("", 0, -5, 5, &v), 0);
	cr_assert_neq(pf_parse_long("6", 1, -5, 5, &v), 0);
	cr_assert_neq(pf_parse_long("99999999999999999999", 20, 0, 5, &v), 0);
}

Test(scan, split_counts_fields_beyond_the_stored_ones)
{
	const char *s = "301\tQ0  doc 1 2.5 tag more junk\r";
	const char *fs[6];
	size_t fl[6];
	cr_assert_eq(pf_split_ws(s, s + strlen(s), fs, fl, 6), 8);
	cr_assert_eq(fl[0], 3);
	cr_assert(strncmp(fs[2], "doc", fl[2]) == 0);
	cr_assert_eq(fl[5], 3);
}

Test(scan, hexadecimal_floats_and_nan_payloads_are_not_numbers)
{
	static const char *const bad[] = {"0x1.5p4", "0X10", "-0x1p-3",
	    "nan(1)", "nan(0x7)", "1e", "--1", "1.2.3", ""};
	double v;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		cr_assert_eq(pf_parse_double(bad[i], strlen(bad[i]), &v), -1,
		    "'%s' parsed as %g", bad[i], v);
	/* decimals and the words stay numbers (callers refuse non-finite) */
	cr_assert_eq(pf_parse_double("21.0", 4, &v), 0);
	cr_assert_eq(v, 21.0);
	cr_assert_eq(pf_parse_double("2.1e1", 5, &v), 0);
	cr_assert_eq(v, 21.0);
	cr_assert_eq(pf_parse_double("inf", 3, &v), 0);
	cr_assert(isinf(v));
	cr_assert_eq(pf_parse_double("nan", 3, &v), 0);
	cr_assert(isnan(v));
}
