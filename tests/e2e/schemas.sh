#!/usr/bin/env bash
# schemas/results.schema.json and schemas/diff.schema.json (JSON Schema
# draft 2020-12, Debian's python3-jsonschema) hold for what preflight
# writes: the results.json of every shipped scenario (scenarios/*.xml), of
# `compare -o`, of a multi-annotator run with the label bootstrap and of
# letor-models with a feature-importance max-share gate; the
# `validate --json` summary (the schema's $defs/validation); diff.json of
# two results.json files and of two nights of a history. Every member the
# results schema declares appears in one of those documents (so none is
# described but never checked), and broken documents — a member removed,
# one of the wrong type, an unknown member, a value outside its enum, a NaN
# literal — fail: the schemas are not vacuous.
# usage: schemas.sh PREFLIGHT SOURCE_DIR SHARED_DIR WORK_DIR
set -u
PF=$1 SRC=$2 WORK=$4
rm -rf "$WORK"; mkdir -p "$WORK"; cd "$WORK" || exit 2
PY=
for p in python3 /usr/bin/python3; do
	if command -v "$p" > /dev/null && "$p" -c 'import jsonschema; jsonschema.Draft202012Validator' 2> /dev/null; then
		PY=$p; break
	fi
done
[ -n "$PY" ] || { echo "SKIP: no python3 with jsonschema >= 4 (Debian python3-jsonschema; make deps installs it)"; exit 77; }
fail=0
pass() { echo "PASS $*"; }
bad() { echo "FAIL $*"; fail=1; }

# Every shipped scenario, its outputs redirected here (exit 1 is a gate
# failing, which still writes results.json).
docs=()
for s in "$SRC"/scenarios/*.xml; do
	n=$(basename "$s" .xml)
	"$PF" run --quiet --out "out-$n" "$s" > "run-$n.log" 2>&1; rc=$?
	if [ $rc -le 1 ] && [ -f "out-$n/results.json" ]; then docs+=("out-$n/results.json")
	else bad "run $n: exit $rc: $(tail -3 "run-$n.log")"; fi
done
[ ${#docs[@]} -ge 3 ] || bad "only ${#docs[@]} shipped scenarios ran"

# compare -o on the shipped Cranfield run and a copy with two places swapped
C=$SRC/golden/cranfield-bm25
awk '{ if ($4 == 1) { hold = $0; next } if ($4 == 2) { print; split(hold, h); print h[1], h[2], h[3], 1, $5 - 0.001, h[6]; next } print }' "$C/bm25.run" > b.run
if "$PF" compare --bootstrap 500 --permutations 500 -o out-compare "$C/qrels.txt" "$C/bm25.run" b.run > compare.log 2>&1; then
	docs+=(out-compare/results.json)
else bad "compare -o: $(tail -3 compare.log)"; fi

# three annotators and label-bootstrap="true": agreement and the
# label_bootstrap part, one rating left out so that Fleiss' kappa does not
# apply (validate --json on the whole fixture has it)
cp -r "$SRC/tests/fixtures/golden_multi" g
cp -r g g2
grep -v '^q1 carol d4 ' g/qrels.txt > g2/qrels.txt
cat > multi.xml <<'XML'
<?xml version="1.0" encoding="UTF-8"?>
<scenario name="multi-lb" seed="7">
  <golden dir="g2"><queries file="queries.tsv"/><docs file="docs.tsv"/><qrels file="qrels.txt"/></golden>
  <stack id="a"><bm25 k1="0.9" b="0.4"/></stack>
  <stack id="b"><bm25 k1="2.0" b="1.0"/></stack>
  <metrics primary="ndcg_cut_10"><metric name="ndcg_cut.10"/><metric name="map"/></metrics>
  <compare bootstrap="200" permutations="200" label-bootstrap="true"/>
  <outputs dir="out-multi"/>
</scenario>
XML
if "$PF" run --quiet multi.xml > multi.log 2>&1; then docs+=(out-multi/results.json)
else bad "multi-annotator run: $(tail -3 multi.log)"; fi
# --against: the label_drift part (g against g2, one rating fewer)
"$PF" validate --json validate.json --against g2 g > validate.log 2>&1 || bad "validate --json: $(tail -3 validate.log)"

# an importance max-share gate: letor-models with feature importance, a
# feature gate and a features report against a reference (a copy of the
# candidates with feature 1 shifted and feature 300 left out)
L=$SRC/golden/letor
sed -e 's/ 300:[^ ]*//' -e 's/ 1:0\.74/ 1:0.64/' "$L/rank.test" > ref.svm
cp "$L/rank.test.query" ref.svm.query
sed -e "s|\.\./golden|$SRC/golden|g" \
	-e 's|<interleave[^>]*>|<importance><features stack="lgb-lambdarank" repeats="1" max-share="0.9"/></importance><gates><feature-gate id="no_drift" reference="'"$WORK"'/ref.svm" query-file="'"$WORK"'/ref.svm.query" max-psi="1000"/></gates><features-report reference="'"$WORK"'/ref.svm" query-file="'"$WORK"'/ref.svm.query"/>|' \
	"$SRC/scenarios/letor-models.xml" > letor-importance.xml
