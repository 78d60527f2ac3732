#!/usr/bin/env bash
# The shipped scenario (scenarios/letor-models.xml): both gbdt stacks score
# rank.test exactly as XGBoost and LightGBM did (the margins in the run files
# equal the libraries' own predictions kept in shared/data/models, bit for
# bit), and the output is identical for 1 and 2 threads.
# usage: run_letor_models.sh PREFLIGHT SOURCE_DIR SHARED_DIR WORK_DIR
set -u
PF=$1 SRC=$2 SHARED=$3 WORK=$4
M=$SHARED/data/models
[ -f "$M/xgb_pairwise_letor.pred.csv" ] || { echo "SKIP: $M absent"; exit 77; }
rm -rf "$WORK"; mkdir -p "$WORK/scenarios"; cd "$WORK" || exit 2
fail=0
sed "s|\.\./golden/|$SRC/golden/|g" "$SRC/scenarios/letor-models.xml" > scenarios/letor-models.xml
for t in 1 2; do
	OMP_NUM_THREADS=$t "$PF" run scenarios/letor-models.xml > table.$t 2> err.$t || { echo "FAIL run: $(cat err.$t)"; exit 1; }
	cp out/xgb-pairwise.run x.$t; cp out/lgb-lambdarank.run l.$t
done
cmp -s x.1 x.2 && cmp -s l.1 l.2 && cmp -s table.1 table.2 || { echo "FAIL output depends on threads"; fail=1; }
cat table.1
# golden rows of kind rank.test_rowN: N = 0..11 is q1_d1..q1_d12, then q2_d1...
python3 - out/xgb-pairwise.run "$M/xgb_pairwise_letor.pred.csv" float out/lgb-lambdarank.run "$M/lgb_lambdarank_letor.pred.csv" double <<'PY' || fail=1
import struct, sys
def doc(row): return "q1_d%d" % (row + 1) if row < 12 else "q2_d%d" % (row - 11)
args = sys.argv[1:]
for run, pred, prec in zip(args[0::3], args[1::3], args[2::3]):
    got = {}
    for l in open(run):
        q, _, d, _, s, _ = l.split()
        got[d] = float(s)
    n = 0
    for l in list(open(pred))[1:]:
        row, kind, val, hexv = l.strip().split(",")
        if not kind.startswith("rank.test_row"):
            continue	# edge-case rows that are not in rank.test
        want = float.fromhex(hexv)
        g = got[doc(int(kind[len("rank.test_row"):]))]
        if prec == "float":	# the run prints the float32 margin exactly
            g = struct.unpack("f", struct.pack("f", g))[0]
        if g != want:
            print("FAIL %s row %s: %r != %r" % (run, row, g, want)); sys.exit(1)
        n += 1
    print("PASS %s: %d margins bit-identical to the library's" % (run, n))
PY
# rules after the ranker: pin, bury, remove; scores stay strictly decreasing
# so the run file sorts (as trec_eval sorts it) into the same order
printf '# qid\tdocid\taction\n1\tq1_d12\tpin\n1\tq1_d1\tbury\n1\tq1_d2\tremove\n2\tq2_d3\tpin\t3\n77\tq1_d5\tpin\n' > rules.tsv
sed -e "s|<gbdt model=\"\([^\"]*lgb_lambdarank_letor.txt\)\" first-feature=\"0\"/>|<gbdt model=\"\1\" first-feature=\"0\"/><rules file=\"$WORK/rules.tsv\"/>|" \
	-e 's|<outputs dir="../out"|<outputs dir="out-rules"|' scenarios/letor-models.xml > scenarios/rules.xml
"$PF" run -q scenarios/rules.xml 2> rules.err || { echo "FAIL rules run: $(cat rules.err)"; fail=1; }
python3 - scenarios/out-rules/lgb-lambdarank.run <<'PY' || fail=1
import sys
rows = [l.split() for l in open(sys.argv[1])]
q1 = [r for r in rows if r[0] == "1"]; q2 = [r for r in rows if r[0] == "2"]
assert q1[0][2] == "q1_d12" and q1[-1][2] == "q1_d1", q1
assert "q1_d2" not in [r[2] for r in q1] and len(q1) == 11, len(q1)
assert q2[2][2] == "q2_d3", q2[:4]
for q in set(r[0] for r in rows):
    s = [float(r[4]) for r in rows if r[0] == q]
    assert all(a > b for a, b in zip(s, s[1:])), (q, s)
