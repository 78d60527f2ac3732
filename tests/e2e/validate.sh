#!/usr/bin/env bash
# `preflight validate`: exit 0 on clean golden sets (Cranfield as shipped,
# the hand-made multi-annotator fixture, both scenarios), 1 for each stated
# rule broken in a copy of the fixture, 2 for unreadable or malformed files;
# agreement values in --json equal tests/fixtures/golden_multi/expected.py's.
# usage: validate.sh PREFLIGHT SOURCE_DIR SHARED_DIR WORK_DIR
set -u
PF=$1 SRC=$2 WORK=$4
FIX=$SRC/tests/fixtures/golden_multi
rm -rf "$WORK"; mkdir -p "$WORK"; cd "$WORK" || exit 2
. "$SRC/tests/e2e/lib/check.sh"

# run NAME WANT_RC TARGET [ARGS...]: output in out.txt/err.txt
run() {
	local name=$1 want=$2; shift 2
	"$PF" validate "$@" > out.txt 2> err.txt
	local rc=$?
	if [ $rc -ne "$want" ]; then
		bad "$name: exit $rc, want $want"; cat out.txt err.txt; return 1
	fi
	return 0
}
# has NAME FILE TEXT: FILE contains the fixed string TEXT
has() {
	if grep -qF -- "$3" "$2"; then ok "$1"; else bad "$1: no '$3' in $2"; cat "$2"; fi
}

# --- Cranfield as shipped: clean; its quirks are notes, not failures
if run cranfield 0 "$SRC/golden/cranfield" --json cran.json; then
	has cranfield_counts out.txt "1837 judgments, 225 queries"
	has cranfield_docs out.txt "1400 documents"
	# the grade histogram, counted here by awk from the file itself
	want=$(awk '{c[$4]++} END {printf "%d %d %d %d %d", c[-1], c[1], c[2], c[3], c[4]}' "$SRC/golden/cranfield/qrels.txt")
	got=$(awk '$1 == "0" && NF == 6 {print $2, $3, $4, $5, $6}' out.txt)
	[ "$got" = "$want" ] && ok cranfield_grades || bad "cranfield_grades: '$got' want '$want'"
	has cranfield_unjudged out.txt "225 judgments with a negative grade"
	has cranfield_empty_docs out.txt "2 documents in $SRC/golden/cranfield/docs.tsv with an empty title and body (first: '471')"
	has cranfield_single out.txt "one label per item"
	has cranfield_dims out.txt "dimension split: 2 values, 0 missing: train 113, test 112"
	python3 -c "
import json, sys
d = json.load(open('cran.json'))
assert d['schema'] == 'preflight.validate/1'
assert d['counts']['queries'] == 225 and d['counts']['documents'] == 1400
assert d['agreement'] is None and d['failed'] == 0
assert [r['status'] for r in d['rules']].count('fail') == 0
" && ok cranfield_json || bad cranfield_json
fi
# the scenario evaluates the test half: the other judged topics are noted
if run cranfield_scenario 0 "$SRC/scenarios/cranfield.xml"; then
	has cranfield_subset out.txt "113 judged queries are not in"
fi
run letor_scenario 0 "$SRC/scenarios/letor-models.xml" && ok letor_scenario

# --- the multi-annotator fixture: clean, agreement as computed by hand
if run fixture 0 "$FIX" --json fix.json; then
	has fixture_alpha out.txt "Krippendorff's alpha ordinal 0.729 (tentative)"
	has fixture_fleiss out.txt "Fleiss' kappa 0.597 (moderate), 3 raters per item"
	has fixture_confusing out.txt "most confusing queries (per-query alpha): q3 -0.375"
	has fixture_dim_missing out.txt "dimension device: 2 values, 1 missing"
	python3 "$FIX/expected.py" > expected.txt
	python3 - <<'PY' && ok fixture_json_values || bad fixture_json_values
