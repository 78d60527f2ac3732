#!/usr/bin/env bash
# Names and formats a model author brings from ir_measures, ranx, BEIR,
# XGBoost and LightGBM (README "Measure names", "Formats"): ir_measures and
# ranx metric names in eval, compare and a scenario; a gzip run, a ranx
# JSON run and qrels, a BEIR qrels TSV and a zero-based gzip SVMlight file
# give exactly the numbers of their TREC / LETOR twins.
# usage: names_formats.sh PREFLIGHT SOURCE_DIR SHARED_DIR WORK_DIR
set -u
PF=$1 SRC=$2 WORK=$4
C=$SRC/golden/cranfield-bm25
L=$SRC/golden/letor
rm -rf "$WORK"; mkdir -p "$WORK"; cd "$WORK" || exit 2
fail=0
pass() { echo "PASS $*"; }
bad() { echo "FAIL $*"; fail=1; }

cp "$C/qrels.txt" qrels.txt
cp "$C/bm25.run" bm25.run
gzip -c bm25.run > bm25.run.gz

# The acceptance line: nDCG@10 and P@5 of the gzip run are ndcg_cut.10 and
# P.5 of the plain run, topic by topic and over all, printed as asked.
if "$PF" eval -q -m nDCG@10 -m P@5 qrels.txt bm25.run.gz > irm.out 2> irm.err; then
	"$PF" eval -q -m ndcg_cut.10 -m P.5 qrels.txt bm25.run > trec.out
	awk '{ n = $1 == "nDCG@10" ? "ndcg_cut_10" : $1 == "P@5" ? "P_5" : "?"; print n, $2, $3 }' irm.out > irm.mapped
	awk '{ print $1, $2, $3 }' trec.out > trec.fields
	if cmp -s irm.mapped trec.fields && [ "$(grep -c '^nDCG@10 ' irm.out)" = 226 ] &&
	   grep -q '^P@5                   	all	' irm.out; then
		pass "eval -m nDCG@10 -m P@5 on a .gz run = -m ndcg_cut.10 -m P.5 on the plain run (225 topics and all)"
	else
		bad "ir_measures names on .gz: $(diff irm.mapped trec.fields | head -4)"
	fi
else
	bad "eval on .gz: $(cat irm.err)"
fi
# trec_eval's names on a gzip run: byte for byte the plain run's output
"$PF" eval -q -m official -m ndcg_cut.5,10 qrels.txt bm25.run > plain.out
"$PF" eval -q -m official -m ndcg_cut.5,10 qrels.txt bm25.run.gz > gz.out 2>&1
cmp -s plain.out gz.out && pass "official measures of a .gz run: byte-identical" || bad "gz official: $(diff plain.out gz.out | head -3)"
"$PF" eval -q -m official qrels.txt - < bm25.run.gz > stdin.out 2>&1
cmp -s <("$PF" eval -q -m official qrels.txt bm25.run) stdin.out && pass "a gzip run on standard input" || bad "gz stdin: $(head -2 stdin.out)"

# A ranx JSON run and qrels and a BEIR qrels TSV, written from the TREC
# files by Python as those tools write them.
python3 - <<'PY' || bad "python conversion"
import json
run, qrels = {}, {}
for l in open("bm25.run"):
    q, _, d, _, s, _ = l.split()
    run.setdefault(q, {})[d] = float(s)
json.dump(run, open("bm25.json", "w"))
with open("test.tsv", "w") as f:
    f.write("query-id\tcorpus-id\tscore\n")
    for l in open("qrels.txt"):
        q, _, d, g = l.split()
        qrels.setdefault(q, {})[d] = int(g)
        f.write(f"{q}\t{d}\t{g}\n")
json.dump(qrels, open("qrels.json", "w"), indent=1)
PY
gzip -c bm25.json > bm25.json.gz
M="-m official -m ndcg_cut.5,10 -m ndcg -m infAP"
"$PF" eval -q $M qrels.txt bm25.run > want.out
for pair in "qrels.txt bm25.json" "test.tsv bm25.run" "qrels.json bm25.run" "test.tsv bm25.json.gz"; do
	# shellcheck disable=SC2086
	"$PF" eval -q $M $pair > got.out 2> got.err
	cmp -s want.out got.out && pass "eval $pair: byte-identical to the TREC files' output" ||
		bad "eval $pair: $(cat got.err; diff want.out got.out | head -3)"
done

# compare: ir_measures names, a JSON run, the primary and a gate in any
# spelling; nDCG@10 draws the random numbers ndcg_cut_10 draws.
awk '{ if ($4 == 1) { hold = $0; next } if ($4 == 2) { print; split(hold, h); print h[1], h[2], h[3], 1, $5 - 0.001, h[6]; next } print }' bm25.run > b.run
"$PF" compare --bootstrap 500 --permutations 500 -m nDCG@10 -m AP -m P_10 -p nDCG@10 \
	--gate 'ndcg_cut_10@b.run:min-delta=-1' -o out qrels.txt bm25.json b.run > cmp.out 2> cmp.err
