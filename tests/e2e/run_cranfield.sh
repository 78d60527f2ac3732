#!/usr/bin/env bash
# The shipped text scenario (scenarios/cranfield.xml): BM25 versus BM25 ->
# textfeatures -> the shipped LambdaMART reranker, and dense LSA retrieval
# (golden/cranfield/lsa), on Cranfield's test half runs end to end (exit 0:
# its gates pass), writes every output with a lift section labelled
# synthetic, and gives the same results for 1 and 2 threads.
# usage: run_cranfield.sh PREFLIGHT SOURCE_DIR SHARED_DIR WORK_DIR
set -u
PF=$1 SRC=$2 WORK=$4
rm -rf "$WORK"; mkdir -p "$WORK/scenarios"; cd "$WORK" || exit 2
sed "s|\.\./golden/|$SRC/golden/|g" "$SRC/scenarios/cranfield.xml" > scenarios/cranfield.xml
fail=0
for t in 1 2; do
	OMP_NUM_THREADS=$t "$PF" run scenarios/cranfield.xml > table.$t 2> err.$t || { echo "FAIL run ($t threads): exit $? $(cat err.$t)"; exit 1; }
	grep -v '"threads"' out/cranfield/results.json > res.$t
done
cmp -s res.1 res.2 && cmp -s table.1 table.2 && echo "PASS identical for 1 and 2 threads" || { echo "FAIL thread dependence"; fail=1; }
for f in results.json report.html junit.xml bm25.run bm25-lambdamart.run lsa.run; do
	[ -s out/cranfield/$f ] || { echo "FAIL missing $f"; fail=1; }
done
cat table.1
python3 - out/cranfield/results.json <<'PY' || fail=1
import json, sys
r = json.load(open(sys.argv[1]))
assert r["judged_queries"] == 112 and len(r["stacks"]) == 3
a, b, c = (s["per_query"]["num_ret"] for s in r["stacks"])
assert min(c) == max(c) == 100, "dense LSA retrieves 100 for every query"
assert a == b and max(a) == 100, "the reranker reorders BM25's top 100"
l = r["lift"]	# <lift> with the synthetic history (golden/lift)
assert l["synthetic_history"] is True and l["n_history_used"] == 24
assert l["status"] == "calibrated" and l["prediction"]["pi95"][0] < l["prediction"]["mean"]
print("PASS 112 test queries, the same top-100 candidates reranked; verdict:", r["verdict"]["decision"])
print("PASS lift section (synthetic history):", l["headline"])
PY
exit $fail
