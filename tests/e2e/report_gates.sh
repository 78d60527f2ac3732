#!/usr/bin/env bash
# The decision outputs of `preflight run`: gates decide the exit code, the
# JUnit file validates against the Jenkins XSD and agrees with the exit code,
# the HTML report is well-formed polyglot XHTML with the verdict first, inline
# SVG charts and no external reference, and is byte-identical for 1 and 2
# threads but for the one generated element. Bad input still writes a junit.xml
# that says why.
# usage: report_gates.sh PREFLIGHT SOURCE_DIR SHARED_DIR WORK_DIR
set -u
PF=$1 SRC=$2 SHARED=$3 WORK=$4
XSD=$SHARED/schemas/junit-10.xsd
[ -f "$XSD" ] || { echo "SKIP: $XSD absent"; exit 77; }
rm -rf "$WORK"; mkdir -p "$WORK"; cd "$WORK" || exit 2
. "$SRC/tests/e2e/lib/check.sh"
G=$SRC/golden/letor
mk() {	# NAME GATES
cat > $1.xml <<XML
<?xml version="1.0"?>
<scenario name="$1" seed="3">
  <golden dir="$G"><queries file="queries.tsv"/><labels candidates="rank.test" query-file="rank.test.query"/></golden>
  <stack id="xgb"><candidates file="$G/rank.test" query-file="$G/rank.test.query"/><gbdt model="$G/xgb_pairwise_letor.json" first-feature="1"/></stack>
  <stack id="lgb"><candidates file="$G/rank.test" query-file="$G/rank.test.query"/><gbdt model="$G/lgb_lambdarank_letor.txt"/></stack>
  <metrics primary="ndcg_cut_10"><metric name="ndcg_cut.10"/><metric name="map"/><metric name="judged.10"/></metrics>
  <compare bootstrap="2000" permutations="2000"/>
  ${3:-}
  <gates>$2</gates>
  <outputs dir="out-$1"/>
</scenario>
XML
}
mk pass '<gate id="ndcg10_no_big_loss" metric="ndcg_cut_10" min-delta="-0.05"/><gate id="ndcg10_floor" metric="ndcg_cut_10" min="0.5"/>'
mk fail '<gate id="ndcg10_gain" metric="ndcg_cut_10" min-delta="0.01" on="ci-lower"/><gate id="map_floor" metric="map" min="0.5"/>'

OMP_NUM_THREADS=1 "$PF" run pass.xml > pass.out 2> pass.err; rc=$?
[ $rc -eq 0 ] && ok "gates pass: exit 0" || bad "gates pass: exit $rc $(cat pass.err)"
"$PF" run fail.xml > fail.out 2> fail.err; rc=$?
[ $rc -eq 1 ] && ok "gate fails: exit 1" || bad "gate fails: exit $rc $(cat fail.err)"
grep -q "VERDICT: DO NOT REQUEST" fail.out && ok "verdict on a failed gate" || bad "verdict: $(grep VERDICT fail.out)"

for s in pass fail; do
	J=out-$s/junit.xml H=out-$s/report.html
	xmllint --noout --schema "$XSD" "$J" 2>/dev/null && ok "$s: junit valid" || bad "$s: junit invalid"
	nf=$(xmllint --xpath 'count(//failure)' "$J")
	want=$([ $s = fail ] && echo 1 || echo 0)
	[ "$nf" = "$want" ] && ok "$s: $nf failure(s) agree with the exit code" || bad "$s: $nf failures"
	xmllint --noout "$H" && ok "$s: report well-formed" || bad "$s: report not well-formed"
	nsvg=$(xmllint --xpath 'count(//*[local-name()="svg"])' "$H")
	[ "$nsvg" -ge 4 ] && ok "$s: $nsvg svg charts" || bad "$s: $nsvg svg"
	v=$(xmllint --xpath 'string(//*[@id="verdict"])' "$H")
	case "$v" in "REQUEST A SLOT"|"DO NOT REQUEST"|INCONCLUSIVE) ok "$s: verdict '$v'";; *) bad "$s: verdict '$v'";; esac
	if grep -v 'xmlns="http://www.w3.org/' "$H" | grep -qiE 'https?://|<script|<link|url\(|@import'; then bad "$s: external reference"; else ok "$s: no external reference"; fi
	python3 - out-$s/results.json <<'PY' && ok "$s: results.json has comparisons, gates, verdict" || bad "$s: results.json"
