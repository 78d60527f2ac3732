#!/usr/bin/env bash
# Rebuilds the seed corpora tests/fuzz/corpus/<target>/ from the shipped
# data (golden/, tests/fixtures/, scenarios/) and from ../shared/data
# (trec_eval's test files, the model goldens, LightGBM's LETOR example),
# cut to a few kB each, plus small hand-written edge cases in each format.
# corpus/SOURCE.md says where each file comes from. The seeds are
# committed: this script is how they were made, not a build step.
# usage: tests/fuzz/make_corpus.sh [SHARED_DIR]
set -eu
cd "$(dirname "$0")/../.."
SHARED=${1:-../shared}
D=$SHARED/data
C=tests/fuzz/corpus
F=tests/fixtures
[ -d "$D/trec_eval" ] || { echo "make_corpus.sh: no $D/trec_eval" >&2; exit 2; }
find "$C" -mindepth 2 -type f ! -name SOURCE.md -delete 2>/dev/null || true
for t in qrels run svmlight xgb_json lgb_text npy docs_tsv docs_jsonl \
    queries scenario lift expectations rules weights featnames; do
	mkdir -p "$C/$t"
done
put() { printf '%b' "$2" > "$C/$1"; }	# TARGET/NAME TEXT (printf escapes)

# qrels: the fixtures whole, the heads of the big files.
cp $F/golden_multi/qrels.txt $C/qrels/golden_multi.txt
cp $F/text/qrels.txt $C/qrels/text.txt
head -40 golden/cranfield/qrels.txt > $C/qrels/cranfield.txt
head -60 $D/trec_eval/test/qrels.test > $C/qrels/trec_eval.txt
head -30 $D/trec_eval/test/qrels.comment.test > $C/qrels/trec_eval_comment.txt
head -40 $D/trec_eval/test/qrels.rel_level > $C/qrels/trec_eval_rel_level.txt
put qrels/annotators.txt '# three annotators\n1 a d1 2\n1 b d1 1\n1 a d1 0\n2 a d1 3\n1 a d1 3\n2 a d1 1\n\n1 b d2 1\n1 b d1 2\n'
put qrels/annotators_ok.txt '1 ann1 a 3\n1 ann2 a 1\n1 ann3 a 1\n1 ann4 a 2\n1 ann1 b 2\n1 ann2 b 3\n2 ann1 a 0\n'
put qrels/crlf_negative.txt '# comment\n1 0 a 2\n2 0 a 1\r\n\n1 0 b -1\n1 0 c 0'
put qrels/bad_lines.txt '1 a d1 2\n1 a d2\n1 a d1 2\n1 b d3 1.5\n\n1 b d4 2 extra\n'

# run: heads of trec_eval's runs (several topics, junk after the tag,
# '#' in docids) and of the Cranfield BM25 run.
{ head -12 $D/trec_eval/test/results.test; awk '$1==302' $D/trec_eval/test/results.test | head -8; } > $C/run/results.txt
head -30 $D/trec_eval/test/results.trunc > $C/run/trunc.txt
head -20 $D/trec_eval/test/results.comment.test > $C/run/comment.txt
head -30 golden/cranfield-bm25/bm25.run > $C/run/cranfield_bm25.txt
head -20 $D/trec_eval/cranfield-bm25/cranfield_bm25_ties.run > $C/run/cranfield_ties.txt
put run/scattered.txt '1 Q0 184 1 2.5 a\n2 Q0 x 1 1 a\n1 Q0 13 2 2.5 a\n1 Q0 51 3 -0 a\nq Q0 d 1 1e308 b\n2024-224960 Q0 m#1 1 0.5 c\n'
# the other tools' formats (harness/load/formats.h): ranx / ir_measures
# JSON qrels and runs, BEIR's qrels TSV, and gzip of each kind (read by
# its magic bytes wherever a file is read)
put qrels/ranx.json '{"1": {"184": 2, "29": 1, "31": 0},\n "2": {"12": 1, "15": 3}}\n'
put qrels/beir.tsv 'query-id\tcorpus-id\tscore\n1\t184\t2\n1\t29\t1\n2\t12\t0\n'
head -10 golden/cranfield/qrels.txt | gzip -9n > $C/qrels/cranfield_head.gz
put run/ranx.json '{"1": {"184": 12.5, "29": 11.0, "13": -0.5},\n "2": {"12": 1e-3, "15": 1}}\n'
head -12 golden/cranfield-bm25/bm25.run | gzip -9n > $C/run/cranfield_bm25_head.gz

