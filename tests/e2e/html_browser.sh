#!/usr/bin/env bash
# The report in a real browser (REPORTS.md §2.5; issue 19): headless
# Chromium renders the demo scenarios' report.html and takes full-page
# screenshots at 1300 and 420 px into the build folder for a person to look
# at; a check page holding the report in an iframe of each width runs
# lib/dom_check.js on the rendered DOM (the report itself has no script): unique ids, every
# href="#..." resolves to one element, every chart has an axis title, one
# per-query row and one q- anchor per judged query, and nothing wider than
# the viewport (scrollWidth <= clientWidth). Then the no-network check:
# served on loopback with a strict Content-Security-Policy, Chromium must
# log no blocked load.
# Exits 77 (skipped) when chromium is not installed.
# usage: html_browser.sh PREFLIGHT SOURCE_DIR SHARED_DIR WORK_DIR
set -u
PF=$1 SRC=$2 WORK=$4
. "$SRC/tests/e2e/lib/browser.sh"
command -v chromium > /dev/null || { echo "SKIP: chromium not installed"; exit 77; }
rm -rf "$WORK"; mkdir -p "$WORK/scenarios"; cd "$WORK" || exit 2
browser_init "$WORK"
fail=0
for s in letor-models cranfield; do
	sed "s|\.\./golden/|$SRC/golden/|g" "$SRC/scenarios/$s.xml" > scenarios/$s.xml
	"$PF" run --quiet scenarios/$s.xml > /dev/null 2> run.err || { echo "FAIL run $s: $(cat run.err)"; fail=1; continue; }
	case $s in cranfield) O=$WORK/out/cranfield ;; *) O=$WORK/out ;; esac
	R=$O/report.html
	for w in 1300 420; do
		rm -f "$s-$w.png"
		timeout 120 "${CHROME[@]}" --hide-scrollbars --window-size=$w,3000 --screenshot="$WORK/$s-$w.png" "file://$R" > /dev/null 2>&1
		[ -s "$s-$w.png" ] && echo "PASS screenshot: $WORK/$s-$w.png" || { echo "FAIL $s: no screenshot at $w px"; fail=1; }
	done
	timeout 120 "${CHROME[@]}" --dump-dom "file://$R" > dom.html 2> /dev/null
	grep -q '<span id="verdict">\(REQUEST A SLOT\|DO NOT REQUEST\|INCONCLUSIVE\)</span>' dom.html && echo "PASS $s: verdict in the rendered DOM" || { echo "FAIL $s: verdict missing from the DOM"; fail=1; }
	want=$(grep -o '<svg ' "$R" | wc -l); got=$(grep -o '<svg ' dom.html | wc -l)
	[ "$got" -ge 4 ] && [ "$got" = "$want" ] && echo "PASS $s: $got svg charts rendered" || { echo "FAIL $s: svg $got of $want"; fail=1; }
	judged=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["judged_queries"])' "$O/results.json")
	for w in 1300 420; do
		{ printf '<!DOCTYPE html>\n<html><body><pre id="dom-check"></pre><script>\n'
		  sed "s/JUDGED/$judged/; s/WIDTH/$w/; s|REPORT|report.html|" "$SRC/tests/e2e/lib/dom_check.js"
		  printf '</script></body></html>\n'; } > "$O/check.html"
		timeout 120 "${CHROME[@]}" --allow-file-access-from-files --virtual-time-budget=10000 --window-size=1400,3000 --dump-dom "file://$O/check.html" > check.dom 2> /dev/null
		res=$(sed -n '/<pre id="dom-check">/,/<\/pre>/p' check.dom | sed 's/<[^>]*>//g; s/&gt;/>/g; s/&lt;/</g' | grep '^\(PASS\|FAIL\)')
		[ -n "$res" ] || { echo "FAIL $s at $w px: the DOM check did not run"; fail=1; continue; }
		echo "$res" | sed "s/^\(PASS\|FAIL\) /\1 $s at $w px: /"
		echo "$res" | grep -q '^FAIL' && fail=1
	done
	rm -f "$O/check.html"
done
browser_no_network "$WORK/out" report.html 'id="verdict"' || fail=1
exit $fail
