#!/usr/bin/env bash
# Every refusal of `preflight eval`: exit code 2, a message naming path:line,
# and the output file (-o) neither created nor replaced.
# usage: eval_bad_input.sh PREFLIGHT SOURCE_DIR SHARED_DIR WORK_DIR
set -u
PF=$1 WORK=$4
rm -rf "$WORK"; mkdir -p "$WORK"; cd "$WORK" || exit 2
fail=0 pass=0

printf '1 0 a 2\n1 0 b 0\n1 0 c 1\n2 0 a 1\n' > good.qrels
printf '1 Q0 a 1 3.0 t\n1 Q0 b 2 2.0 t\n1 Q0 c 3 1.0 t\n2 Q0 a 1 1.5 t\n' > good.run
echo "previous content" > keep.out

# expect_refusal NAME QRELS RUN 'path:line' 'message fragment'
expect_refusal() {
	local name=$1 qrels=$2 run=$3 where=$4 frag=$5
	cp keep.out out.txt
	"$PF" eval -o out.txt "$qrels" "$run" > stdout.txt 2> stderr.txt
	local rc=$?
	local msg; msg=$(cat stderr.txt)
	if [ $rc -ne 2 ]; then echo "FAIL $name: exit $rc, want 2 ($msg)"; fail=$((fail+1)); return; fi
	if ! grep -qF "preflight: $where: " stderr.txt; then echo "FAIL $name: message lacks '$where': $msg"; fail=$((fail+1)); return; fi
	if ! grep -qF "$frag" stderr.txt; then echo "FAIL $name: message lacks '$frag': $msg"; fail=$((fail+1)); return; fi
	if ! cmp -s out.txt keep.out; then echo "FAIL $name: output file was replaced"; fail=$((fail+1)); return; fi
	if ls out.txt.tmp* >/dev/null 2>&1; then echo "FAIL $name: temporary file left behind"; fail=$((fail+1)); return; fi
	if [ -s stdout.txt ]; then echo "FAIL $name: wrote to stdout"; fail=$((fail+1)); return; fi
	echo "PASS $name: $msg"; pass=$((pass+1))
}

printf '1 0 a 2\n1 0 b 1.7\n' > frac.qrels
expect_refusal fractional_grade frac.qrels good.run frac.qrels:2 "grade '1.7' is not an integer"
printf '1 0 a 2\n\n1 0 b abc\n' > alpha.qrels
expect_refusal non_numeric_grade alpha.qrels good.run alpha.qrels:3 "grade 'abc' is not an integer"
printf '1 0 a 2\n1 0 b 1 x\n' > five.qrels
expect_refusal qrels_five_fields five.qrels good.run five.qrels:2 "expected 4 fields"
printf '1 0 a 2\n1 0 b 1\n1 0 a 0\n' > dup.qrels
expect_refusal duplicate_qrels_pair dup.qrels good.run dup.qrels:3 "first at line 1"
printf '1 Q0 a 1 3.0 t\n1 Q0 b 2 abc t\n' > alpha.run
expect_refusal non_numeric_score good.qrels alpha.run alpha.run:2 "score 'abc' is not a finite number"
printf '1 Q0 a 1 3.0 t\n# comment\n1 Q0 b 2 nan t\n' > nan.run
expect_refusal nan_score good.qrels nan.run nan.run:3 "score 'nan' is not a finite number"
printf '1 Q0 a 1 inf t\n' > inf.run
expect_refusal infinite_score good.qrels inf.run inf.run:1 "score 'inf' is not a finite number"
printf '1 Q0 a 1 1e400 t\n' > huge.run
expect_refusal overflowing_score good.qrels huge.run huge.run:1 "score '1e400' is not a finite number"
printf '1 Q0 a 1 3.0 t\n1 Q0 b 2 2.0\n' > five.run
expect_refusal run_five_fields good.qrels five.run five.run:2 "expected 6 fields"
printf '1 Q0 a 1 3.0 t\n1 Q0 b 2 2.0 t\n2 Q0 a 1 1 t\n1 Q0 a 3 1.0 t\n' > dup.run
expect_refusal duplicate_doc_in_topic good.qrels dup.run dup.run:4 "duplicate document 'a' in topic '1' (first at line 1)"
: > empty.run
expect_refusal empty_run good.qrels empty.run empty.run "no run lines"

# Big qrels (> 1 MB) are parsed in parallel chunks: errors still name the
# first bad line in file order, duplicates across chunks name both lines.
awk 'BEGIN { for (i = 1; i <= 80000; i++) printf "%d 0 doc%d %d\n", i % 97, i, i % 3 }' > big.qrels
awk 'NR == 61234 { print "5 0 docX 1.5"; next } NR == 70000 { print "5 0 docY abc"; next } { print }' big.qrels > bigbad.qrels
expect_refusal big_qrels_first_error bigbad.qrels good.run bigbad.qrels:61234 "grade '1.5' is not an integer"
awk 'NR == 75000 { print "10 0 doc10 2"; next } { print }' big.qrels > bigdup.qrels
expect_refusal big_qrels_duplicate_across_chunks bigdup.qrels good.run bigdup.qrels:75000 "first at line 10)"

# A good pair writes the file and exits 0.
cp keep.out out.txt
if "$PF" eval -o out.txt good.qrels good.run 2>/dev/null && grep -q '^map' out.txt; then
	echo "PASS good_input_writes_output"; pass=$((pass+1))
else echo "FAIL good_input_writes_output"; fail=$((fail+1)); fi

echo "eval bad input: $pass passed, $fail failed"
[ $fail -eq 0 ]
