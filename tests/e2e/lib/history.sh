# tests/e2e/lib/history.sh — reading a history database from the tests,
# independently of preflight: SQLite through python3's sqlite3 module,
# PostgreSQL through psql (lib/pg.sh). Sourced, not a test itself.
#
#   hsql DB SQL        the rows, one a line, cells joined by '|' (NULL empty)
#   incomplete DB      how many runs are incomplete plus how many rows
#                      belong to no run (0 when the history holds complete
#                      runs only)

hsql() {
	case $1 in
	postgres*) psql -X -A -t -q -v ON_ERROR_STOP=1 -d "$1" -c "$2" ;;
	*) /usr/bin/python3 - "$1" "$2" <<'PY'
import sqlite3, sys
con = sqlite3.connect("file:%s?mode=ro" % sys.argv[1], uri=True)
for row in con.execute(sys.argv[2]):
    print("|".join("" if v is None else str(v) for v in row))
PY
	;;
	esac
}

# A run is complete when every table holds what its counts promise:
# query_metrics stacks x judged queries x metrics rows, stack_metrics
# stacks x metrics, one stacks row a stack, its inputs, a ranking, its
# gate results and feature statistics (the scenarios tested have gates and a
# stack with features).
incomplete() {
	local orphans="" t
	for t in run_labels inputs stacks stack_metrics query_metrics \
		segment_metrics gate_results rankings feature_stats goals; do
		orphans="$orphans + (SELECT COUNT(*) FROM $t WHERE run NOT IN (SELECT id FROM runs))"
	done
	hsql "$1" "SELECT (SELECT COUNT(*) FROM runs r WHERE
	    (SELECT COUNT(*) FROM query_metrics x WHERE x.run = r.id) <> r.nstacks * r.nqueries * r.nmetrics
	 OR (SELECT COUNT(*) FROM stack_metrics x WHERE x.run = r.id) <> r.nstacks * r.nmetrics
	 OR (SELECT COUNT(*) FROM stacks x WHERE x.run = r.id) <> r.nstacks
	 OR (SELECT COUNT(*) FROM inputs x WHERE x.run = r.id) = 0
	 OR (SELECT COUNT(*) FROM rankings x WHERE x.run = r.id) = 0
	 OR (SELECT COUNT(*) FROM gate_results x WHERE x.run = r.id) = 0
	 OR (SELECT COUNT(*) FROM feature_stats x WHERE x.run = r.id) = 0) $orphans"
}

# wait_for FILE TEXT [SECONDS]: until FILE holds TEXT (1 when it never does)
wait_for() {
	local i
	for i in $(seq 1 $((${3:-60} * 10))); do
		grep -qF "$2" "$1" 2>/dev/null && return 0
		sleep 0.1
	done
	return 1
}
