/*
 * reports/featname.c — the one spelling of a feature (featname.h).
 */
#include <stdio.h>
#include <string.h>

#include "reports/featname.h"

const char *
pf_feat_label(char *buf, size_t sz, const char *name, long id)
{
	if (sz == 0)
		return buf;
	if (name != NULL && name[0] != '\0' && !pf_feat_is_plain(name, id))
		snprintf(buf, sz, "%s (%ld)", name, id);
	else
		snprintf(buf, sz, "f%ld", id);
	return buf;
}

int
pf_feat_is_plain(const char *name, long id)
{
	char b[32];

	snprintf(b, sizeof(b), "f%ld", id);
	return name != NULL && strcmp(name, b) == 0;
}