if "$PF" run --quiet --out out-importance letor-importance.xml > importance.log 2>&1; then
	docs+=(out-importance/results.json)
else bad "letor-models with importance: $(tail -3 importance.log)"; fi

# diff.json: two results.json files, and two nights of a history whose
# second deploys a reranker reading feature ids off by one (gate flips,
# drift)
diffs=()
"$PF" diff -o diff-files out-cranfield-nightly/results.json out-cranfield/results.json > diff1.log 2>&1
[ -f diff-files/diff.json ] && diffs+=(diff-files/diff.json) || bad "diff of two results.json: $(tail -3 diff1.log)"
sed -e "s|\.\./golden|$SRC/golden|g" -e 's|first-feature="1"|first-feature="0"|' \
	"$SRC/scenarios/cranfield-nightly.xml" > nightly-v42.xml
"$PF" run --quiet --history h.db --out night1 "$SRC/scenarios/cranfield-nightly.xml" > night1.log 2>&1
"$PF" run --quiet --history h.db --out night2 nightly-v42.xml > night2.log 2>&1
"$PF" diff -o diff-db 'h.db#1' 'h.db#last' > diff2.log 2>&1
[ -f diff-db/diff.json ] && diffs+=(diff-db/diff.json) || bad "diff of two nights: $(tail -3 diff2.log)"

"$PY" - "$SRC/schemas" validate.json "${#docs[@]}" "${docs[@]}" "${diffs[@]}" <<'PY' || fail=1
import copy, json, os, sys
import jsonschema

schemas, vjson, nres = sys.argv[1], sys.argv[2], int(sys.argv[3])
results, diffs = sys.argv[4:4 + nres], sys.argv[4 + nres:]
fail = 0
def say(ok, what):
    global fail
    print(("PASS " if ok else "FAIL ") + what)
    fail |= not ok

def reject(c):	# NaN, Infinity: Python's json reads them, JSON has none
    raise ValueError("not JSON: " + c)
def load(p):
    with open(p) as f:
        return json.load(f, parse_constant=reject)

V = jsonschema.Draft202012Validator
rs, ds = load(schemas + "/results.schema.json"), load(schemas + "/diff.schema.json")
for name, s in (("results", rs), ("diff", ds)):
    try:
        V.check_schema(s)
        say(True, f"{name}.schema.json is a valid draft 2020-12 schema")
    except jsonschema.SchemaError as e:
        say(False, f"{name}.schema.json: {e.message}")
rv, dv = V(rs), V(ds)

def errors(v, doc):
    return ["/".join(map(str, e.absolute_path)) + ": " + e.message[:160]
            for e in v.iter_errors(doc)]

loaded = {}
for p in results:
    loaded[p] = load(p)
    e = errors(rv, loaded[p])
    say(not e, f"{p} ({loaded[p]['scenario']}) holds to results.schema.json" + ("" if not e else ": " + "; ".join(e[:5])))
for p in diffs:
    e = errors(dv, load(p))
    say(not e, f"{p} holds to diff.schema.json" + ("" if not e else ": " + "; ".join(e[:5])))
vs = dict(rs, **{"$ref": "#/$defs/validation"})
for k in ("properties", "required", "additionalProperties", "dependentRequired"):
    vs.pop(k, None)
e = errors(V(vs), load(vjson)) if os.path.exists(vjson) else ["no " + vjson]
say(not e, "validate --json holds to $defs/validation" + ("" if not e else ": " + "; ".join(e[:5])))

# Every member the results schema declares is in some document above.
declared, seen = set(), set()
def walk_schema(x):
    if isinstance(x, dict):
        declared.update(x.get("properties", {}))
        for v in x.values():
            walk_schema(v)
    elif isinstance(x, list):
        for v in x:
            walk_schema(v)
