#!/usr/bin/env bash
# bench/load.sh — reading an MSLR-shaped candidate file: `preflight run
# --check` on a scenario over it (two stacks sharing the file, as replay
# reads it) against XGBoost's own loader, xgboost.DMatrix('FILE?format=
# libsvm') (Debian python3-xgboost, BENCH_PKGS), and `wc -l`, in the same
# run; median of REPS timings each, both numbers and the ratio. With the
# parsed-candidates cache (--cache): the first run (parse, write) and the
# second (mapped), and their ratio, of the whole `run --check` and of the
# load alone: --check's "load:" line (scenario, golden set and stages
# opened; of which the candidate file reads).
#   bash bench/load.sh [PREFLIGHT_BINARY]
# Environment: ROWS (default 1000000 rows x 136 features, ~1.3 GB), REPS
# (default 3), WORK (default bench/work), PYTHON (default /usr/bin/python3:
# Debian's, which has the xgboost module), OMP_NUM_THREADS (both readers).
set -euo pipefail
PF=${1:-build/preflight}
REPS=${REPS:-3}
ROWS=${ROWS:-1000000}
WORK=${WORK:-bench/work}
PYTHON=${PYTHON:-/usr/bin/python3}
HERE=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$WORK"
SVM=$WORK/mslr_$ROWS.svm

if [ ! -s "$SVM" ]; then
	echo "generating $SVM ..." >&2
	cc -O2 -o "$WORK/load_make" "$HERE/load_make.c"
	"$WORK/load_make" "$ROWS" > "$SVM.tmp" && mv "$SVM.tmp" "$SVM"
fi
ls -l "$SVM" >&2
printf 'bias 0.1\n1 1.0\n7 0.5\n' > "$WORK/load_w.txt"
cat > "$WORK/load.xml" <<XML
<?xml version="1.0"?>
<scenario name="load" seed="1">
  <golden dir="." name="load"><labels candidates="$(basename "$SVM")"/></golden>
  <stack id="a"><candidates file="$(basename "$SVM")"/><linear weights="load_w.txt"/></stack>
  <stack id="b"><candidates file="$(basename "$SVM")"/><linear weights="load_w.txt"/><cutoff k="10"/></stack>
  <metrics primary="ndcg_cut_10"><metric name="ndcg_cut.10"/></metrics>
  <outputs dir="load_out"/>
</scenario>
XML
cat > "$WORK/load_xgb.py" <<'PY'
import sys, xgboost
d = xgboost.DMatrix(sys.argv[1] + "?format=libsvm")
print(d.num_row(), d.num_col())
PY

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

# time_cmd NAME CMD... : median wall seconds, CPU seconds and max RSS; for
# a run --check, also the medians of its "load:" line in L_NAME (the whole
# load) and F_NAME (the candidate files).
time_cmd() {
	local name=$1; shift
	local ts=() cs=() rss=() ls=() fs=()
	for _ in $(seq "$REPS"); do
		${PRE:-true}
		/usr/bin/time -f '%e %U %S %M' -o "$WORK/time.txt" "$@" > "$WORK/$name.out"
		read -r t u s m < "$WORK/time.txt"
		ts+=("$t"); cs+=("$(awk -v u="$u" -v s="$s" 'BEGIN { print u + s }')"); rss+=("$m")
		if grep -q '^load: ' "$WORK/$name.out"; then
			ls+=("$(sed -n 's/^load: \([0-9.]*\) s.*/\1/p' "$WORK/$name.out")")
			fs+=("$(sed -n 's/^load: .*candidate files: \([0-9.]*\) s.*/\1/p' "$WORK/$name.out")")
		fi
	done
	local med mc mr
	med=$(printf '%s\n' "${ts[@]}" | median)
	mc=$(printf '%s\n' "${cs[@]}" | median)
	mr=$(printf '%s\n' "${rss[@]}" | sort -n | tail -1)
	printf '%-16s median %6.3f s  cpu %6.2f s  (runs: %s)  max RSS %d MB\n' "$name" "$med" "$mc" "${ts[*]}" $((mr / 1024))
	eval "T_$name=$med"
	if [ ${#ls[@]} -gt 0 ]; then
		eval "L_$name=$(printf '%s\n' "${ls[@]}" | median)"
		eval "F_$name=$(printf '%s\n' "${fs[@]}" | median)"
		printf '%-16s load median %6.3f s, candidate files %6.3f s (runs: %s / %s)\n' "" \
		    "$(eval echo \$L_$name)" "$(eval echo \$F_$name)" "${ls[*]}" "${fs[*]}"
	fi
}

cat "$SVM" > /dev/null	# warm the page cache for every contender alike
echo "machine: $(lscpu | sed -n 's/^Model name: *//p') ($(nproc) cores), OMP_NUM_THREADS=${OMP_NUM_THREADS:-default}, load average $(cut -d' ' -f1-3 /proc/loadavg)"
time_cmd wc wc -l "$SVM"
time_cmd preflight "$PF" run --check "$WORK/load.xml"
time_cmd xgboost "$PYTHON" "$WORK/load_xgb.py" "$SVM"
cat "$WORK/xgboost.out"
awk -v a="$T_xgboost" -v b="$T_preflight" 'BEGIN { printf "preflight vs xgboost.DMatrix: %.2fx faster (target >= 2x)\n", a / b }'
awk -v a="$T_preflight" -v b="$T_wc" 'BEGIN { printf "preflight / wc -l: %.1f\n", a / b }'
if "$PF" run --help 2>&1 | grep -q -- '--cache'; then
	rm -rf "$WORK/load_cache"
	PRE="rm -rf $WORK/load_cache" time_cmd cache_first "$PF" run --check --cache "$WORK/load_cache" "$WORK/load.xml"
	"$PF" run --check --cache "$WORK/load_cache" "$WORK/load.xml" > /dev/null
	time_cmd cache_second "$PF" run --check --cache "$WORK/load_cache" "$WORK/load.xml"
	awk -v a="$T_cache_first" -v b="$T_cache_second" 'BEGIN { printf "cache: second run --check / first: %.3f (target < 0.1)\n", b / a }'
	if [ -n "${L_cache_second:-}" ]; then
		awk -v a="$L_cache_first" -v b="$L_cache_second" 'BEGIN { printf "cache: second load / first (scenario, golden set, stages): %.3f\n", b / a }'
		awk -v a="$F_cache_first" -v b="$F_cache_second" 'BEGIN { printf "cache: second candidate file read / first (parse + entry written vs mapped): %.3f (target < 0.1)\n", b / a }'
		awk -v a="$F_preflight" -v b="$F_cache_second" 'BEGIN { printf "cache: mapped read / uncached parse: %.3f\n", b / a }'
	fi
fi