print("PASS rules: pin, bury, remove; scores strictly decreasing")
PY
# --export-features writes what the control's ranker saw; replaying the
# exported file as candidates (qid: and # docid, grades as labels) gives
# the same XGBoost run byte for byte: %.9g round-trips every float32
"$PF" run -q --export-features feats.svm scenarios/letor-models.xml 2> exp.err || { echo "FAIL export: $(cat exp.err)"; fail=1; }
cat > scenarios/reexp.xml <<XML
<?xml version="1.0"?>
<scenario name="reexp">
  <golden dir="$WORK"><labels candidates="feats.svm"/></golden>
  <stack id="xgb-pairwise"><candidates file="$WORK/feats.svm"/><gbdt model="$SRC/golden/letor/xgb_pairwise_letor.json" first-feature="1"/></stack>
  <stack id="again"><candidates file="$WORK/feats.svm"/><gbdt model="$SRC/golden/letor/xgb_pairwise_letor.json" first-feature="1"/></stack>
  <outputs dir="$WORK/out-reexp"/>
</scenario>
XML
"$PF" run -q scenarios/reexp.xml 2> reexp.err || { echo "FAIL re-run: $(cat reexp.err)"; fail=1; }
if [ "$(grep -c . feats.svm)" = 769 ] && cmp -s out/xgb-pairwise.run out-reexp/xgb-pairwise.run; then
	echo "PASS export-features: 768 rows; replaying them reproduces the run byte for byte"
else echo "FAIL export-features round trip"; diff out/xgb-pairwise.run out-reexp/xgb-pairwise.run | head -3; fail=1; fi
# An explicit nan is LightGBM's missing value, not its absent-is-zero: the
# LightGBM stack's export keeps it as nan, and replaying the export gives
# the same run byte for byte
sed '3s/ \([0-9]*\):[^ ]*/ \1:nan/' "$SRC/golden/letor/rank.test" > nan.svm
nanstacks() {	# FILE [QUERY-FILE]: two LightGBM stacks over FILE
	local q=${2:+ query-file=\"$2\"}
	for id in lgb again; do
		echo "  <stack id=\"$id\"><candidates file=\"$1\"$q/><gbdt model=\"$SRC/golden/letor/lgb_lambdarank_letor.txt\"/></stack>"
	done
}
cat > scenarios/nan.xml <<XML
<?xml version="1.0"?>
<scenario name="nan">
  <golden dir="$SRC/golden/letor"><queries file="queries.tsv"/><labels candidates="rank.test" query-file="rank.test.query"/></golden>
$(nanstacks "$WORK/nan.svm" "$SRC/golden/letor/rank.test.query")
  <outputs dir="$WORK/out-nan"/>
</scenario>
XML
cat > scenarios/nanre.xml <<XML
<?xml version="1.0"?>
<scenario name="nanre">
  <golden dir="$WORK"><labels candidates="nanfeats.svm"/></golden>
$(nanstacks "$WORK/nanfeats.svm")
  <outputs dir="$WORK/out-nanre"/>
</scenario>
XML
"$PF" run -q --export-features nanfeats.svm scenarios/nan.xml > /dev/null 2> nan.err &&
"$PF" run -q scenarios/nanre.xml > /dev/null 2>> nan.err
if [ "$(grep -c ':nan ' nanfeats.svm)" = 1 ] && cmp -s out-nan/lgb.run out-nanre/lgb.run; then
	echo "PASS nan feature: LightGBM's missing value, kept by the export, the same run replayed"
else echo "FAIL nan feature: $(grep -c ':nan ' nanfeats.svm) nan in the export; $(cat nan.err)"; diff out-nan/lgb.run out-nanre/lgb.run | head -3; fail=1; fi
# --check catches a model that cannot read all of the file's features
sed 's/first-feature="1"/first-feature="0"/' scenarios/letor-models.xml > scenarios/wrong.xml
"$PF" run --check scenarios/wrong.xml > /dev/null 2> wrong.err; rc=$?
if [ $rc -eq 2 ] && grep -q "wrong.xml:[0-9]*: stack 'xgb-pairwise', stage 'gbdt': the candidates have feature ids up to 300 but the model reads ids 0..299" wrong.err; then
	echo "PASS --check: model versus feature ids"
else echo "FAIL --check feature ids: exit $rc $(cat wrong.err)"; fail=1; fi
[ $fail -eq 0 ] && echo "PASS letor-models" 
exit $fail
