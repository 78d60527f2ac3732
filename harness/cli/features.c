/*
 * harness/cli/features.c — `preflight features SUBCOMMAND ...`: know the
 * candidate features (README "Know your features"). A table of
 * subcommands, each in its own file (features_schema.c: schema, check;
 * features_stats.c: stats, skew);
 * `preflight features --help` prints every subcommand's usage.
 */
#include <stdio.h>
#include <string.h>

#include "harness/cli/cli.h"

static const struct feat_sub {
	const char		*name;
	int			(*run)(int argc, char **argv);
	const pf_cmd_doc	*doc;
} subs[] = {
	{"schema", pf_cli_features_schema, &pf_cli_features_schema_doc},
	{"check", pf_cli_features_check, &pf_cli_features_check_doc},
	{"stats", pf_cli_features_stats, &pf_cli_features_stats_doc},
	{"skew", pf_cli_features_skew, &pf_cli_features_skew_doc},
};
#define NSUBS	(sizeof(subs) / sizeof(subs[0]))

const pf_cmd_doc pf_cli_features_doc = {"features", "SUBCOMMAND [ARGS]",
	"  Know the candidate features: 'preflight features SUBCOMMAND "
	"--help' for one;\n  'preflight features --help' for all.\n",
	NULL, NULL};

static void
usage_all(FILE *f)
{
	for (size_t i = 0; i < NSUBS; i++) {
		if (i > 0)
			fputc('\n', f);
		pf_opts_usage(subs[i].doc, f);
	}
}

int
pf_cli_features(int argc, char **argv)
{
	if (argc < 2) {
		fputs("preflight features: a subcommand is missing:", stderr);
		for (size_t i = 0; i < NSUBS; i++)
			fprintf(stderr, " %s", subs[i].name);
		fputs("\npreflight features: see 'preflight help features'\n",
		    stderr);
		return 2;
	}
	if (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0) {
		usage_all(stdout);
		return 0;
	}
	for (size_t i = 0; i < NSUBS; i++)
		if (strcmp(argv[1], subs[i].name) == 0)
			return subs[i].run(argc - 1, argv + 1);
	const char *names[NSUBS + 1];
	char hint[256];
	for (size_t i = 0; i < NSUBS; i++)
		names[i] = subs[i].name;
	names[NSUBS] = NULL;
	pf_opts_suggest(argv[1], "", names, hint, sizeof(hint));
	fprintf(stderr, "preflight features: unknown subcommand '%s'%s\n"
	    "preflight features: see 'preflight help features'\n", argv[1],
	    hint);
	return 2;
}
