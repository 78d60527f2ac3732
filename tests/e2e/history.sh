#!/usr/bin/env bash
# The history store on SQLite (README "History"), end to end on the
# Cranfield scenario:
#  - three runs with labels -> three complete runs; `history` lists them
#    (table and --json); the stored per-query values equal `preflight eval
#    -q` on the run file written the same night; row counts are stacks x
#    queries x metrics; inputs carry results.json's sha256; rankings are
#    the run file's top ten; feature_stats equal numpy's statistics of the
#    features --export-features wrote in the same run;
#  - <history db labels> and <goals> in the scenario; --label overrides;
#  - a failed gate is appended (exit 1); bad input appends nothing; a bad
#    label is exit 2; a failed append (a table dropped) is exit 2 naming
#    the database and leaves it as it was; a newer schema is refused;
#  - two appends at once and an append killed (kill -9) halfway leave
#    complete runs only; --prune-keep keeps the last N.
# usage: history.sh PREFLIGHT SOURCE_DIR SHARED_DIR WORK_DIR
set -u
PF=$1 SRC=$2 WORK=$4
rm -rf "$WORK"; mkdir -p "$WORK"; cd "$WORK" || exit 2
. "$SRC/tests/e2e/lib/check.sh"
. "$SRC/tests/e2e/lib/history.sh"
. "$SRC/tests/e2e/lib/history_checks.sh"
G=$SRC/golden/cranfield
DB=$WORK/h.db

# The Cranfield scenario, its paths made absolute, outputs here.
sed -e "s|\.\./golden|$SRC/golden|g" -e 's|<outputs dir="[^"]*"/>|<outputs dir="out"/>|' \
	"$SRC/scenarios/cranfield.xml" > cran.xml

# ---- several runs ----------------------------------------------------------
for i in 1 2 3; do
	"$PF" run --quiet --history "$DB" --label commit=c$i --label model=m cran.xml \
		--export-features feats$i.svm --export-stack bm25-lambdamart > run$i.out 2> run$i.err
	rc=$?; [ $rc = 0 ] || bad "run $i: exit $rc: $(tail -3 run$i.err)"
	cp out/bm25.run bm25.$i.run; cp out/results.json results.$i.json
done
[ "$(hsql "$DB" "SELECT COUNT(*) FROM runs")" = 3 ] && [ "$(incomplete "$DB")" = 0 ] \
	&& ok "three runs, each complete" || bad "runs: $(hsql "$DB" "SELECT id, nstacks, nqueries, nmetrics FROM runs")"
check_run_content "$DB" 3 results.3.json bm25.3.run feats3.svm "$G/qrels.txt"
[ "$(hsql "$DB" "SELECT labels FROM runs WHERE id = 2")" = "commit=c2;model=m" ] &&
[ "$(hsql "$DB" "SELECT value FROM run_labels WHERE run = 3 AND key = 'commit'")" = c3 ] \
	&& ok "labels stored (runs.labels and run_labels)" || bad "labels"

"$PF" history "$DB" > list.out 2> list.err; rc=$?
[ $rc = 0 ] && grep -q "^ *3  .*  cranfield  *0  REQUEST A SLOT  commit=c3;model=m$" list.out && grep -q "^3 runs$" list.out \
	&& ok "history lists the runs" || bad "history: $rc $(cat list.out list.err)"
"$PF" history "$DB" --json --scenario cranfield > list.json; rc=$?
/usr/bin/python3 - list.json <<'PY' && [ $rc = 0 ] && ok "history --json" || bad "history --json: $rc"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["schema_version"] == 2 and [r["id"] for r in d["runs"]] == [1, 2, 3], d
r = d["runs"][0]
assert r["scenario"] == "cranfield" and r["exit_code"] == 0 and r["stacks"] == 3 and r["queries"] == 112
assert r["labels"] == "commit=c1;model=m" and len(r["scenario_sha256"]) == 64
PY
[ "$("$PF" history "$DB" --scenario nosuch | tail -1)" = "0 runs" ] && ok "--scenario filters" || bad "--scenario"

# ---- the scenario's <history>, <goals>; --label overrides ------------------
sed -e "s|<outputs dir=\"out\"/>|<outputs dir=\"out-s\"/><history db=\"h.db\" labels=\"build=42;model=from-scenario\"/>|" \
	-e 's|<lift |<goals><goal metric="ndcg_cut_10" stack="bm25-lambdamart" min="0.3"/><goal metric="map" max="0.1"/></goals><lift |' \
	cran.xml > scn-history.xml
"$PF" run --quiet --label model=override scn-history.xml > s.out 2> s.err; rc=$?
[ $rc = 0 ] && [ "$(hsql "$DB" "SELECT labels FROM runs WHERE id = 4")" = "build=42;model=override" ] \
	&& ok "<history db labels> appends, --label overrides a key" || bad "scenario history: $rc $(tail -2 s.err)"
