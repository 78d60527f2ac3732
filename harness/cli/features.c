/*
 * harness/cli/features.c — `preflight features SUBCOMMAND`: a table of the
 * subcommands that know the candidate features (README "Know your
 * features"), each in its own file of harness/cli/. `features --help`
 * (and `preflight help features`) prints every subcommand's usage.
 */
#include <stdio.h>
#include <string.h>

#include "harness/cli/cli.h"

static const struct {
	const char		*name;
	int			(*run)(int argc, char **argv);
	const pf_cmd_doc	*doc;
} subs[] = {
	{"stats", pf_cli_features_stats, &pf_cli_features_stats_doc},
	{"skew", pf_cli_features_skew, &pf_cli_features_skew_doc},
};
#define NSUBS	(sizeof(subs) / sizeof(subs[0]))

static const pf_opt features_opts[] = {
	PF_OPT_ROW_HELP,
	{0, NULL, NULL, NULL},
};

const pf_cmd_doc pf_cli_features_doc = {"features", "SUBCOMMAND [ARGS]",
	"  Know the candidate features: statistics of a file, skew between "
	"two.\n  Subcommands (each with --help):\n", features_opts, NULL};

int
pf_cli_features(int argc, char **argv)
{
	const char *names[NSUBS + 1];
	char hint[256];

	if (argc < 2 || strcmp(argv[1], "--help") == 0 ||
	    strcmp(argv[1], "-h") == 0) {
		pf_opts_usage(&pf_cli_features_doc, argc < 2 ? stderr : stdout);
		for (size_t i = 0; i < NSUBS; i++) {
			fputc('\n', argc < 2 ? stderr : stdout);
			pf_opts_usage(subs[i].doc, argc < 2 ? stderr : stdout);
		}
		return argc < 2 ? 2 : 0;
	}
	for (size_t i = 0; i < NSUBS; i++)
		if (strcmp(argv[1], subs[i].name) == 0)
			return subs[i].run(argc - 1, argv + 1);
	for (size_t i = 0; i < NSUBS; i++)
		names[i] = subs[i].name;
	names[NSUBS] = NULL;
	pf_opts_suggest(argv[1], "", names, hint, sizeof(hint));
	pf_opts_fail(&pf_cli_features_doc, "unknown subcommand '%s'%s",
	    argv[1], hint);
	return 2;
}
