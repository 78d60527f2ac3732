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
command -v chromium > /dev/null || { echo "SKIP: chromium not installed"; exit 77; }
rm -rf "$WORK"; mkdir -p "$WORK/scenarios"; cd "$WORK" || exit 2
sed "s|\.\./golden/|$SRC/golden/|g" "$SRC/scenarios/letor-models.xml" > scenarios/letor-models.xml
"$PF" run --quiet scenarios/letor-models.xml 2> run.err || { echo "FAIL run: $(cat run.err)"; exit 1; }
R=$WORK/out/report.html
CHROME=(chromium --headless --no-sandbox --disable-gpu --no-first-run
	--disable-background-networking --disable-component-update --disable-sync
	--user-data-dir="$WORK/chrome-profile")
fail=0
timeout 120 "${CHROME[@]}" --hide-scrollbars --window-size=1280,2400 --screenshot="$WORK/report.png" "file://$R" > /dev/null 2>&1
[ -s report.png ] && echo "PASS screenshot: $WORK/report.png" || { echo "FAIL no screenshot"; fail=1; }
timeout 120 "${CHROME[@]}" --dump-dom "file://$R" > dom.html 2> /dev/null
grep -q '<p id="verdict">\(REQUEST A SLOT\|DO NOT REQUEST\|INCONCLUSIVE\)</p>' dom.html && echo "PASS verdict in the rendered DOM" || { echo "FAIL verdict missing from the DOM"; fail=1; }
want=$(grep -o '<svg ' "$R" | wc -l); got=$(grep -o '<svg ' dom.html | wc -l)
[ "$got" -ge 4 ] && [ "$got" = "$want" ] && echo "PASS $got svg charts rendered" || { echo "FAIL svg $got of $want"; fail=1; }
# no-network: every response carries a CSP that blocks any load
PORT=$((20000 + $$ % 20000))
python3 - "$PORT" "$WORK/out" <<'PY' &
import functools, http.server, sys
class H(http.server.SimpleHTTPRequestHandler):
    def end_headers(self):
        self.send_header("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; img-src data:")
        super().end_headers()
    def log_message(self, *a): pass
http.server.ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), functools.partial(H, directory=sys.argv[2])).serve_forever()
PY
SERVER=$!
sleep 1
timeout 120 "${CHROME[@]}" --enable-logging=stderr --v=0 --dump-dom "http://127.0.0.1:$PORT/report.html" 2> chrome.log > served.html
kill $SERVER 2> /dev/null
grep -q 'id="verdict"' served.html || { echo "FAIL the served page did not load"; fail=1; }
if grep -q 'Content Security Policy' chrome.log; then echo "FAIL a load was blocked:"; grep 'Content Security Policy' chrome.log | head -3; fail=1
else echo "PASS no network request under a default-src 'none' policy"; fi
exit $fail
