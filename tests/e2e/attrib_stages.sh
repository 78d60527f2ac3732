#!/usr/bin/env bash
# Stage attribution (harness/analysis/attrib.h) end to end, against independent
# computations:
#  - three players on the LETOR golden set (control: candidates > linear
#    w1 > cutoff 10; treatment: candidates > linear w2 > linear w3 >
#    cutoff 5, so one slot has no control stage): every coalition value
#    equals the mean of that hybrid written out as an ordinary stack and
#    replayed by the engine; the Shapley values equal the formula
#    evaluated here in Python on those means and sum to the comparison's
#    delta; the ablations equal the matching coalitions; 13 stage runs
#    per query with shared prefixes (1 + 2 + 2 + 8) instead of 39; the
#    same bytes for 1 and 3 threads;
#  - the oracle split on a hand-computed query (a relevant document never
#    retrieved, the rest ranked worst first);
#  - refusals: more than 5 differing slots, a <stages stack> that is not a
#    treatment — exit 2 with the scenario's path:line.
# usage: attrib_stages.sh PREFLIGHT SOURCE_DIR SHARED_DIR WORK_DIR
set -u
PF=$1 SRC=$2 WORK=$4
rm -rf "$WORK"; mkdir -p "$WORK"; cd "$WORK" || exit 2
fail=0
ok() { echo "PASS $1"; }
bad() { echo "FAIL $1"; fail=1; }
G=$SRC/golden/letor
CAND="<candidates file=\"$G/rank.test\" query-file=\"$G/rank.test.query\"/>"
printf 'bias 0.1\n260 1.0\n164 0.5\n120 0.25\n' > w1.txt
printf '6 1.0\n' > w2.txt
printf '120 1.0\n3 -0.5\n' > w3.txt
head='<?xml version="1.0"?>
<scenario name="shap" seed="7">
  <golden dir="'$G'"><labels candidates="rank.test" query-file="rank.test.query"/></golden>'
metrics='<metrics><metric name="ndcg_cut.10"/><metric name="map"/></metrics>'
cat > s.xml <<EOF
$head
  <stack id="a">$CAND<linear weights="w1.txt"/><cutoff k="10"/></stack>
  <stack id="b">$CAND<linear weights="w2.txt"/><linear weights="w3.txt"/><cutoff k="5"/></stack>
  $metrics
  <importance metric="map"><stages stack="b"/></importance>
  <outputs dir="out"/>
</scenario>
EOF
# the 8 hybrids as ordinary stacks: bit 0 linear w2, bit 1 linear w3, bit 2 cutoff 5
{
	echo "$head"
	for m in 0 1 2 3 4 5 6 7; do
		l1=w1.txt; [ $((m & 1)) = 1 ] && l1=w2.txt
		l2=; [ $((m & 2)) = 2 ] && l2='<linear weights="w3.txt"/>'
		k=10; [ $((m & 4)) = 4 ] && k=5
		echo "  <stack id=\"h$m\">$CAND<linear weights=\"$l1\"/>$l2<cutoff k=\"$k\"/></stack>"
	done
	echo "  $metrics"
	echo '  <outputs dir="out-h"/>'
	echo '</scenario>'
} > h.xml
for t in 1 3; do
	OMP_NUM_THREADS=$t "$PF" run s.xml > table.$t 2> err.$t || { bad "run ($t threads): $(cat err.$t)"; exit 1; }
	grep -v '"threads"' out/results.json > res.$t
done
cmp -s res.1 res.3 && cmp -s table.1 table.3 && ok "identical for 1 and 3 threads" || bad "thread dependence"
"$PF" run h.xml > h.table 2> h.err || { bad "hybrids: $(cat h.err)"; exit 1; }
grep '^stages' table.1
python3 - out/results.json out-h/results.json <<'PY' || fail=1
import json, sys
from math import factorial
r, h = (json.load(open(p)) for p in sys.argv[1:3])
a = r["attribution"]; p, = a["stages"]
assert a["metric"] == "map" and "oracle" not in a
assert [x["player"] for x in p["slots"]] == [None, 0, 1, 2], p["slots"]
assert p["slots"][2]["control"] is None, "w3 has no control counterpart"
hv = {s["id"]: s["mean"]["map"] for s in h["stacks"]}
co = p["coalitions"]
for m in range(8):
    assert abs(co[m] - hv["h%d" % m]) <= 1e-12, (m, co[m], hv["h%d" % m])
n = 3
for i, x in enumerate(p["players"]):
    phi = sum(factorial(bin(t).count("1")) * factorial(n - bin(t).count("1") - 1) / factorial(n)
              * (co[t | 1 << i] - co[t]) for t in range(8) if not t >> i & 1)
    assert abs(x["shapley"] - phi) <= 1e-12, (i, x["shapley"], phi)
    assert abs(x["swap_in"] - (co[1 << i] - co[0])) <= 1e-12
    assert abs(x["leave_one_out"] - (co[7] - co[7 & ~(1 << i)])) <= 1e-12
    assert x["ci95"][0] <= x["shapley"] <= x["ci95"][1]
