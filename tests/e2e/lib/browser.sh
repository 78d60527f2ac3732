# tests/e2e/lib/browser.sh — headless Chromium for the page tests
# (REPORTS.md §2.5), sourced by html_browser.sh and trend_browser.sh.
#
#   browser_init WORK      sets CHROME (an array: the command and the flags
#                          that keep it off the network), its profile in WORK
#   browser_no_network DIR PAGE MARK
#                          serves DIR on loopback with every response under
#                          "default-src 'none'; style-src 'unsafe-inline';
#                          img-src data:", dumps PAGE's DOM through it and
#                          prints PASS when it loaded (MARK is in it) and
#                          Chromium logged no blocked load; 1 otherwise

browser_init() {
	CHROME=(chromium --headless --no-sandbox --disable-gpu --no-first-run
		--disable-background-networking --disable-component-update --disable-sync
		--user-data-dir="$1/chrome-profile")
}

browser_no_network() {
	local dir=$1 page=$2 mark=$3 port server rc=0
	port=$((20000 + ($$ + ${#page} * 7919) % 20000))
	python3 - "$port" "$dir" <<'PY' &
import functools, http.server, sys
class H(http.server.SimpleHTTPRequestHandler):
    def end_headers(self):
        self.send_header("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; img-src data:")
        super().end_headers()
    def log_message(self, *a): pass
http.server.ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), functools.partial(H, directory=sys.argv[2])).serve_forever()
PY
	server=$!
	sleep 1
	timeout 120 "${CHROME[@]}" --enable-logging=stderr --v=0 --dump-dom \
		"http://127.0.0.1:$port/$page" 2> chrome.log > served.html
	kill $server 2> /dev/null
	grep -q "$mark" served.html || { echo "FAIL the served page did not load"; rc=1; }
	if grep -q 'Content Security Policy' chrome.log; then
		echo "FAIL a load was blocked:"; grep 'Content Security Policy' chrome.log | head -3; rc=1
	else
		echo "PASS no network request under a default-src 'none' policy"
	fi
	return $rc
}
