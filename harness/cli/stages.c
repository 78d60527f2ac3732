/*
 * harness/cli/stages.c — `preflight stages [NAME...]`: the stage registry
 * with every parameter, as the scenario schema knows them; with names,
 * those stages only, in the order given (an unknown name is refused with
 * the nearest ones, exit 2).
 */
#include <stdio.h>
#include <string.h>

#include "harness/cli/cli.h"
#include "harness/stages/stage.h"

static const pf_opt stages_opts[] = {
	PF_OPT_ROW_HELP,
	{0, NULL, NULL, NULL},
};

const pf_cmd_doc pf_cli_stages_doc = {"stages", "[NAME...]",
	"  The stages a scenario's stacks are made of, with every "
	"parameter;\n  with names, those stages only.\n", stages_opts, NULL};

static void
print_stage(const pf_stage_ops *s)
{
	printf("%-12s %s\n", s->name, s->summary);
	for (const pf_stage_param_doc *d = s->params;
	    d != NULL && d->name != NULL; d++)
		printf("    %-16s %-7s %-9s %s\n", d->name, d->type,
		    d->required ? "required" : "optional", d->doc);
}

static const pf_stage_ops *
find_stage(const char *name)
{
	for (size_t i = 0; pf_stage_registry[i] != NULL; i++)
		if (strcmp(pf_stage_registry[i]->name, name) == 0)
			return pf_stage_registry[i];
	return NULL;
}

int
pf_cli_stages(int argc, char **argv)
{
	pf_opts p;
	int c;

	pf_opts_init(&p, &pf_cli_stages_doc, argc, argv);
	if ((c = pf_opts_next(&p)) != PF_OPTS_END)
		return c == PF_OPTS_EXIT0 ? 0 : 2;
	for (int k = 0; k < p.npos; k++)
		if (find_stage(p.pos[k]) == NULL) {
			const char *names[64];
			char near[256];
			size_t n = 0;

			for (; pf_stage_registry[n] != NULL && n < 63; n++)
				names[n] = pf_stage_registry[n]->name;
			names[n] = NULL;
			pf_opts_suggest(p.pos[k], "", names, near,
			    sizeof(near));
			pf_opts_fail(&pf_cli_stages_doc, "no stage '%s'%s",
			    p.pos[k], near);
			return 2;
		}
	for (int k = 0; k < p.npos; k++)
		print_stage(find_stage(p.pos[k]));
	for (size_t i = 0; p.npos == 0 && pf_stage_registry[i] != NULL; i++)
		print_stage(pf_stage_registry[i]);
	return 0;
}

