/*
 * harness/decide/files.h — the files a run reads and the files it writes:
 * the inputs listed (and hashed, for results.json) from the scenario and
 * the outputs configuration, and the check made before anything runs that
 * no output is an input or another output.
 */
#ifndef PF_HARNESS_DECIDE_FILES_H
#define PF_HARNESS_DECIDE_FILES_H

#include "harness/decide/outputs.h"

/* The inputs, each path once. */
typedef struct pf_inputs {
	pf_rep_input	*v;
	size_t		 n, cap;
	char		**owned;	/* paths joined here */
	size_t		 nown, owncap;
	int		 hash;		/* sha256 and size of each */
} pf_inputs;

/*
 * Every file the run reads: the scenario, its golden files (queries,
 * docs, qrels, labels, expectations), the lift history, every stage
 * parameter of type path (resolved as the stage resolves it), then cfg's
 * own (compare: the qrels and the runs). With hash, each is hashed
 * (errors name the file).
 */
int	pf_inputs_collect(pf_inputs *in, const pf_outputs_cfg *cfg, int hash,
	    pf_err *err);
void	pf_inputs_free(pf_inputs *in);

/*
 * Before anything runs: no output is an input (compared by device and
 * inode, not by spelling) and no two outputs are one file. The outputs:
 * cfg's results, report and junit (junit_path when set), one run per stack
 * id when cfg->runs, and nextra more (extra_what[i] says which, e.g.
 * "--export-features"). Each problem goes to d. PF_OK, PF_EFORMAT or
 * PF_ENOMEM.
 */
int	pf_outputs_check(const pf_outputs_cfg *cfg, const char *const *ids,
	    size_t nids, const char *const *extra,
	    const char *const *extra_what, size_t nextra, pf_diags *d);

#endif /* PF_HARNESS_DECIDE_FILES_H */
