/*
 * harness/cli/main.c — the preflight command line: a table of subcommands
 * (name, function, one line of help), each a thin layer over libpreflight
 * in its own file of harness/cli/.
 */
#include <stdio.h>
#include <string.h>

#include "harness/cli/cli.h"

static int	cli_version(int, char **);
static int	cli_help(int, char **);

static const struct subcommand {
	const char	*name;
	int		(*run)(int argc, char **argv);
	const char	*help;
} commands[] = {
	{"run", pf_cli_run, "replay a scenario: golden set through stacks, "
	    "measured"},
	{"compare", pf_cli_compare, "statistics, verdict and reports for TREC "
	    "run files"},
	{"stages", pf_cli_stages, "list the stages and their parameters"},
	{"eval", pf_cli_eval, "trec_eval-compatible evaluation of a TREC run"},
	{"embed", pf_cli_embed, "LSA embeddings of a corpus for the dense "
	    "stage"},
	{"probe", pf_cli_probe, "feed a model extreme inputs: NaN/inf, dead "
	    "features"},
	{"validate", pf_cli_validate, "check a golden set: files, duplicates, "
	    "agreement"},
	{"history", pf_cli_history, "list or prune the runs a history "
	    "database holds"},
	{"version", cli_version, "print the version"},
	{"help", cli_help, "this list"},
};
#define NCOMMANDS	(sizeof(commands) / sizeof(commands[0]))

static void
usage(FILE *f)
{
	fputs("usage: preflight COMMAND [ARGS]\ncommands:\n", f);
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

static int
cli_help(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	usage(stdout);
	return 0;
}

int
main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	if (strcmp(argv[1], "--version") == 0)
		return cli_version(argc - 1, argv + 1);
	if (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0)
		return cli_help(argc - 1, argv + 1);
	for (size_t i = 0; i < NCOMMANDS; i++)
		if (strcmp(argv[1], commands[i].name) == 0)
			return commands[i].run(argc - 1, argv + 1);
	fprintf(stderr, "preflight: unknown command '%s'\n", argv[1]);
	usage(stderr);
	return 2;
}
