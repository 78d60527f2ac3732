#!/usr/bin/env bash
# The dense stage end to end on tests/fixtures/dense: (1) its runs for ip
# and cosine equal a brute-force Python oracle over the .npy bytes (every
# score, trec_eval's order: score descending, docid descending on ties;
# d1 and d3 tie exactly); (2) the same bytes with OMP_NUM_THREADS=1 and 2;
# (3) every bad input is exit 2 with a message naming the file (and line
# where there is one): truncated .npy, '<f8', Fortran order, dimension
# mismatch, ids count != rows, a golden query without an embedding, a
# document outside the corpus, a duplicate id, NaN.
# usage: dense.sh PREFLIGHT SOURCE_DIR SHARED_DIR WORK_DIR
set -u
PF=$1 SRC=$2 WORK=$4
FX=$SRC/tests/fixtures/dense
rm -rf "$WORK"; mkdir -p "$WORK"; cd "$WORK" || exit 2
fail=0
scenario() {	# scenario NAME DOCS DOCIDS QUERIES QUERYIDS [EXTRA]
	cat > "$1.xml" <<XML
<?xml version="1.0"?>
<scenario name="$1">
  <golden dir="$FX"><queries file="queries.tsv"/><docs file="docs.tsv"/><qrels file="qrels.txt"/></golden>
  <stack id="ip"><dense docs="$2" doc-ids="$3" queries="$4" query-ids="$5" depth="4" $6/></stack>
  <stack id="cos"><dense docs="$2" doc-ids="$3" queries="$4" query-ids="$5" metric="cosine"/></stack>
  <outputs dir="out-$1"/>
</scenario>
XML
}
scenario good "$FX/docs.npy" "$FX/doc-ids.txt" "$FX/queries.npy" "$FX/query-ids.txt" ""
for t in 1 2; do
	OMP_NUM_THREADS=$t "$PF" run -q good.xml 2> good.err ||
	    { echo "FAIL good run: $(cat good.err)"; exit 1; }
	cp out-good/ip.run ip.$t.run; cp out-good/cos.run cos.$t.run
done
cmp -s ip.1.run ip.2.run && cmp -s cos.1.run cos.2.run ||
    { echo "FAIL: runs differ between 1 and 2 threads"; fail=1; }
python3 - "$FX" ip.1.run cos.1.run <<'PY' || fail=1
import math, struct, sys
fx = sys.argv[1]
def load(p):
    b = open(p, "rb").read()
    hl = struct.unpack("<H", b[8:10])[0]
    h = b[10:10 + hl].decode()
    n, m = [int(x) for x in h.split("(")[1].split(")")[0].split(",") if x.strip()]
    v = struct.unpack("<%df" % (n * m), b[10 + hl:])
    return [v[i * m:(i + 1) * m] for i in range(n)]
D, Q = load(fx + "/docs.npy"), load(fx + "/queries.npy")
dids = open(fx + "/doc-ids.txt").read().split()
qids = open(fx + "/query-ids.txt").read().split()
def run(cos, depth):
    out = []
    for qid in ("q1", "q2", "q3"):
        q = Q[qids.index(qid)]
        sc = []
        for d, v in zip(dids, D):
            s = 0.0
            for a, b in zip(q, v): s += a * b
            if cos:
                nq = math.sqrt(sum(a * a for a in q)); nd = math.sqrt(sum(b * b for b in v))
                s = s / (nq * nd) if nq > 0 and nd > 0 else 0.0
            sc.append((s, d))
        sc.sort(key=lambda x: (-x[0], [-ord(c) for c in x[1]]))
        out += [(qid, d, s) for s, d in sc[:depth]]
    return out
for path, want in ((sys.argv[2], run(False, 4)), (sys.argv[3], run(True, 1000))):
    got = [(l.split()[0], l.split()[2], float(l.split()[4])) for l in open(path)]
    assert [g[:2] for g in got] == [w[:2] for w in want], (path, got, want)
    bad = [(g, w) for g, w in zip(got, want) if abs(g[2] - w[2]) > 1e-12]
    assert not bad, bad
    print("PASS %s: %d lines equal the brute-force oracle" % (path, len(got)))
PY

# bad inputs: exit 2 and a message naming the file
python3 - "$FX" <<'PY'
import struct, sys
fx = sys.argv[1]
good = open(fx + "/docs.npy", "rb").read()
open("trunc.npy", "wb").write(good[:-5])
open("f8.npy", "wb").write(good.replace(b"'<f4'", b"'<f8'"))
open("fortran.npy", "wb").write(good.replace(b"False", b"True "))
v = bytearray(good); v[-4:] = struct.pack("<f", float("nan")); open("nan.npy", "wb").write(bytes(v))
d = "{'descr': '<f4', 'fortran_order': False, 'shape': (4, 2), }"
hl = (10 + len(d) + 1 + 63) // 64 * 64 - 10
open("q2d.npy", "wb").write(b"\x93NUMPY\x01\x00" + struct.pack("<H", hl) +
    (d + " " * (hl - len(d) - 1) + "\n").encode() + struct.pack("<8f", *range(8)))
PY
printf 'd1\nd2\nd3\nd4\n' > ids-short.txt
printf 'd1\nd2\nd3\nd9\nd5\n' > ids-unknown.txt
printf 'd1\nd2\nd1\nd4\nd5\n' > ids-dup.txt
printf 'q9\nq1\nq2\nq8\n' > qids-noq3.txt
D="$FX/docs.npy" DI="$FX/doc-ids.txt" Q="$FX/queries.npy" QI="$FX/query-ids.txt"
expect_bad() {	# NAME PATTERN DOCS DOCIDS QUERIES QUERYIDS [EXTRA]
	scenario "$1" "$3" "$4" "$5" "$6" "${7:-}"
	"$PF" run -q "$1.xml" > /dev/null 2> "$1.err"; rc=$?
	if [ $rc -ne 2 ] || ! grep -q -- "$2" "$1.err"; then
		echo "FAIL $1: exit $rc, wanted 2 and /$2/ in: $(cat "$1.err")"; fail=1
	else
		echo "PASS $1: $(head -1 "$1.err")"
	fi
}
expect_bad trunc "trunc.npy: truncated" "$PWD/trunc.npy" "$DI" "$Q" "$QI"
expect_bad dtype "f8.npy: dtype '<f8'" "$PWD/f8.npy" "$DI" "$Q" "$QI"
expect_bad fortran "fortran.npy: Fortran order" "$PWD/fortran.npy" "$DI" "$Q" "$QI"
expect_bad nan "nan.npy: row 4 (id 'd5'), column 2: nan is not a finite" "$PWD/nan.npy" "$DI" "$Q" "$QI"
expect_bad dim "q2d.npy: dimension 2: the document embeddings" "$D" "$DI" "$PWD/q2d.npy" "$QI"
expect_bad count "ids-short.txt: 4 ids for the 5 rows" "$D" "$PWD/ids-short.txt" "$Q" "$QI"
expect_bad unknown "ids-unknown.txt:4: document 'd9' is not in the corpus" "$D" "$PWD/ids-unknown.txt" "$Q" "$QI"
expect_bad dup "ids-dup.txt:3: duplicate document id 'd1'" "$D" "$PWD/ids-dup.txt" "$Q" "$QI"
expect_bad noq3 "qids-noq3.txt: query '3' of\|qids-noq3.txt: query 'q3' of" "$D" "$DI" "$Q" "$PWD/qids-noq3.txt"
expect_bad metric "attribute 'metric'.*'dot'" "$D" "$DI" "$Q" "$QI" 'metric="dot"'
exit $fail