import json, sys
r = json.load(open(sys.argv[1]))
c = r["comparisons"]; assert len(c) == 3 and c[0]["treatment"] == "lgb", c
assert all(len(x["ci95"]) == 2 for x in c) and r["verdict"]["decision"]
assert len(r["gates"]) == 2
# segments: the query-weighted mean of the segment deltas is the overall delta
seg = r["segments"]; assert len(seg) == 2 and sum(x["n"] for x in seg) == 50, seg
overall = [x for x in c if x["metric"] == r["primary"]][0]["delta"]
assert abs(sum(x["n"] * x["delta"] for x in seg) / 50 - overall) < 1e-12
PY
	grep -q '<td class="l">candidates</td><td class="l">6-15</td>' "$H" && ok "$s: segment table" || bad "$s: no segment table"
done
grep -q 'id="gate-ndcg10_gain"' out-fail/report.html && ok "report anchors gates" || bad "gate anchor"
grep -q 'report.html#gate-ndcg10_gain' out-fail/junit.xml && ok "junit links the report" || bad "junit link"

# expectations: q1_d1 is XGBoost's top document but LightGBM's third
printf '# qid\tdocid\tmax_rank\n1\tq1_d1\t1\n2\tq2_d1\t200\n' > exp.tsv
mk exp "<expectations file=\"$WORK/exp.tsv\"/>"
"$PF" run exp.xml > exp.out 2> exp.err; rc=$?
[ $rc -eq 1 ] && ok "a failed expectation: exit 1" || bad "expectation: exit $rc $(cat exp.err)"
grep -q "VERDICT: DO NOT REQUEST — 1 expectation failed; first: 1/q1_d1 max_rank 1: lgb (q1_d1 is at rank 3, beyond max_rank 1)" exp.out \
	&& ok "expectation verdict names the document and its rank" || bad "expectation verdict: $(grep VERDICT exp.out)"
xmllint --noout --schema "$XSD" out-exp/junit.xml 2>/dev/null && ok "expectations junit valid" || bad "expectations junit invalid"
[ "$(xmllint --xpath 'count(//testsuite[@name="exp.expectations"]/testcase)' out-exp/junit.xml)" = 4 ] &&
[ "$(xmllint --xpath 'count(//testsuite[@name="exp.expectations"]//failure)' out-exp/junit.xml)" = 1 ] &&
[ "$(xmllint --xpath 'count(//testsuite[@name="exp.expectations"]//skipped)' out-exp/junit.xml)" = 0 ] \
	&& ok "one case per (expectation, stack): 1 failure" || bad "expectation cases"
# an expectation that cannot be evaluated is bad input, not a skipped case
printf '1\tq1_d1\t1\n999\tq1_d1\t5\n1\tnosuchdoc\t3\n' > unk.tsv
mk unk "<expectations file=\"$WORK/unk.tsv\"/>"
"$PF" run unk.xml > /dev/null 2> unk.err; rc=$?
[ $rc -eq 2 ] && grep -q "unk.tsv:2: query '999' is not in the golden set" unk.err &&
grep -q "unk.tsv:3: document 'nosuchdoc' is not among the documents any stack can rank" unk.err \
	&& ok "expectations naming an unknown query or document: exit 2 at their lines" || bad "unknown expectation: $rc $(cat unk.err)"
printf '1\tq1_d1\n' > badexp.tsv
mk badexp "<expectations file=\"$WORK/badexp.tsv\"/>"
"$PF" run badexp.xml > /dev/null 2> badexp.err; rc=$?
[ $rc -eq 2 ] && grep -q "badexp.tsv:1: expected qid, docid and a positive max_rank" badexp.err && ok "bad expectations file: exit 2 with path:line" || bad "bad expectations: $rc $(cat badexp.err)"

