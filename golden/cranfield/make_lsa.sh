#!/usr/bin/env bash
# golden/cranfield/make_lsa.sh — the LSA embeddings of Cranfield shipped in
# lsa/ for the dense stack of scenarios/cranfield.xml: `preflight embed`
# with DIM 128, the small stopword list (as the BM25 stacks) and seed 1,
# over all 1400 documents and all 225 queries. Byte-identical for any
# thread count on one machine; another CPU's OpenBLAS kernels may round
# differently in the last bits.
#   bash golden/cranfield/make_lsa.sh [PREFLIGHT]
set -euo pipefail
PF=$(realpath "${1:-build/preflight}")
cd "$(dirname "$0")"
"$PF" embed --lsa 128 --stopwords small --seed 1 docs.tsv queries.tsv lsa