# featnames: the catalogue's names file, textfeatures' names as a file,
# the edges (BOM, CRLF, id 0 and 2^31 - 1, a blank line) and gzip.
cp tests/catalogue/letor/f.tsv $C/featnames/letor.tsv
put featnames/textfeatures.tsv '1\tbm25_title\n2\tbm25_body\n3\tbm25_title_body\n4\ttfidf_cosine\n5\tquery_coverage\n6\tidf_sum\tquery\n7\tidf_min\tquery\n8\tidf_max\tquery\n9\tdoc_length\n10\ttitle_length\n11\tretrieval_rank\n12\tretrieval_score\n13\tdense_score\n'
put featnames/edge.tsv '\xef\xbb\xbf# BOM, CRLF, a blank line\r\n0\tzero\r\n\r\n2147483647\tlast id\tquery\r\n'
gzip -9nc $C/featnames/letor.tsv > $C/featnames/letor.tsv.gz

# svmlight: with qid:, and LightGBM's layout (data NUL .query file).
cp $F/svm/small.svm $C/svmlight/small.svm
cp $F/probe/rows.svm $C/svmlight/probe_rows.svm
cp $F/probe/wide.svm $C/svmlight/probe_wide.svm
{ cat $F/svm/lgb.svm; printf '\0'; cat $F/svm/lgb.svm.query; } > $C/svmlight/lgb_layout
{ head -c 3000 golden/letor/rank.test | sed '$d'; } > $C/svmlight/letor_head
n=$(wc -l < $C/svmlight/letor_head)
{ cat $C/svmlight/letor_head; printf '\0%s\n' "$n"; } > $C/svmlight/letor_lgb_layout
put svmlight/docids_nan.svm '2 qid:1 1:nan 2:1e-320 # d1 extra\n0 qid:1 3:-0 # d2\n1 qid:2 1:0.5\n'

# xgb_json: the small fixture models whole.
for m in xgb_depth2 xgb_stumps xgb_gblinear_logistic xgb_depth8; do
	cp $F/gbdt/$m.json $C/xgb_json/$m.json
done
cp $D/models/xgb_binary_base0.3.json $C/xgb_json/xgb_binary_base0.3.json
cp $D/models/xgb_gblinear.json $C/xgb_json/xgb_gblinear.json

# lgb_text: models cut to their first two trees (the loader only needs
# "end of trees" after the last).
cp $F/gbdt/lgb_cat.txt $C/lgb_text/lgb_cat.txt
for m in lgb_regression_zero lgb_lambdarank_nan; do
	awk '/^Tree=2$/ { exit } { print }' $D/models/$m.txt > $C/lgb_text/$m.txt
	printf 'end of trees\n' >> $C/lgb_text/$m.txt
done

# npy: the dense fixtures, and the same matrix as 1-D and as version 2.
cp $F/dense/docs.npy $C/npy/docs.npy
cp $F/dense/queries.npy $C/npy/queries.npy
python3 - "$C/npy" <<'PY'
import struct, sys
d = sys.argv[1]
def npy(name, ver, hdr, data):
    h = hdr.encode()
    pre = 10 if ver == 1 else 12
    h += b' ' * ((-(pre + len(h) + 1)) % 64) + b'\n'
    n = struct.pack('<H', len(h)) if ver == 1 else struct.pack('<I', len(h))
    open(f'{d}/{name}', 'wb').write(b'\x93NUMPY' + bytes([ver, 0]) + n + h + data)
v = struct.pack('<4f', 1.0, -2.5, float('nan'), 0.0)
npy('vec1d.npy', 1, "{'descr': '<f4', 'fortran_order': False, 'shape': (4,), }", v)
npy('v2.npy', 2, "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 2), }", v)
npy('v3_utf8.npy', 3, "{'shape': (1, 4), 'fortran_order': False, 'descr': '<f4'}", v)
npy('empty.npy', 1, "{'descr': '<f4', 'fortran_order': False, 'shape': (0, 3), }", b'')
PY