import json
d = json.load(open("fix.json"))
a = d["agreement"]
exp = {}
for line in open("expected.txt"):
    f = line.split()
    if f[0] == "alpha":
        exp["alpha_" + f[1]] = float(f[2])
    elif f[0] == "fleiss":
        exp["kappa"] = float(f[2])
    elif f[0] == "query":
        exp["q:" + f[1]] = float(f[3])
for k in ("alpha_ordinal", "alpha_nominal", "alpha_interval"):
    assert abs(a[k] - exp[k]) < 1e-12, (k, a[k], exp[k])
assert abs(a["fleiss_kappa"]["kappa"] - exp["kappa"]) < 1e-12
for q in a["per_query"]:
    assert abs(q["alpha"] - exp["q:" + q["qid"]]) < 1e-12, q
assert a["most_confusing"][0] == "q3"
g = {x["annotator"]: x["grades"] for x in d["grades_per_annotator"]}
assert g["carol"] == {"0": 6, "1": 5, "2": 5, "3": 3}, g["carol"]
dims = {x["name"]: x for x in d["dimensions"]}
assert dims["device"]["missing"] == 1 and dims["locale"]["values"] == {"en": 3, "de": 2, "fr": 1}
PY
fi

# fresh copy of the fixture
copy() { rm -rf g; cp -r "$FIX" g; rm -f g/expected.py; }

# --- each rule, broken once: exit 1 and the reason
copy; echo "q1 alice d1 2" >> g/qrels.txt
n=$(wc -l < g/qrels.txt)
if run rule_duplicate 1 g; then
	has rule_duplicate_msg out.txt "g/qrels.txt:$n: annotator 'alice' judged query 'q1' document 'd1' before, on line 2"
	has rule_duplicate_fail out.txt "FAIL    duplicate-judgments"
fi
# without queries.tsv the duplicates stop nothing else that can be checked
copy; echo "q1 alice d1 2" >> g/qrels.txt; rm g/queries.tsv g/docs.tsv
if run rule_duplicate_bare 1 g; then
	has rule_duplicate_bare_msg out.txt "1 duplicate judgment (same qid, annotator and docid)"
	has rule_duplicate_bare_q out.txt "skipped unknown-queries           no queries.tsv"
	has rule_duplicate_bare_alpha out.txt "alpha ordinal 0.729"
fi
copy; echo "q1 alice d99 1" >> g/qrels.txt
run rule_unknown_doc 1 g && has rule_unknown_doc_msg out.txt "document 'd99' is not in g/docs.tsv"
copy; echo "q9 alice d1 1" >> g/qrels.txt
run rule_unknown_query 1 g && has rule_unknown_query_msg out.txt "query 'q9' is not in g/queries.tsv"
copy; printf 'q7\tnobody judged this\ten\tmobile\n' >> g/queries.tsv
if run rule_no_relevant 1 g; then
	has rule_no_relevant_msg out.txt "1 of 7 queries without a relevant document (14.3%, allowed 0.0%)"
	has rule_no_relevant_ex out.txt "query 'q7' has no judgments"
fi
run rule_no_relevant_allowed 0 g --max-no-relevant 0.2 && ok rule_no_relevant_allowed
# all judged 0: aggregated (median) grade 0 everywhere for q6
copy; sed -i 's/^\(q6 [a-z]* d1[678]\) [0-9]$/\1 0/' g/qrels.txt
run rule_no_relevant_zero 1 g && has rule_no_relevant_zero_msg out.txt "query 'q6'"
copy
run rule_alpha 1 g --min-alpha 0.8 && has rule_alpha_msg out.txt "FAIL    agreement                 Krippendorff's alpha (ordinal) 0.729, tentative"
copy; printf 'q1\td1\t3\nq8\td2\t1\n' >> g/expectations.tsv
run rule_expectations 1 g && has rule_expectations_msg out.txt "g/expectations.tsv:4: query 'q8' is not in the golden set"
# one label fewer: Fleiss' kappa needs a constant number of raters
copy; grep -v '^q6 carol d18' g/qrels.txt > g/q && mv g/q g/qrels.txt
run fleiss_na 0 g && has fleiss_na_msg out.txt "Fleiss' kappa not applicable: items have different numbers of raters"