def walk_doc(x):
    if isinstance(x, dict):
        seen.update(x)
        for v in x.values():
            walk_doc(v)
    elif isinstance(x, list):
        for v in x:
            walk_doc(v)
walk_schema(rs)
for d in loaded.values():
    walk_doc(d)
if os.path.exists(vjson):
    walk_doc(load(vjson))
unseen = declared - seen
say(not unseen, "every member results.schema.json declares occurs in a document checked" +
    ("" if not unseen else ": never seen " + ", ".join(sorted(unseen))))

# Broken documents must fail: the schema is not vacuous.
base = next(d for d in loaded.values() if "lift" in d and "attribution" in d and "importance" in d)
def broken(what, change, v=rv, doc=base):
    d = copy.deepcopy(doc)
    change(d)
    say(bool(errors(v, d)), f"rejected: {what}")
cases = [
    ("no stacks", lambda d: d.pop("stacks")),
    ("no schema marker", lambda d: d.pop("schema")),
    ("schema preflight.results/2", lambda d: d.__setitem__("schema", "preflight.results/2")),
    ("seed a string", lambda d: d.__setitem__("seed", "1")),
    ("threads 0", lambda d: d.__setitem__("threads", 0)),
    ("an unknown top-level member", lambda d: d.__setitem__("extra", 1)),
    ("a stack without its mean", lambda d: d["stacks"][0].pop("mean")),
    ("a per-query value as the string 'nan'", lambda d: d["stacks"][0]["per_query"][d["primary"]].__setitem__(0, "nan")),
    ("num_ret negative", lambda d: d["stacks"][0]["per_query"]["num_ret"].__setitem__(0, -1)),
    ("a stage parameter that is a number", lambda d: d["stacks"][0]["stages"][0]["params"].__setitem__("k1", 0.9)),
    ("an input's sha256 not hex", lambda d: d["inputs"][0].__setitem__("sha256", "xyz")),
    ("a comparison without its delta", lambda d: d["comparisons"][0].pop("delta")),
    ("a ci95 of three numbers", lambda d: d["comparisons"][0]["ci95"].append(0.0)),
    ("a p-value above 1", lambda d: d["comparisons"][0].__setitem__("p_t", 1.5)),
    ("family 'maybe'", lambda d: d["comparisons"][0].__setitem__("family", "maybe")),
    ("an exploratory comparison with p_holm", lambda d: d["comparisons"][[c["family"] for c in d["comparisons"]].index("exploratory")].__setitem__("p_holm", 0.5)),
    ("gate status 'passed'", lambda d: d["gates"][0].__setitem__("status", "passed")),
    ("verdict 'GO'", lambda d: d["verdict"].__setitem__("decision", "GO")),
    ("comparisons without a verdict", lambda d: d.pop("verdict")),
    ("a segment with too_few and a ci95", lambda d: d["segments"][0].__setitem__("too_few", True)),
    ("lift not_calibrated with a prediction", lambda d: d["lift"].__setitem__("status", "not_calibrated")),
    ("an unknown lift reason code", lambda d: d["lift"]["reasons"].append("unlucky")),
    ("the slope note as a lift reason", lambda d: d["lift"]["reasons"].append("slope_ci_contains_zero")),
    ("an unknown lift note code", lambda d: d["lift"]["notes"].append("unlucky")),
    ("an ablation available without its value", lambda d: d["attribution"]["stages"][0]["ablations"].append({"what": "x", "available": True})),
    ("importance method 'shap'", lambda d: d["importance"][0].__setitem__("method", "shap")),
    ("golden_quality without its note", lambda d: d["golden_quality"].pop("note")),
    ("validation rule status 'FAIL'", lambda d: d["validation"]["rules"][0].__setitem__("status", "FAIL")),
]
for what, change in cases:
    broken(what, change)
diff0 = load(diffs[-1]) if diffs else {}
if diff0:
    broken("diff.json without its metrics", lambda d: d.pop("metrics"), dv, diff0)
    broken("diff.json input status 'moved'", lambda d: d["inputs"][0].__setitem__("status", "moved"), dv, diff0)
    broken("diff.json a drift sketch of 3 points", lambda d: d["drift"]["features"][0].__setitem__("quantiles_a", [0.0, 1.0, 2.0]), dv, diff0)
try:
    json.loads('{"delta": NaN}', parse_constant=reject)
    say(False, "rejected: a NaN literal")
except ValueError:
    say(True, "rejected: a NaN literal (not JSON; the writer emits null)")
sys.exit(fail)
PY
exit $fail
