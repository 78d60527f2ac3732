/*
 * test_analyze.c — the shared text analyzer (harness/text/analyzer.h): ASCII
 * tokens as the Cranfield reference tokenises, UTF-8 Latin letters
 * lowercased by the Unicode simple mapping (expected bytes written out by
 * hand), stopwords, and Snowball stems of words whose stems are documented
 * in the Snowball English/Porter vocabularies.
 */
#include <string.h>

#include <criterion/criterion.h>

#include "harness/text/analyzer.h"

/* All tokens of s joined by '|'. */
static void
tokens(pf_analyzer *a, const char *s, char *out, size_t outsz)
{
	const char *p = s, *end = s + strlen(s);
	char tok[PF_TOKEN_MAX + 1];
	size_t n;

	out[0] = '\0';
	while ((n = a ? pf_analyze_next(a, &p, end, tok) :
	    pf_next_token(&p, end, tok)) > 0) {
		cr_assert_eq(strlen(tok), n);
		if (out[0] != '\0')
			strncat(out, "|", outsz - strlen(out) - 1);
		strncat(out, tok, outsz - strlen(out) - 1);
	}
}

static void
check(pf_analyzer *a, const char *in, const char *want)
{
	char got[1024];

	tokens(a, in, got, sizeof(got));
	cr_assert_str_eq(got, want, "'%s'", in);
}

Test(analyze, ascii_tokens_are_lowercase_letter_digit_runs)
{
	check(NULL, "The Boundary-Layer, at M=2.5 (x10)!",
	    "the|boundary|layer|at|m|2|5|x10");
	check(NULL, "  ", "");
	check(NULL, "", "");
	check(NULL, "it's_OK", "it|s|ok");
}

Test(analyze, utf8_latin_letters_are_lowercased_and_kept)
{
	/* É (C3 89) -> é (C3 A9); Å (C3 85) -> å (C3 A5); ß stays */
	check(NULL, "CAF\xC3\x89 \xC3\x85ngstr\xC3\xB6m Stra\xC3\x9F" "e",
	    "caf\xC3\xA9|\xC3\xA5ngstr\xC3\xB6m|stra\xC3\x9F" "e");
	/* Latin Extended-A: Ł (C5 81) -> ł (C5 82), Ž (C5 BD) -> ž (C5 BE),
	   Ā (C4 80) -> ā (C4 81), Ÿ (C5 B8) -> ÿ (C3 BF), İ (C4 B0) -> i */
	check(NULL, "\xC5\x81\xC3\xB3" "d\xC5\xBA \xC5\xBD" "ena \xC4\x80 "
	    "\xC5\xB8 \xC4\xB0stanbul",
	    "\xC5\x82\xC3\xB3" "d\xC5\xBA|\xC5\xBE" "ena|\xC4\x81|\xC3\xBF|"
	    "istanbul");
	/* × (C3 97), ÷ (C3 B7), ’ (E2 80 99), « (C2 AB), an em dash, Greek
	   α (CE B1) and invalid bytes separate tokens */
	check(NULL, "2\xC3\x97" "3\xC3\xB7" "4 don\xE2\x80\x99t \xC2\xAB" "a"
	    "\xE2\x80\x94" "b\xCE\xB1" "c\xFF" "d\xC3", "2|3|4|don|t|a|b|c|d");
}

Test(analyze, long_tokens_are_cut_at_a_character_boundary)
{
	char in[200], want[PF_TOKEN_MAX + 1];
	size_t n = 0;

	/* 63 ASCII letters then É: 65 bytes lowercased, the é does not fit */
	memset(in, 'A', 63);
	memcpy(in + 63, "\xC3\x89Z x", 6);
	memset(want, 'a', 63);
	want[63] = '\0';
	const char *p = in, *end = in + strlen(in);
	char tok[PF_TOKEN_MAX + 1];
	n = pf_next_token(&p, end, tok);
	cr_assert_eq(n, 63);
	cr_assert_str_eq(tok, want);
	n = pf_next_token(&p, end, tok);
	cr_assert_str_eq(tok, "x");
}

Test(analyze, stopwords_then_stems)
{
	pf_analyzer *a;
	pf_err err = {0};

	cr_assert_eq(pf_analyzer_new(&a, 1, "english", &err), PF_OK);
	check(a, "The running of connections IS connected to generously "
	    "flying ponies", "run|connect|connect|generous|fli|poni");
	pf_analyzer_free(a);
	cr_assert_eq(pf_analyzer_new(&a, 0, "porter", &err), PF_OK);
	check(a, "Relational caresses, hopefulness", "relat|caress|hope");
	pf_analyzer_free(a);
	cr_assert_eq(pf_analyzer_new(&a, 0, "none", &err), PF_OK);
	check(a, "the running ponies", "the|running|ponies");
	pf_analyzer_free(a);
	/* French: généralement -> général */
	cr_assert_eq(pf_analyzer_new(&a, 0, "french", &err), PF_OK);
	check(a, "G\xC3\x89N\xC3\x89RALEMENT",
	    "g\xC3\xA9n\xC3\xA9ral");
	pf_analyzer_free(a);
}

Test(analyze, unknown_stemmer_is_refused_with_the_list)
{
	pf_analyzer *a = (pf_analyzer *)1;
	pf_err err = {0};

	cr_assert_eq(pf_analyzer_new(&a, 0, "klingon", &err), PF_EINVAL);
	cr_assert_null(a);
	cr_assert(strstr(err.msg, "stem='klingon'") != NULL, "%s", err.msg);
	cr_assert(strstr(err.msg, "english") != NULL, "%s", err.msg);
}
