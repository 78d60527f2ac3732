#!/usr/bin/env bash
# Sharded replay (README "Running on a cluster"): `run --shard I/N` for
# I = 0..N-1, then `merge`, gives the outputs of one `run` of the scenario,
# for N = 1, 2, 3 (letor-models: 2) and any thread count: results.json, junit.xml,
# report.html and every run file compared with cmp after removing only
# what differs between two identical runs (dist_lib.sh: the thread count,
# the time, the host, the command line). cranfield.xml has interleaving,
# feature importance, stage attribution with oracles and a lift
# prediction; letor-models.xml two gbdt stacks over candidate files. The
# importance tasks and the attribution's hybrids run in the shards: a
# part's values are the merge's.
# usage: dist_shards.sh PREFLIGHT SOURCE_DIR SHARED_DIR WORK_DIR
set -u
PF=$1 SRC=$2 WORK=$4
rm -rf "$WORK"; mkdir -p "$WORK/scenarios"; cd "$WORK" || exit 2
# shellcheck source=tests/e2e/lib/dist.sh
. "$SRC/tests/e2e/lib/dist.sh"
fail=0

# one SCENARIO N: the shards (2 threads) merged into out/, against ref/
one() {
	local s=$1 n=$2 i parts=()
	rm -rf out part-*
	for ((i = 0; i < n; i++)); do
		"$PF" run -q --threads 2 --shard "$i/$n" "$s" -o "part-$i" \
		    > /dev/null 2> "shard-$i-$n.err" || { echo "FAIL $s shard $i/$n: $(cat "shard-$i-$n.err")"; fail=1; return; }
		parts+=("part-$i")
	done
	# the parts in any order on the command line
	"$PF" merge -q "${parts[@]}" -o out > merge.out 2> merge.err
	rc=$?
	[ "$rc" = "$want_rc" ] || { echo "FAIL $s N=$n: merge exit $rc, one process $want_rc: $(cat merge.err)"; fail=1; return; }
	cmp -s merge.out ref.stdout || { echo "FAIL $s N=$n: merge's stdout differs"; diff ref.stdout merge.out | head -5; fail=1; }
	dist_same ref out "$s N=$n" || fail=1
}

for s in cranfield letor-models; do
	sed "s|\.\./golden/|$SRC/golden/|g" "$SRC/scenarios/$s.xml" > "scenarios/$s.xml"
	rm -rf out ref
	"$PF" run -q --threads 1 "scenarios/$s.xml" -o out > ref.stdout 2> ref.err
	want_rc=$?
	[ "$want_rc" -le 1 ] || { echo "FAIL one process: $(cat ref.err)"; exit 1; }
	mv out ref
	# what must be there for the comparison to mean anything
	if [ "$s" = cranfield ]; then
		for k in '"importance"' '"attribution"' '"interleaving"' '"lift"'; do
			grep -q "$k" ref/results.json || { echo "FAIL $s: no $k in results.json"; fail=1; }
		done
	fi
	# (letor-models: N = 1 and 3 are cranfield's code paths; kept short)
	for n in $([ "$s" = cranfield ] && echo 1 3 2 || echo 2); do
		one "scenarios/$s.xml" "$n"
	done
	# the importance tasks, the attribution's hybrids and its oracle split
	# ran in the shards, not again in the merge: a part's last value of
	# each changed (by lib/part_edit.py, an independent reader of the
	# format), merged again, changes that analysis in results.json
	if [ "$s" = cranfield ]; then
		cp part-1/part.pfp part-1.pfp	# N = 2's, the last made
		for sec in importance attribution oracle; do
			cp part-1.pfp part-1/part.pfp
			python3 "$SRC/tests/e2e/lib/part_edit.py" part-1/part.pfp $sec || { fail=1; continue; }
			rm -rf out; "$PF" merge -q part-0 part-1 -o out > /dev/null 2> edit.err ||
			    { echo "FAIL merge of an edited part: $(cat edit.err)"; fail=1; continue; }
			for f in ref out; do
				python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['${sec/oracle/attribution}'])" $f/results.json > $f.$sec
			done
			cmp -s ref.$sec out.$sec &&
			    { echo "FAIL the part's $sec values are not what the merge uses"; fail=1; }
		done
	fi
	# a shard's range: cranfield's 112 queries in 3 shards are 38, 37, 37
	[ "$s" = cranfield ] && ! grep -q 'shard 1/3, queries 39 to 75 of 112' shard-1-3.err &&
	    { echo "FAIL shard 1/3's range: $(cat shard-1-3.err)"; fail=1; }
done
[ $fail = 0 ] && echo "OK: --shard + merge for N = 1, 2, 3 equals one process"
exit $fail
