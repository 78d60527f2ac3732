#!/usr/bin/env bash
# preflight probe: exit codes 0 / 1 / 2 and their messages on the
# hand-designed models of tests/fixtures/probe (make_fixtures.py says what
# each hides), the example plugin made to overflow, the JSON report valid
# and the same bytes for 1 and 2 threads, and a real model from
# shared/data/models whose dead features must include every feature it
# never splits on (computed here from the model JSON by python3).
# usage: probe.sh PREFLIGHT SOURCE_DIR SHARED_DIR WORK_DIR
set -u
PF=$1 SRC=$2 SHARED=$3 WORK=$4
F=$SRC/tests/fixtures/probe
B=$(dirname "$PF")
rm -rf "$WORK"; mkdir -p "$WORK"; cd "$WORK" || exit 2
fail=0
ok() { echo "PASS $*"; }
ko() { echo "FAIL $*"; fail=1; }

# expect NAME RC FRAGMENT ARGS...: exit code and a line of stdout+stderr.
expect() {
	local name=$1 want=$2 frag=$3; shift 3
	"$PF" probe "$@" > $name.out 2>&1; local rc=$?
	if [ $rc -eq $want ] && grep -qF -- "$frag" $name.out; then
		ok "$name: exit $rc: $frag"
	else
		ko "$name: exit $rc (want $want), no '$frag' in:"; cat $name.out
	fi
}

expect clean 0 "result: ok, with warnings (dead features)" \
	$F/mono.json --monotone f0:+1
expect strict 1 "result: PROBLEM: dead features (--strict)" \
	$F/mono.json --strict
expect deadsplit 0 "split on but no effect on these rows:" $F/mono.json
expect overflow 1 "f1 = +1e30 (1e+30): inf on 12 rows, first row 1 (qid 1, d1)" \
	$F/overflow.json --features $F/rows.svm --first-feature 1
expect overflow_neg 1 "f2 = -1e30 (-1e+30): -inf on 12 rows" \
	$F/overflow.json --features $F/rows.svm --first-feature 1
expect mono 1 "monotone f2 increasing (--monotone): 256 of 256 rows violate it" \
	$F/mono.json --monotone f2:+1
expect mono_amount 1 "moves the score 0.5 the wrong way" \
	$F/mono.json --monotone 2:increasing
expect nomodel 2 "none.json: cannot open" $F/none.json
expect notmodel 2 "rows.svm:1: expected an XGBoost JSON model" $F/rows.svm
expect wide 2 "wide.svm:2: the candidates have feature ids up to 9" \
	$F/mono.json --features $F/wide.svm --first-feature 1
expect badmono 2 "--monotone: expected FEATURE:+1 or FEATURE:-1" \
	$F/mono.json --monotone f2:up
expect monorange 2 "monotone feature f9: the model reads file feature ids 0..3" \
	$F/mono.json --monotone f9:+1
expect badopt 2 "preflight probe: unknown option '--bogus'" \
	$F/mono.json --bogus
expect scenario 1 "monotone f2 increasing ($F/probe.xml:11): 256 of 256 rows violate it" \
	$F/mono.json --scenario $F/probe.xml
expect scenario_ok 1 "monotone f0 increasing ($F/probe.xml:10): holds on 256 rows" \
	$F/mono.json --scenario $F/probe.xml
expect scenario_bad 2 "probe_bad.xml:12: Element 'monotone', attribute 'direction'" \
	$F/mono.json --scenario $F/probe_bad.xml
expect help 0 "exit: 0 clean, 1 a problem found, 2 bad input" --help

