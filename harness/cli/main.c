/*
 * harness/cli/main.c — the preflight command line: a table of subcommands
 * (name, function, usage, one line of help), each a thin layer over
 * libpreflight in its own file of harness/cli/. `preflight help CMD` and
 * `preflight CMD --help` print the same usage (opts.h); an unknown
 * command is refused with the nearest names.
 */
#include <stdio.h>
#include <string.h>

#include "harness/cli/cli.h"

static int	cli_version(int, char **);
static int	cli_help(int, char **);

static const struct subcommand {
	const char		*name;
	int			(*run)(int argc, char **argv);
	const pf_cmd_doc	*doc;	/* NULL: no options */
	const char		*help;
} commands[] = {
	{"run", pf_cli_run, &pf_cli_run_doc, "replay a scenario: golden set "
	    "through stacks, measured"},
	{"compare", pf_cli_compare, &pf_cli_compare_doc, "statistics, verdict "
	    "and reports for TREC run files"},
	{"stages", pf_cli_stages, &pf_cli_stages_doc, "list the stages and "
	    "their parameters"},
	{"eval", pf_cli_eval, &pf_cli_eval_doc, "trec_eval-compatible "
	    "evaluation of a TREC run"},
	{"embed", pf_cli_embed, &pf_cli_embed_doc, "LSA embeddings of a "
	    "corpus for the dense stage"},
	{"probe", pf_cli_probe, &pf_cli_probe_doc, "feed a model extreme "
	    "inputs: NaN/inf, dead features"},
	{"validate", pf_cli_validate, &pf_cli_validate_doc, "check a golden "
	    "set: files, duplicates, agreement"},
	{"history", pf_cli_history, &pf_cli_history_doc, "list or prune the "
	    "runs a history database holds"},
	{"diff", pf_cli_diff, &pf_cli_diff_doc, "what changed between two "
	    "runs (results.json or DB#RUN)"},
	{"trend", pf_cli_trend, &pf_cli_trend_doc, "goals over a history's "
	    "nights: trend.html, summary.md"},
	{"features", pf_cli_features, &pf_cli_features_doc, "know the "
	    "candidate features: schema, check, stats, skew"},
	{"merge", pf_cli_merge, &pf_cli_merge_doc, "merge the parts of "
	    "`run --shard I/N` into the outputs"},
	{"version", cli_version, NULL, "print the version (also -V, "
	    "--version)"},
	{"help", cli_help, NULL, "this list; help COMMAND: that command's "
	    "usage"},
};
#define NCOMMANDS	(sizeof(commands) / sizeof(commands[0]))

static void
usage(FILE *f)
{
	fputs("usage: preflight COMMAND [ARGS]\n"
	    "       preflight help COMMAND | COMMAND --help\n"
	    "       preflight -V | --version\ncommands:\n", f);
	for (size_t i = 0; i < NCOMMANDS; i++)
		fprintf(f, "  %-8s %s\n", commands[i].name, commands[i].help);
}

static int
cli_version(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	printf("preflight %s\n", PF_VERSION);
	return 0;
}

/* "unknown command 'X' (did you mean Y?)" and the hint: exit 2. */
static int
unknown(const char *what, const char *name)
{
	const char *names[NCOMMANDS + 1];
	char hint[256];

	for (size_t i = 0; i < NCOMMANDS; i++)
		names[i] = commands[i].name;
	names[NCOMMANDS] = NULL;
	pf_opts_suggest(name, "", names, hint, sizeof(hint));
	fprintf(stderr, "preflight: unknown %s '%s'%s\npreflight: see "
	    "'preflight help'\n", what, name, hint);
	return 2;
}

static int
cli_help(int argc, char **argv)
{
	if (argc < 2 || strcmp(argv[1], "-h") == 0 ||
	    strcmp(argv[1], "--help") == 0) {
		usage(stdout);
		return 0;
	}
	if (argc == 3 && strcmp(argv[1], "features") == 0) {
		/* a command with subcommands: help features SUB */
		char *sub[] = {argv[1], argv[2], "--help", NULL};
		return pf_cli_features(3, sub);
	}
	if (argc > 2) {
		fprintf(stderr, "preflight help: one command at most\n"
		    "preflight help: see 'preflight help help'\n");
		return 2;
	}
	for (size_t i = 0; i < NCOMMANDS; i++) {
		if (strcmp(argv[1], commands[i].name) != 0)
			continue;
		if (commands[i].doc != NULL)
			pf_opts_usage(commands[i].doc, stdout);
		else
			printf("usage: preflight %s\n  %s\n",
			    commands[i].name, commands[i].help);
		return 0;
	}
	return unknown("command", argv[1]);
}

int
main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "-V") == 0)
		return cli_version(argc - 1, argv + 1);
	if (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0)
		return cli_help(1, argv + 1);
	for (size_t i = 0; i < NCOMMANDS; i++)
		if (strcmp(argv[1], commands[i].name) == 0)
			return commands[i].run(argc - 1, argv + 1);
	if (argv[1][0] == '-')
		return unknown("option", argv[1]);
	return unknown("command", argv[1]);
}