# docs: the corpus fixtures, Cranfield's first documents.
cp $F/golden_multi/docs.tsv $C/docs_tsv/golden_multi.tsv
cp $F/dense/docs.tsv $C/docs_tsv/dense.tsv
head -c 2500 golden/cranfield/docs.tsv | sed '$d' > $C/docs_tsv/cranfield.tsv
put docs_tsv/header_fields.tsv 'docid\ttitle\tbody\turl\na\tA\ta\thttp://x\nb\tB\tb\thttp://y\nc\tC\tc\thttp://x\nd\tD\td\t\ne\tE\te\thttp://y\n'
cp $F/text/docs.jsonl $C/docs_jsonl/text.jsonl
put docs_jsonl/edge.jsonl '{"_id": "a", "text": "x", "title": null}\n{"_id": "", "text": "y"}\n[1]\n{"_id": "b", "text": "z", "m": {"k": "v", "n": {"deep": 1}}}\n{"_id": "a", "text": "dup"}\n'

# queries: TSV with and without dimensions, JSON lines.
cp $F/golden_multi/queries.tsv $C/queries/golden_multi.tsv
cp $F/dense/queries.tsv $C/queries/dense.tsv
head -20 golden/cranfield/queries.tsv > $C/queries/cranfield.tsv
head -10 golden/letor/queries.tsv > $C/queries/letor.tsv
cp $F/text/queries.jsonl $C/queries/text.jsonl

# scenario: the shipped scenarios, the probe fixtures, a gates file, and
# the unit tests' small ones.
cp scenarios/letor-models.xml $C/scenario/letor-models.xml
cp scenarios/cranfield.xml $C/scenario/cranfield.xml
cp $F/probe/probe.xml $C/scenario/probe.xml
cp $F/probe/probe_bad.xml $C/scenario/probe_bad.xml
put scenario/gates.xml '<?xml version="1.0"?>\n<gates>\n  <gate id="g1" metric="ndcg_cut_10" min-delta="0" on="ci-lower" significant="true"/>\n  <gate id="g2" metric="map" min="0.2" stack="b"/>\n</gates>\n'
put scenario/importance_lift.xml '<scenario name="t">\n <golden><qrels file="q.txt"/></golden>\n <stack id="a"><candidates file="c"/></stack>\n <stack id="b"><candidates file="c"/><rules file="r.tsv" dedupe="url"/></stack>\n <importance metric="map">\n  <features stack="b" stage="1" repeats="3">\n   <group name="g1"> 4, 7 12</group>\n  </features>\n  <stages/><oracle/>\n </importance>\n <lift history="h.csv" metric="ndcg_cut_10" min-lift="0"/>\n</scenario>\n'

# lift: the synthetic history, METHODS.md's worked example, wide form.
cp golden/lift/history-synthetic.csv $C/lift/history-synthetic.csv
cp $F/lift/methods-example.csv $C/lift/methods-example.csv
put lift/wide_quoted.csv '\xef\xbb\xbf# made-up rows: SYNTHETIC, for a test\r\n\r\nlaunch_id,ndcg_cut_10,ndcg_cut_10_se,online_lift,online_se,note\r\n"x,1", 0.5 ,0.012,0.004,0.002,"say ""hi"""\r\ny2,0.1,0.002,-0.001,0.002,\r\n'
put lift/excluded.csv 'launch_id,offline_metric,golden_set,offline_delta,offline_se,online_lift,online_se\na,ndcg_cut_10,web-v7,0.01,0.002,0.001,0.001\na,map,web-v7,0.02,0.002,0.001,0.001\nb,ndcg_cut_10,cranfield,0.03,0.004,0.001,0.002\n'

# expectations, rules, weights: the fixture and small hand-written files.
cp $F/golden_multi/expectations.tsv $C/expectations/golden_multi.tsv
put expectations/mixed.tsv '# qid<TAB>docid<TAB>max_rank\nq1\td1\t3\nq2\td3\t1\nq9\tzz\t10\nq1 d2 0\n'
put rules/pin_bury_remove.tsv '# rules\nq1\tc\tpin\nq1\te\tpin\t2\nq1\ta\tbury\nq2\tb\tremove\nq2\td\tpin\t9\n'
put rules/repeats_unknown.tsv 'q1\tb\tpin\nq1\tb\tbury\nq3\ta\tpin\nq1\tzz\tremove\nq2\tc\tpin\t1\n'
put weights/weights.txt '# linear\nbias 0.5\n1 2.0\n2 -1\n3 0.25\n'
put weights/edge.txt 'bias -1e300\n0 1e300\n100000000 3\n2 nan\n'
put weights/big.txt 'bias -1e300\r\n0 1e300\n100000000 3\n3 -1.7976931348623157e308\n# end'
echo "make_corpus.sh: $(find $C -type f ! -name SOURCE.md | wc -l) seeds, $(du -sk $C | cut -f1) kB"
