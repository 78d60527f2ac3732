#!/usr/bin/env bash
# Feature names end to end on the shipped LETOR data: a names file on
# <candidates names=...> names every feature the importance table,
# results.json (feature_names beside the ids) and report.html show, as
# "name (id)"; probe and importance number a feature alike (the file's
# feature id): the features probe finds never split on are exactly-zero
# importance features under the same id and name, and every feature with
# importance is one probe sees split on; a model's own feature_names name
# features without a names file, and disagree with one in a warning that
# names the feature (exit 0), LightGBM's feature_names= too; probe warns
# alike and resolves a monotone feature by name.
# usage: feature_names.sh PREFLIGHT SOURCE_DIR SHARED_DIR WORK_DIR
set -u
PF=$1 SRC=$2 WORK=$4
rm -rf "$WORK"; mkdir -p "$WORK"; cd "$WORK" || exit 2
fail=0
ok() { echo "PASS $*"; }
ko() { echo "FAIL $*"; fail=1; }
L=$SRC/golden/letor
# names n001..n300 for rank.test's ids 1..300 (the model reads 300)
python3 -c '
for i in range(1, 301):
    print("%d\tn%03d%s" % (i, i, "\tquery" if i == 300 else ""))' > names.tsv
# the XGBoost model (first-feature 1: column j is id j + 1) with its own
# names: the same ones but column 4 (id 5), to disagree on one feature
python3 - "$L/xgb_pairwise_letor.json" <<'PY'
import json, sys
m = json.load(open(sys.argv[1]))
names = ["n%03d" % (j + 1) for j in range(300)]
json.dump(m, open("plain.json", "w"))
names[4] = "other"
m["learner"]["feature_names"] = names
m["learner"]["feature_types"] = ["float"] * 300
json.dump(m, open("named.json", "w"))
PY
scenario() {	# MODEL NAMES-ATTRIBUTE OUT [LGB-MODEL LGB-NAMES-ATTRIBUTE] > scenario
	cat <<XML
<?xml version="1.0"?>
<scenario name="names" seed="7">
  <golden dir="$L"><queries file="queries.tsv"/><labels candidates="rank.test" query-file="rank.test.query"/></golden>
  <stack id="xgb"><candidates file="$L/rank.test" query-file="$L/rank.test.query" $2/><gbdt model="$1" first-feature="1"/></stack>
  <stack id="lgb"><candidates file="$L/rank.test" query-file="$L/rank.test.query" ${5:-}/><gbdt model="${4:-$L/lgb_lambdarank_letor.txt}"/></stack>
  <metrics primary="ndcg_cut_10"><metric name="ndcg_cut.10"/></metrics>
  <importance><features stack="xgb" repeats="1" top="5"/></importance>
  <outputs dir="out-$3"/>
</scenario>
XML
}
scenario plain.json 'names="names.tsv"' file > file.xml
scenario named.json '' model > model.xml
scenario named.json 'names="names.tsv"' both > both.xml

"$PF" run file.xml > file.out 2> file.err || ko "run with a names file: exit $? $(cat file.err)"
"$PF" probe plain.json --features "$L/rank.test" --query-file "$L/rank.test.query" \
	--first-feature 1 --names names.tsv --rows 0 --json probe.json > probe.out 2>&1
[ -s probe.json ] || ko "probe wrote no JSON: $(cat probe.out)"
if python3 - out-file/results.json probe.json <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
p = json.load(open(sys.argv[2]))
imp, = r["importance"]
name = {i: "n%03d" % i for i in range(1, 301)}
by_id = {}
for f in imp["features"]:
    i, = f["features"]
    assert f["feature_names"] == [name[i]], f
    assert f["name"] == "%s (%d)" % (name[i], i), f
    if i == 300:	# marked query in the names file: permuted across queries
        assert f["query_level"], f
    by_id[i] = f
assert p["first_feature"] == 1
pf = {f["feature"]: f for f in p["per_feature"]}
assert sorted(pf) == list(range(1, 301)), "probe numbers by file id"
for i, f in pf.items():
    assert f["name"] == name[i], f
never = p["dead_features"]["never_split"]
assert never and all(pf[i]["splits"] == 0 for i in never)
for i in never:	# never split on: no importance under the same id
    if i in by_id:
        assert by_id[i]["mean"] == 0, (i, by_id[i])
