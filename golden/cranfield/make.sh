#!/usr/bin/env bash
# golden/cranfield/make.sh — convert the Cranfield collection
# (../shared/data/cranfield, SMART format, CRLF) into preflight's golden-set
# formats. Run from this folder: bash make.sh [SHARED_DIR]
#  docs.tsv     docid<TAB>title<TAB>body   (.T and .W; repeated markers are
#               appended, empty documents 471 and 995 kept with empty text;
#               tabs and newlines become spaces)
#  queries.tsv  qid<TAB>text<TAB>split     (qid = ordinal position in
#               cran.qry, which is what the judgments use; split = train for
#               odd ordinals, test for even)
#  qrels.txt    TREC qrels: grade = 5 - code, -1 kept (cranqrel.trec)
set -euo pipefail
S=${1:-../../../shared}/data/cranfield
tr -d '\r' < "$S/cran.all.1400" | awk '
	function flush() { if (id != "") { gsub(/[ \t]+/, " ", t); gsub(/[ \t]+/, " ", w);
		sub(/^ /, "", t); sub(/ $/, "", t); sub(/^ /, "", w); sub(/ $/, "", w);
		print id "\t" t "\t" w } }
	/^\.I / { flush(); id = $2; t = ""; w = ""; f = ""; next }
	/^\.T/ { f = "T"; next } /^\.W/ { f = "W"; next }
	/^\.A/ || /^\.B/ { f = ""; next }
	{ if (f == "T") t = t " " $0; else if (f == "W") w = w " " $0 }
	END { flush() }' > docs.tsv
tr -d '\r' < "$S/cran.qry" | awk '
	function flush() { if (n > 0) { gsub(/[ \t]+/, " ", q); sub(/^ /, "", q); sub(/ $/, "", q);
		print n "\t" q "\t" (n % 2 ? "train" : "test") } }
	BEGIN { print "qid\ttext\tsplit" }
	/^\.I / { flush(); n++; q = ""; f = 0; next }
	/^\.W/ { f = 1; next }
	{ if (f) q = q " " $0 }
	END { flush() }' > queries.tsv
cp "$S/cranqrel.trec" qrels.txt
wc -l docs.tsv queries.tsv qrels.txt
# the halves, for training a reranker on one and evaluating on the other
awk -F'\t' 'NR == 1 || $3 == "train"' queries.tsv > queries-train.tsv
awk -F'\t' 'NR == 1 || $3 == "test"' queries.tsv > queries-test.tsv
# the test half with a query-length dimension (words in the text: short up
# to 12, medium 13-20, long above), for per-segment trends
awk -F'\t' 'BEGIN { OFS = "\t" } NR == 1 { print $0, "length"; next }
	{ n = split($2, w, " "); print $0, (n <= 12 ? "short" : n <= 20 ? "medium" : "long") }' \
	queries-test.tsv > queries-test-length.tsv
