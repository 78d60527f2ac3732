#!/usr/bin/env bash
# bench/history.sh — appending one run to a history database (README
# "History"): a synthetic run of 10,000 queries x 3 stacks x 8 metrics
# (240,000 query_metrics rows, 300,000 rankings rows, the comparisons,
# segments, gates, inputs and 39 feature statistics) into a new SQLite file;
# the median of REPS appends, each into a fresh file. Issue 17's target:
# under 1 s. With PG_URI set, also into that PostgreSQL database.
#   bash bench/history.sh [BUILD_DIR | BUILD_DIR/preflight | pf_bench_history]
# Environment: REPS (default 5), QUERIES, STACKS, METRICS, PG_URI.
set -euo pipefail
B=${1:-build}
if [ -d "$B" ]; then
	B=$B/pf_bench_history
elif [ "$(basename "$B")" != pf_bench_history ]; then
	B=$(dirname "$B")/pf_bench_history
fi
if [ ! -x "$B" ]; then
	echo "bench/history.sh: no $B (cmake --build <dir> --target pf_bench_history)" >&2
	exit 1
fi
Q=${QUERIES:-10000} S=${STACKS:-3} M=${METRICS:-8}
echo "machine: $(lscpu | sed -n 's/^Model name: *//p') ($(nproc) cores)"
echo "command: $B $Q $S $M"
"$B" "$Q" "$S" "$M"
if [ -n "${PG_URI:-}" ]; then
	echo "command: $B $Q $S $M \$PG_URI (one database, REPS appends into it)"
	"$B" "$Q" "$S" "$M" "$PG_URI"
fi