rc=$?
"$PF" compare --bootstrap 500 --permutations 500 -m ndcg_cut.10 -m map -m P.10 -p ndcg_cut_10 \
	-o out2 qrels.txt bm25.run b.run > cmp2.out 2>&1
want=$("$PF" eval -m ndcg_cut.10 qrels.txt bm25.run | awk '{ print $3 }')
if [ $rc = 0 ] && python3 - out/results.json "$want" <<'PY'; then
import json, sys
r = json.load(open(sys.argv[1]))
assert r["primary"] == "nDCG@10", r["primary"]
assert r["metrics"] == ["AP", "P_10", "nDCG@10"], r["metrics"]
m = r["stacks"][0]["mean"]
assert "%.4f" % m["nDCG@10"] == sys.argv[2], (m, sys.argv[2])
assert [g["status"] for g in r["gates"]] == ["pass"], r["gates"]
PY
	pass "compare: results.json names nDCG@10, AP, P_10 as asked; nDCG@10 of the JSON run = eval's ndcg_cut_10; a gate spelled ndcg_cut_10 finds it"
else
	bad "compare names: $rc $(cat cmp.err)"
fi
a=$(grep 'vs bm25.json, nDCG@10: ' cmp.out | sed 's/nDCG@10/X/')
b=$(grep 'vs bm25.run, ndcg_cut_10: ' cmp2.out | sed 's/ndcg_cut_10/X/; s/bm25.run, X/bm25.json, X/')
[ -n "$a" ] && [ "$a" = "$b" ] && pass "the CI and p of nDCG@10 are those of ndcg_cut_10" || bad "spelling changed numbers: '$a' vs '$b'"

# A zero-based, gzip-compressed LETOR file (XGBoost's own libsvm files
# number features from 0): with the base read from the file and
# first-feature="0" it ranks exactly as the LETOR file with
# first-feature="1"; names in a scenario print as spelled.
python3 - "$L/rank.test" <<'PY' || bad "zero-based file"
import sys
with open("rank0.test", "w") as out:
    for line in open(sys.argv[1]):
        body, _, comment = line.rstrip("\n").partition("#")
        t = body.split()
        feats = [f"{int(k) - 1}:{v}" for k, v in (x.split(":", 1) for x in t[1:])]
        out.write(" ".join([t[0]] + feats) + (" #" + comment if comment else "") + "\n")
PY
gzip rank0.test
cat > s.xml <<EOF
<?xml version="1.0"?>
<scenario name="names" seed="3">
  <golden dir="$L"><queries file="queries.tsv"/><labels candidates="rank.test" query-file="rank.test.query"/></golden>
  <stack id="one"><candidates file="$L/rank.test" query-file="$L/rank.test.query"/><gbdt model="$L/xgb_pairwise_letor.json" first-feature="1"/></stack>
  <stack id="zero"><candidates file="rank0.test.gz" query-file="$L/rank.test.query"/><gbdt model="$L/xgb_pairwise_letor.json"/></stack>
  <stack id="told"><candidates file="rank0.test.gz" query-file="$L/rank.test.query" feature-base="0"/><gbdt model="$L/xgb_pairwise_letor.json" first-feature="0"/></stack>
  <metrics primary="nDCG@10"><metric name="nDCG@10"/><metric name="AP"/><metric name="ndcg@5"/><metric name="RR@3"/></metrics>
  <compare bootstrap="200" permutations="200"/>
  <gates><gate id="same" metric="ndcg_cut_10" min-delta="0"/><gate id="same-ap" metric="map" min-delta="0"/></gates>
  <outputs dir="out-s" runs="true"/>
</scenario>
EOF
if "$PF" run -q s.xml > s.out 2> s.err; then
	if cmp -s <(awk '{ $6 = ""; print }' out-s/one.run) <(awk '{ $6 = ""; print }' out-s/zero.run) &&
	   cmp -s out-s/zero.run <(sed 's/ told$/ zero/' out-s/told.run) &&
	   python3 -c "
import json; r = json.load(open('out-s/results.json'))
assert r['primary'] == 'nDCG@10' and r['metrics'] == ['AP', 'ndcg@5', 'nDCG@10', 'RR@3'], r['metrics']
m = {s['id']: s['mean'] for s in r['stacks']}
assert m['one'] == m['zero'] == m['told'], m"; then
		pass "a zero-based .gz LETOR file ranks as the LETOR file (base from the file or told); scenario names printed as spelled"
	else
		bad "zero-based scenario: $(diff <(cut -d' ' -f1-5 out-s/one.run) <(cut -d' ' -f1-5 out-s/zero.run) | head -3)"
	fi
else
	bad "zero-based scenario: $(cat s.err)"
fi
exit $fail
