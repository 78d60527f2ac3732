#!/usr/bin/env bash
# bench/gbdt.sh — preflight's gbdt scorer against XGBoost's own predictor,
# same rows, same process (bench/gbdt_bench.c, libxgboost's C API):
# 1M documents x 136 dense float32 features (gen_letor.gen(10000, 100,
# seed=5): 10,000 queries x 100) through a 500-tree depth-6 LambdaMART that
# Debian's python3-xgboost trains here (bench/gbdt_make.py, the recipe of
# shared/data/models/xgb_ndcg_500x6.json), at 1 and 2 threads. Inputs go to
# bench/work/gbdt/ (git-ignored; delete to regenerate). Every margin is
# compared with XGBoost's bit for bit; the script fails if one differs.
# Then LightGBM: a 500-tree, 31-leaf lambdarank-shaped LightGBM text model
# (bench/gbdt_lgb_make.py; Debian has no LightGBM) through the compiled
# scorer and through the node walk, on the same rows as doubles (as the
# gbdt stage feeds LightGBM models) and as float32 (bench/lgb_bench.c);
# every compiled raw score is compared with the walk's bit for bit. XGBoost's
# predictor is timed on the same trees (bench/gbdt_lgb_to_xgb.py writes them
# as XGBoost JSON; on float32 rows without NaN every row reaches the same
# leaves).
#   bash bench/gbdt.sh [BUILD_DIR | BUILD_DIR/preflight]
#   env: NQ NDOC (rows = NQ x NDOC), REPS1 REPS2 (repeats; medians),
#        NWALK (rows the LightGBM walk is timed on), LGB_ONLY=1 (skip the
#        XGBoost model: no training, only the LightGBM runs and XGBoost's
#        predictor on the LightGBM trees), PF_BENCH_SCORER=avx2|avx512|scalar
#        (both drivers time that scorer instead of the CPU's best, e.g. the
#        AVX2 kernels on an AVX-512 machine)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
B=${1:-$here/../build}
[ -f "$B" ] && B=$(dirname "$B")	# make bench passes the preflight binary
SHARED=${SHARED:-}
for d in "$SHARED" "$here/../shared" "$here/../../shared"; do
	[ -n "$d" ] && [ -d "$d/data/models/scripts" ] && SHARED=$d && break
done
[ -d "$SHARED/data/models/scripts" ] || { echo "gbdt.sh: shared/ not found (set SHARED)"; exit 2; }
PY=/usr/bin/python3	# Debian's, which sees python3-xgboost
"$PY" -c 'import xgboost, numpy' 2>/dev/null ||
	{ echo "gbdt.sh: needs python3-xgboost and python3-numpy: make bench-deps"; exit 2; }
[ -n "${LGB_ONLY:-}" ] || [ -x "$B/pf_bench_gbdt" ] ||
	cmake --build "$B" --target pf_bench_gbdt
[ -x "$B/pf_bench_lgb" ] || cmake --build "$B" --target pf_bench_lgb
W=$here/work/gbdt
GBDT_ROWS_ONLY=${LGB_ONLY:-} "$PY" "$here/gbdt_make.py" "$SHARED/data/models/scripts" "$W" "${NQ:-10000}" "${NDOC:-100}"
echo "machine: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores; $(date -u +%Y-%m-%d)"
echo "command: bash bench/gbdt.sh $*"
# 2-thread runs are noisy on 2 vCPUs (MODELS.md 3): more repeats there.
if [ -z "${LGB_ONLY:-}" ]; then
	OMP_NUM_THREADS=1 "$B/pf_bench_gbdt" "$W/model.json" "$W/X.f32" 136 1 "${REPS1:-3}"
	OMP_NUM_THREADS=2 "$B/pf_bench_gbdt" "$W/model.json" "$W/X.f32" 136 2 "${REPS2:-5}"
fi
"$PY" "$here/gbdt_lgb_make.py" "$SHARED/data/models/scripts" "$W/lgb_model.txt"
[ -f "$W/lgb_as_xgb.json" ] || "$PY" "$here/gbdt_lgb_to_xgb.py" "$W/lgb_model.txt" "$W/lgb_as_xgb.json"
if [ -x "$B/pf_bench_gbdt" ]; then
	echo "XGBoost's predictor (and preflight's XGBoost scorer) on the LightGBM model's trees:"
	OMP_NUM_THREADS=1 "$B/pf_bench_gbdt" "$W/lgb_as_xgb.json" "$W/X.f32" 136 1 "${REPS1:-3}"
fi
OMP_NUM_THREADS=1 "$B/pf_bench_lgb" "$W/lgb_model.txt" "$W/X.f32" 136 1 "${REPS1:-3}" "${NWALK:-200000}"
OMP_NUM_THREADS=2 "$B/pf_bench_lgb" "$W/lgb_model.txt" "$W/X.f32" 136 2 "${REPS2:-5}" "${NWALK:-200000}"
