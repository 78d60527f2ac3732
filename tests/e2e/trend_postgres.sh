#!/usr/bin/env bash
# `preflight trend` on a real PostgreSQL server the test starts itself
# (lib/pg.sh: initdb in a temporary folder, a Unix socket, as nobody when
# run as root): the five-night acceptance of lib/trend_checks.sh on
# PostgreSQL, and the same five nights on SQLite give the same trend.html
# and summary.md, byte for byte once the database's name, the nights'
# times and the page's timestamp are set aside.
# Skips (77) only when PostgreSQL is not installed (make deps installs it).
# usage: trend_postgres.sh PREFLIGHT SOURCE_DIR SHARED_DIR WORK_DIR
set -u
PF=$1 SRC=$2 WORK=$4
rm -rf "$WORK"; mkdir -p "$WORK"; cd "$WORK" || exit 2
. "$SRC/tests/e2e/lib/check.sh"
. "$SRC/tests/e2e/lib/pg.sh"
. "$SRC/tests/e2e/lib/history.sh"
. "$SRC/tests/e2e/lib/trend_checks.sh"
pg_up

trend_scenarios
trend_nights "$PG_URI" p
trend_expected p
"$PF" trend "$PG_URI" -o pg -q > /dev/null 2> pg.err; rc=$?
[ $rc = 0 ] && ok "trend on PostgreSQL: exit 0" || bad "trend: $rc $(cat pg.err)"
trend_check pg p

# The same nights on SQLite: the same pages.
trend_nights "$PWD/h.db" s
"$PF" trend "$PWD/h.db" -o sq -q > /dev/null 2> sq.err || bad "trend on SQLite: $(cat sq.err)"
norm() {
	sed -E -e 's|<span id="generated">[^<]*</span>||' -e 's|<p>History .*; preflight |<p>History DB; preflight |' \
		-e 's/[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z/TIME/g' \
		-e 's/(run [0-9]+, )[0-9-]{10}\)/\1DATE)/g; s/>[0-9]{2}-[0-9]{2}</>MM-DD</g' \
		-e 's|outp\.|outX.|g; s|outs\.|outX.|g' "$1"
}
for f in trend.html summary.md; do
	if cmp -s <(norm "pg/$f") <(norm "sq/$f"); then ok "$f: the same on PostgreSQL and SQLite"
	else bad "$f differs between PostgreSQL and SQLite:"; diff <(norm "pg/$f") <(norm "sq/$f") | head -10; fi
done

pg_stop
echo "trend postgres: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
