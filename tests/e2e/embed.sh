#!/usr/bin/env bash
# `preflight embed --lsa` against an independent computation: a Python
# script builds the TF-IDF matrix itself (regex tokens, Lucene idf,
# (1 + ln tf) idf, unit rows) and takes numpy's SVD (python3-numpy) as the
# oracle. On a small corpus (rank 6, so the randomized SVD is exact up to
# rounding): the singular values match, the document rows are numpy's U
# under the documented sign rule, the queries are q V S^-1, and at full
# rank U S V^T reconstructs A. Then: identical bytes for 1 and 2 threads,
# a rank below DIM warns and writes fewer columns, and bad input is exit 2.
# usage: embed.sh PREFLIGHT SOURCE_DIR SHARED_DIR WORK_DIR
set -u
PF=$1 WORK=$4
rm -rf "$WORK"; mkdir -p "$WORK"; cd "$WORK" || exit 2
/usr/bin/python3 -c 'import numpy' 2>/dev/null || { echo "SKIP: no python3-numpy"; exit 77; }
fail=0
printf 'd1\tWind tunnel\tthe wind tunnel tests of a wing, wind wind\nd2\tWings\twing wing flutter at high speed\nd3\tBoundary layer\theat transfer in a boundary layer\nd4\tHeat transfer\theat transfer, heat flux and shear\nd5\tShear flow\tshear flow over a flat plate at high speed\nd6\tFlutter\tpanel flutter of a plate\n' > docs.tsv
printf 'qid\ttext\nq1\twind wing\nq2\theat transfer boundary\nq3\tunknownword\nq4\tflutter of plates at speed\n' > queries.tsv
for t in 1 2; do
	OMP_NUM_THREADS=$t "$PF" embed --lsa 4 docs.tsv queries.tsv out4.$t > embed.out 2> embed.err ||
	    { echo "FAIL embed: $(cat embed.err)"; exit 1; }
done
for f in docs.npy queries.npy doc-ids.txt query-ids.txt singular-values.npy; do
	cmp -s out4.1/$f out4.2/$f || { echo "FAIL $f differs between 1 and 2 threads"; fail=1; }
done
"$PF" embed --lsa 50 docs.tsv queries.tsv out50 > /dev/null 2> rank.err || { echo "FAIL embed 50"; fail=1; }
grep -q "rank 6, below --lsa 50: 6 dimensions written" rank.err ||
    { echo "FAIL no rank warning: $(cat rank.err)"; fail=1; }
/usr/bin/python3 - <<'PY' || fail=1
import math, re
import numpy as np
docs = [l.rstrip("\n").split("\t") for l in open("docs.tsv")]
qs = [l.rstrip("\n").split("\t") for l in open("queries.tsv")][1:]
tok = lambda s: re.findall(r"[a-z0-9]+", s.lower())
terms = {}
for _, ti, bo in docs:
    for t in tok(ti + " " + bo): terms.setdefault(t, len(terms))
N, T = len(docs), len(terms)
def tf(text):
    c = {}
    for t in tok(text):
        if t in terms: c[terms[t]] = c.get(terms[t], 0) + 1
    return c
rows = [tf(ti + " " + bo) for _, ti, bo in docs]
df = np.zeros(T)
for r in rows:
    for t in r: df[t] += 1
idf = np.log(1 + (N - df + 0.5) / (df + 0.5))
def vec(c):
    v = np.zeros(T)
    for t, f in c.items(): v[t] = (1 + math.log(f)) * idf[t]
    n = np.linalg.norm(v)
    return v / n if n > 0 else v
A = np.array([vec(r) for r in rows]); Q = np.array([vec(tf(q[1])) for q in qs])
U, s, Vt = np.linalg.svd(A, full_matrices=False)
V = Vt.T
for j in range(len(s)):	# sign rule: the largest |V| entry (first) positive
    if V[np.argmax(np.abs(V[:, j])), j] < 0: V[:, j] *= -1; U[:, j] *= -1
load = np.load
for out, k in (("out4.1", 4), ("out50", 6)):
    sv, D, Qe = load(out + "/singular-values.npy"), load(out + "/docs.npy"), load(out + "/queries.npy")
    assert D.dtype == np.float32 and D.shape == (N, k) and Qe.shape == (len(qs), k), (D.shape, Qe.shape)
    assert np.allclose(sv, s[:k], rtol=1e-6, atol=0), (sv, s[:k])
    assert np.allclose(D, U[:, :k], atol=2e-6), np.abs(D - U[:, :k]).max()
    assert np.allclose(Qe, Q @ V[:, :k] / s[:k], atol=2e-5), np.abs(Qe - Q @ V[:, :k] / s[:k]).max()
    assert not Qe[2].any(), "a query without corpus terms is the zero vector"
    print("PASS %s: singular values, U and q V S^-1 equal numpy's (k=%d)" % (out, k))
D, sv = load("out50/docs.npy").astype(float), load("out50/singular-values.npy").astype(float)
err = np.abs(D @ np.diag(sv) @ V[:, :6].T - A).max()
assert err < 1e-5, err
print("PASS full rank: U S V^T reconstructs the TF-IDF matrix (max error %.1e)" % err)
assert [l.strip() for l in open("out4.1/doc-ids.txt")] == [d[0] for d in docs]
assert [l.strip() for l in open("out4.1/query-ids.txt")] == [q[0] for q in qs]
PY
expect_bad() {	# NAME PATTERN ARGS...
	n=$1 pat=$2; shift 2
	"$PF" embed "$@" > /dev/null 2> "$n.err"; rc=$?
	if [ $rc -ne 2 ] || ! grep -q -- "$pat" "$n.err"; then
		echo "FAIL $n: exit $rc, wanted 2 and /$pat/ in: $(cat "$n.err")"; fail=1
	else
		echo "PASS $n: $(head -1 "$n.err")"
	fi
}
expect_bad nodocs "missing.tsv" --lsa 4 missing.tsv queries.tsv o
printf 'd1\tonly two fields\n' > bad.tsv
expect_bad baddocs "bad.tsv:1: expected docid<TAB>title<TAB>body" --lsa 4 bad.tsv queries.tsv o
expect_bad dim0 "--lsa needs an integer" --lsa 0 docs.tsv queries.tsv o
expect_bad noargs "expected --lsa DIM and three paths" docs.tsv queries.tsv o
printf 'd1\t\t\nd2\t...\t,,\n' > empty.tsv
expect_bad empty "no terms to embed" --lsa 2 empty.tsv queries.tsv o
exit $fail
