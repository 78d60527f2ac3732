#!/usr/bin/env bash
# Against last known good and `preflight diff` on a SQLite history
# (README "preflight diff"), end to end on the Cranfield scenario:
#  - five nights with a model change on night 4 (lib/diff_checks.sh): the
#    last-pass gate is skipped on night 1 (the reason in junit.xml, exit
#    0), passes on 2-3, fails on 4 with the paired delta that python
#    computes from `preflight eval -q` on the nights' run files, and on 5
#    against run 3 still (4 failed); label:model=v41 likewise;
#  - diff DB#3 DB#4 names the changed model (sha256) and label, the delta
#    and the flipped gate; diff of the nights' results.json gives the same
#    numbers; diff.html is self-contained; DB#last-pass DB#last;
#  - a sixth night with a shallower retrieval for the reranker: diff 5 6
#    flags the features that drifted, PSI recomputed with numpy;
#  - bad input: an unknown run, a file that is not a results.json, a
#    database that is not there, two runs with no stack in common, a
#    missing side: exit 2 with the message, nothing written.
# usage: diff.sh PREFLIGHT SOURCE_DIR SHARED_DIR WORK_DIR
set -u
PF=$1 SRC=$2 WORK=$4
rm -rf "$WORK"; mkdir -p "$WORK"; cd "$WORK" || exit 2
. "$SRC/tests/e2e/lib/check.sh"
. "$SRC/tests/e2e/lib/history.sh"
. "$SRC/tests/e2e/lib/diff_checks.sh"
DB=$WORK/h.db

diff_setup || { echo "FAIL setup"; exit 1; }
diff_nights "$DB"
diff_check_gates
diff_check_diff "$DB"

# ---- a sixth night: the reranker sees BM25's top 30, not 100 -----------
sed '0,/depth="100" stopwords/! s/depth="100" stopwords/depth="30" stopwords/' nights-v42.xml > nights-depth.xml
"$PF" run --quiet --history "$DB" --label model=v42 nights-depth.xml > night6.out 2> night6.err
"$PF" diff "$DB#5" "$DB#6" -o d56 > d56.out 2> d56.err; rc=$?
[ $rc = 0 ] && grep -q "^features drifted (PSI >= 0.10 or missing rate moved 5 points): [1-9][0-9]* of 12 compared$" d56.out &&
grep -q "^  bm25-lambdamart  retrieval_rank (11) .*PSI [0-9.]* (large)" d56.out &&
/usr/bin/python3 "$SRC/tests/e2e/lib/diff_verify.py" psi d56/diff.json retrieval_rank > psi.txt 2>&1 \
	&& ok "diff 5 6: the features the shallower retrieval moved are flagged (retrieval_rank (11), textfeatures' name, first); PSI = numpy's from the stored sketches" \
	|| bad "drift: $rc $(cat d56.err) $(tail -3 psi.txt) $(grep -A3 '^features' d56.out)"
"$PF" diff "$DB#3" "$DB#4" > d34b.out 2>&1
grep -q "^features drifted .*: 0 of 12 compared$" d34b.out \
	&& ok "a model change alone moves no feature: nothing flagged" || bad "no drift on 3 4: $(grep features d34b.out)"

# ---- bad input: exit 2, a clear message, nothing written ---------------
expect2() {	# NAME REGEX ARGS...: exit 2, stderr matches, no out2/
	local name=$1 re=$2 rc; shift 2
	rm -rf out2
	"$PF" diff "$@" -o out2 > bad.out 2> bad.err; rc=$?
	[ $rc = 2 ] && grep -Eq -- "$re" bad.err && [ ! -e out2 ] && [ ! -s bad.out ] \
		&& ok "bad input, $name: exit 2, '$(head -1 bad.err | cut -c1-110)'" \
		|| bad "bad input, $name: exit $rc: $(cat bad.err)"
}
expect2 "an unknown run" "h\.db: no run 99 \(it holds 6 runs, ids 1 to 6; preflight history lists them\)" "$DB#99" "$DB#4"
expect2 "a file that is not results.json" "nights\.xml:1: not a preflight results\.json: invalid JSON" nights.xml results.3.json
echo '{"schema": "preflight.history/1", "runs": []}' > list.json
expect2 "JSON of another kind" "list\.json: not a preflight results\.json \(expected \"schema\": \"preflight\.results/1\"\)" results.3.json list.json
expect2 "a database that is not there" "nope\.db: cannot open: No such file or directory \(a history is made by preflight run --history\)" nope.db#1 "$DB#2"
expect2 "a missing file" "nope\.json: cannot open: No such file or directory" nope.json results.3.json
"$PF" compare -o cmp "$SRC/golden/cranfield/qrels.txt" lm.3.run lm.4.run > /dev/null 2>&1
expect2 "no stack in common" "have no stack in common \(lm\.3\.run, lm\.4\.run; bm25, bm25-lambdamart, lsa\): nothing to compare" cmp/results.json results.4.json
"$PF" diff results.3.json > usage.out 2>&1; rc=$?
[ $rc = 2 ] && grep -q "^preflight diff: expected two runs A and B, got 1$" usage.out && grep -q "^preflight diff: see .preflight help diff.$" usage.out && ok "one side only: a usage error and the hint, exit 2" || bad "usage: $rc"
[ "$(hsql "$DB" "SELECT COUNT(*) FROM runs")" = 6 ] && [ "$(incomplete "$DB")" = 0 ] \
	&& ok "the history is as the nights left it (diff never writes to it)" || bad "history changed"

echo "diff: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
