/*
 * main.c — the preflight command line: a thin dispatcher over libpreflight.
 */
#include <stdio.h>
#include <string.h>

#include "harness/cli/cli.h"

static void
usage(FILE *f)
{
	fputs("usage: preflight COMMAND [ARGS]\n"
	      "commands:\n"
	      "  run      replay a scenario: golden set through stacks, measured\n"
	      "  compare  statistics, verdict and reports for TREC run files\n"
	      "  stages   list the stages and their parameters\n"
	      "  eval     trec_eval-compatible evaluation of a TREC run\n"
	      "  embed    LSA embeddings of a corpus for the dense stage\n"
	      "  probe    feed a model extreme inputs: NaN/inf, dead features\n"
	      "  validate check a golden set: files, duplicates, agreement\n"
	      "  version  print the version\n", f);
}

int
main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	if (strcmp(argv[1], "run") == 0)
		return pf_cli_run(argc - 1, argv + 1);
	if (strcmp(argv[1], "compare") == 0)
		return pf_cli_compare(argc - 1, argv + 1);
	if (strcmp(argv[1], "stages") == 0)
		return pf_cli_stages(argc - 1, argv + 1);
	if (strcmp(argv[1], "validate") == 0)
		return pf_cli_validate(argc - 1, argv + 1);
	if (strcmp(argv[1], "embed") == 0)
		return pf_cli_embed(argc - 1, argv + 1);
	if (strcmp(argv[1], "eval") == 0)
		return pf_cli_eval(argc - 1, argv + 1);
	if (strcmp(argv[1], "probe") == 0)
		return pf_cli_probe(argc - 1, argv + 1);
	if (strcmp(argv[1], "version") == 0 || strcmp(argv[1], "--version") == 0) {
		printf("preflight %s\n", PF_VERSION);
		return 0;
	}
	if (strcmp(argv[1], "help") == 0 || strcmp(argv[1], "-h") == 0 ||
	    strcmp(argv[1], "--help") == 0) {
		usage(stdout);
		return 0;
	}
	fprintf(stderr, "preflight: unknown command '%s'\n", argv[1]);
	usage(stderr);
	return 2;
}
