/*
 * tests/unit/cli/test_opts.c — the shared command-line parser: both
 * spellings of a value, short forms, operands anywhere, whole long names
 * only, the usage errors, --threads, and the nearest names offered.
 */
#include <string.h>

#include <criterion/criterion.h>
#include <criterion/redirect.h>
#include <omp.h>

#include "harness/cli/opts.h"

enum { O_JUNIT = PF_OPT_LONG, O_CHECK, O_CHECKS };

static const pf_opt rows[] = {
	{'m', "measure", "MEASURE", "a measure"},
	{'q', "quiet", NULL, "quiet"},
	{'c', NULL, NULL, "short only"},
	{O_JUNIT, "junit", "PATH", "junit"},
	{O_CHECK, "check", NULL, "check"},
	{O_CHECKS, "checks", NULL, "checks"},
	PF_OPT_ROW_THREADS,
	PF_OPT_ROW_HELP,
	{0, NULL, NULL, NULL},
};
static const pf_cmd_doc doc = {"t", "[OPTIONS] A B", "  about\n", rows,
	NULL};

/* Parses argv (NULL-ended, argv[0] "t"): the ids seen, as letters and
   '#' for long-only ids, values after '=' ("m=map q J=x "). */
static int
parse(char **argv, char *seen, size_t sz, pf_opts *p)
{
	int argc = 0, c;
	size_t n = 0;

	while (argv[argc] != NULL)
		argc++;
	seen[0] = '\0';
	pf_opts_init(p, &doc, argc, argv);
	while ((c = pf_opts_next(p)) != PF_OPTS_END) {
		if (c < 0)
			return c;
		n += (size_t)snprintf(seen + n, sz - n, "%c%s%s ", c < 128 ?
		    c : c == O_JUNIT ? 'J' : c == O_CHECK ? 'K' : 'S',
		    p->val ? "=" : "", p->val ? p->val : "");
	}
	return 0;
}

Test(opts, both_spellings_of_a_value_and_short_forms_mean_the_same)
{
	char *a1[] = {"t", "--measure=map", "--junit", "j.xml", "-mP.10",
	    "-m", "ndcg", "-qc", "x", "y", NULL};
	char seen[256];
	pf_opts p;

	cr_assert_eq(parse(a1, seen, sizeof(seen), &p), 0);
	cr_assert_str_eq(seen, "m=map J=j.xml m=P.10 m=ndcg q c ");
	cr_assert_eq(p.npos, 2);
	cr_assert_str_eq(p.pos[0], "x");
	cr_assert_str_eq(p.pos[1], "y");
}

Test(opts, operands_may_come_before_options_and_dash_dash_ends_them)
{
	char *a[] = {"t", "x", "--check", "y", "--", "--quiet", NULL};
	char seen[256];
	pf_opts p;

	cr_assert_eq(parse(a, seen, sizeof(seen), &p), 0);
	cr_assert_str_eq(seen, "K ");
	cr_assert_eq(p.npos, 3);
	cr_assert_str_eq(p.pos[0], "x");
	cr_assert_str_eq(p.pos[1], "y");
	cr_assert_str_eq(p.pos[2], "--quiet");
}

Test(opts, an_exact_name_wins_over_a_longer_one)
{
	char *a[] = {"t", "--check", "--checks", NULL};
	char seen[256];
	pf_opts p;

	cr_assert_eq(parse(a, seen, sizeof(seen), &p), 0);
	cr_assert_str_eq(seen, "K S ");
}

Test(opts, an_abbreviation_is_refused_with_the_names_it_could_mean,
    .init = cr_redirect_stderr)
{
	char *a[] = {"t", "--qui", "x", NULL};
	char seen[256];
	pf_opts p;

	cr_assert_eq(parse(a, seen, sizeof(seen), &p), PF_OPTS_ERROR);
	fflush(stderr);
	cr_assert_stderr_eq_str("preflight t: unknown option '--qui' (did you "
	    "mean --quiet?)\npreflight t: see 'preflight help t'\n");
}

Test(opts, an_abbreviated_option_with_a_value_is_refused_too,
    .init = cr_redirect_stderr)
{
	char *a[] = {"t", "--jun", "j.xml", NULL};
	char seen[256];
	pf_opts p;

	cr_assert_eq(parse(a, seen, sizeof(seen), &p), PF_OPTS_ERROR);
	fflush(stderr);
	cr_assert_stderr_eq_str("preflight t: unknown option '--jun' (did you "
	    "mean --junit?)\npreflight t: see 'preflight help t'\n");
}

