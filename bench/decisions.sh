#!/usr/bin/env bash
# bench/decisions.sh — how often is the verdict right? The simulation study
# of the lift model and the verdict against known truth (bench/decisions_bench.c,
# METHODS.md §12): worlds of J past experiments and one new change, 10,000
# worlds per setting, a fixed seed; prints the Markdown tables of
# bench/RESULTS.md "decisions". Every world draws from its own Philox
# stream, so the tables are byte-identical for any OMP_NUM_THREADS.
#   bash bench/decisions.sh [BUILD_DIR | BUILD_DIR/preflight | pf_bench_decisions]
# Environment: WORLDS (default 10000), SEED (default 20261206), TABLES
# (letters c q t v i; default all), OMP_NUM_THREADS (default 2).
set -euo pipefail
# The argument is a build folder, the driver, or (as `make bench` passes)
# any binary in the build folder.
B=${1:-build}
if [ -d "$B" ]; then
	B=$B/pf_bench_decisions
elif [ "$(basename "$B")" != pf_bench_decisions ]; then
	B=$(dirname "$B")/pf_bench_decisions
fi
if [ ! -x "$B" ]; then
	echo "bench/decisions.sh: no $B (cmake --build <dir> --target pf_bench_decisions)" >&2
	exit 1
fi
export OMP_NUM_THREADS=${OMP_NUM_THREADS:-2}
W=${WORLDS:-10000} S=${SEED:-20261206} T=${TABLES:-cqtvi}
echo "machine: $(lscpu | sed -n 's/^Model name: *//p') ($(nproc) cores), OMP_NUM_THREADS=$OMP_NUM_THREADS"
echo "command: $B $W $S $T"
start=$(date +%s)
"$B" "$W" "$S" "$T"
echo
echo "wall: $(( $(date +%s) - start )) s"
