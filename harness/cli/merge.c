/*
 * harness/cli/merge.c — `preflight merge PART... -o DIR`: the partial
 * results of `run --shard I/N` put back in query order, then the rest of
 * `run` (statistics, analyses, decision, outputs) as one process would
 * run it (harness/cli/dist.h). The scenario is the one the parts name;
 * its files must be at the same paths, with the same sha256.
 */
#include <stdio.h>
#include <stdlib.h>

#include <jansson.h>

#include "harness/cli/cli.h"
#include "harness/cli/dist.h"

static const pf_opt merge_opts[] = {
	{'o', "out", "DIR", "the outputs folder instead of <outputs dir>"},
	{'j', "junit", "PATH", "junit.xml goes here instead"},
	{'q', "quiet", NULL, "only the verdict line and each failed gate's "
	    "line"},
	PF_OPT_ROW_THREADS,
	PF_OPT_ROW_HELP,
	{0, NULL, NULL, NULL},
};

const pf_cmd_doc pf_cli_merge_doc = {"merge", "[OPTIONS] PART...",
	"  Merges the parts `preflight run --shard I/N SCENARIO -o PART`\n"
	"  wrote (each PART a folder holding part.pfp, or the file) and\n"
	"  writes the outputs one `preflight run SCENARIO` would write.\n"
	"  Every shard 0..N-1 must be there once, all from the same scenario\n"
	"  and inputs (sha256); the scenario's files are read again here.\n",
	merge_opts, NULL};

int
pf_cli_merge(int argc, char **argv)
{
	pf_opts p;
	pf_part *parts = NULL;
	pf_err err = {0};
	const char *out = NULL, *junit = NULL, *scn;
	char cmdline[2048], *rargv[8];
	int c, quiet = 0, rc = 2, rargc = 0;
	size_t np = 0;

	pf_opts_cmdline(cmdline, sizeof(cmdline), argc, argv);
	pf_opts_init(&p, &pf_cli_merge_doc, argc, argv);
	while ((c = pf_opts_next(&p)) != PF_OPTS_END) {
		switch (c) {
		case 'o':
			out = p.val;
			break;
		case 'j':
			junit = p.val;
			break;
		case 'q':
			quiet = 1;
			break;
		case PF_OPTS_EXIT0:
			return 0;
		default:
			return 2;
		}
	}
	if (p.npos == 0) {
		pf_opts_fail(&pf_cli_merge_doc, "no part to merge");
		return 2;
	}
	if ((parts = calloc((size_t)p.npos, sizeof(*parts))) == NULL)
		return 2;
	for (np = 0; np < (size_t)p.npos; np++)
		if (pf_part_read(&parts[np], p.pos[np], &err) != PF_OK) {
			np++;
			goto fail;
		}
	if (pf_part_check_set(parts, np, &err) != PF_OK)
		goto fail;
	scn = json_string_value(json_object_get(parts[0].hdr, "scenario"));
	if (scn == NULL) {
		pf_err_set(&err, PF_EFORMAT, parts[0].where, 0, "its header "
		    "names no scenario");
		goto fail;
	}
	rargv[rargc++] = "run";
	if (out != NULL) {
		rargv[rargc++] = "--out";
		rargv[rargc++] = (char *)out;
	}
	if (junit != NULL) {
		rargv[rargc++] = "--junit";
		rargv[rargc++] = (char *)junit;
	}
	if (quiet)
		rargv[rargc++] = "--quiet";
	rargv[rargc++] = (char *)scn;
	rargv[rargc] = NULL;
	pf_dist d = {.parts = parts, .nparts = np, .cmdline = cmdline};
	rc = pf_cli_run_dist(rargc, rargv, &d);
	goto done;
fail:
	pf_err_print(&err, stderr);
done:
	for (size_t i = 0; i < np; i++)
		pf_part_clear(&parts[i]);
	free(parts);
	return rc;
}
