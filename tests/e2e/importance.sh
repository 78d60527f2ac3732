#!/usr/bin/env bash
# Feature importance end to end on the shipped LETOR scenario: results.json
# gets an "importance" section shaped like scikit-learn's
# permutation_importance, byte-identical for 1 and 2 threads; the report's
# "Why" section has the bars; the max-share gate lands in junit.xml and
# fails the run (exit 1) when set too low; a stage that does not score from
# features is refused with the scenario's line (exit 2).
# usage: importance.sh PREFLIGHT SOURCE_DIR SHARED_DIR WORK_DIR
set -u
PF=$1 SRC=$2 WORK=$4
rm -rf "$WORK"; mkdir -p "$WORK/scenarios"; cd "$WORK" || exit 2
fail=0
imp='<importance><features stack="xgb-pairwise" repeats="2" top="5" max-share="0.9"><group name="g"> 8 9 </group></features></importance>'
sed -e "s|\.\./golden/|$SRC/golden/|g" -e "s|<interleave[^>]*/>|$imp|" \
	"$SRC/scenarios/letor-models.xml" > scenarios/imp.xml
for t in 1 2; do
	OMP_NUM_THREADS=$t "$PF" run scenarios/imp.xml > table.$t 2> err.$t ||
		{ echo "FAIL run ($t threads): $(cat err.$t)"; exit 1; }
	# all but the thread count it records
	grep -v '^ "threads": ' out/results.json > results.$t.json
done
cmp -s results.1.json results.2.json || { echo "FAIL results.json depends on threads"; fail=1; }
# the portable scorers (PF_GBDT_PATH; the scalar changed-trees re-walk of
# importance) give the same bytes as the default (AVX-512 where present)
for p in scalar walk; do
	PF_GBDT_PATH=$p "$PF" run scenarios/imp.xml > /dev/null 2> err.$p ||
		{ echo "FAIL run (PF_GBDT_PATH=$p): $(cat err.$p)"; exit 1; }
	grep -v '^ "threads": ' out/results.json | grep -v '"elapsed' > results.$p.json
	grep -v '"elapsed' results.2.json | cmp -s - results.$p.json &&
		echo "PASS PF_GBDT_PATH=$p: same results.json" ||
		{ echo "FAIL PF_GBDT_PATH=$p changes results.json"; diff results.2.json results.$p.json | head -5; fail=1; }
done
cmp -s table.1 table.2 || { echo "FAIL the table depends on threads"; fail=1; }
grep -q '^feature importance: stack xgb-pairwise, stage 2 (gbdt)' table.1 ||
	{ echo "FAIL no importance table on stdout"; cat table.1; fail=1; }
python3 - results.1.json <<'PY' || fail=1
import json, sys
d = json.load(open(sys.argv[1]))
imp = d["importance"]
assert len(imp) == 1, imp
m = imp[0]
assert m["stack"] == "xgb-pairwise" and m["stage"] == 2 and m["metric"] == "ndcg_cut_10", m
n = len(m["names"])
assert m["names"][0] == "g" and m["features"][0]["features"] == [8, 9], m["features"][0]
assert "f8" not in m["names"] and "f1" in m["names"]
assert len(m["importances"]) == n and all(len(r) == 2 for r in m["importances"])
assert len(m["importances_mean"]) == n == len(m["importances_std"])
# the mean and the population SD of the repeats, as scikit-learn has them
for r, mu, sd in zip(m["importances"], m["importances_mean"], m["importances_std"]):
    assert abs(sum(r) / 2 - mu) < 1e-12, (r, mu)
    assert abs(((r[0] - mu) ** 2 / 2 + (r[1] - mu) ** 2 / 2) ** 0.5 - sd) < 1e-12
# the baseline is the stack's own mean
stack = [s for s in d["stacks"] if s["id"] == "xgb-pairwise"][0]
assert m["baseline"] == stack["mean"]["ndcg_cut_10"], (m["baseline"], stack["mean"])
pos = sum(x for x in m["importances_mean"] if x > 0)
top = max(f["share"] for f in m["features"])
assert abs(top - max(m["importances_mean"]) / pos) < 1e-12
assert m["max_share"]["pass"] is True and m["max_share"]["limit"] == 0.9
for f in m["features"]:
    lo, hi = f["ci95"]
    assert lo <= f["mean"] <= hi or abs(f["mean"]) < 1e-12, f
print("PASS results.json importance: %d items, top share %.3f" % (n, top))
PY
grep -q 'Feature importance: xgb-pairwise' out/report.html || { echo "FAIL no importance in the report"; fail=1; }
grep -q 'more (sum)' out/report.html || { echo "FAIL the report does not fold the rest"; fail=1; }
xmllint --noout out/report.html 2>/dev/null || { echo "FAIL report.html is not well-formed"; fail=1; }
grep -q 'importance-max-share' out/junit.xml || { echo "FAIL no gate in junit.xml"; fail=1; }
# a limit no model meets: the gate fails, exit 1
sed 's|max-share="0.9"|max-share="0.01"|' scenarios/imp.xml > scenarios/low.xml
"$PF" run -q scenarios/low.xml > /dev/null 2> low.err; rc=$?
[ $rc -eq 1 ] || { echo "FAIL low max-share: exit $rc, want 1"; fail=1; }
grep -q '<failure[^>]*carries' out/junit.xml || { echo "FAIL no failing gate in junit.xml"; fail=1; }
# stage 1 (candidates) does not score from features: exit 2 with the line
sed 's|<features |<features stage="1" |' scenarios/imp.xml > scenarios/bad.xml
"$PF" run -q scenarios/bad.xml > /dev/null 2> bad.err; rc=$?
[ $rc -eq 2 ] || { echo "FAIL bad stage: exit $rc, want 2"; fail=1; }
grep -q 'bad.xml:[0-9]*: <features stage="1">: stage 1 of stack .xgb-pairwise. is .candidates., which does not score from features' bad.err ||
	{ echo "FAIL bad stage message: $(cat bad.err)"; fail=1; }
[ $fail -eq 0 ] && echo "PASS importance end to end"
exit $fail
