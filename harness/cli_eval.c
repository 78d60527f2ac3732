/*
 * cli_eval.c — `preflight eval`: trec_eval-compatible evaluation (stub).
 */
#include <stdio.h>

#include "harness/cli.h"

int
pf_cli_eval(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fputs("preflight eval: not implemented yet\n", stderr);
	return 2;
}
