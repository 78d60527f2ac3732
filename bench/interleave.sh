#!/usr/bin/env bash
# bench/interleave.sh — simulated interleaving speed (metrics/interleave.h):
# 10,000 queries x 1,000 impressions x 2 stacks of synthetic lists (50
# documents each, grades 0-4), navigational 5-grade click model (DBN,
# depth 10), k = 10, on 2 threads; every method, then the 10,000-resample
# query bootstrap of its outcome. Median wall time of REPS runs per method.
#   bash bench/interleave.sh [BUILD_DIR | BUILD_DIR/preflight | pf_bench_interleave]
# Environment: REPS (default 3), OMP_NUM_THREADS (default 2), QUERIES,
# IMPRESSIONS, LEN.
set -euo pipefail
# The argument is a build folder, the driver, or (as `make bench` passes)
# any binary in the build folder.
B=${1:-build}
if [ -d "$B" ]; then
	B=$B/pf_bench_interleave
elif [ "$(basename "$B")" != pf_bench_interleave ]; then
	B=$(dirname "$B")/pf_bench_interleave
fi
if [ ! -x "$B" ]; then
	echo "bench/interleave.sh: no $B (cmake --build <dir> --target pf_bench_interleave)" >&2
	exit 1
fi
REPS=${REPS:-3}
export OMP_NUM_THREADS=${OMP_NUM_THREADS:-2}
Q=${QUERIES:-10000} R=${IMPRESSIONS:-1000} L=${LEN:-50}

echo "machine: $(lscpu | sed -n 's/^Model name: *//p') ($(nproc) cores), OMP_NUM_THREADS=$OMP_NUM_THREADS"
echo "command: $B $Q $R $L"
out=$(mktemp)
trap 'rm -f "$out"' EXIT
for i in $(seq "$REPS"); do
	"$B" "$Q" "$R" "$L" | tee -a "$out" | sed "s/^/run $i: /"
done
# median of the seconds column per method label
echo "median over $REPS runs:"
awk -F'  +' '$2 ~ / s$/ {
	label = $1; sub(/ s$/, "", $2); t[label] = t[label] " " $2
	if (!(label in seen)) { order[++k] = label; seen[label] = 1 }
} END {
	for (i = 1; i <= k; i++) {
		c = split(t[order[i]], v, " ")
		for (a = 1; a <= c; a++) for (b = a + 1; b <= c; b++)
			if (v[b] + 0 < v[a] + 0) { x = v[a]; v[a] = v[b]; v[b] = x }
		printf "  %-36s %7.3f s\n", order[i], v[int((c + 1) / 2)]
	}
}' "$out"
