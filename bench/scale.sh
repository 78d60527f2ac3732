#!/usr/bin/env bash
# bench/scale.sh — replay and feature-importance throughput of `preflight
# run` against OpenMP threads (1, 2, 4, 8, 16; those above the machine's
# cores are skipped) and MPI ranks (1-4, one thread each; skipped without
# mpirun or above the cores), on a synthetic LETOR-shaped candidate file
# (NQ queries x NDOC documents, 300 sparse features, grades 0-4, awk with a
# fixed seed) scored by the two shipped LETOR models (golden/letor: XGBoost
# 50 trees, LightGBM 100 trees). Two scenarios: replay only, and replay +
# permutation importance of the XGBoost stage's features (1 repeat). Every
# configuration's results.json must equal the 1-thread one (but for
# "threads"): the script stops otherwise. Prints one table; wall time is
# the median of REPS runs, load and outputs included (what a user waits
# for). Inputs go to bench/work/scale/ (git-ignored).
#   bash bench/scale.sh [BUILD_DIR]
#   env: NQ (default 2000), NDOC (25), REPS (3), THREADS ("1 2 4 8 16"),
#        RANKS ("1 2 3 4")
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
SRC=$(cd "$here/.." && pwd)
B=${1:-$SRC/build}
[ -f "$B" ] && B=$(dirname "$B")
PF=$(cd "$B" && pwd)/preflight
[ -x "$PF" ] || { echo "scale.sh: no $PF (build it first)"; exit 2; }
NQ=${NQ:-2000} NDOC=${NDOC:-25} REPS=${REPS:-3}
NCPU=$(nproc)
W=$here/work/scale
mkdir -p "$W"; cd "$W"
if [ ! -f "cands-$NQ-$NDOC.svm" ]; then
	awk -v nq="$NQ" -v nd="$NDOC" 'BEGIN { srand(20261206);
		for (q = 1; q <= nq; q++) for (d = 1; d <= nd; d++) {
			printf "%d qid:%d", int(rand() * 5), q
			for (f = 1; f <= 300; f++) if (rand() < 0.3) printf " %d:%.3f", f, rand()
			printf "\n" } }' > "cands-$NQ-$NDOC.svm"
fi
C=$W/cands-$NQ-$NDOC.svm
mk() {	# NAME IMPORTANCE-ELEMENT
	cat > "$1.xml" <<XML
<?xml version="1.0"?>
<scenario name="scale" seed="7">
  <golden dir="$W"><labels candidates="$C"/></golden>
  <stack id="lgb"><candidates file="$C"/><gbdt model="$SRC/golden/letor/lgb_lambdarank_letor.txt" first-feature="0"/></stack>
  <stack id="xgb"><candidates file="$C"/><gbdt model="$SRC/golden/letor/xgb_pairwise_letor.json" first-feature="1"/></stack>
  <metrics primary="ndcg_cut_10"><metric name="ndcg_cut.10"/><metric name="map"/></metrics>
  <compare bootstrap="200" permutations="200"/>
  $2
</scenario>
XML
}
mk replay ""
mk importance '<importance><features stack="xgb" repeats="1"/></importance>'

median() { sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
# time_run LABEL CMD...: the median wall seconds; results.json (less
# "threads") kept as res-LABEL.json (the outputs all go to out/: the run
# files' paths are in results.json)
time_run() {
	local label=$1 i t0 t1; shift
	for ((i = 0; i < REPS; i++)); do
		rm -rf out
		t0=$(date +%s.%N)
		"$@" -o out > /dev/null 2> "err-$label" || { echo "scale.sh: $label failed: $(tail -3 "err-$label")" >&2; exit 1; }
		t1=$(date +%s.%N)
		echo "$t0 $t1" | awk '{ printf "%.3f\n", $2 - $1 }'
		if [ -f out/results.json ]; then grep -v '"threads":' out/results.json > "res-$label.json"; fi
	done | median
}
same() {	# LABEL REF-LABEL
	cmp -s "res-$1.json" "res-$2.json" ||
		{ echo "scale.sh: $1's results.json differs from $2's" >&2; exit 1; }
}
echo "machine: $(lscpu | sed -n 's/^Model name: *//p'), $NCPU cores; $(date -u '+%Y-%m-%d %H:%M UTC')"
echo "preflight: $("$PF" version 2>&1 | head -1); workload: $NQ queries x $NDOC documents x 300 features, 2 gbdt stacks; median of $REPS"
echo "load_s: run --check (reading and checking every file); replay_s: run of the replay-only"
echo "scenario less load_s (replay, statistics, outputs); imp_s: the importance scenario's run less"
echo "the replay-only one (the importance of the xgb stage's features)"
printf '%-14s %8s %9s %9s %11s %9s %9s\n' config load_s replay_s imp_s "replay_q/s" speedup imp_speedup
base_r= base_i=
row() {	# LABEL LOAD-S RUN-S IMP-RUN-S
	local r i
	r=$(awk -v a="$3" -v b="$2" 'BEGIN { print a - b }')
	i=$(awk -v a="$4" -v b="$3" 'BEGIN { print a - b }')
	[ -z "$base_r" ] && base_r=$r base_i=$i
	awk -v l="$1" -v c="$2" -v r="$r" -v i="$i" -v nq="$NQ" -v br="$base_r" -v bi="$base_i" 'BEGIN {
		printf "%-14s %8.3f %9.3f %9.3f %11.0f %8.2fx %8.2fx\n", l, c, r, i, (r > 0 ? nq / r : 0), (r > 0 ? br / r : 0), (i > 0 ? bi / i : 0) }'
}
for t in ${THREADS:-1 2 4 8 16}; do
	[ "$t" -le "$NCPU" ] || { echo "threads $t: skipped ($NCPU cores)"; continue; }
	c=$(time_run "c-t$t" "$PF" run -q --check --threads "$t" replay.xml)
	r=$(time_run "r-t$t" "$PF" run -q --threads "$t" replay.xml)
	i=$(time_run "i-t$t" "$PF" run -q --threads "$t" importance.xml)
	same "r-t$t" r-t1; same "i-t$t" i-t1
	row "threads $t" "$c" "$r" "$i"
done
if command -v mpirun > /dev/null; then
	for n in ${RANKS:-1 2 3 4}; do
		[ "$n" -le "$NCPU" ] || { echo "ranks $n: skipped ($NCPU cores)"; continue; }
		mpi=(mpirun --oversubscribe --allow-run-as-root -x OMP_NUM_THREADS=1 -np "$n")
		c=$(OMP_NUM_THREADS=1 time_run "c-n$n" "${mpi[@]}" "$PF" run -q --check replay.xml)
		r=$(OMP_NUM_THREADS=1 time_run "r-n$n" "${mpi[@]}" "$PF" run -q replay.xml)
		i=$(OMP_NUM_THREADS=1 time_run "i-n$n" "${mpi[@]}" "$PF" run -q importance.xml)
		grep -q "MPI ranks replayed" "err-r-n$n" || [ "$n" = 1 ] || { echo "scale.sh: $PF has no MPI"; break; }
		same "r-n$n" r-t1; same "i-n$n" i-t1
		row "mpi ranks $n" "$c" "$r" "$i"
	done
else
	echo "MPI ranks: skipped (no mpirun: Debian openmpi-bin)"
fi
