#!/usr/bin/env bash
# The report in a real browser (REPORTS.md §2.5): headless Chromium renders
# the demo scenario's report.html, dumps the DOM (verdict and every chart
# still there) and takes a screenshot into the build folder for a person to
# look at; then the no-network check: served on loopback with a strict
# Content-Security-Policy, Chromium must log no blocked load.
# Exits 77 (skipped) when chromium is not installed.
# usage: html_browser.sh PREFLIGHT SOURCE_DIR SHARED_DIR WORK_DIR
set -u
PF=$1 SRC=$2 WORK=$4
. "$SRC/tests/e2e/lib/browser.sh"
command -v chromium > /dev/null || { echo "SKIP: chromium not installed"; exit 77; }
rm -rf "$WORK"; mkdir -p "$WORK/scenarios"; cd "$WORK" || exit 2
sed "s|\.\./golden/|$SRC/golden/|g" "$SRC/scenarios/letor-models.xml" > scenarios/letor-models.xml
"$PF" run --quiet scenarios/letor-models.xml 2> run.err || { echo "FAIL run: $(cat run.err)"; exit 1; }
R=$WORK/out/report.html
browser_init "$WORK"
fail=0
timeout 120 "${CHROME[@]}" --hide-scrollbars --window-size=1280,2400 --screenshot="$WORK/report.png" "file://$R" > /dev/null 2>&1
[ -s report.png ] && echo "PASS screenshot: $WORK/report.png" || { echo "FAIL no screenshot"; fail=1; }
timeout 120 "${CHROME[@]}" --dump-dom "file://$R" > dom.html 2> /dev/null
grep -q '<p id="verdict">\(REQUEST A SLOT\|DO NOT REQUEST\|INCONCLUSIVE\)</p>' dom.html && echo "PASS verdict in the rendered DOM" || { echo "FAIL verdict missing from the DOM"; fail=1; }
want=$(grep -o '<svg ' "$R" | wc -l); got=$(grep -o '<svg ' dom.html | wc -l)
[ "$got" -ge 4 ] && [ "$got" = "$want" ] && echo "PASS $got svg charts rendered" || { echo "FAIL svg $got of $want"; fail=1; }
browser_no_network "$WORK/out" report.html 'id="verdict"' || fail=1
exit $fail
