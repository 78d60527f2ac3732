#!/usr/bin/env bash
# textfeatures with dense-* embeddings adds feature 13, the dense score:
# on Cranfield's test half with the shipped LSA embeddings, every exported
# (query, document) row's feature 13 equals the cosine numpy computes from
# the same .npy files; the first 12 features are the same as without it;
# half the dense-* files is an error naming what is missing (exit 2).
# usage: textfeatures_dense.sh PREFLIGHT SOURCE_DIR SHARED_DIR WORK_DIR
set -u
PF=$1 SRC=$2 WORK=$4
rm -rf "$WORK"; mkdir -p "$WORK"; cd "$WORK" || exit 2
PY=/usr/bin/python3
"$PY" -c "import numpy" 2>/dev/null || { echo "SKIP: no python3-numpy"; exit 77; }
L=$SRC/golden/cranfield/lsa
dense="dense-docs=\"$L/docs.npy\" dense-doc-ids=\"$L/doc-ids.txt\" dense-queries=\"$L/queries.npy\" dense-query-ids=\"$L/query-ids.txt\" dense-metric=\"cosine\""
scenario() {	# scenario FILE EXTRA-TEXTFEATURES-ATTRIBUTES
	cat > "$1" <<XML
<scenario name="tfdense" seed="1">
  <golden dir="$SRC/golden/cranfield">
    <queries file="queries-test.tsv"/><docs file="docs.tsv"/><qrels file="qrels.txt"/>
  </golden>
  <stack id="bm25"><bm25 k1="0.9" b="0.4" depth="20" stopwords="small"/></stack>
  <stack id="tf">
    <bm25 k1="0.9" b="0.4" depth="20" stopwords="small"/>
    <textfeatures stopwords="small" $2/>
    <gbdt model="$SRC/golden/cranfield/reranker.json" first-feature="1"/>
  </stack>
  <outputs dir="out"/>
</scenario>
XML
}
fail=0
scenario plain.xml ""
scenario dense.xml "$dense"
"$PF" run -q plain.xml --export-features plain.svm --export-stack tf 2> err.plain || { echo "FAIL plain run: $(cat err.plain)"; exit 1; }
"$PF" run -q dense.xml --export-features dense.svm --export-stack tf 2> err.dense || { echo "FAIL dense run: $(cat err.dense)"; exit 1; }
"$PY" - plain.svm dense.svm "$L" <<'PY' || fail=1
import sys, numpy as np
plain, dense, L = sys.argv[1:4]
def rows(p):
    out = []
    for line in open(p):
        if line.startswith("#"):
            continue
        body, doc = line.rsplit("#", 1)
        f = body.split()
        out.append((f[1][4:], doc.strip(), {int(k): float(v) for k, v in (x.split(":") for x in f[2:])}))
    return out
P, D = rows(plain), rows(dense)
assert len(P) == len(D) > 1000, (len(P), len(D))
dv = np.load(L + "/docs.npy").astype(np.float64); qv = np.load(L + "/queries.npy").astype(np.float64)
di = {x.strip(): i for i, x in enumerate(open(L + "/doc-ids.txt"))}
qi = {x.strip(): i for i, x in enumerate(open(L + "/query-ids.txt"))}
worst = 0.0
for (q1, d1, f1), (q2, d2, f2) in zip(P, D):
    assert (q1, d1) == (q2, d2) and 13 not in f1 and len(f2) == 13
    assert all(f1[k] == f2[k] for k in range(1, 13)), (q1, d1)
    a, b = qv[qi[q1]], dv[di[d1]]
    cos = a @ b / (np.linalg.norm(a) * np.linalg.norm(b))
    worst = max(worst, abs(f2[13] - cos))
assert worst <= 1e-6, worst
print("PASS feature 13 = numpy cosine on %d rows (max |diff| %.2g); features 1-12 unchanged" % (len(D), worst))
PY
scenario half.xml "dense-docs=\"$L/docs.npy\" dense-doc-ids=\"$L/doc-ids.txt\""
"$PF" run -q half.xml > /dev/null 2> err.half; rc=$?
if [ $rc -eq 2 ] && grep -q "dense-queries and dense-query-ids" err.half; then
	echo "PASS half the dense files: exit 2, $(head -1 err.half)"
else
	echo "FAIL half the dense files: exit $rc, $(cat err.half)"; fail=1
fi
exit $fail
