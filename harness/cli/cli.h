/*
 * harness/cli/cli.h — the subcommands behind the preflight executable. Each takes
 * argc/argv with argv[0] the subcommand name and returns the process exit
 * code: 0 success (gates pass), 1 a gate failed, 2 bad input or error.
 */
#ifndef PF_HARNESS_CLI_CLI_H
#define PF_HARNESS_CLI_CLI_H

int	pf_cli_eval(int argc, char **argv);
int	pf_cli_run(int argc, char **argv);
int	pf_cli_compare(int argc, char **argv);
int	pf_cli_stages(int argc, char **argv);
int	pf_cli_embed(int argc, char **argv);
int	pf_cli_probe(int argc, char **argv);
int	pf_cli_validate(int argc, char **argv);
int	pf_cli_history(int argc, char **argv);

#endif /* PF_HARNESS_CLI_CLI_H */
