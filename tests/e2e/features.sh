#!/usr/bin/env bash
# `preflight features stats` and `features skew` on the shipped LETOR data
# (README "Know your features"): the statistics of one feature against
# values computed here independently (plain Python over the file's text:
# count, missing, mean, sample sd, numpy-linear median, distinct, mean by
# grade); the same bytes for --threads 1 and 2; a planted drift (a copy of
# rank.test with feature 12 shifted by 0.5 sd) found and named first, over
# --max-psi (exit 1), every shared row with feature 12 counted a mismatch;
# a clean copy reported clean (exit 0 under --max-psi 0.1 --max-mismatch
# 0); a feature present in one file only reported as such and sorted
# first; PSI by hand on a small pair (B: A's values plus as many missing:
# 10 bins of 0.1 against 0.05 and the missing bin 0 (floored at 1e-4)
# against 0.5); in a scenario, a <feature-gate> on the drifted copy failing
# the run and <features-report> writing its section; exit 2 on bad input.
# usage: features.sh PREFLIGHT SOURCE_DIR SHARED_DIR WORK_DIR
set -u
PF=$1 SRC=$2 WORK=$4
rm -rf "$WORK"; mkdir -p "$WORK"; cd "$WORK" || exit 2
. "$SRC/tests/e2e/lib/check.sh"
L=$SRC/golden/letor
cp "$L/rank.test" a.svm; cp "$L/rank.test.query" a.svm.query

"$PF" features stats --json s1.json --threads 1 a.svm > s1.txt 2> s1.err
rc=$?
[ $rc = 0 ] && ok "stats exit 0" || bad "stats exit $rc: $(cat s1.err)"
"$PF" features stats --json s2.json --threads 2 a.svm > s2.txt 2>&1
cmp -s s1.json s2.json && cmp -s s1.txt s2.txt && ok "same bytes for --threads 1 and 2" ||
	bad "--threads 1 and 2 differ"
python3 - a.svm s1.json <<'PY' && ok "f12 statistics match an independent computation" || bad "f12 statistics"
import json, math, sys
vals, grades = [], {}
rows = 0
for line in open(sys.argv[1]):
    t = line.split()
    rows += 1
    for kv in t[1:]:
        k, v = kv.split(":")
        if k == "12":
            vals.append(float(v))
            grades.setdefault(int(t[0]), []).append(float(v))
n = len(vals)
mean = sum(vals) / n
sd = math.sqrt(sum((x - mean) ** 2 for x in vals) / (n - 1))
s = sorted(vals)
pos = (n - 1) * 0.5
lo = int(pos)
med = s[lo] + (pos - lo) * (s[lo + 1] - s[lo])
f = [x for x in json.load(open(sys.argv[2]))["files"][0]["features"] if x["id"] == 12][0]
def close(a, b):
    return abs(a - b) <= 1e-12 * max(1, abs(b))
checks = [f["count"] == rows, f["missing"] == rows - n, close(f["mean"], mean),
          close(f["sd"], sd), close(f["quantiles"]["0.5"], med),
          f["distinct"] == len(set(vals)), f["min"] == s[0], f["max"] == s[-1]]
for g, v in grades.items():
    checks.append(close(f["mean_by_grade"][str(g)], sum(v) / len(v)))
if not all(checks):
    print(f, n, mean, sd, med, checks)
    sys.exit(1)
PY

# planted drift: feature 12 shifted by 0.5 sd
sd=$(python3 -c "import json; print([x for x in json.load(open('s1.json'))['files'][0]['features'] if x['id'] == 12][0]['sd'] / 2)")
awk -v sh="$sd" '{ for (i = 2; i <= NF; i++) { split($i, kv, ":"); if (kv[1] == "12") $i = "12:" (kv[2] + sh) } print }' a.svm > b.svm
cp a.svm.query b.svm.query
"$PF" features skew --max-psi 0.25 --json k.json a.svm b.svm > k.txt 2>&1
rc=$?
[ $rc = 1 ] && ok "planted drift: exit 1 over --max-psi 0.25" || bad "planted drift: exit $rc: $(tail -3 k.txt)"
first=$(awk 'NR == 3 { print $1 }' k.txt)
[ "$first" = f12 ] && ok "planted drift named first: f12" || bad "first row is '$first', not f12"
grep -q "^FAIL: f12's PSI" k.txt && ok "the failure names f12" || bad "no FAIL line naming f12: $(grep FAIL k.txt)"
python3 - k.json a.svm <<'PY' && ok "skew JSON: f12 first, the rest 0, mismatches = rows with f12" || bad "skew JSON"
import json, sys
k = json.load(open(sys.argv[1]))
f = k["features"]
with12 = sum(1 for l in open(sys.argv[2]) if " 12:" in l)
ok = (f[0]["name"] == "f12" and f[0]["psi"] > 0.25 and f[0]["ks_q"] < 1e-6
      and all(x["psi"] == 0 and x["ks_d"] == 0 for x in f[1:])
      and k["shared_rows"] == 768 and k["mismatched_rows"] == with12
      and f[0]["mismatched_rows"] == with12 and k["pass"] is False
      and k["largest_differences"][0]["feature"] == "f12")