# interleaving: under random clicks exact team draft gives delta 0 for every
# query; a gate on the interleaving outcome; the report's section
mk ilr '<gate id="il_no_loss" metric="interleave" min-delta="-0.5"/>' '<interleave method="team-draft" preset="random"/>'
"$PF" run ilr.xml > ilr.out 2> ilr.err; rc=$?
[ $rc -eq 0 ] && ok "interleave gate passes: exit 0" || bad "interleave: exit $rc $(cat ilr.err)"
python3 - out-ilr/results.json <<'PY' && ok "random clicks: interleaving delta exactly 0, exact" || bad "random-click interleaving"
import json, sys
r = json.load(open(sys.argv[1]))
il = r["interleaving"][0]
assert il["treatment"] == "lgb" and il["exact"] and il["delta"] == 0.0 and il["queries"] == 50, il
assert [g for g in r["gates"] if g["id"] == "il_no_loss"][0]["status"] == "pass"
PY
grep -q 'team-draft interleaving of each treatment' out-ilr/report.html && grep -q 'What this is and is not' out-ilr/report.html \
	&& grep -q 'lgb, candidates = 6-15 (24 queries)' out-ilr/report.html \
	&& ok "report: interleaving section" || bad "report: interleaving section"
# team-draft with a list that runs out before k while the other goes on is
# biased even under random clicks: warned, with the number of queries
cat > ilshort.xml <<XML
<?xml version="1.0"?>
<scenario name="ilshort" seed="3">
  <golden dir="$G"><queries file="queries.tsv"/><labels candidates="rank.test" query-file="rank.test.query"/></golden>
  <stack id="xgb"><candidates file="$G/rank.test" query-file="$G/rank.test.query"/><gbdt model="$G/xgb_pairwise_letor.json" first-feature="1"/><cutoff k="3"/></stack>
  <stack id="lgb"><candidates file="$G/rank.test" query-file="$G/rank.test.query"/><gbdt model="$G/lgb_lambdarank_letor.txt"/><cutoff k="4"/></stack>
  <metrics primary="ndcg_cut_10"><metric name="ndcg_cut.10"/></metrics>
  <compare bootstrap="500" permutations="500"/>
  <interleave method="team-draft" preset="random" k="4"/>
  <outputs dir="out-ilshort"/>
</scenario>
XML
"$PF" run ilshort.xml > ilshort.out 2> ilshort.err
grep -q "interleaving: warning: on 50 judged queries a ranking shorter than k = 4 meets a longer one" ilshort.out &&
grep -q '<p class="loss" id="il-short"><strong>Warning:</strong> on 50 judged queries' out-ilshort/report.html \
	&& ok "team-draft with lists shorter than k: warned in terminal and report" || bad "il short warning: $(grep -i warning ilshort.out)"
grep -q "warning" ilr.out && bad "a warning with lists of equal length" || ok "no warning when the lists are as long"
mk ilb '<gate id="il_gain" metric="interleave" min-delta="0.2" on="ci-lower"/>' '<interleave method="balanced" preset="navigational"/>'
"$PF" run ilb.xml > ilb.out 2> ilb.err; rc=$?
[ $rc -eq 1 ] && grep -q "interleaving delta CI lower bound" ilb.out && grep -q "balanced interleaving is known to be biased" out-ilb/report.html \
	&& ok "interleave gate fails: exit 1; balanced bias warned" || bad "interleave fail: $rc $(grep -i gate ilb.out)"
OMP_NUM_THREADS=1 "$PF" run ilb.xml > /dev/null 2>&1; cp out-ilb/results.json il1.json
OMP_NUM_THREADS=2 "$PF" run ilb.xml > /dev/null 2>&1
[ "$(grep -v '"threads"' il1.json)" = "$(grep -v '"threads"' out-ilb/results.json)" ] && ok "interleaving identical for 1 and 2 threads" || bad "interleaving depends on threads"

