/*
 * harness/cli/stages.c — `preflight stages`: the stage registry with every
 * parameter, as the scenario schema knows them.
 */
#include <stdio.h>

#include "harness/cli/cli.h"
#include "harness/stages/stage.h"

static const pf_opt stages_opts[] = {
	PF_OPT_ROW_HELP,
	{0, NULL, NULL, NULL},
};

const pf_cmd_doc pf_cli_stages_doc = {"stages", "",
	"  The stages a scenario's stacks are made of, with every "
	"parameter.\n", stages_opts, NULL};

int
pf_cli_stages(int argc, char **argv)
{
	pf_opts p;
	int c;

	pf_opts_init(&p, &pf_cli_stages_doc, argc, argv);
	if ((c = pf_opts_next(&p)) != PF_OPTS_END)
		return c == PF_OPTS_EXIT0 ? 0 : 2;
	if (p.npos > 0) {
		pf_opts_fail(&pf_cli_stages_doc, "unexpected '%s'", p.pos[0]);
		return 2;
	}
	for (size_t i = 0; pf_stage_registry[i] != NULL; i++) {
		const pf_stage_ops *s = pf_stage_registry[i];
		printf("%-12s %s\n", s->name, s->summary);
		for (const pf_stage_param_doc *d = s->params;
		    d != NULL && d->name != NULL; d++)
			printf("    %-16s %-7s %-9s %s\n", d->name, d->type,
			    d->required ? "required" : "optional", d->doc);
	}
	return 0;
}