# --- unreadable or malformed: exit 2, path:line, no JSON written
copy; echo "q1 alice d1" >> g/qrels.txt
n=$(wc -l < g/qrels.txt)
if run malformed_fields 2 g --json bad.json; then
	has malformed_fields_msg err.txt "preflight: g/qrels.txt:$n: expected 4 fields (qid annotator docid grade), got 3"
	[ ! -e bad.json ] && ok malformed_no_json || bad malformed_no_json
fi
copy; echo "q1 dave d1 1.5" >> g/qrels.txt
run malformed_grade 2 g && has malformed_grade_msg err.txt "grade '1.5' is not an integer"
copy; sed -i '1s/.*/query\ttext/' g/queries.tsv
run malformed_header 2 g && has malformed_header_msg err.txt "g/queries.tsv:1: expected the header"
copy; printf 'd1\tonly two fields\n' >> g/docs.tsv
run malformed_docs 2 g && has malformed_docs_msg err.txt "g/docs.tsv:19: expected docid<TAB>title<TAB>body"
copy; rm g/qrels.txt
run missing_qrels 2 g && has missing_qrels_msg err.txt "no qrels.txt in the golden folder"
run missing_target 2 does-not-exist && has missing_target_msg err.txt "no such golden folder or scenario file"
copy; chmod 000 g/docs.tsv
if [ "$(id -u)" -ne 0 ]; then
	run unreadable_docs 2 g && ok unreadable_docs
fi
chmod 644 g/docs.tsv

# --- a scenario over the fixture
copy
cat > s.xml <<XML
<?xml version="1.0" encoding="UTF-8"?>
<scenario name="v">
  <golden dir="g"><queries file="queries.tsv"/><docs file="docs.tsv"/>
    <qrels file="qrels.txt" aggregate="majority"/></golden>
  <stack id="a"><bm25/></stack><stack id="b"><bm25 k1="1.2"/></stack>
  <metrics primary="ndcg_cut_10"><metric name="ndcg_cut.10"/></metrics>
  <outputs dir="out"/>
</scenario>
XML
# majority with ties to the lower grade makes q3's three documents
# (0 3 1), (3 0 2), (1 2 0) all 0: the rule sees the scenario's aggregation
if run scenario_majority 1 s.xml; then
	has scenario_majority_alpha out.txt "alpha ordinal 0.729"
	has scenario_majority_q3 out.txt "1 of 6 queries without a relevant document"
fi
sed -i 's/aggregate="majority"/aggregate="median"/' s.xml
run scenario_median 0 s.xml && ok scenario_median

# several bad files: every one is reported, not only the first
rm -rf many; mkdir many
printf 'qid\ttext\nq1\ta\nq1\tb\n' > many/queries.tsv
printf '1 0 d1\n' > many/qrels.txt
printf 'd1\tt\n' > many/docs.tsv
"$PF" validate many > /dev/null 2> many.err; rc=$?
[ $rc = 2 ] && grep -q "many/qrels.txt:1: expected 4 fields" many.err &&
grep -q "many/docs.tsv:1: expected docid<TAB>title<TAB>body" many.err &&
grep -q "many/queries.tsv:3: duplicate qid 'q1'" many.err && ok every_bad_file_reported || { echo "FAIL every_bad_file_reported: $(cat many.err)"; fail=$((fail+1)); }
# --json onto a file the check reads is refused, the file untouched
cp many/docs.tsv docs.keep
printf 'qid\ttext\nq1\ta\n' > many/queries.tsv; printf 'q1 0 d1 1\n' > many/qrels.txt; printf 'd1\tt\tb\n' > many/docs.tsv; cp many/docs.tsv docs.keep
"$PF" validate --json many/docs.tsv many > /dev/null 2> json.err; rc=$?
[ $rc = 2 ] && grep -q "would overwrite a file the check read" json.err && cmp -s many/docs.tsv docs.keep && ok json_onto_input_refused || { echo "FAIL json_onto_input_refused: $rc $(cat json.err)"; fail=$((fail+1)); }

echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