# a custom click model: equal click probabilities for every grade and no
# stopping behave like random clicks (delta exactly 0); too few is refused
mk ilc '' '<interleave method="team-draft" model="cascade" click="0.5,0.5,0.5,0.5,0.5" stop="0,0,0,0,0"/>'
"$PF" run ilc.xml > /dev/null 2> ilc.err || bad "custom click model: $(cat ilc.err)"
python3 -c "import json; il=json.load(open('out-ilc/results.json'))['interleaving'][0]; assert il['delta'] == 0.0 and 'cascade' in il['setup'], il" \
	&& ok "custom click model: delta exactly 0" || bad "custom click model"
mk ilx '' '<interleave click="0.1,0.5,0.9"/>'
"$PF" run ilx.xml > /dev/null 2> ilx.err; rc=$?
[ $rc -eq 2 ] && grep -q "click= needs one probability per grade 0..4" ilx.err && ok "custom click model with too few grades: exit 2" || bad "ilx: $rc $(cat ilx.err)"

# multileave: three stacks in one interleaved list; under random clicks and
# full-length lists each treatment's CI holds 0
printf '260 1.0\n' > w.txt
cat > ml.xml <<XML
<?xml version="1.0"?>
<scenario name="ml" seed="5">
  <golden dir="$G"><labels candidates="rank.test" query-file="rank.test.query"/></golden>
  <stack id="xgb"><candidates file="$G/rank.test" query-file="$G/rank.test.query"/><gbdt model="$G/xgb_pairwise_letor.json" first-feature="1"/></stack>
  <stack id="lgb"><candidates file="$G/rank.test" query-file="$G/rank.test.query"/><gbdt model="$G/lgb_lambdarank_letor.txt"/></stack>
  <stack id="lin"><candidates file="$G/rank.test" query-file="$G/rank.test.query"/><linear weights="$WORK/w.txt"/></stack>
  <compare bootstrap="1000" permutations="1000"/>
  <interleave method="multileave" preset="random" impressions="2000"/>
  <outputs dir="out-ml"/>
</scenario>
XML
"$PF" run ml.xml > ml.out 2> ml.err || bad "multileave run: $(cat ml.err)"
python3 - out-ml/results.json <<'PY' && ok "multileave: one entry per treatment, CIs hold 0 under random clicks" || bad "multileave"
import json, sys
il = json.load(open(sys.argv[1]))["interleaving"]
assert [x["treatment"] for x in il] == ["lgb", "lin"], il
assert all(x["delta_ci95"][0] <= 0 <= x["delta_ci95"][1] for x in il), il
assert "multileave" in il[0]["setup"]
PY

# same bytes for 1 and 2 threads, but for the generated element
cp out-pass/report.html r1.html; cp out-pass/results.json j1.json
OMP_NUM_THREADS=2 "$PF" run pass.xml > /dev/null 2>&1
norm() { sed 's|<span id="generated">[^<]*</span>||' "$1"; }
if [ "$(norm r1.html)" = "$(norm out-pass/report.html)" ] && [ "$(grep -v '"threads"' j1.json)" = "$(grep -v '"threads"' out-pass/results.json)" ]; then
	ok "report and results identical for 1 and 2 threads"
else bad "report differs between thread counts"; diff <(norm r1.html) <(norm out-pass/report.html) | head -5; fi

# bad input: exit 2, and a junit.xml that says why
sed 's|<metric name="map"/>|<metric name="map" bogus="1"/>|' pass.xml > broken.xml
"$PF" run --junit broken-junit.xml broken.xml > /dev/null 2> broken.err; rc=$?
if [ $rc -eq 2 ] && xmllint --noout --schema "$XSD" broken-junit.xml 2>/dev/null && grep -q "broken.xml:" broken-junit.xml; then
	ok "bad input: exit 2 and a junit.xml with the reason"
else bad "bad input: exit $rc"; fi

echo "report and gates: $pass passed, $fail failed"
[ $fail -eq 0 ]
