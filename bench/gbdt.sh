#!/usr/bin/env bash
# bench/gbdt.sh — the gbdt scorer against XGBoost's own predictor, same
# rows, same process: 1M documents x 136 dense float32 features (10,000
# queries x 100) through the 500-tree depth-6 model in shared/data/models
# (xgb_ndcg_500x6.json, trained by XGBoost 1.7.4 on synthetic LETOR-like
# data; see shared/data/models/scripts), at 1 and 2 threads.
#   bash bench/gbdt.sh [BUILD_DIR]
set -euo pipefail
B=${1:-build}
[ -f "$B" ] && B=$(dirname "$B")	# make bench passes the preflight binary
SHARED=${SHARED:-$(cd "$(dirname "$0")/../.." && pwd)/shared}
MODEL=$SHARED/data/models/xgb_ndcg_500x6.json
[ -f "$MODEL" ] || { echo "no $MODEL"; exit 2; }
echo "machine: $(lscpu | sed -n 's/^Model name: *//p') ($(nproc) cores)"
for t in 1 2; do "$B/pf_bench_gbdt" "$MODEL" "${ROWS:-1000000}" "$t"; done
