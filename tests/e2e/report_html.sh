#!/usr/bin/env bash
# report.html read as XML, no browser needed (REPORTS.md §2; issue 19):
# on the Cranfield and LETOR demo scenarios and a compare of two run files,
# with xmllint's XPath, every id
# is unique, every href="#..." names exactly one element, every JUnit link
# report.html#gate-... names exactly one element, every section is in the
# nav, every chart has an axis title and every scatter mark a <title> and
# a link to its query, one row and one q-QID anchor per judged query, no
# empty header cell, no text column without text, a dimension with one
# value named instead of tabled, compare's first relevant ranks (from
# recip_rank) against the run files walked here; then lib/report_html_verify.py checks the per-query table
# (values, deltas, first relevant rank, order) and the models column
# against results.json and the model files.
# usage: report_html.sh PREFLIGHT SOURCE_DIR SHARED_DIR WORK_DIR
set -u
PF=$1 SRC=$2 WORK=$4
command -v xmllint > /dev/null || { echo "SKIP: xmllint not installed"; exit 77; }
rm -rf "$WORK"; mkdir -p "$WORK/scenarios"; cd "$WORK" || exit 2
fail=0
ok() { echo "PASS $*"; }
bad() { echo "FAIL $*"; fail=1; }
# count XPATH in FILE
count() { xmllint --xpath "count($1)" "$2" 2> /dev/null; }
# cranfield-fail: the gate made to fail, so JUnit's messages link to it
sed "s|\.\./golden/|$SRC/golden/|g" "$SRC/scenarios/cranfield.xml" |
	sed 's|min-delta="-0.02"|min-delta="0.5"|; s|\.\./out/cranfield|../out/cranfield-fail|' > scenarios/cranfield-fail.xml
# compare: run files only (no ranked lists kept, no query text)
C=$SRC/golden/cranfield-bm25
cp "$C/bm25.run" a.run
awk '{ if ($4 == 1) { hold = $0; next } if ($4 == 2) { print; split(hold, h); print h[1], h[2], h[3], 1, $5 - 0.001, h[6]; next } print }' a.run > b.run
for s in cranfield letor-models cranfield-fail compare; do
	if [ $s = compare ]; then
		"$PF" compare --bootstrap 500 --permutations 500 -o out/compare "$C/qrels.txt" a.run b.run > /dev/null 2> $s.err
	else
		[ -f scenarios/$s.xml ] || sed "s|\.\./golden/|$SRC/golden/|g" "$SRC/scenarios/$s.xml" > scenarios/$s.xml
		"$PF" run --quiet scenarios/$s.xml > /dev/null 2> $s.err
	fi
	rc=$?
	case $s in cranfield) O=out/cranfield ;; cranfield-fail) O=out/cranfield-fail ;; compare) O=out/compare ;; *) O=out ;; esac
	[ -f "$O/report.html" ] || { bad "run $s (exit $rc): $(cat $s.err)"; continue; }
	R=$O/report.html
	xmllint --noout "$R" && ok "$s: report.html is well-formed XML" || { bad "$s: not well-formed"; continue; }
	xmllint --xpath '//@id' "$R" | sed 's/^ *id="\(.*\)"$/\1/' > ids
	dup=$(sort ids | uniq -d | head -5 | tr '\n' ' ')
	[ -z "$dup" ] && [ -s ids ] && ok "$s: $(wc -l < ids) ids, all unique" || bad "$s: duplicate ids: $dup"
	xmllint --xpath '//@href' "$R" | sed -n 's/^ *href="#\(.*\)"$/\1/p' | sort -u > hrefs
	n=0
	while read -r h; do
		c=$(count "//*[@id='$h']" "$R")
		[ "$c" = 1 ] || { bad "$s: href #$h names $c elements"; n=$((n + 1)); }
	done < hrefs
	[ "$n" = 0 ] && [ -s hrefs ] && ok "$s: $(wc -l < hrefs) in-page links each resolve to one element"
	grep -o 'report\.html#[A-Za-z0-9_.:-]*' "$O/junit.xml" | sed 's/report\.html#//' | sort -u > jl
	n=0
	while read -r h; do
		c=$(count "//*[@id='$h']" "$R")
		[ "$c" = 1 ] || { bad "$s: JUnit's report.html#$h names $c elements"; n=$((n + 1)); }
	done < jl
	[ "$n" = 0 ] && ok "$s: $(wc -l < jl) JUnit links each resolve to one element"
	[ "$s" != cranfield-fail ] || [ -s jl ] || bad "$s: the failed gate's JUnit message links nowhere"
	n=0
	for sec in $(xmllint --xpath '//*[local-name()="section"]/@id' "$R" | sed 's/^ *id="\(.*\)"$/\1/'); do
		[ "$(count "//*[local-name()='nav']//*[@href='#$sec']" "$R")" = 1 ] || { bad "$s: section $sec not in the nav"; n=$((n + 1)); }
	done
	[ "$n" = 0 ] && ok "$s: the nav lists every section"
	judged=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["judged_queries"])' "$O/results.json")
	rows=$(count "//*[local-name()='section'][@id='query-table']//*[local-name()='tr'][starts-with(@id,'q-')]" "$R")
	anchors=$(grep -c '^q-' ids)
	[ "$rows" = "$judged" ] && [ "$anchors" = "$judged" ] && ok "$s: $rows per-query rows and q- anchors for $judged judged queries" || bad "$s: $rows rows, $anchors anchors, $judged judged queries"
	nsvg=$(count "//*[local-name()='svg']" "$R")
	bare=$(count "//*[local-name()='svg'][not(.//*[@class='axis-title'])]" "$R")
	[ "$nsvg" -ge 4 ] && [ "$bare" = 0 ] && ok "$s: $nsvg charts, each with an axis title" || bad "$s: $bare of $nsvg charts without an axis title"
	nt=$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["stacks"]) - 1)' "$O/results.json")
	dots=$(count "//*[local-name()='circle'][parent::*[starts-with(@href,'#q-')]][*[local-name()='title']]" "$R")
	[ "$dots" = $((judged * nt)) ] && ok "$s: $dots scatter marks, each with a title and a link to its query" || bad "$s: $dots scatter marks with a title and link, want $((judged * nt))"
	e=$(count "//*[local-name()='th'][normalize-space(.)='']" "$R")
	[ "$e" = 0 ] && ok "$s: no empty header cell" || bad "$s: $e empty header cells"
	case $s in
	cranfield) # split=test holds every query: no segment row, a note instead
		c=$(count "//*[@id='segments']//*[local-name()='td'][.='split']" "$R")
		n=$(count "//*[@id='segments-one-valued'][contains(., 'split = test')]" "$R")
		[ "$c" = 0 ] && [ "$n" = 1 ] && ok "$s: the one-valued dimension split is named, not tabled" || bad "$s: split rows $c, note $n" ;;
	compare) # run files: the first relevant rank, walked here in trec_eval's
		# order (score descending, then docno descending) over the qrels
		python3 - "$R" "$C/qrels.txt" a.run b.run <<'PY' && ok "$s: first relevant ranks match the run files walked here" || bad "$s: first relevant ranks"
