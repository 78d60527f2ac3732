#!/usr/bin/env bash
# `preflight run` end to end on the shipped LETOR golden set:
#  - the replay's metrics equal `preflight eval` on the run files it wrote
#    (an identity: same measures, same order, independent code path for
#    parsing and sorting) against qrels written from rank.test by awk;
#  - results.json is byte-identical for 1, 2 and 3 threads (but "threads");
#  - --check validates without writing; bad scenarios exit 2 with every
#    problem at path:line and leave earlier outputs untouched.
# usage: run_scenario.sh PREFLIGHT SOURCE_DIR SHARED_DIR WORK_DIR
set -u
PF=$1 SRC=$2 WORK=$4
rm -rf "$WORK"; mkdir -p "$WORK"; cd "$WORK" || exit 2
. "$SRC/tests/e2e/lib/check.sh"
G=$SRC/golden/letor

# Two linear rankers on the LETOR candidates (weights on the strongest
# single features of rank.test, see golden/letor/SOURCE.md).
printf 'bias 0.1\n260 1.0\n164 0.5\n120 0.25\n' > w1.txt
printf '# one feature\n6 1.0\n' > w2.txt
cat > lin.xml <<EOF
<?xml version="1.0"?>
<scenario name="lin" seed="7">
  <golden dir="$G"><labels candidates="rank.test" query-file="rank.test.query"/></golden>
  <stack id="a"><candidates file="$G/rank.test" query-file="$G/rank.test.query"/><linear weights="w1.txt"/></stack>
  <stack id="b"><candidates file="$G/rank.test" query-file="$G/rank.test.query"/><linear weights="w2.txt"/><cutoff k="5"/></stack>
  <metrics><metric name="ndcg_cut.5,10"/><metric name="map"/><metric name="recip_rank"/><metric name="P.5"/></metrics>
  <outputs dir="out"/>
</scenario>
EOF

if "$PF" run --check lin.xml > check.txt 2>&1 && grep -q "OK: 50 queries (50 judged), 2 stacks" check.txt && [ ! -e out ]; then
	ok check
else bad "check: $(cat check.txt)"; fi

for t in 1 2 7; do
	if ! OMP_NUM_THREADS=$t "$PF" run lin.xml > table.$t 2> err.$t; then bad "run with $t threads: $(cat err.$t)"; continue; fi
	grep -v '"threads"' out/results.json > res.$t
	cp out/a.run a.$t.run
done
if cmp -s res.1 res.2 && cmp -s res.1 res.7 && cmp -s a.1.run a.7.run && cmp -s table.1 table.7; then ok deterministic_threads; else bad deterministic_threads; fi

# qrels from rank.test: group g, row r -> "g 0 qg_dr grade"
awk 'NR == FNR { size[NR] = $1; next }
     { if (left == 0) { g++; left = size[g]; r = 0 } r++; left--; print g, 0, "q" g "_d" r, $1 }' \
	"$G/rank.test.query" "$G/rank.test" > letor.qrels
for s in a b; do
	"$PF" eval -m ndcg_cut.5,10 -m map -m recip_rank -m P.5 letor.qrels out/$s.run > eval.$s 2>&1
	python3 - "$s" out/results.json eval.$s <<'PY' || bad "identity $s"
import json, sys
stack, res, ev = sys.argv[1], json.load(open(sys.argv[2])), open(sys.argv[3]).read().split("\n")
want = {l.split("\t")[0].strip(): float(l.split("\t")[2]) for l in ev if l.count("\t") == 2}
got = [s for s in res["stacks"] if s["id"] == stack][0]["mean"]
bad = [m for m in want if m in got and abs(got[m] - want[m]) > 5e-5]
if bad or not want:
    print("mismatch", stack, bad, want, got); sys.exit(1)
print("PASS identity_%s: %s" % (stack, " ".join("%s=%.4f" % (m, got[m]) for m in sorted(want) if m in got)))
PY
done
[ -s eval.a ] && pass=$((pass+1))

