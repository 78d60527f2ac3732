#!/usr/bin/env bash
# bench/importance.sh — permutation importance (harness/analysis/importance.h) of
# all 136 features x 1 repeat on NDCG@10 over 10,000 queries x 100
# documents with a 500-tree depth-6 LambdaMART (bench/gbdt_make.py's model
# and rows, grades from bench/importance_make.py), through preflight's
# library path (bench/importance_bench.c: scenario, replay, importance),
# against the Python loop a practitioner writes (bench/importance_peer.py:
# xgboost inplace_predict + numpy NDCG@10, one feature permuted at a time)
# on a subset of features; compared per feature. Inputs go to
# bench/work/gbdt/ (git-ignored; delete to regenerate).
#   bash bench/importance.sh [BUILD_DIR]
#   env: NQ NDOC, THREADS (default 2), PEER_FEATURES (0-based, default
#        "0 1 2 5 40"), FULL=1 also times the whole-model scorer
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
B=${1:-$here/../build}
[ -f "$B" ] && B=$(dirname "$B")
SHARED=${SHARED:-}
for d in "$SHARED" "$here/../shared" "$here/../../shared" /work/shared; do
	[ -n "$d" ] && [ -d "$d/data/models/scripts" ] && SHARED=$d && break
done
[ -d "$SHARED/data/models/scripts" ] || { echo "importance.sh: shared/ not found (set SHARED)"; exit 2; }
PY=/usr/bin/python3
"$PY" -c 'import xgboost, numpy' 2>/dev/null ||
	{ echo "importance.sh: needs python3-xgboost and python3-numpy: make bench-deps"; exit 2; }
[ -x "$B/pf_bench_importance" ] || cmake --build "$B" --target pf_bench_importance
NQ=${NQ:-10000} NDOC=${NDOC:-100} T=${THREADS:-2}
W=$here/work/gbdt
"$PY" "$here/gbdt_make.py" "$SHARED/data/models/scripts" "$W" "$NQ" "$NDOC"
"$PY" "$here/importance_make.py" "$SHARED/data/models/scripts" "$W" "$NQ" "$NDOC"
mkdir -p "$W/imp"
echo "machine: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores; $(date -u +%Y-%m-%d)"
echo "command: bash bench/importance.sh $*"
OMP_NUM_THREADS=$T "$B/pf_bench_importance" "$W/model.json" "$W/X.f32" "$W/y.i32" \
	"$NQ" "$NDOC" "$W/imp" ${FULL:+full} | tee "$W/imp/preflight.txt"
# shellcheck disable=SC2086
OMP_NUM_THREADS=$T "$PY" "$here/importance_peer.py" "$W/model.json" "$W/X.f32" \
	"$W/y.i32" "$NQ" "$NDOC" "$T" ${PEER_FEATURES:-0 1 2 5 40} | tee "$W/imp/python.txt"
pf=$(sed -n 's/.*changed-trees scorer.*, \([0-9.]*\) s per feature.*/\1/p' "$W/imp/preflight.txt")
py=$(sed -n 's/^python: \([0-9.]*\) s per feature.*/\1/p' "$W/imp/python.txt")
awk -v a="$pf" -v b="$py" 'BEGIN { printf "per feature: preflight %.4f s, python %.3f s: %.1fx\n", a, b, b / a }'