import sys, xml.etree.ElementTree as ET
NS = "{http://www.w3.org/1999/xhtml}"
rel = {(l.split()[0], l.split()[2]) for l in open(sys.argv[2]) if int(l.split()[3]) > 0}
def first(path):
    by = {}
    for l in open(path):
        q, _, d, _, sc, _ = l.split()
        by.setdefault(q, []).append((float(sc), d))
    out = {}
    for q, v in by.items():
        v.sort(key=lambda t: (t[0], t[1]), reverse=True)
        out[q] = next((str(i + 1) for i, (_, d) in enumerate(v) if (q, d) in rel), "none")
    return out
want = [first(sys.argv[3]), first(sys.argv[4])]
doc = ET.parse(sys.argv[1]).getroot()
sec = [x for x in doc.iter(NS + "section") if x.get("id") == "query-table"][0]
trs = list(sec.iter(NS + "tr"))
head = ["".join(c.itertext()) for c in trs[0]]
cols = [head.index("1st rel. a.run"), head.index("1st rel. b.run")]
bad = 0
for tr in trs[1:]:
    cells = ["".join(c.itertext()) for c in tr]
    q = tr.get("id")[2:]
    for k in range(2):
        w = want[k].get(q, "none")
        if cells[cols[k]] != w:
            print("query %s run %d: report %s, walked %s" % (q, k, cells[cols[k]], w)); bad += 1
sys.exit(bad > 0 or len(trs) < 10)
PY
		;;
	letor-models) # no query text in LETOR: no text column
		c=$(count "//*[local-name()='th'][.='text']" "$R")
		[ "$c" = 0 ] && ok "$s: no empty text column" || bad "$s: $c text columns without text" ;;
	esac
	python3 "$SRC/tests/e2e/lib/report_html_verify.py" "$O" || fail=1
done
exit $fail
