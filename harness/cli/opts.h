/*
 * harness/cli/opts.h — what every subcommand's command line shares: its
 * options as one table (long name, short letter, value, help), parsed by
 * getopt_long (`--opt=value`, `--opt value`, `-o value`, `-ovalue`,
 * clustered flags), its usage printed from the same table for
 * `preflight help CMD` and `preflight CMD --help`, and one form for every
 * usage error:
 *
 *   preflight CMD: what is wrong (did you mean --xyz?)
 *   preflight CMD: see 'preflight help CMD'
 *
 * exit 2. Long options are matched whole (no abbreviations: a typo is an
 * error with the nearest names by edit distance, never a silent match).
 * --threads N is handled here for every command whose table has it.
 */
#ifndef PF_HARNESS_CLI_OPTS_H
#define PF_HARNESS_CLI_OPTS_H

#include <getopt.h>
#include <stdio.h>

/* Ids of options without a short letter: PF_OPT_LONG + n. */
#define PF_OPT_LONG	256
#define PF_OPT_THREADS	255	/* handled by pf_opts_next */
#define PF_OPT_HELP	'h'	/* handled by pf_opts_next */

/* One option: id is the short letter when there is one. */
typedef struct pf_opt {
	int		 id;
	const char	*lname;	/* without "--"; NULL: short only */
	const char	*arg;	/* the value's name ("DIR"); NULL: a flag */
	const char	*help;	/* may hold "\n": continued, indented */
} pf_opt;

/* The rows every table may end with. */
#define PF_OPT_ROW_THREADS	{PF_OPT_THREADS, "threads", "N", \
	"OpenMP threads (default: OpenMP's); any N gives the same bytes"}
#define PF_OPT_ROW_HELP		{PF_OPT_HELP, "help", NULL, \
	"this help on stdout"}

/* A subcommand's usage: `usage: preflight NAME SYNOPSIS`, ABOUT, options. */
typedef struct pf_cmd_doc {
	const char	*name;
	const char	*synopsis;
	const char	*about;		/* lines, each indented two spaces */
	const pf_opt	*opts;		/* ends with {0} */
	const char	*tail;		/* after the options, or NULL */
} pf_cmd_doc;

#define PF_OPTS_MAX	48

/* The state of one parse. */
typedef struct pf_opts {
	const pf_cmd_doc *doc;
	int		  argc;
	char		**argv;
	struct option	  lo[PF_OPTS_MAX + 1];
	char		  so[3 * PF_OPTS_MAX + 2];
	const char	 *val;		/* the option's value, or NULL */
	const char	**pos;		/* the operands, after the last option */
	int		  npos;
} pf_opts;

/* Start parsing argv (argv[0] the subcommand's name) with doc's table. */
void	pf_opts_init(pf_opts *p, const pf_cmd_doc *doc, int argc, char **argv);

#define PF_OPTS_END	(-1)	/* no option left: operands in pos/npos */
#define PF_OPTS_EXIT0	(-2)	/* --help printed: exit 0 */
#define PF_OPTS_ERROR	(-3)	/* a usage error printed: exit 2 */
/*
 * The next option's id (its value in p->val), or one of PF_OPTS_*. Handles
 * -h/--help (usage on stdout) and --threads (omp_set_num_threads).
 */
int	pf_opts_next(pf_opts *p);

/* Prints "preflight CMD: <fmt>" and the hint to `preflight help CMD` on
   stderr; returns PF_OPTS_ERROR. */
int	pf_opts_fail(const pf_cmd_doc *doc, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
/* The usage of doc, generated from its table. */
void	pf_opts_usage(const pf_cmd_doc *doc, FILE *f);

/*
 * p->val as an integer in [min, max] into *out: 0, or PF_OPTS_ERROR after
 * "preflight CMD: OPT needs WHAT, got 'V'" (WHAT: "an integer >= 1"...).
 */
int	pf_opts_long(const pf_opts *p, const char *opt, long min, long max,
	    const char *what, long *out);

/*
 * Whether the long phases show progress on stderr: not under --quiet, and
 * stderr a terminal — or PF_PROGRESS=1 (tests), never with PF_PROGRESS=0.
 */
int	pf_opts_progress(int quiet);

/* The command line, "preflight CMD ARGS...", into buf (results.json's
   "command"). */
void	pf_opts_cmdline(char *buf, size_t bufsz, int argc, char **argv);

/* The names nearest to name (edit distance) among names (NULL-ended),
   as " (did you mean A, B?)" into buf, or "" when none is close. */
void	pf_opts_suggest(const char *name, const char *prefix,
	    const char *const *names, char *buf, size_t bufsz);

#endif /* PF_HARNESS_CLI_OPTS_H */