moved = [i for i, f in by_id.items() if f["mean"] != 0]
assert moved, "some feature matters"
for i in moved:	# mattered: probe sees the model split on the same id
    assert pf[i]["splits"] > 0, (i, pf[i])
print("%d never split on, all 0; %d with importance, all split on" % (len(never), len(moved)))
PY
then ok "probe and importance name the same file id (names and splits agree)"
else ko "probe and importance disagree on a feature's id or name"; fi
top=$(python3 -c 'import json,sys; f=max(json.load(open("out-file/results.json"))["importance"][0]["features"], key=lambda f: f["mean"]); print(f["name"])')
grep -qF "$top" out-file/report.html && ok "report.html shows '$top'" || ko "report.html lacks '$top'"
grep -qF "  $top" file.out && ok "the terminal table shows '$top'" || ko "terminal table lacks '$top': $(cat file.out)"

# the model's own names, without a names file
"$PF" run model.xml > model.out 2> model.err || ko "run with model names: exit $? $(cat model.err)"
python3 - out-model/results.json <<'PY' && ok "the model's names name its features (id 5: 'other')" || ko "model names not used"
import json, sys
imp, = json.load(open(sys.argv[1]))["importance"]
f = {x["features"][0]: x for x in imp["features"]}
assert f[5]["feature_names"] == ["other"] and f[5]["name"] == "other (5)", f[5]
assert f[6]["feature_names"] == ["n006"], f[6]
PY
# both: the names file wins; the disagreement is a warning, not an error
"$PF" run both.xml > both.out 2> both.err; rc=$?
want="names.tsv:5: the model named.json names 1 feature differently (feature 5 is 'n005' there, 'other' in the model)"
[ $rc -eq 0 ] && grep -qF "warning: $want" both.err && ok "disagreement warned: $want" ||
	ko "exit $rc, no warning '$want' in: $(cat both.err)"
python3 -c 'import json,sys; f=[x for x in json.load(open("out-both/results.json"))["importance"][0]["features"] if x["features"]==[5]][0]; assert f["name"]=="n005 (5)", f' &&
	ok "the names file wins over the model's names" || ko "names file does not win"
"$PF" probe named.json --features "$L/rank.test" --query-file "$L/rank.test.query" \
	--first-feature 1 --names names.tsv --rows 20 > pboth.out 2> pboth.err
grep -qF "warning: $want" pboth.err && ok "probe warns alike" || ko "probe: no warning in $(cat pboth.err)"

# LightGBM's feature_names= (first-feature 0: Column_j is id j), one off
python3 - "$L/lgb_lambdarank_letor.txt" <<'PY'
import sys
out = []
for line in open(sys.argv[1]):
    if line.startswith("feature_names="):
        n = len(line.split("=", 1)[1].split())
        names = ["n%03d" % j for j in range(n)]
        names[7] = "other7"
        line = "feature_names=" + " ".join(names) + "\n"
    out.append(line)
open("lgbnamed.txt", "w").write("".join(out))
PY
scenario plain.json '' lgb lgbnamed.txt 'names="names.tsv"' > lgb.xml
"$PF" run lgb.xml > lgb.out 2> lgb.err; rc=$?
want="names.tsv:7: the model lgbnamed.txt names 1 feature differently (feature 7 is 'n007' there, 'other7' in the model)"
[ $rc -eq 0 ] && grep -qF "warning: $want" lgb.err && ok "LightGBM names compared: $want" ||
	ko "LightGBM: exit $rc, no warning '$want' in: $(cat lgb.err)"

# probe: a monotone feature by name, shown as "name (id)"
"$PF" probe plain.json --features "$L/rank.test" --query-file "$L/rank.test.query" \
	--first-feature 1 --names names.tsv --rows 20 --monotone n003:+1 > pmono.out 2>&1
grep -q '^monotone n003 (3) increasing (--monotone): ' pmono.out && ok "monotone by name: n003 (3)" ||
	ko "monotone by name: $(cat pmono.out)"
"$PF" probe plain.json --monotone nope:+1 > pnope.out 2>&1; rc=$?
[ $rc -eq 2 ] && grep -qF "monotone feature 'nope': no feature has that name" pnope.out &&
	ok "an unknown name is refused (exit 2)" || ko "unknown name: exit $rc $(cat pnope.out)"
exit $fail