python3 - out/results.json <<'PY' && ok results_schema || bad results_schema
import json, sys
r = json.load(open(sys.argv[1]))
assert r["schema"] == "preflight.results/1" and r["seed"] == 7, r["schema"]
roles = {i["role"] for i in r["inputs"]}
assert {"scenario", "labels", "linear"} <= roles, roles  # rank.test: labels and candidates, hashed once
assert all(len(i["sha256"]) == 64 for i in r["inputs"])
assert len(r["queries"]) == 50 and len(r["stacks"]) == 2
assert len(r["stacks"][1]["per_query"]["map"]) == 50
assert max(r["stacks"][1]["per_query"]["num_ret"]) == 5
PY

# Bad scenarios: exit 2, every problem at path:line, outputs untouched.
cp out/results.json before.json
expect_bad() {	# NAME FILE 'fragment'...
	local name=$1 file=$2; shift 2
	"$PF" run "$file" > /dev/null 2> err.txt; local rc=$?
	if [ $rc -ne 2 ]; then bad "$name: exit $rc ($(cat err.txt))"; return; fi
	for frag in "$@"; do
		if ! grep -qF -- "$frag" err.txt; then bad "$name: no '$frag' in: $(cat err.txt)"; return; fi
	done
	if ! cmp -s out/results.json before.json; then bad "$name: results.json replaced"; return; fi
	ok "$name"
}
sed -e 's|<metrics>|<mystery/><metrics>|' -e 's|<cutoff k="5"/>|<cutoff/>|' lin.xml > two.xml
expect_bad schema_errors_all_reported two.xml "two.xml:5:" "two.xml:6:" "mystery"
sed 's|w2.txt|missing.txt|' lin.xml > miss.xml
expect_bad missing_file miss.xml "miss.xml:5:" "missing.txt"
printf 'bias 0.1\n260 nan\n' > wnan.txt
sed 's|w2.txt|wnan.txt|' lin.xml > nanw.xml
expect_bad nan_weight nanw.xml "wnan.txt:2"
printf '<scenario name="x"><golden>' > trunc.xml
expect_bad truncated trunc.xml "trunc.xml:1:"
sed 's|<stack id="b">|<stack id="a">|' lin.xml > dupid.xml
expect_bad duplicate_stack_id dupid.xml "dupid.xml:5:"
sed 's|<metric name="map"/>|<metric name="nosuch"/>|' lin.xml > metric.xml
expect_bad unknown_metric metric.xml "metric.xml:6:" "unknown measure 'nosuch'"
# a model whose leaves are NaN is refused at load, at the line
printf 'tree\nversion=v4\nmax_feature_idx=300\nobjective=lambdarank\n\nTree=0\nnum_leaves=2\nnum_cat=0\nsplit_feature=1\nthreshold=0.5\ndecision_type=2\nleft_child=-1\nright_child=-2\nleaf_value=nan 1\nis_linear=0\n\nend of trees\n' > nan.lgb
sed 's|<linear weights="w2.txt"/>|<gbdt model="nan.lgb"/>|' lin.xml > nanmodel.xml
expect_bad nan_leaf nanmodel.xml "nan.lgb:14" "leaf_value: value 1 is nan"
# finite leaves whose sum overflows: the engine names stack, stage, query, document
T='num_leaves=2\nnum_cat=0\nsplit_feature=1\nthreshold=0.5\ndecision_type=2\nleft_child=-1\nright_child=-2\nleaf_value=1e308 1e308\nis_linear=0\n\n'
printf "tree\nversion=v4\nmax_feature_idx=300\nobjective=lambdarank\n\nTree=0\n${T}Tree=1\n${T}end of trees\n" > inf.lgb
sed 's|<linear weights="w2.txt"/>|<gbdt model="inf.lgb"/>|' lin.xml > infmodel.xml
expect_bad inf_score infmodel.xml "stack 'b'" "stage 'gbdt'" "query '1'" "document 'q1_d" "score inf"
sed 's|<stack id="b">.*</stack>||' lin.xml > one.xml
expect_bad one_stack one.xml "one.xml:"

echo "run scenario: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