c, = [c for c in r["comparisons"] if c["metric"] == "map"]
tot = sum(x["shapley"] for x in p["players"])
assert abs(tot - p["total_delta"]) <= 1e-12 and abs(p["total_delta"] - c["delta"]) <= 1e-12, (tot, c["delta"])
ab = {x["what"].split(" (stage")[0]: x for x in p["ablations"]}
assert not ab["remove candidates"]["available"]
for what, m in (("linear", 6), ("remove linear", 5), ("cutoff", 3)):
    assert abs(ab[what]["value"] - co[m]) <= 1e-12, what
    assert abs(ab[what]["delta"] - (co[m] - co[7])) <= 1e-12, what
assert p["stage_runs_per_query"] == {"with_prefix_sharing": 13, "without": 39}, p["stage_runs_per_query"]
print("PASS 8 coalitions equal the replayed hybrids; Shapley %s sum %+.6f = delta" %
      (" ".join("%+.4f" % x["shapley"] for x in p["players"]), tot))
PY

# oracle by hand: qrels d1 2, d2 1, d3 0, d4 1; the candidates d1 d2 d3
# (d4 never retrieved) ranked d3 d2 d1 by feature 1 (stack a), d1 d2 d3
# (stack b)
mkdir -p o
printf '1 0 d1 2\n1 0 d2 1\n1 0 d3 0\n1 0 d4 1\n' > o/qrels.txt
printf '2 qid:1 1:0.1 # d1\n1 qid:1 1:0.5 # d2\n0 qid:1 1:0.9 # d3\n' > o/c.svm
printf '1 1.0\n' > o/w.txt
printf '1 -1.0\n' > o/best.txt
cat > o/s.xml <<EOF
<?xml version="1.0"?>
<scenario name="oracle" seed="1">
  <golden dir="."><qrels file="qrels.txt"/></golden>
  <stack id="a"><candidates file="c.svm"/><linear weights="w.txt"/></stack>
  <stack id="b"><candidates file="c.svm"/><linear weights="best.txt"/></stack>
  <metrics><metric name="ndcg_cut.10"/></metrics>
  <importance><oracle/></importance>
  <outputs dir="out"/>
</scenario>
EOF
"$PF" run o/s.xml > o/table 2> o/err || { bad "oracle run: $(cat o/err)"; exit 1; }
grep '^oracle' o/table
python3 - o/out/results.json <<'PY' || fail=1
import json, sys
from math import log2
o, b = json.load(open(sys.argv[1]))["attribution"]["oracle"]
dcg = lambda g: sum(x / log2(i + 2) for i, x in enumerate(g))
ideal = dcg([2, 1, 1, 0])
want = {"ideal": 1.0, "oracle": dcg([2, 1, 0]) / ideal, "actual": dcg([0, 1, 2]) / ideal}
want["retrieval_loss"] = 1 - want["oracle"]           # 0.159693
want["ranking_loss"] = want["oracle"] - want["actual"]  # 0.319395
want["total_loss"] = 1 - want["actual"]
want["recall_candidates"] = 2 / 3
for k, v in want.items():
    assert abs(o[k] - v) <= 1e-12, (k, o[k], v)
assert abs(o["retrieval_loss"] + o["ranking_loss"] - o["total_loss"]) <= 1e-15
# stack b ranks the candidates by grade: it loses only what retrieval lost
assert b["ranking_loss"] == 0 and b["actual"] == o["oracle"], b
print("PASS oracle by hand: retrieval %.6f + ranking %.6f = %.6f" % (o["retrieval_loss"], o["ranking_loss"], o["total_loss"]))
PY

# refusals
{
	echo "$head"
	echo "  <stack id=\"a\">$CAND<linear weights=\"w1.txt\"/></stack>"
	echo "  <stack id=\"b\">$CAND<linear weights=\"w2.txt\"/><cutoff k=\"50\"/><linear weights=\"w3.txt\"/><cutoff k=\"40\"/><linear weights=\"w1.txt\"/><cutoff k=\"30\"/></stack>"
	echo "  $metrics"
	echo '  <importance>'
	echo '    <stages/>'
	echo '  </importance>'
	echo '  <outputs dir="out-bad"/>'
	echo '</scenario>'
} > six.xml
"$PF" run six.xml > /dev/null 2> six.err; rc=$?
[ $rc = 2 ] && grep -q 'six.xml:8: stack .b. differs from the control in 6 stage slots' six.err && ok "refuses 6 players at the line" || bad "six players: exit $rc $(cat six.err)"
"$PF" run --check six.xml > /dev/null 2> six.chk; rc=$?
[ $rc = 2 ] && cmp -s six.err six.chk && ok "--check refuses them too" || bad "--check six players: exit $rc $(cat six.chk)"
sed 's|<stages stack="b"/>|<stages stack="a"/>|' s.xml > ctl.xml
"$PF" run ctl.xml > /dev/null 2> ctl.err; rc=$?
[ $rc = 2 ] && grep -q 'ctl.xml:7: <stages stack="a"/> names no treatment stack' ctl.err && ok "refuses the control as treatment" || bad "stack=a: exit $rc $(cat ctl.err)"
exit $fail
