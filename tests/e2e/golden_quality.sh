#!/usr/bin/env bash
# `preflight run` on a golden set with several annotators: results.json's
# "golden_quality" holds the agreement that tests/fixtures/golden_multi/
# expected.py computes independently, report.html has the "Golden set"
# section, the terminal says it in one line; with one annotator the
# agreement is null and said to be unmeasurable. label-bootstrap="true":
# the nested CI is wider than the query CI when annotators disagree, equal
# to it with one annotator, and the same bytes for 1 and 2 threads.
# usage: golden_quality.sh PREFLIGHT SOURCE_DIR SHARED_DIR WORK_DIR
set -u
PF=$1 SRC=$2 WORK=$4
FIX=$SRC/tests/fixtures/golden_multi
rm -rf "$WORK"; mkdir -p "$WORK"; cd "$WORK" || exit 2
. "$SRC/tests/e2e/lib/check.sh"
has() {
	if grep -qF -- "$3" "$2"; then ok "$1"; else bad "$1: no '$3' in $2"; fi
}

cp -r "$FIX" g
cat > s.xml <<'XML'
<?xml version="1.0" encoding="UTF-8"?>
<scenario name="multi" seed="7">
  <golden dir="g"><queries file="queries.tsv"/><docs file="docs.tsv"/>
    <qrels file="qrels.txt"/></golden>
  <stack id="a"><bm25 k1="0.9" b="0.4"/></stack>
  <stack id="b"><bm25 k1="2.0" b="1.0"/></stack>
  <metrics primary="ndcg_cut_10"><metric name="ndcg_cut.10"/><metric name="map"/></metrics>
  <compare bootstrap="2000" permutations="2000"/>
  <outputs dir="out"/>
</scenario>
XML
"$PF" run s.xml > out.txt 2> err.txt; rc=$?
[ $rc -eq 0 ] && ok run_exit || { bad "run_exit $rc"; cat err.txt; }
has terminal_line out.txt "golden set: 3 annotators, Krippendorff's alpha (ordinal) 0.729 (tentative) over 19 multiply-labelled pairs, Fleiss' kappa 0.597 (moderate); most confusing: q3 (-0.38)"
python3 "$FIX/expected.py" > expected.txt
python3 - <<'PY' && ok results_golden_quality || bad results_golden_quality
import json
d = json.load(open("out/results.json"))["golden_quality"]
assert d["annotators"] == 3 and d["judgments"] == 57, d
a = d["agreement"]
exp = {}
for line in open("expected.txt"):
    f = line.split()
    if f[0] == "alpha":
        exp[f[1]] = float(f[2])
    elif f[0] == "fleiss":
        exp["kappa"] = float(f[2])
    elif f[0] == "query":
        exp["q:" + f[1]] = float(f[3])
for lv in ("ordinal", "nominal", "interval"):
    assert abs(a["alpha_" + lv] - exp[lv]) < 1e-12, lv
assert abs(a["fleiss_kappa"]["kappa"] - exp["kappa"]) < 1e-12
assert {q["qid"]: q["alpha"] for q in a["per_query"]}.keys() == {"q1", "q2", "q3", "q4", "q5", "q6"}
for q in a["per_query"]:
    assert abs(q["alpha"] - exp["q:" + q["qid"]]) < 1e-12, q
assert a["most_confusing"][:2] == ["q3", "q4"], a["most_confusing"]
PY
has report_section out/report.html '<section id="golden"><h2>Golden set</h2>'
has report_reading out/report.html "<strong>tentative</strong>"
has report_nav out/report.html '<a href="#golden">golden set</a>'
python3 -c "import xml.dom.minidom as m; m.parse('out/report.html')" && ok report_well_formed || bad report_well_formed

# run carries validate's checks: results.json "validation" is what
# `preflight validate --json` writes for the same scenario
"$PF" validate s.xml --json v.json > /dev/null 2>&1
python3 -c "
import json
r = json.load(open('out/results.json'))['validation']; v = json.load(open('v.json'))
assert r['rules'] == v['rules'] and r['counts'] == v['counts'], (r['rules'], v['rules'])
assert all(x['status'] != 'fail' for x in r['rules'])
" && ok run_validation_is_validate || bad run_validation_is_validate
has report_checks out/report.html "<h3>Checks</h3>"
# a failed rule is reported, not a gate: q6 without a relevant document
awk '$1 == "q6" { $4 = 0 } { print }' "$FIX/qrels.txt" > g/qrels.txt
"$PF" run s.xml > outv.txt 2> err.txt; rc=$?
[ $rc -eq 0 ] && ok failed_rule_exit_0 || bad "failed_rule_exit_0: $rc"
has failed_rule_terminal outv.txt "golden set checks: 1 rule failed (preflight validate s.xml says which)"
python3 -c "
import json
r = json.load(open('out/results.json'))['validation']
f = [x for x in r['rules'] if x['status'] == 'fail']
assert [x['id'] for x in f] == ['queries-without-relevant'] and f[0]['count'] == 1, f
" && ok failed_rule_json || bad failed_rule_json
has failed_rule_report out/report.html '<td class="loss">fail</td>'