Test(opts, a_missing_value_names_the_option_and_its_value,
    .init = cr_redirect_stderr)
{
	char *a[] = {"t", "x", "-m", NULL};
	char seen[256];
	pf_opts p;

	cr_assert_eq(parse(a, seen, sizeof(seen), &p), PF_OPTS_ERROR);
	fflush(stderr);
	cr_assert_stderr_eq_str("preflight t: -m needs a value (MEASURE)\n"
	    "preflight t: see 'preflight help t'\n");
}

Test(opts, a_flag_given_a_value_is_refused, .init = cr_redirect_stderr)
{
	char *a[] = {"t", "--quiet=yes", NULL};
	char seen[256];
	pf_opts p;

	cr_assert_eq(parse(a, seen, sizeof(seen), &p), PF_OPTS_ERROR);
	fflush(stderr);
	cr_assert_stderr_eq_str("preflight t: --quiet takes no value\n"
	    "preflight t: see 'preflight help t'\n");
}

Test(opts, help_prints_the_usage_on_stdout, .init = cr_redirect_stdout)
{
	char *a[] = {"t", "x", "-h", NULL};
	char seen[256];
	pf_opts p;

	cr_assert_eq(parse(a, seen, sizeof(seen), &p), PF_OPTS_EXIT0);
	fflush(stdout);
	cr_assert_stdout_eq_str("usage: preflight t [OPTIONS] A B\n  about\n"
	    "options:\n"
	    "  -m, --measure MEASURE   a measure\n"
	    "  -q, --quiet             quiet\n"
	    "  -c                      short only\n"
	    "      --junit PATH        junit\n"
	    "      --check             check\n"
	    "      --checks            checks\n"
	    "      --threads N         OpenMP threads (default: OpenMP's); "
	    "any N gives the\n"
	    "                          same bytes\n"
	    "  -h, --help              this help on stdout\n");
}

Test(opts, threads_sets_openmp_and_refuses_zero, .init = cr_redirect_stderr)
{
	char *a[] = {"t", "--threads=3", "x", NULL};
	char *b[] = {"t", "--threads", "0", NULL};
	char seen[256];
	pf_opts p;

	cr_assert_eq(parse(a, seen, sizeof(seen), &p), 0);
	cr_assert_str_eq(seen, "");	/* handled, not returned */
	cr_assert_eq(omp_get_max_threads(), 3);
	cr_assert_eq(parse(b, seen, sizeof(seen), &p), PF_OPTS_ERROR);
	fflush(stderr);
	cr_assert_stderr_eq_str("preflight t: --threads needs an integer >= 1, "
	    "got '0'\npreflight t: see 'preflight help t'\n");
}

Test(opts, a_second_parse_starts_afresh)
{
	char *a[] = {"t", "-q", "x", NULL};
	char *b[] = {"t", "--check", "y", NULL};
	char seen[256];
	pf_opts p;

	cr_assert_eq(parse(a, seen, sizeof(seen), &p), 0);
	cr_assert_eq(parse(b, seen, sizeof(seen), &p), 0);
	cr_assert_str_eq(seen, "K ");
	cr_assert_str_eq(p.pos[0], "y");
}

Test(opts, suggestions_are_the_nearest_names_by_edit_distance)
{
	const char *names[] = {"gate", "gates", "seed", "junit", "quiet",
	    "out", NULL};
	char buf[128];

	/* two edits from gate (drop e, s -> e) and from gates (swap e, t) */
	pf_opts_suggest("gaets", "--", names, buf, sizeof(buf));
	cr_assert_str_eq(buf, " (did you mean --gate, --gates?)");
	pf_opts_suggest("sed", "--", names, buf, sizeof(buf));
	cr_assert_str_eq(buf, " (did you mean --seed?)");
	/* an abbreviation beats a short name two edits away (out) */
	pf_opts_suggest("qui", "--", names, buf, sizeof(buf));
	cr_assert_str_eq(buf, " (did you mean --quiet?)");
	pf_opts_suggest("frobnicate", "--", names, buf, sizeof(buf));
	cr_assert_str_eq(buf, "");
	pf_opts_suggest("comapre", "", (const char *[]){"run", "compare",
	    "eval", NULL}, buf, sizeof(buf));
	cr_assert_str_eq(buf, " (did you mean compare?)");
}
