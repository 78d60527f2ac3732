#!/usr/bin/env bash
# make demo: the main job on shipped data.
#  0. `preflight run scenarios/cranfield.xml`: a full text stack on the
#     Cranfield collection (golden/cranfield), BM25 top 100 versus BM25 top
#     100 -> 12 text features -> an XGBoost LambdaMART reranker trained on the
#     other half of the queries, and dense retrieval over LSA embeddings;
#     statistics, interleaving, gates, the verdict, why (the reranker's
#     feature importance, Shapley attribution over the stages, stage ablation, the oracle
#     split of each stack's loss into retrieval and ranking), the predicted
#     online lift from a SYNTHETIC A/B history (golden/lift), report.html and
#     junit.xml in out/cranfield/.
#  1. `preflight run scenarios/letor-models.xml`: LightGBM's LETOR test queries
#     (golden/letor) through two real model binaries, XGBoost rank:pairwise
#     (control) and LightGBM lambdarank, scored exactly as each library scores
#     them; a per-stack metric table, results.json and one TREC run per stack
#     in out/.
#  2. `preflight eval` on the shipped Cranfield qrels and BM25 run
#     (golden/cranfield-bm25/), trec_eval's format.
#  3. A DEMO history: five nights of scenarios/cranfield-nightly.xml into
#     out/demo-history/history.db (labelled demo=yes), night 4 deploying a
#     reranker whose feature map is off by one, then `preflight trend` on it:
#     out/demo-history/trend.html and summary.md (printed).
set -euo pipefail
PF=$(realpath "${1:-build/preflight}")
cd "$(dirname "$0")/.."
echo "== preflight run scenarios/cranfield.xml (Cranfield test half: BM25 versus BM25 + text features + LambdaMART, and dense LSA)"
echo
"$PF" run scenarios/cranfield.xml
echo "   report: out/cranfield/report.html"
echo
echo "== preflight run scenarios/letor-models.xml (50 LETOR queries, 768 candidates, 2 model binaries)"
echo
"$PF" run scenarios/letor-models.xml
echo "   report: out/report.html"
echo
G=golden/cranfield-bm25
echo "== preflight eval on Cranfield (225 queries, BM25 top 100): $G"
echo
"$PF" eval -m official -m ndcg -m ndcg_cut.5,10 -m ndcg_exp_cut.10 -m err.10 \
	-m judged.10 -m recall.100 "$G/qrels.txt" "$G/bm25.run"
echo
D=out/demo-history
echo "== a DEMO history: five nights of scenarios/cranfield-nightly.xml; night 4 deploys reranker \"v42\", its feature map off by one"
echo
rm -rf "$D"; mkdir -p "$D"
# night 4's scenario: the same, but the reranker reads feature ids from 0
sed -e "s|\.\./golden|$PWD/golden|g" -e 's|first-feature="1"|first-feature="0"|' \
	scenarios/cranfield-nightly.xml > "$D/cranfield-nightly-v42.xml"
for night in 1 2 3 4 5; do
	scn=scenarios/cranfield-nightly.xml model=v41
	[ $night -ge 4 ] && { scn=$D/cranfield-nightly-v42.xml; model=v42; }
	rc=0
	"$PF" run --quiet --history "$D/history.db" --label demo=yes --label night=$night \
		--label model=$model --out "$D/night$night" "$scn" > /dev/null 2>&1 || rc=$?
	# exit 1: the gate fails from night 4 on, as it should
	[ $rc -le 1 ] || { echo "night $night failed (exit $rc)"; exit 1; }
done
"$PF" trend "$D/history.db" -o "$D" --note "DEMO history: five nights made by make demo from shipped data in a few seconds (night 4 deploys a reranker whose feature map is off by one); not a real nightly job."
echo "   trend page: $D/trend.html"