# one annotator: no agreement information anywhere
awk '$2 != "bob" && $2 != "carol"' "$FIX/qrels.txt" > g/qrels.txt
"$PF" run s.xml > out1.txt 2> err1.txt || { bad "single_run"; cat err1.txt; }
has single_terminal out1.txt "golden set: 1 annotator, one label per (query, document) pair: no agreement information"
python3 -c "
import json
d = json.load(open('out/results.json'))['golden_quality']
assert d['agreement'] is None and d['annotators'] == 1 and d['judgments'] == 19, d
" && ok single_json || bad single_json
has single_report out/report.html "agreement cannot be measured"

# --- label-bootstrap="true": the nested CI (queries, then labels)
cp "$FIX/qrels.txt" g/qrels.txt
printf 'q1\td4\tbury\nq3\td10\tbury\nq2\td7\tbury\nq2\td6\tbury\n' > rules.tsv
cat > lb.xml <<'XML'
<?xml version="1.0" encoding="UTF-8"?>
<scenario name="multi-lb" seed="7">
  <golden dir="g"><queries file="queries.tsv"/><docs file="docs.tsv"/>
    <qrels file="qrels.txt"/></golden>
  <stack id="a"><bm25/></stack>
  <stack id="b"><bm25/><rules file="rules.tsv"/></stack>
  <metrics primary="ndcg_cut_10"><metric name="ndcg_cut.10"/><metric name="map"/></metrics>
  <compare bootstrap="2000" permutations="2000" label-bootstrap="true"/>
  <outputs dir="out"/>
</scenario>
XML
# lb_check WANT_MULTI: query CI = the comparison's CI; nested vs query CI
lb_check() {
	python3 - "$1" <<'PY'
import json, sys
multi = sys.argv[1] == "multi"
d = json.load(open("out/results.json"))
lb = d["label_bootstrap"]
assert lb["metric"] == "ndcg_cut_10" and lb["resamples"] == 2000, lb
c = lb["comparisons"][0]
cmp = [x for x in d["comparisons"] if x["metric"] == "ndcg_cut_10"][0]
assert c["ci95_queries"] == cmp["ci95"], (c, cmp)   # the same draws
assert c["delta"] == cmp["delta"]
q, n, l = c["ci95_queries"], c["ci95_nested"], c["ci95_labels"]
if multi:
    assert c["queries_with_multiple_labels"] == 6
    assert n[1] - n[0] > q[1] - q[0], (n, q)       # wider, honestly
    assert l[1] > l[0] and 0 < c["sign_flip_rate"] < 1, c
else:
    assert c["queries_with_multiple_labels"] == 0
    assert n == q, (n, q)                           # same stream
    assert l[0] == l[1] and abs(l[0] - c["delta"]) < 1e-15, l
    assert c["sign_flip_rate"] == 0
PY
}
OMP_NUM_THREADS=1 "$PF" run lb.xml > lb1.txt 2> err.txt || { bad lb_run; cat err.txt; }
lb_check multi && ok lb_multi_wider || bad lb_multi_wider
python3 -c "import json; d = json.load(open('out/results.json')); print(json.dumps([d['label_bootstrap'], d['comparisons']]))" > lb1.json
OMP_NUM_THREADS=2 "$PF" run lb.xml > lb2.txt 2> err.txt || { bad lb_run2; cat err.txt; }
python3 -c "import json; d = json.load(open('out/results.json')); print(json.dumps([d['label_bootstrap'], d['comparisons']]))" > lb2.json
cmp -s lb1.json lb2.json && ok lb_threads_same_bytes || bad lb_threads_same_bytes
cmp -s lb1.txt lb2.txt && ok lb_threads_same_terminal || bad lb_threads_same_terminal
has lb_terminal lb1.txt "label bootstrap b vs a, ndcg_cut_10: "
has lb_report out/report.html '<h3 id="label-uncertainty">Label uncertainty</h3>'
# one annotator: the nested CI is the query CI
awk '$2 != "bob" && $2 != "carol"' "$FIX/qrels.txt" > g/qrels.txt
"$PF" run lb.xml > /dev/null 2> err.txt || { bad lb_single_run; cat err.txt; }
lb_check single && ok lb_single_same_ci || bad lb_single_same_ci
# without the switch there is no label_bootstrap
"$PF" run s.xml > /dev/null 2>&1
python3 -c "import json; assert 'label_bootstrap' not in json.load(open('out/results.json'))" && ok lb_off || bad lb_off

echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
