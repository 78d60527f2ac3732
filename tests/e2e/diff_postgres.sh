#!/usr/bin/env bash
# Against last known good and `preflight diff` on a real PostgreSQL server
# the test starts itself (lib/pg.sh: initdb in a temporary folder, a Unix
# socket; as nobody when run as root): the five Cranfield nights of
# lib/diff_checks.sh, the same checks as tests/e2e/diff.sh on SQLite — the
# last-pass and label gates night by night, diff DB#3 DB#4 naming the
# changed model and the delta (= eval -q's = the gate's), the same numbers
# from the nights' results.json, DB#last-pass DB#last — plus a run id the
# server does not hold.
# Skips (77) only when PostgreSQL is not installed (make deps installs it).
# usage: diff_postgres.sh PREFLIGHT SOURCE_DIR SHARED_DIR WORK_DIR
set -u
PF=$1 SRC=$2 WORK=$4
rm -rf "$WORK"; mkdir -p "$WORK"; cd "$WORK" || exit 2
. "$SRC/tests/e2e/lib/check.sh"
. "$SRC/tests/e2e/lib/pg.sh"
. "$SRC/tests/e2e/lib/history.sh"
. "$SRC/tests/e2e/lib/diff_checks.sh"
pg_up

diff_setup || { echo "FAIL setup"; exit 1; }
diff_nights "$DB"
diff_check_gates
diff_check_diff "$DB"

"$PF" diff "$DB#42" "$DB#4" > bad.out 2> bad.err; rc=$?
[ $rc = 2 ] && grep -qF "$DB: no run 42 (it holds 5 runs, ids 1 to 5; preflight history lists them)" bad.err \
	&& ok "an unknown run on PostgreSQL: exit 2 naming the URI and the runs it holds" || bad "unknown run: $rc $(cat bad.err)"
[ "$(hsql "$DB" "SELECT COUNT(*) FROM runs")" = 5 ] && [ "$(incomplete "$DB")" = 0 ] \
	&& ok "five complete runs on the server" || bad "runs on the server"

pg_stop
echo "diff postgres: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
