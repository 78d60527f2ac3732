#!/usr/bin/env bash
# bench/eval.sh — `preflight eval` against `wc -l` (and trec_eval when the
# TREC_EVAL environment variable names a binary) on a synthetic run of
# 10,000 topics x 1,000 documents (~363 MB) with 100 judged documents per
# topic (grades 0-3). Same files, same run, median of REPS timings.
#   bash bench/eval.sh [PREFLIGHT_BINARY]
# Environment: REPS (default 5), WORK (default bench/work), TREC_EVAL.
set -euo pipefail
PF=${1:-build/preflight}
REPS=${REPS:-5}
WORK=${WORK:-bench/work}
mkdir -p "$WORK"
RUN=$WORK/synth.run QRELS=$WORK/synth.qrels

if [ ! -s "$RUN" ] || [ ! -s "$QRELS" ]; then
	echo "generating $RUN and $QRELS ..." >&2
	# Deterministic: a 32-bit LCG per topic. Lines are in rank order (as
	# real runs are); scores descend with rank.
	mawk 'BEGIN {
		srand(1);
		for (t = 1; t <= 10000; t++) {
			s = 1000.0;
			for (d = 1; d <= 1000; d++) {
				s -= 0.001 + (d % 7) * 0.0003;
				printf "%d Q0 d%d_%d %d %.4f bench\n", t, t, d, d, s > "'"$RUN"'";
				if (d % 10 == 0)
					printf "%d 0 d%d_%d %d\n", t, t, d, int(rand() * 4) > "'"$QRELS"'";
			}
		}
	}'
fi
ls -l "$RUN" "$QRELS" >&2

# time_cmd NAME CMD... : median wall seconds and max RSS over REPS runs.
time_cmd() {
	local name=$1; shift
	local ts=() rss=()
	for _ in $(seq "$REPS"); do
		/usr/bin/time -f '%e %M' -o "$WORK/time.txt" "$@" > "$WORK/$name.out"
		read -r t m < "$WORK/time.txt"
		ts+=("$t"); rss+=("$m")
	done
	local med mr
	med=$(printf '%s\n' "${ts[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
	mr=$(printf '%s\n' "${rss[@]}" | sort -n | tail -1)
	printf '%-12s median %6.3f s  (runs: %s)  max RSS %d MB\n' "$name" "$med" "${ts[*]}" $((mr / 1024))
	eval "T_$name=$med"
}

cat "$RUN" > /dev/null	# warm the page cache for every contender alike
echo "machine: $(lscpu | sed -n 's/^Model name: *//p') ($(nproc) cores), OMP_NUM_THREADS=${OMP_NUM_THREADS:-default}"
time_cmd wc wc -l "$RUN"
time_cmd preflight "$PF" eval -m ndcg_cut.10 -m map "$QRELS" "$RUN"
cat "$WORK/preflight.out"
if [ -n "${TREC_EVAL:-}" ]; then
	time_cmd trec_eval "$TREC_EVAL" -m ndcg_cut.10 -m map "$QRELS" "$RUN"
	if cmp -s "$WORK/trec_eval.out" "$WORK/preflight.out"; then echo "output: identical to trec_eval"
	else echo "output: DIFFERS from trec_eval"; diff "$WORK/trec_eval.out" "$WORK/preflight.out" || true; fi
	awk -v a="$T_trec_eval" -v b="$T_preflight" 'BEGIN { printf "speed-up over trec_eval: %.1fx\n", a / b }'
else
	echo "trec_eval: not timed (set TREC_EVAL=/path/to/trec_eval); reference on this machine class: 11.1-11.8 s, 858 MB"
	awk -v b="$T_preflight" 'BEGIN { printf "vs the reference 11.1 s: %.1fx\n", 11.1 / b }'
fi
awk -v a="$T_preflight" -v b="$T_wc" 'BEGIN { printf "preflight / wc -l: %.2f\n", a / b }'