if not ok:
    print(f[0], k["shared_rows"], k["mismatched_rows"], with12)
    sys.exit(1)
PY

# a clean pair
cp a.svm c.svm; cp a.svm.query c.svm.query
"$PF" features skew --max-psi 0.1 --max-mismatch 0 a.svm c.svm > c.txt 2>&1
rc=$?
[ $rc = 0 ] && grep -q "mismatched: 0 (0.00%)" c.txt && ok "clean copy: exit 0, no mismatch" ||
	bad "clean copy: exit $rc: $(tail -3 c.txt)"

# feature 300 only in A
sed 's/ 300:[^ ]*//' a.svm > d.svm; cp a.svm.query d.svm.query
"$PF" features skew a.svm d.svm > d.txt 2>&1
awk 'NR == 3' d.txt | grep -q '^f300 .*only in A$' && grep -q "1 only in A, 0 only in B" d.txt &&
	ok "a feature only in A: reported so, sorted first" || bad "only in A: $(sed -n 1,3p d.txt)"

# PSI by hand: B = A's 11 values of feature 1 and 11 rows without it
for i in 0 1 2 3 4 5 6 7 8 9 10; do echo "0 qid:1 1:$i 2:1"; done > pa.svm
{ cat pa.svm; for i in 0 1 2 3 4 5 6 7 8 9 10; do echo "0 qid:1 2:1"; done; } > pb.svm
"$PF" features skew --json p.json pa.svm pb.svm > p.txt 2>&1 || bad "small pair: $(cat p.txt)"
python3 - p.json <<'PY' && ok "PSI by hand: 0.5 ln 2 + 0.4999 ln 5000" || bad "PSI by hand"
import json, math, sys
f = [x for x in json.load(open(sys.argv[1]))["features"] if x["id"] == 1][0]
want = 10 * (0.05 - 0.1) * math.log(0.05 / 0.1) + (0.5 - 1e-4) * math.log(0.5 / 1e-4)
if abs(f["psi"] - want) > 1e-9 or f["ks_d"] != 0:
    print(f["psi"], want, f["ks_d"])
    sys.exit(1)
PY

# in a scenario: a feature gate against the drifted copy fails the run
# (exit 1, a JUnit failure naming f12); <features-report> adds the section
# (with its nav entry) and results.json's features; against a clean copy
# the gate passes
sed -e "s|\.\./golden|$SRC/golden|g" -e 's|<outputs dir="../out"|<outputs dir="out"|' \
	-e 's|<interleave [^>]*/>|<gates><feature-gate id="no_drift" reference="REF" query-file="REF.query" max-psi="0.25"/></gates><features-report reference="REF" query-file="REF.query"/>|' \
	"$SRC/scenarios/letor-models.xml" > tmpl.xml
sed 's|REF|b.svm|g' tmpl.xml > drift.xml
"$PF" run -q drift.xml > drift.log 2>&1
rc=$?
[ $rc = 1 ] && grep -q '<failure type="GateFailed" message="f12.s PSI' out/junit.xml &&
	ok "scenario feature gate: exit 1, JUnit failure naming f12" || bad "scenario gate: exit $rc: $(tail -3 drift.log)"
[ "$(grep -c '<section id="features">' out/report.html)" = 1 ] && grep -q '<a href="#features">features</a>' out/report.html &&
	ok "report.html: one features section, in the nav" || bad "report.html features section"
python3 -c '
import json, sys
r = json.load(open("out/results.json"))
f = r["features"]
sys.exit(not (f["stack"] == "xgb-pairwise" and f["skew"]["features"][0]["name"] == "f12"
              and len(f["stats"]["files"][0]["features"]) == 217))' && ok "results.json: features with stats and skew, f12 first" || bad "results.json features"
sed 's|REF|c.svm|g' tmpl.xml > clean.xml
"$PF" run -q clean.xml > clean.log 2>&1
rc=$?
[ $rc = 0 ] && grep -q 'name="no_drift: feature drift' out/junit.xml && ! grep -q GateFailed out/junit.xml &&
	ok "scenario feature gate against a clean copy passes: exit 0" || bad "clean scenario gate: exit $rc: $(tail -3 clean.log)"

# bad input: exit 2, file named
"$PF" features skew a.svm nosuch.svm > e1.txt 2>&1
[ $? = 2 ] && grep -q "nosuch.svm" e1.txt && ok "missing file: exit 2, named" || bad "missing file: $(cat e1.txt)"
"$PF" features skew --max-psi x a.svm c.svm > e2.txt 2>&1
[ $? = 2 ] && grep -q -- "--max-psi needs a number" e2.txt && ok "bad --max-psi: exit 2" || bad "bad --max-psi: $(cat e2.txt)"
"$PF" features nosuch > e3.txt 2>&1
[ $? = 2 ] && grep -q "unknown subcommand 'nosuch'" e3.txt && ok "unknown subcommand: exit 2" || bad "unknown subcommand: $(cat e3.txt)"
exit $((fail > 0))
