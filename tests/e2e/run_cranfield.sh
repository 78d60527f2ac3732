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
python3 - out/cranfield/results.json "$SRC/golden/cranfield/reranker.json" <<'PY' || fail=1
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
# feature importance of the reranker: a feature its trees never split on
# (read from the model file here, independently) has importance exactly 0
imp, = r["importance"]
assert imp["stack"] == "bm25-lambdamart" and len(imp["features"]) == 12
m = json.load(open(sys.argv[2]))
used = {s + 1 for t in m["learner"]["gradient_booster"]["model"]["trees"]
        for s, l in zip(t["split_indices"], t["left_children"]) if l != -1}
for f in imp["features"]:
    if f["features"][0] not in used:
        assert f["mean"] == 0 and all(x == 0 for x in imp["importances"][imp["names"].index(f["name"])]), f
# textfeatures names its features (README "textfeatures"): each item is
# shown "name (id)" with the name beside its id; idf_* are query-level
TF = ["bm25_title", "bm25_body", "bm25_title_body", "tfidf_cosine",
      "query_coverage", "idf_sum", "idf_min", "idf_max", "doc_length",
      "title_length", "retrieval_rank", "retrieval_score"]
for f in imp["features"]:
    i = f["features"][0]
    assert f["feature_names"] == [TF[i - 1]], f
    assert f["name"] == "%s (%d)" % (TF[i - 1], i), f
    assert f["query_level"] == (TF[i - 1].startswith("idf_")), f
assert abs(sum(f["share"] for f in imp["features"]) - 1) <= 1e-9
top = max(imp["features"], key=lambda f: f["mean"])
print("PASS importance: unread features exactly 0 (%d of 12 read); top %s %+.4f" % (len(used), top["name"], top["mean"]))
# stage attribution: the waterfall (Shapley values) sums to the end-to-end
# delta, which is the comparison's delta; the oracle parts sum to the loss
a = r["attribution"]
assert a["metric"] == "ndcg_cut_10" and a["queries"] == 112
assert [x["treatment"] for x in a["stages"]] == ["bm25-lambdamart", "lsa"], a["stages"]
for p in a["stages"]:	# every treatment's waterfall sums to its own delta
    cmp, = [c for c in r["comparisons"] if c["metric"] == "ndcg_cut_10" and c["treatment"] == p["treatment"]]
    phi = sum(x["shapley"] for x in p["players"])
    assert abs(phi - p["total_delta"]) <= 1e-9, (phi, p["total_delta"])
    assert abs(p["total_delta"] - cmp["delta"]) <= 1e-9, (p["total_delta"], cmp["delta"])
pl = a["stages"][1]["players"]
assert len(pl) == 1 and abs(pl[0]["shapley"] - a["stages"][1]["total_delta"]) <= 1e-12, "lsa: one player, dense for bm25"
p = a["stages"][0]
cmp, = [c for c in r["comparisons"] if c["metric"] == "ndcg_cut_10" and c["treatment"] == p["treatment"]]
phi = sum(x["shapley"] for x in p["players"])
assert abs(phi - p["total_delta"]) <= 1e-9, (phi, p["total_delta"])
assert abs(p["total_delta"] - cmp["delta"]) <= 1e-9, (p["total_delta"], cmp["delta"])
assert abs(p["control_value"] - cmp["control_mean"]) <= 1e-12
assert [x["name"] for x in p["players"]] == ["textfeatures (2) + gbdt (3)"], p["players"]
assert p["slots"][0]["player"] is None, "bm25 is the same in both stacks"
gb = [x for x in p["ablations"] if x["what"].startswith("remove gbdt")][0]
assert abs(gb["delta"] + cmp["delta"]) <= 1e-9, "without gbdt the treatment is BM25"
tf = [x for x in p["ablations"] if x["what"].startswith("remove textfeatures")][0]
assert not tf["available"] and "features" in tf["why"]
for o in a["oracle"]:
    assert abs(o["retrieval_loss"] + o["ranking_loss"] - o["total_loss"]) <= 1e-9
    assert abs(o["ideal"] - 1) <= 1e-12 and o["retrieval_loss"] >= 0 and o["ranking_loss"] >= 0
    s = [x for x in r["stacks"] if x["id"] == o["stack"]][0]
    assert abs(o["actual"] - s["mean"]["ndcg_cut_10"]) <= 1e-12
ob, ol, od = a["oracle"]
assert ob["retrieval_loss"] == ol["retrieval_loss"], "the same BM25 candidates"
print("PASS stage waterfall sums to the delta %+.6f; oracle: retrieval %.4f + ranking %.4f (bm25)" % (phi, ob["retrieval_loss"], ob["ranking_loss"]))
PY
for id in why-stages why-oracle; do
	grep -q "id=\"$id\"" out/cranfield/report.html || { echo "FAIL report has no $id"; fail=1; }
done
grep -q 'Stage waterfall of ndcg_cut_10' out/cranfield/report.html || { echo "FAIL no stage waterfall"; fail=1; }
if command -v xmllint >/dev/null; then
	xmllint --noout out/cranfield/report.html || { echo "FAIL report.html is not well-formed"; fail=1; }
fi
exit $fail
