#!/usr/bin/env bash
# The history store on a real PostgreSQL server the test starts itself
# (lib/pg.sh: initdb in a temporary folder, a Unix socket, stopped at the
# end; as nobody when run as root), the same checks as on SQLite:
#  - several runs of the Cranfield scenario -> complete runs whose stored
#    values equal what the night wrote (lib/history_verify.py); `history`
#    lists them;
#  - an append killed (kill -9) halfway and two appends at once leave
#    complete runs only; --prune-keep; a newer schema is refused; a server
#    that is not there is exit 2 naming the URI (its password left out).
# Skips (77) only when PostgreSQL is not installed (make deps installs it).
# usage: history_postgres.sh PREFLIGHT SOURCE_DIR SHARED_DIR WORK_DIR
set -u
PF=$1 SRC=$2 WORK=$4
rm -rf "$WORK"; mkdir -p "$WORK"; cd "$WORK" || exit 2
. "$SRC/tests/e2e/lib/check.sh"
. "$SRC/tests/e2e/lib/pg.sh"
. "$SRC/tests/e2e/lib/history.sh"
. "$SRC/tests/e2e/lib/history_checks.sh"
pg_up
G=$SRC/golden/cranfield
sed -e "s|\.\./golden|$SRC/golden|g" -e 's|<outputs dir="[^"]*"/>|<outputs dir="out"/>|' \
	"$SRC/scenarios/cranfield.xml" > cran.xml

for i in 1 2 3; do
	"$PF" run --quiet --history "$DB" --label commit=c$i cran.xml \
		--export-features feats$i.svm --export-stack bm25-lambdamart > run$i.out 2> run$i.err
	rc=$?; [ $rc = 0 ] || bad "run $i: exit $rc: $(tail -3 run$i.err)"
	cp out/bm25.run bm25.$i.run; cp out/results.json results.$i.json
done
[ "$(hsql "$DB" "SELECT COUNT(*) FROM runs")" = 3 ] && [ "$(incomplete "$DB")" = 0 ] &&
[ "$(hsql "$DB" "SELECT version FROM schema_version")" = 2 ] \
	&& ok "three runs on PostgreSQL, each complete" || bad "runs: $(tail -2 run1.err)"
check_run_content "$DB" 2 results.2.json bm25.2.run feats2.svm "$G/qrels.txt"
"$PF" history "$DB" > list.out 2> list.err; rc=$?
[ $rc = 0 ] && grep -q "^ *2  .*  cranfield  *0  REQUEST A SLOT  commit=c2$" list.out \
	&& ok "history lists the PostgreSQL runs" || bad "history: $rc $(cat list.out list.err)"

check_concurrent_and_killed "$DB" cran.xml
check_prune "$DB"

# A newer schema is refused; then put back.
hsql "$DB" "UPDATE schema_version SET version = 7" > /dev/null
"$PF" run --history "$DB" cran.xml > nw.out 2> nw.err; rc=$?
n=$(hsql "$DB" "SELECT COUNT(*) FROM runs")
hsql "$DB" "UPDATE schema_version SET version = 2" > /dev/null
[ $rc = 2 ] && grep -qF "the history's schema is version 7, newer than this preflight" nw.err && [ "$n" = 2 ] \
	&& ok "a newer schema on PostgreSQL: exit 2 naming both versions" || bad "newer: $rc $(cat nw.err)"

# No server there: exit 2 before the replay, the URI shown without its password.
"$PF" run --history "postgresql://pf:sekrit@/postgres?host=$PWD/nosuch" cran.xml > ns.out 2> ns.err; rc=$?
[ $rc = 2 ] && grep -qF "postgresql://pf@/postgres?host=$PWD/nosuch: cannot connect" ns.err && ! grep -q sekrit ns.err \
	&& ok "no server: exit 2 naming the URI, password left out" || bad "no server: $rc $(cat ns.err)"

pg_stop
echo "history postgres: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
