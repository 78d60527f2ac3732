/*
 * tests/unit/history/tmpdb.h — a fresh folder per test with a database
 * path db in it, for the history tests (suite setup and teardown:
 * TestSuite(name, .init = setup, .fini = teardown)). Header-only; include
 * it once per test file.
 */
#ifndef PF_TESTS_UNIT_HISTORY_TMPDB_H
#define PF_TESTS_UNIT_HISTORY_TMPDB_H

#include <stdio.h>
#include <stdlib.h>

#include <criterion/criterion.h>

static char dir[] = "/tmp/pf_test_historyXXXXXX";
static char db[64];

static void
setup(void)
{
	cr_assert_not_null(mkdtemp(dir));
	snprintf(db, sizeof(db), "%s/h.db", dir);
}

static void
teardown(void)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	cr_assert_eq(system(cmd), 0);
}

#endif /* PF_TESTS_UNIT_HISTORY_TMPDB_H */
