#!/usr/bin/env bash
# Know your features, end to end on shipped and hand-made data: the schema
# drafted from golden/letor's candidates checks them back clean (exit 0)
# and equals the shipped golden/letor/features.schema.tsv; names from a
# names file land in the draft; a planted violation (one value of
# rank.test shifted out of its drafted range, one query-level value
# changed) is found at its file:line, exit 1, with --json counts; an
# unreadable file exits 2; the evolution of the shipped schema with a
# feature removed names the letor-models stack whose model splits on it,
# as often as the XGBoost JSON's own split_indices say (counted here by
# python); validate on a scenario whose golden set has a schema carries
# the rule feature-schema; validate --against reports the hand-counted
# label drift of tests/fixtures/features/v1 -> v2 (README there).
# usage: features_schema.sh PREFLIGHT SOURCE_DIR SHARED_DIR WORK_DIR
set -u
PF=$1 SRC=$2 WORK=$4
rm -rf "$WORK"; mkdir -p "$WORK"; cd "$WORK" || exit 2
fail=0
ok() { echo "PASS $*"; }
ko() { echo "FAIL $*"; fail=1; }
L=$SRC/golden/letor FX=$SRC/tests/fixtures/features
cp "$L/rank.test" "$L/rank.test.query" .

# draft -> check back clean; the shipped schema is this draft
"$PF" features schema --output s.tsv rank.test > draft.log 2>&1 || ko "schema: $(tail -2 draft.log)"
"$PF" features check --schema s.tsv --json clean.json rank.test > clean.log 2>&1; rc=$?
[ $rc = 0 ] && grep -q '^result: 0 of 6 rules failed' clean.log && ok "draft of rank.test checks back clean (exit 0)" || ko "clean check: exit $rc: $(tail -3 clean.log)"
diff <(grep -v '^#' s.tsv) <(grep -v '^#' "$L/features.schema.tsv") > /dev/null && ok "golden/letor/features.schema.tsv is the draft of rank.test" || ko "shipped schema differs from the draft"
# every feature id of rank.test is a row: counted with awk
want=$(awk '{ for (i = 2; i <= NF; i++) { split($i, a, ":"); if (a[2] != "") s[a[1]] = 1 } } END { print length(s) }' rank.test)
got=$(grep -vc '^#' s.tsv); got=$((got - 1))
[ "$got" = "$want" ] && ok "draft has one row for each of rank.test's $want feature ids" || ko "draft has $got rows, rank.test $want ids"
printf '1\tbm25_title\n5\tq_len\tquery\n' > names.tsv
"$PF" features schema --names names.tsv rank.test > named.tsv 2> named.err
grep -q $'^1\tbm25_title\tfloat\t' named.tsv && grep -q $'^2\tf2\t' named.tsv && ok "--names names the rows, f<id> elsewhere" || ko "names: $(head -6 named.tsv)"

# planted: line 7's feature 1 set to 5 (above the drafted max), and
# feature 12 (query-level in the draft) changed on the second row of query 1
sed -e '7s/^\([0-9]*\) 1:[0-9.]*/\1 1:5/' -e '2s/ 12:[0-9.]*/ 12:0.5/' rank.test > bad.test
cp rank.test.query bad.test.query
grep -q $'^12\tf12\tfloat\t[^\t]*\t[a-z]*\tquery' s.tsv || ko "feature 12 is not query-level in the draft"
"$PF" features check --schema s.tsv --json bad.json bad.test > bad.log 2>&1; rc=$?
[ $rc = 1 ] && ok "planted violations: exit 1" || ko "planted: exit $rc"
grep -q 'bad.test:7: feature 1 (f1): 5 is outside the range' bad.log && ok "out-of-range found at bad.test:7" || ko "no bad.test:7 in: $(grep -A2 out-of-range bad.log)"
grep -q 'bad.test:2: feature 12 (f12): 0.5 here, [0-9.]* on line 1 (query 1' bad.log && ok "query-level change found at bad.test:2" || ko "no bad.test:2 in: $(grep -A2 query-level bad.log)"
python3 - bad.json <<'PY' && ok "--json: out-of-range 1, query-level 1, failed 2" || ko "bad.json counts"
import json, sys
d = json.load(open(sys.argv[1]))
r = {x["id"]: x["count"] for x in d["rules"]}
assert d["schema"] == "preflight.features-check/1"
assert r["out-of-range"] == 1 and r["query-level"] == 1 and d["failed"] == 2, r
assert sum(r.values()) == 2, r
PY
"$PF" features check --schema s.tsv nothere.svm > none.log 2>&1; rc=$?
[ $rc = 2 ] && grep -q 'nothere.svm' none.log && ok "unreadable input: exit 2" || ko "unreadable: exit $rc"

