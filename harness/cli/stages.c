/*
 * harness/cli/stages.c — `preflight stages`: the stage registry with every
 * parameter, as the scenario schema knows them.
 */
#include <stdio.h>

#include "harness/cli/cli.h"
#include "harness/stages/stage.h"

int
pf_cli_stages(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	for (size_t i = 0; pf_stage_registry[i] != NULL; i++) {
		const pf_stage_ops *s = pf_stage_registry[i];
		printf("%-12s %s\n", s->name, s->summary);
		for (const pf_stage_param_doc *p = s->params;
		    p != NULL && p->name != NULL; p++)
			printf("    %-16s %-7s %-9s %s\n", p->name, p->type,
			    p->required ? "required" : "optional", p->doc);
	}
	return 0;
}

