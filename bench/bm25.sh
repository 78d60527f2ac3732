#!/usr/bin/env bash
# bench/bm25.sh — time the text stages' index build (the bm25 and
# textfeatures stages' open) with `preflight run --check`, which loads the
# golden set and opens every stage, then stops. Three scenarios, each with
# a control stack that builds no text index (one candidate from a LETOR
# file): load (the golden set's loading alone), bm25, and bm25 +
# textfeatures; a stage's open time is its scenario's time less load's.
#
# The corpus is generated unless CORPUS names a golden folder: one very
# long document of TOKENS tokens over DISTINCT distinct terms (each once
# first, then in a fixed pseudo-random order: the worst case for caches),
# SHORT ordinary documents of 50 tokens and 20 queries of 3 terms.
#   bash bench/bm25.sh PREFLIGHT [PREFLIGHT ...]
#   CORPUS=golden/cranfield QFILE=queries-test.tsv bash bench/bm25.sh ...
# Several binaries take turns in every round (fair under a varying load);
# each time (wall, and user + sys CPU) is the minimum of REPS rounds.
# With COUNT=1 it also counts the instructions of bm25_open and tf_open
# under valgrind's callgrind: exact, and unmoved by other load (slow: about
# a minute for the generated corpus; do not use it on a quadratic build).
# Environment: TOKENS (1500000), DISTINCT (300000), SHORT (1000), REPS (3),
# CORPUS, QFILE (queries.tsv), COUNT.
set -euo pipefail
[ $# -ge 1 ] || { echo "usage: bash bench/bm25.sh PREFLIGHT [PREFLIGHT ...]" >&2; exit 2; }
PFS=()
for p in "$@"; do PFS+=("$(realpath "$p")"); done
T=${TOKENS:-1500000} V=${DISTINCT:-300000} S=${SHORT:-1000} R=${REPS:-3}
Q=${QFILE:-queries.tsv}
W=$(dirname "$(realpath "$0")")/work/bm25
mkdir -p "$W"
if [ -n "${CORPUS:-}" ]; then
	G=$(realpath "$CORPUS")
	qid=$(awk -F'\t' 'NR == 2 { print $1; exit }' "$G/$Q")
	doc=$(awk -F'\t' 'NR == 1 { print $1; exit }' "$G/docs.tsv")
	printf '1 qid:%s 1:0.5 # %s\n' "$qid" "$doc" > "$W/cands.svm"
	what="$G: $(wc -l < "$G/docs.tsv") documents, $(wc -c < "$G/docs.tsv") bytes"
else
	G=$W Q=queries.tsv
	/usr/bin/python3 - "$W" "$T" "$V" "$S" <<'PY'
import sys
w, ntok, nvoc, nshort = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
def term(i):   # every term once first, then a fixed pseudo-random order
    if i < nvoc:
        return i
    x = (i * 0x9E3779B97F4A7C15) & (2**64 - 1)
    x ^= x >> 31
    return x % nvoc
with open(w + "/docs.tsv", "w") as f:
    f.write("long\tlong document\t" + " ".join("w%d" % term(i) for i in range(ntok)) + "\n")
    for d in range(nshort):
        f.write("d%d\tshort %d\t%s\n" % (d, d, " ".join("w%d" % term(ntok + 50 * d + j) for j in range(50))))
with open(w + "/queries.tsv", "w") as f:
    f.write("qid\ttext\n")
    for q in range(20):
        f.write("q%d\t%s\n" % (q, " ".join("w%d" % term(7 * ntok + 3 * q + j) for j in range(3))))
with open(w + "/cands.svm", "w") as f:   # the control stack: no text index
    f.write("1 qid:q0 1:0.5 # d0\n")
with open(w + "/qrels.txt", "w") as f:
    for q in range(20):
        f.write("q%d 0 d%d 1\n" % (q, q))
PY
	what="generated: $(wc -c < "$W/docs.tsv") bytes; one document of $T tokens, $V distinct; $S short documents"
fi
scenario() {	# $1 name, $2 the measured stack's stages
	cat > "$W/$1.xml" <<XML
<?xml version="1.0" encoding="UTF-8"?>
<scenario name="bench-$1" seed="1">
  <golden dir="$G" name="bench">
    <queries file="$Q"/>
    <docs file="docs.tsv"/>
    <qrels file="qrels.txt"/>
  </golden>
  <stack id="c" name="control: one candidate, no text index">
    <candidates file="$W/cands.svm"/>
  </stack>
  <stack id="s" name="$1">
    $2
  </stack>
  <metrics primary="ndcg_cut_10"><metric name="ndcg_cut.10"/></metrics>
  <outputs dir="$W/out"/>
</scenario>
XML
}
scenario load "<candidates file=\"$W/cands.svm\"/>"
scenario bm25 '<bm25 depth="100"/>'
scenario textfeatures '<bm25 depth="100"/><textfeatures/>'
echo "machine: $(lscpu | sed -n 's/^Model name: *//p') ($(nproc) cores), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "corpus: $what"
declare -A best cpu
for ((r = 0; r < R; r++)); do
	for s in load bm25 textfeatures; do
		for ((b = 0; b < ${#PFS[@]}; b++)); do
			t0=$(date +%s%N)
			/usr/bin/time -f '%U %S' -o "$W/time" "${PFS[b]}" run \
			    --check "$W/$s.xml" > /dev/null 2>&1
			ms=$(( ($(date +%s%N) - t0) / 1000000 ))
			c=$(awk '{ printf "%d", ($1 + $2) * 1000 }' "$W/time")
			k=$b.$s
			if [ -z "${best[$k]:-}" ] || [ "$ms" -lt "${best[$k]}" ]; then
				best[$k]=$ms
			fi
			if [ -z "${cpu[$k]:-}" ] || [ "$c" -lt "${cpu[$k]}" ]; then
				cpu[$k]=$c
			fi
		done
	done
done
# Wall time, and user + sys CPU time (less moved by other load; 10 ms grain).
for ((b = 0; b < ${#PFS[@]}; b++)); do
	for m in best cpu; do
		declare -n v=$m
		l=${v[$b.load]} x=${v[$b.bm25]} t=${v[$b.textfeatures]}
		echo "${PFS[b]} ($([ $m = best ] && echo wall || echo cpu)): load $l ms; bm25 scenario $x ms (bm25 open $((x - l)) ms); bm25 + textfeatures $t ms (textfeatures open $((t - x)) ms)"
	done
done
if [ -n "${COUNT:-}" ]; then
	for p in "${PFS[@]}"; do
		for fn in bm25_open tf_open; do
			valgrind --tool=callgrind --callgrind-out-file=/dev/null \
			    --toggle-collect=$fn "$p" run --check \
			    "$W/textfeatures.xml" > /dev/null 2> "$W/cg.err"
			echo "$p: $fn $(sed -n 's/.*Collected : //p' "$W/cg.err") instructions"
		done
	done
fi
