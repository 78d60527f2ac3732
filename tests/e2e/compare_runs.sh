#!/usr/bin/env bash
# `preflight compare QRELS RUN_A RUN_B`: the means equal `preflight eval`'s
# (which equal trec_eval's), comparing a run with itself gives a zero delta,
# p = 1 and all ties, and the reports are written and valid.
# usage: compare_runs.sh PREFLIGHT SOURCE_DIR SHARED_DIR WORK_DIR
set -u
PF=$1 SRC=$2 SHARED=$3 WORK=$4
C=$SRC/golden/cranfield-bm25
XSD=$SHARED/schemas/junit-10.xsd
rm -rf "$WORK"; mkdir -p "$WORK"; cd "$WORK" || exit 2
fail=0
cp "$C/bm25.run" a.run
# a second run: the same with the top two documents of every topic swapped
awk '{ if ($4 == 1) { hold = $0; next } if ($4 == 2) { print; split(hold, h); print h[1], h[2], h[3], 1, $5 - 0.001, h[6]; next } print }' a.run > b.run
"$PF" compare --bootstrap 2000 --permutations 2000 -o out "$C/qrels.txt" a.run b.run > cmp.txt 2> cmp.err || { echo "FAIL compare: $(cat cmp.err)"; exit 1; }
cat cmp.txt
for r in a b; do
	want=$("$PF" eval -m ndcg_cut.10 "$C/qrels.txt" $r.run | awk '{print $3}')
	got=$(python3 -c "import json; r=json.load(open('out/results.json')); print('%.4f' % [s for s in r['stacks'] if s['id'] == '$r.run'][0]['mean']['ndcg_cut_10'])")
	[ "$want" = "$got" ] && echo "PASS $r: ndcg_cut_10 $got equals preflight eval" || { echo "FAIL $r: $got vs $want"; fail=1; }
done
cp a.run a2.run
"$PF" compare --bootstrap 500 --permutations 500 "$C/qrels.txt" a.run a2.run > self.txt 2>&1
grep -q "a2.run vs a.run, ndcg_cut_10: +0.0000 \[95% CI +0.0000, +0.0000\], p=1.0000 (Holm 1.0000), W/L/T 0/0/225" self.txt \
	&& echo "PASS a run against itself: zero delta, p = 1, all ties" || { echo "FAIL self: $(cat self.txt)"; fail=1; }
if [ -f "$XSD" ]; then
	xmllint --noout --schema "$XSD" out/junit.xml 2>/dev/null && echo "PASS junit valid" || { echo "FAIL junit"; fail=1; }
fi
xmllint --noout out/report.html && echo "PASS report well-formed" || fail=1
python3 -c "import json,sys; r=json.load(open('out/results.json')); assert [i['role'] for i in r['inputs']] == ['qrels','run','run'], r['inputs']" \
	&& echo "PASS results.json hashes qrels and runs" || fail=1
# three runs: ranx-style markers name the stacks a value significantly beats
awk '{ $5 = -$5; print }' a.run > c.run	# every ranking reversed
"$PF" compare --bootstrap 200 --permutations 2000 -o out3 "$C/qrels.txt" a.run b.run c.run > three.txt 2>&1
grep -q '▼ worse &gt;c.run\|n.s. &gt;c.run\|better &gt;c.run' out3/report.html && ! grep -q '&gt;a.run' <(grep 'c.run versus' -A 12 out3/report.html) \
	&& echo "PASS markers: b.run beats c.run, c.run beats nothing" || { echo "FAIL markers"; grep -o '&gt;[a-z.]*' out3/report.html | sort | uniq -c; fail=1; }
"$PF" compare "$C/qrels.txt" a.run > /dev/null 2>&1; [ $? -eq 2 ] && echo "PASS one run: usage, exit 2" || fail=1
# per_query.num_ret is each run's list length (100 per topic here), and a
# run lacking topics says how many; --common-topics leaves them out
python3 - out/results.json a.run <<'PY' && echo "PASS num_ret is the run's list lengths" || fail=1
import collections, json, sys
r = json.load(open(sys.argv[1]))
lines = collections.Counter(l.split()[0] for l in open(sys.argv[2]))
got = dict(zip(r["queries"], r["stacks"][0]["per_query"]["num_ret"]))
assert got == {q: lines.get(q, 0) for q in r["queries"]}, "num_ret"
assert min(got.values()) < 100 < max(got.values()) + 1
PY
awk '$1 != "1" && $1 != "2"' a.run > short.run
"$PF" compare --bootstrap 200 --permutations 200 "$C/qrels.txt" a.run short.run > short.txt 2>&1
"$PF" compare --bootstrap 200 --permutations 200 --common-topics "$C/qrels.txt" a.run short.run > common.txt 2>&1
grep -q "^short.run lacks 2 of the 225 judged topics: they score 0" short.txt && grep -q "^225 queries with judgments" short.txt &&
grep -q "^223 queries with judgments (2 without, left out of the means)" common.txt \
	&& echo "PASS missing topics: counted per run; --common-topics keeps the 223 every run has" || { echo "FAIL missing topics"; cat short.txt common.txt | head; fail=1; }
# The confirmatory family is the primary metric over the treatments: adding
# or removing secondary metrics changes no primary number (its random
# streams are keyed by the metric's name, its Holm family holds only it).
"$PF" compare --bootstrap 500 --permutations 500 -m ndcg_cut.10 "$C/qrels.txt" a.run b.run c.run > one.txt 2>&1
"$PF" compare --bootstrap 500 --permutations 500 -m judged.10 -m ndcg_cut.10 -m P.10 -m map "$C/qrels.txt" a.run b.run c.run > many.txt 2>&1
if [ -s one.txt ] && diff <(grep ', ndcg_cut_10: ' one.txt) <(grep ', ndcg_cut_10: ' many.txt) > /dev/null &&
   [ "$(grep -c ', ndcg_cut_10: ' one.txt)" = 2 ]; then
	echo "PASS secondary metrics leave the primary's CI, p and Holm p unchanged"
else echo "FAIL primary changed with secondaries:"; grep ndcg_cut_10 one.txt many.txt; fail=1; fi
grep -q '^  exploratory, BH q: map .*P_10 .*judged_10 ' many.txt && ! grep -q exploratory one.txt \
	&& echo "PASS secondary metrics are labelled exploratory with BH q" || { echo "FAIL exploratory line"; fail=1; }
python3 - out3/results.json <<'PY' && echo "PASS results.json: p_holm on the primary, q_bh on the others" || fail=1
import json, sys
r = json.load(open(sys.argv[1]))
for c in r["comparisons"]:
    prim = c["metric"] == r["primary"]
    assert c["family"] == ("confirmatory" if prim else "exploratory"), c
    assert ("p_holm" in c) == prim and ("q_bh" in c) == (not prim), c
PY
exit $fail