# The JSON report: valid, and the same bytes for any thread count.
json_same() {	# NAME ARGS...
	local name=$1; shift
	OMP_NUM_THREADS=1 "$PF" probe "$@" --json $name.1.json > /dev/null 2>&1
	OMP_NUM_THREADS=2 "$PF" probe "$@" --json $name.2.json > /dev/null 2>&1
	if python3 -m json.tool $name.1.json > /dev/null 2>&1 &&
	    cmp -s $name.1.json $name.2.json; then
		ok "$name: valid JSON, identical for 1 and 2 threads"
	else
		ko "$name: JSON invalid or differs between thread counts"
	fi
}
json_same overflow $F/overflow.json --features $F/rows.svm --first-feature 1
json_same mono $F/mono.json --monotone f2:+1 --monotone f0:-1
if python3 - overflow.1.json <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
got = [(b["feature"], b["probe"], b["score"], b["rows"]) for b in d["nonfinite"]]
# file feature ids (--first-feature 1): model columns 0 and 1 are ids 1, 2
want = [(1, "+1e30", "inf", 12), (1, "+FLT_MAX", "inf", 12),
        (2, "-FLT_MAX", "-inf", 12), (2, "-1e30", "-inf", 12)]
assert got == want, got
assert d["first_feature"] == 1, d["first_feature"]
assert d["dead_features"]["never_split"] == [3], d["dead_features"]
assert d["status"] == "problem"
PY
then ok "overflow JSON: the four non-finite probes and dead f3 (file ids)"
else ko "overflow JSON findings"; fi

# A plugin through the C ABI: the example plugin with weights +-1e300 on
# file feature 1 turns any |f1| >= 1e30 into inf - inf = NaN.
if [ -f "$B/pf_plugin_example.so" ]; then
	expect plugin 1 "f1 = +FLT_MAX (3.40282e+38): nan on 12 rows" \
		"$B/pf_plugin_example.so" --features $F/rows.svm \
		--params "weights=1:1e300,1:-1e300,2:1;bias=0"
	expect plugin_nofeat 2 "give a feature file (--features)" \
		"$B/pf_plugin_example.so"
fi

# A real model: no non-finite score, and the features it never splits on
# (read from its JSON here) are exactly the dead features never split on.
M=$SHARED/data/models
L=$SHARED/data/lightgbm_lambdarank
if [ ! -f $M/xgb_pairwise_letor.json ]; then
	echo "SKIP real model part: no $M"
	[ $fail -eq 0 ] && exit 77
	exit 1
fi
for spec in "small|$M/xgb_ndcg_small.json" \
    "letor|$M/xgb_pairwise_letor.json --features $L/rank.train --query-file $L/rank.train.query --first-feature 1" \
    "lgb|$M/lgb_lambdarank_nan.txt"; do
	name=${spec%%|*}; args=${spec#*|}
	# shellcheck disable=SC2086
	json_same real_$name $args
	if python3 - ${args%% *} real_$name.1.json <<'PY'
import json, sys
d = json.load(open(sys.argv[2]))
used, top = set(), -1
if sys.argv[1].endswith(".txt"):	# LightGBM text: split_feature= lines
    for line in open(sys.argv[1]):
        if line.startswith("max_feature_idx="):
            n = int(line.split("=")[1]) + 1
        if line.startswith("split_feature="):
            used.update(int(f) for f in line.split("=")[1].split())
    top = max(used)
    n = max(n, top + 1)
else:
    m = json.load(open(sys.argv[1]))["learner"]
    for t in m["gradient_booster"]["model"]["trees"]:
        for l, f in zip(t["left_children"], t["split_indices"]):
            if l != -1:
                used.add(f)
                top = max(top, f)
    n = max(int(m["learner_model_param"]["num_feature"]), top + 1)
first = d["first_feature"]	# shown by file id: column j is id j + first
never = [j + first for j in range(n) if j not in used]
assert d["features"] == n, (d["features"], n)
assert d["nonfinite"] == [], d["nonfinite"]
assert d["dead_features"]["never_split"] == never
assert d["live_never_split"] == []
dead = [f["feature"] for f in d["per_feature"] if f["dead"]]
assert set(never) <= set(dead)
print("%d features, %d never split on, %d dead" % (n, len(never), len(dead)))
PY
	then ok "real model $name: no NaN/inf; never-split features all dead"
	else ko "real model $name"; fi
done
exit $fail
