#!/usr/bin/env bash
# Bad text golden sets: each a clear error naming path:line, exit 2 —
# duplicate docids in docs.tsv, judged docids absent from the corpus, a
# query with empty text where a text stage needs it (queries.tsv and
# queries.jsonl), an unknown stemmer. Empty documents are not an error
# (Cranfield has two): they are indexed as empty and counted in a warning.
# usage: text_bad_input.sh PREFLIGHT SOURCE_DIR SHARED_DIR WORK_DIR
set -u
PF=$1 WORK=$4
rm -rf "$WORK"; mkdir -p "$WORK"; cd "$WORK" || exit 2
fail=0
# case NAME DOCS QUERIES QRELS STAGE-ATTRS WANT-RC WANT-REGEX [QUERIES-FILE]
case_() {
	local n=$1 qf=${8:-queries.tsv}
	mkdir -p "$n"
	printf '%b' "$2" > "$n/docs.tsv"
	printf '%b' "$3" > "$n/$qf"
	printf '%b' "$4" > "$n/qrels.txt"
	cat > "$n.xml" <<XML
<?xml version="1.0"?>
<scenario name="$n">
  <golden dir="$n"><queries file="$qf"/><docs file="docs.tsv"/><qrels file="qrels.txt"/></golden>
  <stack id="a"><bm25 $5/></stack>
  <stack id="b"><bm25 k1="1.2"/><textfeatures/></stack>
  <outputs dir="$n.out"/>
</scenario>
XML
	"$PF" run -q "$n.xml" > /dev/null 2> "$n.err"
	local rc=$?
	if [ $rc -eq "$6" ] && grep -Eq "$7" "$n.err"; then
		echo "PASS $n: exit $rc: $(grep -E "$7" "$n.err" | head -1)"
	else
		echo "FAIL $n: exit $rc (want $6), want /$7/: $(cat "$n.err")"; fail=1
	fi
}
DOCS='d1\tWind\twind tunnel\nd2\tWing\twing flutter\n'
Q='qid\ttext\nq1\twind\nq2\twing\n'
QR='q1 0 d1 1\nq2 0 d2 1\n'
case_ ok "$DOCS" "$Q" "$QR" "" 0 'wrote'
case_ dup_docid "${DOCS}d1\tAgain\tx\n" "$Q" "$QR" "" 2 \
    'dup_docid/docs.tsv:3: duplicate docid .d1.'
case_ qrels_absent "$DOCS" "$Q" "q1 0 d1 1\nq1 0 d9 0\nq2 0 d2 1\n" "" 2 \
    "qrels_absent/qrels.txt:2: docid 'd9' \(query 'q1'\) is not in the corpus"
case_ empty_query "$DOCS" 'qid\ttext\nq1\twind\nq2\t ,;\n' "$QR" "" 2 \
    "empty_query/queries.tsv:3: query 'q2' has empty text \(no token\); bm25 needs query text"
case_ empty_query_jsonl "$DOCS" '{"_id": "q1", "text": "wind"}\n\n{"_id": "q2", "text": ""}\n' \
    "$QR" "" 2 "empty_query_jsonl/queries.jsonl:3: query 'q2' has empty text" queries.jsonl
case_ bad_stem "$DOCS" "$Q" "$QR" 'stem="klingon"' 2 \
    "bad_stem.xml:4: .* stem='klingon': expected one of none, .*english"
case_ bad_stopwords "$DOCS" "$Q" "$QR" 'stopwords="all"' 2 "bad_stopwords.xml:4: .*stopwords"
case_ empty_doc "${DOCS}d3\t\t\nd4\t--\t \n" "$Q" "$QR" "" 0 \
    'warning: 2 of 4 documents in .*empty_doc/docs.tsv have no text'
# the empty documents are indexed: never retrieved, but they count in N
[ -f empty_doc.out/a.run ] && ! grep -q ' d[34] ' empty_doc.out/a.run ||
    { echo "FAIL empty_doc: empty documents retrieved"; fail=1; }
exit $fail
