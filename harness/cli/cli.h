/*
 * harness/cli/cli.h — the subcommands behind the preflight executable. Each takes
 * argc/argv with argv[0] the subcommand name and returns the process exit
 * code: 0 success (gates pass), 1 a gate failed, 2 bad input or error.
 * Each has its usage (options, help) in a pf_cmd_doc (opts.h), which
 * `preflight help CMD` prints too.
 */
#ifndef PF_HARNESS_CLI_CLI_H
#define PF_HARNESS_CLI_CLI_H

#include "harness/cli/opts.h"

int	pf_cli_eval(int argc, char **argv);
int	pf_cli_run(int argc, char **argv);
int	pf_cli_compare(int argc, char **argv);
int	pf_cli_stages(int argc, char **argv);
int	pf_cli_embed(int argc, char **argv);
int	pf_cli_probe(int argc, char **argv);
int	pf_cli_validate(int argc, char **argv);
int	pf_cli_history(int argc, char **argv);
int	pf_cli_diff(int argc, char **argv);
int	pf_cli_trend(int argc, char **argv);
int	pf_cli_features(int argc, char **argv);
int	pf_cli_features_schema(int argc, char **argv);
int	pf_cli_features_check(int argc, char **argv);
int	pf_cli_features_stats(int argc, char **argv);
int	pf_cli_features_skew(int argc, char **argv);
int	pf_cli_merge(int argc, char **argv);

extern const pf_cmd_doc	pf_cli_eval_doc, pf_cli_run_doc, pf_cli_compare_doc,
	    pf_cli_stages_doc, pf_cli_embed_doc, pf_cli_probe_doc,
	    pf_cli_validate_doc, pf_cli_history_doc, pf_cli_diff_doc,
	    pf_cli_trend_doc, pf_cli_merge_doc;
extern const pf_cmd_doc	pf_cli_features_doc, pf_cli_features_schema_doc,
	    pf_cli_features_check_doc;
extern const pf_cmd_doc	pf_cli_features_stats_doc, pf_cli_features_skew_doc;

#endif /* PF_HARNESS_CLI_CLI_H */
