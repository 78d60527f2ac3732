#!/usr/bin/env bash
# golden/cranfield/train_reranker.sh — train the Cranfield LambdaMART reranker
# shipped as reranker.json, on exactly the features preflight replays:
#  1. preflight exports the textfeatures of BM25's top 100 for the train half
#     (queries-train.tsv) as SVMlight;
#  2. Debian's python3-xgboost (`make bench-deps` installs it) trains
#     rank:ndcg on them (train_reranker.py) and writes reranker.json.
# scenarios/cranfield.xml then evaluates it on the test half.
#   bash golden/cranfield/train_reranker.sh [PREFLIGHT]
set -euo pipefail
PF=$(realpath "${1:-build/preflight}")
cd "$(dirname "$0")"
T=$(mktemp -d)
cat > "$T/export.xml" <<XML
<?xml version="1.0"?>
<scenario name="cranfield-train-features">
  <golden dir="$PWD"><queries file="queries-train.tsv"/><docs file="docs.tsv"/><qrels file="qrels.txt"/></golden>
  <stack id="features"><bm25 depth="100" stopwords="small"/><textfeatures stopwords="small"/></stack>
  <stack id="bm25"><bm25 depth="100" stopwords="small"/></stack>
  <outputs dir="$T/out" runs="false"/>
</scenario>
XML
"$PF" run --quiet --export-features "$T/train.svm" --export-stack features "$T/export.xml"
/usr/bin/python3 train_reranker.py "$T/train.svm" reranker.json
rm -rf "$T"
