#!/usr/bin/env bash
# make demo: the main job on shipped data. For now: `preflight eval` on the
# shipped Cranfield qrels and BM25 run (golden/cranfield-bm25/).
set -euo pipefail
PF=${1:-build/preflight}
cd "$(dirname "$0")/.."
G=golden/cranfield-bm25
echo "preflight eval on Cranfield (225 queries, BM25 top 100): $G"
echo
"$PF" eval -m official -m ndcg -m ndcg_cut.5,10 -m ndcg_exp_cut.10 -m err.10 \
	-m judged.10 -m recall.100 "$G/qrels.txt" "$G/bm25.run"
