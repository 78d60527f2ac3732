#!/usr/bin/env bash
# Nothing lost: with a fault-injecting shim (tests/faults/shim.c, LD_PRELOAD)
# every fflush, fclose, fsync and rename of a run is made to fail in turn,
# one per run, for every N. A run the fault stops exits 2 naming the path,
# and every earlier output is still the old file (same inode); a run that
# goes on (the fault hit a file it only read) replaced all of them. No
# temporary or kept-aside file is left behind. For `run` (with
# --export-features, replaced with the others) and `compare -o`.
# usage: faults.sh PREFLIGHT SOURCE_DIR SHARED_DIR WORK_DIR
set -u
PF=$1 SRC=$2 WORK=$4
SHIM=$(dirname "$PF")/pf_fault_shim.so
[ -f "$SHIM" ] || { echo "SKIP: no $SHIM"; exit 77; }
rm -rf "$WORK"; mkdir -p "$WORK"; cd "$WORK" || exit 2
fail=0 pass=0
G=$SRC/golden/letor
C=$SRC/golden/cranfield-bm25
cat > s.xml <<XML
<?xml version="1.0"?>
<scenario name="faults" seed="2">
  <golden dir="$G"><queries file="queries.tsv"/><labels candidates="rank.test" query-file="rank.test.query"/></golden>
  <stack id="xgb"><candidates file="$G/rank.test" query-file="$G/rank.test.query"/><gbdt model="$G/xgb_pairwise_letor.json" first-feature="1"/></stack>
  <stack id="lgb"><candidates file="$G/rank.test" query-file="$G/rank.test.query"/><gbdt model="$G/lgb_lambdarank_letor.txt"/></stack>
  <metrics primary="ndcg_cut_10"><metric name="ndcg_cut.10"/></metrics>
  <compare bootstrap="100" permutations="100"/>
  <gates><gate id="g" metric="ndcg_cut_10" min-delta="-1"/></gates>
  <outputs dir="out"/>
</scenario>
XML
cp "$C/bm25.run" a.run
awk '{ $5 = -$5; print }' a.run > b.run
inodes() { for f in "$@"; do stat -c %i "$f" 2>/dev/null || echo none; done | tr '\n' ' '; }
# walk NAME OUTPUTS... -- CMD...: every fault of every kind, in turn
walk() {
	local name=$1; shift
	local outs=()
	while [ "$1" != "--" ]; do outs+=("$1"); shift; done; shift
	"$@" > /dev/null 2>&1 || { echo "FAIL $name: the plain run fails"; fail=$((fail+1)); return; }
	PF_FAULT=count PF_FAULT_OUT=count.txt LD_PRELOAD=$SHIM "$@" > /dev/null 2>&1
	local n=0 stopped=0 went=0
	for kind in fflush fclose fsync rename; do
		local k; k=$(awk -v k=$kind '{ for (i = 1; i < NF; i++) if ($i == k) print $(i + 1) }' count.txt)
		for i in $(seq 1 "$k"); do
			local before after rc
			before=$(inodes "${outs[@]}")
			PF_FAULT=$kind:$i LD_PRELOAD=$SHIM "$@" > run.out 2> run.err; rc=$?
			after=$(inodes "${outs[@]}")
			n=$((n + 1))
			if [ $rc = 2 ]; then
				stopped=$((stopped + 1))
				if [ "$before" != "$after" ]; then echo "FAIL $name $kind:$i: exit 2 but outputs replaced ($before -> $after)"; fail=$((fail+1)); fi
				if ! grep -q "preflight: .*: " run.err; then echo "FAIL $name $kind:$i: no path in: $(cat run.err)"; fail=$((fail+1)); fi
			elif [ $rc = 0 ]; then
				went=$((went + 1))
				for o in "${outs[@]}"; do
					case " $before " in *" $(inodes "$o") "*) echo "FAIL $name $kind:$i: exit 0 but $o not replaced"; fail=$((fail+1));; esac
				done
			else
				echo "FAIL $name $kind:$i: exit $rc: $(cat run.err)"; fail=$((fail+1))
			fi
			if ls "$(dirname "${outs[0]}")" | grep -q '\.tmp\|\.bak'; then echo "FAIL $name $kind:$i: left: $(ls "$(dirname "${outs[0]}")")"; fail=$((fail+1)); fi
		done
	done
	echo "PASS $name: $n faults ($(cat count.txt)): $stopped stopped the run with nothing replaced, $went hit a file only read"
	pass=$((pass+1))
}
walk run out/results.json out/report.html out/junit.xml out/xgb.run out/lgb.run out/f.svm -- "$PF" run --export-features out/f.svm s.xml
walk compare cmp/results.json cmp/report.html cmp/junit.xml -- "$PF" compare --bootstrap 100 --permutations 100 -o cmp "$C/qrels.txt" a.run b.run
echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
