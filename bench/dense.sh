#!/usr/bin/env bash
# bench/dense.sh — exact dense top-k (the dense stage's harness/text/dense_search.h)
# against FAISS IndexFlatIP (Debian python3-faiss, `make bench-deps`) and
# against the sgemm-only time of the same product on this machine:
# QUERIES x DOCS x DIM float32, entries uniform in [-1, 1), top K by inner
# product, on OMP_NUM_THREADS threads. Also checks that FAISS's top K sets
# agree with preflight's (float32 FAISS may swap documents whose scores
# differ by rounding only).
#   bash bench/dense.sh [BUILD_DIR | BUILD_DIR/preflight | pf_bench_dense]
# Environment: QUERIES (10000), DOCS (100000), DIM (128), K (100),
# OMP_NUM_THREADS (2), REPS (3): every time is the minimum of REPS runs.
set -euo pipefail
B=${1:-build}
if [ -d "$B" ]; then
	B=$B/pf_bench_dense
elif [ "$(basename "$B")" != pf_bench_dense ]; then
	B=$(dirname "$B")/pf_bench_dense
fi
[ -x "$B" ] || { echo "bench/dense.sh: no $B (cmake --build <dir> --target pf_bench_dense)" >&2; exit 1; }
export OMP_NUM_THREADS=${OMP_NUM_THREADS:-2}
Q=${QUERIES:-10000} N=${DOCS:-100000} D=${DIM:-128} K=${K:-100} R=${REPS:-3}
W=$(dirname "$0")/work/dense
mkdir -p "$W"
echo "machine: $(lscpu | sed -n 's/^Model name: *//p') ($(env -u OMP_NUM_THREADS nproc) cores), load $(cut -d' ' -f1-3 /proc/loadavg), OMP_NUM_THREADS=$OMP_NUM_THREADS"
echo "command: $B $Q $N $D $K $W $R"
"$B" "$Q" "$N" "$D" "$K" "$W" "$R"
/usr/bin/python3 - "$W" "$K" "$R" <<'PY' || echo "FAISS: not run (python3-faiss missing?)"
import sys, time
import numpy as np
import faiss
w, k = sys.argv[1], int(sys.argv[2])
q, d = np.load(w + "/queries.npy"), np.load(w + "/docs.npy")
t = 1e300
for r in range(int(sys.argv[3])):
    t0 = time.perf_counter()
    index = faiss.IndexFlatIP(d.shape[1])
    index.add(d)
    _, ids = index.search(q, k)
    t = min(t, time.perf_counter() - t0)
flop = 2.0 * q.shape[0] * d.shape[0] * d.shape[1]
print("faiss %s IndexFlatIP top-%d: %.3f s, %.1f GFLOP/s (%d threads)" % (faiss.__version__, k, t, flop / t * 1e-9, faiss.omp_get_max_threads()))
ours = [set(map(int, l.split())) for l in open(w + "/topk-ip.txt")]
same = sum(len(a & set(b)) for a, b in zip(ours, ids.tolist()))
print("top-%d agreement with faiss: %.6f of %d documents" % (k, same / (k * len(ours)), k * len(ours)))
PY