want=$(/usr/bin/python3 -c "
import json; r = json.load(open('out-s/results.json'))
m = {s['id']: s['mean'] for s in r['stacks']}
print('bm25-lambdamart|ndcg_cut_10|1' if m['bm25-lambdamart']['ndcg_cut_10'] >= 0.3 else 'x')" 2>&1)
got=$(hsql "$DB" "SELECT stack, metric, met FROM goals WHERE run = 4 AND metric = 'ndcg_cut_10'")
[ "$got" = "$want" ] && [ "$(hsql "$DB" "SELECT COUNT(*), SUM(met) FROM goals WHERE run = 4 AND metric = 'map'")" = "3|0" ] \
	&& ok "goals stored with met (one stack; every stack)" || bad "goals: got '$got' want '$want'"
sed 's|<goal metric="map" max="0.1"/>|<goal metric="P.30" max="0.1"/>|' scn-history.xml > badgoal.xml
"$PF" run badgoal.xml > bg.out 2> bg.err; rc=$?
[ $rc = 2 ] && grep -qF "badgoal.xml:" bg.err && grep -qF "goal: metric 'P.30' is not among the metrics measured" bg.err \
	&& ok "a goal on an unmeasured metric: exit 2 at its line" || bad "bad goal: $rc $(cat bg.err)"

# ---- what is and is not appended ------------------------------------------
n=$(hsql "$DB" "SELECT COUNT(*) FROM runs")
sed 's|min-delta="-0.02"|min-delta="0.5"|' cran.xml > gate.xml
"$PF" run --quiet --history "$DB" gate.xml > g.out 2> g.err; rc=$?
[ $rc = 1 ] && [ "$(hsql "$DB" "SELECT exit_code, gates_failed FROM runs WHERE id = $((n + 1))")" = "1|2" ] &&
[ "$(hsql "$DB" "SELECT COUNT(*) FROM gate_results WHERE run = $((n + 1)) AND status = 'fail'")" = 2 ] \
	&& ok "a failed gate is appended with exit 1 and its gate results" || bad "gate: $rc $(tail -2 g.err)"
n=$((n + 1))
sed 's|<golden dir|<golden nosuch="1" dir|' cran.xml > badin.xml
"$PF" run --history "$DB" badin.xml > bi.out 2> bi.err; rc=$?
[ $rc = 2 ] && [ "$(hsql "$DB" "SELECT COUNT(*) FROM runs")" = $n ] && ok "bad input: exit 2, nothing appended" || bad "bad input: $rc"
for l in nokey =v 'a b=c'; do
	"$PF" run --history "$DB" --label "$l" cran.xml > bl.out 2> bl.err; rc=$?
	[ $rc = 2 ] && grep -qF "label '$l': expected key=value" bl.err || bad "label '$l': $rc $(cat bl.err)"
done
"$PF" run --label a=b cran.xml > nl.out 2> nl.err; rc=$?
[ $rc = 2 ] && grep -qF "give --history DB" nl.err && [ "$(hsql "$DB" "SELECT COUNT(*) FROM runs")" = $n ] \
	&& ok "bad labels and a label without a history: exit 2, nothing appended" || bad "labels: $rc $(cat nl.err)"

# A failed append: the goals table gone, so the append fails after most of
# its rows are in; the transaction is rolled back, the database as it was.
cp "$DB" broken.db
/usr/bin/python3 -c "import sqlite3; c = sqlite3.connect('broken.db'); c.execute('DROP TABLE goals'); c.commit()"
counts="SELECT (SELECT COUNT(*) FROM runs), (SELECT COUNT(*) FROM query_metrics), (SELECT COUNT(*) FROM rankings)"
before=$(hsql broken.db "$counts")
"$PF" run --quiet --history broken.db cran.xml > fa.out 2> fa.err; rc=$?
after=$(hsql broken.db "$counts")
[ $rc = 2 ] && grep -qF "preflight: broken.db: cannot append the run (the history is left as it was)" fa.err &&
grep -qF "no such table: goals" fa.err && [ "$before" = "$after" ] && [ -s out/results.json ] \
	&& ok "a failed append: exit 2 naming the database, nothing of the run left" || bad "failed append: $rc $(cat fa.err) [$before] [$after]"

# A newer schema than this binary knows is refused, by run and history.
cp "$DB" newer.db
/usr/bin/python3 -c "import sqlite3; c = sqlite3.connect('newer.db'); c.execute('UPDATE schema_version SET version = 99'); c.commit()"
"$PF" run --history newer.db cran.xml > nw.out 2> nw.err; rc=$?
"$PF" history newer.db > nw2.out 2> nw2.err; rc2=$?
[ $rc = 2 ] && [ $rc2 = 2 ] && grep -qF "newer.db: the history's schema is version 99, newer than this preflight" nw.err &&
grep -qF "(version 2)" nw2.err && [ "$(hsql newer.db "SELECT COUNT(*) FROM runs")" = $n ] \
	&& ok "a newer schema (99 > 1): exit 2 naming both versions" || bad "newer: $rc $rc2 $(cat nw.err nw2.err)"
echo hello > notdb
"$PF" history notdb > nd.out 2> nd.err; rc=$?
"$PF" history nosuch.db > ns.out 2> ns.err; rc2=$?
[ $rc = 2 ] && [ $rc2 = 2 ] && grep -qF "notdb: cannot open: file is not a database" nd.err && [ ! -e nosuch.db ] \
	&& ok "history of a non-database or a missing file: exit 2, nothing created" || bad "notdb: $(cat nd.err ns.err)"

# ---- concurrent and killed appends; prune ---------------------------------
check_concurrent_and_killed "$DB" cran.xml
check_prune "$DB"

echo "history: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