# evolution: remove the feature the XGBoost model splits on most
read -r fid nsplit <<< "$(python3 - "$L/xgb_pairwise_letor.json" <<'PY'
import json, sys, collections
m = json.load(open(sys.argv[1]))
c = collections.Counter()
for t in m["learner"]["gradient_booster"]["model"]["trees"]:
    for n, l in enumerate(t["left_children"]):
        if l != -1:
            c[t["split_indices"][n]] += 1
j, n = c.most_common(1)[0]
print(j + 1, n)   # first-feature 1: file id j + 1
PY
)"
grep -v "^$fid"$'\t' "$L/features.schema.tsv" > new.tsv
sed -e "s|\.\./golden|$SRC/golden|g" "$SRC/scenarios/letor-models.xml" > letor.xml
"$PF" features check --schema "$L/features.schema.tsv" --against new.tsv --scenario letor.xml --json ev.json > ev.log 2>&1; rc=$?
[ $rc = 1 ] && grep -q "^  removed   1$" ev.log && ok "evolution: feature $fid removed, exit 1" || ko "evolution: exit $rc: $(head -5 ev.log)"
grep -q "stack xgb-pairwise: .*xgb_pairwise_letor.json splits on feature $fid (removed) $nsplit times" ev.log && ok "xgb-pairwise reads removed feature $fid ($nsplit splits, as its JSON says)" || ko "models: $(grep -A3 "^models" ev.log)"

# validate: the scenario's golden set has the schema: rule feature-schema
"$PF" validate letor.xml > v.log 2>&1; rc=$?
[ $rc = 0 ] && grep -q '^  pass    feature-schema' v.log && ok "validate letor-models: feature-schema passes" || ko "validate: exit $rc: $(grep feature-schema v.log)"

# label drift: hand-counted in tests/fixtures/features/README.md
"$PF" validate --json ld.json "$FX/v2" --against "$FX/v1" > ld.log 2>&1; rc=$?
[ $rc = 0 ] && grep -q 'grade distribution PSI 0.1831 (moderate)' ld.log && grep -q 'pairs: 4 in both, 2 relabelled, 2 added, 2 removed' ld.log &&
	grep -q 'queries: 1 added, 1 removed' ld.log && ok "label drift v1 -> v2 as counted by hand" || ko "label drift: exit $rc: $(tail -8 ld.log)"
python3 - ld.json <<'PY' && ok "--json label_drift: psi ln(3)/6, grades 2/2/2 -> 1/3/2" || ko "ld.json"
import json, math, sys
d = json.load(open(sys.argv[1]))["label_drift"]
assert abs(d["psi"] - math.log(3) / 6) < 1e-12, d["psi"]
assert [(g["reference"], g["current"]) for g in d["grades"]] == [(2, 1), (2, 3), (2, 2)]
assert d["pairs"]["examples"] == ["q1 d2: 0 -> 1", "q1 d3: 1 -> 0"]
assert d["queries"]["added_examples"] == ["q4"] and d["queries"]["removed_examples"] == ["q3"]
PY
exit $fail
