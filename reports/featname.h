/*
 * reports/featname.h — how a feature is shown everywhere (terminal,
 * results.json labels, report.html, probe, diff, trend): by the file's
 * feature id, the number of the candidate file's "id:value" pairs, with its
 * name when one is known: "bm25_title (1)"; "f12" when none is.
 */
#ifndef PF_REPORTS_FEATNAME_H
#define PF_REPORTS_FEATNAME_H

#include <stddef.h>

/*
 * "NAME (ID)" when name is non-NULL and not empty, else "fID", into buf
 * (truncated to sz, NUL-terminated). Returns buf.
 */
const char	*pf_feat_label(char *buf, size_t sz, const char *name, long id);

/* Whether name is the nameless form "f<id>" of id (history rows keep that
   form where no name was known). */
int	pf_feat_is_plain(const char *name, long id);

#endif /* PF_REPORTS_FEATNAME_H */
