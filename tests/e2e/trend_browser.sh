#!/usr/bin/env bash
# trend.html in a real browser (REPORTS.md §2.5), as html_browser.sh does
# for report.html: three nights of scenarios/cranfield-nightly.xml (the
# third with the reranker's feature map off by one), `preflight trend`,
# then headless Chromium renders the page (a screenshot in the build
# folder for a person to look at), the dumped DOM still holds the headline
# and every chart, and served on loopback under a default-src 'none'
# Content-Security-Policy it loads nothing.
# Exits 77 (skipped) when chromium is not installed.
# usage: trend_browser.sh PREFLIGHT SOURCE_DIR SHARED_DIR WORK_DIR
set -u
PF=$1 SRC=$2 WORK=$4
. "$SRC/tests/e2e/lib/browser.sh"
command -v chromium > /dev/null || { echo "SKIP: chromium not installed"; exit 77; }
rm -rf "$WORK"; mkdir -p "$WORK"; cd "$WORK" || exit 2
sed -e "s|\.\./golden|$SRC/golden|g" "$SRC/scenarios/cranfield-nightly.xml" > n.xml
sed -e 's|first-feature="1"|first-feature="0"|' n.xml > n2.xml
for i in 1 2 3; do
	s=n.xml m=v41; [ $i = 3 ] && { s=n2.xml; m=v42; }
	"$PF" run --quiet --history h.db --label model=$m --out "out$i" "$s" > /dev/null 2> run.err
	[ $? -le 1 ] || { echo "FAIL run $i: $(cat run.err)"; exit 1; }
done
"$PF" trend h.db -o tr -q --note "Test history" 2> trend.err || { echo "FAIL trend: $(cat trend.err)"; exit 1; }
R=$WORK/tr/trend.html
browser_init "$WORK"
fail=0
timeout 120 "${CHROME[@]}" --hide-scrollbars --window-size=1280,3600 --screenshot="$WORK/trend.png" "file://$R" > /dev/null 2>&1
[ -s trend.png ] && echo "PASS screenshot: $WORK/trend.png" || { echo "FAIL no screenshot"; fail=1; }
timeout 120 "${CHROME[@]}" --dump-dom "file://$R" > dom.html 2> /dev/null
grep -q '<p id="headline">GOAL MISSED' dom.html && grep -q 'id="note"' dom.html \
	&& echo "PASS headline and note in the rendered DOM" || { echo "FAIL headline missing from the DOM"; fail=1; }
want=$(grep -o '<svg ' "$R" | wc -l); got=$(grep -o '<svg ' dom.html | wc -l)
[ "$got" -ge 6 ] && [ "$got" = "$want" ] && echo "PASS $got svg charts rendered" || { echo "FAIL svg $got of $want"; fail=1; }
browser_no_network "$WORK/tr" trend.html 'id="headline"' || fail=1
exit $fail
